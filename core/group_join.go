package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/internal/groupproto"
	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// run is the engine's main loop: it reports lost partitions, revokes before
// an eager join, joins and syncs, applies assignments and watches metadata.
// It runs on its own goroutine until close.
func (g *groupMember) run() {
	defer g.done.Done()
	backoff, fails := g.cfg.RetryBackoff, 0
	for g.ctx.Err() == nil {
		g.mu.Lock()
		changed := g.changed
		switch {
		case g.lost:
			g.handleLostLocked()
			continue
		case g.fatal != nil || !g.subscribedLocked() || g.pollExpired || g.closing:
			g.mu.Unlock()
			g.idle(changed, 0)
			continue
		case g.state == groupStable && !g.rejoin:
			g.mu.Unlock()
			if g.idle(changed, g.cfg.MetadataMaxAge) {
				g.checkMetadata()
			}
			continue
		}
		g.mu.Unlock()
		if !g.revokeBeforeJoin() {
			return
		}
		if err := g.joinOnce(); err != nil {
			if errors.Is(err, errGroupRejoin) {
				backoff, fails = g.cfg.RetryBackoff, 0
				continue
			}
			fails++
			g.log.Log(context.Background(), streakLevel(fails, failureLevel(err)), "core: joining the group failed; retrying",
				"err", err, "backoff", backoff, "failures_in_a_row", fails)
			if !g.sleep(backoff) {
				return
			}
			backoff = g.cfg.nextBackoff(backoff)
			continue
		}
		backoff, fails = g.cfg.RetryBackoff, 0
	}
}

// failureLevel is how loudly a failed group request that is retried is
// logged: a Kafka error (the coordinator is loading, moving or
// rebalancing) is routine, Info; a connection or a response that failed is
// not, Warn, so that a member retrying against a broken coordinator says
// why Poll returns nothing.
func failureLevel(err error) slog.Level {
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return slog.LevelInfo
	}
	return slog.LevelWarn
}

// idle waits for a state change, a wake-up, close, or (when every > 0) that
// long; it reports whether the timer fired.
func (g *groupMember) idle(changed chan struct{}, every time.Duration) bool {
	var tick <-chan time.Time
	if every > 0 {
		t := time.NewTimer(every)
		defer t.Stop()
		tick = t.C
	}
	select {
	case <-changed:
	case <-g.wake:
	case <-g.ctx.Done():
	case <-tick:
		return true
	}
	return false
}

// handleLostLocked reports every owned partition lost, forgets the
// generation and waits for the host before rejoining. It unlocks g.mu.
func (g *groupMember) handleLostLocked() {
	lost := sortedGroupTPs(g.owned)
	g.owned = map[groupTP]bool{}
	g.lastOwned, g.lastGen = nil, -1
	g.generation, g.state, g.lost, g.rejoin = -1, groupUnjoined, false, true
	g.notifyLocked()
	var ev *groupEvent
	if len(lost) > 0 {
		ev = g.pushEventLocked(groupLost, lost)
	}
	g.mu.Unlock()
	if ev != nil {
		g.awaitAck(ev)
	}
}

// revokeBeforeJoin, with the eager protocol, revokes every owned partition
// and waits for the host's callback before joining, so that the host can
// commit them while its generation is still valid. It reports false when
// the engine closed meanwhile.
func (g *groupMember) revokeBeforeJoin() bool {
	g.mu.Lock()
	if g.cooperative || len(g.owned) == 0 {
		g.mu.Unlock()
		return true
	}
	revoked := sortedGroupTPs(g.owned)
	g.lastOwned, g.lastGen = revoked, g.generation
	ev := g.pushEventLocked(groupRevoked, revoked)
	g.mu.Unlock()
	if !g.awaitAck(ev) {
		return false
	}
	g.mu.Lock()
	g.owned = map[groupTP]bool{}
	g.notifyLocked()
	g.mu.Unlock()
	return true
}

// errGroupRejoin asks run to join again at once (MEMBER_ID_REQUIRED, a
// rebalance that started during sync, a cooperative revocation).
var errGroupRejoin = errors.New("core: rejoin now")

