package core

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// This file is the engine's KIP-848 mode (GroupProtocolConsumer, Kafka 4.0+):
// the coordinator computes assignments with a server-side assignor and the
// member reconciles towards its target assignment through
// ConsumerGroupHeartbeat alone. The host sees the same events as with the
// classic protocol: partitions leaving the target are revoked first (and
// the host's callback has run) before new ones are assigned, and the next
// heartbeat acknowledges the reconciled assignment. Commits carry the member
// epoch instead of the generation.

// run848 replaces run and heartbeatLoop in KIP-848 mode: it heartbeats every
// interval the coordinator asks for, at once after a change, and reconciles.
func (g *groupMember) run848() {
	defer g.done.Done()
	g.mu.Lock()
	g.memberID = newMemberID()
	g.mu.Unlock()
	var target map[protocol.UUID][]int32 // last assignment received; nil before any
	full := true                         // send every field (joining, after an error)
	next := time.Duration(0)
	backoff, failures := g.cfg.RetryBackoff, 0 // of failed heartbeats in a row
	for g.sleepOrWake(next) {
		next = g.cfg.HeartbeatInterval
		g.nudgeHost()
		if g.checkPollTimeout848() {
			full, target = true, nil
			continue
		}
		g.mu.Lock()
		if g.lost {
			g.handleLostLocked() // unlocks; waits for the host; the next heartbeat joins with epoch 0
			full, target = true, nil
			continue
		}
		idle := g.fatal != nil || !g.subscribedLocked() || g.pollExpired || g.closing
		g.mu.Unlock()
		if idle {
			next = time.Hour
			continue
		}
		resp, err := g.heartbeat848(full)
		if err != nil {
			next = g.heartbeat848Failed(err, failures, backoff)
			failures, backoff = failures+1, g.cfg.nextBackoff(backoff)
			full = true
			continue
		}
		if failures > 0 {
			g.log.Info("core: heartbeats go through again", "failed_before", failures)
		}
		failures, backoff, full = 0, g.cfg.RetryBackoff, false
		if resp.HeartbeatIntervalMs > 0 {
			next = time.Duration(resp.HeartbeatIntervalMs) * time.Millisecond
		}
		if resp.Assignment != nil {
			target = map[protocol.UUID][]int32{}
			for _, tp := range resp.Assignment.TopicPartitions {
				target[tp.TopicId] = tp.Partitions
			}
		}
		if target != nil && g.reconcile(target) {
			next = 0 // acknowledge the new assignment at once
		}
	}
}

// sleepOrWake waits for d, a wake-up, or close; false when closed.
func (g *groupMember) sleepOrWake(d time.Duration) bool {
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-g.wake:
		case <-g.ctx.Done():
		}
	}
	return g.ctx.Err() == nil
}

// heartbeat848 sends one ConsumerGroupHeartbeat; with full, every field,
// otherwise only those that may have changed.
func (g *groupMember) heartbeat848(full bool) (*protocol.ConsumerGroupHeartbeatResponse, error) {
	ctx, cancel := context.WithTimeout(g.ctx, g.cfg.RequestTimeout)
	defer cancel()
	coord, err := g.coordinator(ctx)
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	req := &protocol.ConsumerGroupHeartbeatRequest{}
	req.Default()
	req.GroupId, req.MemberId, req.MemberEpoch = g.cfg.GroupID, g.memberID, max(g.generation, 0)
	if g.pattern != nil {
		re := g.pattern.String()
		req.SubscribedTopicRegex = &re
	} else {
		req.SubscribedTopicNames = slices.Clone(g.topics)
		if req.SubscribedTopicNames == nil {
			req.SubscribedTopicNames = []string{}
		}
	}
	owned := sortedGroupTPs(g.owned)
	g.mu.Unlock()
	if full {
		req.InstanceId = g.instanceID()
		req.RebalanceTimeoutMs = int32(g.cfg.RebalanceTimeout.Milliseconds())
		if g.cfg.Rack != "" {
			req.RackId = &g.cfg.Rack
		}
		if g.cfg.RemoteAssignor != "" {
			req.ServerAssignor = &g.cfg.RemoteAssignor
		}
	}
	ids, err := g.idsOf(ctx, owned)
	if err != nil {
		return nil, err
	}
	req.TopicPartitions = []protocol.ConsumerGroupHeartbeatRequestTopicPartitions{}
	for _, tps := range groupAssignorPartitions(owned) {
		req.TopicPartitions = append(req.TopicPartitions, protocol.ConsumerGroupHeartbeatRequestTopicPartitions{TopicId: ids[tps.Topic], Partitions: tps.Partitions})
	}
	resp, err := g.cl.Do(ctx, coord, wire.LaneGroup, req)
	if err != nil {
		return nil, err
	}
	r := resp.(*protocol.ConsumerGroupHeartbeatResponse)
	if r.ErrorCode != 0 {
		return nil, kerr.WithMessage(r.ErrorCode, r.ErrorMessage)
	}
	g.mu.Lock()
	if r.MemberId != nil && *r.MemberId != "" {
		g.memberID = *r.MemberId
	}
	if r.MemberEpoch != g.generation {
		g.generation = r.MemberEpoch
		g.notifyLocked()
	}
	if g.state != groupStable {
		g.state = groupStable
		g.notifyLocked()
	}
	g.mu.Unlock()
	return r, nil
}

