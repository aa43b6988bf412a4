// Package snappy is the Snappy compression codec (Kafka codec id 2) for
// kafka3-go, built on github.com/golang/snappy. Importing it registers a
// default codec in core:
//
//	import _ "github.com/kafka3/kafka3-go/codecs/snappy"
//
// The codec writes what the Java client writes: the xerial snappy-java
// framing (the header "\x82SNAPPY\x00", two big-endian int32 versions, then
// blocks of an int32 length and a raw snappy block of at most 32 KiB of
// input). It reads both that framing and unframed raw snappy, which some
// clients (sarama, older librdkafka) write.
package snappy

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/golang/snappy"

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

// Codec compresses with Snappy in the xerial framing. It is safe for
// concurrent use and keeps no state between calls; it retains neither src
// nor dst.
type Codec struct {
	blockSize int
	raw       bool
}

// Option configures a Codec.
type Option func(*Codec) error

// WithBlockSize sets the input size of each xerial block; the default is
// 32 KiB, snappy-java's default, which every Kafka client reads.
func WithBlockSize(n int) Option {
	return func(c *Codec) error {
		if n < 1024 || n > 1<<30 {
			return fmt.Errorf("snappy: invalid block size %d, want 1 KiB..1 GiB", n)
		}
		c.blockSize = n
		return nil
	}
}

// WithRaw makes the codec write unframed raw snappy (one block) instead of
// the xerial framing, as sarama does. Leave it off unless you know every
// consumer reads raw snappy; the xerial framing is what the Java client
// writes.
func WithRaw() Option {
	return func(c *Codec) error { c.raw = true; return nil }
}

// New returns a snappy codec with the given options.
func New(opts ...Option) (*Codec, error) {
	c := &Codec{blockSize: 32 << 10}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// ID returns 2, snappy's id in Kafka batch attributes.
func (*Codec) ID() int8 { return record.CodecSnappy }

// Name returns "snappy".
func (*Codec) Name() string { return "snappy" }

// xerialHeader is snappy-java's stream header: magic, version 1, compatible
// version 1.
var xerialHeader = []byte{0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1}

const xerialMagicLen = 8

// AppendCompress appends src compressed in the xerial framing (or raw
// snappy with WithRaw) to dst.
func (c *Codec) AppendCompress(dst, src []byte) ([]byte, error) {
	if c.raw {
		return appendBlock(dst, src), nil
	}
	dst = append(dst, xerialHeader...)
	for len(src) > 0 {
		chunk := src[:min(len(src), c.blockSize)]
		src = src[len(chunk):]
		pos := len(dst)
		dst = appendBlock(append(dst, 0, 0, 0, 0), chunk)
		binary.BigEndian.PutUint32(dst[pos:], uint32(len(dst)-pos-4))
	}
	return dst, nil
}

// appendBlock appends one raw snappy block, encoding in place.
func appendBlock(dst, src []byte) []byte {
	n := snappy.MaxEncodedLen(len(src))
	pos := len(dst)
	if cap(dst)-pos < n {
		dst = append(dst[:cap(dst)], make([]byte, pos+n-cap(dst))...)
	}
	enc := snappy.Encode(dst[pos:pos+n], src)
	return dst[:pos+len(enc)]
}

var errCorrupt = errors.New("snappy: corrupt input")

// AppendDecompress appends the decompressed src, xerial-framed or raw, to
// dst. Block lengths are checked against limit before decoding, so it never
// allocates more than limit bytes of output.
func (c *Codec) AppendDecompress(dst, src []byte, limit int) ([]byte, error) {
	if !bytes.HasPrefix(src, xerialHeader[:xerialMagicLen]) {
		return decodeBlock(dst, src, limit)
	}
	if len(src) < len(xerialHeader) {
		return dst, fmt.Errorf("%w: truncated xerial header", errCorrupt)
	}
	start := len(dst)
	for src = src[len(xerialHeader):]; len(src) > 0; {
		if len(src) < 4 {
			return dst[:start], fmt.Errorf("%w: truncated xerial block length", errCorrupt)
		}
		n := binary.BigEndian.Uint32(src)
		if uint64(n) > uint64(len(src)-4) {
			return dst[:start], fmt.Errorf("%w: xerial block of %d bytes with %d left", errCorrupt, n, len(src)-4)
		}
		var err error
		if dst, err = decodeBlock(dst, src[4:4+n], limit-(len(dst)-start)); err != nil {
			return dst[:start], err
		}
		src = src[4+n:]
	}
	return dst, nil
}

func decodeBlock(dst, block []byte, limit int) ([]byte, error) {
	n, err := snappy.DecodedLen(block)
	if err != nil {
		return dst, fmt.Errorf("snappy: %w", err)
	}
	if n > limit {
		return dst, record.LimitError("snappy", limit)
	}
	pos := len(dst)
	if cap(dst)-pos < n {
		dst = append(dst[:cap(dst)], make([]byte, pos+n-cap(dst))...)
	}
	out, err := snappy.Decode(dst[pos:pos+n], block)
	if err != nil {
		return dst[:pos], fmt.Errorf("snappy: %w", err)
	}
	return dst[:pos+len(out)], nil
}
