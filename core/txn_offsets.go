package core

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// SendOffsetsToTransaction adds a consumer group's offsets to the open
// transaction: they become the group's committed offsets when the
// transaction commits, and are discarded if it aborts. This is how a
// consume-transform-produce application commits its inputs and outputs
// atomically. offsets are the next offsets to consume (NextOffset of the
// last processed record); group is Consumer.GroupMetadata(), which lets the
// coordinator refuse a fenced or stale member (KIP-447).
//
// With transaction protocol v1 it sends AddOffsetsToTxn to the transaction
// coordinator, then TxnOffsetCommit to the group coordinator; with v2
// (KIP-890) TxnOffsetCommit alone. It waits for both.
//
// Errors: retriable (ctx ended: call it again), abortable (e.g. the member
// left the group: ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID; abort and rewind),
// fatal (fenced).
func (p *Producer) SendOffsetsToTransaction(ctx context.Context, offsets map[TopicPartition]OffsetAndMetadata, group ConsumerGroupMetadata) error {
	const op = "SendOffsetsToTransaction"
	if p.txn == nil {
		return errNotTransactional
	}
	if group.GroupID == "" {
		return errors.New("core: SendOffsetsToTransaction needs the consumer's group metadata (Consumer.GroupMetadata()) with a GroupID")
	}
	p.txn.opMu.Lock()
	defer p.txn.opMu.Unlock()
	if err := p.txn.check(op, TxnInTransaction); err != nil {
		return err
	}
	if len(offsets) == 0 {
		return nil
	}
	pid := p.pid.Load()
	maxV := int16(txnOffsetCommitV1Max)
	if p.txn.v2.Load() {
		maxV = txnOffsetCommitMax
	} else {
		req := &protocol.AddOffsetsToTxnRequest{}
		req.Default()
		req.TransactionalId, req.ProducerId, req.ProducerEpoch, req.GroupId = p.txn.id, pid.id, pid.epoch, group.GroupID
		_, err := p.coordRequest(ctx, op, cluster.CoordinatorTransaction, p.txn.id, req, req.MaxVersion(), func(r protocol.Response) error {
			return kerr.ForCode(r.(*protocol.AddOffsetsToTxnResponse).ErrorCode)
		})
		if err != nil {
			return p.txnFailed(op, err, TxnAbortable)
		}
	}
	p.txn.mu.Lock()
	p.txn.touched = true // the coordinator knows of the transaction now
	p.txn.mu.Unlock()
	req := txnOffsetCommitRequest(p.txn.id, pid, offsets, group)
	_, err := p.coordRequest(ctx, op, cluster.CoordinatorGroup, group.GroupID, req, maxV, txnOffsetCommitError)
	if err != nil {
		return p.txnFailed(op, err, TxnAbortable)
	}
	return nil
}

// txnOffsetCommitRequest builds a TxnOffsetCommit, topics and partitions
// sorted.
func txnOffsetCommitRequest(txnID string, pid *producerID, offsets map[TopicPartition]OffsetAndMetadata, g ConsumerGroupMetadata) *protocol.TxnOffsetCommitRequest {
	req := &protocol.TxnOffsetCommitRequest{}
	req.Default()
	req.TransactionalId, req.GroupId, req.ProducerId, req.ProducerEpoch = txnID, g.GroupID, pid.id, pid.epoch
	req.GenerationIdOrMemberEpoch, req.MemberId = g.GenerationID, g.MemberID
	if g.GroupInstanceID != "" {
		id := g.GroupInstanceID
		req.GroupInstanceId = &id
	}
	tps := make([]TopicPartition, 0, len(offsets))
	for tp := range offsets {
		tps = append(tps, tp)
	}
	sort.Slice(tps, func(i, j int) bool {
		if tps[i].Topic != tps[j].Topic {
			return tps[i].Topic < tps[j].Topic
		}
		return tps[i].Partition < tps[j].Partition
	})
	for _, tp := range tps {
		if n := len(req.Topics); n == 0 || req.Topics[n-1].Name != tp.Topic {
			req.Topics = append(req.Topics, protocol.TxnOffsetCommitRequestTopic{Name: tp.Topic})
		}
		o := offsets[tp]
		var md *string
		if o.Metadata != "" {
			md = &o.Metadata
		}
		t := &req.Topics[len(req.Topics)-1]
		t.Partitions = append(t.Partitions, protocol.TxnOffsetCommitRequestPartition{
			PartitionIndex: tp.Partition, CommittedOffset: o.Offset, CommittedLeaderEpoch: o.LeaderEpoch, CommittedMetadata: md,
		})
	}
	return req
}

// txnOffsetCommitError returns the first partition error of a
// TxnOffsetCommit response.
func txnOffsetCommitError(r protocol.Response) error {
	for _, t := range r.(*protocol.TxnOffsetCommitResponse).Topics {
		for _, pr := range t.Partitions {
			if err := kerr.ForCode(pr.ErrorCode); err != nil {
				return fmt.Errorf("%s/%d: %w", t.Name, pr.PartitionIndex, err)
			}
		}
	}
	return nil
}