// heartbeat848Failed reacts to a heartbeat error, after failures failed
// heartbeats in a row, and returns when to retry: after backoff, which
// doubles with each failure in a row up to RetryBackoffMax, or at least 5 x
// RetryBackoff for errors a coordinator needs time to clear. Failures are
// logged as with the classic protocol (logHeartbeatFailure).
func (g *groupMember) heartbeat848Failed(err error, failures int, backoff time.Duration) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case errors.Is(err, kerr.FencedMemberEpoch), errors.Is(err, kerr.UnknownMemberID):
		g.log.Warn("core: the member was fenced; its partitions are lost and it rejoins", "err", err)
		g.lost = true
		g.notifyLocked()
		return 0
	case errors.Is(err, kerr.UnreleasedInstanceID), errors.Is(err, kerr.CoordinatorLoadInProgress):
		return max(5*g.cfg.RetryBackoff, backoff)
	case isGroupCoordinatorError(err):
		g.cl.InvalidateCoordinator(cluster.CoordinatorGroup, g.cfg.GroupID)
		g.logHeartbeatFailure(failures, failureLevel(err), "core: heartbeat failed; finding the coordinator again", err)
		return backoff
	case errors.Is(err, kerr.UnsupportedAssignor), errors.Is(err, kerr.GroupAuthorizationFailed),
		errors.Is(err, kerr.UnsupportedVersion), errors.Is(err, kerr.InvalidRequest),
		errors.Is(err, kerr.FencedInstanceID), errors.Is(err, kerr.GroupMaxSizeReached):
		g.fatal = fmt.Errorf("core: consumer group %q (group protocol consumer): %w", g.cfg.GroupID, kip848Error(err))
		g.log.Error("core: the member cannot stay in the group", "err", g.fatal)
		g.lost = len(g.owned) > 0
		g.pushEventLocked(0, nil)
		g.notifyLocked()
		return time.Hour
	}
	g.logHeartbeatFailure(failures, slog.LevelWarn, "core: heartbeat failed; retrying", err)
	return max(5*g.cfg.RetryBackoff, backoff)
}

// reconcile moves the owned partitions towards target (by topic id): first
// it revokes what left and waits for the host, then assigns what is new and
// resolvable to a topic name. It reports whether the owned set changed.
func (g *groupMember) reconcile(target map[protocol.UUID][]int32) bool {
	ctx, cancel := context.WithTimeout(g.ctx, g.cfg.RequestTimeout)
	defer cancel()
	names, err := g.namesOf(ctx, target)
	if err != nil {
		// Without names, owned partitions would look unassigned: retry at
		// the next heartbeat rather than revoke them.
		g.log.Debug("core: resolving assigned topic ids failed; retrying", "err", err)
		return false
	}
	want := map[groupTP]bool{}
	for id, parts := range target {
		if name, ok := names[id]; ok {
			for _, p := range parts {
				want[groupTP{name, p}] = true
			}
		}
	}
	g.mu.Lock()
	var revoked, added []groupTP
	for tp := range g.owned {
		if !want[tp] {
			revoked = append(revoked, tp)
		}
	}
	for tp := range want {
		if !g.owned[tp] {
			added = append(added, tp)
		}
	}
	if len(revoked) == 0 && len(added) == 0 {
		g.mu.Unlock()
		return false
	}
	slices.SortFunc(revoked, compareGroupTP)
	slices.SortFunc(added, compareGroupTP)
	var ev *groupEvent
	if len(revoked) > 0 {
		ev = g.pushEventLocked(groupRevoked, revoked)
	}
	g.mu.Unlock()
	if ev != nil && !g.awaitAck(ev) {
		return false
	}
	g.mu.Lock()
	for _, tp := range revoked {
		delete(g.owned, tp)
	}
	for _, tp := range added {
		g.owned[tp] = true
	}
	if g.cfg.AutoCommit {
		g.nextAuto = time.Now().Add(g.cfg.AutoCommitInterval)
	}
	g.pushEventLocked(groupAssigned, added)
	g.notifyLocked()
	g.mu.Unlock()
	g.log.Info("core: reconciled the assignment", "epoch", g.generation, "assigned", len(added), "revoked", len(revoked))
	return true
}

