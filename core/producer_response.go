package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// produce sends req and settles its batches; it runs on its own goroutine.
func (p *Producer) produce(req *produceRequest) {
	defer p.wg.Done()
	req.req.TransactionalId = nil
	maxVersion := req.req.MaxVersion()
	if p.txn != nil {
		req.req.TransactionalId = &p.txn.id
		if !p.txn.v2.Load() {
			maxVersion = produceTxnV1Max // v12+ would add partitions implicitly
		}
	}
	req.req.Acks = p.cfg.Acks.wire()
	req.req.TimeoutMs = int32(p.cfg.RequestTimeout / time.Millisecond)
	send, lo, hi := p.encodeForBroker(req, maxVersion) // send false: no batch could be encoded for the broker
	if req.after != nil {
		<-req.after // the previous request to the broker is being written
	}
	if send {
		p.sendRequest(req, lo, hi)
	}
	req.signal()
	req.br.inFlight.Add(-1)
	p.inFlight.Add(-1)
	req.put()
	p.wakeSender()
}

// sendRequest sends req once, at a Produce version from lo to hi (those
// that carry its batches as encoded), and settles its batches.
func (p *Producer) sendRequest(req *produceRequest, lo, hi int16) {
	start := time.Now()
	resp, err := p.cl.DoProduce(p.ctx, req.broker, &req.req, lo, hi, &req.bufs, req.signal)
	req.signal() // in case DoProduce failed before writing
	p.m.requestLatency.Record(float64(time.Since(start)) / 1e6)
	p.m.request(req)
	if err != nil {
		p.needRefresh.Store(true)
		err = fmt.Errorf("core: Produce request to broker %d: %w", req.broker, err)
		for _, bs := range req.batches {
			for _, b := range bs {
				p.retryOrFail(b, err)
			}
		}
		return
	}
	p.settle(req, resp)
}

// settle completes or requeues each batch of req from the broker's answer
// (nil for acks=0: every batch succeeds with unknown offsets).
func (p *Producer) settle(req *produceRequest, r *protocol.ProduceResponse) {
	if r == nil {
		for _, bs := range req.batches {
			for _, b := range bs {
				p.succeed(b, -1, time.Time{})
			}
		}
		return
	}
	for i := range r.Responses {
		tr := &r.Responses[i]
		ti := req.topicIndex(tr)
		if ti < 0 {
			continue
		}
		pds := req.req.TopicData[ti].PartitionData
		for j := range tr.PartitionResponses {
			pr := &tr.PartitionResponses[j]
			for k := range pds {
				if b := req.batches[ti][k]; b != nil && pds[k].Index == pr.Index {
					req.batches[ti][k] = nil
					p.settleOne(b, pr)
					break
				}
			}
		}
	}
	for _, bs := range req.batches {
		for _, b := range bs {
			if b != nil {
				p.retryOrFail(b, errNoAnswer)
			}
		}
	}
}

// topicIndex finds the request's topic a response topic answers, by name
// (Produce v12 and below) or topic id (v13).
func (r *produceRequest) topicIndex(tr *protocol.ProduceResponseTopicProduceResponse) int {
	for i := range r.req.TopicData {
		td := &r.req.TopicData[i]
		if (tr.Name != "" && tr.Name == td.Name) || (tr.Name == "" && tr.TopicId == td.TopicId) {
			return i
		}
	}
	return -1
}

// settleOne completes or requeues b from its partition's answer.
func (p *Producer) settleOne(b *producerBatch, pr *protocol.ProduceResponsePartitionProduceResponse) {
	err := kerr.WithMessage(pr.ErrorCode, pr.ErrorMessage)
	switch {
	case err == nil:
		var at time.Time
		if pr.LogAppendTimeMs >= 0 {
			at = time.UnixMilli(pr.LogAppendTimeMs)
		}
		p.succeed(b, pr.BaseOffset, at)
	case errors.Is(err, kerr.DuplicateSequenceNumber):
		p.succeed(b, -1, time.Time{}) // written by an earlier attempt
	default:
		if len(pr.RecordErrors) > 0 && pr.RecordErrors[0].BatchIndexErrorMessage != nil {
			err = fmt.Errorf("%w (record %d: %s)", err, pr.RecordErrors[0].BatchIndex, *pr.RecordErrors[0].BatchIndexErrorMessage)
		}
		p.retryOrFail(b, p.compressionError(err))
	}
}

