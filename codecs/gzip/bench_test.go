package gzip

import (
	"bytes"
	"io"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/kafka3/kafka3-go/codecs/internal/codectest"
)

func BenchmarkDirect(b *testing.B) {
	for _, s := range codectest.BenchSizes {
		in := codectest.Payload(s.N)
		z, _ := Default().AppendCompress(nil, in)
		b.Run("compress/"+s.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			var buf bytes.Buffer
			w := gzip.NewWriter(&buf)
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
			r := new(gzip.Reader)
			for b.Loop() {
				buf.Reset()
				br.Reset(z)
				r.Reset(&br)
				io.Copy(&buf, r)
			}
		})
	}
}
