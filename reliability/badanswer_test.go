package reliability

import (
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// apiSet is a set of API keys: the ones the fake broker answers well.
type apiSet map[int16]bool

// The API keys of the bad-input scenarios.
const (
	apiProduce                int16 = 0
	apiFetch                  int16 = 1
	apiListOffsets            int16 = 2
	apiMetadata               int16 = 3
	apiOffsetCommit           int16 = 8
	apiOffsetFetch            int16 = 9
	apiJoinGroup              int16 = 11
	apiHeartbeat              int16 = 12
	apiLeaveGroup             int16 = 13
	apiSyncGroup              int16 = 14
	apiCreateTopics           int16 = 19
	apiAddPartitionsToTxn     int16 = 24
	apiAddOffsetsToTxn        int16 = 25
	apiEndTxn                 int16 = 26
	apiTxnOffsetCommit        int16 = 28
	apiDescribeCluster        int16 = 60
	apiConsumerGroupHeartbeat int16 = 68
)

func apis(keys ...int16) apiSet {
	s := apiSet{}
	for _, k := range keys {
		s[k] = true
	}
	return s
}

// groupMember is what a group member needs answered well to be a stable
// member of a group of one, leading it, with offset 0 committed for every
// partition, fetching from an empty partition.
var groupMember = []int16{apiJoinGroup, apiSyncGroup, apiOffsetFetch, apiFetch, apiHeartbeat, apiOffsetCommit, apiLeaveGroup}

// without returns keys without drop.
func without(keys []int16, drop int16) []int16 {
	var out []int16
	for _, k := range keys {
		if k != drop {
			out = append(out, k)
		}
	}
	return out
}

// answer is a well-formed answer to req, as a one-broker cluster whose
// topic "t" has one partition, b.log, would give it; nil for an API it does
// not know (the misbehaviour then answers).
func (b *badListener) answer(req protocol.Request) protocol.Response {
	switch r := req.(type) {
	case *protocol.JoinGroupRequest:
		return answerJoin(r)
	case *protocol.SyncGroupRequest:
		if len(r.Assignments) == 0 {
			return nil
		}
		resp := &protocol.SyncGroupResponse{}
		resp.Default()
		resp.ProtocolType, resp.ProtocolName, resp.Assignment = r.ProtocolType, r.ProtocolName, r.Assignments[0].Assignment
		return resp
	case *protocol.OffsetFetchRequest:
		return answerOffsetFetch(r)
	case *protocol.FetchRequest:
		return b.log.fetch(r)
	case *protocol.HeartbeatRequest:
		resp := &protocol.HeartbeatResponse{}
		resp.Default()
		b.mu.Lock()
		b.heartbeats++
		if b.heartbeats == b.rebalanceAt {
			resp.ErrorCode = kerr.RebalanceInProgress.Code
		}
		b.mu.Unlock()
		return resp
	case *protocol.LeaveGroupRequest:
		resp := &protocol.LeaveGroupResponse{}
		resp.Default()
		for _, m := range r.Members {
			resp.Members = append(resp.Members, protocol.LeaveGroupResponseMemberResponse{MemberId: m.MemberId, GroupInstanceId: m.GroupInstanceId})
		}
		return resp
	case *protocol.OffsetCommitRequest:
		resp := &protocol.OffsetCommitResponse{}
		resp.Default()
		for _, t := range r.Topics {
			rt := protocol.OffsetCommitResponseTopic{Name: t.Name, TopicId: t.TopicId}
			for _, p := range t.Partitions {
				rt.Partitions = append(rt.Partitions, protocol.OffsetCommitResponsePartition{PartitionIndex: p.PartitionIndex})
			}
			resp.Topics = append(resp.Topics, rt)
		}
		return resp
	case *protocol.ProduceRequest:
		return b.log.produce(r)
	case *protocol.AddPartitionsToTxnRequest:
		return answerAddPartitions(r)
	case *protocol.AddOffsetsToTxnRequest:
		resp := &protocol.AddOffsetsToTxnResponse{}
		resp.Default()
		return resp
	case *protocol.EndTxnRequest:
		resp := &protocol.EndTxnResponse{}
		resp.Default()
		return resp
	case *protocol.CreateTopicsRequest:
		return b.createTopics(r)
	case *protocol.TxnOffsetCommitRequest:
		resp := &protocol.TxnOffsetCommitResponse{}
		resp.Default()
		for _, t := range r.Topics {
			rt := protocol.TxnOffsetCommitResponseTopic{Name: t.Name, TopicId: t.TopicId}
			for _, p := range t.Partitions {
				rt.Partitions = append(rt.Partitions, protocol.TxnOffsetCommitResponsePartition{PartitionIndex: p.PartitionIndex})
			}
			resp.Topics = append(resp.Topics, rt)
		}
		return resp
	}
	return nil
}

// answerJoin makes the member the leader of a group of one.
func answerJoin(r *protocol.JoinGroupRequest) protocol.Response {
	if len(r.Protocols) == 0 {
		return nil
	}
	resp := &protocol.JoinGroupResponse{}
	resp.Default()
	member, ptype, name := "member-1", r.ProtocolType, r.Protocols[0].Name
	resp.GenerationId, resp.ProtocolType, resp.ProtocolName = 1, &ptype, &name
	resp.Leader, resp.MemberId = member, member
	resp.Members = []protocol.JoinGroupResponseMember{{MemberId: member, Metadata: r.Protocols[0].Metadata}}
	return resp
}

// answerOffsetFetch has offset 0 committed for every partition asked for,
// in the layout of either version range.
func answerOffsetFetch(r *protocol.OffsetFetchRequest) protocol.Response {
	resp := &protocol.OffsetFetchResponse{}
	resp.Default()
	for _, t := range r.Topics {
		rt := protocol.OffsetFetchResponseTopic{Name: t.Name}
		for _, p := range t.PartitionIndexes {
			rt.Partitions = append(rt.Partitions, protocol.OffsetFetchResponsePartition{PartitionIndex: p, CommittedLeaderEpoch: -1})
		}
		resp.Topics = append(resp.Topics, rt)
	}
	for _, g := range r.Groups {
		rg := protocol.OffsetFetchResponseGroup{GroupId: g.GroupId}
		for _, t := range g.Topics {
			rt := protocol.OffsetFetchResponseTopics{Name: t.Name, TopicId: t.TopicId}
			for _, p := range t.PartitionIndexes {
				rt.Partitions = append(rt.Partitions, protocol.OffsetFetchResponsePartitions{PartitionIndex: p, CommittedLeaderEpoch: -1})
			}
			rg.Topics = append(rg.Topics, rt)
		}
		resp.Groups = append(resp.Groups, rg)
	}
	return resp
}

// answerAddPartitions adds every partition, in the layout of either
// version range.
func answerAddPartitions(r *protocol.AddPartitionsToTxnRequest) protocol.Response {
	resp := &protocol.AddPartitionsToTxnResponse{}
	resp.Default()
	results := func(topics []protocol.AddPartitionsToTxnRequestAddPartitionsToTxnTopic) []protocol.AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult {
		var out []protocol.AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult
		for _, t := range topics {
			rt := protocol.AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult{Name: t.Name}
			for _, p := range t.Partitions {
				rt.ResultsByPartition = append(rt.ResultsByPartition, protocol.AddPartitionsToTxnResponseAddPartitionsToTxnPartitionResult{PartitionIndex: p})
			}
			out = append(out, rt)
		}
		return out
	}
	resp.ResultsByTopicV3AndBelow = results(r.V3AndBelowTopics)
	for _, tx := range r.Transactions {
		resp.ResultsByTransaction = append(resp.ResultsByTransaction, protocol.AddPartitionsToTxnResponseAddPartitionsToTxnResult{
			TransactionalId: tx.TransactionalId, TopicResults: results(tx.Topics)})
	}
	return resp
}

// createTopics creates each topic that does not exist yet and answers
// TOPIC_ALREADY_EXISTS for the others, as a controller does.
func (b *badListener) createTopics(r *protocol.CreateTopicsRequest) protocol.Response {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.topics == nil {
		b.topics = map[string]bool{}
	}
	resp := &protocol.CreateTopicsResponse{}
	resp.Default()
	for _, t := range r.Topics {
		res := protocol.CreateTopicsResponseCreatableTopicResult{Name: t.Name, NumPartitions: t.NumPartitions, ReplicationFactor: t.ReplicationFactor}
		if b.topics[t.Name] {
			res.ErrorCode, res.NumPartitions, res.ReplicationFactor = kerr.TopicAlreadyExists.Code, -1, -1
		}
		b.topics[t.Name] = true
		resp.Topics = append(resp.Topics, res)
	}
	return resp
}
