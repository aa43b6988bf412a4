package core

import "context"

// RebalanceListener receives the assignment changes of a subscribed
// Consumer. Every callback is optional and runs on the goroutine that calls
// Poll (or Next, Records), inside that call, or inside Close and
// Unsubscribe: so a callback may call Commit, Seek, Position, Pause and the
// like, but must not call Poll, Next or Records (that would deadlock).
//
// The group does not move on while a callback runs: the member waits for
// OnPartitionsRevoked before it rejoins, so offsets committed there are
// the ones the next owner starts from. A callback's ctx has the values of
// the Poll's context but not its deadline: it ends after MaxPollInterval
// (RequestTimeout inside Close and Unsubscribe).
type RebalanceListener struct {
	// OnPartitionsAssigned is called with the partitions added to the
	// assignment, after they were added (so Seek works on them) and before
	// records are fetched from their committed offsets. With a cooperative
	// assignor or GroupProtocolConsumer it may be called with no partitions.
	OnPartitionsAssigned func(ctx context.Context, partitions []TopicPartition)
	// OnPartitionsRevoked is called with partitions about to be taken from
	// this consumer in an orderly rebalance, before they are removed: the
	// place to commit what was processed. With the eager protocol every
	// partition is revoked before each rebalance; with a cooperative one
	// only those that move to another member. With auto commit on, the
	// consumed positions of these partitions are committed just before.
	OnPartitionsRevoked func(ctx context.Context, partitions []TopicPartition)
	// OnPartitionsLost is called with partitions that already belong to
	// another member (this one fell out of the group: session timeout,
	// MaxPollInterval, fencing); commits for them fail. When nil,
	// OnPartitionsRevoked is called instead, as in Java.
	OnPartitionsLost func(ctx context.Context, partitions []TopicPartition)
}

// OffsetAndMetadata is an offset committed for a partition of a consumer
// group: the next offset to consume, the leader epoch of the record before
// it, and a free-form metadata string stored with it.
type OffsetAndMetadata struct {
	// Offset is the next offset to consume (last processed offset + 1).
	Offset int64
	// LeaderEpoch is the leader epoch of the record before Offset, or -1
	// when unknown. The next owner validates its position with it after a
	// leader change (KIP-320). A literal's zero claims epoch 0: use
	// NextOffset(record) or set -1.
	LeaderEpoch int32
	// Metadata is stored with the offset (at most offset.metadata.max.bytes,
	// 4 KiB by default on the broker).
	Metadata string
}

// NextOffset returns the offset to commit after processing r: r.Offset+1
// with r's leader epoch.
func NextOffset(r *Record) OffsetAndMetadata {
	return OffsetAndMetadata{Offset: r.Offset + 1, LeaderEpoch: r.LeaderEpoch}
}
