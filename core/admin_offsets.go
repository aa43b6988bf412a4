package core

import (
	"context"
	"fmt"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// GroupCommittedOffset is a group's committed offset of one partition.
type GroupCommittedOffset struct {
	// Offset is the committed offset: the next record the group will read.
	// -1 when the group has committed none for the partition.
	Offset int64
	// LeaderEpoch is the leader epoch of the committed record, -1 if unknown.
	LeaderEpoch int32
	// Metadata is the string committed with the offset.
	Metadata string
	Err      error
}

// topicIDs maps each name in topics to its id, for the request versions
// (OffsetCommit and OffsetFetch v10) that name topics by id; a topic that
// does not exist is left out.
func (a *Admin) topicIDs(ctx context.Context, topics []string) (map[string]protocol.UUID, *cluster.Metadata, error) {
	m, err := a.refresh(ctx, topics)
	if err != nil {
		return nil, nil, err
	}
	ids := map[string]protocol.UUID{}
	for _, t := range topics {
		if tm := m.Topics[t]; tm != nil && tm.Err == nil {
			ids[t] = tm.ID
		}
	}
	return ids, m, nil
}

// topicName returns the name of a topic a response names, by name or id.
func topicName(name string, id protocol.UUID, m *cluster.Metadata) string {
	if name != "" || m == nil {
		return name
	}
	return topicByID(m, id)
}

// ListGroupOffsets returns the committed offsets of a group: of the given
// partitions, or of every partition it has committed when partitions is
// nil. Results are by topic, then partition, with a per-partition Err. The
// error is the group's (GROUP_ID_NOT_FOUND, GROUP_AUTHORIZATION_FAILED, ...)
// or the request's.
func (a *Admin) ListGroupOffsets(ctx context.Context, group string, partitions map[string][]int32) (map[string]map[int32]GroupCommittedOffset, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	var topics []string
	for t := range partitions {
		topics = append(topics, t)
	}
	ids, m, err := a.topicIDs(ctx, topics) // nil topics: every topic, to name ids in the response
	if err != nil {
		return nil, fmt.Errorf("core: ListGroupOffsets of %q: %w", group, err)
	}
	local := map[tp]GroupCommittedOffset{}
	for t, ps := range partitions {
		if _, ok := ids[t]; !ok {
			for _, p := range ps {
				local[tp{t, p}] = GroupCommittedOffset{Offset: -1, LeaderEpoch: -1, Err: fmt.Errorf("core: topic %q does not exist: %w", t, topicErr(m, t))}
			}
		}
	}
	if partitions != nil && len(ids) == 0 {
		return nest(local), nil
	}
	build := func() protocol.Request {
		req := &protocol.OffsetFetchRequest{}
		req.Default()
		req.GroupId = group
		g := protocol.OffsetFetchRequestGroup{GroupId: group, MemberEpoch: -1}
		if partitions == nil {
			req.Topics = nil
		}
		for t, ps := range partitions {
			if _, ok := ids[t]; ok {
				req.Topics = append(req.Topics, protocol.OffsetFetchRequestTopic{Name: t, PartitionIndexes: ps})
				g.Topics = append(g.Topics, protocol.OffsetFetchRequestTopics{Name: t, TopicId: ids[t], PartitionIndexes: ps})
			}
		}
		req.Groups = []protocol.OffsetFetchRequestGroup{g}
		return req
	}
	resp, err := a.toCoordinator(ctx, cluster.CoordinatorGroup, group, build, offsetFetchErr)
	if err != nil {
		return nil, fmt.Errorf("core: ListGroupOffsets of %q: %w", group, err)
	}
	fetchedOffsets(resp.(*protocol.OffsetFetchResponse), m, local)
	return nest(local), nil
}

// offsetFetchErr is the group-level error of an OffsetFetch response.
func offsetFetchErr(resp protocol.Response) error {
	r := resp.(*protocol.OffsetFetchResponse)
	if len(r.Groups) > 0 {
		return kerr.ForCode(r.Groups[0].ErrorCode)
	}
	return kerr.ForCode(r.ErrorCode)
}

// fetchedOffsets adds the offsets of an OffsetFetch response to flat.
func fetchedOffsets(r *protocol.OffsetFetchResponse, m *cluster.Metadata, flat map[tp]GroupCommittedOffset) {
	for _, t := range r.Topics { // v1-7
		for _, p := range t.Partitions {
			flat[tp{t.Name, p.PartitionIndex}] = GroupCommittedOffset{Offset: p.CommittedOffset, LeaderEpoch: p.CommittedLeaderEpoch, Metadata: str(p.Metadata), Err: kerr.ForCode(p.ErrorCode)}
		}
	}
	for _, g := range r.Groups { // v8+
		for _, t := range g.Topics {
			name := topicName(t.Name, t.TopicId, m)
			for _, p := range t.Partitions {
				flat[tp{name, p.PartitionIndex}] = GroupCommittedOffset{Offset: p.CommittedOffset, LeaderEpoch: p.CommittedLeaderEpoch, Metadata: str(p.Metadata), Err: kerr.ForCode(p.ErrorCode)}
			}
		}
	}
}

// AlterGroupOffsets commits offsets for a group that has no active members
// (an empty group, or one that does not exist yet), as an administrator
// resetting a group does: by topic, then partition, the next offset the
// group should read. It returns the error of each partition; a group with
// active members refuses with UNKNOWN_MEMBER_ID. A topic that does not exist
// fails its partitions with UNKNOWN_TOPIC_OR_PARTITION.
func (a *Admin) AlterGroupOffsets(ctx context.Context, group string, offsets map[string]map[int32]int64) (map[string]map[int32]error, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	var topics []string
	for t := range offsets {
		topics = append(topics, t)
	}
	ids, m, err := a.topicIDs(ctx, topics)
	if err != nil {
		return nil, fmt.Errorf("core: AlterGroupOffsets of %q: %w", group, err)
	}
	flat := map[tp]error{}
	build := func() protocol.Request {
		req := &protocol.OffsetCommitRequest{}
		req.Default()
		req.GroupId, req.GenerationIdOrMemberEpoch, req.MemberId = group, -1, ""
		for t, ps := range offsets {
			if _, ok := ids[t]; !ok {
				continue
			}
			topic := protocol.OffsetCommitRequestTopic{Name: t, TopicId: ids[t]}
			for p, off := range ps {
				topic.Partitions = append(topic.Partitions, protocol.OffsetCommitRequestPartition{PartitionIndex: p, CommittedOffset: off, CommittedLeaderEpoch: -1})
			}
			req.Topics = append(req.Topics, topic)
		}
		return req
	}
	for t, ps := range offsets {
		if _, ok := ids[t]; !ok {
			for p := range ps {
				flat[tp{t, p}] = fmt.Errorf("core: topic %q does not exist: %w", t, topicErr(m, t))
			}
		}
	}
	if len(ids) > 0 {
		resp, err := a.toCoordinator(ctx, cluster.CoordinatorGroup, group, build, func(resp protocol.Response) error {
			for _, t := range resp.(*protocol.OffsetCommitResponse).Topics {
				for _, p := range t.Partitions {
					if err := kerr.ForCode(p.ErrorCode); isCoordinatorErr(err) {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("core: AlterGroupOffsets of %q: %w", group, err)
		}
		for _, t := range resp.(*protocol.OffsetCommitResponse).Topics {
			name := topicName(t.Name, t.TopicId, m)
			for _, p := range t.Partitions {
				flat[tp{name, p.PartitionIndex}] = kerr.ForCode(p.ErrorCode)
			}
		}
	}
	return nest(flat), nil
}

// topicErr is the metadata's error for a topic, UNKNOWN_TOPIC_OR_PARTITION
// when it has none.
func topicErr(m *cluster.Metadata, topic string) error {
	if t := m.Topics[topic]; t != nil && t.Err != nil {
		return t.Err
	}
	return kerr.UnknownTopicOrPartition
}

// DeleteGroupOffsets deletes a group's committed offsets of the given
// partitions; the group must not be subscribed to their topics. It returns
// the error of each partition (GROUP_SUBSCRIBED_TO_TOPIC, ...); the error is
// the group's (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, ...) or the request's.
func (a *Admin) DeleteGroupOffsets(ctx context.Context, group string, partitions map[string][]int32) (map[string]map[int32]error, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	build := func() protocol.Request {
		req := &protocol.OffsetDeleteRequest{}
		req.Default()
		req.GroupId = group
		for t, ps := range partitions {
			topic := protocol.OffsetDeleteRequestTopic{Name: t}
			for _, p := range ps {
				topic.Partitions = append(topic.Partitions, protocol.OffsetDeleteRequestPartition{PartitionIndex: p})
			}
			req.Topics = append(req.Topics, topic)
		}
		return req
	}
	resp, err := a.toCoordinator(ctx, cluster.CoordinatorGroup, group, build, func(r protocol.Response) error {
		return kerr.ForCode(r.(*protocol.OffsetDeleteResponse).ErrorCode)
	})
	if err != nil {
		return nil, fmt.Errorf("core: DeleteGroupOffsets of %q: %w", group, err)
	}
	flat := map[tp]error{}
	for _, t := range resp.(*protocol.OffsetDeleteResponse).Topics {
		for _, p := range t.Partitions {
			flat[tp{t.Name, p.PartitionIndex}] = kerr.ForCode(p.ErrorCode)
		}
	}
	return nest(flat), nil
}
