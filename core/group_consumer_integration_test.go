package core_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/core/record"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// End-to-end tests of Consumers in groups, on the real broker.

// produceValues appends values to one partition with a raw Produce.
func produceValues(t *testing.T, cl *core.Client, topic string, partition int32, values ...string) {
	t.Helper()
	var b record.Builder
	for _, v := range values {
		b.Append(&record.Record{Value: []byte(v)})
	}
	p := record.NoProducer()
	batch, err := b.AppendBatch(nil, &p)
	if err != nil {
		t.Error(err)
		return
	}
	req := &protocol.ProduceRequest{}
	req.Default()
	req.Acks, req.TimeoutMs = -1, 10000
	req.TopicData = []protocol.ProduceRequestTopicProduceData{{Name: topic, PartitionData: []protocol.ProduceRequestPartitionProduceData{{Index: partition, Records: batch}}}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	resp, err := core.ConsumerTestRequestCapped(ctx, cl, req, 12)
	if err != nil {
		t.Error(err)
		return
	}
	if code := resp.(*protocol.ProduceResponse).Responses[0].PartitionResponses[0].ErrorCode; code != 0 {
		t.Errorf("produce to %s-%d: %v", topic, partition, kerr.ForCode(code))
	}
}

// groupConsumer is a Consumer polling on its own goroutine, recording what
// it consumed, committing in OnPartitionsRevoked.
type groupConsumer struct {
	t    *testing.T
	c    *core.Consumer
	stop context.CancelFunc
	done chan struct{}

	mu        sync.Mutex
	seen      map[core.TopicPartition][]int64
	revokeErr []error
}

func newGroupConsumer(t *testing.T, mod func(*core.ConsumerConfig)) *groupConsumer {
	c := newTestConsumer(t, func(cfg *core.ConsumerConfig) {
		cfg.SessionTimeout, cfg.HeartbeatInterval = 6*time.Second, 500*time.Millisecond
		cfg.RetryBackoff = 50 * time.Millisecond
		if mod != nil {
			mod(cfg)
		}
	})
	return &groupConsumer{t: t, c: c, seen: map[core.TopicPartition][]int64{}, done: make(chan struct{})}
}

// start subscribes to topic and polls until stopped.
func (g *groupConsumer) start(topic string, commitInRevoke bool) {
	l := core.RebalanceListener{}
	if commitInRevoke {
		l.OnPartitionsRevoked = func(ctx context.Context, parts []core.TopicPartition) {
			offs := map[core.TopicPartition]core.OffsetAndMetadata{}
			for _, tp := range parts {
				pos, err := g.c.Position(ctx, tp)
				if err == nil {
					offs[tp] = core.OffsetAndMetadata{Offset: pos, LeaderEpoch: -1}
				}
			}
			if err := g.c.Commit(ctx, offs); err != nil {
				g.mu.Lock()
				g.revokeErr = append(g.revokeErr, err)
				g.mu.Unlock()
			}
		}
	}
	if err := g.c.Subscribe([]string{topic}, l); err != nil {
		g.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	g.stop = cancel
	go func() {
		defer close(g.done)
		for ctx.Err() == nil {
			f, err := g.c.Poll(ctx)
			if err != nil {
				if ctx.Err() == nil && !errors.Is(err, core.ErrConsumerClosed) {
					g.t.Errorf("Poll: %v", err)
				}
				return
			}
			g.mu.Lock()
			for _, p := range f {
				tp := core.TopicPartition{Topic: p.Topic, Partition: p.Partition}
				for _, r := range p.Records {
					g.seen[tp] = append(g.seen[tp], r.Offset)
				}
			}
			g.mu.Unlock()
		}
	}()
}

// close stops polling and closes the consumer (revoking, committing, leaving).
func (g *groupConsumer) close() {
	g.stop()
	<-g.done
	if err := g.c.Close(); err != nil {
		g.t.Errorf("Close: %v", err)
	}
}

func (g *groupConsumer) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for _, offs := range g.seen {
		n += len(offs)
	}
	return n
}

// waitAssigned waits until the consumers' assignments are disjoint, have
// these sizes, and stay so for half a second.
func waitAssigned(t *testing.T, within time.Duration, cs []*groupConsumer, sizes ...int) {
	t.Helper()
	deadline := time.Now().Add(within)
	var since time.Time
	for {
		ok := true
		owner := map[core.TopicPartition]bool{}
		for i, c := range cs {
			a := c.c.Assignment()
			ok = ok && len(a) == sizes[i]
			for _, tp := range a {
				ok = ok && !owner[tp]
				owner[tp] = true
			}
		}
		switch {
		case !ok:
			since = time.Time{}
		case since.IsZero():
			since = time.Now()
		case time.Since(since) > 500*time.Millisecond:
			return
		}
		if time.Now().After(deadline) {
			var got []int
			for _, c := range cs {
				got = append(got, len(c.c.Assignment()))
			}
			t.Fatalf("assignment sizes %v after %v, want %v", got, within, sizes)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func testThreeConsumers(t *testing.T, mod func(*core.ConsumerConfig)) {
	topic := kafkatest.CreateTopic(t, 12, nil)
	group := kafkatest.Topic(t)
	var cs []*groupConsumer
	for range 3 {
		c := newGroupConsumer(t, func(cfg *core.ConsumerConfig) {
			cfg.GroupID = group
			if mod != nil {
				mod(cfg)
			}
		})
		c.start(topic, false)
		cs = append(cs, c)
	}
	waitAssigned(t, 40*time.Second, cs, 4, 4, 4)
	cl := kafkatest.Client(t)
	for p := range int32(12) {
		produceValues(t, cl, topic, p, "a", "b", "c", "d", "e")
	}
	deadline := time.Now().Add(30 * time.Second)
	for cs[0].count()+cs[1].count()+cs[2].count() < 60 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // duplicates would show by now
	owner := map[core.TopicPartition]int{}
	for i, c := range cs {
		c.mu.Lock()
		for tp, offs := range c.seen {
			if j, dup := owner[tp]; dup {
				t.Errorf("%v consumed by %d and %d", tp, j, i)
			}
			owner[tp] = i
			if fmt.Sprint(offs) != "[0 1 2 3 4]" {
				t.Errorf("%v: consumer %d read offsets %v, want 0..4 once", tp, i, offs)
			}
		}
		c.mu.Unlock()
	}
	if len(owner) != 12 {
		t.Fatalf("%d partitions consumed, want 12", len(owner))
	}
}

func TestGroupThreeConsumersTwelvePartitions(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.RecordBatchV2)
	t.Parallel()
	testThreeConsumers(t, nil)
}

func TestGroupThreeConsumersConsumerProtocol(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 4, 0, kafkatest.KIP848)
	t.Parallel()
	testThreeConsumers(t, func(cfg *core.ConsumerConfig) { cfg.GroupProtocol = core.GroupProtocolConsumer })
}

// TestGroupMixedWithJavaConsoleConsumer: two kafka3-go consumers and Java's
// console consumer split 12 partitions without overlap: with the classic
// protocol and cooperative-sticky on all three, and with KIP-848.
func TestGroupMixedWithJavaConsoleConsumer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		java     string
		goMod    func(*core.ConsumerConfig)
		javaIdle string
	}{
		{"cooperative-sticky", "partition.assignment.strategy=org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
			func(cfg *core.ConsumerConfig) { cfg.AssignmentStrategy = []string{"cooperative-sticky"} }, "10000"},
		{"consumer-protocol", "group.protocol=consumer",
			func(cfg *core.ConsumerConfig) { cfg.GroupProtocol = core.GroupProtocolConsumer }, "20000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "consumer-protocol" {
				kafkatest.SkipBrokerOlderThan(t, 4, 0, kafkatest.KIP848)
			}
			kafkatest.SkipBrokerOlderThan(t, 2, 4, kafkatest.CooperativeRebalancing)
			t.Parallel()
			testMixedWithJava(t, tc.java, tc.javaIdle, tc.goMod)
		})
	}
}

