package reliability

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/faultproxy"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// Each test below runs one scenario per fault, all faults at once (each
// with its own fault network, so they do not interfere): a warm-up call,
// the fault, calls while it is on, which must succeed for slow faults and
// otherwise succeed or fail within the client's own timeouts, then the
// fault cleared, after which calls must succeed again within a bound, and
// finally Close, after which no connection may be left open.
//
// The scenarios run as goroutines rather than parallel subtests so that all
// nine fit in the time of one whatever -parallel is (2 on a 2-core machine).

// Bounds, from netConfig: RequestTimeout 2s, ConnectTimeout 2s.
const (
	requestTimeout = 2 * time.Second
	// callBound bounds a call during a fault: a request timing out, a
	// reconnection and a second attempt timing out, plus slack.
	callBound = 2*requestTimeout + 2*time.Second + time.Second
	// recoveryBound bounds the first success after a fault clears.
	recoveryBound = 10 * time.Second
)

type outcome struct {
	fault, client string
	during        []string // results of the calls during the fault
	recovered     time.Duration
}

var outcomes struct {
	sync.Mutex
	list []outcome
}

func record(o outcome) {
	outcomes.Lock()
	outcomes.list = append(outcomes.list, o)
	outcomes.Unlock()
	line := fmt.Sprintf("%-8s %-22s during: %s; recovered in %v", o.client, o.fault, strings.Join(o.during, ", "), o.recovered.Round(10*time.Millisecond))
	if path := os.Getenv("RELIABILITY_REPORT"); path != "" {
		if f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			_, _ = fmt.Fprintln(f, "fault-outcome\t"+line)
			_ = f.Close()
		}
	}
}

// eachFault runs scenario for every fault concurrently and waits.
func eachFault(t *testing.T, scenario func(t *testing.T, f fault, fi int, n *faultproxy.Network)) {
	var wg sync.WaitGroup
	for fi, f := range faults {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := faultproxy.NewNetwork()
			defer n.Close()
			scenario(t, f, fi, n)
		}()
	}
	wg.Wait()
}

// describe renders a call's result for the outcome table.
func describe(err error, d time.Duration) string {
	if err == nil {
		return fmt.Sprintf("ok in %v", d.Round(10*time.Millisecond))
	}
	return fmt.Sprintf("error in %v (%s)", d.Round(10*time.Millisecond), errText(err))
}

// during calls fn repeatedly while the fault is held (at least once), each
// call bounded by callBound; slow faults must not make fn fail. The context
// fn gets has no deadline, so the client's own timeouts must end the call: a
// watchdog cancels it after callBound+5s, so the test never hangs, and
// counts that as a failure.
func during(t *testing.T, f fault, o *outcome, fn func(ctx context.Context) error) {
	end := time.Now().Add(f.hold)
	for first := true; first || time.Now().Before(end); first = false {
		ctx, cancel := context.WithCancel(context.Background())
		watchdog := time.AfterFunc(callBound+5*time.Second, cancel)
		start := time.Now()
		err := fn(ctx)
		d := time.Since(start)
		watchdog.Stop()
		fired := ctx.Err() != nil
		cancel()
		o.during = append(o.during, describe(err, d))
		if d > callBound {
			t.Errorf("%s/%s: a call during the fault took %v (bound %v): %v", o.client, f.name, d, callBound, err)
		}
		if fired {
			t.Errorf("%s/%s: the call did not end by itself; the test's watchdog cancelled it after %v", o.client, f.name, d)
		}
		if err != nil && f.slow {
			t.Errorf("%s/%s: a call failed under a fault that only slows traffic: %v", o.client, f.name, err)
		}
	}
}

