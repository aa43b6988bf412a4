package core

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core/kerr"
)

// This file is the transactional producer's state machine and its errors;
// txn_coord.go talks to the transaction coordinator, txn_api.go has the
// Producer's transaction methods, txn_offsets.go SendOffsetsToTransaction.

// TxnState is where a transactional producer is in its state machine:
//
//	Uninitialized --InitTransactions--> Ready
//	Ready --BeginTransaction--> InTransaction
//	InTransaction --CommitTransaction--> Committing --> Ready
//	InTransaction, AbortableError --AbortTransaction--> Aborting --> Ready
//	InTransaction, Committing --abortable error--> AbortableError
//	any --fatal error--> FatalError (only Close is left)
//
// A call that fails with a retriable error (ctx ended, coordinator moving)
// leaves the state as it was (Committing, Aborting): call it again.
type TxnState int8

// The states of a transactional producer.
const (
	TxnUninitialized  TxnState = iota // InitTransactions not done yet
	TxnReady                          // no transaction open
	TxnInTransaction                  // BeginTransaction done: Send, SendOffsetsToTransaction
	TxnCommitting                     // CommitTransaction under way (or to retry)
	TxnAborting                       // AbortTransaction under way (or to retry)
	TxnAbortableError                 // the transaction failed: AbortTransaction
	TxnFatalError                     // the producer cannot go on: Close
)

var txnStateNames = [...]string{"Uninitialized", "Ready", "InTransaction", "Committing", "Aborting", "AbortableError", "FatalError"}

// String returns the state's name, e.g. "InTransaction".
func (s TxnState) String() string {
	if int(s) < len(txnStateNames) {
		return txnStateNames[s]
	}
	return fmt.Sprintf("TxnState(%d)", int8(s))
}

// TxnErrorKind says what a user does after a transactional call failed.
type TxnErrorKind int8

// The kinds of TxnError.
const (
	// TxnRetriable: nothing is lost; call the same method again (with a
	// longer context).
	TxnRetriable TxnErrorKind = iota
	// TxnAbortable: the transaction cannot commit; call AbortTransaction,
	// then the producer can begin a new one (rewind the consumer to its last
	// committed offsets to process the inputs again).
	TxnAbortable
	// TxnFatal: the producer can do nothing more (fenced by a newer producer
	// with the same TransactionalID, not authorized, misconfigured); Close
	// it, and create a new one if this process should still be the owner.
	TxnFatal
)

// Sentinels matching a *TxnError of each kind with errors.Is.
var (
	ErrTransactionRetriable = errors.New("core: the transactional call failed for a passing reason; call it again")
	ErrTransactionAbortable = errors.New("core: the transaction cannot commit; call AbortTransaction, then begin a new one")
	ErrTransactionFatal     = errors.New("core: the transactional producer cannot go on; Close it")
	// ErrTransactionState is returned for a call that the producer's state
	// does not allow (BeginTransaction twice, Send outside a transaction);
	// the state is unchanged.
	ErrTransactionState = errors.New("core: transactional call out of order")
	// ErrTransactionAborted fails records that were still queued when their
	// transaction was aborted.
	ErrTransactionAborted = errors.New("core: the transaction was aborted before the record was sent")
)

// TxnError is the error of a transactional producer's call, or of a record
// sent in a transaction that failed; Kind says what to do next.
// errors.Is(err, ErrTransactionFatal) (or ...Abortable, ...Retriable)
// matches by kind, and errors.Is(err, kerr.ProducerFenced) and the like
// match the cause.
type TxnError struct {
	Kind TxnErrorKind
	Op   string // the call: "InitTransactions", "CommitTransaction", "Produce", ...
	Err  error  // the cause
}

