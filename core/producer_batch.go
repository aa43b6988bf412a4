package core

import (
	"sync"
	"time"

	"github.com/kafka3/kafka3-go/core/record"
)

// sendEntry is what a batch keeps of one record to complete it.
type sendEntry struct {
	fut         *Future
	callback    func(RecordMetadata, error)
	timestamp   time.Time
	keySize     int32
	valueSize   int32
	headersSize int32
}

// producerBatch is one partition's batch: open while records are appended,
// then drained, sent (perhaps several times) and completed.
type producerBatch struct {
	q        *partitionQueue
	builder  record.Builder
	entries  []sendEntry
	created  time.Time
	deadline time.Time // created + DeliveryTimeout
	reserved int64     // bytes held in the buffer pool
	full     bool      // no more appends: size reached, or flushed
	done     chan struct{}

	// Set when drained, kept across retries.
	producerID   int64
	epoch        int16
	baseSequence int32
	attempts     int
	retryAt      time.Time
	encoded      []byte
}

func (b *producerBatch) reset() {
	b.builder.Reset()
	clear(b.entries)
	b.entries = b.entries[:0]
	b.encoded = b.encoded[:0]
	b.full, b.attempts, b.reserved = false, 0, 0
	b.retryAt = time.Time{}
	b.q, b.done = nil, nil
}

// complete sets every record's result, closes the futures' channel and runs
// the callbacks in order. baseOffset < 0 means offsets are unknown.
func (b *producerBatch) complete(baseOffset int64, logAppendTime time.Time, err error) {
	for i := range b.entries {
		e := &b.entries[i]
		md := RecordMetadata{
			Topic: b.q.topic, Partition: b.q.partition, Offset: -1, Timestamp: e.timestamp,
			SerializedKeySize: int(e.keySize), SerializedValueSize: int(e.valueSize), SerializedHeadersSize: int(e.headersSize),
		}
		if baseOffset >= 0 && err == nil {
			md.Offset = baseOffset + int64(i)
		}
		if !logAppendTime.IsZero() {
			md.Timestamp = logAppendTime
		}
		if e.fut != nil {
			e.fut.md, e.fut.err = md, err
		}
	}
	close(b.done)
	for i := range b.entries {
		if cb := b.entries[i].callback; cb != nil {
			md := RecordMetadata{Topic: b.q.topic, Partition: b.q.partition, Offset: -1}
			if f := b.entries[i].fut; f != nil {
				md = f.md
			} else if baseOffset >= 0 && err == nil {
				md.Offset = baseOffset + int64(i)
			}
			cb(md, err)
		}
	}
}

// partitionQueue holds one partition's batches, oldest first; the last one
// may still be open for appends. Its mutex guards everything in it.
type partitionQueue struct {
	mu        sync.Mutex
	topic     string
	partition int32
	batches   []*producerBatch

	// Idempotence: the next sequence to assign, and the batches sent but
	// not answered, in sequence order.
	nextSequence int32
	inFlight     []*producerBatch
}

// open returns the batch to append a record of size bytes to, starting a
// new one when the last is full; fresh reports whether it is new, so the
// caller can wake the sender. Callers hold q.mu.
func (q *partitionQueue) open(size, batchSize int, now time.Time, deliveryTimeout time.Duration, pool *sync.Pool) (b *producerBatch, fresh bool) {
	if n := len(q.batches); n > 0 {
		last := q.batches[n-1]
		if !last.full && (last.builder.Len() == 0 || last.builder.Size()+size <= batchSize) {
			return last, false
		}
		last.full = true
	}
	b = pool.Get().(*producerBatch)
	b.q, b.created, b.deadline = q, now, now.Add(deliveryTimeout)
	b.done = make(chan struct{})
	q.batches = append(q.batches, b)
	return b, true
}

// sendable reports whether the head batch may be drained now: full, lingered
// long enough, or forced (flush, close), and not waiting out a retry backoff.
// Callers hold q.mu.
func (q *partitionQueue) sendable(now time.Time, linger time.Duration, force bool) (ok bool, wakeAt time.Time) {
	if len(q.batches) == 0 {
		return false, time.Time{}
	}
	b := q.batches[0]
	if b.retryAt.After(now) {
		return false, b.retryAt
	}
	if b.full || force || len(q.batches) > 1 || b.attempts > 0 {
		return true, time.Time{}
	}
	at := b.created.Add(linger)
	return !at.After(now), at
}

// headersSize sums a record's header keys and values.
func headersSize(hs []Header) int32 {
	n := 0
	for _, h := range hs {
		n += len(h.Key) + len(h.Value)
	}
	return int32(n)
}

// nullableLen is len(b), or -1 for nil (a null key or value).
func nullableLen(b []byte) int32 {
	if b == nil {
		return -1
	}
	return int32(len(b))
}
