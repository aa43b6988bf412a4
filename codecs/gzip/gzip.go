// Package gzip is the gzip compression codec (Kafka codec id 1) for
// kafka3-go, built on github.com/klauspost/compress/gzip. Importing it
// registers a default codec in core:
//
//	import _ "github.com/kafka3/kafka3-go/codecs/gzip"
//
// New builds a codec with other options to pass directly in a config.
package gzip

import (
	"bytes"
	"errors"
	"fmt"
	"sync"

	"github.com/klauspost/compress/gzip"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/record"
)

func init() { core.RegisterCodec(defaultCodec) }

var defaultCodec = must(New())

func must(c *Codec, err error) *Codec {
	if err != nil {
		panic(err)
	}
	return c
}

// Default returns the codec registered in core (default options).
func Default() *Codec { return defaultCodec }

// Codec compresses with gzip. It is safe for concurrent use: it pools its
// writers and readers. It retains neither src nor dst.
type Codec struct {
	level   int
	writers sync.Pool // *writer
}

// Option configures a Codec.
type Option func(*Codec) error

// WithLevel sets the compression level: gzip.DefaultCompression (-1, the
// default, which is level 6 as in the Java client's compression.gzip.level
// default), gzip.HuffmanOnly (-2), or 1 (fastest) .. 9 (smallest).
func WithLevel(level int) Option {
	return func(c *Codec) error {
		if level < gzip.HuffmanOnly || level > gzip.BestCompression {
			return fmt.Errorf("gzip: invalid compression level %d, want -2..9", level)
		}
		c.level = level
		return nil
	}
}

// New returns a gzip codec with the given options.
func New(opts ...Option) (*Codec, error) {
	c := &Codec{level: gzip.DefaultCompression}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// ID returns 1, gzip's id in Kafka batch attributes.
func (*Codec) ID() int8 { return record.CodecGzip }

// Name returns "gzip".
func (*Codec) Name() string { return "gzip" }

// Level returns the compression level.
func (c *Codec) Level() int { return c.level }

type writer struct {
	zw  *gzip.Writer
	out appendWriter
}

// appendWriter is an io.Writer appending to a slice.
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// AppendCompress appends a gzip member holding src to dst.
func (c *Codec) AppendCompress(dst, src []byte) ([]byte, error) {
	w, _ := c.writers.Get().(*writer)
	if w == nil {
		w = &writer{}
		zw, err := gzip.NewWriterLevel(&w.out, c.level)
		if err != nil {
			return dst, err
		}
		w.zw = zw
	}
	w.out.b = dst
	w.zw.Reset(&w.out)
	_, err := w.zw.Write(src)
	if err == nil {
		err = w.zw.Close()
	}
	out := w.out.b
	w.out.b = nil
	c.writers.Put(w)
	if err != nil {
		return dst, err
	}
	return out, nil
}

type reader struct {
	zr  *gzip.Reader
	in  bytes.Reader
	out limitWriter
}

// limitWriter appends to a slice up to a limit; the gzip reader's WriteTo
// writes into it straight from its window, saving a copy over Read.
type limitWriter struct {
	b            []byte
	start, limit int
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if len(w.b)-w.start+len(p) > w.limit {
		return 0, record.LimitError("gzip", w.limit)
	}
	w.b = append(w.b, p...)
	return len(p), nil
}

var readers sync.Pool // *reader; readers do not depend on options

// AppendDecompress appends the decompressed gzip data in src (one or more
// members) to dst, failing once the output exceeds limit bytes.
func (c *Codec) AppendDecompress(dst, src []byte, limit int) ([]byte, error) {
	r, _ := readers.Get().(*reader)
	if r == nil {
		r = &reader{zr: new(gzip.Reader)}
	}
	defer readers.Put(r)
	r.in.Reset(src)
	if err := r.zr.Reset(&r.in); err != nil {
		return dst, fmt.Errorf("gzip: %w", err)
	}
	r.out = limitWriter{b: dst, start: len(dst), limit: limit}
	_, err := r.zr.WriteTo(&r.out)
	out := r.out.b
	r.out.b = nil
	r.in.Reset(nil)
	if err != nil {
		if errors.Is(err, record.ErrDecompressLimit) {
			return dst, err
		}
		return dst, fmt.Errorf("gzip: %w", err)
	}
	return out, nil
}