// joinOnce runs one JoinGroup and SyncGroup round and applies the result.
func (g *groupMember) joinOnce() error {
	coord, err := g.coordinator(g.ctx)
	if err != nil {
		return err
	}
	topics, err := g.resolveTopics(g.ctx)
	if err != nil {
		return err
	}
	g.mu.Lock()
	g.state, g.rejoin = groupJoining, false
	g.joinTopics = topics
	memberID := g.memberID
	g.notifyLocked()
	g.mu.Unlock()

	join, err := g.sendJoin(coord, memberID, topics)
	if err != nil {
		return g.joinFailed(err)
	}
	var assignments []protocol.SyncGroupRequestAssignment
	if join.Leader == join.MemberId && !join.SkipAssignment {
		if assignments, err = g.assign(g.ctx, join); err != nil {
			return g.joinFailed(err)
		}
	}
	assignment, err := g.sendSync(coord, join, assignments)
	if err != nil {
		return g.joinFailed(err)
	}
	g.applyAssignment(join, assignment)
	return nil
}

// joinFailed puts the member back to unjoined after a failed round and
// reacts to the error: coordinator errors forget the coordinator, member
// errors reset the member id or generation, fatal errors stop the member.
func (g *groupMember) joinFailed(err error) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.state = groupUnjoined
	g.notifyLocked()
	switch {
	case errors.Is(err, kerr.MemberIDRequired), errors.Is(err, kerr.RebalanceInProgress):
		return errGroupRejoin
	case errors.Is(err, kerr.UnknownMemberID):
		g.memberID, g.generation = "", -1
		return errGroupRejoin
	case errors.Is(err, kerr.IllegalGeneration):
		g.generation = -1
		return errGroupRejoin
	case isGroupCoordinatorError(err):
		g.cl.InvalidateCoordinator(cluster.CoordinatorGroup, g.cfg.GroupID)
		return err
	case errors.Is(err, kerr.FencedInstanceID), errors.Is(err, kerr.InconsistentGroupProtocol),
		errors.Is(err, kerr.GroupAuthorizationFailed), errors.Is(err, kerr.InvalidSessionTimeout),
		errors.Is(err, kerr.GroupMaxSizeReached), errors.Is(err, kerr.InvalidGroupID),
		errors.Is(err, kerr.UnsupportedVersion), errors.Is(err, errGroupFatal):
		g.fatal = fmt.Errorf("core: consumer group %q: %w", g.cfg.GroupID, err)
		g.log.Error("core: the member cannot stay in the group", "err", g.fatal)
		g.pushEventLocked(0, nil) // wake a polling host so that it sees the error
		return g.fatal
	}
	return err
}

// errGroupFatal marks an error the member cannot recover from by rejoining.
var errGroupFatal = errors.New("fatal")

// isGroupCoordinatorError reports whether err means the coordinator moved or is
// unreachable: the member must find it again.
func isGroupCoordinatorError(err error) bool {
	return errors.Is(err, kerr.NotCoordinator) || errors.Is(err, kerr.CoordinatorNotAvailable) ||
		errors.Is(err, wire.ErrClosed) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, kerr.NetworkException) || errors.Is(err, kerr.RequestTimedOut) ||
		(!isGroupKafkaError(err) && !errors.Is(err, context.Canceled))
}

func isGroupKafkaError(err error) bool {
	var ke *kerr.Error
	return errors.As(err, &ke)
}

// coordinator returns the group coordinator's broker id.
func (g *groupMember) coordinator(ctx context.Context) (int32, error) {
	return g.cl.Coordinator(ctx, cluster.CoordinatorGroup, g.cfg.GroupID)
}

