package core

import (
	"slices"

	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/record"
)

// The consumer's recycling: chunks (with their record slices), decoders,
// whose decompression buffers go back to the response buffers' pool
// (wire.Buffers) once the last chunk aliasing them is released, and the
// references that keep a fetch response's body alive while chunks alias it.

// maxFreeChunks bounds the consumer's free list of decoders and each of its
// free lists of chunks, which outlive garbage collections unlike a
// sync.Pool.
const maxFreeChunks = 64

// maxFreeChunksPerClass bounds each free list of chunks. Chunks are kept by
// size class (the i-th chunk of a partition's response holds up to
// firstChunkRecords << i records), so that small chunks do not end up
// holding the record slices of large ones: in all, the lists keep at most
// about 17 MiB of record slices (32 × 553 KiB over the four classes), the
// slices of two 6-partition fetch responses of 100-byte records, which a
// fast consumer cycles through.
const maxFreeChunksPerClass = 32

// newChunk returns an empty chunk of size class class for w's partition,
// decoded by dc, with room for n records, taking a reference to dc.
func (c *Consumer) newChunk(dc *decoding, w *fetchPart, next OffsetEpoch, class, n int) *chunk {
	var ch *chunk
	c.freeMu.Lock()
	if k := len(c.free[class]); k > 0 {
		ch = c.free[class][k-1]
		c.free[class] = c.free[class][:k-1]
	}
	c.freeMu.Unlock()
	if ch == nil {
		ch = &chunk{class: class}
	}
	dc.refs.Add(1)
	ch.ps, ch.gen, ch.dec, ch.next = w.ps, w.gen, dc, next
	ch.recs = slices.Grow(ch.recs, n)
	return ch
}

// putChunk recycles ch and drops its reference to its decoder.
func (c *Consumer) putChunk(ch *chunk) {
	dc := ch.dec
	clear(ch.recs)
	*ch = chunk{recs: ch.recs[:0], class: ch.class}
	c.freeMu.Lock()
	if len(c.free[ch.class]) < maxFreeChunksPerClass {
		c.free[ch.class] = append(c.free[ch.class], ch)
	}
	c.freeMu.Unlock()
	if dc != nil {
		c.releaseDecoding(dc)
	}
}

// getDecoding returns a recycled decoder, or a new one, holding one
// reference for the caller.
func (c *Consumer) getDecoding() *decoding {
	var dc *decoding
	c.freeMu.Lock()
	if n := len(c.freeDec); n > 0 {
		dc = c.freeDec[n-1]
		c.freeDec = c.freeDec[:n-1]
	}
	c.freeMu.Unlock()
	if dc == nil {
		dc = &decoding{aborted: map[int64]struct{}{}}
		dc.dec = record.Decoder{Codecs: c.codec, SkipCRC: c.cfg.SkipCRC, MaxDecompressedBytes: c.cfg.MaxDecompressedBytes,
			Buffers: wire.Buffers{}}
	}
	dc.refs.Store(1)
	return dc
}

// releaseDecoding drops a reference to dc and recycles it with the last:
// its decompression buffers go back to the pool, where the next decoder of
// any partition finds them.
func (c *Consumer) releaseDecoding(dc *decoding) {
	if dc.refs.Add(-1) > 0 {
		return
	}
	clear(dc.ctl)
	dc.ctl = dc.ctl[:0]
	clear(dc.aborted)
	dc.dec.Reset("", 0, nil) // gives the buffers back
	c.freeMu.Lock()
	defer c.freeMu.Unlock()
	if len(c.freeDec) < maxFreeChunks {
		c.freeDec = append(c.freeDec, dc)
	}
}

// releaseBufferLocked drops a reference to b and recycles the response
// with the last; c.mu is held.
func (c *Consumer) releaseBufferLocked(b *fetchBuffer) {
	if b.refs--; b.refs == 0 {
		c.buffered -= b.size
		b.raw.Release()
		c.kick() // room to fetch again
	}
}
