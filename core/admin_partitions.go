package core

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// DeleteRecordsResult is the outcome of deleting the records of one
// partition.
type DeleteRecordsResult struct {
	// LowWatermark is the partition's first offset after the deletion.
	LowWatermark int64
	Err          error
}

// DeleteRecords deletes the records of each partition before the given
// offset (-1 means up to the high watermark), sending one request to each
// partition's leader. Results are by topic, then partition; a partition
// that does not exist or whose deletion failed has its Err set.
func (a *Admin) DeleteRecords(ctx context.Context, before map[string]map[int32]int64) map[string]map[int32]DeleteRecordsResult {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	d := dispatch[tp, DeleteRecordsResult]{
		route: a.routeLeaders,
		send: func(ctx context.Context, leader int32, parts []tp) (map[tp]DeleteRecordsResult, error) {
			req := &protocol.DeleteRecordsRequest{}
			req.Default()
			req.TimeoutMs = a.opTimeoutMs(ctx)
			for topic, ps := range byTopic(parts) {
				t := protocol.DeleteRecordsRequestDeleteRecordsTopic{Name: topic}
				for _, p := range ps {
					t.Partitions = append(t.Partitions, protocol.DeleteRecordsRequestDeleteRecordsPartition{PartitionIndex: p, Offset: before[topic][p]})
				}
				req.Topics = append(req.Topics, t)
			}
			resp, err := a.send(ctx, leader, req)
			if err != nil {
				return nil, err
			}
			out := map[tp]DeleteRecordsResult{}
			for _, t := range resp.(*protocol.DeleteRecordsResponse).Topics {
				for _, p := range t.Partitions {
					out[tp{t.Name, p.PartitionIndex}] = DeleteRecordsResult{LowWatermark: p.LowWatermark, Err: kerr.ForCode(p.ErrorCode)}
				}
			}
			return out, nil
		},
		errOf: func(r DeleteRecordsResult) error { return r.Err },
		fail:  func(err error) DeleteRecordsResult { return DeleteRecordsResult{LowWatermark: -1, Err: err} },
	}
	var parts []tp
	for topic, ps := range before {
		for p := range ps {
			parts = append(parts, tp{topic, p})
		}
	}
	return nest(d.run(ctx, a, parts))
}

// OffsetSpec says which offset ListOffsets looks up: OffsetSpecEarliest,
// OffsetSpecLatest, OffsetSpecMaxTimestamp, or a time (OffsetSpecAt).
type OffsetSpec int64

// Special offset specs of ListOffsets.
const (
	// OffsetSpecLatest is the partition's end: the offset of the next record.
	OffsetSpecLatest OffsetSpec = -1
	// OffsetSpecEarliest is the partition's first offset.
	OffsetSpecEarliest OffsetSpec = -2
	// OffsetSpecMaxTimestamp is the offset of the record with the highest
	// timestamp (Kafka 3.0+).
	OffsetSpecMaxTimestamp OffsetSpec = -3
)

// OffsetSpecAt looks up the first offset whose timestamp is at or after t.
func OffsetSpecAt(t time.Time) OffsetSpec { return OffsetSpec(t.UnixMilli()) }

// ListedOffset is the offset ListOffsets found for one partition.
type ListedOffset struct {
	// Offset is the offset found; -1 when no record matches a timestamp.
	Offset int64
	// Timestamp is the record's timestamp in Unix milliseconds, -1 for
	// OffsetSpecEarliest and OffsetSpecLatest.
	Timestamp int64
	// LeaderEpoch is the leader epoch of the offset, -1 when unknown.
	LeaderEpoch int32
	Err         error
}

