package codecs

import (
	"encoding/binary"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/record"
)

func benchRecords(valueSize, batchSize int) []record.Record {
	n := max(1, batchSize/(valueSize+30))
	recs := make([]record.Record, n)
	ts := time.UnixMilli(1700000000000)
	for i := range recs {
		v := fmt.Appendf(nil, `{"id":%d,"user":"u%d","status":"shipped","amount":%d,"pad":"`, i, i%97, i*31)
		for len(v) < valueSize-2 {
			v = append(v, "abcdefghij"[len(v)%10])
		}
		recs[i] = record.Record{Timestamp: ts, Key: fmt.Appendf(nil, "key-%08d", i), Value: append(v, '"', '}')}
	}
	return recs
}

var sizes = []struct {
	name             string
	value, batchSize int
}{
	{"100B/16KiB", 100, 16 << 10},
	{"100B/1MiB", 100, 1 << 20},
	{"1KiB/16KiB", 1 << 10, 16 << 10},
	{"1KiB/1MiB", 1 << 10, 1 << 20},
}

var codecNames = []string{"none", "gzip", "snappy", "lz4", "zstd"}

// BenchmarkBatchEncode builds and compresses a batch; bytes/s counts the
// uncompressed batch.
func BenchmarkBatchEncode(b *testing.B) {
	for _, name := range codecNames {
		c, _ := core.CodecByName(name)
		for _, s := range sizes {
			recs := benchRecords(s.value, s.batchSize)
			b.Run(name+"/"+s.name, func(b *testing.B) {
				b.ReportAllocs()
				var bl record.Builder
				var out []byte
				p := record.NoProducer()
				p.Codec = c
				for b.Loop() {
					bl.Reset()
					for i := range recs {
						bl.Append(&recs[i])
					}
					out, _ = bl.AppendBatch(out[:0], &p)
				}
				b.SetBytes(int64(bl.Size()))
				b.ReportMetric(float64(bl.Size())/float64(len(out)), "ratio")
			})
		}
	}
}

// BenchmarkBatchDecode decompresses and decodes a batch into a reused
// slice; bytes/s counts the uncompressed batch.
func BenchmarkBatchDecode(b *testing.B) {
	for _, name := range codecNames {
		c, _ := core.CodecByName(name)
		for _, s := range sizes {
			recs := benchRecords(s.value, s.batchSize)
			var bl record.Builder
			for i := range recs {
				bl.Append(&recs[i])
			}
			p := record.NoProducer()
			p.Codec = c
			data, _ := bl.AppendBatch(nil, &p)
			b.Run(name+"/"+s.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(bl.Size()))
				d := record.Decoder{Codecs: core.CodecByID}
				var out []record.Record
				for b.Loop() {
					d.Reset("t", 0, data)
					out = out[:0]
					for {
						bt, err := d.Next()
						if err == io.EOF {
							break
						}
						if out, err = d.AppendRecords(out, bt); err != nil {
							b.Fatal(err)
						}
					}
				}
				if len(out) != len(recs) {
					b.Fatalf("%d records", len(out))
				}
			})
		}
	}
}

// fetchData returns about fetchBytes of batches of batchSize uncompressed
// bytes each compressed with codec name, as a broker returns them for one
// partition, and the number of records in it.
func fetchData(tb testing.TB, name string, valueSize, batchSize, fetchBytes int) ([]byte, int) {
	tb.Helper()
	c, err := core.CodecByName(name)
	if err != nil {
		tb.Fatal(err)
	}
	recs := benchRecords(valueSize, batchSize)
	p := record.NoProducer()
	p.Codec = c
	var data []byte
	n := 0
	for len(data) < fetchBytes {
		var bl record.Builder
		for i := range recs {
			bl.Append(&recs[i])
		}
		start := len(data)
		if data, err = bl.AppendBatch(data, &p); err != nil {
			tb.Fatal(err)
		}
		binary.BigEndian.PutUint64(data[start:], uint64(n)) // base offset: outside the CRC
		n += len(recs)
	}
	return data, n
}

// BenchmarkFetchDecode decodes one partition's 1 MiB share of a fetch
// response (16 KiB batches of 100 B records, as producers batch by default)
// with a reused Decoder, as the consumer does; bytes/s counts the
// compressed input. B/op shows what the decompression buffer costs.
func BenchmarkFetchDecode(b *testing.B) {
	for _, name := range codecNames {
		data, n := fetchData(b, name, 100, 16<<10, 1<<20)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			d := record.Decoder{Codecs: core.CodecByID}
			var out []record.Record
			for b.Loop() {
				out = decodeAll(b, &d, data, out[:0])
			}
			if len(out) != n {
				b.Fatalf("%d records, want %d", len(out), n)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/rec")
		})
	}
}

func decodeAll(tb testing.TB, d *record.Decoder, data []byte, out []record.Record) []record.Record {
	d.Reset("t", 0, data)
	for {
		bt, err := d.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			tb.Fatal(err)
		}
		if out, err = d.AppendRecords(out, bt); err != nil {
			tb.Fatal(err)
		}
	}
}
