package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// Highest versions of the transactional requests by transaction protocol:
// v1 (KIP-98) caps them below what v2 (KIP-890 part 2) changed.
const (
	endTxnV1Max          = 4  // v5 bumps the epoch at each transaction end
	txnOffsetCommitV1Max = 4  // v5 also adds the group to the transaction
	txnOffsetCommitMax   = 5  // v6 names topics by id
	produceTxnV1Max      = 11 // v12 adds partitions to the transaction
)

// coordRequest sends req to the coordinator of (kind, key), capped at
// maxVersion, and returns the response and the error its code(s) hold
// (code extracts it). Network errors, coordinator moves and retriable
// codes (CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS, ...) are
// retried with backoff until ctx ends, which yields a retriable TxnError.
func (p *Producer) coordRequest(ctx context.Context, op string, kind int8, key string, req protocol.Request, maxVersion int16, code func(protocol.Response) error) (protocol.Response, error) {
	var last error
	for attempt := 0; ; attempt++ {
		resp, err := p.coordOnce(ctx, kind, key, req, maxVersion)
		if err == nil {
			err = code(resp)
		}
		if p.txn != nil && kind == cluster.CoordinatorTransaction {
			p.txn.noteCoordAttempt(err)
		}
		if err == nil {
			return resp, nil
		}
		if coordMoved(err) {
			p.cl.InvalidateCoordinator(kind, key)
		}
		var ke *kerr.Error
		if errors.As(err, &ke) && !ke.Retriable && !errors.Is(err, kerr.ConcurrentTransactions) {
			return resp, err
		}
		if errors.Is(err, cluster.ErrClosed) {
			return nil, &TxnError{Kind: TxnFatal, Op: op, Err: ErrProducerClosed}
		}
		last = keepCause(ctx, last, err)
		delay := p.backoff.Delay(attempt)
		if errors.Is(err, kerr.ConcurrentTransactions) {
			delay = min(delay, 20*time.Millisecond<<min(attempt, 4)) // the coordinator finishes soon
		}
		if sleepCtx(ctx, delay) != nil {
			return nil, &TxnError{Kind: TxnRetriable, Op: op,
				Err: fmt.Errorf("%w (last error: %v)", context.Cause(ctx), last)}
		}
	}
}

// coordOnce finds the coordinator and sends req to it once.
func (p *Producer) coordOnce(ctx context.Context, kind int8, key string, req protocol.Request, maxVersion int16) (protocol.Response, error) {
	id, err := p.cl.Coordinator(ctx, kind, key)
	if err != nil {
		return nil, err
	}
	lane := wire.LaneProduce
	if kind == cluster.CoordinatorGroup {
		lane = wire.LaneGroup
	}
	return p.cl.DoCapped(ctx, id, lane, req, maxVersion)
}

// coordMoved reports whether err means the coordinator should be looked
// up again: it moved, is not ready, or the connection failed.
func coordMoved(err error) bool {
	var ke *kerr.Error
	if !errors.As(err, &ke) {
		return true
	}
	return errors.Is(err, kerr.NotCoordinator) || errors.Is(err, kerr.CoordinatorNotAvailable)
}

// initTxnProducerID asks the transaction coordinator for the producer id
// and epoch of the transactional id, fencing older epochs (InitProducerId).
// Passing the current id and epoch (KIP-360) bumps the epoch instead,
// which only this producer may do.
func (p *Producer) initTxnProducerID(ctx context.Context, op string, cur *producerID) (producerID, error) {
	req := &protocol.InitProducerIdRequest{}
	req.Default()
	id := p.txn.id
	req.TransactionalId = &id
	req.TransactionTimeoutMs = int32(p.txn.timeout / time.Millisecond)
	if cur != nil {
		req.ProducerId, req.ProducerEpoch = cur.id, cur.epoch
	}
	resp, err := p.coordRequest(ctx, op, cluster.CoordinatorTransaction, id, req, req.MaxVersion(), func(r protocol.Response) error {
		return kerr.ForCode(r.(*protocol.InitProducerIdResponse).ErrorCode)
	})
	if err != nil {
		if errors.Is(err, kerr.InvalidTransactionTimeout) {
			err = fmt.Errorf("%w: TransactionTimeout %v exceeds the broker's transaction.max.timeout.ms; lower it", err, p.txn.timeout)
		}
		return producerID{}, err
	}
	r := resp.(*protocol.InitProducerIdResponse)
	next := producerID{id: r.ProducerId, epoch: r.ProducerEpoch, gen: 1}
	if old := p.pid.Load(); old != nil {
		next.gen = old.gen + 1
	}
	return next, nil
}