// sendJoin sends JoinGroup. Its deadline is the rebalance timeout plus the
// request timeout: the coordinator holds the request until every member
// joined or the rebalance timeout passed.
func (g *groupMember) sendJoin(coord int32, memberID string, topics []string) (*protocol.JoinGroupResponse, error) {
	req := &protocol.JoinGroupRequest{}
	req.Default()
	req.GroupId, req.MemberId, req.ProtocolType = g.cfg.GroupID, memberID, "consumer"
	req.SessionTimeoutMs = int32(g.cfg.SessionTimeout.Milliseconds())
	req.RebalanceTimeoutMs = int32(g.cfg.RebalanceTimeout.Milliseconds())
	req.GroupInstanceId = g.instanceID()
	protocols, err := g.joinProtocols(topics)
	if err != nil {
		return nil, err
	}
	req.Protocols = protocols
	ctx, cancel := context.WithTimeout(g.ctx, g.cfg.RebalanceTimeout+g.cfg.RequestTimeout)
	defer cancel()
	resp, err := g.cl.Do(ctx, coord, wire.LaneGroup, req)
	if err != nil {
		return nil, err
	}
	r := resp.(*protocol.JoinGroupResponse)
	if r.ErrorCode != 0 {
		if r.ErrorCode == kerr.MemberIDRequired.Code {
			g.mu.Lock()
			g.memberID = r.MemberId // KIP-394: join again with the id the coordinator chose
			g.mu.Unlock()
		}
		return nil, fmt.Errorf("JoinGroup: %w", kerr.ForCode(r.ErrorCode))
	}
	if r.ProtocolName == nil || g.assignorNamed(*r.ProtocolName) == nil {
		return nil, fmt.Errorf("JoinGroup: the group chose assignor %v, which this member does not offer: %w", r.ProtocolName, errGroupFatal)
	}
	g.mu.Lock()
	g.memberID = r.MemberId
	g.mu.Unlock()
	return r, nil
}

// joinProtocols returns the JoinGroup protocols: one per assignor, in order
// of preference, each with this member's ConsumerProtocol subscription.
func (g *groupMember) joinProtocols(topics []string) ([]protocol.JoinGroupRequestProtocol, error) {
	g.mu.Lock()
	owned := groupAssignorPartitions(sortedGroupTPs(g.owned))
	gen := g.generation
	userOwned, userGen := owned, gen
	if !g.cooperative && len(g.lastOwned) > 0 {
		userOwned, userGen = groupAssignorPartitions(g.lastOwned), g.lastGen
	}
	g.mu.Unlock()
	var rack *string
	if g.cfg.Rack != "" {
		rack = &g.cfg.Rack
	}
	out := make([]protocol.JoinGroupRequestProtocol, 0, len(g.cfg.Assignors))
	for _, a := range g.cfg.Assignors {
		sub := groupproto.Subscription{
			Version: groupproto.HighestVersion, Topics: topics,
			UserData:        a.UserData(topics, userOwned, userGen),
			OwnedPartitions: groupProtoPartitions(owned), GenerationID: gen, RackID: rack,
		}
		meta, err := groupproto.AppendSubscription(nil, &sub)
		if err != nil {
			return nil, fmt.Errorf("core: encoding the subscription for assignor %q: %w", a.Name(), err)
		}
		out = append(out, protocol.JoinGroupRequestProtocol{Name: a.Name(), Metadata: meta})
	}
	return out, nil
}

// sendSync sends SyncGroup (with the assignments when leader) and returns
// this member's decoded assignment.
func (g *groupMember) sendSync(coord int32, join *protocol.JoinGroupResponse, assignments []protocol.SyncGroupRequestAssignment) (groupproto.Assignment, error) {
	req := &protocol.SyncGroupRequest{}
	req.Default()
	ptype := "consumer"
	req.GroupId, req.GenerationId, req.MemberId = g.cfg.GroupID, join.GenerationId, join.MemberId
	req.GroupInstanceId, req.ProtocolType, req.ProtocolName = g.instanceID(), &ptype, join.ProtocolName
	req.Assignments = assignments
	ctx, cancel := context.WithTimeout(g.ctx, g.cfg.RebalanceTimeout+g.cfg.RequestTimeout)
	defer cancel()
	resp, err := g.cl.Do(ctx, coord, wire.LaneGroup, req)
	if err != nil {
		return groupproto.Assignment{}, err
	}
	r := resp.(*protocol.SyncGroupResponse)
	if r.ErrorCode != 0 {
		return groupproto.Assignment{}, fmt.Errorf("SyncGroup: %w", kerr.ForCode(r.ErrorCode))
	}
	a, err := groupproto.DecodeAssignment(r.Assignment)
	if err != nil {
		return a, fmt.Errorf("core: the leader's assignment cannot be decoded (%w); rejoining", err)
	}
	return a, nil
}

