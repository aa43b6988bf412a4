package lz4

import (
	"bytes"
	"io"
	"testing"

	"github.com/pierrec/lz4/v4"

	"github.com/kafka3/kafka3-go/codecs/internal/codectest"
)

// BenchmarkDirect uses pierrec's frame Writer and Reader (64 KiB blocks, no
// checksums: the framing the plugin writes).
func BenchmarkDirect(b *testing.B) {
	for _, s := range codectest.BenchSizes {
		in := codectest.Payload(s.N)
		z, _ := Default().AppendCompress(nil, in)
		b.Run("compress/"+s.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			var buf bytes.Buffer
			w := lz4.NewWriter(&buf)
			w.Apply(lz4.BlockSizeOption(lz4.Block64Kb), lz4.ChecksumOption(false), lz4.ConcurrencyOption(1))
			for b.Loop() {
				buf.Reset()
				w.Reset(&buf)
				w.Write(in)
				w.Close()
			}
		})
		b.Run("decompress/"+s.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			var buf bytes.Buffer
			var br bytes.Reader
			r := lz4.NewReader(nil)
			for b.Loop() {
				buf.Reset()
				br.Reset(z)
				r.Reset(&br)
				io.Copy(&buf, r)
			}
		})
	}
}
