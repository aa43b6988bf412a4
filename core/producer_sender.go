package core

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// sender is the producer's machinery that moves batches to brokers. Fields
// marked "sender only" belong to the sender goroutine.
type sender struct {
	wake   chan struct{} // buffered 1: something may be ready
	quit   chan struct{} // closed to stop the sender goroutine
	ctx    context.Context
	cancel context.CancelCauseFunc // aborts requests when Close gives up
	wg     sync.WaitGroup          // the sender, requests and refreshes

	flushing    atomic.Int32 // Flush calls under way: every batch is ready
	inFlight    atomic.Int32 // Produce requests in flight, all brokers
	needRefresh atomic.Bool
	refreshing  atomic.Bool

	idState

	brokers map[int32]*brokerState    // sender only
	reqs    map[int32]*produceRequest // sender only: requests being built
	expired []expiredBatch            // sender only
}

// brokerState counts one broker's Produce requests in flight and chains
// them: each request waits until the previous one is about to be written.
type brokerState struct {
	inFlight atomic.Int32
	last     chan struct{} // sender only: the last request's started signal
}

// expiredBatch is a batch the sender failed while holding its queue's lock,
// completed once the lock is released.
type expiredBatch struct {
	b   *producerBatch
	err error
}

func (p *Producer) startSender() {
	p.wake = make(chan struct{}, 1)
	p.quit = make(chan struct{})
	p.ctx, p.cancel = context.WithCancelCause(context.Background())
	p.brokers = map[int32]*brokerState{}
	p.reqs = map[int32]*produceRequest{}
	p.wg.Add(1)
	go p.runSender()
}

// wakeSender tells the sender that a batch may be ready. It never blocks.
func (p *Producer) wakeSender() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *Producer) runSender() {
	defer p.wg.Done()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		next := p.drain()
		var tick <-chan time.Time
		if !next.IsZero() {
			timer.Reset(time.Until(next))
			tick = timer.C
		}
		select {
		case <-p.wake:
		case <-tick:
		case <-p.quit:
			return
		}
	}
}

// drain sends every ready batch it can, in passes of at most one batch per
// partition (a Produce request carries one batch per partition), and
// returns when the sender must look again (zero: on an event only).
func (p *Producer) drain() time.Time {
	var next time.Time
	soon := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for {
		now := time.Now()
		pid, ready := p.producerReady(now)
		if !ready {
			soon(p.idRetryAt)
		}
		m := p.cl.Metadata()
		force := p.flushing.Load() > 0
		took := false
		for _, e := range p.topics.snapshot() {
			for _, q := range e.v.parts.Load().queues {
				at, ok := p.drainQueue(q, m, now, force, ready, pid)
				soon(at)
				took = took || ok
			}
		}
		p.completeExpired()
		p.startAddPartitions()
		p.launch()
		if p.needRefresh.Load() {
			p.startRefresh()
			soon(now.Add(p.cfg.RetryBackoff))
		}
		if !took {
			return next
		}
	}
}

