package snappy

import (
	"testing"

	"github.com/golang/snappy"

	"github.com/kafka3/kafka3-go/codecs/internal/codectest"
)

// BenchmarkDirect encodes and decodes the same 32 KiB blocks with the
// library's Encode and Decode into reused buffers, without the xerial
// framing.
func BenchmarkDirect(b *testing.B) {
	for _, s := range codectest.BenchSizes {
		in := codectest.Payload(s.N)
		var blocks [][]byte
		for rest := in; len(rest) > 0; rest = rest[min(len(rest), 32<<10):] {
			blocks = append(blocks, snappy.Encode(nil, rest[:min(len(rest), 32<<10)]))
		}
		b.Run("compress/"+s.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			dst := make([]byte, snappy.MaxEncodedLen(32<<10))
			for b.Loop() {
				for rest := in; len(rest) > 0; rest = rest[min(len(rest), 32<<10):] {
					snappy.Encode(dst, rest[:min(len(rest), 32<<10)])
				}
			}
		})
		b.Run("decompress/"+s.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			dst := make([]byte, len(in))
			for b.Loop() {
				pos := 0
				for _, blk := range blocks {
					out, _ := snappy.Decode(dst[pos:], blk)
					pos += len(out)
				}
			}
		})
	}
}
