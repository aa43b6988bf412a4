// Package lz4 is the LZ4 compression codec (Kafka codec id 3) for
// kafka3-go, built on the block functions of github.com/pierrec/lz4/v4.
// Importing it registers a default codec in core:
//
//	import _ "github.com/kafka3/kafka3-go/codecs/lz4"
//
// Kafka frames LZ4 data with the standard LZ4 frame format. The codec
// writes frames as the Java client does (independent 64 KiB blocks, no
// block or content checksum) and reads any frame the format allows except
// ones needing a dictionary, including concatenated and skippable frames.
// Magic v0 message sets (Kafka 0.8 and 0.9) use a header checksum computed
// over the magic number too (KAFKA-3160): AppendCompressV0 writes it and
// AppendDecompressV0 ignores the header checksum, as the Java client does.
package lz4

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/pierrec/lz4/v4"

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

// Codec compresses with LZ4 in Kafka's framing. It is safe for concurrent
// use: it pools its block compressors. It retains neither src nor dst.
type Codec struct {
	level       int
	compressors sync.Pool // blockCompressor
}

type blockCompressor interface {
	CompressBlock(src, dst []byte) (int, error)
}

// Option configures a Codec.
type Option func(*Codec) error

// WithLevel sets the compression level: 0 (the default) is LZ4's fast
// compressor, 1..9 its high-compression compressor at that level (slower,
// smaller). Kafka's compression.lz4.level is 9 by default but the Java
// client's level-9 output is not faster to decompress; 0 favours producer
// throughput.
func WithLevel(level int) Option {
	return func(c *Codec) error {
		if level < 0 || level > 9 {
			return fmt.Errorf("lz4: invalid compression level %d, want 0..9", level)
		}
		c.level = level
		return nil
	}
}

// New returns an lz4 codec with the given options.
func New(opts ...Option) (*Codec, error) {
	c := &Codec{}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// ID returns 3, lz4's id in Kafka batch attributes.
func (*Codec) ID() int8 { return record.CodecLZ4 }

// Name returns "lz4".
func (*Codec) Name() string { return "lz4" }

// Level returns the compression level (0 fast, 1..9 high compression).
func (c *Codec) Level() int { return c.level }

const (
	frameMagic      = 0x184D2204
	skippableMagic  = 0x184D2A50 // low 4 bits are free
	blockSize       = 64 << 10   // what the Java client writes
	flgVersion      = 0x40
	flgIndependent  = 0x20
	flgBlockSum     = 0x10
	flgContentSize  = 0x08
	flgContentSum   = 0x04
	flgDictID       = 0x01
	bd64KB          = 4 << 4
	uncompressedBit = 0x80000000
)

func (c *Codec) compressor() blockCompressor {
	if bc, ok := c.compressors.Get().(blockCompressor); ok {
		return bc
	}
	if c.level == 0 {
		return new(lz4.Compressor)
	}
	return &lz4.CompressorHC{Level: lz4.CompressionLevel(1 << (8 + c.level))}
}

// AppendCompress appends an LZ4 frame holding src to dst.
func (c *Codec) AppendCompress(dst, src []byte) ([]byte, error) {
	return c.appendFrame(dst, src, false)
}

// AppendCompressV0 appends an LZ4 frame holding src to dst with the header
// checksum of Kafka 0.8/0.9, for magic v0 message sets.
func (c *Codec) AppendCompressV0(dst, src []byte) ([]byte, error) {
	return c.appendFrame(dst, src, true)
}

func (c *Codec) appendFrame(dst, src []byte, brokenHC bool) ([]byte, error) {
	start := len(dst)
	dst = binary.LittleEndian.AppendUint32(dst, frameMagic)
	dst = append(dst, flgVersion|flgIndependent, bd64KB)
	hashFrom := start + 4
	if brokenHC {
		hashFrom = start
	}
	dst = append(dst, byte(xxh32(dst[hashFrom:])>>8))
	bc := c.compressor()
	defer c.compressors.Put(bc)
	for len(src) > 0 {
		chunk := src[:min(len(src), blockSize)]
		src = src[len(chunk):]
		bound := lz4.CompressBlockBound(len(chunk))
		pos := len(dst)
		dst = grow(dst, 4+bound)[:pos+4+bound]
		n, err := bc.CompressBlock(chunk, dst[pos+4:])
		if err != nil {
			return dst[:start], fmt.Errorf("lz4: %w", err)
		}
		if n == 0 || n >= len(chunk) { // incompressible: store as is
			binary.LittleEndian.PutUint32(dst[pos:], uint32(len(chunk))|uncompressedBit)
			dst = append(dst[:pos+4], chunk...)
			continue
		}
		binary.LittleEndian.PutUint32(dst[pos:], uint32(n))
		dst = dst[:pos+4+n]
	}
	return binary.LittleEndian.AppendUint32(dst, 0), nil // end mark
}

// grow makes room for n more bytes.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b
	}
	return append(b[:cap(b)], make([]byte, len(b)+n-cap(b))...)[:len(b)]
}

