package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// groupCommits orders a member's offset commits. Every commit takes a
// sequence number when it is requested; a partition's offset is never sent
// if a commit requested later already committed that partition, so an older
// commit retried after a rebalance cannot overwrite a newer one.
type groupCommits struct {
	mu      sync.Mutex // held while a commit is sent: one OffsetCommit at a time
	seq     uint64
	lastSeq map[groupTP]uint64 // sequence of the last successful commit, per partition
	async   sync.WaitGroup
	stop    context.CancelFunc // cancels async commits that outlive close's context
	ctx     context.Context
}

func (c *groupCommits) next() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	return c.seq
}

// wait waits for async commits in flight, cancelling them when ctx ends.
func (c *groupCommits) wait(ctx context.Context) {
	done := make(chan struct{})
	go func() {
		c.async.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		c.stop()
		<-done
	}
}

// errGroupCommitMoved is wrapped by commit errors for partitions whose offsets
// were not committed because they moved to another member during a rebalance.
var errGroupCommitMoved = errors.New("core: offsets not committed for partitions that moved to another member during a rebalance; their new owner starts from the last committed offset, so records after it may be delivered again (at-least-once)")

// commit commits offsets synchronously for the member's current generation.
//
// REBALANCE_IN_PROGRESS and ILLEGAL_GENERATION do not lose the offsets: the
// commit waits until the member holds its next generation and retries for
// the partitions it still owns. Offsets of partitions that moved to another
// member are dropped and the error wraps errGroupCommitMoved and the broker's
// error: their new owner resumes from the last committed offset. A member
// that lost its membership (UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID) cannot
// commit; coordinator moves and retriable errors are retried until ctx ends.
//
// Waiting for the next generation would deadlock when the caller is the
// rebalance listener the engine waits for; while a listener runs, commit
// returns REBALANCE_IN_PROGRESS at once instead of waiting.
func (g *groupMember) commit(ctx context.Context, offsets map[groupTP]groupOffset) error {
	return g.commitReported(ctx, g.commits.next(), offsets)
}

// commitReported is commitSeq reported to cfg.OnCommit (the commit
// interceptors) on the committing goroutine.
func (g *groupMember) commitReported(ctx context.Context, seq uint64, offsets map[groupTP]groupOffset) error {
	if g.cfg.OnCommit == nil {
		return g.commitSeq(ctx, seq, offsets)
	}
	start := time.Now()
	err := g.commitSeq(ctx, seq, offsets)
	g.cfg.OnCommit(ctx, start, offsets, err)
	return err
}

// commitAsync commits offsets on a new goroutine, with commit's rules, and
// calls done (when not nil) on that goroutine with the offsets and the
// result. Commits are sent in the order they are requested.
func (g *groupMember) commitAsync(offsets map[groupTP]groupOffset, done func(map[groupTP]groupOffset, error)) {
	seq := g.commits.next()
	g.commits.async.Add(1)
	go func() {
		defer g.commits.async.Done()
		ctx, cancel := context.WithTimeout(g.commits.ctx, g.cfg.RebalanceTimeout+g.cfg.RequestTimeout)
		defer cancel()
		err := g.commitReported(ctx, seq, offsets)
		if done != nil {
			done(offsets, err)
		}
	}()
}

