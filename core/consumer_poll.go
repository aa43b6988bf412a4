package core

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"
)

// FetchPartition is the records Poll returns for one partition, in offset
// order, and the partition's high watermark from the last fetch.
type FetchPartition struct {
	Topic         string
	Partition     int32
	Records       []Record
	HighWatermark int64
}

// Fetches is the result of one Poll: records grouped by partition. A
// partition may appear more than once when its records came from successive
// fetch responses (or successive chunks of one response, which the consumer
// hands out as it decodes them); offsets within one partition always
// increase.
type Fetches []FetchPartition

// NumRecords returns the number of records in f.
func (f Fetches) NumRecords() int {
	n := 0
	for i := range f {
		n += len(f[i].Records)
	}
	return n
}

// All iterates over every record of f, partition by partition.
func (f Fetches) All() iter.Seq[*Record] {
	return func(yield func(*Record) bool) {
		for i := range f {
			for j := range f[i].Records {
				if !yield(&f[i].Records[j]) {
					return
				}
			}
		}
	}
}

// pollState is the user-facing side of polling, guarded by Consumer.pollMu.
type pollState struct {
	fetches Fetches  // reused from Poll to Poll
	lent    []*chunk // chunks whose records the last Poll handed out
	pi, ri  int      // Next's cursor in fetches
}

// Poll returns the buffered records of the assigned, unpaused partitions, at
// most MaxPollRecords, waiting until there are some or ctx ends. Partitions
// are served in the order their data arrived, each in offset order, and each
// record exactly once (unless you Seek back).
//
// Buffer ownership: the returned Fetches, its Records and their Key, Value
// and Headers alias the consumer's fetch buffers. They stay valid until the
// next Poll or Next call on this Consumer (from any goroutine), which
// recycles them; Close does not recycle them. Call Record.Clone on records
// you keep longer. This is what makes consuming allocation-free.
//
// Errors: ctx's error; ErrConsumerClosed after Close (which interrupts a
// waiting Poll); and errors that stop a partition until you re-position it:
// *NoOffsetError (ResetNone), *FetchError (a codec that is not imported, a
// corrupt batch, OFFSET_OUT_OF_RANGE with ResetNone, authorization) and
// *LogTruncationError. Such an error is returned by every Poll (records
// fetched before it first) until the partition is sought, paused or
// unassigned; errors of several partitions are joined.
func (c *Consumer) Poll(ctx context.Context) (Fetches, error) {
	c.pollMu.Lock()
	defer c.pollMu.Unlock()
	f, err := c.pollLocked(ctx)
	c.poll.pi = len(f)
	return f, err
}

// Next returns the next record, polling when the last Poll's records are
// used up. The record stays valid until the next call to Next or Poll (see
// Poll for the buffer rule and the errors).
func (c *Consumer) Next(ctx context.Context) (*Record, error) {
	c.pollMu.Lock()
	defer c.pollMu.Unlock()
	p := &c.poll
	for p.pi >= len(p.fetches) || p.ri >= len(p.fetches[p.pi].Records) {
		if p.pi < len(p.fetches) {
			p.pi, p.ri = p.pi+1, 0
			continue
		}
		if _, err := c.pollLocked(ctx); err != nil {
			return nil, err
		}
		p.pi, p.ri = 0, 0
	}
	r := &p.fetches[p.pi].Records[p.ri]
	p.ri++
	return r, nil
}

// Records iterates over records as they arrive, for
//
//	for rec, err := range consumer.Records(ctx) { ... }
//
// Each record is valid until the loop body returns (see Poll for the buffer
// rule). An error is yielded with a nil record; if the loop goes on, the
// iterator waits RetryBackoff before polling again, so that logging and
// continuing does not spin on an error that persists. The iteration ends
// when the loop breaks, after yielding ctx's error, or quietly when the
// consumer is closed.
func (c *Consumer) Records(ctx context.Context) iter.Seq2[*Record, error] {
	return func(yield func(*Record, error) bool) {
		for {
			r, err := c.Next(ctx)
			if errors.Is(err, ErrConsumerClosed) {
				return
			}
			if !yield(r, err) || (err != nil && ctx.Err() != nil) {
				return
			}
			if err != nil {
				select {
				case <-ctx.Done():
				case <-c.ctx.Done():
				case <-time.After(c.cfg.RetryBackoff):
				}
			}
		}
	}
}

