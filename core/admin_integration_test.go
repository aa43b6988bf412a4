package core_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/core/record"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// newAdmin returns an Admin on the PLAINTEXT listener, closed at the end.
func newAdmin(t *testing.T) *core.Admin {
	t.Helper()
	a, err := core.NewAdmin(core.AdminConfig{Config: core.Config{BootstrapServers: kafkatest.Brokers(t)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// eventually polls cond for up to 10s: KRaft brokers apply topics, configs,
// ACLs and credentials from the metadata log a moment after the call that
// changed them returns. The assertions that follow report a timeout.
func eventually(cond func() bool) {
	for deadline := time.Now().Add(10 * time.Second); !cond() && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
}

func adminCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// wantErr fails unless err matches target (nil for success).
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if target == nil && err != nil || target != nil && !errors.Is(err, target) {
		t.Fatalf("%s: error %v, want %v", what, err, target)
	}
}

// produce writes n records to a partition through the low-level client,
// as an idempotent producer when producerID is not -1, and returns the base
// offset.
func produce(t *testing.T, topic string, partition int32, n int, producerID int64, epoch int16) int64 {
	t.Helper()
	ctx := adminCtx(t)
	c := kafkatest.Client(t)
	batch := recordBatch(t, n, producerID, epoch)
	d, err := newAdmin(t).DescribeTopics(ctx, topic)
	if err != nil || d[0].Err != nil {
		t.Fatalf("describe %s: %v %v", topic, err, d[0].Err)
	}
	req := &protocol.ProduceRequest{}
	req.Default()
	req.Acks, req.TimeoutMs = -1, 10000
	req.TopicData = []protocol.ProduceRequestTopicProduceData{{Name: topic, TopicId: d[0].ID,
		PartitionData: []protocol.ProduceRequestPartitionProduceData{{Index: partition, Records: batch}}}}
	var p protocol.ProduceResponsePartitionProduceResponse
	eventually(func() bool { // a new leader may not lead yet
		resp, err := c.Request(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		p = resp.(*protocol.ProduceResponse).Responses[0].PartitionResponses[0]
		return !kerr.IsRetriable(kerr.ForCode(p.ErrorCode))
	})
	if p.ErrorCode != 0 {
		t.Fatalf("produce: %v", kerr.ForCode(p.ErrorCode))
	}
	return p.BaseOffset
}

// recordBatch encodes n records with increasing timestamps, as an
// idempotent producer's first batch when producerID is not -1.
func recordBatch(t *testing.T, n int, producerID int64, epoch int16) []byte {
	t.Helper()
	var b record.Builder
	now := time.Now()
	for i := range n {
		b.Append(&record.Record{Value: []byte{byte(i)}, Timestamp: now.Add(time.Duration(i) * time.Millisecond)})
	}
	params := record.NoProducer()
	if producerID >= 0 {
		params.ProducerID, params.ProducerEpoch, params.BaseSequence = producerID, epoch, 0
	}
	batch, err := b.AppendBatch(nil, &params)
	if err != nil {
		t.Fatal(err)
	}
	return batch
}

func TestAdminRejectsBadConfig(t *testing.T) {
	t.Parallel()
	_, err := core.NewAdmin(core.AdminConfig{MaxAttempts: -1, DefaultTimeout: -time.Second})
	var ce *core.ConfigError
	if !errors.As(err, &ce) || len(ce.Problems) != 3 {
		t.Fatalf("NewAdmin: %v, want 3 problems (servers, timeout, attempts)", err)
	}
}

func TestAdminTopics(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 2, 4, "topics created with the broker's default partitions and replication factor (CreateTopics v4, Kafka 2.4)")
	t.Parallel()
	a, ctx := newAdmin(t), adminCtx(t)
	good, manual, bad := kafkatest.Topic(t), kafkatest.Topic(t), kafkatest.Topic(t)
	t.Cleanup(func() { kafkatest.DeleteTopic(t, good); kafkatest.DeleteTopic(t, manual) })

	res, err := a.CreateTopics(ctx, []core.NewTopic{
		{Name: good, Partitions: 3, ReplicationFactor: 1, Configs: map[string]string{"cleanup.policy": "compact"}},
		{Name: manual, Assignments: map[int32][]int32{0: {1}, 1: {1}}},
		{Name: bad, Partitions: 1, Configs: map[string]string{"cleanup.policy": "no-such-policy"}},
	}, core.CreateTopicsOptions{WaitForLeaders: true})
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "create "+good, res[0].Err, nil)
	wantErr(t, "create manual", res[1].Err, nil)
	wantErr(t, "create bad", res[2].Err, kerr.InvalidConfig)
	if res[0].Partitions != 3 || res[0].ReplicationFactor != 1 || res[0].Configs["cleanup.policy"] != "compact" || res[0].ID == [16]byte{} {
		t.Fatalf("created %+v", res[0])
	}

	// Validate-only creates nothing; an existing topic fails alone.
	vo := kafkatest.Topic(t)
	res, err = a.CreateTopics(ctx, []core.NewTopic{{Name: vo, Partitions: 1}, {Name: good, Partitions: 1}}, core.CreateTopicsOptions{ValidateOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "validate new", res[0].Err, nil)
	wantErr(t, "validate existing", res[1].Err, kerr.TopicAlreadyExists)

	list, err := a.ListTopics(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]core.TopicListing{}
	for _, l := range list {
		names[l.Name] = l
	}
	if names[good].Partitions != 3 || names[manual].Partitions != 2 || names["__consumer_offsets"].Name != "" || names[vo].Name != "" {
		t.Fatalf("ListTopics without internal: %+v", list)
	}
	if list, _ := a.ListTopics(ctx, true); !slices.ContainsFunc(list, func(l core.TopicListing) bool { return l.Name == "__consumer_offsets" && l.Internal }) {
		t.Fatalf("ListTopics with internal lacks __consumer_offsets")
	}

	desc, err := a.DescribeTopics(ctx, good, bad)
	if err != nil {
		t.Fatal(err)
	}
	if len(desc[0].Partitions) != 3 || desc[0].Partitions[2].Leader != 1 || len(desc[0].Partitions[2].ISR) != 1 {
		t.Fatalf("describe %s: %+v", good, desc[0])
	}
	wantErr(t, "describe missing", desc[1].Err, kerr.UnknownTopicOrPartition)

	cp, err := a.CreatePartitions(ctx, map[string]core.NewPartitions{good: {Count: 5}, bad: {Count: 2}, manual: {Count: 1}}, false)
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "grow "+good, cp[good], nil)
	wantErr(t, "grow missing", cp[bad], kerr.UnknownTopicOrPartition)
	wantErr(t, "shrink", cp[manual], kerr.InvalidPartitions)
	var grown []core.TopicDescription
	eventually(func() bool { grown, _ = a.DescribeTopics(ctx, good); return len(grown[0].Partitions) == 5 })
	if len(grown[0].Partitions) != 5 {
		t.Fatalf("after CreatePartitions %s has %d partitions", good, len(grown[0].Partitions))
	}

	del, err := a.DeleteTopics(ctx, manual, bad)
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "delete "+manual, del[manual], nil)
	wantErr(t, "delete missing", del[bad], kerr.UnknownTopicOrPartition)
}

func TestAdminRecordsAndOffsets(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.RecordBatchV2)
	kafkatest.SkipBrokerOlderThan(t, 3, 0, "OffsetSpecMaxTimestamp (ListOffsets v7, KIP-734, Kafka 3.0)")
	t.Parallel()
	a, ctx := newAdmin(t), adminCtx(t)
	topic := kafkatest.CreateTopic(t, 2, nil)
	before := time.Now().Add(-time.Second)
	produce(t, topic, 0, 10, -1, -1)
	produce(t, topic, 1, 4, -1, -1)

	spec := func(s core.OffsetSpec) map[string]map[int32]core.OffsetSpec {
		return map[string]map[int32]core.OffsetSpec{topic: {0: s, 1: s, 7: s}, "k3-missing-" + topic: {0: s}}
	}
	latest := a.ListOffsets(ctx, spec(core.OffsetSpecLatest), false)
	if latest[topic][0].Offset != 10 || latest[topic][1].Offset != 4 || latest[topic][0].Err != nil {
		t.Fatalf("latest: %+v", latest)
	}
	wantErr(t, "partition 7", latest[topic][7].Err, kerr.UnknownTopicOrPartition)
	wantErr(t, "missing topic", latest["k3-missing-"+topic][0].Err, kerr.UnknownTopicOrPartition)
	if at := a.ListOffsets(ctx, spec(core.OffsetSpecAt(before)), false); at[topic][0].Offset != 0 || at[topic][1].Timestamp < before.UnixMilli() {
		t.Fatalf("at time: %+v", at)
	}
	if mx := a.ListOffsets(ctx, spec(core.OffsetSpecMaxTimestamp), true); mx[topic][0].Offset != 9 {
		t.Fatalf("max timestamp: %+v", mx)
	}

	del := a.DeleteRecords(ctx, map[string]map[int32]int64{topic: {0: 6, 1: -1, 9: 1}})
	if r := del[topic][0]; r.Err != nil || r.LowWatermark != 6 {
		t.Fatalf("delete before 6: %+v", r)
	}
	if r := del[topic][1]; r.Err != nil || r.LowWatermark != 4 {
		t.Fatalf("delete up to the high watermark: %+v", r)
	}
	wantErr(t, "delete partition 9", del[topic][9].Err, kerr.UnknownTopicOrPartition)
	if e := a.ListOffsets(ctx, spec(core.OffsetSpecEarliest), false); e[topic][0].Offset != 6 || e[topic][1].Offset != 4 {
		t.Fatalf("earliest after deletion: %+v", e)
	}
}

