package core

import (
	"context"
	"errors"
	"iter"
	"sync"
	"time"
)

// TypedConsumer reads Go values through a Consumer, deserializing keys and
// values with its deserializers. Its methods are safe for concurrent use
// (if the deserializers are); Poll and Records calls are serialized.
//
// A record that fails to deserialize is not skipped: Poll returns a
// *SerdeError naming its topic, partition and offset, together with the
// records decoded before it and the records of other partitions, and
// rewinds its partition to it, so that every later Poll reports it again.
// Skip moves past it; or stop, and a restart (or the next owner of the
// partition in a group) meets the same record.
type TypedConsumer[K, V any] struct {
	c  *Consumer
	kd Deserializer[K]
	vd Deserializer[V]

	mu   sync.Mutex
	recs []TypedRecord[K, V] // reused from Poll to Poll
	bad  []TopicPartition    // partitions stopped in the current Poll
}

// NewTypedConsumer returns a TypedConsumer that reads through c with the
// key deserializer kd and the value deserializer vd. Closing c is the
// caller's business; assign, subscribe, seek and commit on c as usual.
func NewTypedConsumer[K, V any](c *Consumer, kd Deserializer[K], vd Deserializer[V]) *TypedConsumer[K, V] {
	return &TypedConsumer[K, V]{c: c, kd: kd, vd: vd}
}

// Consumer returns the underlying Consumer.
func (t *TypedConsumer[K, V]) Consumer() *Consumer { return t.c }

// Poll polls the Consumer and deserializes what it returns, in the order
// Consumer.Poll returns it. The slice is reused by the next Poll; the
// records' Headers alias the consumer's buffers until then (keys and
// values are fresh values unless the deserializer aliases its input).
//
// Errors are those of Consumer.Poll, and *SerdeError (joined when several
// partitions fail): records may come with it, see TypedConsumer.
func (t *TypedConsumer[K, V]) Poll(ctx context.Context) ([]TypedRecord[K, V], error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, err := t.c.Poll(ctx)
	if err != nil {
		return nil, err
	}
	clear(t.recs)
	t.recs, t.bad = t.recs[:0], t.bad[:0]
	var errs []error
	for i := range f {
		fp := &f[i]
		tp := TopicPartition{Topic: fp.Topic, Partition: fp.Partition}
		if t.stopped(tp) {
			continue
		}
		for j := range fp.Records {
			if err := t.decode(&fp.Records[j]); err != nil {
				errs = append(errs, t.stop(tp, &fp.Records[j], err))
				break
			}
		}
	}
	return t.recs, errors.Join(errs...)
}

// decode appends the typed form of r to t.recs.
func (t *TypedConsumer[K, V]) decode(r *Record) error {
	k, err := t.kd.Deserialize(r.Topic, r.Headers, r.Key)
	if err != nil {
		return &SerdeError{Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Key: true, Err: err}
	}
	v, err := t.vd.Deserialize(r.Topic, r.Headers, r.Value)
	if err != nil {
		return &SerdeError{Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Err: err}
	}
	t.recs = append(t.recs, TypedRecord[K, V]{
		Topic: r.Topic, Partition: r.Partition, Offset: r.Offset,
		Timestamp: r.Timestamp, TimestampType: r.TimestampType,
		Key: k, Value: v, Headers: r.Headers, LeaderEpoch: r.LeaderEpoch,
	})
	return nil
}

// stop rewinds tp to the record that failed and ignores tp for the rest of
// this Poll; it returns err.
func (t *TypedConsumer[K, V]) stop(tp TopicPartition, r *Record, err error) error {
	t.bad = append(t.bad, tp)
	if serr := t.c.seek(tp, OffsetEpoch{Offset: r.Offset, LeaderEpoch: -1}); serr != nil {
		// Unassigned meanwhile (a rebalance): its next owner meets it.
		t.c.log.Debug("core: typed consumer could not rewind to a record that failed to deserialize",
			"partition", tp, "offset", r.Offset, "error", serr)
	}
	return err
}

func (t *TypedConsumer[K, V]) stopped(tp TopicPartition) bool {
	for _, b := range t.bad {
		if b == tp {
			return true
		}
	}
	return false
}

// Skip moves the partition of err (a *SerdeError from Poll or Records)
// past the record that failed, so that polling goes on after it.
func (t *TypedConsumer[K, V]) Skip(err *SerdeError) error {
	return t.c.Seek(err.TopicPartition(), err.Offset+1)
}

// Records iterates over typed records as they arrive, for
//
//	for rec, err := range typed.Records(ctx) { ... }
//
// Each record is valid until the loop body returns. An error is yielded
// with a nil record: a *SerdeError per record that failed (call Skip to go
// past it; if the loop goes on without, the record fails again after
// RetryBackoff), or the Consumer's errors, after which the iterator waits
// RetryBackoff before polling again. The iteration ends when the loop
// breaks, after yielding ctx's error, or quietly when the consumer closes.
func (t *TypedConsumer[K, V]) Records(ctx context.Context) iter.Seq2[*TypedRecord[K, V], error] {
	return func(yield func(*TypedRecord[K, V], error) bool) {
		for {
			recs, err := t.Poll(ctx)
			if errors.Is(err, ErrConsumerClosed) {
				return
			}
			for i := range recs {
				if !yield(&recs[i], nil) {
					return
				}
			}
			if err == nil {
				continue
			}
			for _, e := range splitJoined(err) {
				if !yield(nil, e) || ctx.Err() != nil {
					return
				}
			}
			select {
			case <-ctx.Done():
			case <-t.c.ctx.Done():
			case <-time.After(t.c.cfg.RetryBackoff):
			}
		}
	}
}

// splitJoined returns the errors joined in err, or err alone.
func splitJoined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		if _, cfg := err.(*ConfigError); !cfg {
			return j.Unwrap()
		}
	}
	return []error{err}
}
