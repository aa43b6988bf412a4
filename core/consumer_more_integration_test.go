package core_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/core/record"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// rawRequest sends req at a version no higher than max, retrying the
// transaction coordinator's transient errors, and fails the test on error.
func rawRequest(t *testing.T, c *core.Client, req protocol.Request, max int16, code func(protocol.Response) int16) protocol.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		resp, err := core.ConsumerTestRequestCapped(ctx, c, req, max)
		if err == nil {
			err = kerr.ForCode(code(resp))
		}
		if err == nil {
			return resp
		}
		if !kerr.IsRetriable(err) || ctx.Err() != nil {
			t.Fatalf("%s: %v", protocol.APIName(req.Key()), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// produceBatch writes one batch of values to a partition (Produce v11, by
// topic name) and returns its base offset.
func produceBatch(t *testing.T, c *core.Client, topic string, partition int32, txn *string, p record.BatchParams, ts time.Time, values ...string) int64 {
	t.Helper()
	var b record.Builder
	for i, v := range values {
		b.Append(&record.Record{Value: []byte(v), Timestamp: ts.Add(time.Duration(i) * time.Millisecond)})
	}
	batch, err := b.AppendBatch(nil, &p)
	if err != nil {
		t.Fatal(err)
	}
	req := &protocol.ProduceRequest{}
	req.Default()
	req.TransactionalId, req.Acks, req.TimeoutMs = txn, -1, 10000
	req.TopicData = []protocol.ProduceRequestTopicProduceData{{Name: topic,
		PartitionData: []protocol.ProduceRequestPartitionProduceData{{Index: partition, Records: batch}}}}
	resp := rawRequest(t, c, req, 11, func(r protocol.Response) int16 {
		return r.(*protocol.ProduceResponse).Responses[0].PartitionResponses[0].ErrorCode
	})
	return resp.(*protocol.ProduceResponse).Responses[0].PartitionResponses[0].BaseOffset
}

func plainBatch(t *testing.T, c *core.Client, topic string, partition int32, ts time.Time, values ...string) int64 {
	return produceBatch(t, c, topic, partition, nil, record.NoProducer(), ts, values...)
}

func values(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

// TestConsumerSeek: seeking to offsets, to timestamps, to both ends, and
// beyond the end (OFFSET_OUT_OF_RANGE resets to the beginning).
func TestConsumerSeek(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.RecordBatchV2)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, nil)
	cl := kafkatest.Client(t)
	base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
	for i := range 10 { // offsets 10i..10i+9, timestamps base + i s + j ms
		plainBatch(t, cl, topic, 0, base.Add(time.Duration(i)*time.Second), values(fmt.Sprintf("v%d-", i), 10)...)
	}
	c := newTestConsumer(t, nil)
	tp := core.TopicPartition{Topic: topic}
	if err := c.Assign(tp); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	first := func() consumed {
		t.Helper()
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		f, err := c.Poll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r := f[0].Records[0]
		return consumed{r.Offset, string(r.Key), string(r.Value)}
	}
	if err := c.Seek(tp, 55); err != nil {
		t.Fatal(err)
	}
	if r := first(); r.offset != 55 || r.value != "v5-5" {
		t.Fatalf("after Seek(55): %+v", r)
	}
	times, err := c.OffsetsForTimes(ctx, map[core.TopicPartition]time.Time{tp: base.Add(3*time.Second + 500*time.Millisecond)})
	if err != nil || times[tp].Offset != 40 || !times[tp].Timestamp.Equal(base.Add(4*time.Second)) {
		t.Fatalf("OffsetsForTimes = %+v, %v; want offset 40 at base+4s", times, err)
	}
	if err := c.Seek(tp, times[tp].Offset); err != nil {
		t.Fatal(err)
	}
	if r := first(); r.offset != 40 {
		t.Fatalf("after seeking to a time: %+v", r)
	}
	late, _ := c.OffsetsForTimes(ctx, map[core.TopicPartition]time.Time{tp: time.Now().Add(time.Hour)})
	if late[tp].Offset != -1 {
		t.Fatalf("OffsetsForTimes in the future = %+v, want -1", late[tp])
	}
	if err := c.SeekToEnd(); err != nil {
		t.Fatal(err)
	}
	if pos, err := c.Position(ctx, tp); pos != 100 || err != nil {
		t.Fatalf("Position after SeekToEnd = %d, %v", pos, err)
	}
	if err := c.SeekToBeginning(tp); err != nil {
		t.Fatal(err)
	}
	if r := first(); r.offset != 0 {
		t.Fatalf("after SeekToBeginning: %+v", r)
	}
	if err := c.Seek(tp, 1000); err != nil { // out of range: reset to earliest
		t.Fatal(err)
	}
	if r := first(); r.offset != 0 {
		t.Fatalf("after an out-of-range Seek: %+v", r)
	}
	begin, err1 := c.BeginningOffsets(ctx, tp)
	end, err2 := c.EndOffsets(ctx, tp)
	if begin[tp] != 0 || end[tp] != 100 || err1 != nil || err2 != nil {
		t.Fatalf("BeginningOffsets %v %v, EndOffsets %v %v", begin, err1, end, err2)
	}
	if err := c.Seek(core.TopicPartition{Topic: topic, Partition: 7}, 0); err == nil {
		t.Fatal("Seek of an unassigned partition succeeded")
	}
}

// TestConsumerPauseResume: a paused partition returns nothing until resumed.
func TestConsumerPauseResume(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.RecordBatchV2)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 2, nil)
	cl := kafkatest.Client(t)
	p0, p1 := core.TopicPartition{Topic: topic, Partition: 0}, core.TopicPartition{Topic: topic, Partition: 1}
	plainBatch(t, cl, topic, 0, time.Now(), values("a", 5)...)
	c := newTestConsumer(t, nil)
	if err := c.Assign(p0, p1); err != nil {
		t.Fatal(err)
	}
	if err := c.Pause(p0); err != nil {
		t.Fatal(err)
	}
	if ps := c.Paused(); len(ps) != 1 || ps[0] != p0 {
		t.Fatalf("Paused = %v", ps)
	}
	expectNothing(t, c, 500*time.Millisecond)
	plainBatch(t, cl, topic, 1, time.Now(), values("b", 3)...)
	if got := consumeN(t, c, 3, 10*time.Second); len(got[0]) != 0 || len(got[1]) != 3 {
		t.Fatalf("while p0 is paused: %v", got)
	}
	if err := c.Resume(p0); err != nil {
		t.Fatal(err)
	}
	if got := consumeN(t, c, 5, 10*time.Second); len(got[0]) != 5 || got[0][4].value != "a4" {
		t.Fatalf("after Resume: %v", got)
	}
	if len(c.Paused()) != 0 {
		t.Fatalf("Paused = %v after Resume", c.Paused())
	}
}

