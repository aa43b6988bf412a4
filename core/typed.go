package core

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// TypedRecord is a Record whose key and value are Go values, sent by a
// TypedProducer and returned by a TypedConsumer. Whether a key or value is
// a Kafka null is up to the serde: the built-ins map null to the zero value,
// serde.Nullable maps it to a nil pointer.
type TypedRecord[K, V any] struct {
	Topic string
	// Partition is the record's partition: chosen by the partitioner when
	// sending (used only by ManualPartitioner), set when consumed.
	Partition int32
	// Offset, TimestampType and LeaderEpoch are set on consumed records.
	Offset        int64
	Timestamp     time.Time // zero means now when sending
	TimestampType TimestampType
	Key           K
	Value         V
	// Headers of a consumed record alias the consumer's fetch buffers and
	// follow Poll's buffer rule (TypedConsumer.Poll).
	Headers     []Header
	LeaderEpoch int32
}

// SerdeError is the error of a key or value that could not be serialized
// or deserialized. A record that cannot be deserialized stays where it is:
// the TypedConsumer does not move past it, so every later poll reports it
// again until the application seeks past it (Skip) or stops.
type SerdeError struct {
	Topic     string
	Partition int32 // -1 when serializing
	Offset    int64 // -1 when serializing
	Key       bool  // the key, rather than the value, failed
	Serialize bool  // serializing (sending) rather than deserializing
	Err       error
}

func (e *SerdeError) Error() string {
	what := "value"
	if e.Key {
		what = "key"
	}
	if e.Serialize {
		return fmt.Sprintf("core: cannot serialize the %s of a record for topic %q: %v", what, e.Topic, e.Err)
	}
	return fmt.Sprintf("core: cannot deserialize the %s of the record at topic %q partition %d offset %d: %v; "+
		"the consumer stays at this offset until you skip it (Seek to offset %d) or stop",
		what, e.Topic, e.Partition, e.Offset, e.Err, e.Offset+1)
}

// Unwrap returns the serde's error.
func (e *SerdeError) Unwrap() error { return e.Err }

// TopicPartition returns the partition of the record that failed.
func (e *SerdeError) TopicPartition() TopicPartition {
	return TopicPartition{Topic: e.Topic, Partition: e.Partition}
}

// TypedProducer sends Go values through a Producer, serializing keys and
// values with its serializers. It is safe for concurrent use if they are.
type TypedProducer[K, V any] struct {
	p  *Producer
	ks Serializer[K]
	vs Serializer[V]
}

// NewTypedProducer returns a TypedProducer that sends through p with the
// key serializer ks and the value serializer vs (such as serde.String{} and
// serde.JSON[Order]{}). Closing p is the caller's business.
func NewTypedProducer[K, V any](p *Producer, ks Serializer[K], vs Serializer[V]) *TypedProducer[K, V] {
	return &TypedProducer[K, V]{p: p, ks: ks, vs: vs}
}

// Producer returns the underlying Producer, for Flush, Metrics and Close.
func (t *TypedProducer[K, V]) Producer() *Producer { return t.p }

// Record serializes r into a Record as the producer would send it. The
// serializers may append to the record's headers; r.Headers itself is
// never modified.
func (t *TypedProducer[K, V]) Record(r *TypedRecord[K, V]) (Record, error) {
	rec := Record{Topic: r.Topic, Partition: r.Partition, Timestamp: r.Timestamp, Headers: slices.Clip(r.Headers)}
	var err error
	if rec.Key, err = t.ks.Serialize(r.Topic, &rec.Headers, r.Key); err != nil {
		return rec, &SerdeError{Topic: r.Topic, Partition: -1, Offset: -1, Key: true, Serialize: true, Err: err}
	}
	if rec.Value, err = t.vs.Serialize(r.Topic, &rec.Headers, r.Value); err != nil {
		return rec, &SerdeError{Topic: r.Topic, Partition: -1, Offset: -1, Serialize: true, Err: err}
	}
	return rec, nil
}

// Send serializes r and sends it as Producer.Send does. A serialization
// error (a *SerdeError) is reported by the returned Future, already done.
func (t *TypedProducer[K, V]) Send(ctx context.Context, r TypedRecord[K, V]) *Future {
	rec, err := t.Record(&r)
	if err != nil {
		return failedFuture(r.Topic, -1, err)
	}
	return t.p.Send(ctx, &rec)
}

// SendFunc serializes r and sends it as Producer.SendFunc does; fn gets a
// serialization error (a *SerdeError) on the caller's goroutine.
func (t *TypedProducer[K, V]) SendFunc(ctx context.Context, r TypedRecord[K, V], fn func(RecordMetadata, error)) {
	rec, err := t.Record(&r)
	if err != nil {
		if fn != nil {
			fn(RecordMetadata{Topic: r.Topic, Partition: -1, Offset: -1}, err)
		}
		return
	}
	t.p.SendFunc(ctx, &rec, fn)
}

// SendSync sends r and waits for its acknowledgement, as Producer.SendSync.
func (t *TypedProducer[K, V]) SendSync(ctx context.Context, r TypedRecord[K, V]) (RecordMetadata, error) {
	return t.Send(ctx, r).Get(ctx)
}
