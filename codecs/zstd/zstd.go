// Package zstd is the Zstandard compression codec (Kafka codec id 4, Kafka
// 2.1 and later) for kafka3-go, built on github.com/klauspost/compress/zstd.
// Importing it registers a default codec in core:
//
//	import _ "github.com/kafka3/kafka3-go/codecs/zstd"
//
// Windows: the encoder's window is at most 8 MiB (the library's default
// for the levels it offers), which the zstd format recommends every decoder
// support, so the Java client (zstd-jni) and librdkafka read the output.
// The decoder accepts windows up to 128 MiB by default (WithMaxWindow),
// libzstd's default limit, because the Java client writes frames without a
// content size whose window grows with its level (2 MiB at the default
// level 3, up to 128 MiB at level 22). A window costs no memory here: whole
// batches are decoded into the output buffer, whose growth is bounded by
// the caller's limit.
package zstd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/klauspost/compress/zstd"

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

// Codec compresses with Zstandard. It is safe for concurrent use: the
// library's Encoder and Decoder keep pools of GOMAXPROCS encoders and
// decoders used by EncodeAll and DecodeAll. It retains neither src nor dst.
type Codec struct {
	level     zstd.EncoderLevel
	window    int
	maxWindow uint64
	enc       *zstd.Encoder
	dec       *zstd.Decoder
}

// Option configures a Codec.
type Option func(*Codec) error

// WithLevel sets the compression level as a zstd level number (1..22, as in
// Kafka's compression.zstd.level; the default is 3), mapped to the nearest
// level the library implements (fastest, default, better, best).
func WithLevel(level int) Option {
	return func(c *Codec) error {
		if level < 1 || level > 22 {
			return fmt.Errorf("zstd: invalid compression level %d, want 1..22", level)
		}
		c.level = zstd.EncoderLevelFromZstd(level)
		return nil
	}
}

// WithWindow sets the encoder's maximum window, a power of two from 1 KiB to
// 8 MiB. The default is the library's default for the level (at most 8 MiB).
func WithWindow(n int) Option {
	return func(c *Codec) error {
		if n < zstd.MinWindowSize || n > 8<<20 || n&(n-1) != 0 {
			return fmt.Errorf("zstd: invalid window %d, want a power of two from 1 KiB to 8 MiB", n)
		}
		c.window = n
		return nil
	}
}

// WithMaxWindow sets the largest window the decoder accepts (default
// 128 MiB); frames declaring a larger one fail.
func WithMaxWindow(n uint64) Option {
	return func(c *Codec) error {
		if n < zstd.MinWindowSize {
			return fmt.Errorf("zstd: invalid maximum window %d", n)
		}
		c.maxWindow = n
		return nil
	}
}

// New returns a zstd codec with the given options. The library's encoder
// and decoder are created here; they hold no goroutines for EncodeAll and
// DecodeAll use.
func New(opts ...Option) (*Codec, error) {
	c := &Codec{level: zstd.SpeedDefault, maxWindow: 128 << 20}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	eopts := []zstd.EOption{zstd.WithEncoderLevel(c.level), zstd.WithEncoderConcurrency(0)}
	if c.window != 0 {
		eopts = append(eopts, zstd.WithWindowSize(c.window))
	}
	var err error
	if c.enc, err = zstd.NewWriter(nil, eopts...); err != nil {
		return nil, fmt.Errorf("zstd: %w", err)
	}
	c.dec, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecodeAllCapLimit(true),
		zstd.WithDecoderMaxWindow(c.maxWindow))
	if err != nil {
		return nil, fmt.Errorf("zstd: %w", err)
	}
	return c, nil
}

// ID returns 4, zstd's id in Kafka batch attributes.
func (*Codec) ID() int8 { return record.CodecZstd }

// Name returns "zstd".
func (*Codec) Name() string { return "zstd" }

// AppendCompress appends one zstd frame holding src (with its content size)
// to dst.
func (c *Codec) AppendCompress(dst, src []byte) ([]byte, error) {
	return c.enc.EncodeAll(src, dst), nil
}

const slack = 16

// AppendDecompress appends the decompressed zstd frames in src to dst. The
// output never grows past limit: frames that declare their size are checked
// up front and decoded into exactly that much room (taken from the free
// capacity of dst when it suffices); others are decoded into the free
// capacity of dst or an estimate, growing fourfold, within limit bytes.
func (c *Codec) AppendDecompress(dst, src []byte, limit int) ([]byte, error) {
	start := len(dst)
	limit = max(limit, 0)
	var room int
	var h zstd.Header
	noFCS := true
	if h.Decode(src) == nil && h.HasFCS {
		noFCS = false
		// A frame of known size (what Kafka clients write): the room is
		// exact. Further frames, if any, grow it below.
		if h.FrameContentSize > uint64(limit) {
			return dst, record.LimitError("zstd", limit)
		}
		room = int(h.FrameContentSize)
	} else {
		room = max(cap(dst)-start-slack, 4*len(src), 64<<10)
	}
	for {
		room = min(room, limit)
		// The library's fast copy paths need 16 bytes of slack past the
		// output (compressedBlockOverAlloc); without it they fall back to
		// exact copies, about 8% slower. The slack can let the output pass
		// the limit by 16 bytes, which is checked below. Growing goes
		// through append, so repeated calls on one buffer grow it
		// geometrically instead of by one batch at a time.
		if need := start + room + slack; cap(dst) < need {
			dst = append(dst[:cap(dst)], make([]byte, need-cap(dst))...)[:start]
		}
		out, err := c.dec.DecodeAll(src, dst[:start:start+room+slack])
		if err == nil {
			if len(out)-start > limit {
				return dst[:start], record.LimitError("zstd", limit)
			}
			if &out[:1][0] == &dst[:1][0] {
				// Give the caller back the capacity the three-index
				// slice hid, or its next call would reallocate and copy
				// the whole buffer again.
				return dst[:len(out)], nil
			}
			return out, nil
		}
		if !errors.Is(err, zstd.ErrDecoderSizeExceeded) && !(noFCS && outOfRoom(err)) {
			return dst[:start], fmt.Errorf("zstd: %w", err)
		}
		if room >= limit {
			return dst[:start], record.LimitError("zstd", limit)
		}
		room = max(4*room, 64<<10) // a frame may lie that its content size is 0
	}
}

// outOfRoom reports whether err is how the library's DecodeAll (with
// WithDecodeAllCapLimit) says that a frame without a content size ran out
// of room inside a block: "output bigger than max block size", rather than
// ErrDecoderSizeExceeded. Frames without a content size (the Java client's)
// then get a larger room, as for ErrDecoderSizeExceeded.
func outOfRoom(err error) bool {
	return strings.Contains(err.Error(), "output bigger than max block size")
}