var errCorrupt = errors.New("lz4: corrupt frame")

func corrupt(what string) error { return fmt.Errorf("%w: %s", errCorrupt, what) }

// AppendDecompress appends the content of the LZ4 frames in src to dst,
// checking the frame header checksum and, when present, the content
// checksum (block checksums are skipped: the batch CRC covers the bytes).
// It fails once the output exceeds limit bytes; it may allocate up to one
// block (at most 4 MiB) past the limit before it notices.
func (c *Codec) AppendDecompress(dst, src []byte, limit int) ([]byte, error) {
	return decompress(dst, src, limit, false)
}

// AppendDecompressV0 is AppendDecompress for magic v0 message sets: it
// ignores the frame header checksum, which Kafka 0.8/0.9 computed wrongly.
func (c *Codec) AppendDecompressV0(dst, src []byte, limit int) ([]byte, error) {
	return decompress(dst, src, limit, true)
}

func decompress(dst, src []byte, limit int, ignoreHC bool) ([]byte, error) {
	start := len(dst)
	if len(src) == 0 {
		return dst, corrupt("empty input")
	}
	for len(src) > 0 {
		var err error
		if dst, src, err = decodeFrame(dst, src, start, limit, ignoreHC); err != nil {
			return dst[:start], err
		}
	}
	return dst, nil
}

