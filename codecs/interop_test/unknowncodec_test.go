package interoptest

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/codecs/gzip"
	"github.com/kafka3/kafka3-go/codecs/zstd"
	"github.com/kafka3/kafka3-go/core/record"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// TestUnknownCodec writes batches uncompressed, gzip, zstd and gzip again
// to the broker, fetches them, and decodes them with lookups that lack a
// codec: the first batch using a missing codec must fail at once with a
// *record.UnknownCodecError naming the topic, partition, offset and import
// to add, and the decoder must then go on with the next batch rather than
// return the same error forever.
func TestUnknownCodec(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 2, 1, "zstd batches, which the test writes with the low-level client (KIP-110, Kafka 2.1)")
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, nil)
	p := newPartition(t, topic)
	var offsets []int64
	for _, codec := range []record.Codec{nil, gzip.Default(), zstd.Default(), gzip.Default()} {
		var b record.Builder
		for i := range 3 {
			b.Append(&record.Record{Timestamp: time.Now(), Key: fmt.Appendf(nil, "k%d", i), Value: []byte("value")})
		}
		params := record.NoProducer()
		params.Codec = codec
		batch, err := b.AppendBatch(nil, &params)
		if err != nil {
			t.Fatal(err)
		}
		offsets = append(offsets, p.produce(t, batch))
	}
	data, _ := p.fetch(t, 0)

	onlyGzip := func(id int8) record.Codec {
		if id == record.CodecGzip {
			return gzip.Default()
		}
		return nil
	}
	for _, tc := range []struct {
		name    string
		lookup  func(int8) record.Codec
		failing int // index of the first batch that must fail
		codec   string
	}{
		{"only gzip", onlyGzip, 2, "zstd"},
		{"no codecs", nil, 1, "gzip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := record.Decoder{Codecs: tc.lookup}
			d.Reset(topic, 0, data)
			var recs []record.Record
			var errs []error
			for i := 0; ; i++ {
				b, err := d.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("batch %d: Next: %v", i, err)
				}
				start := time.Now()
				recs, err = d.AppendRecords(recs[:0], b)
				if took := time.Since(start); took > time.Second {
					t.Errorf("batch %d: AppendRecords took %v", i, took)
				}
				errs = append(errs, err)
			}
			if len(errs) != len(offsets) {
				t.Fatalf("decoder saw %d batches, want %d (errors %v)", len(errs), len(offsets), errs)
			}
			for i, err := range errs[:tc.failing] {
				if err != nil {
					t.Errorf("batch %d: %v", i, err)
				}
			}
			err := errs[tc.failing]
			ue, ok := errors.AsType[*record.UnknownCodecError](err)
			if !ok {
				t.Fatalf("batch %d: error %v (%T), want a *record.UnknownCodecError", tc.failing, err, err)
			}
			if ue.Topic != topic || ue.Partition != 0 || ue.Offset != offsets[tc.failing] || ue.Name() != tc.codec {
				t.Errorf("error fields %+v, want topic %s partition 0 offset %d codec %s", *ue, topic, offsets[tc.failing], tc.codec)
			}
			if !errors.Is(err, record.ErrCodecNotRegistered) {
				t.Errorf("errors.Is(%v, ErrCodecNotRegistered) = false", err)
			}
			msg := err.Error()
			for _, want := range []string{
				fmt.Sprintf("%q", topic), "partition 0", fmt.Sprintf("offset %d", offsets[tc.failing]),
				`import _ "github.com/kafka3/kafka3-go/codecs/` + tc.codec + `"`,
			} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not mention %s", msg, want)
				}
			}
			t.Logf("%s", msg)
		})
	}
}
