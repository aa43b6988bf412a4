package lz4

import (
	"testing"

	"github.com/kafka3/kafka3-go/codecs/internal/codectest"
)

var benchSizes = []struct {
	name string
	n    int
}{{"16KiB", 16 << 10}, {"1MiB", 1 << 20}}

// BenchmarkPlugin measures the plugin; BenchmarkDirect (in bench_test.go)
// calls the library directly with the same buffer reuse, so the difference
// is the plugin's overhead.
func BenchmarkPlugin(b *testing.B) {
	c := Default()
	for _, s := range benchSizes {
		in := codectest.Payload(s.n)
		z, _ := c.AppendCompress(nil, in)
		b.Run("compress/"+s.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			var dst []byte
			for b.Loop() {
				dst, _ = c.AppendCompress(dst[:0], in)
			}
		})
		b.Run("decompress/"+s.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			var dst []byte
			for b.Loop() {
				dst, _ = c.AppendDecompress(dst[:0], z, len(in))
			}
		})
	}
}
