package core_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestClientApiVersionsAndMetadata(t *testing.T) {
	t.Parallel()
	c := kafkatest.Client(t)
	ctx := ctxT(t)

	avReq := &protocol.ApiVersionsRequest{}
	avReq.Default()
	avReq.ClientSoftwareName, avReq.ClientSoftwareVersion = "kafka3-go-test", "1"
	resp, err := c.Request(ctx, avReq)
	if err != nil {
		t.Fatal(err)
	}
	av := resp.(*protocol.ApiVersionsResponse)
	if av.ErrorCode != 0 || len(av.ApiKeys) < 18 { // 0.10.2 has 21

		t.Fatalf("ApiVersions: error %d, %d APIs", av.ErrorCode, len(av.ApiKeys))
	}

	topic := kafkatest.CreateTopic(t, 3, nil)
	req := &protocol.MetadataRequest{}
	req.Default()
	req.Topics = []protocol.MetadataRequestTopic{{Name: &topic}}
	resp, err = c.Request(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	md := resp.(*protocol.MetadataResponse)
	if len(md.Brokers) < 1 || len(md.Topics) != 1 || *md.Topics[0].Name != topic || len(md.Topics[0].Partitions) != 3 {
		t.Fatalf("Metadata: %d brokers, topics %+v", len(md.Brokers), md.Topics)
	}
	for _, p := range md.Topics[0].Partitions {
		if p.LeaderId < 0 || p.ErrorCode != 0 {
			t.Fatalf("partition %d: leader %d, error %d", p.PartitionIndex, p.LeaderId, p.ErrorCode)
		}
	}
}

func TestClientCreateDeleteTopicsAndListOffsets(t *testing.T) {
	t.Parallel()
	c := kafkatest.Client(t)
	ctx := ctxT(t)
	topic := kafkatest.CreateTopic(t, 2, map[string]string{"retention.ms": "3600000"})

	// Creating it again reports TOPIC_ALREADY_EXISTS for that topic.
	create := &protocol.CreateTopicsRequest{}
	create.Default()
	create.Topics = []protocol.CreateTopicsRequestCreatableTopic{{Name: topic, NumPartitions: 2, ReplicationFactor: 1}}
	resp, err := c.Request(ctx, create)
	if err != nil {
		t.Fatal(err)
	}
	if code := resp.(*protocol.CreateTopicsResponse).Topics[0].ErrorCode; !errors.Is(kerr.ForCode(code), kerr.TopicAlreadyExists) {
		t.Fatalf("second CreateTopics: error code %d, want TOPIC_ALREADY_EXISTS", code)
	}

	list := &protocol.ListOffsetsRequest{}
	list.Default()
	list.Topics = []protocol.ListOffsetsRequestListOffsetsTopic{{Name: topic, Partitions: []protocol.ListOffsetsRequestListOffsetsPartition{
		{PartitionIndex: 0, CurrentLeaderEpoch: -1, Timestamp: -1}, // latest
	}}}
	list.ReplicaId = -1
	resp, err = c.Request(ctx, list)
	if err != nil {
		t.Fatal(err)
	}
	p := resp.(*protocol.ListOffsetsResponse).Topics[0].Partitions[0]
	if p.ErrorCode != 0 || p.Offset != 0 {
		t.Fatalf("ListOffsets latest of an empty partition: error %d, offset %d", p.ErrorCode, p.Offset)
	}

	del := &protocol.DeleteTopicsRequest{}
	del.Default()
	del.TimeoutMs = 30000
	del.TopicNames = []string{topic}
	del.Topics = []protocol.DeleteTopicsRequestDeleteTopicState{{Name: &topic}}
	resp, err = c.Request(ctx, del)
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.(*protocol.DeleteTopicsResponse).Responses[0]; r.ErrorCode != 0 {
		t.Fatalf("DeleteTopics: %v", kerr.ForCode(r.ErrorCode))
	}
}

func TestClientDescribeConfigs(t *testing.T) {
	t.Parallel()
	c := kafkatest.Client(t)
	topic := kafkatest.CreateTopic(t, 1, map[string]string{"cleanup.policy": "compact"})
	req := &protocol.DescribeConfigsRequest{}
	req.Default()
	req.Resources = []protocol.DescribeConfigsRequestDescribeConfigsResource{
		{ResourceType: 2, ResourceName: topic, ConfigurationKeys: []string{"cleanup.policy"}},
	}
	resp, err := c.Request(ctxT(t), req)
	if versions, verr := c.APIVersions(ctxT(t), firstBroker(t, c)); verr == nil && !hasAPI(versions, req.Key()) {
		// Brokers before 0.11 lack the API: the error must say so.
		if !errors.Is(err, kerr.UnsupportedVersion) || !strings.Contains(err.Error(), "does not support the DescribeConfigs API") {
			t.Fatalf("DescribeConfigs on a broker without it: %v", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	r := resp.(*protocol.DescribeConfigsResponse).Results[0]
	if r.ErrorCode != 0 || len(r.Configs) != 1 || r.Configs[0].Value == nil || *r.Configs[0].Value != "compact" {
		t.Fatalf("DescribeConfigs: %+v", r)
	}
	// A broker resource is routed to that broker.
	req.Resources = []protocol.DescribeConfigsRequestDescribeConfigsResource{{ResourceType: 4, ResourceName: "1", ConfigurationKeys: []string{"num.partitions"}}}
	resp, err = c.Request(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.(*protocol.DescribeConfigsResponse).Results[0]; r.ErrorCode != 0 || len(r.Configs) != 1 {
		t.Fatalf("DescribeConfigs broker 1: %+v", r)
	}
}

func hasAPI(versions map[int16]int16, key int16) bool {
	_, ok := versions[key]
	return ok
}

// firstBroker returns the lowest broker id of the cluster.
func firstBroker(t *testing.T, c *core.Client) int32 {
	req := &protocol.MetadataRequest{}
	req.Default()
	req.Topics = []protocol.MetadataRequestTopic{}
	resp, err := c.Request(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	id := resp.(*protocol.MetadataResponse).Brokers[0].NodeId
	for _, b := range resp.(*protocol.MetadataResponse).Brokers {
		id = min(id, b.NodeId)
	}
	return id
}

func TestClientUnreachableBrokerFailsWithinDeadline(t *testing.T) {
	t.Parallel()
	c, err := core.NewClient(core.Config{BootstrapServers: []string{"127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err = c.Request(ctx, &protocol.ApiVersionsRequest{})
	if err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("err = %v after %v", err, time.Since(start))
	}
	if !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Fatalf("error does not name the broker: %v", err)
	}
}

func TestNewClientRejectsBadConfig(t *testing.T) {
	t.Parallel()
	_, err := core.NewClient(core.Config{SecurityProtocol: "SASL_SSL"})
	var ce *core.ConfigError
	if !errors.As(err, &ce) || len(ce.Problems) < 2 {
		t.Fatalf("err = %v", err)
	}
}
