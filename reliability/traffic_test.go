package reliability

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
)

// traffic is an idempotent acks=all producer sending to every partition of
// a topic (explicit partitions: the default partitioner may route around a
// slow one) from two goroutines, and a consumer reading them all from the
// start, with what each acknowledged and read per partition (fl) for the
// tests of per-broker faults.
type traffic struct {
	fl           *flow
	l            *ledger
	p            *core.Producer
	tps          []core.TopicPartition
	consumed     map[int32][]rec // under fl.mu
	stopSend     chan struct{}
	stopConsume  chan struct{}
	senders      *sync.WaitGroup
	consumerDone <-chan struct{}
}

// startTraffic starts the producer and the consumer; a Poll error fails t,
// saying it happened during the fault (during: "while ..."). Both clients
// are closed when t ends.
func startTraffic(ctx context.Context, t *testing.T, cfg core.Config, topic string, partitions int32, during string) *traffic {
	t.Helper()
	tr := &traffic{fl: newFlow(), l: newLedger(), tps: topicPartitions(topic, partitions), consumed: map[int32][]rec{},
		stopSend: make(chan struct{}), stopConsume: make(chan struct{})}
	var err error
	tr.p, err = core.NewProducer(core.ProducerConfig{Config: cfg, Acks: core.AcksAll, Linger: 2 * time.Millisecond,
		DeliveryTimeout: 2 * time.Minute, Partitioner: core.ManualPartitioner{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.p.Close(context.Background()) })
	c, err := core.NewConsumer(core.ConsumerConfig{Config: cfg, FetchMaxWait: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.Assign(tr.tps...)
	_ = c.SeekToBeginning(tr.tps...)
	tr.consumerDone = pollLoop(ctx, c, tr.stopConsume, func(fs core.Fetches, err error) bool {
		if err != nil {
			t.Errorf("Poll %s: %v", during, err)
			return false
		}
		tr.fl.mu.Lock()
		for _, f := range fs {
			for _, r := range f.Records {
				tr.consumed[f.Partition] = append(tr.consumed[f.Partition], rec{Offset: r.Offset, Value: string(r.Value)})
			}
			tr.fl.read[f.Partition] += len(f.Records)
		}
		tr.fl.mu.Unlock()
		return true
	})
	tr.senders = tr.l.sendSpread(ctx, tr.p, topic, 2, partitions, tr.stopSend, func(part int32) {
		tr.fl.mu.Lock()
		tr.fl.acked[part]++
		tr.fl.mu.Unlock()
	})
	return tr
}

// finish stops the senders, flushes the producer (within bound), runs
// afterFlush if not nil, waits until the consumer has read up to the
// partitions' ends (within bound of cleared, when the fault ended), stops
// it, and fails t unless every record sent was acknowledged and read once
// and in order. It returns how long after cleared the consumer caught up,
// and the verdict.
func (tr *traffic) finish(ctx context.Context, t *testing.T, brokers []string, cleared time.Time, bound time.Duration, afterFlush func()) (time.Duration, verdict) {
	t.Helper()
	close(tr.stopSend)
	tr.senders.Wait()
	within(t, "Flush after the fault", bound, func() {
		if err := tr.p.Flush(ctx); err != nil {
			t.Errorf("Flush: %v", err)
		}
	})
	if afterFlush != nil {
		afterFlush()
	}
	ends := endOffsets(ctx, t, brokers, tr.tps)
	for !reached(tr.consumed, ends, &tr.fl.mu) && time.Since(cleared) < bound {
		time.Sleep(50 * time.Millisecond)
	}
	caughtUp := time.Since(cleared)
	close(tr.stopConsume)
	<-tr.consumerDone
	if !reached(tr.consumed, ends, &tr.fl.mu) {
		t.Errorf("the consumer did not catch up within %v of the fault's end", bound)
	}
	cv := check(tr.l, tr.consumed)
	requireClean(t, cv)
	if cv.Lost > 0 || cv.Failed > 0 || cv.Gaps > 0 {
		t.Errorf("%v", cv)
	}
	return caughtUp, cv
}
