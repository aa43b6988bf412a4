package kafkatest

import (
	"context"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// Client returns a low-level client for the PLAINTEXT listener, closed when
// the test ends.
func Client(t testing.TB) *core.Client {
	t.Helper()
	c, err := core.NewClient(core.Config{BootstrapServers: Brokers(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// CreateTopic creates a topic with a unique name (see Topic) and the given
// number of partitions, waits until every partition has a leader, and
// deletes it when the test ends. configs are topic configs such as
// "message.timestamp.type": "LogAppendTime".
func CreateTopic(t testing.TB, partitions int32, configs map[string]string) string {
	t.Helper()
	name := Topic(t)
	c := Client(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := &protocol.CreateTopicsRequest{}
	req.Default()
	req.TimeoutMs = 30000
	topic := protocol.CreateTopicsRequestCreatableTopic{Name: name, NumPartitions: partitions, ReplicationFactor: replicationFactor(t, c)}
	for k, v := range configs {
		v := v
		topic.Configs = append(topic.Configs, protocol.CreateTopicsRequestCreatableTopicConfig{Name: k, Value: &v})
	}
	req.Topics = []protocol.CreateTopicsRequestCreatableTopic{topic}
	resp, err := c.Request(ctx, req)
	if err != nil {
		t.Fatalf("CreateTopics %s: %v", name, err)
	}
	if r := resp.(*protocol.CreateTopicsResponse).Topics[0]; r.ErrorCode != 0 {
		t.Fatalf("CreateTopics %s: %v", name, kerr.WithMessage(r.ErrorCode, r.ErrorMessage))
	}
	t.Cleanup(func() { DeleteTopic(t, name) })
	WaitForLeaders(t, c, name, partitions)
	return name
}

// replicationFactor is the cluster's broker count, at most 3: an explicit
// factor, since -1 (the broker's default) needs Kafka 2.4+.
func replicationFactor(t testing.TB, c *core.Client) int16 {
	t.Helper()
	req := &protocol.MetadataRequest{}
	req.Default()
	req.Topics = []protocol.MetadataRequestTopic{}
	resp, err := c.Request(context.Background(), req)
	if err != nil {
		t.Fatalf("Metadata: %v", err)
	}
	return int16(min(len(resp.(*protocol.MetadataResponse).Brokers), 3))
}

// WaitForLeaders waits until the topic's partitions all have a leader that
// serves them: metadata can name a leader a moment before it answers.
func WaitForLeaders(t testing.TB, c *core.Client, topic string, partitions int32) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		req := &protocol.MetadataRequest{}
		req.Default()
		req.Topics = []protocol.MetadataRequestTopic{{Name: &topic}}
		resp, err := c.Request(context.Background(), req)
		if err == nil && leadersReady(resp.(*protocol.MetadataResponse), partitions) && leadersServe(c, topic, partitions) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("topic %s: partitions without a leader after 30s (last error %v)", topic, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// leadersServe asks each partition's leader for its end offset.
func leadersServe(c *core.Client, topic string, partitions int32) bool {
	for p := int32(0); p < partitions; p++ {
		req := &protocol.ListOffsetsRequest{}
		req.Default()
		req.Topics = []protocol.ListOffsetsRequestListOffsetsTopic{{Name: topic,
			Partitions: []protocol.ListOffsetsRequestListOffsetsPartition{{PartitionIndex: p, CurrentLeaderEpoch: -1, Timestamp: -1}}}}
		resp, err := c.Request(context.Background(), req)
		if err != nil || resp.(*protocol.ListOffsetsResponse).Topics[0].Partitions[0].ErrorCode != 0 {
			return false
		}
	}
	return true
}

func leadersReady(m *protocol.MetadataResponse, partitions int32) bool {
	if len(m.Topics) != 1 || m.Topics[0].ErrorCode != 0 || int32(len(m.Topics[0].Partitions)) != partitions {
		return false
	}
	for _, p := range m.Topics[0].Partitions {
		if p.ErrorCode != 0 || p.LeaderId < 0 {
			return false
		}
	}
	return true
}

// DeleteTopic deletes a topic, logging (not failing) on error.
func DeleteTopic(t testing.TB, name string) {
	c, err := core.NewClient(core.Config{BootstrapServers: Brokers(t)})
	if err != nil {
		t.Logf("deleting %s: %v", name, err)
		return
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := &protocol.DeleteTopicsRequest{}
	req.Default()
	req.TimeoutMs = 30000
	req.TopicNames = []string{name}
	req.Topics = []protocol.DeleteTopicsRequestDeleteTopicState{{Name: &name}}
	if _, err := c.Request(ctx, req); err != nil {
		t.Logf("deleting %s: %v", name, err)
	}
}
