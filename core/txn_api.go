package core

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// This file holds the transactional methods of the Producer. They are
// safe to call from any goroutine but run one at a time (a second call
// waits for the first); Send may run concurrently with all of them and is
// accepted only in state TxnInTransaction. See TxnState for the state
// machine and TxnError for what to do after an error.

var errNotTransactional = errors.New("core: the producer is not transactional; set ProducerConfig.TransactionalID")

// TransactionState returns the transactional producer's state and, in
// TxnAbortableError or TxnFatalError, the error that led there. A producer
// without TransactionalID is always TxnUninitialized.
func (p *Producer) TransactionState() (TxnState, error) {
	if p.txn == nil {
		return TxnUninitialized, nil
	}
	return p.txn.current()
}

// InitTransactions must be called once, before any other transactional
// call: it finds the transaction coordinator of ProducerConfig.TransactionalID
// and gets the producer id and a new epoch for it (InitProducerId), which
// fences every older producer with the same TransactionalID and aborts (or
// completes) the transaction that one left open. It also detects whether
// the coordinator runs transaction protocol v2 (KIP-890, Kafka 4.0+).
//
// The TransactionalID identifies the producer across restarts, so that a
// new instance fences the old one: give each instance of an application
// its own stable id. TransactionTimeout (at most the broker's
// transaction.max.timeout.ms, 15 minutes by default) bounds how long a
// transaction may stay open before the coordinator aborts it and fences
// this producer's epoch.
//
// Errors: a retriable *TxnError when ctx ended first (call it again), a
// fatal one otherwise (e.g. not authorized, TransactionTimeout above the
// broker's transaction.max.timeout.ms).
func (p *Producer) InitTransactions(ctx context.Context) error {
	const op = "InitTransactions"
	if p.txn == nil {
		return errNotTransactional
	}
	p.txn.opMu.Lock()
	defer p.txn.opMu.Unlock()
	if err := p.txn.check(op, TxnUninitialized); err != nil {
		return err
	}
	v2 := !p.txn.forceV1 && p.detectTxnV2(ctx)
	pid, err := p.initTxnProducerID(ctx, op, nil)
	if err != nil {
		return p.txnFailed(op, txnSupportError(err), TxnFatal)
	}
	p.txn.v2.Store(v2)
	p.pid.Store(&pid)
	p.txn.set(TxnReady)
	p.cfg.Logger.Info("core: transactional producer initialized", "transactional_id", p.txn.id,
		"producer_id", pid.id, "epoch", pid.epoch, "transaction_protocol", map[bool]int{false: 1, true: 2}[v2])
	return nil
}

// BeginTransaction opens a transaction: records sent from now until
// CommitTransaction or AbortTransaction belong to it. It only changes
// local state (the coordinator learns of the transaction with its first
// record or offsets).
func (p *Producer) BeginTransaction() error {
	const op = "BeginTransaction"
	if p.txn == nil {
		return errNotTransactional
	}
	p.txn.opMu.Lock()
	defer p.txn.opMu.Unlock()
	if err := p.txn.check(op, TxnReady); err != nil {
		return err
	}
	p.txn.reset()
	p.txn.sendMu.Lock()
	p.txn.mu.Lock()
	p.txn.state, p.txn.started = TxnInTransaction, time.Now()
	p.txn.mu.Unlock()
	p.txn.sendMu.Unlock()
	return nil
}

// CommitTransaction flushes the transaction's records, then commits it
// (EndTxn): its records become visible to read_committed consumers and its
// offsets (SendOffsetsToTransaction) become the group's committed offsets,
// all at once. Sends made while it runs are refused.
//
// Errors: retriable (ctx ended: call CommitTransaction again, which
// resumes), abortable (a record failed or the coordinator refused: call
// AbortTransaction), fatal (fenced: Close).
func (p *Producer) CommitTransaction(ctx context.Context) error {
	const op = "CommitTransaction"
	if p.txn == nil {
		return errNotTransactional
	}
	p.txn.opMu.Lock()
	defer p.txn.opMu.Unlock()
	if err := p.txn.check(op, TxnInTransaction, TxnCommitting); err != nil {
		return err
	}
	p.txn.closeSends(TxnCommitting)
	if err := p.Flush(ctx); err != nil {
		return &TxnError{Kind: TxnRetriable, Op: op, Err: err}
	}
	if st, err := p.txn.current(); st != TxnCommitting {
		return err // a record failed: abortable or fatal
	}
	if p.txn.wasTouched() {
		if err := p.endTxn(ctx, op, true); err != nil {
			return p.txnFailed(op, p.txn.explainTimeout(err), TxnAbortable)
		}
	}
	p.txn.reset()
	p.txn.set(TxnReady)
	return nil
}

