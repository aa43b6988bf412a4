package reliability

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// TestProduceConsumeUnderFaults produces with an idempotent acks=all
// producer and consumes at the same time, both through one fault network,
// while every fault is injected in turn (repeatedly in the long version).
// Then it checks what the consumer saw, and what a clean read-back finds in
// the log, against the producer's acknowledgements: nothing lost, nothing
// duplicated, each sender's order kept per partition.
func TestProduceConsumeUnderFaults(t *testing.T) {
	t.Parallel()
	const partitions, senders = 3, 4
	brokers := kafkatest.Brokers(t)
	topic := createTopic(t, nil, partitions, 0, nil)
	minDur := time.Duration(scale(0, 150)) * time.Second
	ctx := deadline(t, minDur+2*time.Minute)
	start := time.Now()

	n := newNetwork(t)
	cfg := netConfig(brokers, n)
	p, err := core.NewProducer(core.ProducerConfig{Config: cfg, Acks: core.AcksAll,
		Linger: 2 * time.Millisecond, BatchSize: 4096, DeliveryTimeout: 90 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	c, err := core.NewConsumer(core.ConsumerConfig{Config: cfg, FetchMaxWait: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tps := topicPartitions(topic, partitions)
	if err := c.Assign(tps...); err != nil {
		t.Fatal(err)
	}
	if err := c.SeekToBeginning(tps...); err != nil {
		t.Fatal(err)
	}

	// The consumer runs throughout, keeping what it sees.
	consumed := map[int32][]rec{}
	var cmu sync.Mutex // guards consumed
	var pollErrs atomic.Int64
	var firstPollErr atomic.Value
	stopConsume := make(chan struct{})
	consumerDone := pollLoop(ctx, c, stopConsume, func(fs core.Fetches, err error) bool {
		if err != nil {
			if pollErrs.Add(1) == 1 {
				firstPollErr.Store(err)
			}
			if errors.Is(err, core.ErrConsumerClosed) || ctx.Err() != nil {
				return false
			}
		}
		cmu.Lock()
		for _, f := range fs {
			for _, r := range f.Records {
				consumed[f.Partition] = append(consumed[f.Partition], rec{Offset: r.Offset, Value: string(r.Value)})
			}
		}
		cmu.Unlock()
		return true
	})

	// Faults while the senders send (at about 1000 records/s each).
	l := newLedger()
	stopSend := make(chan struct{})
	var injected int
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		injected = schedule(n, ctx.Done(), minDur, 300*time.Millisecond)
		close(stopSend)
	}()
	sw := l.send(ctx, p, topic, senders, stopSend)
	sw.Wait()
	wg.Wait()
	within(t, "Flush after the faults cleared", 30*time.Second, func() {
		if err := p.Flush(ctx); err != nil {
			t.Errorf("Flush: %v", err)
		}
	})

	// Recovery: the consumer reaches the end within 30s of the faults clearing.
	ends := endOffsets(ctx, t, brokers, tps)
	recovered := time.Now()
	for !reached(consumed, ends, &cmu) && time.Since(recovered) < 30*time.Second {
		time.Sleep(50 * time.Millisecond)
	}
	close(stopConsume)
	<-consumerDone
	if !reached(consumed, ends, &cmu) {
		t.Errorf("consumer did not reach the end offsets %v within 30s of the faults clearing: read %d", ends, total(consumed))
	}
	if pollErrs.Load() > 0 {
		t.Errorf("Poll failed %d times under transient faults; first: %v", pollErrs.Load(), firstPollErr.Load())
	}

	cv := check(l, consumed)
	lv := check(l, readAll(ctx, t, netConfig(brokers, nil), topic, partitions))
	faultsText := fmt.Sprintf("%d injected (%d kinds, each in turn), %d connections reset, %d half-closed, %d refused",
		injected, len(faults), n.Stats().Resets, n.Stats().HalfCloses, n.Stats().Refused)
	report(t, faultsText+"; consumer", cv, time.Since(start))
	report(t, faultsText+"; log", lv, time.Since(start))
	if lv.Failed > 0 {
		t.Errorf("%d sends failed within a 90s delivery timeout: %v", lv.Failed, l.firstErrors())
	}
	requireClean(t, lv)
	requireClean(t, cv)
	if lv.Gaps > 0 {
		t.Errorf("the log has %d offset gaps (no transactions: there should be none)", lv.Gaps)
	}
	if cv.Gaps > 0 {
		t.Errorf("the consumer skipped offsets %d times", cv.Gaps)
	}
	if m := p.Metrics(); m["record-retry-total"] == 0 {
		t.Logf("no retries: the faults proved little (metrics %v)", m)
	}
}

// reached reports whether consumed (guarded by mu) holds every partition
// up to its end.
func reached(consumed map[int32][]rec, ends map[core.TopicPartition]int64, mu *sync.Mutex) bool {
	mu.Lock()
	defer mu.Unlock()
	for tp, end := range ends {
		rs := consumed[tp.Partition]
		if end > 0 && (len(rs) == 0 || rs[len(rs)-1].Offset < end-1) {
			return false
		}
	}
	return true
}

// endOffsets asks the cluster (without faults) for the partitions' ends.
func endOffsets(ctx context.Context, t testing.TB, brokers []string, tps []core.TopicPartition) map[core.TopicPartition]int64 {
	t.Helper()
	c, err := core.NewConsumer(core.ConsumerConfig{Config: netConfig(brokers, nil)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ends, err := c.EndOffsets(ctx, tps...)
	if err != nil {
		t.Fatalf("EndOffsets: %v", err)
	}
	return ends
}