// decodeFrame decodes one frame from src, appending to dst, and returns the
// rest of src.
func decodeFrame(dst, src []byte, start, limit int, ignoreHC bool) ([]byte, []byte, error) {
	le := binary.LittleEndian
	if len(src) < 7 {
		return dst, nil, corrupt("truncated frame header")
	}
	magic := le.Uint32(src)
	if magic&0xFFFFFFF0 == skippableMagic {
		if len(src) < 8 || uint64(le.Uint32(src[4:])) > uint64(len(src)-8) {
			return dst, nil, corrupt("truncated skippable frame")
		}
		return dst, src[8+le.Uint32(src[4:]):], nil
	}
	if magic != frameMagic {
		return dst, nil, corrupt("bad magic number")
	}
	flg, bd := src[4], src[5]
	if flg>>6 != 1 || flg&0x02 != 0 || bd&0x8F != 0 {
		return dst, nil, corrupt("unsupported frame version or reserved bits set")
	}
	if flg&flgDictID != 0 {
		return dst, nil, errors.New("lz4: frames needing a dictionary are not supported")
	}
	maxBlock := 1 << (8 + 2*int(bd>>4))
	if bd>>4 < 4 {
		return dst, nil, corrupt("invalid block maximum size")
	}
	hdr := 6
	if flg&flgContentSize != 0 {
		hdr += 8
	}
	if len(src) < hdr+1 {
		return dst, nil, corrupt("truncated frame header")
	}
	if !ignoreHC && src[hdr] != byte(xxh32(src[4:hdr])>>8) {
		return dst, nil, corrupt("frame header checksum mismatch")
	}
	src = src[hdr+1:]
	frameStart := len(dst)
	for {
		if len(src) < 4 {
			return dst, nil, corrupt("truncated block")
		}
		size := le.Uint32(src)
		src = src[4:]
		if size == 0 {
			break
		}
		raw := size&uncompressedBit != 0
		n := int(size &^ uncompressedBit)
		if n > maxBlock || n > len(src) {
			return dst, nil, corrupt("block size out of bounds")
		}
		block := src[:n]
		src = src[n:]
		if flg&flgBlockSum != 0 {
			if len(src) < 4 {
				return dst, nil, corrupt("truncated block checksum")
			}
			src = src[4:]
		}
		if raw {
			dst = append(dst, block...)
		} else {
			var err error
			if dst, err = decodeBlock(dst, block, maxBlock, frameStart, flg&flgIndependent == 0); err != nil {
				return dst, nil, err
			}
		}
		if len(dst)-start > limit {
			return dst, nil, record.LimitError("lz4", limit)
		}
	}
	if flg&flgContentSum != 0 {
		if len(src) < 4 {
			return dst, nil, corrupt("truncated content checksum")
		}
		if le.Uint32(src) != xxh32(dst[frameStart:]) {
			return dst, nil, corrupt("content checksum mismatch")
		}
		src = src[4:]
	}
	return dst, src, nil
}

// decodeBlock decompresses one block at the end of dst. Linked blocks may
// refer to the previous 64 KiB of the frame's output.
//
// A frame declares only a maximum block size (4 MiB in the frames of
// pierrec/lz4's Writer, which franz-go and sarama use), far more than a
// Kafka batch's block usually holds, so the block is decoded into the free
// capacity of dst or a room guessed from its compressed size; a block that
// does not fit (which near the end of the free capacity is expected) is
// decoded again into a pooled scratch buffer of the full
// block size and copied. So dst grows by what the blocks hold, not by
// maxBlock per batch, which kept megabytes of slack behind every batch.
func decodeBlock(dst, block []byte, maxBlock, frameStart int, linked bool) ([]byte, error) {
	pos := len(dst)
	room := min(maxBlock, cap(dst)-pos)
	if room < 2*len(block) {
		room = min(maxBlock, max(guessRatio*len(block), 64<<10))
		dst = grow(dst, room)
	}
	n, err := uncompressBlock(block, dst[pos:pos+room], dst, pos, frameStart, linked)
	if err != nil && room < maxBlock {
		sp := scratch.Get().(*[]byte)
		if cap(*sp) < maxBlock {
			*sp = make([]byte, maxBlock)
		}
		s := (*sp)[:maxBlock]
		if n, err = uncompressBlock(block, s, dst, pos, frameStart, linked); err == nil {
			dst = append(dst[:pos], s[:n]...)
		}
		scratch.Put(sp)
		if err != nil {
			return dst[:pos], corrupt(err.Error())
		}
		return dst, nil
	}
	if err != nil {
		return dst[:pos], corrupt(err.Error())
	}
	return dst[:pos+n], nil
}

// guessRatio is the compression ratio decodeBlock makes room for when dst
// has little free capacity.
const guessRatio = 8

// scratch holds *[]byte buffers for blocks larger than guessed.
var scratch = sync.Pool{New: func() any { return new([]byte) }}

// uncompressBlock decodes block into out; a linked block's dictionary is
// the frame's output so far, prev[frameStart:pos].
func uncompressBlock(block, out, prev []byte, pos, frameStart int, linked bool) (int, error) {
	if linked && pos > frameStart {
		return lz4.UncompressBlockWithDict(block, out, prev[max(frameStart, pos-64<<10):pos])
	}
	return lz4.UncompressBlock(block, out)
}
