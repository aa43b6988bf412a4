package reliability

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// These tests are not parallel: they count goroutines and measure the heap,
// which are process-wide. Go runs them before the parallel tests start.

// TestNoGoroutineOrConnectionLeftAfterClose uses a Client, a Producer, a
// Consumer, a group member (Subscribe, Poll, Commit: the heartbeat and
// coordinator goroutines) and an Admin through one fault network, with
// resets along the way, closes them, and checks that the network holds no
// connection and that the goroutine count is back to where it was.
func TestNoGoroutineOrConnectionLeftAfterClose(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	topic := createTopic(t, nil, 2, 0, nil)
	ctx := deadline(t, time.Minute)
	leaks := goroutineCheck(t)
	n := newNetwork(t)
	cfg := netConfig(brokers, n)

	c, err := core.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Request(ctx, metadataRequest(topic)); err != nil {
		t.Fatal(err)
	}
	p, err := core.NewProducer(core.ProducerConfig{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	l := newLedger()
	produce(ctx, t, p, topic, 2, 500, 100, l)
	n.ResetAll()
	produce(ctx, t, p, topic, 2, 500, 100, l)
	cons, err := core.NewConsumer(core.ConsumerConfig{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	tps := []core.TopicPartition{{Topic: topic, Partition: 0}, {Topic: topic, Partition: 1}}
	_ = cons.Assign(tps...)
	_ = cons.SeekToBeginning(tps...)
	read := 0
	for read < 1000 && ctx.Err() == nil {
		fs, err := cons.Poll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			read += len(f.Records)
		}
		if read > 500 && n.Stats().Resets < 5 {
			n.ResetAll() // a reset while fetching
		}
	}
	// A group member: joins, reads, commits, sees a reset, commits again.
	member, err := core.NewConsumer(core.ConsumerConfig{Config: cfg, GroupID: topic + "-group", AutoOffsetReset: core.ResetEarliest})
	if err != nil {
		t.Fatal(err)
	}
	if err := member.Subscribe([]string{topic}, core.RebalanceListener{}); err != nil {
		t.Fatal(err)
	}
	for got, commits := 0, 0; commits < 2 && ctx.Err() == nil; {
		fs, err := member.Poll(ctx)
		if err != nil {
			t.Fatalf("group Poll: %v", err)
		}
		for _, f := range fs {
			got += len(f.Records)
		}
		if got > 0 {
			if err := member.Commit(ctx, nil); err != nil {
				t.Fatalf("group Commit: %v", err)
			}
			commits++
			n.ResetAll()
		}
	}
	adm, err := core.NewAdmin(core.AdminConfig{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := adm.ListGroupOffsets(ctx, topic+"-group", nil); err != nil {
		t.Fatalf("ListGroupOffsets: %v", err)
	}
	if n.OpenConns() == 0 {
		t.Fatal("the network saw no connection: the test proves nothing")
	}
	opened := n.Stats().Accepted
	within(t, "closing the Client, Producer, Consumer, group member and Admin", 15*time.Second, func() {
		_ = c.Close()
		if err := p.Close(ctx); err != nil {
			t.Errorf("Producer.Close: %v", err)
		}
		_ = cons.Close()
		if err := member.Close(); err != nil {
			t.Errorf("group member Close: %v", err)
		}
		_ = adm.Close()
	})
	connsClosed(t, n, "Client, Producer, Consumer, group member and Admin")
	_ = n.Close()
	leaks()
	if !t.Failed() {
		t.Logf("%d connections opened in all (%d reset), none left; goroutines back to the baseline", opened, n.Stats().Resets)
	}
}

// TestSlowConsumerMemoryBound writes far more data than the consumer's
// buffer limits, then consumes it slowly, and samples the live heap (after
// a GC) while doing so: it must stay within the configured buffers, not
// grow with the data waiting on the broker.
func TestSlowConsumerMemoryBound(t *testing.T) {
	const (
		partitions  = 4
		valueSize   = 10 << 10
		fetchMax    = 1 << 20
		partMax     = 256 << 10
		bufferedMax = 2 << 20
	)
	dataMB := scale(24, 200)
	brokers := kafkatest.Brokers(t)
	topic := createTopic(t, nil, partitions, 0, nil)
	ctx := deadline(t, 3*time.Minute)

	p, err := core.NewProducer(core.ProducerConfig{Config: netConfig(brokers, nil), BatchSize: 256 << 10, Linger: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	val := bytes.Repeat([]byte("x"), valueSize)
	count := dataMB << 20 / valueSize
	var last *core.Future
	for i := range count {
		last = p.Send(ctx, &core.Record{Topic: topic, Key: fmt.Appendf(nil, "%d", i), Value: val})
	}
	if _, err := last.Get(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	p = nil
	val = nil

	baseline := liveHeap()
	c, err := core.NewConsumer(core.ConsumerConfig{Config: netConfig(brokers, nil),
		FetchMaxBytes: fetchMax, MaxPartitionFetchBytes: partMax, MaxBufferedBytes: bufferedMax, MaxPollRecords: 20})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var tps []core.TopicPartition
	for i := range int32(partitions) {
		tps = append(tps, core.TopicPartition{Topic: topic, Partition: i})
	}
	_ = c.Assign(tps...)
	_ = c.SeekToBeginning(tps...)

	// Slow: 20 records (200 kB) per poll, 25ms apart, for a few seconds,
	// sampling the heap every poll; then the rest at full speed.
	// Samples count only while far more than the bound still waits on
	// the broker: a consumer that ignored its limits would have fetched it.
	bound := int64(bufferedMax + 2*fetchMax + 4<<20)
	var peak uint64
	read, samples := 0, 0
	slowUntil := time.Now().Add(time.Duration(scale(3, 15)) * time.Second)
	for read < count {
		fs, err := c.Poll(ctx)
		if err != nil {
			t.Fatalf("Poll after %d records: %v", read, err)
		}
		for _, f := range fs {
			read += len(f.Records)
		}
		if time.Now().Before(slowUntil) {
			time.Sleep(25 * time.Millisecond)
			if read%100 < 20 && int64(count-read)*valueSize > 2*bound {
				peak = max(peak, liveHeap())
				samples++
			}
		}
	}
	growth := int64(peak) - int64(baseline)
	// Bound: the buffered limit, one fetch response in flight (read whole,
	// then decoded: counted twice), and 4 MiB for the rest of the consumer.
	msg := fmt.Sprintf("%d MiB on the broker; live heap %.1f MiB before the consumer, peak %.1f MiB over %d samples while it polled slowly with more than %.0f MiB still on the broker (growth %.1f MiB, bound %.1f MiB: MaxBufferedBytes %d MiB + 2 x FetchMaxBytes + 4 MiB)",
		dataMB, mib(baseline), mib(peak), samples, float64(2*bound)/(1<<20), float64(growth)/(1<<20), float64(bound)/(1<<20), bufferedMax>>20)
	t.Log(msg)
	report(t, msg, verdict{Sent: count, Acked: count, Read: read}, 0)
	if growth > bound {
		t.Errorf("slow consumer: %s", msg)
	}
	if samples < 3 {
		t.Errorf("only %d heap samples while the broker held far more than the bound: the test proves little (%s)", samples, msg)
	}
	if read != count {
		t.Errorf("read %d records, want %d", read, count)
	}
}

// liveHeap is HeapInuse after two full GCs (the second empties the
// sync.Pools the first moved to their victim caches): the heap the process
// holds.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
