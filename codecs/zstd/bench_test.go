package zstd

import (
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/kafka3/kafka3-go/codecs/internal/codectest"
)

// BenchmarkDirect calls EncodeAll and DecodeAll on the library's Encoder and
// Decoder with reused buffers.
func BenchmarkDirect(b *testing.B) {
	enc, _ := zstd.NewWriter(nil)
	dec, _ := zstd.NewReader(nil)
	for _, s := range codectest.BenchSizes {
		in := codectest.Payload(s.N)
		z := enc.EncodeAll(in, nil)
		b.Run("compress/"+s.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			var dst []byte
			for b.Loop() {
				dst = enc.EncodeAll(in, dst[:0])
			}
		})
		b.Run("decompress/"+s.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			var dst []byte
			for b.Loop() {
				dst, _ = dec.DecodeAll(z, dst[:0])
			}
		})
	}
}
