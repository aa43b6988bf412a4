package core

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// bufferPool bounds the bytes of records waiting in a producer
// (ProducerConfig.BufferMemory). Reservations are first come, first served
// among waiters, so a large record is not starved by small ones.
type bufferPool struct {
	mu      sync.Mutex
	free    int64
	total   int64
	waiters []*bufferWaiter
}

// bufferWaiter is one blocked reservation. Waiters are pooled with their
// channel and timer, so a producer that keeps the buffer full (the usual
// state of a fast one) does not allocate for every batch it waits for.
type bufferWaiter struct {
	n     int64
	ready chan struct{} // buffered 1: the grant, sent once
	timer *time.Timer
}

var waiterPool = sync.Pool{New: func() any {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &bufferWaiter{ready: make(chan struct{}, 1), timer: t}
}}

func newBufferPool(total int64) *bufferPool { return &bufferPool{free: total, total: total} }

// errBufferExhausted is wrapped by the error of a Send that waited too long.
var errBufferExhausted = errors.New("producer buffer is full")

// reserve takes n bytes, waiting while the pool is short, until ctx ends or
// maxBlock passes.
func (p *bufferPool) reserve(ctx context.Context, n int64, maxBlock time.Duration) error {
	p.mu.Lock()
	if len(p.waiters) == 0 && p.free >= n {
		p.free -= n
		p.mu.Unlock()
		return nil
	}
	w := waiterPool.Get().(*bufferWaiter)
	w.n = n
	p.waiters = append(p.waiters, w)
	p.mu.Unlock()

	w.timer.Reset(maxBlock)
	var err error
	select {
	case <-w.ready:
		w.timer.Stop()
		waiterPool.Put(w)
		return nil
	case <-ctx.Done():
		err = context.Cause(ctx)
	case <-w.timer.C:
		err = fmt.Errorf("core: %w: waited %v (MaxBlock) for %d bytes of BufferMemory; the brokers are slower than the sends: raise BufferMemory or MaxBlock, or send less", errBufferExhausted, maxBlock, n)
	}
	w.timer.Stop() // since Go 1.23 a stopped timer's channel holds nothing
	if !p.cancel(w) {
		<-w.ready // granted while giving up: keep it
		err = nil
	}
	waiterPool.Put(w)
	return err
}

// cancel removes w from the queue; false if it was already granted.
func (p *bufferPool) cancel(w *bufferWaiter) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, x := range p.waiters {
		if x == w {
			p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
			p.grantLocked()
			return true
		}
	}
	return false
}

// release returns n bytes and wakes the waiters that now fit, in order.
func (p *bufferPool) release(n int64) {
	p.mu.Lock()
	p.free += n
	p.grantLocked()
	p.mu.Unlock()
}

func (p *bufferPool) grantLocked() {
	for len(p.waiters) > 0 && p.free >= p.waiters[0].n {
		w := p.waiters[0]
		// Shift rather than reslice, so the slice keeps its capacity and
		// queueing the next waiter does not allocate.
		n := copy(p.waiters, p.waiters[1:])
		p.waiters[n] = nil
		p.waiters = p.waiters[:n]
		p.free -= w.n
		w.ready <- struct{}{}
	}
}

// available returns the free bytes (buffer-available-bytes).
func (p *bufferPool) available() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.free
}
