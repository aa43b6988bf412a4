package core

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core/record"
)

// sendEntry is what a batch keeps of one record to complete it.
type sendEntry struct {
	fut         *Future
	callback    func(RecordMetadata, error)
	timestamp   int64 // Unix ms, as written
	keySize     int32
	valueSize   int32
	headersSize int32
}

// producerBatch is one partition's batch: open while records are appended,
// then drained, sent (perhaps several times) and completed. Its fields are
// guarded by its queue's mutex until it is drained; from then on the
// goroutine that holds it (the sender, then one request) owns it.
type producerBatch struct {
	q        *partitionQueue
	builder  record.Builder
	entries  []sendEntry
	created  time.Time
	deadline time.Time // created + DeliveryTimeout
	reserved int64     // bytes held in the buffer pool
	limit    int       // uncompressed bytes at which it is full (batchLimit)
	full     bool      // no more appends: size reached
	done     chan struct{}
	parts    *atomic.Int32 // halves of a split batch sharing done (split); nil otherwise

	// Compression at seal time (see seal): sealing while the goroutine
	// that filled the batch compresses it outside q.mu (nothing else may
	// touch the batch meanwhile: the sender and expiry skip it); sealed
	// once encoded holds the compressed batch and the builder's buffer was
	// passed on, count and raw keeping the builder's Len and Size.
	sealing, sealed bool
	count           int
	raw             int

	// Set when first drained, kept across retries.
	order    int64  // drain order within the partition, from 1; 0 before
	gen      uint32 // producer id generation the sequence belongs to; 0 none
	seq      int32  // base sequence, -1 when not idempotent
	first    bool   // sent with nothing of its partition in flight before it
	attempts int
	retryAt  time.Time
	lastErr  error // why the last attempt failed

	// The producer id and epoch of gen, set with seq when drained; the
	// request goroutine encodes the batch with them.
	pid   int64
	epoch int16

	// encoded is the batch as sent, reused across retries: the builder's
	// own buffer (uncompressed, encoded in place) or zbuf (compressed, or a
	// legacy message set). Written by the goroutine that holds the batch.
	encoded []byte
	zbuf    []byte
	encErr  error // encodeAll's verdict for this batch
}

// batchFree is the producer's free list of batches, whose buffers (a
// record buffer of up to batchLimit bytes, the compressed copy, the
// entries) are reused by the next batches instead of being allocated and
// collected again: with a steady flow of records the producer allocates
// almost nothing per batch.
// bufs holds the record buffers of sealed batches, which no longer need
// them. Each holds at most its capacity, so an idle producer keeps at most
// that many buffers.
type batchFree struct {
	ch      chan *producerBatch
	bufs    chan []byte
	largest int // the largest batchLimit
}

// maxFreeBatches bounds the free list: enough to absorb what completing a
// few requests returns while the senders open new batches.
const maxFreeBatches = 256

// newBatchFree returns a free list for batches of batchSize bytes whose
// record buffers grow to largest (see batchLimit).
func newBatchFree(batchSize, largest int, bufferMemory int64) batchFree {
	n := min(max(bufferMemory/int64(max(batchSize, 1)), 4), maxFreeBatches)
	return batchFree{ch: make(chan *producerBatch, n), bufs: make(chan []byte, min(n, 64)), largest: largest}
}

// keeps reports whether a buffer of capacity c may go back on the free
// lists: not one grown by an outsized record, which would stay pinned.
func (f batchFree) keeps(c int) bool { return c <= 2*max(f.largest, 16<<10) }

// batchParams returns the RecordBatch parameters of every batch the
// producer writes, before its producer id, epoch and sequence are set.
func (p *Producer) batchParams() record.BatchParams {
	params := record.NoProducer()
	params.Codec = p.codec
	params.Transactional = p.txn != nil
	return params
}

// newBatch returns an empty batch for q whose record buffer holds reserved
// bytes without growing.
func (p *Producer) newBatch(q *partitionQueue, now time.Time, reserved int64) *producerBatch {
	var b *producerBatch
	select {
	case b = <-p.free.ch:
	default:
		b = &producerBatch{seq: -1}
	}
	b.q, b.created, b.deadline, b.reserved = q, now, now.Add(p.cfg.DeliveryTimeout), reserved
	b.done = make(chan struct{})
	if b.builder.Cap() < int(reserved) {
		select {
		case buf := <-p.free.bufs:
			b.builder.UseBuffer(buf)
		default:
		}
	}
	b.builder.Grow(int(reserved))
	return b
}

// len returns the number of records in b.
func (b *producerBatch) len() int {
	if b.sealed {
		return b.count
	}
	return b.builder.Len()
}

// encodedMagic is the format of b's encoded bytes (2 for a RecordBatch,
// 0 or 1 for a legacy message set, whose magic sits at the same offset),
// or -1 before b is encoded.
func (b *producerBatch) encodedMagic() int8 {
	const magicAt = 16
	if len(b.encoded) <= magicAt {
		return -1
	}
	return int8(b.encoded[magicAt])
}