// idsOf returns the topic ids of the topics of parts.
func (g *groupMember) idsOf(ctx context.Context, parts []groupTP) (map[string]protocol.UUID, error) {
	offs := make(map[groupTP]groupOffset, len(parts))
	for _, tp := range parts {
		offs[tp] = groupOffset{}
	}
	ids, v := g.topicIDs(ctx, offs)
	if v < 10 {
		return nil, fmt.Errorf("core: no topic id for some of %v in the metadata", parts)
	}
	return ids, nil
}

// namesOf maps the topic ids of target to names with the cached metadata,
// refreshing all topics when one is unknown.
func (g *groupMember) namesOf(ctx context.Context, target map[protocol.UUID][]int32) (map[protocol.UUID]string, error) {
	lookup := func(m *cluster.Metadata) (map[protocol.UUID]string, bool) {
		out := map[protocol.UUID]string{}
		if m != nil {
			for name, t := range m.Topics {
				if _, ok := target[t.ID]; ok {
					out[t.ID] = name
				}
			}
		}
		return out, len(out) == len(target)
	}
	if names, ok := lookup(g.cl.Metadata()); ok {
		return names, nil
	}
	m, err := g.cl.RefreshAll(ctx)
	if err != nil {
		return nil, err
	}
	names, _ := lookup(m)
	return names, nil
}

// checkPollTimeout848 leaves the group (epoch -1, or -2 for a static
// member) when the host has not polled for MaxPollInterval.
func (g *groupMember) checkPollTimeout848() bool {
	g.mu.Lock()
	expired := g.state == groupStable && !g.pollExpired && time.Since(g.lastPoll) > g.cfg.MaxPollInterval
	if expired {
		g.pollExpired, g.lost = true, true
		g.notifyLocked()
	}
	g.mu.Unlock()
	if !expired {
		return false
	}
	g.log.Warn("core: no poll within MaxPollInterval; leaving the group so that other members take the partitions", "max_poll_interval", g.cfg.MaxPollInterval)
	ctx, cancel := context.WithTimeout(g.ctx, g.cfg.RequestTimeout)
	defer cancel()
	if err := g.leave848(ctx); err != nil {
		g.log.Warn("core: leaving after poll timeout failed", "err", err)
	}
	return true
}

// leave848 sends the leaving heartbeat: epoch -1, or -2 for a static member
// (it keeps its assignment for the session timeout, to come back).
func (g *groupMember) leave848(ctx context.Context) error {
	coord, err := g.coordinator(ctx)
	if err != nil {
		return err
	}
	g.mu.Lock()
	req := &protocol.ConsumerGroupHeartbeatRequest{}
	req.Default()
	req.GroupId, req.MemberId, req.MemberEpoch = g.cfg.GroupID, g.memberID, -1
	if g.cfg.InstanceID != "" {
		req.MemberEpoch, req.InstanceId = -2, g.instanceID()
	}
	if g.state != groupClosed {
		g.generation, g.state = 0, groupUnjoined
	}
	g.notifyLocked()
	g.mu.Unlock()
	resp, err := g.cl.Do(ctx, coord, wire.LaneGroup, req)
	if err != nil {
		return fmt.Errorf("core: leaving the group: %w", err)
	}
	if code := resp.(*protocol.ConsumerGroupHeartbeatResponse).ErrorCode; code != 0 && code != kerr.UnknownMemberID.Code {
		return fmt.Errorf("core: leaving the group: %w", kerr.ForCode(code))
	}
	return nil
}

// newMemberID returns a random member id, as KIP-848 v1 clients generate
// their own (22 characters of URL-safe base64 of 16 random bytes, like a
// Kafka Uuid).
func newMemberID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
