package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// defaultLookupTimeout bounds offset look-ups whose context has no deadline
// (Java's default.api.timeout.ms).
const defaultLookupTimeout = time.Minute

// OffsetAndTimestamp is the answer of OffsetsForTimes for one partition:
// the earliest offset whose timestamp is at or after the one asked for, that
// record's timestamp and leader epoch. Offset is -1 (and Timestamp zero) when
// no record is that recent.
type OffsetAndTimestamp struct {
	Offset      int64
	Timestamp   time.Time
	LeaderEpoch int32
}

// NoOffsetError is returned by Poll and Position for partitions that have no
// position while AutoOffsetReset is ResetNone.
type NoOffsetError struct {
	Partitions []TopicPartition
}

func (e *NoOffsetError) Error() string {
	names := make([]string, len(e.Partitions))
	for i, tp := range e.Partitions {
		names[i] = tp.String()
	}
	return fmt.Sprintf("core: no position for partitions %s and AutoOffsetReset is none; Seek them, call SeekToBeginning or SeekToEnd, or set AutoOffsetReset",
		strings.Join(names, ", "))
}

// LogTruncationError is returned by Poll when, after a leader change, the
// new leader's log ends before the consumer's position (KIP-320) while
// AutoOffsetReset is ResetNone. Otherwise the consumer moves to
// DivergentOffset by itself and logs a warning.
type LogTruncationError struct {
	Partition       TopicPartition
	Offset          int64 // the consumer's position
	DivergentOffset int64 // where the logs diverge, -1 when unknown
}

func (e *LogTruncationError) Error() string {
	return fmt.Sprintf("core: log truncation detected in %s: position %d is beyond the leader's log (divergent offset %d); Seek to resume, records after the divergent offset were lost",
		e.Partition, e.Offset, e.DivergentOffset)
}

// BeginningOffsets returns the log start offsets of parts.
func (c *Consumer) BeginningOffsets(ctx context.Context, parts ...TopicPartition) (map[TopicPartition]int64, error) {
	return c.offsetsAt(ctx, -2, parts)
}

// EndOffsets returns the end offsets of parts: the high watermark, or the
// last stable offset with read_committed.
func (c *Consumer) EndOffsets(ctx context.Context, parts ...TopicPartition) (map[TopicPartition]int64, error) {
	return c.offsetsAt(ctx, -1, parts)
}

func (c *Consumer) offsetsAt(ctx context.Context, ts int64, parts []TopicPartition) (map[TopicPartition]int64, error) {
	q := make(map[TopicPartition]int64, len(parts))
	for _, tp := range parts {
		q[tp] = ts
	}
	res, err := c.listOffsets(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make(map[TopicPartition]int64, len(res))
	for tp, o := range res {
		out[tp] = o.Offset
	}
	return out, nil
}

// OffsetsForTimes returns, for each partition, the earliest offset whose
// timestamp is at or after the given time (Offset -1 when there is none).
// The partitions need not be assigned.
func (c *Consumer) OffsetsForTimes(ctx context.Context, times map[TopicPartition]time.Time) (map[TopicPartition]OffsetAndTimestamp, error) {
	q := make(map[TopicPartition]int64, len(times))
	for tp, t := range times {
		if t.UnixMilli() < 0 {
			return nil, fmt.Errorf("core: OffsetsForTimes: time %v for %s is before 1970", t, tp)
		}
		q[tp] = t.UnixMilli()
	}
	return c.listOffsets(ctx, q)
}

// listOffsets asks the partitions' leaders for the offsets of the given
// timestamps (-2 earliest, -1 latest), retrying leader errors until ctx ends
// (a minute when it has no deadline).
func (c *Consumer) listOffsets(ctx context.Context, query map[TopicPartition]int64) (map[TopicPartition]OffsetAndTimestamp, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultLookupTimeout)
		defer cancel()
	}
	out := make(map[TopicPartition]OffsetAndTimestamp, len(query))
	pending := make(map[TopicPartition]int64, len(query))
	for tp, ts := range query {
		pending[tp] = ts
	}
	refresh := false
	var lastErr error
	for attempt := 0; len(pending) > 0; attempt++ {
		if refresh {
			select {
			case <-ctx.Done():
				return out, fmt.Errorf("core: looking up offsets of %d partitions: %w (last error: %v)", len(pending), ctx.Err(), lastErr)
			case <-time.After(c.retryBackoff().Delay(attempt - 1)):
			}
		}
		var err error
		refresh, err = c.listOffsetsOnce(ctx, pending, out, refresh)
		if err != nil && !refresh {
			if deadlinePassed(ctx) && lastErr != nil {
				// ctx ended during this attempt: the failure that made
				// the attempts go on says more than the deadline does.
				cause := ctx.Err()
				if cause == nil {
					cause = context.DeadlineExceeded // its timer has not fired yet
				}
				return out, fmt.Errorf("core: looking up offsets of %d partitions: %w (last error: %v)", len(pending), cause, lastErr)
			}
			return out, err
		}
		if lastErr == nil || !deadlinePassed(ctx) {
			// An attempt cut short by the deadline failed for that
			// alone (its write or read timed out, possibly before
			// ctx.Err() is set): keep the error of the one before.
			lastErr = err
		}
	}
	return out, nil
}

