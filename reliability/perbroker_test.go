package reliability

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// Per-broker network faults on the 3-node cluster of make reliability: the
// fault proxy cuts the client off from one broker while the cluster itself
// is healthy (that broker stays the partition's leader or the group's
// coordinator), so the client cannot fail over and must keep working with
// the other brokers, then recover when the fault clears.

// brokerAddr returns the address of broker id as the cluster advertises it.
func (cl *cluster) brokerAddr(t *testing.T, ctx context.Context, id int32) string {
	t.Helper()
	d, err := cl.admin.DescribeCluster(ctx, false)
	if err != nil {
		t.Fatalf("DescribeCluster: %v", err)
	}
	for _, b := range d.Brokers {
		if b.ID == id {
			return net.JoinHostPort(b.Host, strconv.Itoa(int(b.Port)))
		}
	}
	t.Fatalf("broker %d not in the cluster %v", id, d.Brokers)
	return ""
}

// coordinator returns the id of the group's coordinator.
func (cl *cluster) coordinator(t *testing.T, ctx context.Context, group string) int32 {
	t.Helper()
	req := &protocol.FindCoordinatorRequest{}
	req.Default()
	req.CoordinatorKey, req.CoordinatorKeys = group, []string{group}
	resp, err := cl.client.Request(ctx, req)
	if err != nil {
		t.Fatalf("FindCoordinator: %v", err)
	}
	r := resp.(*protocol.FindCoordinatorResponse)
	if len(r.Coordinators) > 0 {
		return r.Coordinators[0].NodeId
	}
	return r.NodeId
}

// flow counts, per partition, the records a producer had acknowledged and a
// consumer had read, to tell which partitions kept moving during a fault.
type flow struct {
	mu    sync.Mutex
	acked map[int32]int
	read  map[int32]int
}

func newFlow() *flow { return &flow{acked: map[int32]int{}, read: map[int32]int{}} }

func (f *flow) snapshot() (acked, read map[int32]int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	acked, read = map[int32]int{}, map[int32]int{}
	for p, n := range f.acked {
		acked[p] = n
	}
	for p, n := range f.read {
		read[p] = n
	}
	return acked, read
}