// ListOffsets looks up an offset of each partition from its leader: the
// earliest, the latest, the one with the highest timestamp, or the first
// at a time. With readCommitted the latest offset is the last stable one.
// Results are by topic, then partition, with a per-partition Err.
func (a *Admin) ListOffsets(ctx context.Context, specs map[string]map[int32]OffsetSpec, readCommitted bool) map[string]map[int32]ListedOffset {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	d := dispatch[tp, ListedOffset]{
		route: a.routeLeaders,
		send: func(ctx context.Context, leader int32, parts []tp) (map[tp]ListedOffset, error) {
			req := &protocol.ListOffsetsRequest{}
			req.Default()
			req.ReplicaId, req.TimeoutMs = -1, a.opTimeoutMs(ctx)
			if readCommitted {
				req.IsolationLevel = 1
			}
			for topic, ps := range byTopic(parts) {
				t := protocol.ListOffsetsRequestListOffsetsTopic{Name: topic}
				for _, p := range ps {
					t.Partitions = append(t.Partitions, protocol.ListOffsetsRequestListOffsetsPartition{PartitionIndex: p, CurrentLeaderEpoch: -1, Timestamp: int64(specs[topic][p])})
				}
				req.Topics = append(req.Topics, t)
			}
			if slices.ContainsFunc(parts, func(p tp) bool { return specs[p.topic][p.partition] == OffsetSpecMaxTimestamp }) {
				if err := a.needVersion(ctx, leader, req.Key(), listOffsetsMaxTimestamp, BrokerVersion{Major: 3}, "OffsetSpecMaxTimestamp"); err != nil {
					return nil, err
				}
			}
			resp, err := a.send(ctx, leader, req)
			if err != nil {
				return nil, err
			}
			out := map[tp]ListedOffset{}
			for _, t := range resp.(*protocol.ListOffsetsResponse).Topics {
				for _, p := range t.Partitions {
					out[tp{t.Name, p.PartitionIndex}] = ListedOffset{Offset: p.Offset, Timestamp: p.Timestamp, LeaderEpoch: p.LeaderEpoch, Err: kerr.ForCode(p.ErrorCode)}
				}
			}
			return out, nil
		},
		errOf: func(r ListedOffset) error { return r.Err },
		fail: func(err error) ListedOffset {
			return ListedOffset{Offset: -1, Timestamp: -1, LeaderEpoch: -1, Err: err}
		},
	}
	var parts []tp
	for topic, ps := range specs {
		for p := range ps {
			parts = append(parts, tp{topic, p})
		}
	}
	return nest(d.run(ctx, a, parts))
}

// ProducerState is an active idempotent or transactional producer of a
// partition, as DescribeProducers reports it.
type ProducerState struct {
	ProducerID    int64
	ProducerEpoch int32
	// LastSequence is the last sequence number the producer wrote, -1 if none.
	LastSequence int32
	// LastTimestamp is the timestamp of its last write, Unix ms, -1 if none.
	LastTimestamp    int64
	CoordinatorEpoch int32
	// CurrentTxnStartOffset is where its open transaction starts, -1 if none.
	CurrentTxnStartOffset int64
}

// PartitionProducers lists the active producers of one partition.
type PartitionProducers struct {
	Producers []ProducerState
	Err       error
}