func (e *TxnError) Error() string {
	var what string
	switch e.Kind {
	case TxnRetriable:
		what = "retriable; call it again"
	case TxnAbortable:
		what = "the transaction must be aborted: call AbortTransaction, then begin a new one"
	default:
		what = "fatal; Close the producer"
		if errors.Is(e.Err, kerr.ProducerFenced) || errors.Is(e.Err, kerr.InvalidProducerEpoch) {
			what = "fatal: a newer producer with the same TransactionalID fenced this one (or the transaction outlived TransactionTimeout and the coordinator aborted it); Close the producer"
		}
	}
	return fmt.Sprintf("core: %s: %v (%s)", e.Op, e.Err, what)
}

// Unwrap returns the cause.
func (e *TxnError) Unwrap() error { return e.Err }

// Is matches the sentinel of e's kind.
func (e *TxnError) Is(target error) bool {
	switch target {
	case ErrTransactionRetriable:
		return e.Kind == TxnRetriable
	case ErrTransactionAbortable:
		return e.Kind == TxnAbortable
	case ErrTransactionFatal:
		return e.Kind == TxnFatal
	}
	return false
}

// txnKind classifies a coordinator's or a partition leader's error.
func txnKind(err error) TxnErrorKind {
	switch {
	case errors.Is(err, kerr.ProducerFenced), errors.Is(err, kerr.InvalidProducerEpoch),
		errors.Is(err, kerr.TransactionalIDAuthorizationFailed), errors.Is(err, kerr.ClusterAuthorizationFailed),
		errors.Is(err, kerr.InvalidTxnState), errors.Is(err, kerr.InvalidTransactionTimeout),
		errors.Is(err, kerr.UnsupportedVersion), errors.Is(err, kerr.UnsupportedForMessageFormat),
		errors.Is(err, kerr.FencedInstanceID), errors.Is(err, ErrProducerClosed):
		return TxnFatal
	}
	return TxnAbortable
}

// txnManager is the transactional state of a Producer. mu guards every
// field but sendMu; opMu serializes the transactional calls.
type txnManager struct {
	id      string
	timeout time.Duration

	opMu sync.Mutex // one of InitTransactions, Begin, SendOffsets, Commit, Abort at a time
	// sendMu is read-held by Send while it checks the state and appends, and
	// write-held by the calls that leave InTransaction, so that no record
	// joins a transaction after its commit or abort began.
	sendMu sync.RWMutex

	mu      sync.Mutex
	state   TxnState
	err     error       // why the state is AbortableError or Fatal
	v2      atomic.Bool // transaction protocol version 2 (KIP-890 part 2)
	started time.Time
	// Partitions of the current transaction (protocol v1): added to it at
	// the coordinator, waiting to be added, and whether an
	// AddPartitionsToTxn is in flight.
	added   map[*partitionQueue]bool
	pending map[*partitionQueue]bool
	adding  bool
	touched bool // a batch, a partition or offsets went to the cluster
	// coordErr is the error of the last attempt at a request to the
	// transaction coordinator, nil after a success: the cause given to
	// records that expire waiting for their partition to be added.
	coordErr error

	forceV1 bool // tests: use protocol v1 even where v2 is available
}

func newTxnManager(cfg ProducerConfig) *txnManager {
	return &txnManager{id: cfg.TransactionalID, timeout: cfg.TransactionTimeout,
		added: map[*partitionQueue]bool{}, pending: map[*partitionQueue]bool{}}
}

// current returns the state and its error.
func (t *txnManager) current() (TxnState, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.state, t.err
}

// check returns an ErrTransactionState error, or the stored error of an
// AbortableError or Fatal state, unless the state is one of want.
func (t *txnManager) check(op string, want ...TxnState) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range want {
		if t.state == s {
			return nil
		}
	}
	if t.state == TxnFatalError || (t.state == TxnAbortableError && op != "BeginTransaction") {
		return t.err
	}
	hint := map[TxnState]string{
		TxnUninitialized: "call InitTransactions first", TxnReady: "call BeginTransaction first",
		TxnInTransaction:  "commit or abort the open transaction first",
		TxnCommitting:     "call CommitTransaction again to finish the commit",
		TxnAborting:       "call AbortTransaction again to finish the abort",
		TxnAbortableError: "call AbortTransaction first",
	}[t.state]
	return fmt.Errorf("%w: %s in state %v; %s", ErrTransactionState, op, t.state, hint)
}

