package gzip

import (
	"bytes"
	stdgzip "compress/gzip"
	"io"
	"testing"

	"github.com/kafka3/kafka3-go/codecs/internal/codectest"
)

// TestStdlibInterop checks our output against the standard library's gzip,
// both ways, including a multi-member stream.
func TestStdlibInterop(t *testing.T) {
	t.Parallel()
	in := codectest.Payload(300 << 10)
	z, _ := Default().AppendCompress(nil, in)
	r, err := stdgzip.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	if out, err := io.ReadAll(r); err != nil || !bytes.Equal(out, in) {
		t.Fatalf("stdlib reading ours: %v", err)
	}
	var buf bytes.Buffer
	for range 2 {
		w := stdgzip.NewWriter(&buf)
		w.Write(in)
		w.Close()
	}
	out, err := Default().AppendDecompress(nil, buf.Bytes(), 2*len(in))
	if err != nil || !bytes.Equal(out, append(bytes.Clone(in), in...)) {
		t.Fatalf("reading two stdlib members: %v", err)
	}
}

func TestLevels(t *testing.T) {
	t.Parallel()
	for _, l := range []int{-3, 10} {
		if _, err := New(WithLevel(l)); err == nil {
			t.Errorf("level %d accepted", l)
		}
	}
	for _, l := range []int{-2, 1, 9} {
		c, err := New(WithLevel(l))
		if err != nil {
			t.Fatal(err)
		}
		in := codectest.Payload(50 << 10)
		z, _ := c.AppendCompress(nil, in)
		if out, err := c.AppendDecompress(nil, z, len(in)); err != nil || !bytes.Equal(out, in) {
			t.Fatalf("level %d: %v", l, err)
		}
	}
}
