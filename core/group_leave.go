package core

import (
	"context"
	"errors"
	"fmt"
)

// Leaving: close, unsubscribe and what they share. They run on the host's
// goroutine (Close, Unsubscribe), which also runs the callbacks of the
// partitions they revoke.

// unsubscribe drops the subscription: it dispatches waiting events,
// auto-commits and revokes every owned partition through handle (on the
// caller's goroutine), and leaves the group (LeaveGroup, or the leaving
// heartbeat with GroupProtocolConsumer; a static classic member only gives
// up its generation, as in Java).
func (g *groupMember) unsubscribe(ctx context.Context, handle func(groupEvent)) error {
	g.mu.Lock()
	g.topics, g.pattern = nil, nil
	g.notifyLocked()
	g.mu.Unlock()
	g.quiesce(ctx, handle)
	if err := g.revokeAll(ctx, handle); err != nil {
		return err
	}
	var err error
	switch {
	case g.cfg.ConsumerProtocol:
		err = g.leave848(ctx)
	case g.cfg.InstanceID == "":
		err = g.leave(ctx, "the consumer unsubscribed")
	}
	g.mu.Lock()
	if g.state != groupClosed {
		g.state, g.generation, g.rejoin = groupUnjoined, -1, false
	}
	g.notifyLocked()
	g.mu.Unlock()
	return err
}

// quiesce lets a JoinGroup/SyncGroup round in flight finish (bounded by
// ctx) while dispatching its events through handle, so that the partitions
// the member still owns are committed with its current generation: cut
// short after JoinGroup, the member would commit with the previous one and
// get ILLEGAL_GENERATION. Without owned partitions (always with the eager
// protocol during a join) there is nothing to wait for. The caller has
// stopped new rounds (closing or unsubscribed).
func (g *groupMember) quiesce(ctx context.Context, handle func(groupEvent)) {
	for {
		_ = g.dispatch(ctx, handle)
		g.mu.Lock()
		busy := g.state == groupJoining && len(g.owned) > 0 || len(g.events) > 0
		changed := g.changed
		g.mu.Unlock()
		if !busy {
			return
		}
		select {
		case <-changed:
		case <-g.eventsReady:
		case <-ctx.Done():
			return
		}
	}
}

// revokeAll auto-commits (when on) and revokes every owned partition
// through handle, as lost when the member holds no generation.
func (g *groupMember) revokeAll(ctx context.Context, handle func(groupEvent)) error {
	g.mu.Lock()
	owned := sortedGroupTPs(g.owned)
	// A member that holds a generation still owns its partitions, even in
	// the middle of a rejoin (cooperative): it can commit them.
	// Generations and member epochs start at 1.
	stable := g.generation > 0
	g.mu.Unlock()
	var err error
	if stable && g.cfg.AutoCommit && len(owned) > 0 {
		if offs := g.host.groupPositions(owned); len(offs) > 0 {
			if cerr := g.commit(ctx, offs); cerr != nil {
				err = fmt.Errorf("core: committing before revoking: %w", cerr)
			}
		}
	}
	if handle != nil && len(owned) > 0 {
		kind := groupRevoked
		if !stable {
			kind = groupLost
		}
		g.setDispatching(true)
		handle(groupEvent{Kind: kind, Partitions: owned})
		g.setDispatching(false)
	}
	g.mu.Lock()
	g.owned = map[groupTP]bool{}
	g.notifyLocked()
	g.mu.Unlock()
	return err
}

// close leaves the group: it dispatches waiting events, auto-commits (when
// on), revokes every owned partition through handle, and sends LeaveGroup
// unless the member is static (a static member keeps its partitions for the
// session timeout so that a restart does not rebalance, as in Java). Call it
// on the polling goroutine. Idempotent.
func (g *groupMember) close(ctx context.Context, handle func(groupEvent)) error {
	g.mu.Lock()
	if g.state == groupClosed {
		g.mu.Unlock()
		return nil
	}
	g.mu.Unlock()
	var errs []error
	g.mu.Lock()
	g.closing = true
	g.notifyLocked()
	g.mu.Unlock()
	g.quiesce(ctx, handle)
	g.cancel()
	g.done.Wait()
	_ = g.dispatch(ctx, handle)
	if err := g.revokeAll(ctx, handle); err != nil {
		errs = append(errs, err)
	}
	g.mu.Lock()
	g.owned = map[groupTP]bool{}
	g.state = groupClosed
	g.notifyLocked()
	g.mu.Unlock()
	switch {
	case g.cfg.ConsumerProtocol:
		if err := g.leave848(ctx); err != nil {
			errs = append(errs, err)
		}
	case g.cfg.InstanceID == "":
		if err := g.leave(ctx, "the consumer is closing"); err != nil {
			errs = append(errs, err)
		}
	}
	g.commits.wait(ctx)
	g.commits.stop()
	return errors.Join(errs...)
}

// abandon stops the member without LeaveGroup, commits or callbacks, as if
// its process died: the coordinator removes it after the session timeout.
// For tests.
func (g *groupMember) abandon() {
	g.cancel()
	g.commits.stop()
	g.done.Wait()
	g.mu.Lock()
	g.state = groupClosed
	g.notifyLocked()
	g.mu.Unlock()
}