// succeed completes b as written at baseOffset (-1: unknown).
func (p *Producer) succeed(b *producerBatch, baseOffset int64, logAppendTime time.Time) {
	q := b.q
	q.mu.Lock()
	q.unsend(b)
	if p.idem && b.gen == q.gen {
		q.lastAcked = seqAdd(b.seq, int32(b.len()-1))
	}
	q.mu.Unlock()
	p.m.batchDone(b, nil)
	b.complete(baseOffset, logAppendTime, nil)
	p.pool.release(b.reserved)
	p.recycle(b)
}

// retryOrFail requeues b after err if err is worth retrying and b's
// delivery timeout allows, and fails it otherwise.
func (p *Producer) retryOrFail(b *producerBatch, err error) {
	if refreshes(err) {
		p.needRefresh.Store(true)
	}
	if p.split(b, err) {
		return
	}
	q := b.q
	q.mu.Lock()
	retry := p.retriable(b, err) && time.Now().Before(b.deadline) && p.ctx.Err() == nil
	if retry {
		b.attempts++
		b.retryAt = time.Now().Add(p.backoff.Delay(b.attempts - 1))
		b.lastErr = err
		q.requeue(b)
		q.mu.Unlock()
		p.m.retries.RecordN(int64(b.len()), 0, 0)
		p.cfg.Logger.Debug("core: producer retries a batch", "topic", q.topic, "partition", q.partition, "records", b.len(), "attempt", b.attempts, "err", err)
		return
	}
	q.unsend(b)
	q.mu.Unlock()
	if p.ctx.Err() != nil {
		err = fmt.Errorf("%w (in flight: %w)", context.Cause(p.ctx), err)
	} else if !time.Now().Before(b.deadline) {
		err = p.timeoutError(b, err)
	}
	p.fail(b, err)
}

// retriable reports whether b may be sent again after err. Callers hold b.q.mu.
func (p *Producer) retriable(b *producerBatch, err error) bool {
	if p.idem && p.idempotenceRetry(b, err) {
		return true
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return ke.Retriable
	}
	return !errors.Is(err, ErrProducerClosed) // network errors, timeouts
}

// refreshes reports whether err means the metadata may be stale.
func refreshes(err error) bool {
	var ke *kerr.Error
	if !errors.As(err, &ke) {
		return true // a network error: the broker may be gone
	}
	switch ke.Code {
	case kerr.NotLeaderOrFollower.Code, kerr.UnknownTopicOrPartition.Code, kerr.UnknownTopicID.Code,
		kerr.LeaderNotAvailable.Code, kerr.KafkaStorageError.Code:
		return true
	}
	return false
}

// fail completes b with err. A failed batch that had a sequence leaves a
// gap in its partition's sequences, so the epoch is bumped, as in Java.
func (p *Producer) fail(b *producerBatch, err error) {
	if errors.Is(err, kerr.MessageTooLarge) || errors.Is(err, kerr.RecordListTooLarge) {
		err = fmt.Errorf("%w: the broker rejected a batch of %d record(s), %d bytes (%d encoded) for %s/%d: %w",
			ErrRecordTooLarge, b.len(), b.rawSize(), len(b.encoded), b.q.topic, b.q.partition, err)
	}
	if p.idem && b.gen != 0 {
		p.requestBump(b.gen)
	}
	if p.txn != nil {
		p.txn.batchFailed(err)
	}
	p.m.batchDone(b, err)
	b.complete(-1, time.Time{}, err)
	p.pool.release(b.reserved)
	p.recycle(b)
}

// timeoutError is the error of a batch whose delivery timeout passed.
func (p *Producer) timeoutError(b *producerBatch, cause error) error {
	if cause == nil {
		cause = kerr.RequestTimedOut
	}
	return fmt.Errorf("core: %d records for %s/%d expired: DeliveryTimeout %v passed since the batch was created, after %d attempts (last error: %w); check the brokers, or raise DeliveryTimeout",
		b.len(), b.q.topic, b.q.partition, p.cfg.DeliveryTimeout, b.attempts, cause)
}
