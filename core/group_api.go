package core

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
)

// This file is the Consumer's consumer-group API: Subscribe,
// SubscribePattern, Unsubscribe, Commit, CommitAsync, Committed, and the
// glue between the Consumer and the group membership engine (group.go).

// The Consumer's group errors say what to do.
var (
	errNoGroup        = errors.New("core: this needs a consumer group: set ConsumerConfig.GroupID")
	errAssignedByHand = errors.New("core: the consumer has partitions assigned by hand; call Assign() with no partitions before Subscribe")
	errSubscribed     = errors.New("core: the consumer is subscribed; call Unsubscribe before Assign")
)

// consumerGroup binds a Consumer to its group member.
type consumerGroup struct {
	g *groupMember

	mu       sync.Mutex
	listener RebalanceListener
	active   bool // subscribed (topics or a pattern)
}

// initGroup creates the group member of a Consumer with a GroupID: its
// committed offsets become the starting positions of new partitions.
func (c *Consumer) initGroup() error {
	if c.cfg.GroupID == "" {
		return nil
	}
	gc, err := groupConfigFrom(c.cfg)
	if err != nil {
		return err
	}
	if c.ics.commits() {
		gc.OnCommit = c.interceptCommit
	}
	c.grp = &consumerGroup{g: newGroupMember(c.cl, gc, consumerHost{c})}
	c.hooks.committed = func(ctx context.Context, parts []TopicPartition) (map[TopicPartition]OffsetEpoch, error) {
		offs, err := c.grp.g.committed(ctx, parts)
		if err != nil {
			return nil, err
		}
		out := make(map[TopicPartition]OffsetEpoch, len(offs))
		for tp, o := range offs {
			out[tp] = OffsetEpoch{Offset: o.Offset, LeaderEpoch: o.LeaderEpoch}
		}
		return out, nil
	}
	return nil
}

// consumerHost gives the engine the Consumer's positions.
type consumerHost struct{ c *Consumer }

func (h consumerHost) groupPositions(parts []TopicPartition) map[TopicPartition]OffsetAndMetadata {
	pos := h.c.positions(parts)
	out := make(map[TopicPartition]OffsetAndMetadata, len(pos))
	for tp, p := range pos {
		out[tp] = OffsetAndMetadata{Offset: p.Offset, LeaderEpoch: p.LeaderEpoch}
	}
	return out
}

// subscribed reports whether the consumer follows a subscription.
func (c *Consumer) subscribed() bool {
	if c.grp == nil {
		return false
	}
	c.grp.mu.Lock()
	defer c.grp.mu.Unlock()
	return c.grp.active
}

// Subscribe joins the consumer group (ConsumerConfig.GroupID) with a
// subscription to topics, replacing any previous subscription; the group
// assigns the partitions. listener's callbacks run inside Poll (see
// RebalanceListener). New partitions start at the group's committed offset,
// otherwise where AutoOffsetReset says. The consumer joins in the
// background, and must keep polling to stay in the group (MaxPollInterval).
// Subscribing to no topics is Unsubscribe. Safe for concurrent use.
func (c *Consumer) Subscribe(topics []string, listener RebalanceListener) error {
	if len(topics) == 0 {
		return c.Unsubscribe()
	}
	for _, t := range topics {
		if t == "" {
			return fmt.Errorf("core: cannot subscribe to an empty topic name")
		}
	}
	return c.subscribe(topics, nil, listener)
}

// SubscribePattern is Subscribe to every topic whose name matches re
// (internal topics excluded). Topics created or deleted later are picked up
// at the next metadata refresh (MetadataMaxAge), which rebalances the group.
// With GroupProtocolConsumer the broker matches the pattern (RE2 syntax).
func (c *Consumer) SubscribePattern(re *regexp.Regexp, listener RebalanceListener) error {
	if re == nil {
		return fmt.Errorf("core: SubscribePattern needs a regular expression")
	}
	return c.subscribe(nil, re, listener)
}

func (c *Consumer) subscribe(topics []string, re *regexp.Regexp, listener RebalanceListener) error {
	if c.grp == nil {
		return errNoGroup
	}
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return ErrConsumerClosed
	}
	c.grp.mu.Lock()
	if !c.grp.active && len(c.Assignment()) > 0 {
		c.grp.mu.Unlock()
		return errAssignedByHand
	}
	c.grp.listener, c.grp.active = listener, true
	c.grp.mu.Unlock()
	c.grp.g.subscribe(topics, re)
	return nil
}

// Unsubscribe revokes every partition (calling OnPartitionsRevoked on this
// goroutine, after an auto commit) and leaves the group. Without a
// subscription it does nothing.
func (c *Consumer) Unsubscribe() error {
	if !c.subscribed() {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.RequestTimeout)
	defer cancel()
	err := c.grp.g.unsubscribe(ctx, func(ev groupEvent) { c.applyGroupEvent(ctx, ev) })
	c.grp.mu.Lock()
	c.grp.active = false
	c.grp.mu.Unlock()
	if len(c.Assignment()) > 0 {
		_ = c.unassign(c.Assignment()...)
	}
	return err
}

