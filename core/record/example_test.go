package record_test

import (
	"fmt"
	"io"
	"time"

	"github.com/kafka3/kafka3-go/core/record"
)

// A producer appends records to a Builder and finishes the batch once it
// knows its producer state; a consumer walks the batches of a fetch
// response and decodes their records into a reused slice.
func Example() {
	var b record.Builder
	for i := range 3 {
		b.Append(&record.Record{
			Timestamp: time.UnixMilli(1700000000000 + int64(i)),
			Key:       []byte(fmt.Sprint("k", i)),
			Value:     []byte("hello"),
			Headers:   []record.Header{{Key: "trace", Value: []byte("1")}},
		})
	}
	p := record.NoProducer() // or an idempotent producer's id, epoch and sequence
	p.BaseOffset = 40        // the broker assigns offsets; set here for the demo
	p.Codec = nil            // e.g. core.CodecByName("zstd")
	batch, err := b.AppendBatch(nil, &p)
	if err != nil {
		panic(err)
	}

	d := record.Decoder{} // Codecs: core.CodecByID to read compressed batches
	d.Reset("orders", 0, batch)
	var recs []record.Record // reuse across fetches: decoding allocates nothing when warm
	for {
		bt, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		if bt.IsControl() {
			continue // transaction markers
		}
		if recs, err = d.AppendRecords(recs[:0], bt); err != nil {
			panic(err)
		}
		for _, r := range recs {
			fmt.Println(r.Topic, r.Offset, string(r.Key), string(r.Value), r.Headers[0].Key)
		}
	}
	// Output:
	// orders 40 k0 hello trace
	// orders 41 k1 hello trace
	// orders 42 k2 hello trace
}
