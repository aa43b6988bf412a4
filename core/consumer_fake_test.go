package core_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/core/record"
)

// fakeLeaderCluster is a scripted two-broker cluster serving topic "t" with
// one partition, whose leader the test moves from broker 1 to broker 2. A
// leader change cannot be forced on the one-node test broker.
type fakeLeaderCluster struct {
	t     *testing.T
	lns   [2]net.Listener
	mu    sync.Mutex
	moved bool  // leader is broker 2 with epoch 2 (else broker 1, epoch 1)
	stale bool  // the leader answers every Fetch NOT_LEADER_OR_FOLLOWER
	end1  int64 // broker 2's end offset of epoch 1, for OffsetForLeaderEpoch
	log   [2][]string
	oflE  []protocol.OffsetForLeaderEpochRequestOffsetForLeaderPartition
}

var fakeTopicID = protocol.UUID{7}

func newFakeLeaderCluster(t *testing.T) *fakeLeaderCluster {
	f := &fakeLeaderCluster{t: t}
	for i := range f.lns {
		node := int32(i + 1)
		f.lns[i] = listenFake(t, func(req protocol.Request) protocol.Response { return f.answer(node, req) })
	}
	return f
}

// records encodes values as one batch at base offset with a leader epoch.
func fakeBatch(base int64, epoch int32, vals ...string) []byte {
	var b record.Builder
	for _, v := range vals {
		b.Append(&record.Record{Value: []byte(v), Timestamp: time.UnixMilli(1)})
	}
	p := record.NoProducer()
	p.BaseOffset, p.PartitionLeaderEpoch = base, epoch
	out, _ := b.AppendBatch(nil, &p)
	return out
}

func (f *fakeLeaderCluster) answer(node int32, req protocol.Request) protocol.Response {
	f.mu.Lock()
	defer f.mu.Unlock()
	leader, epoch := int32(1), int32(1)
	if f.moved {
		leader, epoch = 2, 2
	}
	f.log[node-1] = append(f.log[node-1], protocol.APIName(req.Key()))
	switch r := req.(type) {
	case *protocol.ApiVersionsRequest:
		resp := &protocol.ApiVersionsResponse{}
		resp.Default()
		for _, key := range []int16{1, 2, 3, 18, 23} {
			q, _ := protocol.NewRequest(key)
			resp.ApiKeys = append(resp.ApiKeys, protocol.ApiVersionsResponseApiVersion{ApiKey: key, MinVersion: q.MinVersion(), MaxVersion: q.MaxVersion()})
		}
		return resp
	case *protocol.MetadataRequest:
		resp := &protocol.MetadataResponse{}
		resp.Default()
		for i, ln := range f.lns {
			a := ln.Addr().(*net.TCPAddr)
			resp.Brokers = append(resp.Brokers, protocol.MetadataResponseBroker{NodeId: int32(i + 1), Host: "127.0.0.1", Port: int32(a.Port)})
		}
		name := "t"
		resp.Topics = []protocol.MetadataResponseTopic{{Name: &name, TopicId: fakeTopicID,
			Partitions: []protocol.MetadataResponsePartition{{LeaderId: leader, LeaderEpoch: epoch, ReplicaNodes: []int32{1, 2}, IsrNodes: []int32{1, 2}}}}}
		return resp
	case *protocol.ListOffsetsRequest:
		resp := &protocol.ListOffsetsResponse{}
		resp.Default()
		resp.Topics = []protocol.ListOffsetsResponseListOffsetsTopicResponse{{Name: "t",
			Partitions: []protocol.ListOffsetsResponseListOffsetsPartitionResponse{{Offset: 0, Timestamp: -1, LeaderEpoch: epoch}}}}
		return resp
	case *protocol.OffsetForLeaderEpochRequest:
		resp := &protocol.OffsetForLeaderEpochResponse{}
		resp.Default()
		p := r.Topics[0].Partitions[0]
		f.oflE = append(f.oflE, p)
		resp.Topics = []protocol.OffsetForLeaderEpochResponseOffsetForLeaderTopicResult{{Topic: "t",
			Partitions: []protocol.OffsetForLeaderEpochResponseEpochEndOffset{{LeaderEpoch: p.LeaderEpoch, EndOffset: f.end1}}}}
		return resp
	case *protocol.FetchRequest:
		return f.fetch(node, leader, r)
	}
	f.t.Errorf("fake broker: unexpected %s", protocol.APIName(req.Key()))
	return req.NewResponse()
}