// set moves to state s.
func (t *txnManager) set(s TxnState) {
	t.mu.Lock()
	t.state = s
	if s == TxnReady {
		t.err = nil
	}
	t.mu.Unlock()
}

// fail records err of op: the state becomes Fatal or AbortableError
// (Fatal is never left), and the returned *TxnError says what to do.
// A retriable kind leaves the state alone.
func (t *txnManager) fail(op string, kind TxnErrorKind, err error) error {
	var te *TxnError
	// Unwrap a TxnError of the same call, or a retriable one this failure
	// outranks, so that its advice ("call it again") is not repeated.
	if errors.As(err, &te) && (te.Op == op || (te.Kind == TxnRetriable && kind > TxnRetriable)) {
		kind = max(kind, te.Kind)
		err = te.Err
	}
	e := &TxnError{Kind: kind, Op: op, Err: err}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.state == TxnFatalError:
		return t.err
	case kind == TxnFatal:
		t.state, t.err = TxnFatalError, e
	case kind == TxnAbortable && t.state != TxnAborting:
		t.state, t.err = TxnAbortableError, e
	}
	return e
}

// batchFailed is told of every record batch that failed while the producer
// is transactional: the open transaction cannot commit any more.
func (t *txnManager) batchFailed(err error) {
	t.mu.Lock()
	state := t.state
	t.mu.Unlock()
	if state == TxnInTransaction || state == TxnCommitting {
		t.fail("Produce", txnKind(err), err)
	}
}

// partitionReady reports whether q's batches may be sent in the current
// transaction: with protocol v2 always (the leader adds the partition);
// with v1 once AddPartitionsToTxn added it, which this requests. err is
// set when the batches must fail instead. Callers hold q.mu.
func (t *txnManager) partitionReady(q *partitionQueue) (ready bool, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch t.state {
	case TxnInTransaction, TxnCommitting:
	case TxnAborting, TxnReady:
		return false, ErrTransactionAborted
	default:
		if t.err != nil {
			return false, t.err
		}
		return false, ErrTransactionAborted
	}
	if t.v2.Load() || t.added[q] {
		t.touched = true
		return true, nil
	}
	t.pending[q] = true
	return false, nil
}

// noteCoordAttempt records the outcome of one attempt at a request to the
// transaction coordinator.
func (t *txnManager) noteCoordAttempt(err error) {
	t.mu.Lock()
	t.coordErr = err
	t.mu.Unlock()
}

// waitCause says why q's batches were not sent, for those that expire
// unsent: q's partition was not added to the transaction (protocol v1) in
// time; nil when it was, or with protocol v2. Callers hold q.mu.
func (t *txnManager) waitCause(q *partitionQueue) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.v2.Load() || t.added[q] {
		return nil
	}
	if t.coordErr != nil {
		return fmt.Errorf("the partition was not added to the transaction in time (AddPartitionsToTxn; last error: %w)", t.coordErr)
	}
	return errors.New("the partition was not added to the transaction in time (AddPartitionsToTxn)")
}

// takePending returns the partitions to add and marks an add in flight,
// or returns nil.
func (t *txnManager) takePending() []*partitionQueue {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.adding || len(t.pending) == 0 || (t.state != TxnInTransaction && t.state != TxnCommitting) {
		return nil
	}
	qs := make([]*partitionQueue, 0, len(t.pending))
	for q := range t.pending {
		qs = append(qs, q)
	}
	t.adding = true
	return qs
}

// addedPartitions ends an add: on success qs are in the transaction.
func (t *txnManager) addedPartitions(qs []*partitionQueue, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.adding = false
	for _, q := range qs {
		if ok {
			t.added[q] = true
			t.touched = true
			delete(t.pending, q)
		}
	}
}

// reset forgets the partitions and offsets of the transaction that ended.
func (t *txnManager) reset() {
	t.mu.Lock()
	clear(t.added)
	clear(t.pending)
	t.touched = false
	t.mu.Unlock()
}