// AbortTransaction aborts the open transaction: records still queued fail
// with ErrTransactionAborted, records in flight are waited for, then the
// coordinator writes abort markers (EndTxn), so read_committed consumers
// never see the transaction's records and its offsets are not committed.
// It is the way out of TxnAbortableError; the producer is then ready for
// BeginTransaction. Errors: retriable (call it again) or fatal.
func (p *Producer) AbortTransaction(ctx context.Context) error {
	const op = "AbortTransaction"
	if p.txn == nil {
		return errNotTransactional
	}
	p.txn.opMu.Lock()
	defer p.txn.opMu.Unlock()
	if err := p.txn.check(op, TxnInTransaction, TxnAbortableError, TxnAborting); err != nil {
		return err
	}
	p.txn.closeSends(TxnAborting)
	p.abortQueued()
	if err := p.Flush(ctx); err != nil {
		return &TxnError{Kind: TxnRetriable, Op: op, Err: err}
	}
	if err := p.txn.waitAdds(ctx); err != nil {
		return &TxnError{Kind: TxnRetriable, Op: op, Err: err}
	}
	if p.txn.wasTouched() {
		if err := p.endTxn(ctx, op, false); err != nil {
			return p.txnFailed(op, err, TxnFatal)
		}
	}
	if cur := p.pid.Load(); !p.txn.v2.Load() && p.bump.Load() {
		// A failed batch left a gap in its partition's sequences: get a
		// new epoch from the coordinator (KIP-360) so they restart at 0.
		next, err := p.initTxnProducerID(ctx, op, cur)
		if err != nil {
			return p.txnFailed(op, err, TxnFatal)
		}
		p.pid.Store(&next)
		p.bump.Store(false)
	}
	p.txn.reset()
	p.txn.set(TxnReady)
	return nil
}

// txnFailed turns err of op into a *TxnError and moves the state: a
// retriable TxnError (ctx ended) passes through; kerr errors are
// classified; other errors take kind.
func (p *Producer) txnFailed(op string, err error, kind TxnErrorKind) error {
	var te *TxnError
	if errors.As(err, &te) {
		if te.Kind == TxnRetriable {
			return te
		}
		return p.txn.fail(op, te.Kind, te.Err)
	}
	if k := txnKind(err); k == TxnFatal || kind != TxnFatal {
		kind = k
	}
	return p.txn.fail(op, kind, err)
}

// abortQueued fails every batch not yet sent with ErrTransactionAborted.
func (p *Producer) abortQueued() {
	for _, e := range p.topics.snapshot() {
		for _, q := range e.v.parts.Load().queues {
			q.mu.Lock()
			left := q.batches
			q.batches = nil
			q.mu.Unlock()
			for _, b := range left {
				p.fail(b, fmt.Errorf("%w (%s/%d)", ErrTransactionAborted, q.topic, q.partition))
			}
		}
	}
}

// enterSend admits a Send into the open transaction; release must be
// called once the record is appended.
func (t *txnManager) enterSend() (release func(), err error) {
	t.sendMu.RLock()
	if st, _ := t.current(); st == TxnInTransaction {
		return t.sendMu.RUnlock, nil
	}
	t.sendMu.RUnlock()
	return nil, t.check("Send", TxnInTransaction)
}

// closeSends moves from InTransaction to s once no Send is appending.
func (t *txnManager) closeSends(s TxnState) {
	t.sendMu.Lock()
	t.mu.Lock()
	if t.state == TxnInTransaction || (s == TxnAborting && t.state == TxnAbortableError) {
		t.state = s
	}
	t.mu.Unlock()
	t.sendMu.Unlock()
}

// wasTouched reports whether the coordinator may know of the transaction:
// a batch was sent in it, a partition or the offsets were added.
func (t *txnManager) wasTouched() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.touched
}

// waitAdds waits for an AddPartitionsToTxn in flight to finish.
func (t *txnManager) waitAdds(ctx context.Context) error {
	for {
		t.mu.Lock()
		adding := t.adding
		t.mu.Unlock()
		if !adding {
			return nil
		}
		if err := sleepCtx(ctx, 5*time.Millisecond); err != nil {
			return err
		}
	}
}

// closeTxn aborts an open transaction when the producer closes, as Java
// does, so that read_committed consumers need not wait for the
// transaction timeout. Best effort within ctx.
func (p *Producer) closeTxn(ctx context.Context) {
	if p.txn == nil {
		return
	}
	switch st, _ := p.txn.current(); st {
	case TxnInTransaction, TxnAbortableError, TxnAborting, TxnCommitting:
		if err := p.AbortTransaction(ctx); err != nil {
			p.cfg.Logger.Warn("core: could not abort the open transaction on Close; the coordinator aborts it after TransactionTimeout", "err", err)
		}
	}
}

// explainTimeout adds to a coordinator's refusal (INVALID_TXN_STATE,
// PRODUCER_FENCED, ...) that the transaction outlived TransactionTimeout,
// when it did: the coordinator then aborted it and bumped the epoch.
func (t *txnManager) explainTimeout(err error) error {
	var te *TxnError
	if errors.As(err, &te) && te.Kind == TxnRetriable {
		return err
	}
	t.mu.Lock()
	open := time.Since(t.started)
	t.mu.Unlock()
	if open < t.timeout {
		return err
	}
	return fmt.Errorf("%w; the transaction was open for %v, longer than TransactionTimeout %v, so the coordinator aborted it: commit sooner or raise TransactionTimeout",
		err, open.Round(time.Millisecond), t.timeout)
}