func (g *groupMember) commitSeq(ctx context.Context, seq uint64, offsets map[groupTP]groupOffset) error {
	pending := cloneGroupOffsets(offsets)
	var moved []groupTP
	var movedErr error
	backoff := g.cfg.RetryBackoff
	var lastErr error // of the last attempt retried
	for len(pending) > 0 {
		g.mu.Lock()
		memberID, gen, state, subscribed := g.memberID, g.generation, g.state, g.subscribedLocked()
		g.mu.Unlock()
		if state == groupClosed {
			return errGroupClosed
		}
		if subscribed && gen < 0 {
			// Joining for the first time, or after losing the generation:
			// wait for one rather than fail.
			if err := g.awaitGeneration(ctx, gen); err != nil {
				return commitWaitErr(err, lastErr)
			}
			pending, moved = g.keepOwned(pending, moved)
			continue
		}
		failed, err := g.sendCommit(ctx, seq, memberID, gen, pending)
		if err == nil && len(failed) == 0 {
			break
		}
		if err == nil {
			err = firstGroupErr(failed)
		}
		switch {
		case errors.Is(err, kerr.RebalanceInProgress), errors.Is(err, kerr.IllegalGeneration), errors.Is(err, kerr.StaleMemberEpoch):
			g.requestRejoin(gen)
			if werr := g.awaitGeneration(ctx, gen); werr != nil {
				return fmt.Errorf("core: commit failed: %w (waiting for the rebalance to end: %v)", err, werr)
			}
			movedErr = err
			pending, moved = g.keepOwned(groupOnlyFailed(pending, failed, err), moved)
		case errors.Is(err, kerr.UnknownMemberID), errors.Is(err, kerr.FencedInstanceID), errors.Is(err, kerr.FencedMemberEpoch):
			return fmt.Errorf("core: commit failed: this member is no longer in the group, its partitions are lost and their next owner starts from the last committed offset: %w", err)
		case isGroupCoordinatorError(err) || kerr.IsRetriable(err) || errors.Is(err, kerr.CoordinatorLoadInProgress):
			if isGroupCoordinatorError(err) || errors.Is(err, kerr.NotCoordinator) {
				g.cl.InvalidateCoordinator(cluster.CoordinatorGroup, g.cfg.GroupID)
			}
			if failed != nil {
				pending = groupOnlyFailed(pending, failed, nil)
			}
			if ctx.Err() != nil && lastErr != nil {
				// ctx ended during this attempt: the failure that kept the
				// attempts going says more than the deadline does.
				return fmt.Errorf("core: commit failed: %w (last error: %v)", ctx.Err(), lastErr)
			}
			if !groupSleepCtx(ctx, backoff) {
				return fmt.Errorf("core: commit failed: %w (%v)", err, ctx.Err())
			}
			backoff, lastErr = g.cfg.nextBackoff(backoff), err
		default:
			return fmt.Errorf("core: commit failed: %w", err)
		}
	}
	if len(moved) > 0 {
		return fmt.Errorf("%w: %v: %w", errGroupCommitMoved, moved, movedErr)
	}
	return nil
}

// errGroupPollExpired is why a commit cannot wait for the next generation
// of a member that left the group after MaxPollInterval: it rejoins only at
// the next Poll (Java fails such a commit with CommitFailedException).
var errGroupPollExpired = errors.New("the member left the group: no Poll within MaxPollInterval; Poll to rejoin, then commit the partitions it still owns (poll more often, or raise MaxPollInterval)")

// commitWaitErr is the error of a commit that stopped waiting for the
// member to join the group, after last, the error of its previous attempt
// (nil if none).
func commitWaitErr(err, last error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("waiting for the member to join the group: %w", err)
	}
	if last == nil {
		return fmt.Errorf("core: commit failed: %w", err)
	}
	return fmt.Errorf("core: commit failed: %w (last error: %v)", err, last)
}

