package zstd

import (
	"bytes"
	"errors"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/kafka3/kafka3-go/codecs/internal/codectest"
	"github.com/kafka3/kafka3-go/core/record"
)

// TestFramesWithoutContentSize decodes what a streaming encoder (like the
// Java client's zstd-jni stream) writes: frames without a content size,
// concatenated, which exercises the growing output room.
func TestFramesWithoutContentSize(t *testing.T) {
	t.Parallel()
	in := codectest.Payload(2 << 20)
	var buf bytes.Buffer
	for range 2 {
		w, err := zstd.NewWriter(&buf, zstd.WithEncoderConcurrency(1))
		if err != nil {
			t.Fatal(err)
		}
		w.Write(in)
		w.Close()
	}
	var h zstd.Header
	if err := h.Decode(buf.Bytes()); err != nil || h.HasFCS {
		t.Fatalf("test frame has a content size (%v)", err)
	}
	want := append(bytes.Clone(in), in...)
	out, err := Default().AppendDecompress(nil, buf.Bytes(), len(want))
	if err != nil || !bytes.Equal(out, want) {
		t.Fatalf("streamed frames: %v", err)
	}
	if _, err := Default().AppendDecompress(nil, buf.Bytes(), len(want)-1); !errors.Is(err, record.ErrDecompressLimit) {
		t.Fatalf("limit: %v", err)
	}
}

func TestMaxWindow(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w, _ := zstd.NewWriter(&buf, zstd.WithWindowSize(8<<20), zstd.WithEncoderConcurrency(1))
	w.Write(codectest.Payload(10 << 20))
	w.Close()
	small, err := New(WithMaxWindow(1 << 20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := small.AppendDecompress(nil, buf.Bytes(), 20<<20); err == nil {
		t.Fatal("an 8 MiB window passed a 1 MiB maximum")
	}
	if out, err := Default().AppendDecompress(nil, buf.Bytes(), 20<<20); err != nil || len(out) != 10<<20 {
		t.Fatalf("default max window: %v", err)
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	for _, o := range []Option{WithLevel(0), WithLevel(23), WithWindow(3000), WithWindow(16 << 20), WithMaxWindow(10)} {
		if _, err := New(o); err == nil {
			t.Error("invalid option accepted")
		}
	}
	for _, l := range []int{1, 3, 9, 19} {
		c, err := New(WithLevel(l), WithWindow(1<<20))
		if err != nil {
			t.Fatal(err)
		}
		in := codectest.Payload(3 << 20)
		z, _ := c.AppendCompress(nil, in)
		if out, err := c.AppendDecompress(nil, z, len(in)); err != nil || !bytes.Equal(out, in) {
			t.Fatalf("level %d: %v", l, err)
		}
	}
}
