package core

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/record"
)

// Errors of the Producer, for errors.Is.
var (
	// ErrProducerClosed is returned for records sent after Close began, and
	// for records still unsent when Close gave up.
	ErrProducerClosed = errors.New("core: producer is closed")
	// ErrRecordTooLarge is wrapped by the error of a record larger than
	// ProducerConfig.MaxRequestSize, or of a batch the broker rejected as
	// too large (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE); the error names
	// the sizes.
	ErrRecordTooLarge = errors.New("core: record too large")
)

// Producer sends records to Kafka, batching them per partition and sending
// one request per broker for many partitions at once, like the Java
// producer. Create it with NewProducer. Safe for concurrent use by any
// number of goroutines.
//
// Goroutines: one sender drains ready batches; each in-flight Produce
// request has its own goroutine (at most MaxInFlightRequestsPerConnection
// per broker), which also completes the request's records: Future results
// and callbacks are delivered from it, in each partition's order. With a
// codec, full batches are compressed on short-lived goroutines, at most
// GOMAXPROCS at once (see seal).
//
// With idempotence (the default), a record is written once and in order
// even when requests are retried, connections break or leaders move.
//
// With ProducerConfig.TransactionalID the producer is transactional:
// InitTransactions once, then BeginTransaction, Send, optionally
// SendOffsetsToTransaction, and CommitTransaction or AbortTransaction;
// Send outside a transaction fails with ErrTransactionState. See TxnState.
type Producer struct {
	cfg       ProducerConfig
	cl        *cluster.Cluster
	codec     Codec
	part      Partitioner
	observer  AppendObserver // part's, or nil
	pool      *bufferPool
	free      batchFree
	sealSlots chan struct{} // one per compression running aside (seal)
	backoff   wire.Backoff
	idem      bool
	autoTopic bool
	ics       *interceptors // Config.Interceptors; nil without

	topics topicMap[topicState]
	clock  sendClock

	sender
	m producerMetrics

	txn *txnManager // nil without TransactionalID; see txn.go

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
	closeDone chan struct{}
}

// NewProducer validates cfg, reporting every problem at once as a
// *ConfigError, resolves its codec and partitioner, and starts the
// producer's sender. It does not connect until the first record is sent.
// Call Close to release its goroutines and connections.
func NewProducer(cfg ProducerConfig) (*Producer, error) {
	cfg = cfg.withDefaults()
	err := cfg.validate()
	if err != nil {
		return nil, err
	}
	codec := cfg.Codec
	if codec == nil {
		codec, _ = CodecByName(cfg.Compression) // checked by validate
	}
	part := cfg.Partitioner
	if part == nil {
		part = NewDefaultPartitioner(cfg.BatchSize)
	}
	ics, err := newInterceptors(cfg.Config, ClientInfo{Kind: "producer"})
	if err != nil {
		return nil, err
	}
	cl, err := newClusterWith(cfg.Config, ics)
	if err != nil {
		return nil, err
	}
	p := &Producer{
		cfg: cfg, cl: cl, codec: codec, part: part,
		pool:      newBufferPool(cfg.BufferMemory),
		free:      newBatchFree(cfg.BatchSize, largestBatch(cfg, codec), cfg.BufferMemory),
		sealSlots: make(chan struct{}, runtime.GOMAXPROCS(0)),
		backoff:   wire.Backoff{Base: cfg.RetryBackoff, Max: cfg.RetryBackoffMax, Jitter: 0.2},
		idem:      !cfg.DisableIdempotence,
		autoTopic: !cfg.DisableAutoTopicCreation,
		closeDone: make(chan struct{}),
	}
	p.observer, _ = part.(AppendObserver)
	p.ics = ics
	if cfg.TransactionalID != "" {
		p.txn = newTxnManager(cfg)
	}
	p.m.init()
	p.startSender()
	return p, nil
}

// Send queues r for sending and returns at once with its Future; it blocks
// only while the topic's metadata is first fetched or the buffer is full,
// for at most ProducerConfig.MaxBlock or until ctx ends. ctx bounds that
// wait only: once queued, the record is delivered (or fails) on its own,
// within DeliveryTimeout.
//
// Send copies r's key, value and headers before it returns, so the caller
// may reuse r and its slices at once. A zero r.Timestamp means now. The
// partition is chosen by the configured Partitioner (r.Partition is used
// only by ManualPartitioner).
//
// An error found before queueing (closed producer, record too large,
// unknown topic, full buffer) is reported by the returned Future, which is
// then already done.
func (p *Producer) Send(ctx context.Context, r *Record) *Future {
	f := &Future{}
	r, ack := p.intercept(ctx, r, nil)
	if err := p.send(ctx, r, f, ack); err != nil {
		f.done, f.err = closedChan, err
		f.md = RecordMetadata{Topic: r.Topic, Partition: -1, Offset: -1}
		if ack != nil {
			callback(ack, f.md, err)
		}
	}
	return f
}

