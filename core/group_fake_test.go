package core_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/internal/groupproto"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// fakeCoordinator is a scripted one-node broker that is also the group
// coordinator: it answers ApiVersions, Metadata (topic "t" with 2
// partitions) and FindCoordinator itself and hands group requests to
// handle, which runs under a lock.
type fakeCoordinator struct {
	ln     net.Listener
	host   string
	port   int32
	mu     sync.Mutex
	handle func(req protocol.Request) protocol.Response
	onFind func() // called under mu on each FindCoordinator
}

func newFakeCoordinator(t *testing.T, handle func(req protocol.Request) protocol.Response) *fakeCoordinator {
	f := &fakeCoordinator{host: "127.0.0.1", handle: handle}
	f.ln = listenFake(t, f.answer)
	f.port = int32(f.ln.Addr().(*net.TCPAddr).Port)
	return f
}

func (f *fakeCoordinator) addr() string { return f.host + ":" + strconv.Itoa(int(f.port)) }

func (f *fakeCoordinator) answer(req protocol.Request) protocol.Response {
	switch r := req.(type) {
	case *protocol.ApiVersionsRequest:
		resp := &protocol.ApiVersionsResponse{}
		resp.Default()
		for _, key := range []int16{3, 8, 9, 10, 11, 12, 13, 14, 18} {
			q, _ := protocol.NewRequest(key)
			resp.ApiKeys = append(resp.ApiKeys, protocol.ApiVersionsResponseApiVersion{ApiKey: key, MinVersion: q.MinVersion(), MaxVersion: q.MaxVersion()})
		}
		return resp
	case *protocol.MetadataRequest:
		resp := &protocol.MetadataResponse{}
		resp.Default()
		resp.Brokers = []protocol.MetadataResponseBroker{{NodeId: 1, Host: f.host, Port: f.port}}
		name := "t"
		topic := protocol.MetadataResponseTopic{Name: &name, TopicId: protocol.UUID{1}}
		for p := range int32(2) {
			topic.Partitions = append(topic.Partitions, protocol.MetadataResponsePartition{PartitionIndex: p, LeaderId: 1, ReplicaNodes: []int32{1}, IsrNodes: []int32{1}})
		}
		resp.Topics = []protocol.MetadataResponseTopic{topic}
		return resp
	case *protocol.FindCoordinatorRequest:
		f.mu.Lock()
		if f.onFind != nil {
			f.onFind()
		}
		f.mu.Unlock()
		resp := &protocol.FindCoordinatorResponse{}
		resp.Default()
		resp.NodeId, resp.Host, resp.Port = 1, f.host, f.port
		for _, k := range r.CoordinatorKeys {
			resp.Coordinators = append(resp.Coordinators, protocol.FindCoordinatorResponseCoordinator{Key: k, NodeId: 1, Host: f.host, Port: f.port})
		}
		return resp
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.handle(req)
}

// TestGroupEngineCommitDuringRebalance scripts REBALANCE_IN_PROGRESS on a
// commit: the offsets are not lost but committed again, with the next
// generation, for the partition the member still owns; the partition that
// moved is reported in the error.
func TestGroupEngineCommitDuringRebalance(t *testing.T) {
	t.Parallel()
	var (
		gen       int32
		rebalance bool // heartbeats answer REBALANCE_IN_PROGRESS
		commits   []*protocol.OffsetCommitRequest
	)
	assignment := func(parts ...int32) []byte {
		b, _ := groupproto.AppendAssignment(nil, &groupproto.Assignment{Version: 0, Partitions: []groupproto.TopicPartitions{{Topic: "t", Partitions: parts}}})
		return b
	}
	f := newFakeCoordinator(t, func(req protocol.Request) protocol.Response {
		switch r := req.(type) {
		case *protocol.JoinGroupRequest:
			resp := &protocol.JoinGroupResponse{}
			resp.Default()
			if r.MemberId == "" {
				resp.ErrorCode, resp.MemberId = kerr.MemberIDRequired.Code, "m1"
				return resp
			}
			gen++
			rebalance = false
			name := r.Protocols[0].Name
			resp.GenerationId, resp.ProtocolName, resp.Leader, resp.MemberId = gen, &name, "other", r.MemberId
			return resp
		case *protocol.SyncGroupRequest:
			resp := &protocol.SyncGroupResponse{}
			resp.Default()
			resp.Assignment = assignment(0, 1)
			if gen > 1 {
				resp.Assignment = assignment(0) // partition 1 moved to "other"
			}
			return resp
		case *protocol.HeartbeatRequest:
			resp := &protocol.HeartbeatResponse{}
			if rebalance {
				resp.ErrorCode = kerr.RebalanceInProgress.Code
			}
			return resp
		case *protocol.OffsetCommitRequest:
			commits = append(commits, r)
			resp := &protocol.OffsetCommitResponse{}
			code := int16(0)
			if r.GenerationIdOrMemberEpoch == 1 {
				code, rebalance = kerr.RebalanceInProgress.Code, true
			}
			for _, tp := range r.Topics {
				rt := protocol.OffsetCommitResponseTopic{Name: tp.Name, TopicId: tp.TopicId}
				for _, p := range tp.Partitions {
					rt.Partitions = append(rt.Partitions, protocol.OffsetCommitResponsePartition{PartitionIndex: p.PartitionIndex, ErrorCode: code})
				}
				resp.Topics = append(resp.Topics, rt)
			}
			return resp
		case *protocol.LeaveGroupRequest:
			return &protocol.LeaveGroupResponse{}
		}
		return nil
	})
	cfg := core.ConsumerConfig{
		Config:  core.Config{BootstrapServers: []string{f.addr()}, RetryBackoff: 20 * time.Millisecond},
		GroupID: "g", AssignmentStrategy: []string{"range"}, DisableAutoCommit: true,
		SessionTimeout: 6 * time.Second, HeartbeatInterval: 100 * time.Millisecond,
	}
	m := startMember(t, cfg, "t")
	waitSettled(t, 10*time.Second, []*core.GroupTestMember{m}, 2, 2)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	offsets := map[core.GroupTP]core.GroupOffset{
		{Topic: "t", Partition: 0}: {Offset: 10, LeaderEpoch: -1},
		{Topic: "t", Partition: 1}: {Offset: 20, LeaderEpoch: -1},
	}
	err := m.Commit(ctx, offsets)
	if err != nil && strings.Contains(err.Error(), "waits for the rebalance listener") {
		// The commit met the eager revocation while its callback ran: the
		// documented answer is to commit again once it has returned.
		t.Logf("commit during the revocation callback: %v; committing again", err)
		// The partition that moved is then no longer the engine's to
		// filter: the commit goes out whole, with the new generation.
		waitSettled(t, 10*time.Second, []*core.GroupTestMember{m}, 1, 1)
		if err := m.Commit(ctx, offsets); err != nil {
			t.Fatalf("commit after the rebalance: %v", err)
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if last := commits[len(commits)-1]; last.GenerationIdOrMemberEpoch != 2 {
			t.Fatalf("commit after the rebalance used generation %d, want 2", last.GenerationIdOrMemberEpoch)
		}
		return
	}
	if !errors.Is(err, kerr.RebalanceInProgress) && !strings.Contains(fmt.Sprint(err), "t-1") && !strings.Contains(fmt.Sprint(err), "{t 1}") {
		t.Fatalf("commit: %v, want an error naming the moved partition", err)
	}
	t.Logf("commit: %v", err)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(commits) < 2 {
		t.Fatalf("%d OffsetCommits, want the failed one and a retry", len(commits))
	}
	retry := commits[len(commits)-1]
	if retry.GenerationIdOrMemberEpoch != 2 || len(retry.Topics) != 1 || len(retry.Topics[0].Partitions) != 1 ||
		retry.Topics[0].Partitions[0].PartitionIndex != 0 || retry.Topics[0].Partitions[0].CommittedOffset != 10 {
		t.Fatalf("retry %+v: want generation 2, t-0 at 10 only", retry)
	}
}

// TestGroupEngineHeartbeatErrors scripts the heartbeat errors: a coordinator
// that moved (NOT_COORDINATOR: the member finds it again and keeps its
// partitions), then UNKNOWN_MEMBER_ID (the partitions are lost and the
// member rejoins without a member id), then FENCED_INSTANCE_ID (fatal).
func TestGroupEngineHeartbeatErrors(t *testing.T) {
	t.Parallel()
	var (
		gen       int32
		joins     []string // member ids of JoinGroups
		heartbeat []int16  // errors to answer, in order; then none
		finds     int
	)
	var f *fakeCoordinator
	f = newFakeCoordinator(t, func(req protocol.Request) protocol.Response {
		switch r := req.(type) {
		case *protocol.JoinGroupRequest:
			joins = append(joins, r.MemberId)
			resp := &protocol.JoinGroupResponse{}
			resp.Default()
			if r.MemberId == "" {
				resp.ErrorCode, resp.MemberId = kerr.MemberIDRequired.Code, fmt.Sprintf("m%d", len(joins))
				return resp
			}
			gen++
			name := r.Protocols[0].Name
			resp.GenerationId, resp.ProtocolName, resp.Leader, resp.MemberId = gen, &name, "other", r.MemberId
			return resp
		case *protocol.SyncGroupRequest:
			resp := &protocol.SyncGroupResponse{}
			resp.Assignment, _ = groupproto.AppendAssignment(nil, &groupproto.Assignment{Partitions: []groupproto.TopicPartitions{{Topic: "t", Partitions: []int32{0, 1}}}})
			return resp
		case *protocol.HeartbeatRequest:
			resp := &protocol.HeartbeatResponse{}
			if len(heartbeat) > 0 {
				resp.ErrorCode, heartbeat = heartbeat[0], heartbeat[1:]
			}
			return resp
		case *protocol.LeaveGroupRequest:
			return &protocol.LeaveGroupResponse{}
		}
		return nil
	})
	f.mu.Lock()
	f.onFind = func() { finds++ }
	f.mu.Unlock()
	cfg := core.ConsumerConfig{
		Config:  core.Config{BootstrapServers: []string{f.addr()}, RetryBackoff: 20 * time.Millisecond},
		GroupID: "g", AssignmentStrategy: []string{"range"}, DisableAutoCommit: true,
		SessionTimeout: 6 * time.Second, HeartbeatInterval: 50 * time.Millisecond,
	}
	m := startMember(t, cfg, "t")
	waitSettled(t, 10*time.Second, []*core.GroupTestMember{m}, 2, 2)
	locked := func(fn func()) { f.mu.Lock(); defer f.mu.Unlock(); fn() }
	eventually := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			ok := false
			locked(func() { ok = cond() })
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: joins %v, finds %d, events %+v", what, joins, finds, m.Events())
			}
		}
	}

	var findsBefore int
	locked(func() { findsBefore, heartbeat = finds, []int16{kerr.NotCoordinator.Code} })
	eventually("coordinator looked up again", func() bool { return finds > findsBefore && len(heartbeat) == 0 })
	time.Sleep(200 * time.Millisecond)
	if n := len(m.Events()); n != 1 {
		t.Fatalf("a coordinator move changed the assignment: %+v", m.Events())
	}

	locked(func() { heartbeat = []int16{kerr.UnknownMemberID.Code} })
	eventually("rejoined", func() bool { return len(joins) == 4 })
	waitSettled(t, 5*time.Second, []*core.GroupTestMember{m}, 2, 2)
	evs := m.Events()
	if len(evs) != 3 || evs[1].Kind != "lost" || evs[2].Kind != "assigned" {
		t.Fatalf("after UNKNOWN_MEMBER_ID: %+v", evs)
	}
	locked(func() {
		if joins[2] != "" {
			t.Errorf("rejoined with member id %q after UNKNOWN_MEMBER_ID", joins[2])
		}
		heartbeat = []int16{kerr.FencedInstanceID.Code}
	})
	deadline := time.Now().Add(5 * time.Second)
	for !errors.Is(m.Fatal(), kerr.FencedInstanceID) {
		if time.Now().After(deadline) {
			t.Fatalf("no fatal error after FENCED_INSTANCE_ID: %v", m.Fatal())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
