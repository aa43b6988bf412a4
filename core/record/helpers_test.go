package record

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"sync"
)

// flateCodec is a stdlib-only stand-in codec for tests of this package (the
// real codecs live in codecs/ and import core). It claims the gzip id.
type flateCodec struct{ calls int }

func (*flateCodec) ID() int8     { return CodecGzip }
func (*flateCodec) Name() string { return "gzip" }

var flateWriters = sync.Pool{New: func() any { w, _ := flate.NewWriter(nil, flate.BestSpeed); return w }}

func (*flateCodec) AppendCompress(dst, src []byte) ([]byte, error) {
	buf := bytes.NewBuffer(dst)
	w := flateWriters.Get().(*flate.Writer)
	defer flateWriters.Put(w)
	w.Reset(buf)
	if _, err := w.Write(src); err != nil {
		return dst, err
	}
	if err := w.Close(); err != nil {
		return dst, err
	}
	return buf.Bytes(), nil
}

func (*flateCodec) AppendDecompress(dst, src []byte, limit int) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(src))
	buf := bytes.NewBuffer(dst)
	n, err := io.Copy(buf, io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return dst, err
	}
	if n > int64(limit) {
		return dst, LimitError("gzip", limit)
	}
	return buf.Bytes(), nil
}

// v0Codec wraps flateCodec and marks v0 framing with a leading byte, to
// check that legacy magic 0 uses V0Codec.
type v0Codec struct{ flateCodec }

func (c *v0Codec) AppendCompressV0(dst, src []byte) ([]byte, error) {
	return c.AppendCompress(append(dst, 'V'), src)
}

func (c *v0Codec) AppendDecompressV0(dst, src []byte, limit int) ([]byte, error) {
	if len(src) == 0 || src[0] != 'V' {
		return dst, fmt.Errorf("missing v0 mark")
	}
	return c.AppendDecompress(dst, src[1:], limit)
}

func lookup(c Codec) func(int8) Codec {
	return func(id int8) Codec {
		if c != nil && id == c.ID() {
			return c
		}
		return nil
	}
}

// crc32cBitwise is an independent CRC32C (Castagnoli, reflected polynomial
// 0x82F63B78), one bit at a time, to check the table-driven one.
func crc32cBitwise(b []byte) uint32 {
	crc := ^uint32(0)
	for _, c := range b {
		crc ^= uint32(c)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0x82F63B78
			} else {
				crc >>= 1
			}
		}
	}
	return ^crc
}