// pollLocked is Poll with pollMu held.
func (c *Consumer) pollLocked(ctx context.Context) (Fetches, error) {
	var start time.Time
	if c.ics.consumes() {
		start = time.Now()
	}
	c.mu.Lock()
	c.releaseLentLocked()
	c.mu.Unlock()
	for {
		if err := c.groupPoll(ctx); err != nil { // rebalance callbacks (group_api.go)
			return nil, err
		}
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return nil, ErrConsumerClosed
		}
		if err := c.stickyErrLocked(); err != nil {
			c.mu.Unlock()
			return nil, err
		}
		f, n, bytes := c.gatherLocked()
		if n == 0 {
			// gatherLocked may have reached a chunk's error (a corrupt
			// batch) with no record before it: report it now, since no
			// change will come to wake the wait below.
			if err := c.stickyErrLocked(); err != nil {
				c.mu.Unlock()
				return nil, err
			}
		}
		ch := c.changed
		c.mu.Unlock()
		if n > 0 {
			c.m.recordsConsumed.Record(float64(n))
			if bytes > 0 {
				c.m.bytesConsumed.Record(float64(bytes))
			}
			if c.ics.consumes() {
				c.ics.onConsume(ctx, start, f)
			}
			return f, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-ch:
		case <-c.groupReady(): // rebalance callbacks wait, or a heartbeat tick
		}
	}
}

// stickyErrLocked returns the errors of unpaused partitions; c.mu is held.
func (c *Consumer) stickyErrLocked() error {
	var errs []error
	if c.connErr != nil {
		errs = append(errs, fmt.Errorf("core: consumer cannot reach the cluster: %w", c.connErr))
	}
	var noOffset *NoOffsetError
	for _, ps := range c.order {
		if ps.err == nil || ps.paused {
			continue
		}
		var e *NoOffsetError
		if errors.As(ps.err, &e) {
			if noOffset == nil {
				noOffset = &NoOffsetError{}
				errs = append(errs, noOffset)
			}
			noOffset.Partitions = append(noOffset.Partitions, e.Partitions...)
			continue
		}
		errs = append(errs, ps.err)
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// gatherLocked takes up to MaxPollRecords buffered records into
// c.poll.fetches, advancing positions; it returns them, their count and the
// wire bytes of the chunks it finished. c.mu is held.
func (c *Consumer) gatherLocked() (Fetches, int, int) {
	f := c.poll.fetches[:0]
	total, bytes, limit := 0, 0, c.cfg.MaxPollRecords
	kept := c.ready[:0]
	for i, ch := range c.ready {
		ps := ch.ps
		if total >= limit || ps.paused || ps.err != nil {
			kept = append(kept, c.ready[i])
			continue
		}
		if n := min(len(ch.recs)-ch.i, limit-total); n > 0 {
			recs := ch.recs[ch.i : ch.i+n]
			f = append(f, FetchPartition{Topic: ps.tp.Topic, Partition: ps.tp.Partition, Records: recs, HighWatermark: ps.hw})
			ch.i += n
			total += n
			last := &recs[n-1]
			ps.pos = OffsetEpoch{Offset: last.Offset + 1, LeaderEpoch: last.LeaderEpoch}
			if !ch.lent {
				ch.lent = true
				c.poll.lent = append(c.poll.lent, ch)
			}
		}
		if ch.i < len(ch.recs) {
			kept = append(kept, ch)
			continue
		}
		// The chunk is used up: the position moves past skipped batches.
		ps.pos = ch.next
		if ch.err != nil {
			ps.err = ch.err
			ps.stalled = false
		}
		if ch.final {
			ps.nchunks--
			c.kick() // the partition may be fetched again
		}
		bytes += ch.size
		c.finishChunkLocked(ch)
	}
	clear(c.ready[len(kept):])
	c.ready = kept
	c.poll.fetches = f
	c.recordLagLocked(f)
	return f, total, bytes
}

// finishChunkLocked marks ch done and releases it unless the user still
// holds its records; c.mu is held.
func (c *Consumer) finishChunkLocked(ch *chunk) {
	ch.done = true
	if !ch.lent {
		c.releaseChunkLocked(ch)
	}
}

// releaseChunkLocked recycles ch and, with its last chunk, the response
// buffer it aliases; c.mu is held.
func (c *Consumer) releaseChunkLocked(ch *chunk) {
	if b := ch.resp; b != nil {
		c.releaseBufferLocked(b)
	}
	c.putChunk(ch)
}

// releaseLentLocked recycles the chunks the previous Poll handed out that
// are done since; c.mu is held.
func (c *Consumer) releaseLentLocked() {
	for i, ch := range c.poll.lent {
		ch.lent = false
		if ch.done {
			c.releaseChunkLocked(ch)
		}
		c.poll.lent[i] = nil
	}
	c.poll.lent = c.poll.lent[:0]
	clear(c.poll.fetches)
	c.poll.fetches = c.poll.fetches[:0]
}

// dropChunksLocked discards the buffered chunks of ps; c.mu is held.
func (c *Consumer) dropChunksLocked(ps *partState) {
	kept := c.ready[:0]
	for _, ch := range c.ready {
		if ch.ps == ps {
			c.finishChunkLocked(ch)
			continue
		}
		kept = append(kept, ch)
	}
	clear(c.ready[len(kept):])
	c.ready = kept
	ps.nchunks, ps.stalled = 0, false
	ps.fetchOff = ps.pos.Offset
}