// txnProducer drives a transactional producer with raw requests (the
// pre-KIP-890 protocol: AddPartitionsToTxn v3, Produce v11, EndTxn v4).
type txnProducer struct {
	t     *testing.T
	c     *core.Client
	id    string
	pid   int64
	epoch int16
	seq   int32
}

func newTxnProducer(t *testing.T, c *core.Client) *txnProducer {
	p := &txnProducer{t: t, c: c, id: kafkatest.Topic(t)}
	req := &protocol.InitProducerIdRequest{}
	req.Default()
	req.TransactionalId, req.TransactionTimeoutMs = &p.id, 60000
	resp := rawRequest(t, c, req, 4, func(r protocol.Response) int16 { return r.(*protocol.InitProducerIdResponse).ErrorCode })
	r := resp.(*protocol.InitProducerIdResponse)
	p.pid, p.epoch = r.ProducerId, r.ProducerEpoch
	return p
}

// send writes values to the partition inside a transaction, then commits
// or aborts it; between the write and the end, during runs.
func (p *txnProducer) send(topic string, partition int32, commit bool, during func(), vals ...string) {
	add := &protocol.AddPartitionsToTxnRequest{}
	add.Default()
	add.V3AndBelowTransactionalId, add.V3AndBelowProducerId, add.V3AndBelowProducerEpoch = p.id, p.pid, p.epoch
	add.V3AndBelowTopics = []protocol.AddPartitionsToTxnRequestAddPartitionsToTxnTopic{{Name: topic, Partitions: []int32{partition}}}
	rawRequest(p.t, p.c, add, 3, func(r protocol.Response) int16 {
		return r.(*protocol.AddPartitionsToTxnResponse).ResultsByTopicV3AndBelow[0].ResultsByPartition[0].PartitionErrorCode
	})
	params := record.BatchParams{PartitionLeaderEpoch: -1, ProducerID: p.pid, ProducerEpoch: p.epoch, BaseSequence: p.seq, Transactional: true}
	produceBatch(p.t, p.c, topic, partition, &p.id, params, time.Now(), vals...)
	p.seq += int32(len(vals))
	if during != nil {
		during()
	}
	end := &protocol.EndTxnRequest{}
	end.Default()
	end.TransactionalId, end.ProducerId, end.ProducerEpoch, end.Committed = p.id, p.pid, p.epoch, commit
	rawRequest(p.t, p.c, end, 4, func(r protocol.Response) int16 { return r.(*protocol.EndTxnResponse).ErrorCode })
}

