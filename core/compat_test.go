package core_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// oldBroker reports whether version (KAFKA3_KAFKA_VERSION, e.g. "0.10.2.2")
// is a broker that runs with ZooKeeper (before 3.0), the ones that need the
// protocol versions Kafka 4.0 removed from its specs.
func oldBroker(version string) bool {
	major, _, _ := strings.Cut(version, ".")
	n, err := strconv.Atoi(major)
	return err == nil && n < 3
}

// TestCompatOldBroker talks to an old broker (0.10.2, 1.1, 2.8; see
// scripts/compat) through the low-level client: ApiVersions, Metadata,
// CreateTopics (0.10.1+), ListOffsets and Fetch, each at the version the
// client negotiates, which on 0.10 and 1.x lies below what Kafka 4.x's specs
// list (core/protocol merges those versions in from 3.9's specs). On a 3.x
// or 4.x broker it is skipped: the rest of the suite covers those.
func TestCompatOldBroker(t *testing.T) {
	version := kafkatest.Env(t, "KAFKA3_KAFKA_VERSION")
	if !oldBroker(version) {
		t.Skipf("Kafka %s is not an old (ZooKeeper-era) broker", version)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := kafkatest.Client(t)

	got, err := c.CheckVersion(ctx)
	if err != nil {
		t.Fatalf("CheckVersion: %v", err)
	}
	t.Logf("CheckVersion: %s (broker is Kafka %s)", got, version)
	if !strings.HasPrefix(version, got.String()+".") {
		t.Errorf("CheckVersion = %s, but the broker is Kafka %s", got, version)
	}

	// Metadata (v0+), through whatever ApiVersions the broker answers.
	_, max := firstBrokerAPIs(ctx, t, c)
	// Every API this test sends must have a common version now that the old
	// versions are generated.
	for _, req := range []protocol.Request{&protocol.MetadataRequest{}, &protocol.CreateTopicsRequest{},
		&protocol.ListOffsetsRequest{}, &protocol.FetchRequest{}, &protocol.ProduceRequest{}, &protocol.OffsetCommitRequest{}} {
		hi, ok := max[req.Key()]
		if !ok {
			continue // CreateTopics before 0.10.1
		}
		pick := min(hi, req.MaxVersion())
		t.Logf("%s: broker max v%d, client %d..%d, negotiated v%d", protocol.APIName(req.Key()), hi,
			req.MinVersion(), req.MaxVersion(), pick)
		if pick < req.MinVersion() {
			t.Errorf("%s: no common version (broker max %d, client min %d)", protocol.APIName(req.Key()), hi, req.MinVersion())
		}
	}

	if _, ok := max[19]; !ok {
		t.Logf("Kafka %s has no CreateTopics API: stopping after Metadata", version)
		return
	}
	topic := kafkatest.Topic(t)
	createTopic(ctx, t, c, topic)
	t.Cleanup(func() { kafkatest.DeleteTopic(t, topic) })
	kafkatest.WaitForLeaders(t, c, topic, 1)

	// ListOffsets of the new, empty topic: earliest and latest are both 0.
	for _, ts := range []int64{-2, -1} {
		off := listOffset(ctx, t, c, topic, ts)
		if off != 0 {
			t.Errorf("ListOffsets(%d) of an empty topic = %d, want 0", ts, off)
		}
	}

	// Fetch at offset 0 of the empty topic: no error, high watermark 0.
	if fp := fetchAtZero(ctx, t, c, topic); fp.ErrorCode != 0 || fp.HighWatermark != 0 {
		t.Errorf("Fetch: error %v, high watermark %d; want none, 0", kerr.ForCode(fp.ErrorCode), fp.HighWatermark)
	}
}

// fetchAtZero fetches topic's partition 0 from offset 0 (up to 1 MiB) and
// returns that partition of the answer, failing the test if the answer has
// not exactly that one partition.
func fetchAtZero(ctx context.Context, t *testing.T, c *core.Client, topic string) protocol.FetchResponsePartitionData {
	t.Helper()
	req := &protocol.FetchRequest{}
	req.Default()
	req.MaxWaitMs, req.MinBytes = 10, 1
	p := protocol.FetchRequestFetchPartition{}
	p.Default()
	p.Partition, p.FetchOffset, p.PartitionMaxBytes = 0, 0, 1<<20
	req.Topics = []protocol.FetchRequestFetchTopic{{Topic: topic, Partitions: []protocol.FetchRequestFetchPartition{p}}}
	resp, err := c.Request(ctx, req)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	fr := resp.(*protocol.FetchResponse)
	if len(fr.Responses) != 1 || len(fr.Responses[0].Partitions) != 1 {
		t.Fatalf("Fetch: unexpected response %+v", fr)
	}
	return fr.Responses[0].Partitions[0]
}

// firstBrokerAPIs returns the first broker Metadata lists and the highest
// version of each API it serves, failing the test if there is no broker.
func firstBrokerAPIs(ctx context.Context, t *testing.T, c *core.Client) (int32, map[int16]int16) {
	t.Helper()
	brokers := metadataBrokers(ctx, t, c)
	if len(brokers) == 0 {
		t.Fatal("Metadata lists no broker")
	}
	max, err := c.APIVersions(ctx, brokers[0])
	if err != nil {
		t.Fatalf("APIVersions: %v", err)
	}
	return brokers[0], max
}

func metadataBrokers(ctx context.Context, t *testing.T, c *core.Client) []int32 {
	t.Helper()
	req := &protocol.MetadataRequest{}
	req.Default()
	req.Topics = []protocol.MetadataRequestTopic{}
	resp, err := c.Request(ctx, req)
	if err != nil {
		t.Fatalf("Metadata: %v", err)
	}
	var ids []int32
	for _, b := range resp.(*protocol.MetadataResponse).Brokers {
		ids = append(ids, b.NodeId)
	}
	return ids
}

// createTopic creates topic with one partition and replication factor 1
// (old brokers reject -1, the broker default, which came in 2.4).
func createTopic(ctx context.Context, t *testing.T, c *core.Client, topic string) {
	t.Helper()
	req := &protocol.CreateTopicsRequest{}
	req.Default()
	req.TimeoutMs = 30000
	req.Topics = []protocol.CreateTopicsRequestCreatableTopic{{Name: topic, NumPartitions: 1, ReplicationFactor: 1}}
	resp, err := c.Request(ctx, req)
	if err != nil {
		t.Fatalf("CreateTopics: %v", err)
	}
	r := resp.(*protocol.CreateTopicsResponse)
	if len(r.Topics) != 1 || r.Topics[0].ErrorCode != 0 {
		t.Fatalf("CreateTopics: %+v", r.Topics)
	}
}

// listOffset returns the offset ListOffsets gives for timestamp ts (-1
// latest, -2 earliest) of partition 0, at whatever version was negotiated
// (v0 answers in OldStyleOffsets).
func listOffset(ctx context.Context, t *testing.T, c *core.Client, topic string, ts int64) int64 {
	t.Helper()
	req := &protocol.ListOffsetsRequest{}
	req.Default()
	p := protocol.ListOffsetsRequestListOffsetsPartition{}
	p.Default()
	p.PartitionIndex, p.Timestamp, p.MaxNumOffsets = 0, ts, 1
	req.Topics = []protocol.ListOffsetsRequestListOffsetsTopic{{Name: topic, Partitions: []protocol.ListOffsetsRequestListOffsetsPartition{p}}}
	resp, err := c.Request(ctx, req)
	if err != nil {
		t.Fatalf("ListOffsets(%d): %v", ts, err)
	}
	r := resp.(*protocol.ListOffsetsResponse)
	if len(r.Topics) != 1 || len(r.Topics[0].Partitions) != 1 {
		t.Fatalf("ListOffsets(%d): unexpected response %+v", ts, r)
	}
	rp := r.Topics[0].Partitions[0]
	if rp.ErrorCode != 0 {
		t.Fatalf("ListOffsets(%d): %v", ts, kerr.ForCode(rp.ErrorCode))
	}
	if len(rp.OldStyleOffsets) > 0 {
		return rp.OldStyleOffsets[0]
	}
	return rp.Offset
}