func testMixedWithJava(t *testing.T, javaProp, javaIdle string, goMod func(*core.ConsumerConfig)) {
	topic := kafkatest.CreateTopic(t, 12, nil)
	group := kafkatest.Topic(t)
	javaOut := make(chan string, 1)
	go func() {
		javaOut <- kafkatest.Java(t, 90*time.Second, "org.apache.kafka.tools.consumer.ConsoleConsumer",
			"--bootstrap-server", strings.Join(kafkatest.Brokers(t), ","), "--topic", topic, "--group", group,
			"--from-beginning", "--timeout-ms", javaIdle, "--formatter-property", "print.partition=true",
			"--command-property", javaProp)
	}()
	var cs []*groupConsumer
	for range 2 {
		c := newGroupConsumer(t, func(cfg *core.ConsumerConfig) {
			cfg.GroupID = group
			cfg.AssignmentStrategy = []string{"cooperative-sticky"}
		})
		c.start(topic, false)
		cs = append(cs, c)
	}
	waitAssigned(t, 40*time.Second, cs, 4, 4) // the Java member holds the other 4
	cl := kafkatest.Client(t)
	for p := range int32(12) {
		produceValues(t, cl, topic, p, "v"+strconv.Itoa(int(p))+"-0", "v"+strconv.Itoa(int(p))+"-1")
	}
	deadline := time.Now().Add(20 * time.Second)
	for cs[0].count()+cs[1].count() < 16 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	goParts := map[int32]bool{}
	for _, c := range cs {
		c.close() // commits its positions: the Java member that takes over reads nothing again
		for tp, offs := range c.seen {
			goParts[tp.Partition] = true
			if len(offs) != 2 {
				t.Errorf("%v: go read offsets %v", tp, offs)
			}
		}
	}
	out := <-javaOut
	javaParts := map[int32]int{}
	line := regexp.MustCompile(`Partition:(\d+)\s+v(\d+)-\d`)
	for _, m := range line.FindAllStringSubmatch(out, -1) {
		p, _ := strconv.Atoi(m[1])
		javaParts[int32(p)]++
	}
	for p, n := range javaParts {
		if goParts[p] {
			t.Errorf("partition %d consumed by both kafka3-go and Java", p)
		}
		if n != 2 {
			t.Errorf("Java read %d records of partition %d, want 2", n, p)
		}
	}
	if len(goParts) != 8 || len(javaParts) != 4 {
		t.Fatalf("kafka3-go consumed %d partitions, Java %d; want 8 and 4\njava output:\n%s", len(goParts), len(javaParts), out)
	}
}