// drainQueue moves q's head batch into its leader's request if it is ready
// and the leader can take another request. It reports when to look again
// and whether it took a batch.
func (p *Producer) drainQueue(q *partitionQueue, m *cluster.Metadata, now time.Time, force, ready bool, pid producerID) (time.Time, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	next := p.expire(q, now)
	if !ready {
		return next, false
	}
	ok, at := q.sendable(now, p.cfg.Linger, force)
	if !ok {
		return minTime(next, at), false
	}
	if p.txn != nil {
		if ok, err := p.txn.partitionReady(q); err != nil {
			b := q.batches[0]
			q.batches = append(q.batches[:0], q.batches[1:]...)
			p.expired = append(p.expired, expiredBatch{b, err})
			return now, true
		} else if !ok {
			return next, false // AddPartitionsToTxn first; its end wakes the sender
		}
	}
	leader, _, known := m.Leader(q.topic, q.partition)
	if !known {
		p.needRefresh.Store(true)
		return next, false
	}
	if p.idem && len(q.sending) > 0 && (q.gen != pid.gen || q.lastAcked < 0) {
		// The first batch of a producer id or epoch goes alone: a broker
		// that does not know the producer yet accepts any sequence, so a
		// later batch overtaking it would be written out of order.
		return next, false
	}
	br := p.brokers[leader]
	if br == nil {
		br = new(brokerState)
		p.brokers[leader] = br
	}
	if int(br.inFlight.Load()) >= p.cfg.MaxInFlightRequestsPerConnection {
		return next, false // a response wakes the sender
	}
	req := p.reqs[leader]
	if req == nil {
		req = getProduceRequest(leader, br)
		p.reqs[leader] = req
	}
	b := q.batches[0]
	if !req.fits(q, b, p.cfg.MaxRequestSize) {
		return next, true // next pass, in the next request
	}
	q.batches = append(q.batches[:0], q.batches[1:]...)
	if b.order == 0 {
		q.drained++
		b.order = q.drained
		p.m.queueTime.Record(float64(now.Sub(b.created)) / 1e6)
	}
	p.prepare(q, b, pid)
	b.first = len(q.sending) == 0
	q.sending = append(q.sending, b)
	var id [16]byte
	if t := m.Topics[q.topic]; t != nil {
		id = t.ID
	}
	req.add(q, id, b)
	return next, true
}

// prepare assigns b its producer id, epoch and sequence if they are not
// current. Encoding (and compressing) the batch with them is left to the
// request's goroutine (encodeForBroker), off the sender. Callers hold q.mu.
func (p *Producer) prepare(q *partitionQueue, b *producerBatch, pid producerID) {
	if !p.idem {
		b.pid, b.epoch, b.seq = -1, -1, -1
		return
	}
	if b.gen != pid.gen {
		if q.gen != pid.gen {
			q.gen, q.nextSeq, q.lastAcked = pid.gen, 0, -1
		}
		b.gen, b.seq = pid.gen, q.nextSeq
		b.pid, b.epoch = pid.id, pid.epoch
		q.nextSeq = seqAdd(q.nextSeq, int32(b.len()))
	}
}

// seqAdd adds n to a sequence number, wrapping past MaxInt32 to 0 as the
// broker does.
func seqAdd(seq, n int32) int32 {
	if seq > 1<<31-1-n {
		return n - (1<<31 - 1 - seq) - 1
	}
	return seq + n
}

// expire fails q's batches that are not in flight and whose delivery
// timeout passed, returning the next deadline. Callers hold q.mu.
func (p *Producer) expire(q *partitionQueue, now time.Time) time.Time {
	for len(q.batches) > 0 {
		b := q.batches[0]
		if now.Before(b.deadline) {
			return b.deadline
		}
		if b.sealing {
			return now.Add(time.Millisecond) // expired, once seal lets go of it
		}
		q.batches = append(q.batches[:0], q.batches[1:]...)
		cause := b.lastErr
		if cause == nil && p.txn != nil {
			cause = p.txn.waitCause(q)
		}
		if cause == nil {
			cause = p.idErr
		}
		p.expired = append(p.expired, expiredBatch{b, p.timeoutError(b, cause)})
	}
	return time.Time{}
}

// completeExpired fails the batches expire and drainQueue set aside.
func (p *Producer) completeExpired() {
	for i, e := range p.expired {
		p.fail(e.b, e.err)
		p.expired[i] = expiredBatch{}
	}
	p.expired = p.expired[:0]
}

// launch sends the requests built by the last pass, one goroutine each.
func (p *Producer) launch() {
	for id, req := range p.reqs {
		delete(p.reqs, id)
		req.after, req.started = req.br.last, make(chan struct{})
		req.br.last = req.started
		req.br.inFlight.Add(1)
		p.inFlight.Add(1)
		p.wg.Add(1)
		go p.produce(req)
	}
}