// deadlinePassed reports whether ctx has ended or its deadline has passed.
func deadlinePassed(ctx context.Context) bool {
	d, ok := ctx.Deadline()
	return ctx.Err() != nil || ok && !time.Now().Before(d)
}

// listOffsetsOnce sends one round of ListOffsets; it reports whether
// partitions are left to retry after a metadata refresh.
func (c *Consumer) listOffsetsOnce(ctx context.Context, pending map[TopicPartition]int64, out map[TopicPartition]OffsetAndTimestamp, refresh bool) (bool, error) {
	var topics []string
	for tp := range pending {
		if !slices.Contains(topics, tp.Topic) {
			topics = append(topics, tp.Topic)
		}
	}
	m, err := c.cl.MetadataFor(ctx, topics, false)
	if refresh {
		m, err = c.cl.Refresh(ctx, topics, false)
	}
	if err != nil {
		return ctx.Err() == nil, fmt.Errorf("core: metadata for offset look-up: %w", err)
	}
	byLeader := map[int32]*protocol.ListOffsetsRequest{}
	retry := false
	var lastErr error
	for tp, ts := range pending {
		leader, epoch, ok := m.Leader(tp.Topic, tp.Partition)
		if !ok {
			retry, lastErr = true, fmt.Errorf("core: %s has no leader in the metadata (does the topic exist?)", tp)
			continue
		}
		req := byLeader[leader]
		if req == nil {
			req = &protocol.ListOffsetsRequest{}
			req.Default()
			req.ReplicaId, req.IsolationLevel = -1, int8(c.cfg.IsolationLevel)
			req.TimeoutMs = int32(c.cfg.RequestTimeout / time.Millisecond)
			byLeader[leader] = req
		}
		i := slices.IndexFunc(req.Topics, func(t protocol.ListOffsetsRequestListOffsetsTopic) bool { return t.Name == tp.Topic })
		if i < 0 {
			req.Topics = append(req.Topics, protocol.ListOffsetsRequestListOffsetsTopic{Name: tp.Topic})
			i = len(req.Topics) - 1
		}
		req.Topics[i].Partitions = append(req.Topics[i].Partitions, protocol.ListOffsetsRequestListOffsetsPartition{
			PartitionIndex: tp.Partition, CurrentLeaderEpoch: epoch, Timestamp: ts})
	}
	for leader, req := range byLeader {
		resp, err := c.cl.Do(ctx, leader, wire.LaneAdmin, req)
		if err != nil {
			retry, lastErr = ctx.Err() == nil, fmt.Errorf("core: ListOffsets: %w", err)
			continue
		}
		for _, t := range resp.(*protocol.ListOffsetsResponse).Topics {
			for _, p := range t.Partitions {
				tp := TopicPartition{t.Name, p.PartitionIndex}
				if _, ok := pending[tp]; !ok {
					continue
				}
				if p.ErrorCode != 0 {
					err := kerr.ForCode(p.ErrorCode)
					if !kerr.IsRetriable(err) {
						return false, fmt.Errorf("core: looking up the offset of %s: %w", tp, err)
					}
					retry, lastErr = true, fmt.Errorf("core: looking up the offset of %s: %w", tp, err)
					continue
				}
				o := OffsetAndTimestamp{Offset: p.Offset, LeaderEpoch: p.LeaderEpoch}
				if p.Timestamp >= 0 && p.Offset >= 0 {
					o.Timestamp = time.UnixMilli(p.Timestamp)
				}
				out[tp] = o
				delete(pending, tp)
			}
		}
	}
	return retry, lastErr
}

// posWork is one partition the loop positions, as it was when picked.
type posWork struct {
	ps  *partState
	gen uint64
}