// rawSize returns b's uncompressed encoded size.
func (b *producerBatch) rawSize() int {
	if b.sealed {
		return b.raw
	}
	return b.builder.Size()
}

// sealScratch holds the compression output of seal before it is copied
// into a buffer of its size.
var sealScratch = sync.Pool{New: func() any { return new([]byte) }}

// seal compresses b, which just became full, and passes its record buffer
// on to the next batch: batches waiting for their turn then hold
// compressed bytes only, and the compression overlaps with the requests in
// flight instead of being done later on the request's goroutine. The
// batch's producer id, epoch and sequence are written into the compressed
// batch's header when it is drained (encodeBatch). Without a codec there
// is nothing to do.
//
// The compression runs on a goroutine of its own while one of the
// producer's sealer slots (GOMAXPROCS of them) is free, so that the
// goroutine calling Send goes on filling the next batch meanwhile; with
// every slot busy it runs on the caller's goroutine, which so waits for
// the compression it caused. Either way the batch is marked sealing until
// it is done, and the sender and expiry leave it alone. Called with q.mu
// held, which it may release while compressing and holds again on return.
func (p *Producer) seal(q *partitionQueue, b *producerBatch) {
	if p.codec == nil || !b.full || b.sealing || b.sealed || b.order != 0 || b.builder.Len() == 0 {
		return
	}
	b.sealing = true
	select {
	case p.sealSlots <- struct{}{}:
		go p.sealAside(q, b)
		return
	default:
	}
	q.mu.Unlock()
	z, err := p.compressBatch(b)
	q.mu.Lock()
	p.sealed(b, z, err)
}

// sealAside is seal's compression on a goroutine of its own: it holds a
// sealer slot, and wakes the sender when the batch is ready.
func (p *Producer) sealAside(q *partitionQueue, b *producerBatch) {
	z, err := p.compressBatch(b)
	q.mu.Lock()
	p.sealed(b, z, err)
	q.mu.Unlock()
	<-p.sealSlots
	p.wakeSender()
}

// compressBatch returns b's records as a compressed batch, in b.zbuf when
// it has room. The caller has marked b sealing, so nothing else touches it.
func (p *Producer) compressBatch(b *producerBatch) ([]byte, error) {
	params := p.batchParams()
	sp := sealScratch.Get().(*[]byte)
	out, err := b.builder.AppendBatch((*sp)[:0], &params)
	var z []byte
	if err == nil {
		if z = b.zbuf[:0]; cap(z) < len(out) {
			z = make([]byte, 0, len(out))
		}
		z = append(z, out...)
	}
	if cap(out) <= 4<<20 {
		*sp = out[:0]
	}
	sealScratch.Put(sp)
	return z, err
}

// sealed ends b's sealing with compressBatch's result: on success b holds
// the compressed batch and its record buffer goes to the free list; an
// error is left to the request's encodeBatch, which reports it. Callers
// hold q.mu.
func (p *Producer) sealed(b *producerBatch, z []byte, err error) {
	b.sealing = false
	if err != nil {
		return
	}
	b.zbuf, b.encoded = z, z
	b.count, b.raw, b.sealed = b.builder.Len(), b.builder.Size(), true
	if b.q.ratio != nil {
		b.q.ratio.observe(len(z), b.raw)
	}
	buf := b.builder.TakeBuffer()
	if p.free.keeps(cap(buf)) {
		select {
		case p.free.bufs <- buf:
		default:
		}
	}
}

// unseal rebuilds the records of a sealed batch from its compressed form,
// for a leader that needs them in another format (a legacy message set).
func (p *Producer) unseal(b *producerBatch) error {
	recs, err := p.batchRecords(b)
	if err != nil {
		return err
	}
	b.builder.Reset()
	b.builder.Grow(b.raw)
	for i := range recs {
		b.builder.Append(&recs[i])
	}
	b.sealed, b.encoded = false, nil
	return nil
}

// batchRecords decodes the records of b's encoded batch.
func (p *Producer) batchRecords(b *producerBatch) ([]record.Record, error) {
	d := record.Decoder{Codecs: func(int8) record.Codec { return p.codec }, SkipCRC: true}
	d.Reset(b.q.topic, b.q.partition, b.encoded)
	bt, err := d.Next()
	if err != nil {
		return nil, err
	}
	return d.AppendRecords(nil, bt)
}