// TestClusterOneBrokerCutOff cuts the client's connections to one broker
// only, on the 3-node cluster:
//
//   - the leader of partition 0 black-holed for 8 s while producing
//     (idempotent, acks=all) and consuming: the partitions led by the other
//     brokers must keep being acknowledged and read during the fault, and
//     after it everything must arrive, once and in order;
//   - the group's coordinator black-holed for 8 s, then 15 s (longer than
//     the session timeout) while a member consumes and commits: the member
//     keeps reading the partitions of the other brokers, and after the
//     fault its commits succeed again and the group processes every record;
//   - two of the three bootstrap brokers black-holed before new clients
//     start: each must bootstrap from the third within its timeouts.
func TestClusterOneBrokerCutOff(t *testing.T) {
	cl := relCluster(t)
	const partitions = 6
	ctx := deadline(t, 8*time.Minute)

	t.Run("leader", func(t *testing.T) {
		topic := createTopic(t, cl.brokers, partitions, 3, map[string]string{"min.insync.replicas": "2"})
		n := newNetwork(t)
		tr := startTraffic(ctx, t, netConfig(cl.brokers, n), topic, partitions, "while one broker is cut off")
		fl := tr.fl
		time.Sleep(2 * time.Second)
		ps, err := cl.describe(ctx, topic)
		if err != nil {
			t.Fatal(err)
		}
		leader := ps[0].Leader
		proxy, err := n.Proxy(cl.brokerAddr(t, ctx, leader))
		if err != nil {
			t.Fatal(err)
		}
		proxy.SetBlackhole(true)
		// Let requests already sent to it time out, then measure.
		time.Sleep(3 * time.Second)
		acked0, read0 := fl.snapshot()
		time.Sleep(5 * time.Second)
		acked1, read1 := fl.snapshot()
		proxy.Clear()
		cleared := time.Now()
		moved, stuck := 0, 0
		for _, pd := range ps {
			if pd.Leader == leader {
				continue
			}
			if acked1[pd.Partition] > acked0[pd.Partition] && read1[pd.Partition] > read0[pd.Partition] {
				moved++
			} else {
				stuck++
				t.Errorf("partition %d (leader %d) stalled while only broker %d was cut off: acked %d -> %d, read %d -> %d",
					pd.Partition, pd.Leader, leader, acked0[pd.Partition], acked1[pd.Partition], read0[pd.Partition], read1[pd.Partition])
			}
		}
		if moved == 0 {
			t.Fatalf("no partition of the other brokers to watch (leaders %v)", ps)
		}
		time.Sleep(2 * time.Second)
		caughtUp, cv := tr.finish(ctx, t, cl.brokers, cleared, 60*time.Second, nil)
		report(t, fmt.Sprintf("the client cut off from broker %d (leader of partition 0 and %d others) for 8s: %d partitions of the other brokers kept being acknowledged and read, %d stalled; consumer caught up %v after the clear",
			leader, partitions-moved-stuck-1, moved, stuck, caughtUp.Round(100*time.Millisecond)), cv, 0)
	})

	t.Run("coordinator", func(t *testing.T) {
		topic := createTopic(t, cl.brokers, partitions, 3, map[string]string{"min.insync.replicas": "2"})
		group := kafkatest.Topic(t) + "-group"
		p, err := core.NewProducer(core.ProducerConfig{Config: netConfig(cl.brokers, nil), Acks: core.AcksAll})
		if err != nil {
			t.Fatal(err)
		}
		l := newLedger()
		stopSend := make(chan struct{})
		swg := l.send(ctx, p, topic, 2, stopSend)
		defer func() { _ = p.Close(context.Background()) }()

		n := newNetwork(t)
		cfg := netConfig(cl.brokers, n)
		fl := newFlow()
		commits := newCommitLog(time.Now())
		processed := map[string]int{}
		var commitOK atomic.Int64
		stopConsume := make(chan struct{})
		c, err := core.NewConsumer(core.ConsumerConfig{Config: cfg, GroupID: group, DisableAutoCommit: true,
			AutoOffsetReset: core.ResetEarliest, SessionTimeout: 10 * time.Second, HeartbeatInterval: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Subscribe([]string{topic}, core.RebalanceListener{}); err != nil {
			t.Fatal(err)
		}
		consumerDone := pollLoop(ctx, c, stopConsume, func(fs core.Fetches, err error) bool {
			if err != nil {
				t.Logf("group Poll: %v", err)
				time.Sleep(100 * time.Millisecond)
			}
			offs := map[core.TopicPartition]core.OffsetAndMetadata{}
			byPart := map[int32]int64{}
			fl.mu.Lock()
			for _, f := range fs {
				for i := range f.Records {
					processed[string(f.Records[i].Value)]++
				}
				fl.read[f.Partition] += len(f.Records)
				if n := len(f.Records); n > 0 {
					o := core.NextOffset(&f.Records[n-1])
					offs[core.TopicPartition{Topic: f.Topic, Partition: f.Partition}] = o
					byPart[f.Partition] = o.Offset
				}
			}
			fl.mu.Unlock()
			if len(offs) > 0 && commits.asking(byPart) {
				cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				err := c.Commit(cctx, offs)
				cancel()
				commits.result(1, -1, byPart, err)
				if err == nil {
					commitOK.Add(1)
				}
			}
			return true
		})
		// Wait until the member reads, then cut off its coordinator.
		for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
			if _, read := fl.snapshot(); len(read) > 0 {
				break
			}
			if time.Since(start) > 60*time.Second {
				t.Fatal("the group member read nothing in 60s")
			}
		}
		coord := cl.coordinator(t, ctx, group)
		ps, err := cl.describe(ctx, topic)
		if err != nil {
			t.Fatal(err)
		}
		proxy, err := n.Proxy(cl.brokerAddr(t, ctx, coord))
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, hold := range []time.Duration{8 * time.Second, 15 * time.Second} {
			proxy.SetBlackhole(true)
			time.Sleep(3 * time.Second)
			_, read0 := fl.snapshot()
			time.Sleep(hold - 3*time.Second)
			_, read1 := fl.snapshot()
			proxy.Clear()
			cleared := time.Now()
			ok0 := commitOK.Load()
			moving := 0
			for _, pd := range ps {
				if pd.Leader != coord && read1[pd.Partition] > read0[pd.Partition] {
					moving++
				}
			}
			var recovered time.Duration
			for time.Since(cleared) < 30*time.Second && recovered == 0 {
				time.Sleep(100 * time.Millisecond)
				if commitOK.Load() > ok0 {
					recovered = time.Since(cleared)
				}
			}
			if recovered == 0 {
				t.Errorf("coordinator cut off %v: no commit succeeded within 30s of the clear", hold)
			}
			lines = append(lines, fmt.Sprintf("coordinator %d cut off %v: %d partitions of other leaders still read during it, first commit %v after the clear",
				coord, hold, moving, recovered.Round(100*time.Millisecond)))
			t.Log(lines[len(lines)-1])
			if hold < 10*time.Second && moving == 0 {
				t.Errorf("coordinator cut off %v (shorter than the session): the member stopped reading the partitions of the other brokers", hold)
			}
		}
		close(stopSend)
		swg.Wait()
		if err := p.Flush(ctx); err != nil {
			t.Errorf("Flush: %v", err)
		}
		ends := endOffsets(ctx, t, cl.brokers, topicPartitions(topic, partitions))
		caught := false
		for start := time.Now(); time.Since(start) < 60*time.Second && !caught; time.Sleep(500 * time.Millisecond) {
			offs, err := cl.admin.ListGroupOffsets(ctx, group, nil)
			caught = err == nil && committedAll(offs[topic], ends)
		}
		close(stopConsume)
		<-consumerDone
		if !caught {
			t.Errorf("the group's commits did not reach the end offsets %v within 60s", ends)
		}
		fl.mu.Lock()
		missing := 0
		l.mu.Lock()
		for v := range l.acked {
			if processed[v] == 0 {
				missing++
			}
		}
		acked := len(l.acked)
		l.mu.Unlock()
		fl.mu.Unlock()
		if missing > 0 {
			t.Errorf("%d of %d acknowledged records never processed by the group", missing, acked)
		}
		if n := commits.violations(); n > 0 {
			t.Errorf("a committed offset moved backwards %d times: %s", n, commits.details())
		}
		report(t, fmt.Sprintf("%s; group: %d acknowledged, %d never processed; commits: %v", strings.Join(lines, "; "), acked, missing, commits), verdict{}, 0)
	})

	t.Run("bootstrap", func(t *testing.T) {
		// Two of the three bootstrap brokers black-holed: each new client
		// must find the third within its timeouts, whatever order it tries
		// them in.
		n := newNetwork(t)
		for _, addr := range cl.brokers[:2] {
			px, err := n.Proxy(addr)
			if err != nil {
				t.Fatal(err)
			}
			px.SetBlackhole(true)
		}
		req := &protocol.MetadataRequest{}
		req.Default()
		req.Topics = []protocol.MetadataRequestTopic{} // none: brokers only
		var times []string
		for range 3 {
			c, err := core.NewClient(netConfig(cl.brokers, n))
			if err != nil {
				t.Fatal(err)
			}
			var rerr error
			d := within(t, "Metadata with 2 of 3 bootstrap brokers black-holed", callBound, func() {
				_, rerr = c.Request(ctx, req)
			})
			_ = c.Close()
			if rerr != nil {
				t.Errorf("Metadata with 2 of 3 bootstrap brokers black-holed: %v", rerr)
			}
			times = append(times, d.Round(10*time.Millisecond).String())
		}
		report(t, fmt.Sprintf("2 of 3 bootstrap brokers black-holed: 3 new clients answered Metadata in %s", strings.Join(times, ", ")), verdict{}, 0)
	})
}
