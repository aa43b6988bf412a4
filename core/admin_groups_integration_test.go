package core_test

import (
	"context"
	"slices"
	"testing"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/internal/groupproto"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"

	_ "github.com/kafka3/kafka3-go/assignors/range"
)

// joinStatic joins group as a static consumer member subscribed to topic
// and, as its leader, assigns itself partition 0: a live member without a
// Consumer. It returns the member id.
func joinStatic(t *testing.T, c *core.Client, group, instance, topic string) string {
	t.Helper()
	ctx := adminCtx(t)
	meta, err := groupproto.AppendSubscription(nil, &groupproto.Subscription{Version: 1, Topics: []string{topic}})
	if err != nil {
		t.Fatal(err)
	}
	join := &protocol.JoinGroupRequest{}
	join.Default()
	join.GroupId, join.SessionTimeoutMs, join.RebalanceTimeoutMs, join.GroupInstanceId, join.ProtocolType = group, 30000, 5000, &instance, "consumer"
	join.Protocols = []protocol.JoinGroupRequestProtocol{{Name: "range", Metadata: meta}}
	resp, err := c.Request(ctx, join)
	if err != nil {
		t.Fatal(err)
	}
	jr := resp.(*protocol.JoinGroupResponse)
	if jr.ErrorCode != 0 {
		t.Fatalf("JoinGroup: %v", kerr.ForCode(jr.ErrorCode))
	}
	asg, err := groupproto.AppendAssignment(nil, &groupproto.Assignment{Partitions: []groupproto.TopicPartitions{{Topic: topic, Partitions: []int32{0}}}})
	if err != nil {
		t.Fatal(err)
	}
	sync := &protocol.SyncGroupRequest{}
	sync.Default()
	pt, pn := "consumer", "range"
	sync.GroupId, sync.GenerationId, sync.MemberId, sync.GroupInstanceId, sync.ProtocolType, sync.ProtocolName = group, jr.GenerationId, jr.MemberId, &instance, &pt, &pn
	sync.Assignments = []protocol.SyncGroupRequestAssignment{{MemberId: jr.MemberId, Assignment: asg}}
	resp, err = c.Request(ctx, sync)
	if err != nil {
		t.Fatal(err)
	}
	if code := resp.(*protocol.SyncGroupResponse).ErrorCode; code != 0 {
		t.Fatalf("SyncGroup: %v", kerr.ForCode(code))
	}
	return jr.MemberId
}

func TestAdminGroups(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 2, 4, "DeleteGroupOffsets and removing members by instance id (KIP-496, KIP-345, Kafka 2.4)")
	t.Parallel()
	a, ctx := newAdmin(t), adminCtx(t)
	topic, other := kafkatest.CreateTopic(t, 2, nil), kafkatest.CreateTopic(t, 1, nil)
	group, missingGroup, missingTopic := kafkatest.Topic(t), kafkatest.Topic(t), kafkatest.Topic(t)

	// Offsets of an empty (here, new) group.
	altered, err := a.AlterGroupOffsets(ctx, group, map[string]map[int32]int64{topic: {0: 5, 1: 7}, other: {0: 3}, missingTopic: {0: 1}})
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "alter p0", altered[topic][0], nil)
	wantErr(t, "alter other", altered[other][0], nil)
	wantErr(t, "alter missing topic", altered[missingTopic][0], kerr.UnknownTopicOrPartition)

	all, err := a.ListGroupOffsets(ctx, group, nil)
	if err != nil {
		t.Fatal(err)
	}
	if all[topic][0].Offset != 5 || all[topic][1].Offset != 7 || all[other][0].Offset != 3 || len(all) != 2 {
		t.Fatalf("ListGroupOffsets(all): %+v", all)
	}
	some, err := a.ListGroupOffsets(ctx, group, map[string][]int32{topic: {1}, missingTopic: {0}})
	if err != nil {
		t.Fatal(err)
	}
	if some[topic][1].Offset != 7 || some[topic][1].Err != nil {
		t.Fatalf("ListGroupOffsets(some): %+v", some)
	}
	wantErr(t, "offsets of a missing topic", some[missingTopic][0].Err, kerr.UnknownTopicOrPartition)

	list, err := a.ListGroups(ctx, core.ListGroupsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(list, func(g core.GroupListing) bool { return g.ID == group }); i < 0 || list[i].State != "Empty" {
		t.Fatalf("ListGroups lacks the empty group %s: %+v", group, list)
	}
	if list, _ := a.ListGroups(ctx, core.ListGroupsOptions{States: []string{"Stable"}}); slices.ContainsFunc(list, func(g core.GroupListing) bool { return g.ID == group }) {
		t.Fatalf("the Stable filter let the empty group through")
	}

	// A live static member subscribed to topic.
	c := kafkatest.Client(t)
	memberID := joinStatic(t, c, group, "instance-1", topic)
	desc := a.DescribeGroups(ctx, group, missingGroup)
	g := desc[0]
	if g.Err != nil || g.State != "Stable" || g.Protocol != "range" || len(g.Members) != 1 {
		t.Fatalf("DescribeGroups: %+v", g)
	}
	if m := g.Members[0]; m.MemberID != memberID || m.InstanceID != "instance-1" || !slices.Equal(m.Topics, []string{topic}) ||
		!slices.Equal(m.Assigned[topic], []int32{0}) || m.DecodeErr != nil {
		t.Fatalf("member: %+v", m)
	}
	wantErr(t, "describe missing group", desc[1].Err, kerr.GroupIDNotFound)

	if altered, err := a.AlterGroupOffsets(ctx, group, map[string]map[int32]int64{topic: {0: 9}}); err != nil || altered[topic][0] == nil {
		t.Fatalf("altering the offsets of a live group: %v %v, want a per-partition error", altered, err)
	}
	deleted, err := a.DeleteGroupOffsets(ctx, group, map[string][]int32{topic: {0}, other: {0}})
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "delete offsets of a subscribed topic", deleted[topic][0], kerr.GroupSubscribedToTopic)
	wantErr(t, "delete offsets of other", deleted[other][0], nil)
	_, err = a.DeleteGroupOffsets(ctx, missingGroup, map[string][]int32{topic: {0}})
	wantErr(t, "delete offsets of a missing group", err, kerr.GroupIDNotFound)

	wantErr(t, "delete a live group", a.DeleteGroups(ctx, group)[group], kerr.NonEmptyGroup)
	removed, err := a.RemoveGroupMembers(ctx, group, "instance-1", "no-such-instance")
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "remove instance-1", removed["instance-1"], nil)
	wantErr(t, "remove a missing instance", removed["no-such-instance"], kerr.UnknownMemberID)
	joinStatic(t, c, group, "instance-2", topic)
	removed, err = a.RemoveGroupMembers(ctx, group) // every member
	if err != nil || len(removed) != 1 || removed["instance-2"] != nil {
		t.Fatalf("remove every member: %v %v", removed, err)
	}
	_, err = a.RemoveGroupMembers(ctx, missingGroup)
	wantErr(t, "remove every member of a missing group", err, kerr.GroupIDNotFound)

	dg := a.DeleteGroups(ctx, group, missingGroup)
	wantErr(t, "delete the emptied group", dg[group], nil)
	wantErr(t, "delete a missing group", dg[missingGroup], kerr.GroupIDNotFound)
}

