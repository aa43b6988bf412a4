package record

import (
	"io"
	"testing"
	"time"
)

// BenchRecords returns records of valueSize-byte values filling about
// batchSize bytes, with 16-byte keys and one header on every other record.
func benchRecords(valueSize, batchSize int) []Record {
	n := max(1, batchSize/(valueSize+30))
	recs := make([]Record, n)
	val := make([]byte, valueSize)
	for i := range val {
		val[i] = "abcdefghijklmnopqrstuvwxyz{}:,\""[i*7%31]
	}
	ts := time.UnixMilli(1700000000000)
	for i := range recs {
		recs[i] = Record{Timestamp: ts, Key: []byte("key-0123456789ab"), Value: val}
		if i%2 == 0 {
			recs[i].Headers = []Header{{Key: "trace", Value: []byte("00-abc-01")}}
		}
	}
	return recs
}

// BenchSizes are the record and batch sizes benchmarked here and, with
// codecs, in package codecs.
var benchSizes = []struct {
	name             string
	value, batchSize int
}{
	{"100B/16KiB", 100, 16 << 10},
	{"100B/1MiB", 100, 1 << 20},
	{"1KiB/16KiB", 1 << 10, 16 << 10},
	{"1KiB/1MiB", 1 << 10, 1 << 20},
}

// BenchmarkEncode measures appending records to a Builder and finishing the
// batch, uncompressed; bytes/s counts the batch.
func BenchmarkEncode(b *testing.B) {
	for _, s := range benchSizes {
		recs := benchRecords(s.value, s.batchSize)
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			var bl Builder
			var out []byte
			p := NoProducer()
			for b.Loop() {
				bl.Reset()
				for i := range recs {
					bl.Append(&recs[i])
				}
				out, _ = bl.AppendBatch(out[:0], &p)
			}
			b.SetBytes(int64(len(out)))
		})
	}
}

// BenchmarkDecode measures Next and AppendRecords into a reused slice,
// uncompressed, with the CRC check.
func BenchmarkDecode(b *testing.B) {
	for _, s := range benchSizes {
		recs := benchRecords(s.value, s.batchSize)
		var bl Builder
		for i := range recs {
			bl.Append(&recs[i])
		}
		p := NoProducer()
		data, _ := bl.AppendBatch(nil, &p)
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			var d Decoder
			var out []Record
			for b.Loop() {
				d.Reset("t", 0, data)
				out = out[:0]
				for {
					bt, err := d.Next()
					if err == io.EOF {
						break
					}
					out, _ = d.AppendRecords(out, bt)
				}
			}
			if len(out) != len(recs) {
				b.Fatalf("%d records", len(out))
			}
		})
	}
}
