package core

import (
	"context"
	"fmt"
	"time"
)

// Flush makes every queued record ready to send at once (ignoring Linger)
// and waits until all records sent before the call are acknowledged or
// failed, or until ctx ends; it returns ctx's error then, and nil otherwise
// (individual failures are reported by each record's Future or callback).
// Records sent during Flush are sent promptly too, but not waited for.
// Safe for concurrent use.
func (p *Producer) Flush(ctx context.Context) error {
	p.flushing.Add(1)
	defer p.flushing.Add(-1)
	pending := p.pendingDone()
	p.wakeSender()
	for _, done := range pending {
		select {
		case <-done:
		case <-ctx.Done():
			return fmt.Errorf("core: Flush gave up with records still unacknowledged: %w", context.Cause(ctx))
		}
	}
	return nil
}

// pendingDone returns the done channels of every batch queued or in flight.
func (p *Producer) pendingDone() []chan struct{} {
	var out []chan struct{}
	for _, e := range p.topics.snapshot() {
		for _, q := range e.v.parts.Load().queues {
			q.mu.Lock()
			for _, b := range q.batches {
				out = append(out, b.done)
			}
			for _, b := range q.sending {
				out = append(out, b.done)
			}
			q.mu.Unlock()
		}
	}
	return out
}

// Close stops accepting records (Send then fails with ErrProducerClosed),
// flushes what is queued, then stops the producer's goroutines and closes
// its connections. If ctx ends first, the records still queued or in flight
// fail with ErrProducerClosed, in-flight requests are abandoned (their
// records may or may not be written) and Close returns ctx's error once
// everything is released. Close is idempotent: later calls wait for the
// first to finish and return its result.
func (p *Producer) Close(ctx context.Context) error {
	p.closeOnce.Do(func() {
		defer close(p.closeDone)
		p.closeTxn(ctx)
		p.closed.Store(true)
		err := p.Flush(ctx)
		for err == nil && len(p.pendingDone()) > 0 {
			err = p.Flush(ctx) // records appended while Close began
		}
		if err != nil {
			p.cancel(fmt.Errorf("%w: Close gave up: %w", ErrProducerClosed, err))
			p.closeErr = err
		}
		close(p.quit)
		p.wg.Wait()
		p.failRemaining()
		p.cl.Close()
	})
	<-p.closeDone
	return p.closeErr
}

// failRemaining closes every queue and fails the batches left in it; it
// runs once no other producer goroutine is left.
func (p *Producer) failRemaining() {
	for _, e := range p.topics.snapshot() {
		for _, q := range e.v.parts.Load().queues {
			q.mu.Lock()
			q.closed = true
			for sealing(q.batches) {
				// A batch is being compressed (by seal, on a Send or on a
				// goroutine of its own; at most milliseconds): let it finish.
				q.mu.Unlock()
				time.Sleep(time.Millisecond)
				q.mu.Lock()
			}
			left := append(q.batches, q.sending...)
			q.batches, q.sending = nil, nil
			q.mu.Unlock()
			for _, b := range left {
				if b.len() > 0 {
					p.fail(b, fmt.Errorf("%w before the records were acknowledged: %w", ErrProducerClosed, context.Cause(p.ctx)))
				}
			}
		}
	}
}

// sealing reports whether one of bs is being compressed by seal.
func sealing(bs []*producerBatch) bool {
	for _, b := range bs {
		if b.sealing {
			return true
		}
	}
	return false
}