// TestAdminOffsetsSeenByJoiningMember checks offsets set through Admin
// against the consumer-group engine that the Consumer uses: a member that
// joins afterwards finds them committed, and what it commits Admin reads.
func TestAdminOffsetsSeenByJoiningMember(t *testing.T) {
	t.Parallel()
	a, ctx := newAdmin(t), adminCtx(t)
	topic, group := kafkatest.CreateTopic(t, 2, nil), kafkatest.Topic(t)
	if errs, err := a.AlterGroupOffsets(ctx, group, map[string]map[int32]int64{topic: {0: 3, 1: 5}}); err != nil || errs[topic][0] != nil || errs[topic][1] != nil {
		t.Fatalf("AlterGroupOffsets: %v %v", errs, err)
	}

	m, err := core.NewGroupTestMember(core.ConsumerConfig{Config: core.Config{BootstrapServers: kafkatest.Brokers(t)},
		GroupID: group, AssignmentStrategy: []string{"range"}, DisableAutoCommit: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close(context.Background()) })
	m.Subscribe(topic)
	eventually(func() bool { return len(m.Owned()) == 2 })
	if len(m.Owned()) != 2 {
		t.Fatalf("the member owns %v (fatal: %v)", m.Owned(), m.Fatal())
	}
	parts := []core.GroupTP{{Topic: topic, Partition: 0}, {Topic: topic, Partition: 1}}
	got, err := m.Committed(ctx, parts)
	if err != nil {
		t.Fatal(err)
	}
	if got[parts[0]].Offset != 3 || got[parts[1]].Offset != 5 {
		t.Fatalf("the joining member found %v, want offsets 3 and 5", got)
	}
	d := a.DescribeGroups(ctx, group)[0]
	if d.Err != nil || len(d.Members) != 1 || len(d.Members[0].Assigned[topic]) != 2 || d.Protocol != "range" {
		t.Fatalf("DescribeGroups: %+v", d)
	}

	if err := m.Commit(ctx, map[core.GroupTP]core.GroupOffset{parts[0]: {Offset: 8, LeaderEpoch: -1, Metadata: "m"}}); err != nil {
		t.Fatal(err)
	}
	offs, err := a.ListGroupOffsets(ctx, group, map[string][]int32{topic: {0, 1}})
	if err != nil || offs[topic][0].Offset != 8 || offs[topic][0].Metadata != "m" || offs[topic][1].Offset != 5 {
		t.Fatalf("ListGroupOffsets after the member's commit: %+v %v", offs, err)
	}
}