// recover calls fn until it succeeds, for at most recoveryBound.
func recoverAfter(t *testing.T, f fault, o *outcome, fn func(ctx context.Context) error) {
	ctx, cancel := context.WithTimeout(context.Background(), recoveryBound)
	defer cancel()
	start := time.Now()
	var err error
	for {
		cctx, ccancel := context.WithTimeout(ctx, recoveryBound)
		err = fn(cctx)
		ccancel()
		if err == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	o.recovered = time.Since(start)
	if err != nil {
		t.Errorf("%s/%s: no recovery within %v of the fault clearing: %v", o.client, f.name, recoveryBound, err)
	}
}

func metadataRequest(topic string) *protocol.MetadataRequest {
	req := &protocol.MetadataRequest{}
	req.Default()
	req.Topics = []protocol.MetadataRequestTopic{{Name: &topic}}
	return req
}

func TestClientUnderEachFault(t *testing.T) {
	t.Parallel()
	brokers := kafkatest.Brokers(t)
	topic := createTopic(t, nil, 1, 0, nil)
	eachFault(t, func(t *testing.T, f fault, _ int, n *faultproxy.Network) {
		o := outcome{fault: f.name, client: "Client"}
		c, err := core.NewClient(netConfig(brokers, n))
		if err != nil {
			t.Error(err)
			return
		}
		call := func(ctx context.Context) error {
			// Metadata goes to any broker; ListOffsets to the partition's leader.
			if _, err := c.Request(ctx, metadataRequest(topic)); err != nil {
				return err
			}
			req := &protocol.ListOffsetsRequest{}
			req.Default()
			req.ReplicaId = -1
			p := protocol.ListOffsetsRequestListOffsetsPartition{}
			p.Default()
			p.PartitionIndex, p.Timestamp = 0, -1
			req.Topics = []protocol.ListOffsetsRequestListOffsetsTopic{{Name: topic, Partitions: []protocol.ListOffsetsRequestListOffsetsPartition{p}}}
			_, err := c.Request(ctx, req)
			return err
		}
		if err := call(deadline(t, 10*time.Second)); err != nil {
			t.Errorf("Client/%s: warm-up: %v", f.name, err)
		}
		f.on(n)
		during(t, f, &o, call)
		n.Clear()
		recoverAfter(t, f, &o, call)
		_ = c.Close()
		connsClosed(t, n, "Client ("+f.name+")")
		record(o)
	})
}

func TestProducerUnderEachFault(t *testing.T) {
	t.Parallel()
	brokers := kafkatest.Brokers(t)
	topic := createTopic(t, nil, 1, 0, nil)
	l := newLedger()
	eachFault(t, func(t *testing.T, f fault, fi int, n *faultproxy.Network) {
		o := outcome{fault: f.name, client: "Producer"}
		const deliveryTimeout = 5 * time.Second
		p, err := core.NewProducer(core.ProducerConfig{Config: netConfig(brokers, n), Acks: core.AcksAll,
			Linger: time.Millisecond, DeliveryTimeout: deliveryTimeout})
		if err != nil {
			t.Error(err)
			return
		}
		i := 0
		send := func(ctx context.Context) error {
			v := value(fi, i)
			i++
			l.mu.Lock()
			l.sent++
			l.mu.Unlock()
			_, err := p.SendSync(ctx, &core.Record{Topic: topic, Value: v})
			l.result(string(v), err)
			return err
		}
		if err := send(deadline(t, 10*time.Second)); err != nil {
			t.Errorf("Producer/%s: warm-up: %v", f.name, err)
		}
		f.on(n)
		// A send may take the whole delivery timeout: bound it by that.
		during(t, f, &o, func(ctx context.Context) error {
			start := time.Now()
			err := send(ctx)
			if d := time.Since(start); d > deliveryTimeout+2*time.Second {
				t.Errorf("Producer/%s: SendSync took %v, delivery timeout %v", f.name, d, deliveryTimeout)
			}
			return err
		})
		n.Clear()
		recoverAfter(t, f, &o, send)
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		within(t, "Producer.Close after "+f.name, 10*time.Second, func() {
			if err := p.Close(cctx); err != nil {
				t.Errorf("Producer/%s: Close: %v", f.name, err)
			}
		})
		cancel()
		connsClosed(t, n, "Producer ("+f.name+")")
		record(o)
	})
	v := check(l, readAll(deadline(t, 30*time.Second), t, netConfig(brokers, nil), topic, 1))
	report(t, fmt.Sprintf("%d faults, one producer each, SendSync during and after", len(faults)), v, 0)
	requireClean(t, v)
}

func TestConsumerUnderEachFault(t *testing.T) {
	t.Parallel()
	const records = 300
	brokers := kafkatest.Brokers(t)
	topic := createTopic(t, nil, 1, 0, nil)
	// Records to consume, written beforehand and while the faults are on.
	p, err := core.NewProducer(core.ProducerConfig{Config: netConfig(brokers, nil)})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	l := newLedger()
	produce(deadline(t, 30*time.Second), t, p, topic, 1, records/3, 0, l)
	var trickle sync.WaitGroup
	stop := make(chan struct{})
	trickle.Add(1)
	go func() { // one record every 50ms from a separate sender while faults run
		defer trickle.Done()
		for i := 0; i < records*2/3; i++ {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			v := value(1, i)
			l.mu.Lock()
			l.sent++
			l.mu.Unlock()
			p.SendFunc(context.Background(), &core.Record{Topic: topic, Value: v}, func(_ core.RecordMetadata, err error) { l.result(string(v), err) })
		}
	}()
	tp := core.TopicPartition{Topic: topic}
	eachFault(t, func(t *testing.T, f fault, _ int, n *faultproxy.Network) {
		o := outcome{fault: f.name, client: "Consumer"}
		c, err := core.NewConsumer(core.ConsumerConfig{Config: netConfig(brokers, n), FetchMaxWait: 100 * time.Millisecond, MaxPollRecords: 20})
		if err != nil {
			t.Error(err)
			return
		}
		got := map[int32][]rec{}
		poll := func(ctx context.Context) error {
			pctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			fs, err := c.Poll(pctx)
			for _, fp := range fs {
				for _, r := range fp.Records {
					got[0] = append(got[0], rec{Offset: r.Offset, Value: string(r.Value)})
				}
			}
			if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
				err = nil // nothing new within the second: not a failure
			}
			return err
		}
		if err := c.Assign(tp); err != nil {
			t.Error(err)
		}
		_ = c.SeekToBeginning(tp)
		if err := poll(deadline(t, 10*time.Second)); err != nil || len(got[0]) == 0 {
			t.Errorf("Consumer/%s: warm-up: %v, %d records", f.name, err, len(got[0]))
		}
		f.on(n)
		during(t, f, &o, poll)
		n.Clear()
		// Recovery: read on until the records written so far are all in.
		before := len(got[0])
		recoverAfter(t, f, &o, func(ctx context.Context) error {
			if err := poll(ctx); err != nil {
				return err
			}
			if len(got[0]) == before {
				return errors.New("no new record yet")
			}
			return nil
		})
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for !(len(got[0]) > 0 && got[0][len(got[0])-1].Offset >= records/3-1) && cctx.Err() == nil {
			if err := poll(cctx); err != nil {
				t.Errorf("Consumer/%s: after recovery: %v", f.name, err)
				break
			}
		}
		// What it read: offsets from 0, each once, in order.
		for i, r := range got[0] {
			if r.Offset != int64(i) {
				t.Errorf("Consumer/%s: record %d has offset %d: records lost, duplicated or reordered", f.name, i, r.Offset)
				break
			}
		}
		if len(got[0]) < records/3 {
			t.Errorf("Consumer/%s: read %d records, want at least %d", f.name, len(got[0]), records/3)
		}
		within(t, "Consumer.Close after "+f.name, 5*time.Second, func() { _ = c.Close() })
		connsClosed(t, n, "Consumer ("+f.name+")")
		record(o)
	})
	close(stop)
	trickle.Wait()
}