// TestConsumerReadCommitted: read_committed drops aborted transactions and
// never returns control records; read_uncommitted returns all data records.
func TestConsumerReadCommitted(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.RecordBatchV2)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, nil)
	cl := kafkatest.Client(t)
	plainBatch(t, cl, topic, 0, time.Now(), values("a", 3)...)
	tx := newTxnProducer(t, cl)
	tx.send(topic, 0, false, func() { plainBatch(t, cl, topic, 0, time.Now(), values("n", 2)...) }, values("aborted", 5)...)
	tx.send(topic, 0, true, nil, values("committed", 4)...)
	tx.send(topic, 0, false, nil, values("aborted2-", 2)...)
	plainBatch(t, cl, topic, 0, time.Now(), values("b", 2)...)

	tp := core.TopicPartition{Topic: topic}
	for _, tc := range []struct {
		level core.IsolationLevel
		want  int
	}{{core.ReadCommitted, 3 + 2 + 4 + 2}, {core.ReadUncommitted, 3 + 5 + 2 + 4 + 2 + 2}} {
		c := newTestConsumer(t, func(cfg *core.ConsumerConfig) { cfg.IsolationLevel = tc.level })
		if err := c.Assign(tp); err != nil {
			t.Fatal(err)
		}
		got := consumeN(t, c, tc.want, 20*time.Second)[0]
		expectNothing(t, c, 300*time.Millisecond)
		var vals []string
		for _, r := range got {
			vals = append(vals, r.value)
		}
		for _, v := range vals {
			if tc.level == core.ReadCommitted && len(v) >= 7 && v[:7] == "aborted" {
				t.Fatalf("read_committed returned %q: %v", v, vals)
			}
		}
		if tc.level == core.ReadCommitted && fmt.Sprint(vals) != "[a0 a1 a2 n0 n1 committed0 committed1 committed2 committed3 b0 b1]" {
			t.Fatalf("read_committed: %v", vals)
		}
		// the end offset counts the 3 control records too
		if pos, _ := c.Position(context.Background(), tp); pos != 3+5+2+1+4+1+2+1+2 {
			t.Fatalf("%v: position %d", tc.level, pos)
		}
	}
}

// backlogBatch is the records of 1 KB in each of backlogTopic's batches.
const backlogBatch = 50