// recycle puts b on the free list (or leaves it to the collector when the
// list is full); nothing may use it afterwards.
func (p *Producer) recycle(b *producerBatch) {
	b.builder.Reset()
	clear(b.entries)
	b.entries = b.entries[:0]
	b.encoded = nil
	b.zbuf = b.zbuf[:0]
	b.q, b.done, b.parts = nil, nil, nil
	b.full, b.attempts, b.reserved, b.order, b.gen, b.seq = false, 0, 0, 0, 0, -1
	b.pid, b.epoch, b.first = 0, 0, false
	b.sealing, b.sealed, b.count, b.raw = false, false, 0, 0
	b.retryAt, b.lastErr, b.encErr = time.Time{}, nil, nil
	if !p.free.keeps(b.builder.Cap()) || !p.free.keeps(cap(b.zbuf)) {
		return // grown by an outsized record: do not pin its buffers
	}
	select {
	case p.free.ch <- b:
	default:
	}
}

// complete sets every record's result, runs the callbacks in order, then
// closes the futures' channel: once a Future is done (and so once Flush
// returns), the callbacks of its batch have run, as in Java. Of the halves
// of a split batch, the last to complete closes it.
// baseOffset < 0 means offsets are unknown.
func (b *producerBatch) complete(baseOffset int64, logAppendTime time.Time, err error) {
	for i := range b.entries {
		e := &b.entries[i]
		if e.fut != nil {
			e.fut.md, e.fut.err = b.metadata(i, baseOffset, logAppendTime, err), err
		}
		if e.callback != nil {
			callback(e.callback, b.metadata(i, baseOffset, logAppendTime, err), err)
		}
	}
	if b.parts != nil && b.parts.Add(-1) > 0 {
		return
	}
	close(b.done)
}

func (b *producerBatch) metadata(i int, baseOffset int64, logAppendTime time.Time, err error) RecordMetadata {
	e := &b.entries[i]
	md := RecordMetadata{
		Topic: b.q.topic, Partition: b.q.partition, Offset: -1, Timestamp: time.UnixMilli(e.timestamp),
		SerializedKeySize: int(e.keySize), SerializedValueSize: int(e.valueSize), SerializedHeadersSize: int(e.headersSize),
	}
	if baseOffset >= 0 && err == nil {
		md.Offset = baseOffset + int64(i)
	}
	if !logAppendTime.IsZero() && err == nil {
		md.Timestamp = logAppendTime
	}
	return md
}

// callback runs a user's callback, surviving its panic: a broken callback
// must not take the producer's goroutines down with it.
func callback(cb func(RecordMetadata, error), md RecordMetadata, err error) {
	defer func() { _ = recover() }()
	cb(md, err)
}

// partitionQueue holds one partition's batches, oldest first; the last one
// may still be open for appends. Its mutex guards everything in it.
type partitionQueue struct {
	mu        sync.Mutex
	topic     string
	partition int32
	ratio     *compressionRatio // the topic's; nil in some tests
	batches   []*producerBatch
	sending   []*producerBatch // drained and not yet answered
	drained   int64            // batches drained so far (order counter)
	closed    bool             // the producer shut down: no more appends

	// Idempotence: the generation of the producer id the sequences below
	// count in, the next sequence to assign and the last one acknowledged.
	gen       uint32
	nextSeq   int32
	lastAcked int32
}

// appendable returns the open batch if a record of size bytes fits it.
// Callers hold q.mu.
func (q *partitionQueue) appendable(size int) *producerBatch {
	if n := len(q.batches); n > 0 {
		last := q.batches[n-1]
		if !last.full && last.order == 0 && last.builder.Size()+size <= last.limit {
			return last
		}
		last.full = true
	}
	return nil
}

// sendable reports whether the head batch may be drained now: full,
// lingered long enough, or forced (flush, close), not waiting out a retry
// backoff, and, if it is a retry, with nothing else of the partition in
// flight (so that retries go out one at a time, in order). When it is not
// sendable, wakeAt is when it may become so (zero: on an event).
// Callers hold q.mu.
func (q *partitionQueue) sendable(now time.Time, linger time.Duration, force bool) (ok bool, wakeAt time.Time) {
	if len(q.batches) == 0 {
		return false, time.Time{}
	}
	b := q.batches[0]
	if b.sealing {
		return false, time.Time{} // the sealer wakes the sender
	}
	if b.attempts > 0 {
		if len(q.sending) > 0 {
			return false, time.Time{}
		}
		if b.retryAt.After(now) {
			return false, b.retryAt
		}
		return true, time.Time{}
	}
	if b.full || force || len(q.batches) > 1 {
		return true, time.Time{}
	}
	at := b.created.Add(linger)
	return !at.After(now), at
}

// requeue puts a drained batch back for a retry, before the batches drained
// after it, so the partition's order is kept. Callers hold q.mu.
func (q *partitionQueue) requeue(b *producerBatch) {
	q.unsend(b)
	i := 0
	for i < len(q.batches) && q.batches[i].order != 0 && q.batches[i].order < b.order {
		i++
	}
	q.batches = slices.Insert(q.batches, i, b)
}

// unsend removes b from the batches in flight. Callers hold q.mu.
func (q *partitionQueue) unsend(b *producerBatch) {
	if i := slices.Index(q.sending, b); i >= 0 {
		q.sending = slices.Delete(q.sending, i, i+1)
	}
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
