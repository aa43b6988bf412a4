package core

import (
	"bytes"
	"sync"
	"testing"
	"time"
)

// The estimate starts at 1, jumps up to a worse ratio at once (by at least
// 0.05) and comes down by at most 0.005 per better batch, as Java's does.
func TestCompressionRatioSteps(t *testing.T) {
	t.Parallel()
	var c compressionRatio
	if got := c.get(); got != 1 {
		t.Fatalf("zero value estimates %v, want 1", got)
	}
	c.observe(50, 100)
	if got := c.get(); got != 0.995 {
		t.Fatalf("after a batch at 0.5: %v, want 0.995", got)
	}
	for range 200 {
		c.observe(50, 100)
	}
	if got := c.get(); got != 0.5 {
		t.Fatalf("after 200 batches at 0.5: %v, want 0.5", got)
	}
	c.observe(52, 100)
	if got := c.get(); got < 0.549 || got > 0.551 {
		t.Fatalf("after a batch at 0.52: %v, want 0.55 (up by the worse step)", got)
	}
	c.observe(90, 100)
	if got := c.get(); got != 0.9 {
		t.Fatalf("after a batch at 0.9: %v, want 0.9 (up to the batch's ratio)", got)
	}
	c.observe(10, 0)
	if got := c.get(); got != 0.9 {
		t.Fatalf("an empty batch moved the estimate to %v", got)
	}
}

func TestCompressionRatioConcurrent(t *testing.T) {
	t.Parallel()
	var c compressionRatio
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 1000 {
				c.observe(30, 100)
			}
		})
	}
	wg.Wait()
	if got := c.get(); got < 0.299 || got > 0.301 {
		t.Fatalf("after 4000 batches at 0.3: %v, want 0.3", got)
	}
}

// batchLimit stretches a batch by the estimated ratio, within its bounds.
func TestBatchLimit(t *testing.T) {
	t.Parallel()
	p := &Producer{codec: copyCodec{}}
	p.cfg.BatchSize, p.cfg.MaxRequestSize = 16384, 1<<20
	var ratio compressionRatio
	q := &partitionQueue{ratio: &ratio}
	if got := p.batchLimit(q); got != 16384 {
		t.Fatalf("before any batch: %d, want BatchSize", got)
	}
	ratio.bits.Store(0x3f000000) // 0.5
	want := 61 + 31091           // (16384 - 61) / (0.5 * 1.05)
	if got := p.batchLimit(q); got < want-2 || got > want+2 {
		t.Fatalf("at ratio 0.5: %d, want about %d", got, want)
	}
	if got := p.appendedBytes(q, 1000); got != 525 {
		t.Fatalf("a 1000-byte record at ratio 0.5 counts %d bytes, want 525", got)
	}
	ratio.bits.Store(0x3c23d70a) // 0.01
	if got := p.batchLimit(q); got != 8*16384 {
		t.Fatalf("at ratio 0.01: %d, want 8 x BatchSize", got)
	}
	p.cfg.MaxRequestSize = 100000
	if got := p.batchLimit(q); got != 50000 {
		t.Fatalf("at ratio 0.01 with MaxRequestSize 100000: %d, want 50000", got)
	}
	p.codec = nil
	if got, got2 := p.batchLimit(q), p.appendedBytes(q, 1000); got != 16384 || got2 != 1000 {
		t.Fatalf("without a codec: limit %d and a 1000-byte record counts %d; want BatchSize and 1000", got, got2)
	}
}

// halfCodec "compresses" to half: enough for the estimate to move.
type halfCodec struct{ copyCodec }

func (halfCodec) AppendCompress(dst, src []byte) ([]byte, error) {
	return append(dst, src[:len(src)/2]...), nil
}

// A batch encoded at send time (lingered, never sealed) feeds the estimate
// too, as every closed batch does in Java.
func TestEncodedBatchFeedsTheRatio(t *testing.T) {
	t.Parallel()
	p := &Producer{codec: halfCodec{}, free: newBatchFree(1024, 1024, 1<<20)}
	p.cfg.BatchSize, p.cfg.DeliveryTimeout = 1024, time.Minute
	var ratio compressionRatio
	q := &partitionQueue{topic: "t", ratio: &ratio}
	b := p.newBatch(q, time.Now(), 1024)
	for range 5 {
		b.builder.Append(&Record{Value: bytes.Repeat([]byte{'v'}, 50)})
	}
	b.pid, b.epoch, b.seq = -1, -1, -1
	if err := p.encodeBatch(b, 9); err != nil {
		t.Fatal(err)
	}
	if got := ratio.get(); got != 0.995 {
		t.Fatalf("estimate after one batch at about 0.5: %v, want 0.995", got)
	}
}