// fetch serves broker 1's log (epoch 1: a0..a4 at 0..4) and broker 2's
// (the same up to end1, then epoch 2: b<offset> up to offset 9).
func (f *fakeLeaderCluster) fetch(node, leader int32, r *protocol.FetchRequest) protocol.Response {
	resp := &protocol.FetchResponse{}
	resp.Default()
	if len(r.Topics) == 0 {
		time.Sleep(20 * time.Millisecond)
		return resp
	}
	p := r.Topics[0].Partitions[0]
	pd := protocol.FetchResponsePartitionData{}
	pd.Default()
	pd.HighWatermark = 5
	switch {
	case node != leader || f.stale:
		pd.ErrorCode = kerr.NotLeaderOrFollower.Code
	case node == 1 && p.FetchOffset < 5:
		pd.Records = fakeBatch(p.FetchOffset, 1, []string{"a0", "a1", "a2", "a3", "a4"}[p.FetchOffset:]...)
	case node == 2 && p.FetchOffset < 10:
		pd.HighWatermark = 10
		var vals []string
		for o := p.FetchOffset; o < 10; o++ {
			vals = append(vals, "b"+string(rune('0'+o)))
		}
		pd.Records = fakeBatch(p.FetchOffset, 2, vals...)
	default:
		time.Sleep(20 * time.Millisecond) // nothing new: a short long poll
	}
	resp.Responses = []protocol.FetchResponseFetchableTopicResponse{{Topic: "t", TopicId: r.Topics[0].TopicId,
		Partitions: []protocol.FetchResponsePartitionData{pd}}}
	return resp
}

// TestConsumerLeaderChange: after NOT_LEADER_OR_FOLLOWER the consumer
// refreshes its metadata, validates its position against the new leader
// with OffsetForLeaderEpoch (KIP-320) and goes on; when the new leader's log
// ends before the position (truncation), it moves back to the divergent
// offset.
func TestConsumerLeaderChange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		end1  int64
		first string // first record after the change
	}{{"no truncation", 5, "b5"}, {"truncated", 3, "b3"}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeLeaderCluster(t)
			f.end1 = tc.end1
			cfg := core.ConsumerConfig{AutoOffsetReset: core.ResetEarliest}
			cfg.BootstrapServers = []string{f.lns[0].Addr().String()}
			cfg.RetryBackoff, cfg.MetadataMaxAge = 20*time.Millisecond, time.Hour
			c, err := core.NewConsumer(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			tp := core.TopicPartition{Topic: "t"}
			if err := c.Assign(tp); err != nil {
				t.Fatal(err)
			}
			got := consumeN(t, c, 5, 10*time.Second)[0]
			if got[4].value != "a4" {
				t.Fatalf("before the change: %+v", got)
			}
			f.mu.Lock()
			f.moved = true
			f.mu.Unlock()
			got = consumeN(t, c, int(10-tc.end1), 10*time.Second)[0]
			if got[0].value != tc.first || got[len(got)-1].value != "b9" {
				t.Fatalf("after the change: %+v", got)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			if len(f.oflE) != 1 || f.oflE[0].LeaderEpoch != 1 || f.oflE[0].CurrentLeaderEpoch != 2 {
				t.Fatalf("OffsetForLeaderEpoch requests: %+v", f.oflE)
			}
		})
	}
}

// TestConsumerBacksOffPersistentFetchErrors: a partition whose leader keeps
// answering its fetches with a retriable error (NOT_LEADER_OR_FOLLOWER
// while the metadata still names it) is fetched again after RetryBackoff
// doubling up to RetryBackoffMax, not every RetryBackoff; the records flow
// again once the leader serves them.
func TestConsumerBacksOffPersistentFetchErrors(t *testing.T) {
	t.Parallel()
	f := newFakeLeaderCluster(t)
	f.stale = true
	cfg := core.ConsumerConfig{AutoOffsetReset: core.ResetEarliest}
	cfg.BootstrapServers = []string{f.lns[0].Addr().String()}
	cfg.RetryBackoff, cfg.RetryBackoffMax, cfg.MetadataMaxAge = 20*time.Millisecond, 250*time.Millisecond, time.Hour
	c, err := core.NewConsumer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Assign(core.TopicPartition{Topic: "t"}); err != nil {
		t.Fatal(err)
	}
	const window = 2 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), window)
	defer cancel()
	if fs, _ := c.Poll(ctx); fs.NumRecords() > 0 {
		t.Fatalf("records from a leader that refused every fetch: %d", fs.NumRecords())
	}
	f.mu.Lock()
	fetches := 0
	for _, api := range f.log[0] {
		if api == "Fetch" {
			fetches++
		}
	}
	f.stale = false
	f.mu.Unlock()
	// Doubling from 20 ms to 250 ms (±20% jitter) fits about 11 fetches in
	// 2 s; every RetryBackoff, about 100 did.
	if fetches < 3 || fetches > 20 {
		t.Errorf("%d fetches refused in %v; want about 11 (RetryBackoff doubling to RetryBackoffMax)", fetches, window)
	}
	got := consumeN(t, c, 5, 10*time.Second)[0]
	if got[0].value != "a0" || got[4].value != "a4" {
		t.Fatalf("after the leader serves again: %+v", got)
	}
	t.Logf("%d fetches refused in %v", fetches, window)
}
