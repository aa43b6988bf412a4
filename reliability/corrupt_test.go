package reliability

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	krecord "github.com/kafka3/kafka3-go/core/record"
	"github.com/kafka3/kafka3-go/internal/faultproxy"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// TestCorruptBatchReported consumes through a proxy that, midway, flips a
// byte inside every record batch of the fetch responses. The consumer must
// report each partition's corrupt batch as a *FetchError wrapping a
// *krecord.CorruptError that names the topic, the partition and the offset,
// having returned every record before it (the test pauses a reported
// partition, since its error otherwise comes first in every Poll); it must neither panic nor hang
// (every Poll is bounded and the error comes within seconds); and once the
// fault clears, a Seek to the reported offset (the documented way on) must
// read the rest: nothing lost, nothing twice, in order.
func TestCorruptBatchReported(t *testing.T) {
	t.Parallel()
	const partitions, perSender = 2, 1000
	brokers := kafkatest.Brokers(t)
	topic := createTopic(t, nil, partitions, 0, nil)
	ctx := deadline(t, 2*time.Minute)

	// Many small batches, so that the consumer is still fetching when the
	// fault comes.
	p, err := core.NewProducer(core.ProducerConfig{Config: netConfig(brokers, nil), BatchSize: 1024, Linger: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	l := newLedger()
	produce(ctx, t, p, topic, 2, perSender, 50, l)
	_ = p.Close(ctx)

	n := newNetwork(t)
	c, err := core.NewConsumer(core.ConsumerConfig{Config: netConfig(brokers, n),
		MaxPartitionFetchBytes: 2048, FetchMaxBytes: 4096, MaxBufferedBytes: 4096, MaxPollRecords: 50})
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
	consumed := map[int32][]rec{}
	// Each Poll has 20s: no Poll may need them (the data is there, and a
	// corrupt batch must be reported when it is reached, not when the
	// Poll's context ends).
	poll := func() error {
		pctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		var fs core.Fetches
		var err error
		within(t, "a Poll", 10*time.Second, func() { fs, err = c.Poll(pctx) })
		for _, f := range fs {
			for _, r := range f.Records {
				consumed[f.Partition] = append(consumed[f.Partition], rec{Offset: r.Offset, Value: string(r.Value)})
			}
		}
		return err
	}
	for total(consumed) < 300 {
		if err := poll(); err != nil {
			t.Fatalf("Poll before the fault: %v", err)
		}
	}

	n.SetCorrupt(faultproxy.Downstream, faultproxy.CorruptRecordBatches())
	faultAt := time.Now()
	reported := map[int32]*core.FetchError{}
	for len(reported) < partitions && time.Since(faultAt) < 20*time.Second {
		err := poll()
		if err == nil {
			continue
		}
		var fes []*core.FetchError
		for _, e := range unjoin(err) {
			var fe *core.FetchError
			if !errors.As(e, &fe) {
				t.Fatalf("Poll under corruption: %v, want a *core.FetchError", e)
			}
			fes = append(fes, fe)
		}
		for _, fe := range fes {
			var ce *krecord.CorruptError
			if !errors.As(fe, &ce) {
				t.Fatalf("FetchError %v does not wrap a *krecord.CorruptError", fe)
			}
			part := fe.Partition.Partition
			next := int64(0)
			if rs := consumed[part]; len(rs) > 0 {
				next = rs[len(rs)-1].Offset + 1
			}
			switch {
			case fe.Partition.Topic != topic || ce.Topic != topic || ce.Partition != part:
				t.Errorf("corrupt batch reported as %s / %s-%d, want topic %s", fe.Partition, ce.Topic, ce.Partition, topic)
			case fe.Offset != next:
				t.Errorf("partition %d: corrupt batch reported at offset %d, but the records returned end before %d", part, fe.Offset, next)
			case ce.Offset > fe.Offset:
				t.Errorf("partition %d: the corrupt batch starts at %d, after the position %d", part, ce.Offset, fe.Offset)
			case !strings.Contains(fe.Error(), topic) || !strings.Contains(fe.Error(), fmt.Sprint(fe.Offset)):
				t.Errorf("the error does not name the topic and offset: %v", fe)
			}
			if prev := reported[part]; prev != nil && prev.Offset != fe.Offset {
				t.Errorf("partition %d: reported at %d, then at %d, without a Seek", part, prev.Offset, fe.Offset)
			}
			if reported[part] == nil {
				t.Logf("%v after the fault: %v", time.Since(faultAt).Round(time.Millisecond), fe)
				// Every Poll returns this error (before other
				// partitions' records) until the partition is
				// re-positioned or paused: pause it, as an
				// application would, so the others go on.
				if err := c.Pause(fe.Partition); err != nil {
					t.Fatalf("Pause %d: %v", part, err)
				}
			}
			reported[part] = fe
		}
	}
	if len(reported) < partitions {
		t.Fatalf("only %d of %d partitions reported a corrupt batch within 20s of the fault (%d frames corrupted)", len(reported), partitions, n.Stats().Corrupted)
	}

	// The fault clears; the error stays until the partition is re-positioned.
	corrupted := n.Stats().Corrupted
	n.ClearAll()
	for part, fe := range reported {
		if err := c.Seek(fe.Partition, fe.Offset); err != nil {
			t.Fatalf("Seek %d: %v", part, err)
		}
		if err := c.Resume(fe.Partition); err != nil {
			t.Fatalf("Resume %d: %v", part, err)
		}
	}
	ends := endOffsets(ctx, t, brokers, tps)
	for recovered := time.Now(); !reached(consumed, ends, &sync.Mutex{}); {
		if time.Since(recovered) > 30*time.Second {
			t.Fatalf("not at the end offsets %v 30s after the fault cleared: read %d", ends, total(consumed))
		}
		if err := poll(); err != nil {
			t.Fatalf("Poll after the fault cleared and a Seek: %v", err)
		}
	}
	v := check(l, consumed)
	report(t, fmt.Sprintf("record batches corrupted in %d fetch responses; each partition reported its batch, then read on after a Seek", corrupted), v, 0)
	requireClean(t, v)
	if v.Gaps > 0 || v.Read != v.Acked {
		t.Errorf("read %d records with %d offset gaps, want the %d acknowledged without a gap", v.Read, v.Gaps, v.Acked)
	}
}

// unjoin splits the errors of several partitions that Poll joins.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// TestCorruptResponseHeader damages every response's header in three ways:
// a wrong correlation id, a frame size over the client's limit, a negative
// size, and a size that is plausible but wrong (the client would wait for
// bytes that never come). Each time a request must fail with a clear error
// within the client's timeouts (the connection is dropped), and once the
// fault clears the next request must succeed on a new connection; a
// consumer polling through it all must read every record in the end.
func TestCorruptResponseHeader(t *testing.T) {
	t.Parallel()
	brokers := kafkatest.Brokers(t)
	topic := createTopic(t, nil, 1, 0, nil)
	ctx := deadline(t, 2*time.Minute)
	n := newNetwork(t)
	cl, err := core.NewClient(netConfig(brokers, n))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, err := cl.Request(ctx, metadataRequest(topic)); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		m    faultproxy.Mutator
		want string // in the error
	}{
		{"correlation id", faultproxy.CorruptCorrelationIDs(), "correlation id"},
		{"size over the limit", faultproxy.CorruptSizes(1 << 30), "frame size"},
		{"negative size", faultproxy.CorruptSizes(-7), "frame size"},
		{"wrong size", faultproxy.CorruptSizes(1 << 16), "waiting for the response"},
	}
	for _, tc := range cases {
		accepted := n.Stats().Accepted
		n.SetCorrupt(faultproxy.Downstream, tc.m)
		var err error
		d := within(t, tc.name+": a request under the fault", callBound, func() {
			_, err = cl.Request(ctx, metadataRequest(topic))
		})
		n.ClearAll()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Request = %v, want an error that says %q", tc.name, err, tc.want)
		} else {
			t.Logf("%s: error after %v: %v", tc.name, d.Round(time.Millisecond), err)
		}
		var rerr error
		within(t, tc.name+": recovery", recoveryBound, func() {
			for end := time.Now().Add(recoveryBound); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
				if _, rerr = cl.Request(ctx, metadataRequest(topic)); rerr == nil {
					return
				}
			}
		})
		if rerr != nil {
			t.Errorf("%s: no recovery after the fault cleared: %v", tc.name, rerr)
		}
		if n.Stats().Accepted == accepted {
			t.Errorf("%s: the client did not reconnect (the corrupt connection cannot be reused)", tc.name)
		}
	}
	if s := n.Stats(); s.Corrupted < int64(len(cases)) {
		t.Errorf("only %d frames corrupted: the cases proved little", s.Corrupted)
	}

	// A consumer polling while the header faults come and go reads every
	// record once the last one clears.
	p, err := core.NewProducer(core.ProducerConfig{Config: netConfig(brokers, nil), BatchSize: 1024})
	if err != nil {
		t.Fatal(err)
	}
	l := newLedger()
	produce(ctx, t, p, topic, 1, 500, 50, l)
	_ = p.Close(ctx)
	c, err := core.NewConsumer(core.ConsumerConfig{Config: netConfig(brokers, n), MaxPartitionFetchBytes: 2048, FetchMaxBytes: 4096, MaxBufferedBytes: 4096})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tps := topicPartitions(topic, 1)
	_ = c.Assign(tps...)
	_ = c.SeekToBeginning(tps...)
	consumed := map[int32][]rec{}
	start := time.Now()
	for i := 0; !reached(consumed, map[core.TopicPartition]int64{tps[0]: 500}, &sync.Mutex{}); i++ {
		if time.Since(start) > 60*time.Second {
			t.Fatalf("consumer read %d of 500 records in 60s", total(consumed))
		}
		if i < 3*len(cases) { // a different fault every 3 polls, then none
			n.SetCorrupt(faultproxy.Downstream, cases[i/3].m)
		} else {
			n.ClearAll()
		}
		pctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		fs, err := c.Poll(pctx)
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Poll under header corruption: %v (a transport fault, not the partition's: it must be retried, not returned)", err)
		}
		for _, f := range fs {
			for _, r := range f.Records {
				consumed[f.Partition] = append(consumed[f.Partition], rec{Offset: r.Offset, Value: string(r.Value)})
			}
		}
	}
	v := check(l, consumed)
	requireClean(t, v)
	if v.Gaps > 0 {
		t.Errorf("%d offset gaps", v.Gaps)
	}
}
