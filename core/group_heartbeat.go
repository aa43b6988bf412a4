package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// heartbeatLoop runs on its own goroutine until close. Every
// HeartbeatInterval, while the member holds a generation and is not in the
// middle of JoinGroup/SyncGroup, it sends a Heartbeat and acts on its error:
//   - REBALANCE_IN_PROGRESS: rejoin (the eager protocol revokes first);
//   - ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID: the partitions are lost; rejoin;
//   - FENCED_INSTANCE_ID: another process took this static member's
//     instance id; the partitions are lost and the member stops (rejoining
//     would fence the other one in turn);
//   - NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, network errors and
//     responses that do not decode: find the coordinator again and retry
//     after RetryBackoff, doubled after each failure in a row up to
//     RetryBackoffMax. The 1st, 2nd, 4th, 8th, ... failure in a row is
//     logged (a warning for the transport or a malformed response), the
//     others at debug level.
//
// It also enforces MaxPollInterval: when the host has not polled for that
// long, the member leaves the group (as Java's does) so that others take its
// partitions; it rejoins at the next poll.
func (g *groupMember) heartbeatLoop() {
	defer g.done.Done()
	next, backoff, failures := g.cfg.HeartbeatInterval, g.cfg.RetryBackoff, 0
	for g.sleep(next) {
		next = g.cfg.HeartbeatInterval
		g.nudgeHost()
		if g.checkPollTimeout() {
			continue
		}
		g.mu.Lock()
		memberID, gen, state := g.memberID, g.generation, g.state
		g.mu.Unlock()
		if state != groupStable || gen < 0 || memberID == "" {
			continue
		}
		err := g.heartbeat(memberID, gen)
		if err != nil && g.heartbeatFailed(gen, err, failures) {
			failures++
			next, backoff = backoff, g.cfg.nextBackoff(backoff)
			continue
		}
		if err == nil && failures > 0 {
			g.log.Info("core: heartbeats go through again", "failed_before", failures)
		}
		failures, backoff = 0, g.cfg.RetryBackoff
	}
}

// nudgeHost wakes a host waiting in Poll so that it calls polled: a Poll
// that waits long for records is polling, not stuck in user code.
func (g *groupMember) nudgeHost() {
	select {
	case g.eventsReady <- struct{}{}:
	default:
	}
}

// heartbeat sends one Heartbeat for generation gen.
func (g *groupMember) heartbeat(memberID string, gen int32) error {
	ctx, cancel := context.WithTimeout(g.ctx, g.cfg.RequestTimeout)
	defer cancel()
	coord, err := g.coordinator(ctx)
	if err != nil {
		return err
	}
	req := &protocol.HeartbeatRequest{}
	req.Default()
	req.GroupId, req.GenerationId, req.MemberId, req.GroupInstanceId = g.cfg.GroupID, gen, memberID, g.instanceID()
	resp, err := g.cl.Do(ctx, coord, wire.LaneGroup, req)
	if err != nil {
		return err
	}
	if code := resp.(*protocol.HeartbeatResponse).ErrorCode; code != 0 {
		return kerr.ForCode(code)
	}
	return nil
}

// heartbeatFailed reacts to a heartbeat error for generation gen, after
// failures failed heartbeats in a row; errors for a generation the member
// no longer holds are ignored. It reports whether to retry after a backoff
// rather than the heartbeat interval.
func (g *groupMember) heartbeatFailed(gen int32, err error, failures int) bool {
	if g.ctx.Err() != nil {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.generation != gen || g.state != groupStable {
		return false
	}
	switch {
	case errors.Is(err, kerr.RebalanceInProgress):
		if !g.rejoin {
			g.log.Info("core: the group is rebalancing; rejoining")
		}
		g.rejoin = true
	case errors.Is(err, kerr.IllegalGeneration), errors.Is(err, kerr.UnknownMemberID):
		g.log.Warn("core: the member fell out of the group; its partitions are lost and it rejoins", "err", err)
		if errors.Is(err, kerr.UnknownMemberID) {
			g.memberID = ""
		}
		g.lost = true
	case errors.Is(err, kerr.FencedInstanceID):
		g.lost = true
		g.fatal = fmt.Errorf("core: static member %q was fenced by another consumer with the same GroupInstanceID; give each consumer its own: %w", g.cfg.InstanceID, err)
		g.log.Error("core: fenced", "err", g.fatal)
	case isGroupCoordinatorError(err):
		g.cl.InvalidateCoordinator(cluster.CoordinatorGroup, g.cfg.GroupID)
		g.logHeartbeatFailure(failures, failureLevel(err), "core: heartbeat failed; finding the coordinator again", err)
		return true
	default:
		g.logHeartbeatFailure(failures, slog.LevelWarn, "core: heartbeat failed; retrying", err)
		return true
	}
	g.notifyLocked()
	return false
}

// logHeartbeatFailure logs a failed heartbeat, the failures+1-th in a row,
// at level when that count is a power of two (the 1st, 2nd, 4th, 8th, ...)
// and at debug level otherwise: a coordinator that stays unreachable is
// reported a few times, with its latest error, not at every retry.
func (g *groupMember) logHeartbeatFailure(failures int, level slog.Level, msg string, err error) {
	g.log.Log(context.Background(), streakLevel(failures+1, level), msg, "err", err, "failures_in_a_row", failures+1)
}

// checkPollTimeout leaves the group when the host has not polled for
// MaxPollInterval, and reports whether it did. The partitions are reported
// lost at the next dispatch; the member rejoins at the next poll.
func (g *groupMember) checkPollTimeout() bool {
	g.mu.Lock()
	expired := g.state == groupStable && g.memberID != "" && !g.pollExpired &&
		time.Since(g.lastPoll) > g.cfg.MaxPollInterval
	if !expired {
		g.mu.Unlock()
		return false
	}
	g.pollExpired, g.lost = true, true
	g.notifyLocked()
	g.mu.Unlock()
	g.log.Warn("core: no poll within MaxPollInterval; leaving the group so that other members take the partitions (poll more often, process less per poll, or raise MaxPollInterval)",
		"max_poll_interval", g.cfg.MaxPollInterval)
	if g.cfg.InstanceID != "" {
		// A static member does not send LeaveGroup (as in Java); it gives up
		// its generation and the coordinator removes it after the session
		// timeout unless it rejoins first.
		g.mu.Lock()
		g.generation = -1
		g.mu.Unlock()
		return true
	}
	ctx, cancel := context.WithTimeout(g.ctx, g.cfg.RequestTimeout)
	defer cancel()
	if err := g.leave(ctx, "consumer poll timeout has expired"); err != nil {
		g.log.Warn("core: leaving after poll timeout failed", "err", err)
	}
	return true
}