// awaitGeneration waits until the member is stable in a generation other
// than gen. It gives up when the engine waits for the rebalance listener
// (whose goroutine may be the caller's), when the member stops or left
// after MaxPollInterval, or with ctx.
func (g *groupMember) awaitGeneration(ctx context.Context, gen int32) error {
	for {
		g.mu.Lock()
		st, cur, fatal, changed := g.state, g.generation, g.fatal, g.changed
		waiting, expired := g.waitingAck && g.dispatching, g.pollExpired
		g.mu.Unlock()
		switch {
		case fatal != nil:
			return fatal
		case expired:
			return errGroupPollExpired
		case g.ctx.Err() != nil:
			return fmt.Errorf("core: the member is leaving the group and will not get a new generation: %w", kerr.RebalanceInProgress)
		case st == groupClosed:
			return errGroupClosed
		case st == groupStable && cur >= 0 && cur != gen:
			return nil
		case waiting:
			return fmt.Errorf("core: the group is rebalancing and waits for the rebalance listener; commit again after it returns: %w", kerr.RebalanceInProgress)
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// keepOwned drops from pending the partitions the member no longer owns,
// adding them to moved.
func (g *groupMember) keepOwned(pending map[groupTP]groupOffset, moved []groupTP) (map[groupTP]groupOffset, []groupTP) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for tp := range pending {
		if !g.owned[tp] {
			delete(pending, tp)
			moved = append(moved, tp)
		}
	}
	slices.SortFunc(moved, compareGroupTP)
	return pending, moved
}

// sendCommit sends one OffsetCommit and returns the partitions that failed
// with their errors, or the error of the whole request. Partitions that a
// later commit already committed are skipped.
func (g *groupMember) sendCommit(ctx context.Context, seq uint64, memberID string, gen int32, offsets map[groupTP]groupOffset) (map[groupTP]error, error) {
	coord, err := g.coordinator(ctx)
	if err != nil {
		return nil, err
	}
	ids, maxVersion := g.topicIDs(ctx, offsets)
	g.commits.mu.Lock()
	defer g.commits.mu.Unlock()
	req := &protocol.OffsetCommitRequest{}
	req.Default()
	req.GroupId, req.GenerationIdOrMemberEpoch, req.MemberId, req.GroupInstanceId = g.cfg.GroupID, gen, memberID, g.instanceID()
	byTopic := map[string]int{}
	var sent []groupTP
	for _, tp := range sortedGroupOffsets(offsets) {
		if g.commits.lastSeq[tp] > seq {
			continue // a later commit already covered it
		}
		o := offsets[tp]
		i, ok := byTopic[tp.Topic]
		if !ok {
			i = len(req.Topics)
			byTopic[tp.Topic] = i
			req.Topics = append(req.Topics, protocol.OffsetCommitRequestTopic{Name: tp.Topic, TopicId: ids[tp.Topic]})
		}
		meta := o.Metadata
		req.Topics[i].Partitions = append(req.Topics[i].Partitions, protocol.OffsetCommitRequestPartition{
			PartitionIndex: tp.Partition, CommittedOffset: o.Offset, CommittedLeaderEpoch: o.LeaderEpoch, CommittedMetadata: &meta,
		})
		sent = append(sent, tp)
	}
	if len(sent) == 0 {
		return nil, nil
	}
	resp, err := g.cl.DoCapped(ctx, coord, wire.LaneAdmin, req, maxVersion)
	if err != nil {
		return nil, err
	}
	names := groupTopicNames(ids)
	failed := map[groupTP]error{}
	for _, t := range resp.(*protocol.OffsetCommitResponse).Topics {
		name := t.Name
		if name == "" {
			name = names[t.TopicId]
		}
		for _, p := range t.Partitions {
			tp := groupTP{name, p.PartitionIndex}
			if p.ErrorCode != 0 {
				failed[tp] = kerr.ForCode(p.ErrorCode)
			} else if g.commits.lastSeq[tp] < seq {
				g.commits.lastSeq[tp] = seq
			}
		}
	}
	if len(failed) == 0 {
		return nil, nil
	}
	return failed, nil
}

// topicIDs returns the ids of the topics of offsets from the metadata, and
// the highest OffsetCommit/OffsetFetch version usable: 10 (topic ids) when
// every id is known, 9 otherwise.
func (g *groupMember) topicIDs(ctx context.Context, offsets map[groupTP]groupOffset) (map[string]protocol.UUID, int16) {
	var topics []string
	for tp := range offsets {
		if !slices.Contains(topics, tp.Topic) {
			topics = append(topics, tp.Topic)
		}
	}
	ids := make(map[string]protocol.UUID, len(topics))
	m, err := g.cl.MetadataFor(ctx, topics, false)
	if err != nil {
		return ids, 9
	}
	for _, t := range topics {
		tm := m.Topics[t]
		if tm == nil || tm.ID == (protocol.UUID{}) {
			return ids, 9
		}
		ids[t] = tm.ID
	}
	return ids, 10
}

func groupTopicNames(ids map[string]protocol.UUID) map[protocol.UUID]string {
	out := make(map[protocol.UUID]string, len(ids))
	for name, id := range ids {
		out[id] = name
	}
	return out
}

func sortedGroupOffsets(m map[groupTP]groupOffset) []groupTP {
	out := make([]groupTP, 0, len(m))
	for tp := range m {
		out = append(out, tp)
	}
	slices.SortFunc(out, compareGroupTP)
	return out
}

// firstGroupErr returns the error of the first failed partition in order.
func firstGroupErr(failed map[groupTP]error) error {
	tps := make([]groupTP, 0, len(failed))
	for tp := range failed {
		tps = append(tps, tp)
	}
	sort.Slice(tps, func(i, j int) bool { return compareGroupTP(tps[i], tps[j]) < 0 })
	return failed[tps[0]]
}

// groupOnlyFailed keeps the offsets of partitions that failed (with target, when
// not nil); with no per-partition failures (a request error) it keeps all.
func groupOnlyFailed(pending map[groupTP]groupOffset, failed map[groupTP]error, target error) map[groupTP]groupOffset {
	if len(failed) == 0 {
		return pending
	}
	out := map[groupTP]groupOffset{}
	for tp, err := range failed {
		if o, ok := pending[tp]; ok && (target == nil || errors.Is(err, target) ||
			errors.Is(err, kerr.RebalanceInProgress) || errors.Is(err, kerr.IllegalGeneration) || errors.Is(err, kerr.StaleMemberEpoch)) {
			out[tp] = o
		}
	}
	return out
}

func cloneGroupOffsets(m map[groupTP]groupOffset) map[groupTP]groupOffset {
	out := make(map[groupTP]groupOffset, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// groupSleepCtx waits for d and reports false if ctx ended first.
func groupSleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