// Commit commits offsets for the consumer group, synchronously; with nil
// offsets it commits the position of every assigned partition (the offset
// after the last record Poll returned). It works with Subscribe and with
// partitions assigned by hand.
//
// During a rebalance Commit does not fail nor lose offsets: a commit
// answered REBALANCE_IN_PROGRESS or ILLEGAL_GENERATION (STALE_MEMBER_EPOCH
// with GroupProtocolConsumer) waits for the member's next generation and is
// sent again for the partitions it still owns. Offsets of partitions that
// moved to another member meanwhile are not committed: the error says which
// (errors.Is(err, kerr.RebalanceInProgress)), and their new owner resumes
// from their last committed offset, so records after it are delivered
// again (at-least-once). Commit offsets in OnPartitionsRevoked to avoid
// that. Inside a rebalance callback Commit does not wait (the rebalance
// waits for the callback): it fails at once instead; so does a member that
// left the group because it did not Poll within MaxPollInterval (its next
// Poll rejoins). Other retriable errors and coordinator moves are retried
// until ctx ends.
func (c *Consumer) Commit(ctx context.Context, offsets map[TopicPartition]OffsetAndMetadata) error {
	if c.grp == nil {
		return errNoGroup
	}
	if offsets == nil {
		offsets = consumerHost{c}.groupPositions(nil)
	}
	if len(offsets) == 0 {
		return nil
	}
	return c.grp.g.commit(ctx, offsets)
}

// CommitAsync is Commit on a background goroutine: it returns at once and
// calls done (when not nil) with the offsets and the result, on that
// goroutine. Commits are sent in the order they are made, and an older
// commit retried after a rebalance never overwrites a newer one. Close
// waits for commits in flight.
func (c *Consumer) CommitAsync(offsets map[TopicPartition]OffsetAndMetadata, done func(map[TopicPartition]OffsetAndMetadata, error)) {
	if c.grp == nil {
		if done != nil {
			go done(offsets, errNoGroup)
		}
		return
	}
	if offsets == nil {
		offsets = consumerHost{c}.groupPositions(nil)
	}
	c.grp.g.commitAsync(offsets, done)
}

// Committed returns the group's committed offsets of partitions; those
// without a committed offset are absent from the map. With read_committed
// it waits for offsets of open transactions to settle (RequireStable).
func (c *Consumer) Committed(ctx context.Context, partitions ...TopicPartition) (map[TopicPartition]OffsetAndMetadata, error) {
	if c.grp == nil {
		return nil, errNoGroup
	}
	return c.grp.g.committed(ctx, partitions)
}

// groupPoll runs at each round of Poll, on the polling goroutine: it
// restarts the max poll interval, starts a due auto commit and runs the
// rebalance callbacks that wait. It returns the member's fatal error.
func (c *Consumer) groupPoll(ctx context.Context) error {
	if c.grp == nil {
		return nil
	}
	c.grp.g.polled()
	if !c.grp.g.pending() {
		return c.grp.g.dispatch(ctx, nil) // the fatal error, if any
	}
	// Callbacks and the commits they make must not be cut short by a Poll
	// with a short deadline: the rebalance waits for them, up to
	// MaxPollInterval. They keep ctx's values.
	cbCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.MaxPollInterval)
	defer cancel()
	return c.grp.g.dispatch(cbCtx, func(ev groupEvent) { c.applyGroupEvent(cbCtx, ev) })
}

// groupReady fires when Poll should call groupPoll: events wait, or (every
// heartbeat interval) to show that a Poll waiting for records is alive.
// Nil without a group.
func (c *Consumer) groupReady() <-chan struct{} {
	if c.grp == nil {
		return nil
	}
	return c.grp.g.ready()
}

// applyGroupEvent applies an assignment change to the Consumer and calls
// the listener: assigned partitions are added first, revoked and lost ones
// removed after the callback (so that it can still read their positions).
func (c *Consumer) applyGroupEvent(ctx context.Context, ev groupEvent) {
	c.grp.mu.Lock()
	l := c.grp.listener
	c.grp.mu.Unlock()
	parts := ev.Partitions
	switch ev.Kind {
	case groupAssigned:
		_ = c.assign(parts...)
		if l.OnPartitionsAssigned != nil {
			l.OnPartitionsAssigned(ctx, parts)
		}
	case groupRevoked:
		if l.OnPartitionsRevoked != nil && len(parts) > 0 {
			l.OnPartitionsRevoked(ctx, parts)
		}
		_ = c.unassign(parts...)
	case groupLost:
		switch {
		case len(parts) == 0:
		case l.OnPartitionsLost != nil:
			l.OnPartitionsLost(ctx, parts)
		case l.OnPartitionsRevoked != nil:
			l.OnPartitionsRevoked(ctx, parts)
		}
		_ = c.unassign(parts...)
	}
}

// closeGroup leaves the group on Close: callbacks run on the caller's
// goroutine, auto commit commits the positions, then LeaveGroup (not for a
// static member). Bounded by RequestTimeout.
func (c *Consumer) closeGroup() error {
	if c.grp == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.RequestTimeout)
	defer cancel()
	return c.grp.g.close(ctx, func(ev groupEvent) { c.applyGroupEvent(ctx, ev) })
}
