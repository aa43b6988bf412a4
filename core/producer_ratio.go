package core

import (
	"math"
	"sync/atomic"

	"github.com/kafka3/kafka3-go/core/record"
)

// compressionRatio is a topic's running estimate of its batches' compressed
// size over their uncompressed size, kept as the Java client keeps it
// (CompressionRatioEstimator): it starts at 1, rises at once when a batch
// compresses worse than estimated and falls by small steps when better. It
// lets BatchSize count compressed bytes, as batch.size does in Java: a
// batch collects the records estimated to compress to BatchSize. The zero
// value estimates 1; it is safe for concurrent use.
type compressionRatio struct {
	bits atomic.Uint32 // float32 bits; 0 before the first batch
}

// Java's steps: a worse batch raises the estimate by at least
// ratioWorseStep, a better one lowers it by at most ratioBetterStep.
const (
	ratioWorseStep  = 0.05
	ratioBetterStep = 0.005
	// ratioMargin pads the estimate, as Java's
	// COMPRESSION_RATE_ESTIMATION_FACTOR does.
	ratioMargin = 1.05
)

func (c *compressionRatio) get() float32 {
	if b := c.bits.Load(); b != 0 {
		return math.Float32frombits(b)
	}
	return 1
}

// reset forgets the estimate: the next batches are BatchSize uncompressed.
func (c *compressionRatio) reset() { c.bits.Store(0) }

// observe folds in one batch that compressed raw bytes to compressed.
func (c *compressionRatio) observe(compressed, raw int) {
	if raw <= 0 {
		return
	}
	seen := float32(compressed) / float32(raw)
	for {
		old := c.bits.Load()
		cur := c.get()
		next := cur
		switch {
		case seen > cur:
			next = max(cur+ratioWorseStep, seen)
		case seen < cur:
			next = max(cur-ratioBetterStep, seen)
		}
		if next == cur || c.bits.CompareAndSwap(old, math.Float32bits(next)) {
			return
		}
	}
}

// maxRawBatchFactor bounds how far compression stretches a batch: at most
// this many times BatchSize uncompressed, however well records compress,
// so that a batch whose records suddenly stop compressing stays far below
// the broker's limits.
const maxRawBatchFactor = 8

// largestBatch is the largest batchLimit of a producer with cfg and codec.
func largestBatch(cfg ProducerConfig, codec record.Codec) int {
	if codec == nil {
		return cfg.BatchSize
	}
	return max(cfg.BatchSize, min(maxRawBatchFactor*cfg.BatchSize, cfg.MaxRequestSize/2))
}

// batchLimit returns how many uncompressed bytes a new batch of q collects
// before it is full: BatchSize without compression; with it, the bytes
// estimated to compress to BatchSize, at most maxRawBatchFactor times
// BatchSize and half of MaxRequestSize (and never less than BatchSize).
func (p *Producer) batchLimit(q *partitionQueue) int {
	size := p.cfg.BatchSize
	if p.codec == nil || q.ratio == nil {
		return size
	}
	est := q.ratio.get() * ratioMargin
	if est >= 1 || size <= record.BatchHeaderSize {
		return size
	}
	limit := record.BatchHeaderSize + int(float32(size-record.BatchHeaderSize)/est)
	return min(limit, largestBatch(p.cfg, p.codec))
}

// appendedBytes is what a record of size encoded bytes adds to q's batch as
// BatchSize counts it, the estimate after compression, which the
// partitioner's OnAppend is told.
func (p *Producer) appendedBytes(q *partitionQueue, size int) int {
	if p.codec == nil || q.ratio == nil {
		return size
	}
	return int(math.Ceil(float64(float32(size) * min(q.ratio.get()*ratioMargin, 1))))
}
