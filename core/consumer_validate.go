package core

import (
	"context"

	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// validatePositions checks positions with a known leader epoch against the
// current leaders (KIP-320): OffsetForLeaderEpoch returns the end offset of
// that epoch in the leader's log; a position beyond it was truncated away.
// Positions without an epoch, or on brokers without the API, are accepted.
func (c *Consumer) validatePositions(ctx context.Context, work []posWork) {
	type item struct {
		w     posWork
		epoch int32 // the position's epoch
		cur   int32 // the current leader epoch
		off   int64
	}
	byLeader := map[int32][]item{}
	c.mu.Lock()
	for _, w := range work {
		if !c.current(w, stateNeedValidation) {
			continue
		}
		ps := w.ps
		if ps.pos.LeaderEpoch < 0 || ps.leader < 0 {
			ps.state = stateReady
			if ps.leader < 0 {
				c.refresh = true
			}
			continue
		}
		byLeader[ps.leader] = append(byLeader[ps.leader], item{w, ps.pos.LeaderEpoch, ps.leaderEpoch, ps.pos.Offset})
	}
	c.mu.Unlock()
	for leader, items := range byLeader {
		req := &protocol.OffsetForLeaderEpochRequest{}
		req.Default()
		req.ReplicaId = -1 // a consumer
		for _, it := range items {
			tp := it.w.ps.tp
			n := len(req.Topics)
			if n == 0 || req.Topics[n-1].Topic != tp.Topic {
				req.Topics = append(req.Topics, protocol.OffsetForLeaderEpochRequestOffsetForLeaderTopic{Topic: tp.Topic})
				n++
			}
			req.Topics[n-1].Partitions = append(req.Topics[n-1].Partitions, protocol.OffsetForLeaderEpochRequestOffsetForLeaderPartition{
				Partition: tp.Partition, CurrentLeaderEpoch: it.cur, LeaderEpoch: it.epoch})
		}
		resp, err := c.cl.Do(ctx, leader, wire.LaneAdmin, req)
		results := map[TopicPartition]protocol.OffsetForLeaderEpochResponseEpochEndOffset{}
		if err == nil {
			for _, t := range resp.(*protocol.OffsetForLeaderEpochResponse).Topics {
				for _, p := range t.Partitions {
					results[TopicPartition{t.Topic, p.Partition}] = p
				}
			}
		}
		c.mu.Lock()
		for _, it := range items {
			if !c.current(it.w, stateNeedValidation) {
				continue
			}
			ps := it.w.ps
			if err != nil {
				if errUnsupported(err) {
					ps.state = stateReady // too old to validate
					continue
				}
				ps.lookupFailed(c.retryBackoff())
				c.refresh = true
				continue
			}
			r, ok := results[ps.tp]
			if !ok {
				ps.lookupFailed(c.retryBackoff())
				continue
			}
			c.completeValidationLocked(ps, it.off, r)
		}
		c.notifyLocked()
		c.mu.Unlock()
	}
}

// completeValidationLocked applies an OffsetForLeaderEpoch answer; c.mu is held.
func (c *Consumer) completeValidationLocked(ps *partState, off int64, r protocol.OffsetForLeaderEpochResponseEpochEndOffset) {
	if r.ErrorCode != 0 {
		err := kerr.ForCode(r.ErrorCode)
		if kerr.IsRetriable(err) {
			ps.lookupFailed(c.retryBackoff())
			c.refresh = true
			return
		}
		ps.err = &FetchError{Partition: ps.tp, Offset: off, Err: err}
		return
	}
	switch {
	case r.EndOffset < 0 || r.LeaderEpoch < 0:
		// The leader does not know the epoch: truncation cannot be ruled out.
		if c.cfg.AutoOffsetReset == ResetNone {
			ps.err = &LogTruncationError{Partition: ps.tp, Offset: off, DivergentOffset: -1}
			return
		}
		c.log.Warn("consumer: cannot validate position after a leader change; resetting", "partition", ps.tp.String(), "offset", off)
		c.resetStateLocked(ps)
		ps.state, ps.resetPolicy = stateNeedReset, c.cfg.AutoOffsetReset
	case r.EndOffset < off:
		if c.cfg.AutoOffsetReset == ResetNone {
			ps.err = &LogTruncationError{Partition: ps.tp, Offset: off, DivergentOffset: r.EndOffset}
			return
		}
		c.log.Warn("consumer: log truncation detected; moving to the divergent offset", "partition", ps.tp.String(),
			"position", off, "divergent", r.EndOffset)
		c.resetStateLocked(ps)
		ps.setPosition(OffsetEpoch{Offset: r.EndOffset, LeaderEpoch: r.LeaderEpoch})
	default:
		ps.state = stateReady
	}
}
