package snappy

import (
	"bytes"
	"testing"

	"github.com/golang/snappy"

	"github.com/kafka3/kafka3-go/codecs/internal/codectest"
)

// TestXerialLayout checks our output byte for byte against the xerial
// framing: header, then per 32 KiB of input a big-endian length and a raw
// snappy block.
func TestXerialLayout(t *testing.T) {
	t.Parallel()
	in := codectest.Payload(70 << 10)
	want := []byte("\x82SNAPPY\x00\x00\x00\x00\x01\x00\x00\x00\x01")
	for rest := in; len(rest) > 0; {
		chunk := rest[:min(len(rest), 32<<10)]
		rest = rest[len(chunk):]
		blk := snappy.Encode(nil, chunk)
		want = append(want, byte(len(blk)>>24), byte(len(blk)>>16), byte(len(blk)>>8), byte(len(blk)))
		want = append(want, blk...)
	}
	got, _ := Default().AppendCompress(nil, in)
	if !bytes.Equal(got, want) {
		t.Fatalf("xerial output differs from the layout")
	}
}

func TestReadsRawSnappy(t *testing.T) {
	t.Parallel()
	in := codectest.Payload(100 << 10)
	out, err := Default().AppendDecompress(nil, snappy.Encode(nil, in), len(in))
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("raw snappy: %v", err)
	}
	raw, _ := New(WithRaw())
	z, _ := raw.AppendCompress(nil, in)
	if back, err := snappy.Decode(nil, z); err != nil || !bytes.Equal(back, in) {
		t.Fatalf("WithRaw output is not raw snappy: %v", err)
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	if _, err := New(WithBlockSize(10)); err == nil {
		t.Fatal("block size 10 accepted")
	}
	c, _ := New(WithBlockSize(4096))
	codectest.RoundTrip(t, c)
}
