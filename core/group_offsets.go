package core

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// committed returns the group's committed offsets of parts (OffsetFetch).
// Partitions without a committed offset are absent from the result. With
// RequireStable (read_committed), the coordinator holds back offsets of
// transactions still open and the fetch is retried until they settle.
// Coordinator moves and retriable errors are retried until ctx ends. Safe
// for concurrent use.
func (g *groupMember) committed(ctx context.Context, parts []groupTP) (map[groupTP]groupOffset, error) {
	backoff := g.cfg.RetryBackoff
	for fails := 1; ; fails++ {
		out, err := g.fetchOffsets(ctx, parts)
		if err == nil {
			return out, nil
		}
		if !isGroupCoordinatorError(err) && !kerr.IsRetriable(err) {
			return nil, fmt.Errorf("core: fetching committed offsets of group %q: %w", g.cfg.GroupID, err)
		}
		if isGroupCoordinatorError(err) || errors.Is(err, kerr.NotCoordinator) {
			g.cl.InvalidateCoordinator(cluster.CoordinatorGroup, g.cfg.GroupID)
		}
		g.log.Log(context.Background(), streakLevel(fails, failureLevel(err)), "core: fetching committed offsets failed; retrying",
			"err", err, "backoff", backoff, "failures_in_a_row", fails)
		if !groupSleepCtx(ctx, backoff) {
			return nil, fmt.Errorf("core: fetching committed offsets of group %q: %w (%v)", g.cfg.GroupID, err, ctx.Err())
		}
		backoff = g.cfg.nextBackoff(backoff)
	}
}

// fetchOffsets sends one OffsetFetch for parts.
func (g *groupMember) fetchOffsets(ctx context.Context, parts []groupTP) (map[groupTP]groupOffset, error) {
	coord, err := g.coordinator(ctx)
	if err != nil {
		return nil, err
	}
	want := make(map[groupTP]groupOffset, len(parts))
	for _, tp := range parts {
		want[tp] = groupOffset{}
	}
	ids, maxVersion := g.topicIDs(ctx, want)
	req := &protocol.OffsetFetchRequest{}
	req.Default()
	req.GroupId, req.RequireStable = g.cfg.GroupID, g.cfg.RequireStable
	grp := protocol.OffsetFetchRequestGroup{GroupId: g.cfg.GroupID, MemberEpoch: -1}
	for _, tp := range sortedGroupOffsets(want) {
		n := len(req.Topics)
		if n == 0 || req.Topics[n-1].Name != tp.Topic {
			req.Topics = append(req.Topics, protocol.OffsetFetchRequestTopic{Name: tp.Topic})
			grp.Topics = append(grp.Topics, protocol.OffsetFetchRequestTopics{Name: tp.Topic, TopicId: ids[tp.Topic]})
			n++
		}
		req.Topics[n-1].PartitionIndexes = append(req.Topics[n-1].PartitionIndexes, tp.Partition)
		grp.Topics[n-1].PartitionIndexes = append(grp.Topics[n-1].PartitionIndexes, tp.Partition)
	}
	req.Groups = []protocol.OffsetFetchRequestGroup{grp}
	resp, err := g.cl.DoCapped(ctx, coord, wire.LaneAdmin, req, maxVersion)
	if err != nil {
		return nil, err
	}
	r := resp.(*protocol.OffsetFetchResponse)
	out := map[groupTP]groupOffset{}
	add := func(tp groupTP, offset int64, epoch int32, meta *string, code int16) error {
		if code != 0 {
			return fmt.Errorf("%s-%d: %w", tp.Topic, tp.Partition, kerr.ForCode(code))
		}
		if _, asked := want[tp]; !asked || offset < 0 {
			return nil
		}
		o := groupOffset{Offset: offset, LeaderEpoch: epoch}
		if meta != nil {
			o.Metadata = *meta
		}
		out[tp] = o
		return nil
	}
	var errs []error
	if len(r.Groups) > 0 {
		names := groupTopicNames(ids)
		gr := r.Groups[0]
		if gr.ErrorCode != 0 {
			return nil, kerr.ForCode(gr.ErrorCode)
		}
		for _, t := range gr.Topics {
			name := t.Name
			if name == "" {
				name = names[t.TopicId]
			}
			for _, p := range t.Partitions {
				errs = append(errs, add(groupTP{name, p.PartitionIndex}, p.CommittedOffset, p.CommittedLeaderEpoch, p.Metadata, p.ErrorCode))
			}
		}
	} else {
		if r.ErrorCode != 0 {
			return nil, kerr.ForCode(r.ErrorCode)
		}
		for _, t := range r.Topics {
			for _, p := range t.Partitions {
				errs = append(errs, add(groupTP{t.Name, p.PartitionIndex}, p.CommittedOffset, p.CommittedLeaderEpoch, p.Metadata, p.ErrorCode))
			}
		}
	}
	errs = slices.DeleteFunc(errs, func(e error) bool { return e == nil })
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
