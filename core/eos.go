package core

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// TransformLoop is an exactly-once consume-transform-produce loop: it
// polls Consumer, hands each batch of records to Transform, and in one
// transaction of Producer sends Transform's output records and commits the
// input offsets. A crash anywhere leaves either the whole batch done
// (outputs visible to read_committed consumers, inputs committed) or none
// of it (the transaction is aborted, by this loop or by the coordinator
// when a restarted producer with the same TransactionalID initializes),
// and the inputs are processed again.
//
// The Consumer needs a GroupID, IsolationLevel ReadCommitted (so it never
// processes aborted outputs of an upstream loop), DisableAutoCommit, and a
// subscription (Subscribe) or assigned partitions. The Producer needs a
// TransactionalID that stays the same across restarts of this instance
// (e.g. the group instance id). Run owns both while it runs: do not poll
// or send elsewhere meanwhile.
type TransformLoop struct {
	Consumer *Consumer
	Producer *Producer
	// Transform turns the records of one Poll into the records to produce.
	// The input records are valid until it returns; the outputs are copied
	// by Send. An error aborts the transaction, rewinds the consumer and is
	// returned by Run.
	Transform func(ctx context.Context, in Fetches) ([]Record, error)
	// PollTimeout bounds one Poll, so that Run notices ctx's end. Default 1s.
	PollTimeout time.Duration
	// MaxAborts is how many transactions in a row may fail with an
	// abortable error (each aborted and retried from the last committed
	// offsets) before Run gives up and returns the error. Default 10.
	MaxAborts int
	// OnCommit, if set, is called after each committed transaction with
	// the number of input and output records.
	OnCommit func(inputs, outputs int)
}

// Run initializes the producer's transactions if needed, then loops until
// ctx ends (returning ctx's error, after aborting an open transaction), a
// fatal error (the producer was fenced: another instance with the same
// TransactionalID took over; Close both and stop), Transform fails, or
// MaxAborts transactions in a row were aborted.
func (l *TransformLoop) Run(ctx context.Context) error {
	if l.Consumer == nil || l.Producer == nil || l.Transform == nil {
		return errors.New("core: TransformLoop needs a Consumer, a Producer and a Transform")
	}
	if l.Producer.txn == nil {
		return fmt.Errorf("core: TransformLoop: %w", errNotTransactional)
	}
	pollTimeout, maxAborts := l.PollTimeout, l.MaxAborts
	def(&pollTimeout, time.Second)
	def(&maxAborts, 10)
	if st, _ := l.Producer.TransactionState(); st == TxnUninitialized {
		if err := l.Producer.InitTransactions(ctx); err != nil {
			return err
		}
	}
	aborts := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		pctx, cancel := context.WithTimeout(ctx, pollTimeout)
		in, err := l.Consumer.Poll(pctx)
		cancel()
		if err != nil && !(errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil) {
			return err
		}
		if in.NumRecords() == 0 {
			continue
		}
		outs, err := l.process(ctx, in)
		if err == nil {
			aborts = 0
			if l.OnCommit != nil {
				l.OnCommit(in.NumRecords(), outs)
			}
			continue
		}
		if errors.Is(err, ErrTransactionFatal) {
			return err
		}
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.Producer.cfg.RequestTimeout)
		aerr := l.Producer.AbortTransaction(actx)
		if aerr == nil {
			aerr = l.rewind(actx, in)
		}
		cancel()
		switch {
		case aerr != nil:
			return errors.Join(err, aerr)
		case ctx.Err() != nil:
			return ctx.Err()
		case !errors.Is(err, ErrTransactionAbortable):
			return err // Transform's error, a record refused by Send
		}
		if aborts++; aborts >= maxAborts {
			return fmt.Errorf("core: TransformLoop: %d transactions in a row aborted; the last: %w", aborts, err)
		}
	}
}

// process runs one transaction: the outputs of in, and in's offsets.
func (l *TransformLoop) process(ctx context.Context, in Fetches) (int, error) {
	p := l.Producer
	if err := p.BeginTransaction(); err != nil {
		return 0, err
	}
	outs, err := l.Transform(ctx, in)
	if err != nil {
		return 0, fmt.Errorf("core: TransformLoop: Transform: %w", err)
	}
	for i := range outs {
		if f := p.Send(ctx, &outs[i]); f.Err() != nil {
			return 0, fmt.Errorf("core: TransformLoop: sending output record %d: %w", i, f.Err())
		}
	}
	offsets := make(map[TopicPartition]OffsetAndMetadata, len(in))
	for i := range in {
		if n := len(in[i].Records); n > 0 {
			offsets[TopicPartition{Topic: in[i].Topic, Partition: in[i].Partition}] = NextOffset(&in[i].Records[n-1])
		}
	}
	if err := p.SendOffsetsToTransaction(ctx, offsets, l.Consumer.GroupMetadata()); err != nil {
		return 0, err
	}
	return len(outs), p.CommitTransaction(ctx)
}

// rewind seeks the partitions of an aborted batch back to their last
// committed offsets (or, with none, to the batch's first records), so that
// the batch is processed again. Partitions no longer assigned are skipped.
func (l *TransformLoop) rewind(ctx context.Context, in Fetches) error {
	first := map[TopicPartition]int64{}
	for i := range in {
		tp := TopicPartition{Topic: in[i].Topic, Partition: in[i].Partition}
		if _, ok := first[tp]; !ok && len(in[i].Records) > 0 {
			first[tp] = in[i].Records[0].Offset
		}
	}
	parts := make([]TopicPartition, 0, len(first))
	for tp := range first {
		parts = append(parts, tp)
	}
	committed, err := l.Consumer.Committed(ctx, parts...)
	if err != nil {
		committed = nil // fall back to the batch's first offsets: the same place
	}
	for tp, off := range first {
		if c, ok := committed[tp]; ok {
			off = c.Offset
		}
		_ = l.Consumer.Seek(tp, off) // fails only for a partition revoked meanwhile
	}
	return nil
}