// applyAssignment installs a new generation and its assignment and queues
// the events for the host: with the eager protocol every partition as
// assigned (all were revoked before joining); with the cooperative protocol
// the partitions that left as revoked, then those that arrived as assigned,
// and after the host revoked some, a new join so that others can take them.
func (g *groupMember) applyAssignment(join *protocol.JoinGroupResponse, a groupproto.Assignment) {
	next := map[groupTP]bool{}
	for _, tps := range a.Partitions {
		for _, p := range tps.Partitions {
			next[groupTP{tps.Topic, p}] = true
		}
	}
	g.mu.Lock()
	var revoked, added []groupTP
	for tp := range g.owned {
		if !next[tp] {
			revoked = append(revoked, tp)
		}
	}
	for tp := range next {
		if !g.owned[tp] {
			added = append(added, tp)
		}
	}
	slices.SortFunc(revoked, compareGroupTP)
	slices.SortFunc(added, compareGroupTP)
	g.generation, g.protocol = join.GenerationId, *join.ProtocolName
	g.leader = join.Leader == join.MemberId
	g.owned, g.lastOwned, g.lastGen = next, nil, -1
	g.state = groupStable
	if g.cfg.AutoCommit {
		g.nextAuto = time.Now().Add(g.cfg.AutoCommitInterval)
	}
	var ev *groupEvent
	if len(revoked) > 0 {
		ev = g.pushEventLocked(groupRevoked, revoked)
	}
	g.pushEventLocked(groupAssigned, added)
	g.notifyLocked()
	g.mu.Unlock()
	g.log.Info("core: joined the group", "generation", join.GenerationId, "member", join.MemberId,
		"assignor", *join.ProtocolName, "leader", join.Leader == join.MemberId, "assigned", len(next), "revoked", len(revoked))
	if ev != nil && g.awaitAck(ev) {
		g.mu.Lock()
		g.rejoin = true
		g.notifyLocked()
		g.mu.Unlock()
	}
}

// instanceID returns the group instance id, nil for a dynamic member.
func (g *groupMember) instanceID() *string {
	if g.cfg.InstanceID == "" {
		return nil
	}
	id := g.cfg.InstanceID
	return &id
}

// assignorNamed returns the configured assignor of that name, or nil.
func (g *groupMember) assignorNamed(name string) Assignor {
	for _, a := range g.cfg.Assignors {
		if a.Name() == name {
			return a
		}
	}
	return nil
}

// leave sends LeaveGroup for this member, if it has a member id.
func (g *groupMember) leave(ctx context.Context, reason string) error {
	g.mu.Lock()
	memberID := g.memberID
	g.memberID, g.generation = "", -1
	g.mu.Unlock()
	if memberID == "" {
		return nil
	}
	coord, err := g.coordinator(ctx)
	if err != nil {
		return fmt.Errorf("core: leaving the group: %w", err)
	}
	req := &protocol.LeaveGroupRequest{}
	req.Default()
	req.GroupId, req.MemberId = g.cfg.GroupID, memberID
	req.Members = []protocol.LeaveGroupRequestMemberIdentity{{MemberId: memberID, GroupInstanceId: g.instanceID(), Reason: &reason}}
	resp, err := g.cl.Do(ctx, coord, wire.LaneGroup, req)
	if err != nil {
		return fmt.Errorf("core: leaving the group: %w", err)
	}
	r := resp.(*protocol.LeaveGroupResponse)
	code := r.ErrorCode
	if code == 0 && len(r.Members) > 0 {
		code = r.Members[0].ErrorCode
	}
	if code != 0 && code != kerr.UnknownMemberID.Code {
		return fmt.Errorf("core: leaving the group: %w", kerr.ForCode(code))
	}
	g.log.Info("core: left the group", "member", memberID, "reason", reason)
	return nil
}

func groupAssignorPartitions(tps []groupTP) []AssignorPartitions {
	var out []AssignorPartitions
	for _, tp := range tps {
		if n := len(out); n > 0 && out[n-1].Topic == tp.Topic {
			out[n-1].Partitions = append(out[n-1].Partitions, tp.Partition)
			continue
		}
		out = append(out, AssignorPartitions{Topic: tp.Topic, Partitions: []int32{tp.Partition}})
	}
	return out
}

func groupProtoPartitions(in []AssignorPartitions) []groupproto.TopicPartitions {
	out := make([]groupproto.TopicPartitions, len(in))
	for i, p := range in {
		out[i] = groupproto.TopicPartitions{Topic: p.Topic, Partitions: p.Partitions}
	}
	return out
}
