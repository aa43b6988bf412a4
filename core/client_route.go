package core

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// anyBroker is route's answer for requests any broker can serve.
const anyBroker int32 = -1 << 31

// route returns the broker that must receive req, or anyBroker.
func route(ctx context.Context, cl *cluster.Cluster, req protocol.Request) (int32, error) {
	if group, ok := groupOf(req); ok {
		return cl.Coordinator(ctx, cluster.CoordinatorGroup, group)
	}
	if txn, ok := transactionOf(req); ok {
		return cl.Coordinator(ctx, cluster.CoordinatorTransaction, txn)
	}
	switch r := req.(type) {
	case *protocol.CreateTopicsRequest, *protocol.DeleteTopicsRequest, *protocol.CreatePartitionsRequest,
		*protocol.ElectLeadersRequest, *protocol.AlterPartitionReassignmentsRequest, *protocol.ListPartitionReassignmentsRequest:
		m, err := cl.Refresh(ctx, []string{}, false)
		if err != nil {
			return 0, err
		}
		if m.Controller < 0 {
			return anyBroker, nil
		}
		return m.Controller, nil
	case *protocol.DescribeConfigsRequest:
		for _, res := range r.Resources {
			if id, ok := brokerResource(res.ResourceType, res.ResourceName); ok {
				return id, ensureMetadata(ctx, cl)
			}
		}
	case *protocol.IncrementalAlterConfigsRequest:
		for _, res := range r.Resources {
			if id, ok := brokerResource(res.ResourceType, res.ResourceName); ok {
				return id, ensureMetadata(ctx, cl)
			}
		}
	}
	if parts := partitionsOf(req); parts != nil {
		return leaderOf(ctx, cl, protocol.APIName(req.Key()), parts)
	}
	return anyBroker, nil
}

// ensureMetadata loads the brokers' metadata if none is cached yet, so that
// broker ids can be resolved to addresses.
func ensureMetadata(ctx context.Context, cl *cluster.Cluster) error {
	if cl.Metadata() != nil {
		return nil
	}
	_, err := cl.Refresh(ctx, []string{}, false)
	return err
}

// brokerResource recognises a config resource of type BROKER (4) or
// BROKER_LOGGER (8) with a broker id as its name.
func brokerResource(kind int8, name string) (int32, bool) {
	if kind != 4 && kind != 8 || name == "" {
		return 0, false
	}
	id, err := strconv.ParseInt(name, 10, 32)
	return int32(id), err == nil
}

func groupOf(req protocol.Request) (string, bool) {
	switch r := req.(type) {
	case *protocol.JoinGroupRequest:
		return r.GroupId, true
	case *protocol.SyncGroupRequest:
		return r.GroupId, true
	case *protocol.HeartbeatRequest:
		return r.GroupId, true
	case *protocol.LeaveGroupRequest:
		return r.GroupId, true
	case *protocol.OffsetCommitRequest:
		return r.GroupId, true
	case *protocol.TxnOffsetCommitRequest:
		return r.GroupId, true
	case *protocol.OffsetDeleteRequest:
		return r.GroupId, true
	case *protocol.ConsumerGroupHeartbeatRequest:
		return r.GroupId, true
	case *protocol.OffsetFetchRequest:
		if len(r.Groups) > 0 {
			return r.Groups[0].GroupId, true
		}
		return r.GroupId, true
	case *protocol.DescribeGroupsRequest:
		if len(r.Groups) > 0 {
			return r.Groups[0], true
		}
	case *protocol.DeleteGroupsRequest:
		if len(r.GroupsNames) > 0 {
			return r.GroupsNames[0], true
		}
	case *protocol.ConsumerGroupDescribeRequest:
		if len(r.GroupIds) > 0 {
			return r.GroupIds[0], true
		}
	}
	return "", false
}

func transactionOf(req protocol.Request) (string, bool) {
	switch r := req.(type) {
	case *protocol.InitProducerIdRequest:
		if r.TransactionalId != nil {
			return *r.TransactionalId, true
		}
	case *protocol.AddOffsetsToTxnRequest:
		return r.TransactionalId, true
	case *protocol.EndTxnRequest:
		return r.TransactionalId, true
	case *protocol.AddPartitionsToTxnRequest:
		if r.V3AndBelowTransactionalId != "" {
			return r.V3AndBelowTransactionalId, true
		}
	case *protocol.DescribeTransactionsRequest:
		if len(r.TransactionalIds) > 0 {
			return r.TransactionalIds[0], true
		}
	}
	return "", false
}

// topicPartition names a partition by topic name, or by id when the
// request version identifies topics by id.
type topicPartition struct {
	topic     string
	topicID   protocol.UUID
	partition int32
}

// partitionsOf lists the partitions of a partition-bound request, or nil.
func partitionsOf(req protocol.Request) []topicPartition {
	var out []topicPartition
	add := func(topic string, id protocol.UUID, p int32) {
		out = append(out, topicPartition{topic, id, p})
	}
	switch r := req.(type) {
	case *protocol.ProduceRequest:
		for _, t := range r.TopicData {
			for _, p := range t.PartitionData {
				add(t.Name, t.TopicId, p.Index)
			}
		}
	case *protocol.FetchRequest:
		for _, t := range r.Topics {
			for _, p := range t.Partitions {
				add(t.Topic, t.TopicId, p.Partition)
			}
		}
	case *protocol.ListOffsetsRequest:
		for _, t := range r.Topics {
			for _, p := range t.Partitions {
				add(t.Name, protocol.UUID{}, p.PartitionIndex)
			}
		}
	case *protocol.DeleteRecordsRequest:
		for _, t := range r.Topics {
			for _, p := range t.Partitions {
				add(t.Name, protocol.UUID{}, p.PartitionIndex)
			}
		}
	case *protocol.OffsetForLeaderEpochRequest:
		for _, t := range r.Topics {
			for _, p := range t.Partitions {
				add(t.Topic, protocol.UUID{}, p.Partition)
			}
		}
	default:
		return nil
	}
	if out == nil {
		out = []topicPartition{}
	}
	return out
}

// leaderOf returns the one leader of parts, refreshing metadata once when a
// leader is unknown.
func leaderOf(ctx context.Context, cl *cluster.Cluster, api string, parts []topicPartition) (int32, error) {
	if len(parts) == 0 {
		return anyBroker, nil
	}
	var topics []string
	for _, p := range parts {
		if p.topic != "" {
			topics = append(topics, p.topic)
		}
	}
	m, err := cl.MetadataFor(ctx, topics, false)
	if err != nil {
		return 0, err
	}
	leader := anyBroker
	for _, p := range parts {
		name := p.topic
		if name == "" {
			name = topicByID(m, p.topicID)
		}
		id, _, ok := m.Leader(name, p.partition)
		if !ok {
			return 0, fmt.Errorf("core: %s: no leader known for %s[%d]: %w", api, name, p.partition, leaderError(m, name))
		}
		if leader != anyBroker && id != leader {
			return 0, errSplitRequest(api, leader, id)
		}
		leader = id
	}
	return leader, nil
}

func topicByID(m *cluster.Metadata, id protocol.UUID) string {
	for name, t := range m.Topics {
		if t.ID == id {
			return name
		}
	}
	return ""
}

func leaderError(m *cluster.Metadata, topic string) error {
	if t := m.Topics[topic]; t != nil && t.Err != nil {
		return t.Err
	}
	return errors.New("the partition does not exist or has no leader")
}
