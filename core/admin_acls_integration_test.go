package core_test

import (
	"context"
	"testing"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

func TestAdminACLs(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 2, 0, "prefixed ACLs (KIP-290, Kafka 2.0)")
	t.Parallel()
	a, ctx := newAdmin(t), adminCtx(t)
	topic := kafkatest.CreateTopic(t, 1, nil)
	prefix := kafkatest.Topic(t) // groups named after this test only
	deny := core.ACLBinding{ResourceType: core.ACLResourceTopic, ResourceName: topic, Principal: "User:" + kafkatest.User,
		Operation: core.ACLOperationAll, Permission: core.ACLPermissionDeny}
	allow := core.ACLBinding{ResourceType: core.ACLResourceGroup, ResourceName: prefix, PatternType: core.ACLPatternPrefixed,
		Principal: "User:bob", Host: "127.0.0.1", Operation: core.ACLOperationRead, Permission: core.ACLPermissionAllow}
	invalid := core.ACLBinding{ResourceType: core.ACLResourceTopic, ResourceName: topic, Principal: "User:bob",
		Operation: core.ACLOperationAny, Permission: core.ACLPermissionAllow}
	cleanup := []core.ACLFilter{{ResourceType: core.ACLResourceTopic, ResourceName: topic}, {ResourceType: core.ACLResourceGroup, ResourceName: prefix}}
	t.Cleanup(func() { a.DeleteACLs(context.Background(), cleanup) })

	errs, err := a.CreateACLs(ctx, []core.ACLBinding{deny, allow, invalid})
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "create deny", errs[0], nil)
	wantErr(t, "create allow", errs[1], nil)
	wantErr(t, "create with operation ANY", errs[2], kerr.InvalidRequest)

	var got []core.ACLBinding
	eventually(func() bool {
		got, err = a.DescribeACLs(ctx, core.ACLFilter{ResourceType: core.ACLResourceTopic, ResourceName: topic})
		return err != nil || len(got) > 0
	})
	if err != nil {
		t.Fatal(err)
	}
	deny.PatternType, deny.Host = core.ACLPatternLiteral, "*" // the defaults CreateACLs filled in
	if len(got) != 1 || got[0] != deny {
		t.Fatalf("DescribeACLs(topic) = %v, want %v", got, deny)
	}
	got, err = a.DescribeACLs(ctx, core.ACLFilter{Principal: "User:bob", PatternType: core.ACLPatternPrefixed, Operation: core.ACLOperationRead})
	if err != nil || len(got) == 0 {
		t.Fatalf("DescribeACLs(bob) = %v, %v", got, err)
	}
	// MATCH finds the prefixed binding through a group name under the prefix.
	got, err = a.DescribeACLs(ctx, core.ACLFilter{ResourceType: core.ACLResourceGroup, ResourceName: prefix + "-x", PatternType: core.ACLPatternMatch})
	if err != nil || len(got) != 1 || got[0] != allow {
		t.Fatalf("DescribeACLs(match) = %v, %v, want %v", got, err, allow)
	}
	_, err = a.DescribeACLs(ctx, core.ACLFilter{ResourceType: core.ACLResourceType(42)})
	wantErr(t, "describe with a bad resource type", err, kerr.InvalidRequest)

	// The authorizer enforces the deny for alice; the super user is unaffected.
	alice := saslClient(t, "SCRAM-SHA-256", kafkatest.User, kafkatest.Password)
	wantErr(t, "alice's metadata", waitMetadata(t, alice, topic, kerr.TopicAuthorizationFailed), kerr.TopicAuthorizationFailed)
	wantErr(t, "alice's produce", produceAs(ctx, t, alice, a, topic), kerr.TopicAuthorizationFailed)
	admin := saslClient(t, "SCRAM-SHA-256", kafkatest.AdminUser, kafkatest.AdminPassword)
	wantErr(t, "admin's metadata", topicMetadata(ctx, admin, topic), nil)
	wantErr(t, "admin's produce", produceAs(ctx, t, admin, a, topic), nil)

	res, err := a.DeleteACLs(ctx, []core.ACLFilter{
		{ResourceType: core.ACLResourceTopic, ResourceName: topic, Permission: core.ACLPermissionDeny},
		{ResourceType: core.ACLResourceTopic, ResourceName: "k3-nothing-" + topic},
		{ResourceType: core.ACLResourceType(42)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil || len(res[0].Deleted) != 1 || res[0].Deleted[0].Binding != deny || res[0].Deleted[0].Err != nil {
		t.Fatalf("DeleteACLs(deny) = %+v", res[0])
	}
	if res[1].Err != nil || len(res[1].Deleted) != 0 {
		t.Fatalf("DeleteACLs(nothing) = %+v", res[1])
	}
	wantErr(t, "delete with a bad resource type", res[2].Err, kerr.InvalidRequest)
	wantErr(t, "alice's metadata after the deletion", waitMetadata(t, alice, topic, nil), nil)
	if s := deny.String(); s != "(User:alice DENY TOPIC:"+topic+" from *: ALL LITERAL)" {
		t.Fatalf("String() = %s", s)
	}
}

// waitMetadata polls a topic's metadata until its error matches want (ACLs
// reach the authorizer through the metadata log) and returns the last one.
func waitMetadata(t *testing.T, c *core.Client, topic string, want error) error {
	t.Helper()
	ctx := adminCtx(t)
	var err error
	eventually(func() bool { err = topicMetadata(ctx, c, topic); return kerr.Code(err) == kerr.Code(want) })
	return err
}

// produceAs produces one record to partition 0 of topic through c, sent
// straight to the leader (c may not see the topic's metadata), and returns
// the partition's error.
func produceAs(ctx context.Context, t *testing.T, c *core.Client, a *core.Admin, topic string) error {
	t.Helper()
	d, err := a.DescribeTopics(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	req := &protocol.ProduceRequest{}
	req.Default()
	req.Acks, req.TimeoutMs = -1, 10000
	batch := recordBatch(t, 1, -1, -1)
	req.TopicData = []protocol.ProduceRequestTopicProduceData{{Name: topic, TopicId: d[0].ID,
		PartitionData: []protocol.ProduceRequestPartitionProduceData{{Index: 0, Records: batch}}}}
	resp, err := c.RequestTo(ctx, d[0].Partitions[0].Leader, req)
	if err != nil {
		return err
	}
	return kerr.ForCode(resp.(*protocol.ProduceResponse).Responses[0].PartitionResponses[0].ErrorCode)
}
