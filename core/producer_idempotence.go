package core

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// producerID is the idempotent producer's identity. gen counts the ids and
// epochs the producer has had: sequences restart at 0 with each generation.
type producerID struct {
	id    int64
	epoch int16
	gen   uint32
}

// idState is the idempotence bookkeeping of the sender.
type idState struct {
	pid       atomic.Pointer[producerID] // nil until InitProducerId answered
	bump      atomic.Bool                // an epoch bump is needed
	idErr     error                      // sender only: the last InitProducerId error
	idAttempt int                        // sender only
	idRetryAt time.Time                  // sender only
	idFatal   atomic.Pointer[error]      // set once the brokers cannot do idempotence
}

// noProducerID is what a producer without idempotence sends.
var noProducerID = producerID{id: -1, epoch: -1}

// producerReady returns the producer id batches are sent with and whether
// they may be sent now. It gets the first id from the cluster and bumps the
// epoch when a batch's fate left a gap in some partition's sequences,
// waiting first for the requests in flight to be answered: the way Java's
// idempotent producer recovers from OUT_OF_ORDER_SEQUENCE_NUMBER and
// UNKNOWN_PRODUCER_ID (KIP-360). The epoch is bumped locally, as Java does
// for a non-transactional producer; a new id is asked for only when the
// epoch would overflow. Sender only.
func (p *Producer) producerReady(now time.Time) (producerID, bool) {
	if !p.idem {
		return noProducerID, true
	}
	if e := p.idFatal.Load(); e != nil {
		p.failAllQueued(*e)
		return producerID{}, false
	}
	cur := p.pid.Load()
	if p.txn != nil {
		// The transactional producer's id and epoch come from the
		// coordinator only (InitTransactions, EndTxn v5, an abort's bump).
		if cur == nil {
			return producerID{}, false
		}
		return *cur, true
	}
	if cur != nil && !p.bump.Load() {
		return *cur, true
	}
	if cur != nil && p.inFlight.Load() > 0 {
		return producerID{}, false // bump once everything in flight is answered
	}
	if now.Before(p.idRetryAt) {
		return producerID{}, false
	}
	var next *producerID
	if cur != nil && cur.epoch < math.MaxInt16 {
		next = &producerID{id: cur.id, epoch: cur.epoch + 1, gen: cur.gen + 1}
		p.cfg.Logger.Info("core: producer bumps its epoch to recover from a sequence gap", "producer_id", next.id, "epoch", next.epoch)
	} else {
		id, epoch, err := p.initProducerID()
		if ferr, fatal := idempotenceError(err); fatal {
			p.idFatal.Store(&ferr)
			p.cfg.Logger.Error("core: producer cannot be idempotent", "err", ferr)
			p.failAllQueued(ferr)
			return producerID{}, false
		}
		if err != nil {
			p.idErr = err
			p.idRetryAt = now.Add(p.backoff.Delay(p.idAttempt))
			p.idAttempt++
			p.cfg.Logger.Warn("core: producer could not get a producer id", "err", err)
			if errors.Is(err, ErrAuthentication) {
				// Waiting cannot help the records queued now: fail them at
				// once; later sends try again (credentials may be fixed).
				p.failAllQueued(fmt.Errorf("core: producer cannot get a producer id: %w", err))
			}
			return producerID{}, false
		}
		next = &producerID{id: id, epoch: epoch, gen: 1}
		if cur != nil {
			next.gen = cur.gen + 1
		}
	}
	p.idErr, p.idAttempt, p.idRetryAt = nil, 0, time.Time{}
	p.pid.Store(next)
	p.bump.Store(false)
	return *next, true
}

// initProducerID asks any broker for a new producer id.
func (p *Producer) initProducerID() (int64, int16, error) {
	req := &protocol.InitProducerIdRequest{}
	req.Default()
	req.TransactionalId = nil
	req.TransactionTimeoutMs = math.MaxInt32 // as Java, for a producer without transactions
	ctx, cancel := context.WithTimeout(p.ctx, p.cfg.RequestTimeout)
	defer cancel()
	resp, _, err := p.cl.DoAny(ctx, req)
	if err != nil {
		return 0, 0, err
	}
	r := resp.(*protocol.InitProducerIdResponse)
	if err := kerr.ForCode(r.ErrorCode); err != nil {
		return 0, 0, fmt.Errorf("core: InitProducerId: %w", err)
	}
	return r.ProducerId, r.ProducerEpoch, nil
}

// requestBump asks for an epoch bump if gen is still the current
// generation (a bump already done covers the batch).
func (p *Producer) requestBump(gen uint32) {
	if cur := p.pid.Load(); cur != nil && cur.gen == gen {
		p.bump.Store(true)
	}
}

// idempotenceRetry decides what an idempotent producer does with a batch
// the broker answered err for, as Java's TransactionManager.canRetry does:
// OUT_OF_ORDER_SEQUENCE_NUMBER for a batch sent while an earlier one of its
// partition was in flight means that one is unresolved (or was written
// after it), so it is only retried; for a batch sent with nothing before it
// unanswered it is a real gap, and the epoch is bumped.
// UNKNOWN_PRODUCER_ID means the broker lost the producer's state: bump and
// retry. handled is false for other errors. Callers hold b.q.mu.
func (p *Producer) idempotenceRetry(b *producerBatch, err error) (handled bool) {
	if p.txn != nil && (errors.Is(err, kerr.UnknownProducerID) || (b.first && errors.Is(err, kerr.OutOfOrderSequenceNumber))) {
		return false // a real gap: the transaction fails, its abort bumps the epoch
	}
	switch {
	case errors.Is(err, kerr.OutOfOrderSequenceNumber):
		if b.first {
			p.requestBump(b.gen)
		}
		return true
	case errors.Is(err, kerr.UnknownProducerID):
		p.requestBump(b.gen)
		return true
	}
	return false
}