// backlogTopic creates a topic of two partitions: a backlog of batches
// batches of backlogBatch 1 KB records in partition 0, and small in
// partition 1.
func backlogTopic(t *testing.T, batches int, small []string) (string, *core.Client) {
	t.Helper()
	topic := kafkatest.CreateTopic(t, 2, nil)
	cl := kafkatest.Client(t)
	vals := make([]string, backlogBatch)
	for i := range vals {
		vals[i] = strings.Repeat("x", 1000)
	}
	for range batches {
		plainBatch(t, cl, topic, 0, time.Now(), vals...)
	}
	plainBatch(t, cl, topic, 1, time.Now(), small...)
	return topic, cl
}

// TestConsumerNoLongPollWhileRecordsWait: a partition with a backlog, whose
// next Fetch must wait until the records buffered for it are polled, and a
// caught-up partition on the same broker. A Fetch of the caught-up
// partition alone would be held by the broker for FetchMaxWait, and the
// backlog's next Fetch (one per broker at a time) with it; the consumer
// holds such a Fetch back instead, so the backlog is read without waiting
// FetchMaxWait even once.
func TestConsumerNoLongPollWhileRecordsWait(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.RecordBatchV2)
	t.Parallel()
	const batches = 30
	topic, _ := backlogTopic(t, batches, values("small", 5))
	const maxWait = 20 * time.Second
	c := newTestConsumer(t, func(cfg *core.ConsumerConfig) {
		cfg.FetchMaxWait = maxWait
		cfg.MaxPartitionFetchBytes = 64 << 10 // the backlog takes many Fetches
	})
	if err := c.Assign(core.TopicPartition{Topic: topic, Partition: 0}, core.TopicPartition{Topic: topic, Partition: 1}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), maxWait*3/4)
	defer cancel()
	want, n := batches*backlogBatch+5, 0
	for n < want {
		fs, err := c.Poll(ctx)
		if err != nil {
			t.Fatalf("after %d of %d records: %v (a Fetch waited FetchMaxWait while records were waiting)", n, want, err)
		}
		n += fs.NumRecords()
		time.Sleep(2 * time.Millisecond) // a slow application: the backlog's chunks stay buffered
	}
}

// TestConsumerLongPollHoldIsBounded: while the application does not poll,
// a backlog partition's chunks stay buffered and the caught-up partition's
// Fetch is held back, but only for a moment: the caught-up partition is
// still fetched, and its new high watermark seen, without any Poll.
func TestConsumerLongPollHoldIsBounded(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.RecordBatchV2)
	t.Parallel()
	topic, cl := backlogTopic(t, 20, values("old", 5))
	c := newTestConsumer(t, func(cfg *core.ConsumerConfig) {
		cfg.FetchMaxWait = 3 * time.Second
		cfg.MaxPartitionFetchBytes = 64 << 10
		cfg.MaxPollRecords = 10
	})
	p1 := core.TopicPartition{Topic: topic, Partition: 1}
	if err := c.Assign(core.TopicPartition{Topic: topic, Partition: 0}, p1); err != nil {
		t.Fatal(err)
	}
	waitHighwater := func(want int64, within time.Duration) {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			if hw, ok := c.Highwater(p1); ok && hw == want {
				return
			}
			if time.Now().After(deadline) {
				hw, _ := c.Highwater(p1)
				t.Fatalf("partition 1's high watermark is %d after %v without a Poll, want %d: its Fetch was held back", hw, within, want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	if _, err := c.Poll(ctxTimeout(t, 10*time.Second)); err != nil { // starts fetching
		t.Fatal(err)
	}
	waitHighwater(5, 10*time.Second)
	time.Sleep(300 * time.Millisecond) // the backlog's chunks fill up; nobody polls
	plainBatch(t, cl, topic, 1, time.Now(), values("new", 3)...)
	waitHighwater(8, 2*time.Second) // under FetchMaxWait: the long poll answers on the new records
}