// SendFunc is Send with a callback instead of a Future, which saves the
// Future's allocation. fn is called exactly once: on the caller's goroutine
// if the record fails before it is queued, otherwise on one of the
// producer's goroutines, in the partition's order, after the record is
// acknowledged or failed. fn must be quick and must not block (it delays the
// other records of its request); a panic in fn is recovered. fn may be nil.
func (p *Producer) SendFunc(ctx context.Context, r *Record, fn func(RecordMetadata, error)) {
	r, fn = p.intercept(ctx, r, fn)
	if err := p.send(ctx, r, nil, fn); err != nil && fn != nil {
		callback(fn, RecordMetadata{Topic: r.Topic, Partition: -1, Offset: -1}, err)
	}
}

// SendSync sends r and waits for its acknowledgement or failure, or for ctx
// to end (the record may then still be delivered).
func (p *Producer) SendSync(ctx context.Context, r *Record) (RecordMetadata, error) {
	return p.Send(ctx, r).Get(ctx)
}

// send partitions r and appends it to its partition's batch.
func (p *Producer) send(ctx context.Context, r *Record, f *Future, fn func(RecordMetadata, error)) error {
	if p.closed.Load() {
		return ErrProducerClosed
	}
	if err := p.fatalSendError(); err != nil {
		return err
	}
	rec := *r // a copy to set the timestamp on; Append does not retain it
	if rec.Timestamp.IsZero() {
		rec.Timestamp = time.UnixMilli(p.clock.millis())
	}
	var empty record.Builder
	if need := record.BatchHeaderSize + empty.RecordSize(&rec); need > p.cfg.MaxRequestSize {
		return fmt.Errorf("%w: %d bytes encoded (key %d, value %d) exceed MaxRequestSize %d (max.request.size); raise it (and the topic's max.message.bytes) or send smaller records",
			ErrRecordTooLarge, need, len(r.Key), len(r.Value), p.cfg.MaxRequestSize)
	}
	ts, err := p.topic(ctx, r.Topic)
	if err != nil {
		return err
	}
	parts := ts.parts.Load()
	part := p.part.Partition(r, parts.set)
	if part < 0 || part >= parts.set.Count {
		return fmt.Errorf("core: partitioner %T chose partition %d of topic %q, which has partitions 0..%d", p.part, part, r.Topic, parts.set.Count-1)
	}
	if len(r.Headers) > 0 {
		if err := p.checkHeaders(ctx, r.Topic, part); err != nil {
			return err
		}
	}
	q := parts.queues[part]
	if p.txn != nil {
		release, err := p.txn.enterSend()
		if err != nil {
			return err
		}
		defer release()
	}
	size, err := p.append(ctx, q, &rec, f, fn)
	if err != nil {
		return err
	}
	if p.observer != nil {
		p.observer.OnAppend(r, part, p.appendedBytes(q, size))
	}
	return nil
}

// append adds rec to q's open batch, starting a new batch (and reserving
// its buffer space, which may wait) when it does not fit. It returns the
// bytes rec added to the batch, uncompressed.
func (p *Producer) append(ctx context.Context, q *partitionQueue, rec *Record, f *Future, fn func(RecordMetadata, error)) (int, error) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return 0, ErrProducerClosed
	}
	b := p.openBatch(q, rec)
	fresh := false
	if b == nil {
		q.mu.Unlock()
		var empty record.Builder
		limit := p.batchLimit(q)
		need := int64(max(limit, record.BatchHeaderSize+empty.RecordSize(rec)))
		if err := p.pool.reserve(ctx, need, p.cfg.MaxBlock); err != nil {
			return 0, err
		}
		q.mu.Lock()
		if q.closed {
			q.mu.Unlock()
			p.pool.release(need)
			return 0, ErrProducerClosed
		}
		if b = p.openBatch(q, rec); b != nil {
			defer p.pool.release(need) // another Send opened one meanwhile
		} else {
			b, fresh = p.newBatch(q, time.Now(), need), true
			b.limit = limit
			q.batches = append(q.batches, b)
		}
	}
	size := b.builder.Append(rec)
	if cap(b.entries) == 0 {
		// Room for a batch of records like this one, so the entries do not
		// grow (and leave garbage) record by record.
		b.entries = make([]sendEntry, 0, min(max(b.limit/size, 1)+1, 4096))
	}
	if f != nil {
		f.done = b.done
	}
	b.entries = append(b.entries, sendEntry{
		fut: f, callback: fn, timestamp: rec.Timestamp.UnixMilli(),
		keySize: nullableLen(rec.Key), valueSize: nullableLen(rec.Value), headersSize: headersSize(rec.Headers),
	})
	full := b.builder.Size() >= b.limit
	b.full = b.full || full
	if p.codec != nil {
		// Compress the batch this append completed: b when full, or the
		// one before a fresh b (which had no room for the record).
		if b.full {
			p.seal(q, b)
		} else if n := len(q.batches); fresh && n >= 2 {
			p.seal(q, q.batches[n-2])
		}
	}
	q.mu.Unlock()
	if fresh || full {
		p.wakeSender()
	}
	return size, nil
}

// openBatch returns q's open batch if rec fits in it. Callers hold q.mu.
func (p *Producer) openBatch(q *partitionQueue, rec *Record) *producerBatch {
	if len(q.batches) == 0 {
		return nil
	}
	return q.appendable(q.batches[len(q.batches)-1].builder.RecordSize(rec))
}
