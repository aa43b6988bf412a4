package core

import (
	"context"
	"time"
)

// RecordMetadata is what the broker said about a produced record.
type RecordMetadata struct {
	Topic     string
	Partition int32
	// Offset is the record's offset, or -1 when unknown (acks=0, or a
	// duplicate that the broker recognised from an earlier attempt).
	Offset int64
	// Timestamp is the record's timestamp as written, to the millisecond:
	// the one it was sent with (or the time of Send), or the broker's
	// append time when the topic uses LogAppendTime.
	Timestamp time.Time
	// SerializedKeySize and SerializedValueSize are the key's and value's
	// sizes in bytes, -1 for null. SerializedHeadersSize sums header keys and values.
	SerializedKeySize     int
	SerializedValueSize   int
	SerializedHeadersSize int
}

// Future is the pending result of Producer.Send. Its methods are safe for
// concurrent use; the result is set once.
type Future struct {
	done <-chan struct{} // closed when md and err are set
	md   RecordMetadata
	err  error
}

// Done returns a channel closed once the record is acknowledged or failed.
func (f *Future) Done() <-chan struct{} { return f.done }

// Get waits for the result, or for ctx to end (in which case the record may
// still be delivered later).
func (f *Future) Get(ctx context.Context) (RecordMetadata, error) {
	select {
	case <-f.done:
		return f.md, f.err
	case <-ctx.Done():
		return RecordMetadata{}, context.Cause(ctx)
	}
}

// Err returns the send's error once Done is closed, and nil before.
func (f *Future) Err() error {
	select {
	case <-f.done:
		return f.err
	default:
		return nil
	}
}

// Metadata returns the record's metadata once Done is closed; before that
// it is the zero value.
func (f *Future) Metadata() RecordMetadata {
	select {
	case <-f.done:
		return f.md
	default:
		return RecordMetadata{}
	}
}

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// failedFuture returns a Future that is already done with err.
func failedFuture(topic string, partition int32, err error) *Future {
	return &Future{done: closedChan, md: RecordMetadata{Topic: topic, Partition: partition, Offset: -1}, err: err}
}