// startRefresh refreshes the metadata of the producer's topics in the
// background, unless a refresh is under way.
func (p *Producer) startRefresh() {
	if !p.refreshing.CompareAndSwap(false, true) {
		return
	}
	p.needRefresh.Store(false)
	topics := slices.Collect(maps.Keys(p.topics.snapshot()))
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer p.refreshing.Store(false)
		m, err := p.cl.Refresh(p.ctx, topics, p.autoTopic)
		if err != nil {
			p.cfg.Logger.Debug("core: producer metadata refresh failed", "err", err)
			return
		}
		p.updateTopics(m)
		p.wakeSender()
	}()
}

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// produceRequest is one Produce request being built or in flight, pooled.
type produceRequest struct {
	broker  int32
	br      *brokerState
	req     protocol.ProduceRequest
	batches [][]*producerBatch // parallel to req.TopicData[i].PartitionData
	size    int
	bufs    cluster.ProduceBuffers // the encoded request, reused

	// after is the previous request's started channel, which this one
	// waits for; started is closed when this one is about to be written.
	after, started chan struct{}
	signalled      bool
}

// signal closes r.started once.
func (r *produceRequest) signal() {
	if !r.signalled {
		r.signalled = true
		close(r.started)
	}
}

var produceRequestPool = sync.Pool{New: func() any { return new(produceRequest) }}

func getProduceRequest(broker int32, br *brokerState) *produceRequest {
	r := produceRequestPool.Get().(*produceRequest)
	r.broker, r.br, r.size = broker, br, 64
	return r
}

// put recycles r, keeping its slices.
func (r *produceRequest) put() {
	for i := range r.req.TopicData {
		clear(r.req.TopicData[i].PartitionData)
		r.req.TopicData[i].PartitionData = r.req.TopicData[i].PartitionData[:0]
		clear(r.batches[i])
		r.batches[i] = r.batches[i][:0]
	}
	r.req.TopicData = r.req.TopicData[:0]
	r.batches = r.batches[:0]
	r.br, r.after, r.started, r.signalled = nil, nil, nil, false
	produceRequestPool.Put(r)
}

// fits reports whether b may join r: r holds no batch of q's partition yet
// and stays within maxSize (a request always takes its first batch).
func (r *produceRequest) fits(q *partitionQueue, b *producerBatch, maxSize int) bool {
	for i := range r.req.TopicData {
		if r.req.TopicData[i].Name != q.topic {
			continue
		}
		for _, pd := range r.req.TopicData[i].PartitionData {
			if pd.Index == q.partition {
				return false
			}
		}
	}
	return r.size == 64 || r.size+b.sizeEstimate()+len(q.topic)+40 <= maxSize
}

// sizeEstimate is b's encoded size once it was encoded, and its
// uncompressed size before (compression is done by the request).
func (b *producerBatch) sizeEstimate() int {
	if len(b.encoded) > 0 {
		return len(b.encoded)
	}
	return b.rawSize()
}

// add puts b in r; the request's goroutine encodes it (encodeForBroker).
func (r *produceRequest) add(q *partitionQueue, topicID [16]byte, b *producerBatch) {
	i := len(r.req.TopicData) - 1
	for ; i >= 0 && r.req.TopicData[i].Name != q.topic; i-- {
	}
	if i < 0 {
		i = len(r.req.TopicData)
		if i < cap(r.req.TopicData) {
			r.req.TopicData = r.req.TopicData[:i+1]
		} else {
			r.req.TopicData = append(r.req.TopicData, protocol.ProduceRequestTopicProduceData{})
		}
		if i < cap(r.batches) {
			r.batches = r.batches[:i+1]
		} else {
			r.batches = append(r.batches, nil)
		}
		td := &r.req.TopicData[i]
		td.Name, td.TopicId = q.topic, protocol.UUID(topicID)
	}
	td := &r.req.TopicData[i]
	td.PartitionData = append(td.PartitionData, protocol.ProduceRequestPartitionProduceData{Index: q.partition, Records: b.encoded})
	r.batches[i] = append(r.batches[i], b)
	r.size += b.sizeEstimate() + len(q.topic) + 40
}

// errNoAnswer is the error of a batch whose partition the broker's response
// left out.
var errNoAnswer = errors.New("core: the broker's Produce response did not mention the partition")
