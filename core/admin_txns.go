package core

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// TransactionDescription describes a transactional id's current state.
type TransactionDescription struct {
	// State is e.g. "Empty", "Ongoing", "PrepareCommit", "CompleteCommit".
	State string
	// Timeout is the transaction timeout the producer asked for.
	Timeout time.Duration
	// Started is when the current transaction started; zero when none is.
	Started       time.Time
	ProducerID    int64
	ProducerEpoch int16
	// Partitions are those in the current transaction, by topic.
	Partitions  map[string][]int32
	Coordinator int32
	// Err is why it could not be described: TRANSACTIONAL_ID_NOT_FOUND, ...
	Err error
}

// DescribeTransactions describes transactional ids, asking each one's
// transaction coordinator, with one result per id.
func (a *Admin) DescribeTransactions(ctx context.Context, transactionalIDs ...string) map[string]TransactionDescription {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	d := groupDispatch(a, cluster.CoordinatorTransaction, func(ctx context.Context, broker int32, keys []string) (map[string]TransactionDescription, error) {
		req := &protocol.DescribeTransactionsRequest{}
		req.Default()
		req.TransactionalIds = keys
		resp, err := a.send(ctx, broker, req)
		if err != nil {
			return nil, err
		}
		out := map[string]TransactionDescription{}
		for _, s := range resp.(*protocol.DescribeTransactionsResponse).TransactionStates {
			t := TransactionDescription{State: s.TransactionState, Timeout: time.Duration(s.TransactionTimeoutMs) * time.Millisecond,
				ProducerID: s.ProducerId, ProducerEpoch: s.ProducerEpoch, Coordinator: broker, Err: kerr.ForCode(s.ErrorCode)}
			if s.TransactionStartTimeMs >= 0 {
				t.Started = time.UnixMilli(s.TransactionStartTimeMs)
			}
			for _, tp := range s.Topics {
				if t.Partitions == nil {
					t.Partitions = map[string][]int32{}
				}
				t.Partitions[tp.Topic] = append(t.Partitions[tp.Topic], tp.Partitions...)
			}
			out[s.TransactionalId] = t
		}
		return out, nil
	}, func(t TransactionDescription) error { return t.Err }, func(err error) TransactionDescription { return TransactionDescription{Err: err} })
	return d.run(ctx, a, transactionalIDs)
}

// TransactionListing is a transactional id as ListTransactions reports it.
type TransactionListing struct {
	TransactionalID string
	ProducerID      int64
	State           string
	Coordinator     int32
}

// ListTransactionsOptions filter ListTransactions; zero fields match all.
type ListTransactionsOptions struct {
	// States keeps transactions in these states, e.g. "Ongoing".
	States []string
	// ProducerIDs keeps transactions of these producers.
	ProducerIDs []int64
	// RunningLongerThan keeps transactions open for longer (Kafka 3.8+).
	RunningLongerThan time.Duration
	// Pattern keeps transactional ids matching this Java regular
	// expression (Kafka 4.1+).
	Pattern string
}

// ListTransactions asks every broker for the transactional ids it
// coordinates and returns them all, sorted by id. When some brokers fail,
// the listings of the others are returned together with an error naming
// the brokers that failed.
func (a *Admin) ListTransactions(ctx context.Context, opts ListTransactionsOptions) ([]TransactionListing, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	ids, err := a.brokerIDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("core: ListTransactions: %w", err)
	}
	var mu sync.Mutex
	var out []TransactionListing
	errs := a.eachBroker(ctx, ids, func(ctx context.Context, id int32) error {
		req := &protocol.ListTransactionsRequest{}
		req.Default()
		req.StateFilters, req.ProducerIdFilters = opts.States, opts.ProducerIDs
		if opts.RunningLongerThan > 0 {
			req.DurationFilter = opts.RunningLongerThan.Milliseconds()
		}
		if opts.Pattern != "" {
			req.TransactionalIdPattern = &opts.Pattern
		}
		if err := a.needListTransactionsFilters(ctx, id, opts); err != nil {
			return err
		}
		resp, err := a.send(ctx, id, req)
		if err != nil {
			return err
		}
		r := resp.(*protocol.ListTransactionsResponse)
		if err := kerr.ForCode(r.ErrorCode); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for _, s := range r.TransactionStates {
			out = append(out, TransactionListing{TransactionalID: s.TransactionalId, ProducerID: s.ProducerId, State: s.TransactionState, Coordinator: id})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].TransactionalID < out[j].TransactionalID })
	return out, brokerErrors("ListTransactions", errs)
}