// findPositions gives positions to partitions without one: the group's
// committed offsets first, then offset resets; and validates positions
// after leader changes. It runs on the loop goroutine.
func (c *Consumer) findPositions(ctx context.Context) {
	now := time.Now()
	var committed, resets, validate []posWork
	c.mu.Lock()
	hook := c.hooks.committed
	for _, ps := range c.order {
		if ps.err != nil || now.Before(ps.retryAt) {
			continue
		}
		switch ps.state {
		case stateNeedPosition:
			if hook != nil {
				committed = append(committed, posWork{ps, ps.gen})
				continue
			}
			c.needResetLocked(ps, c.cfg.AutoOffsetReset)
			if ps.state == stateNeedReset {
				resets = append(resets, posWork{ps, ps.gen})
			}
		case stateNeedReset:
			resets = append(resets, posWork{ps, ps.gen})
		case stateNeedValidation:
			validate = append(validate, posWork{ps, ps.gen})
		}
	}
	c.mu.Unlock()
	if len(committed) > 0 {
		resets = append(resets, c.useCommitted(ctx, hook, committed)...)
	}
	if len(resets) > 0 {
		c.resetPositions(ctx, resets)
	}
	if len(validate) > 0 {
		c.validatePositions(ctx, validate)
	}
}

// needResetLocked moves a partition without a position to a reset with
// policy, or to a NoOffsetError with ResetNone; c.mu is held.
func (c *Consumer) needResetLocked(ps *partState, policy OffsetReset) {
	if policy == ResetNone {
		ps.err = &NoOffsetError{Partitions: []TopicPartition{ps.tp}}
		c.notifyLocked()
		return
	}
	ps.state, ps.resetPolicy = stateNeedReset, policy
}

// current reports whether w still describes its partition; c.mu is held.
func (c *Consumer) current(w posWork, state partStage) bool {
	return !c.closed && c.parts[w.ps.tp] == w.ps && w.ps.gen == w.gen && w.ps.state == state
}

// useCommitted positions partitions at their committed offsets and returns
// those that have none, to reset.
func (c *Consumer) useCommitted(ctx context.Context, hook func(context.Context, []TopicPartition) (map[TopicPartition]OffsetEpoch, error), work []posWork) []posWork {
	tps := make([]TopicPartition, len(work))
	for i, w := range work {
		tps[i] = w.ps.tp
	}
	offs, err := hook(ctx, tps)
	c.mu.Lock()
	defer c.mu.Unlock()
	var resets []posWork
	for _, w := range work {
		if !c.current(w, stateNeedPosition) {
			continue
		}
		if err != nil {
			w.ps.lookupFailed(c.retryBackoff())
			continue
		}
		if o, ok := offs[w.ps.tp]; ok && o.Offset >= 0 {
			w.ps.setPosition(o)
			if o.LeaderEpoch >= 0 {
				w.ps.state = stateNeedValidation
			}
			continue
		}
		c.needResetLocked(w.ps, c.cfg.AutoOffsetReset)
		if w.ps.state == stateNeedReset {
			resets = append(resets, posWork{w.ps, w.ps.gen})
		}
	}
	if err != nil && ctx.Err() == nil {
		c.log.Warn("consumer: fetching committed offsets failed; retrying", "err", err)
	}
	c.notifyLocked()
	return resets
}

// resetPositions looks reset positions up with ListOffsets.
func (c *Consumer) resetPositions(ctx context.Context, work []posWork) {
	q := make(map[TopicPartition]int64, len(work))
	for _, w := range work {
		q[w.ps.tp] = -1
		if w.ps.resetPolicy == ResetEarliest {
			q[w.ps.tp] = -2
		}
	}
	res, err := c.listOffsets(ctx, q)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, w := range work {
		if !c.current(w, stateNeedReset) {
			continue
		}
		if o, ok := res[w.ps.tp]; ok {
			w.ps.setPosition(OffsetEpoch{Offset: o.Offset, LeaderEpoch: -1})
			continue
		}
		w.ps.lookupFailed(c.retryBackoff())
	}
	if err != nil && ctx.Err() == nil {
		c.log.Warn("consumer: offset reset failed; retrying", "err", err)
	}
	c.notifyLocked()
}

// outOfRangeLocked handles OFFSET_OUT_OF_RANGE at offset; c.mu is held.
func (c *Consumer) outOfRangeLocked(ps *partState, offset int64) {
	if c.cfg.AutoOffsetReset == ResetNone {
		ps.err = &FetchError{Partition: ps.tp, Offset: offset,
			Err: fmt.Errorf("%w and AutoOffsetReset is none", kerr.OffsetOutOfRange)}
		return
	}
	c.log.Info("consumer: fetch offset out of range; resetting", "partition", ps.tp.String(), "offset", offset,
		"reset", c.cfg.AutoOffsetReset.String())
	c.resetStateLocked(ps)
	ps.state, ps.resetPolicy = stateNeedReset, c.cfg.AutoOffsetReset
}

// errUnsupported reports whether err says the broker lacks an API version.
func errUnsupported(err error) bool { return errors.Is(err, kerr.UnsupportedVersion) }