// DescribeProducers asks each partition's leader for its active producers.
// Results are by topic, then partition, with a per-partition Err.
func (a *Admin) DescribeProducers(ctx context.Context, partitions map[string][]int32) map[string]map[int32]PartitionProducers {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	d := dispatch[tp, PartitionProducers]{
		route: a.routeLeaders,
		send: func(ctx context.Context, leader int32, parts []tp) (map[tp]PartitionProducers, error) {
			req := &protocol.DescribeProducersRequest{}
			req.Default()
			for topic, ps := range byTopic(parts) {
				req.Topics = append(req.Topics, protocol.DescribeProducersRequestTopicRequest{Name: topic, PartitionIndexes: ps})
			}
			resp, err := a.send(ctx, leader, req)
			if err != nil {
				return nil, err
			}
			out := map[tp]PartitionProducers{}
			for _, t := range resp.(*protocol.DescribeProducersResponse).Topics {
				for _, p := range t.Partitions {
					r := PartitionProducers{Err: itemErr(p.ErrorCode, p.ErrorMessage)}
					for _, s := range p.ActiveProducers {
						r.Producers = append(r.Producers, ProducerState{ProducerID: s.ProducerId, ProducerEpoch: s.ProducerEpoch, LastSequence: s.LastSequence,
							LastTimestamp: s.LastTimestamp, CoordinatorEpoch: s.CoordinatorEpoch, CurrentTxnStartOffset: s.CurrentTxnStartOffset})
					}
					out[tp{t.Name, p.PartitionIndex}] = r
				}
			}
			return out, nil
		},
		errOf: func(r PartitionProducers) error { return r.Err },
		fail:  func(err error) PartitionProducers { return PartitionProducers{Err: err} },
	}
	return nest(d.run(ctx, a, flatten(partitions)))
}

// ElectionType chooses the replica a leader election picks.
type ElectionType int8

// Election types of ElectLeaders.
const (
	// ElectPreferred makes each partition's preferred replica (the first of
	// its replicas) the leader, if it is in sync.
	ElectPreferred ElectionType = 0
	// ElectUnclean elects any live replica of a partition that has no
	// in-sync replica left, at the risk of losing records.
	ElectUnclean ElectionType = 1
)

// String returns "preferred" or "unclean".
func (e ElectionType) String() string {
	switch e {
	case ElectPreferred:
		return "preferred"
	case ElectUnclean:
		return "unclean"
	}
	return fmt.Sprintf("ElectionType(%d)", int8(e))
}

// ElectLeaders runs leader elections of the given type through the
// controller, for the given partitions, or for every partition when
// partitions is nil. It returns the error of each partition: nil when a
// new leader was elected, ELECTION_NOT_NEEDED (kerr.ElectionNotNeeded) when
// the wanted replica already leads. The error is non-nil only when the
// request itself failed.
func (a *Admin) ElectLeaders(ctx context.Context, typ ElectionType, partitions map[string][]int32) (map[string]map[int32]error, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	if typ != ElectPreferred {
		if id, err := a.controller(ctx); err == nil {
			if err := a.needVersion(ctx, id, (*protocol.ElectLeadersRequest)(nil).Key(), electLeadersTyped, BrokerVersion{Major: 2, Minor: 4}, "an election of type "+typ.String()); err != nil {
				return nil, fmt.Errorf("core: ElectLeaders: %w", err)
			}
		}
	}
	build := func() protocol.Request {
		req := &protocol.ElectLeadersRequest{}
		req.Default()
		req.ElectionType, req.TimeoutMs = int8(typ), a.opTimeoutMs(ctx)
		req.TopicPartitions = nil
		for topic, ps := range partitions {
			req.TopicPartitions = append(req.TopicPartitions, protocol.ElectLeadersRequestTopicPartitions{Topic: topic, Partitions: ps})
		}
		return req
	}
	resp, err := a.toController(ctx, build, func(r protocol.Response) bool {
		return r.(*protocol.ElectLeadersResponse).ErrorCode == kerr.NotController.Code
	})
	if err != nil {
		return nil, fmt.Errorf("core: ElectLeaders: %w", err)
	}
	r := resp.(*protocol.ElectLeadersResponse)
	if err := kerr.ForCode(r.ErrorCode); err != nil {
		return nil, fmt.Errorf("core: ElectLeaders: %w", err)
	}
	out := map[string]map[int32]error{}
	for _, t := range r.ReplicaElectionResults {
		m := out[t.Topic]
		if m == nil {
			m = map[int32]error{}
			out[t.Topic] = m
		}
		for _, p := range t.PartitionResult {
			m[p.PartitionId] = itemErr(p.ErrorCode, p.ErrorMessage)
		}
	}
	return out, nil
}