// detectTxnV2 reports whether the transaction coordinator runs transaction
// protocol version 2 (KIP-890 part 2): the cluster finalized feature
// transaction.version at 2 or more, and the broker speaks EndTxn v5 and
// Produce v12. Without it the v1 flow (AddPartitionsToTxn,
// AddOffsetsToTxn) is used.
func (p *Producer) detectTxnV2(ctx context.Context) bool {
	id, err := p.cl.Coordinator(ctx, cluster.CoordinatorTransaction, p.txn.id)
	if err != nil {
		return false
	}
	v, err := p.cl.Versions(ctx, id)
	if err != nil || v == nil || v.Raw == nil {
		return false
	}
	level := int16(0)
	for _, f := range v.Raw.FinalizedFeatures {
		if f.Name == "transaction.version" {
			level = f.MaxVersionLevel
		}
	}
	_, endMax, ok1 := v.Range((*protocol.EndTxnRequest)(nil).Key())
	_, prodMax, ok2 := v.Range((*protocol.ProduceRequest)(nil).Key())
	return level >= 2 && ok1 && ok2 && endMax >= 5 && prodMax >= 12
}

// endTxn commits or aborts the transaction at the coordinator (EndTxn).
// With protocol v2 the coordinator bumps the epoch, which the producer
// adopts: sequences start again at 0.
func (p *Producer) endTxn(ctx context.Context, op string, commit bool) error {
	pid := p.pid.Load()
	req := &protocol.EndTxnRequest{}
	req.Default()
	req.TransactionalId, req.ProducerId, req.ProducerEpoch, req.Committed = p.txn.id, pid.id, pid.epoch, commit
	maxV := int16(endTxnV1Max)
	if p.txn.v2.Load() {
		maxV = req.MaxVersion()
	}
	resp, err := p.coordRequest(ctx, op, cluster.CoordinatorTransaction, p.txn.id, req, maxV, func(r protocol.Response) error {
		return kerr.ForCode(r.(*protocol.EndTxnResponse).ErrorCode)
	})
	if err != nil {
		return err
	}
	if r := resp.(*protocol.EndTxnResponse); p.txn.v2.Load() && r.ProducerId >= 0 && r.ProducerEpoch >= 0 {
		p.pid.Store(&producerID{id: r.ProducerId, epoch: r.ProducerEpoch, gen: pid.gen + 1})
		p.bump.Store(false) // the new epoch restarts every sequence
	}
	return nil
}

// addPartitions adds qs to the transaction (AddPartitionsToTxn, protocol
// v1), in one request, then wakes the sender. It runs on its own goroutine;
// a failure makes the transaction abortable (or the producer fatal).
func (p *Producer) addPartitions(qs []*partitionQueue) {
	defer p.wg.Done()
	pid := p.pid.Load()
	req := &protocol.AddPartitionsToTxnRequest{}
	req.Default()
	req.V3AndBelowTransactionalId, req.V3AndBelowProducerId, req.V3AndBelowProducerEpoch = p.txn.id, pid.id, pid.epoch
	byTopic := map[string]int{}
	for _, q := range qs {
		i, ok := byTopic[q.topic]
		if !ok {
			i = len(req.V3AndBelowTopics)
			byTopic[q.topic] = i
			req.V3AndBelowTopics = append(req.V3AndBelowTopics, protocol.AddPartitionsToTxnRequestAddPartitionsToTxnTopic{Name: q.topic})
		}
		req.V3AndBelowTopics[i].Partitions = append(req.V3AndBelowTopics[i].Partitions, q.partition)
	}
	ctx, cancel := context.WithTimeout(p.ctx, p.cfg.DeliveryTimeout)
	defer cancel()
	_, err := p.coordRequest(ctx, "AddPartitionsToTxn", cluster.CoordinatorTransaction, p.txn.id, req, 3, addPartitionsError)
	if err != nil {
		p.txn.fail("Send (AddPartitionsToTxn)", txnKind(err), err)
	}
	p.txn.addedPartitions(qs, err == nil)
	p.wakeSender()
}

// addPartitionsError returns the first partition error of an
// AddPartitionsToTxn response, skipping OPERATION_NOT_ATTEMPTED (which
// only says another partition failed).
func addPartitionsError(r protocol.Response) error {
	resp := r.(*protocol.AddPartitionsToTxnResponse)
	if err := kerr.ForCode(resp.ErrorCode); err != nil {
		return err
	}
	var first error
	for _, t := range resp.ResultsByTopicV3AndBelow {
		for _, pr := range t.ResultsByPartition {
			err := kerr.ForCode(pr.PartitionErrorCode)
			if err == nil || errors.Is(err, kerr.OperationNotAttempted) {
				continue
			}
			if first == nil {
				first = fmt.Errorf("%s/%d: %w", t.Name, pr.PartitionIndex, err)
			}
		}
	}
	return first
}

// startAddPartitions starts an AddPartitionsToTxn for the partitions whose
// batches wait for it, unless one is in flight. Sender only.
func (p *Producer) startAddPartitions() {
	if p.txn == nil || p.txn.v2.Load() {
		return
	}
	if qs := p.txn.takePending(); qs != nil {
		p.wg.Add(1)
		go p.addPartitions(qs)
	}
}