// TestGroupCommitInRevokeUnderLoad: while records are produced, consumers
// join and leave; each commits its positions in OnPartitionsRevoked. No
// record is lost, and none is consumed twice (every rebalance is orderly).
func TestGroupCommitInRevokeUnderLoad(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.RecordBatchV2)
	t.Parallel()
	for _, tc := range []struct {
		name string
		mod  func(*core.ConsumerConfig)
	}{
		{"eager", func(cfg *core.ConsumerConfig) { cfg.AssignmentStrategy = []string{"range"} }},
		{"cooperative", func(cfg *core.ConsumerConfig) { cfg.AssignmentStrategy = []string{"cooperative-sticky"} }},
		{"consumer-protocol", func(cfg *core.ConsumerConfig) { cfg.GroupProtocol = core.GroupProtocolConsumer }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "consumer-protocol" {
				kafkatest.SkipBrokerOlderThan(t, 4, 0, kafkatest.KIP848)
			}
			t.Parallel()
			testCommitInRevokeUnderLoad(t, tc.mod)
		})
	}
}

func testCommitInRevokeUnderLoad(t *testing.T, mod func(*core.ConsumerConfig)) {
	topic := kafkatest.CreateTopic(t, 12, nil)
	group := kafkatest.Topic(t)
	mk := func() *groupConsumer {
		c := newGroupConsumer(t, func(cfg *core.ConsumerConfig) {
			cfg.GroupID, cfg.DisableAutoCommit = group, true
			cfg.MaxPollRecords = 7
			mod(cfg)
		})
		c.start(topic, true)
		return c
	}
	first := mk()
	waitAssigned(t, 30*time.Second, []*groupConsumer{first}, 12)

	const rounds, perBatch = 40, 5
	produced := make(chan struct{})
	go func() {
		defer close(produced)
		cl := kafkatest.Client(t)
		for i := range rounds {
			for p := range int32(12) {
				produceValues(t, cl, topic, p, strings.Split(strings.Repeat(strconv.Itoa(i)+",", perBatch-1)+"x", ",")...)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	all := []*groupConsumer{first}
	time.Sleep(500 * time.Millisecond)
	all = append(all, mk())
	time.Sleep(time.Second)
	all = append(all, mk())
	time.Sleep(time.Second)
	first.close() // leaves: its partitions move to the others
	<-produced
	live := all[1:]
	total := 12 * rounds * perBatch
	deadline := time.Now().Add(30 * time.Second)
	count := func() int {
		seen := map[string]bool{}
		for _, c := range all {
			c.mu.Lock()
			for tp, offs := range c.seen {
				for _, o := range offs {
					seen[fmt.Sprint(tp, o)] = true
				}
			}
			c.mu.Unlock()
		}
		return len(seen)
	}
	for count() < total && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	for _, c := range live {
		c.close()
	}
	dups, distinct := 0, count()
	for _, c := range all {
		dups += c.count()
		for _, err := range c.revokeErr {
			t.Errorf("commit in OnPartitionsRevoked: %v", err)
		}
	}
	dups -= distinct
	t.Logf("%d records, %d distinct consumed, %d consumed twice", total, distinct, dups)
	if distinct != total {
		t.Fatalf("lost %d records", total-distinct)
	}
	if dups != 0 {
		t.Errorf("%d records consumed twice although every rebalance committed in OnPartitionsRevoked", dups)
	}
}

// TestGroupStartsAtCommittedOffsets: a consumer commits what it consumed
// and closes; the next member of the group starts there.
func TestGroupStartsAtCommittedOffsets(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.RecordBatchV2)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 2, nil)
	group := kafkatest.Topic(t)
	cl := kafkatest.Client(t)
	for p := range int32(2) {
		produceValues(t, cl, topic, p, "0", "1", "2", "3", "4", "5")
	}
	ic := &commitRecorder{}
	mk := func() *core.Consumer {
		return newTestConsumer(t, func(cfg *core.ConsumerConfig) {
			cfg.GroupID, cfg.DisableAutoCommit, cfg.MaxPollRecords = group, true, 4
			cfg.Interceptors = []core.Interceptor{ic}
		})
	}
	a := mk()
	assigned := make(chan []core.TopicPartition, 1)
	if err := a.Subscribe([]string{topic}, core.RebalanceListener{
		OnPartitionsAssigned: func(_ context.Context, parts []core.TopicPartition) { assigned <- parts },
	}); err != nil {
		t.Fatal(err)
	}
	got := consumeN(t, a, 4, 30*time.Second)
	if parts := <-assigned; len(parts) != 2 {
		t.Fatalf("OnPartitionsAssigned got %v", parts)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := a.Commit(ctx, nil); err != nil { // the positions
		t.Fatal(err)
	}
	if n, err := ic.last(); n != 2 || err != nil {
		t.Fatalf("OnCommit saw %d offsets, err %v; want the 2 committed", n, err)
	}
	want := map[int32]int64{}
	for p, recs := range got {
		want[p] = recs[len(recs)-1].offset + 1
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	b := mk()
	if err := b.Subscribe([]string{topic}, core.RebalanceListener{}); err != nil {
		t.Fatal(err)
	}
	rest := consumeN(t, b, 12-4, 30*time.Second)
	for p, recs := range rest {
		if recs[0].offset != want[p] {
			t.Errorf("partition %d: the next member started at %d, want the committed %d", p, recs[0].offset, want[p])
		}
	}
	committed, err := b.Committed(ctx, core.TopicPartition{Topic: topic, Partition: 0})
	if err != nil || committed[core.TopicPartition{Topic: topic, Partition: 0}].Offset != want[0] {
		t.Fatalf("Committed: %v %v, want %d", committed, err, want[0])
	}
}

// TestGroupUnsubscribe: Unsubscribe revokes everything through the
// listener and leaves; Assign works afterwards, and not before.
func TestGroupUnsubscribe(t *testing.T) {
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 3, nil)
	c := newTestConsumer(t, func(cfg *core.ConsumerConfig) { cfg.GroupID = kafkatest.Topic(t) })
	var revoked []core.TopicPartition
	if err := c.SubscribePattern(regexp.MustCompile("^"+regexp.QuoteMeta(topic)+"$"), core.RebalanceListener{
		OnPartitionsRevoked: func(_ context.Context, parts []core.TopicPartition) { revoked = append(revoked, parts...) },
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for len(c.Assignment()) != 3 {
		pctx, pcancel := context.WithTimeout(ctx, 100*time.Millisecond)
		_, err := c.Poll(pctx)
		pcancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatal(err)
		}
		if ctx.Err() != nil {
			t.Fatalf("assignment %v", c.Assignment())
		}
	}
	if err := c.Assign(core.TopicPartition{Topic: topic}); err == nil {
		t.Fatal("Assign while subscribed succeeded")
	}
	if err := c.Unsubscribe(); err != nil {
		t.Fatal(err)
	}
	if len(revoked) != 3 || len(c.Assignment()) != 0 {
		t.Fatalf("after Unsubscribe: revoked %v, assignment %v", revoked, c.Assignment())
	}
	if err := c.Assign(core.TopicPartition{Topic: topic}); err != nil {
		t.Fatal(err)
	}
}

// TestGroupManualAssignmentCommits: with GroupID and partitions assigned by
// hand (no subscription), commits use no generation, as in Java.
func TestGroupManualAssignmentCommits(t *testing.T) {
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, nil)
	c := newTestConsumer(t, func(cfg *core.ConsumerConfig) { cfg.GroupID = kafkatest.Topic(t) })
	tp := core.TopicPartition{Topic: topic}
	if err := c.Assign(tp); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := c.Commit(ctx, map[core.TopicPartition]core.OffsetAndMetadata{tp: {Offset: 3, LeaderEpoch: -1, Metadata: "by hand"}}); err != nil {
		t.Fatal(err)
	}
	got, err := c.Committed(ctx, tp)
	if err != nil || got[tp].Offset != 3 || got[tp].Metadata != "by hand" {
		t.Fatalf("Committed: %v %v", got, err)
	}
	if err := c.Subscribe([]string{topic}, core.RebalanceListener{}); err == nil {
		t.Fatal("Subscribe with partitions assigned by hand succeeded")
	}
}

// commitRecorder is a CommitInterceptor remembering the last commit.
type commitRecorder struct {
	mu  sync.Mutex
	n   int
	err error
}

func (r *commitRecorder) OnCommit(_ context.Context, _ time.Time, offsets map[core.TopicPartition]core.OffsetAndMetadata, err error) {
	r.mu.Lock()
	r.n, r.err = len(offsets), err
	r.mu.Unlock()
}

func (r *commitRecorder) last() (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n, r.err
}

// TestGroupCommitAfterPollTimeoutFailsFast: a member that did not poll
// within MaxPollInterval has left the group and rejoins only at its next
// Poll, so Commit fails at once saying so (Java's CommitFailedException)
// instead of waiting out its context; after a Poll it commits again.
func TestGroupCommitAfterPollTimeoutFailsFast(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.RecordBatchV2)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, nil)
	c := newTestConsumer(t, func(cfg *core.ConsumerConfig) {
		cfg.GroupID, cfg.DisableAutoCommit = kafkatest.Topic(t), true
		cfg.MaxPollInterval, cfg.HeartbeatInterval = 2*time.Second, 200*time.Millisecond
	})
	if err := c.Subscribe([]string{topic}, core.RebalanceListener{}); err != nil {
		t.Fatal(err)
	}
	pollUntilAssigned(t, c, 30*time.Second)
	time.Sleep(3 * time.Second) // past MaxPollInterval: the heartbeat loop leaves
	tp := core.TopicPartition{Topic: topic, Partition: 0}
	offsets := map[core.TopicPartition]core.OffsetAndMetadata{tp: {Offset: 0, LeaderEpoch: -1}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	err := c.Commit(ctx, offsets)
	if err == nil || !strings.Contains(err.Error(), "MaxPollInterval") {
		t.Fatalf("Commit after the poll timeout: %v, want an error naming MaxPollInterval", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Commit took %v to fail; it should not wait for a rejoin that needs a Poll", d)
	}
	// The next Poll reports the partitions lost and rejoins; Commit waits
	// for the new generation.
	pctx, pcancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer pcancel()
	_, _ = c.Poll(pctx)
	if err := c.Commit(ctx, offsets); err != nil {
		t.Fatalf("Commit after polling again: %v", err)
	}
}

// pollUntilAssigned polls c until it owns a partition.
func pollUntilAssigned(t *testing.T, c *core.Consumer, limit time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for len(c.Assignment()) == 0 {
		pctx, pcancel := context.WithTimeout(ctx, 200*time.Millisecond)
		_, err := c.Poll(pctx)
		pcancel()
		if ctx.Err() != nil {
			t.Fatalf("no assignment within %v (last Poll: %v)", limit, err)
		}
	}
}
