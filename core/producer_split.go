package core

import (
	"errors"
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/record"
)

// split answers the broker's MESSAGE_TOO_LARGE for a batch of several
// records as the Java client does: the batch is cut in two halves that
// take its place at the head of its queue and are sent again, one at a
// time. They keep its sequence numbers (the first half its base sequence,
// the second the ones after), so the batches in flight behind it stay
// valid: the broker answers those OUT_OF_ORDER_SEQUENCE_NUMBER and they are
// retried after the halves. A half still too large is split again; a
// single record too large fails. The topic's compression estimate goes
// back to 1, so the next batches hold BatchSize uncompressed bytes.
//
// A legacy message set (a broker before 0.11) is split the same way; such
// a broker checks each message of an uncompressed set on its own, so only
// a compressed set, one wrapper message, is ever too large as a whole.
//
// It reports whether it took b over; when not (another error, one record,
// the delivery timeout passed), the caller retries or fails b as usual.
func (p *Producer) split(b *producerBatch, err error) bool {
	if !errors.Is(err, kerr.MessageTooLarge) && !errors.Is(err, kerr.RecordListTooLarge) {
		return false
	}
	if b.len() < 2 || !time.Now().Before(b.deadline) || p.ctx.Err() != nil {
		return false
	}
	recs, derr := p.batchRecords(b)
	if derr != nil || len(recs) != len(b.entries) {
		return false // fail with the broker's error
	}
	h := len(recs) / 2
	first := p.splitPart(b, recs[:h], b.entries[:h], b.reserved/2, err)
	second := p.splitPart(b, recs[h:], b.entries[h:], b.reserved-b.reserved/2, err)
	if b.seq >= 0 {
		second.seq = seqAdd(b.seq, int32(h))
	}
	// Both halves close b's done channel, which b's Futures wait on: the
	// last half to complete does.
	parts := b.parts
	if parts == nil {
		parts = new(atomic.Int32)
		parts.Store(1)
	}
	parts.Add(1)
	first.parts, second.parts = parts, parts

	q := b.q
	if q.ratio != nil {
		q.ratio.reset()
	}
	q.mu.Lock()
	q.unsend(b)
	q.requeue(second) // requeue puts a batch before those of its order,
	q.requeue(first)  // so first ends up ahead of second
	q.mu.Unlock()
	p.m.retries.RecordN(int64(len(recs)), 0, 0)
	p.cfg.Logger.Debug("core: producer splits a batch the broker found too large", "topic", q.topic, "partition", q.partition,
		"records", len(recs), "bytes", len(b.encoded), "err", err)
	b.reserved, b.done = 0, nil // passed on to the halves
	p.recycle(b)
	p.wakeSender()
	return true
}

// splitPart returns a batch of recs, whose results go to entries, that
// stands in for part of b: same queue, creation time, deadline, drain order
// and producer id, counted as a retry after err.
func (p *Producer) splitPart(b *producerBatch, recs []record.Record, entries []sendEntry, reserved int64, err error) *producerBatch {
	nb := p.newBatch(b.q, b.created, reserved)
	nb.done, nb.limit, nb.full = b.done, b.limit, true
	for i := range recs {
		nb.builder.Append(&recs[i])
	}
	nb.entries = append(nb.entries[:0], entries...)
	nb.order, nb.attempts, nb.lastErr = b.order, b.attempts+1, err
	nb.gen, nb.seq, nb.pid, nb.epoch = b.gen, b.seq, b.pid, b.epoch
	return nb
}