func TestAdminClusterConfigsAndLogDirs(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 3, 3, "DescribeCluster (KIP-700, Kafka 2.8) and log directory sizes (DescribeLogDirs v4, KIP-827, Kafka 3.3)")
	t.Parallel()
	a, ctx := newAdmin(t), adminCtx(t)
	topic := kafkatest.CreateTopic(t, 1, map[string]string{"retention.ms": "3600000"})

	cl, err := a.DescribeCluster(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if cl.ClusterID == "" || len(cl.Brokers) != 1 || cl.Brokers[0].Port == 0 || !slices.Contains(cl.AuthorizedOperations, core.ACLOperationAlter) {
		t.Fatalf("DescribeCluster: %+v", cl)
	}
	broker := core.ConfigResource{Type: core.ConfigResourceBroker, Name: "1"}
	topicRes := core.ConfigResource{Type: core.ConfigResourceTopic, Name: topic}
	missing := core.ConfigResource{Type: core.ConfigResourceTopic, Name: "k3-missing-" + topic}
	got := a.DescribeConfigs(ctx, []core.ConfigResource{topicRes, broker, missing}, core.DescribeConfigsOptions{Synonyms: true})
	if v := entry(got[0], "retention.ms"); v == nil || *v.Value != "3600000" || v.Source != core.ConfigSourceDynamicTopic {
		t.Fatalf("topic retention.ms: %+v", v)
	}
	if v := entry(got[1], "log.retention.hours"); v == nil || v.Value == nil {
		t.Fatalf("broker log.retention.hours: %+v (%v)", v, got[1].Err)
	}
	wantErr(t, "configs of a missing topic", got[2].Err, kerr.UnknownTopicOrPartition)

	changes := map[core.ConfigResource][]core.ConfigAlteration{
		topicRes: {{Name: "retention.ms", Op: core.AlterDelete}, {Name: "segment.ms", Op: core.AlterSet, Value: "7200000"}},
		missing:  {{Name: "segment.ms", Op: core.AlterSet, Value: "1"}},
		broker:   {{Name: "log.cleaner.threads", Op: core.AlterSet, Value: "1"}},
	}
	errs := a.IncrementalAlterConfigs(ctx, changes, false)
	wantErr(t, "alter topic", errs[topicRes], nil)
	wantErr(t, "alter broker", errs[broker], nil)
	wantErr(t, "alter missing topic", errs[missing], kerr.UnknownTopicOrPartition)
	t.Cleanup(func() {
		a.IncrementalAlterConfigs(context.Background(), map[core.ConfigResource][]core.ConfigAlteration{broker: {{Name: "log.cleaner.threads", Op: core.AlterDelete}}}, false)
	})
	eventually(func() bool {
		got = a.DescribeConfigs(ctx, []core.ConfigResource{topicRes, broker}, core.DescribeConfigsOptions{Names: []string{"retention.ms", "segment.ms", "log.cleaner.threads"}})
		r, s, c := entry(got[0], "retention.ms"), entry(got[0], "segment.ms"), entry(got[1], "log.cleaner.threads")
		return r != nil && r.Source == core.ConfigSourceDefault && s != nil && s.Source == core.ConfigSourceDynamicTopic && c != nil && c.Source == core.ConfigSourceDynamicBroker
	})
	if r, s := entry(got[0], "retention.ms"), entry(got[0], "segment.ms"); r.Source != core.ConfigSourceDefault || *s.Value != "7200000" || len(got[0].Entries) != 2 {
		t.Fatalf("after alter: %+v", got[0].Entries)
	}
	if c := entry(got[1], "log.cleaner.threads"); c == nil || *c.Value != "1" || c.Source != core.ConfigSourceDynamicBroker {
		t.Fatalf("broker log.cleaner.threads after alter: %+v", c)
	}

	dirs, err := a.DescribeLogDirs(ctx, []int32{1, 999}, map[string][]int32{topic: {0}})
	if err != nil {
		t.Fatal(err)
	}
	if d := dirs[1]; d.Err != nil || len(d.Dirs) == 0 || d.Dirs[0].Partitions[topic] == nil || d.Dirs[0].TotalBytes <= 0 {
		t.Fatalf("log dirs of broker 1: %+v", d)
	}
	wantErr(t, "log dirs of broker 999", dirs[999].Err, kerr.BrokerNotAvailable)
	if all, err := a.DescribeLogDirs(ctx, nil, nil); err != nil || len(all) != 1 {
		t.Fatalf("every broker's log dirs: %v %v", all, err)
	}
}

func entry(r core.ConfigResult, name string) *core.ConfigEntry {
	for i := range r.Entries {
		if r.Entries[i].Name == name {
			return &r.Entries[i]
		}
	}
	return nil
}

func TestAdminElectLeaders(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 2, 4, "unclean leader elections through ElectLeaders v1 (KIP-460, Kafka 2.4)")
	t.Parallel()
	a, ctx := newAdmin(t), adminCtx(t)
	topic := kafkatest.CreateTopic(t, 2, nil)
	res, err := a.ElectLeaders(ctx, core.ElectPreferred, map[string][]int32{topic: {0, 1, 5}})
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "partition 0", res[topic][0], kerr.ElectionNotNeeded)
	wantErr(t, "partition 1", res[topic][1], kerr.ElectionNotNeeded)
	wantErr(t, "partition 5", res[topic][5], kerr.UnknownTopicOrPartition)
	res, err = a.ElectLeaders(ctx, core.ElectUnclean, map[string][]int32{topic: {0}})
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, "unclean", res[topic][0], kerr.ElectionNotNeeded)
	if core.ElectUnclean.String() != "unclean" {
		t.Fatal(core.ElectUnclean.String())
	}
}
