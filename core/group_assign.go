package core

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/kafka3/kafka3-go/core/internal/groupproto"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// assign runs on the leader: it decodes the members' subscriptions, looks up
// the partition count of every subscribed topic, runs the group's assignor,
// validates its output and encodes one assignment per member, in each
// member's subscription version so that older clients can read it.
func (g *groupMember) assign(ctx context.Context, join *protocol.JoinGroupResponse) ([]protocol.SyncGroupRequestAssignment, error) {
	assignor := g.assignorNamed(*join.ProtocolName)
	members := make([]AssignorMember, len(join.Members))
	versions := make(map[string]int16, len(join.Members))
	topicSet := map[string]bool{}
	for i, m := range join.Members {
		sub, err := groupproto.DecodeSubscription(m.Metadata)
		if err != nil {
			return nil, fmt.Errorf("core: member %s sent a subscription that cannot be decoded: %w", m.MemberId, err)
		}
		owned := make([]AssignorPartitions, len(sub.OwnedPartitions))
		for j, o := range sub.OwnedPartitions {
			owned[j] = AssignorPartitions{Topic: o.Topic, Partitions: o.Partitions}
		}
		members[i] = AssignorMember{
			MemberID: m.MemberId, InstanceID: m.GroupInstanceId, Topics: sub.Topics, UserData: sub.UserData,
			OwnedPartitions: owned, Generation: sub.GenerationID,
		}
		if sub.RackID != nil {
			members[i].Rack = *sub.RackID
		}
		versions[m.MemberId] = min(sub.Version, groupproto.HighestVersion)
		for _, t := range sub.Topics {
			topicSet[t] = true
		}
	}
	topics := slices.Sorted(maps.Keys(topicSet))
	counts, err := g.partitionCounts(ctx, topics)
	if err != nil {
		return nil, err
	}
	result, err := assignor.Assign(members, counts)
	if err != nil {
		return nil, fmt.Errorf("core: assignor %q failed: %w", assignor.Name(), err)
	}
	if err := ValidateAssignment(members, counts, result); err != nil {
		return nil, err
	}
	g.mu.Lock()
	g.watch = map[string]int{}
	for _, t := range topics {
		g.watch[t] = int(counts[t])
	}
	g.mu.Unlock()
	out := make([]protocol.SyncGroupRequestAssignment, 0, len(members))
	for _, m := range members {
		a := groupproto.Assignment{Version: versions[m.MemberID]}
		for _, p := range result[m.MemberID] {
			a.Partitions = append(a.Partitions, groupproto.TopicPartitions{Topic: p.Topic, Partitions: p.Partitions})
		}
		b, err := groupproto.AppendAssignment(nil, &a)
		if err != nil {
			return nil, fmt.Errorf("core: encoding the assignment of %s: %w", m.MemberID, err)
		}
		out = append(out, protocol.SyncGroupRequestAssignment{MemberId: m.MemberID, Assignment: b})
	}
	return out, nil
}

// partitionCounts returns the partition count of each topic that exists
// (with fresh metadata); topics that do not exist (yet) are left out.
func (g *groupMember) partitionCounts(ctx context.Context, topics []string) (map[string]int32, error) {
	counts := make(map[string]int32, len(topics))
	if len(topics) == 0 {
		return counts, nil
	}
	m, err := g.cl.Refresh(ctx, topics, false)
	if err != nil {
		return nil, fmt.Errorf("core: metadata for the group's topics: %w", err)
	}
	for _, t := range topics {
		if tm := m.Topics[t]; tm != nil && tm.Err == nil && len(tm.Partitions) > 0 {
			counts[t] = int32(len(tm.Partitions))
		}
	}
	return counts, nil
}

// resolveTopics returns the subscribed topics, sorted: the names given, or
// the cluster's topics that match the pattern (internal topics excluded).
func (g *groupMember) resolveTopics(ctx context.Context) ([]string, error) {
	g.mu.Lock()
	pattern, topics := g.pattern, g.topics
	g.mu.Unlock()
	if pattern == nil {
		if len(topics) > 0 && g.cfg.AllowAutoCreate {
			// Creates missing topics on brokers that allow it, as Java's
			// consumer does for subscribed topics.
			_, _ = g.cl.MetadataFor(ctx, topics, true)
		}
		return topics, nil
	}
	m, err := g.cl.RefreshAll(ctx)
	if err != nil {
		return nil, fmt.Errorf("core: listing topics for the subscription pattern: %w", err)
	}
	matched := []string{}
	for name, t := range m.Topics {
		if !t.Internal && t.Err == nil && pattern.MatchString(name) {
			matched = append(matched, name)
		}
	}
	slices.Sort(matched)
	g.mu.Lock()
	if g.pattern == pattern {
		g.topics = matched
	}
	g.mu.Unlock()
	return matched, nil
}

// checkMetadata runs every MetadataMaxAge while the member is stable: it
// rejoins when the pattern now matches other topics, or, on the leader, when
// a subscribed topic appeared, disappeared or gained partitions, so that the
// new partitions get an owner.
func (g *groupMember) checkMetadata() {
	ctx, cancel := context.WithTimeout(g.ctx, g.cfg.RequestTimeout)
	defer cancel()
	g.mu.Lock()
	joined, leader, watch := g.joinTopics, g.leader, g.watch
	g.mu.Unlock()
	topics, err := g.resolveTopics(ctx)
	if err != nil {
		g.log.Debug("core: metadata check failed", "err", err)
		return
	}
	reason := ""
	if !slices.Equal(topics, joined) {
		reason = "the subscribed topics changed"
	} else if leader && len(watch) > 0 {
		counts, err := g.partitionCounts(ctx, slices.Sorted(maps.Keys(watch)))
		if err != nil {
			return
		}
		for t, n := range watch {
			if int(counts[t]) != n {
				reason = fmt.Sprintf("topic %s has %d partitions, was %d", t, counts[t], n)
				break
			}
		}
	}
	if reason == "" {
		return
	}
	g.log.Info("core: rejoining the group", "reason", reason)
	g.mu.Lock()
	g.rejoin = true
	g.notifyLocked()
	g.mu.Unlock()
}
