package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/kafka3/kafka3-go/assignors"
	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// The broker faults need a 3-node cluster of their own (they kill brokers):
// make reliability starts one with scripts/kafka (KAFKA3_STATE, a separate
// KAFKA3_PORT_BASE) and passes its state directory and addresses as
// KAFKA3_REL_STATE and KAFKA3_REL_BROKERS. Without them these tests skip,
// also under CI, which never runs them.

type cluster struct {
	state   string
	brokers []string
	admin   *core.Admin
	client  *core.Client
}

func relCluster(t *testing.T) *cluster {
	t.Helper()
	state, brokers := os.Getenv("KAFKA3_REL_STATE"), os.Getenv("KAFKA3_REL_BROKERS")
	if state == "" || brokers == "" {
		t.Skip("broker faults need their own 3-node cluster: run `make reliability` (KAFKA3_REL_STATE and KAFKA3_REL_BROKERS are not set)")
	}
	cl := &cluster{state: state, brokers: strings.Split(brokers, ",")}
	cfg := core.Config{BootstrapServers: cl.brokers, Logger: quiet, RequestTimeout: 10 * time.Second}
	var err error
	if cl.admin, err = core.NewAdmin(core.AdminConfig{Config: cfg}); err != nil {
		t.Fatal(err)
	}
	if cl.client, err = core.NewClient(cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.admin.Close(); _ = cl.client.Close() })
	return cl
}

func (cl *cluster) nodeDir(i int32) string { return filepath.Join(cl.state, fmt.Sprintf("node%d", i)) }

func (cl *cluster) pid(t *testing.T, i int32) int {
	b, err := os.ReadFile(filepath.Join(cl.nodeDir(i), "pid"))
	if err != nil {
		t.Fatalf("node %d: %v", i, err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatalf("node %d pid: %v", i, err)
	}
	return pid
}

// kill sends SIGKILL to node i and waits until it is gone; it returns the
// command line and working directory to restart it with.
func (cl *cluster) kill(t *testing.T, i int32) (argv []string, dir string) {
	t.Helper()
	pid := cl.pid(t, i)
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		t.Fatalf("node %d (pid %d) is not running: %v", i, pid, err)
	}
	argv = strings.Split(strings.TrimRight(string(raw), "\x00"), "\x00")
	dir, _ = os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 node %d: %v", i, err)
	}
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil || bytes.Contains(st, []byte(") Z ")) {
			return argv, dir
		}
	}
	t.Fatalf("node %d (pid %d) still alive 10s after SIGKILL", i, pid)
	return nil, ""
}

// restart relaunches node i with its old command line, detached, its output
// appended to its stdout.log, and records the new pid where scripts/kafka
// stop looks for it.
func (cl *cluster) restart(t *testing.T, i int32, argv []string, dir string) {
	t.Helper()
	out, err := os.OpenFile(filepath.Join(cl.nodeDir(i), "stdout.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if ns, err := os.ReadFile(filepath.Join(cl.state, "netns")); err == nil {
		// Back into the node's network namespace (scripts/kafka's
		// KAFKA3_NETNS); nsenter execs the broker, keeping its pid.
		argv = append([]string{"nsenter", "--net=/var/run/netns/" + strings.TrimSpace(string(ns)) + strconv.Itoa(int(i))}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("restart node %d: %v", i, err)
	}
	if err := os.WriteFile(filepath.Join(cl.nodeDir(i), "pid"), []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Process.Release()
	// Wait until it listens again (its address is the i-th bootstrap one).
	addr := cl.brokers[i-1]
	for end := time.Now().Add(2 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_ = c.Close()
			return
		}
		if time.Now().After(end) {
			t.Fatalf("restarted node %d does not listen on %s after 2 minutes: %v", i, addr, err)
		}
	}
}

// controller is the KRaft quorum's leader as the live nodes' quorum-state
// files say (the highest epoch wins).
func (cl *cluster) controller(t *testing.T) int32 {
	t.Helper()
	best, epoch := int32(-1), -1
	for i := int32(1); i <= 3; i++ {
		b, err := os.ReadFile(filepath.Join(cl.nodeDir(i), "data", "__cluster_metadata-0", "quorum-state"))
		if err != nil {
			continue
		}
		var qs struct {
			LeaderID    int32 `json:"leaderId"`
			LeaderEpoch int   `json:"leaderEpoch"`
		}
		if json.Unmarshal(b, &qs) == nil && qs.LeaderEpoch > epoch && qs.LeaderID > 0 {
			best, epoch = qs.LeaderID, qs.LeaderEpoch
		}
	}
	if best < 0 {
		t.Fatal("no quorum-state names a controller")
	}
	return best
}

// describe returns the topic's partitions.
func (cl *cluster) describe(ctx context.Context, topic string) ([]core.PartitionDescription, error) {
	ds, err := cl.admin.DescribeTopics(ctx, topic)
	if err != nil {
		return nil, err
	}
	if ds[0].Err != nil {
		return nil, ds[0].Err
	}
	return ds[0].Partitions, nil
}

// waitISR waits until all 3 brokers are registered (a restarted one shows
// in the metadata once unfenced) and every partition has all 3 replicas in
// sync.
func (cl *cluster) waitISR(t *testing.T, topic string, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for ctx.Err() == nil {
		d, err := cl.admin.DescribeCluster(ctx, false)
		if err == nil && len(d.Brokers) == 3 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	for ctx.Err() == nil {
		ps, err := cl.describe(ctx, topic)
		full := err == nil && len(ps) > 0
		for _, p := range ps {
			if p.Leader < 0 || len(p.ISR) < 3 {
				full = false
			}
		}
		if full {
			return time.Since(start)
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("topic %s: ISR not full %v after the restart", topic, limit)
	return 0
}

// moveLeaders rotates every partition's replica list (so that its preferred
// replica is not its leader) with AlterPartitionReassignments, then runs
// preferred leader elections until a leader moved; it returns how many
// partitions changed leader.
func (cl *cluster) moveLeaders(t *testing.T, topic string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	before, err := cl.describe(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	req := &protocol.AlterPartitionReassignmentsRequest{}
	req.Default()
	req.TimeoutMs = 30000
	rt := protocol.AlterPartitionReassignmentsRequestReassignableTopic{Name: topic}
	var parts []int32
	for _, p := range before {
		// Rotate the replicas until the preferred one is not the leader
		// (after failovers the leader is often not the preferred replica,
		// and one rotation could make it preferred: nothing would move).
		rot := append([]int32{}, p.Replicas...)
		for range len(rot) {
			rot = append(rot[1:], rot[0])
			if rot[0] != p.Leader {
				break
			}
		}
		rt.Partitions = append(rt.Partitions, protocol.AlterPartitionReassignmentsRequestReassignablePartition{PartitionIndex: p.Partition, Replicas: rot})
		parts = append(parts, p.Partition)
	}
	req.Topics = []protocol.AlterPartitionReassignmentsRequestReassignableTopic{rt}
	var resp protocol.Response
	for attempt := 0; ; attempt++ { // the low-level Client does not retry
		if resp, err = cl.client.Request(ctx, req); err == nil || attempt == 20 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("AlterPartitionReassignments: %v", err)
	}
	r := resp.(*protocol.AlterPartitionReassignmentsResponse)
	if r.ErrorCode != 0 {
		t.Fatalf("AlterPartitionReassignments: %v", kerr.ForCode(r.ErrorCode))
	}
	for _, tr := range r.Responses {
		for _, pr := range tr.Partitions {
			if pr.ErrorCode != 0 {
				t.Fatalf("AlterPartitionReassignments %s/%d: %v", topic, pr.PartitionIndex, kerr.ForCode(pr.ErrorCode))
			}
		}
	}
	// The reassignment only reorders replicas: it completes at once. Elect,
	// again while no leader moved (a new preferred leader may still be
	// catching up after a restart: PREFERRED_LEADER_NOT_AVAILABLE).
	moved := 0
	for round := 0; round < 10 && moved == 0; round++ {
		if round > 0 {
			time.Sleep(time.Second)
		}
		var res map[string]map[int32]error
		for attempt := 0; attempt < 20; attempt++ {
			res, err = cl.admin.ElectLeaders(ctx, core.ElectPreferred, map[string][]int32{topic: parts})
			if err == nil {
				break
			}
			time.Sleep(250 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("ElectLeaders: %v", err)
		}
		for p, e := range res[topic] {
			if e != nil && !errors.Is(e, kerr.ElectionNotNeeded) {
				t.Logf("ElectLeaders %s/%d: %v", topic, p, e)
			}
		}
		after, err := cl.describe(ctx, topic)
		if err != nil {
			t.Fatal(err)
		}
		for i := range after {
			if after[i].Leader != before[i].Leader {
				moved++
			}
		}
	}
	if moved == 0 {
		t.Errorf("no partition leader moved after rotating the replicas and 10 preferred elections")
	}
	return moved
}

// TestClusterBrokerFaults produces with an idempotent acks=all producer and
// consumes in a group that commits after every poll, on a topic with
// replication 3 and min ISR 2, while: a broker is killed (-9) and
// restarted, the KRaft controller is killed and restarted, every
// partition's leader is moved, and a partition leader is killed and
// restarted; the group member is also closed and replaced midway. Then the
// log must hold every acknowledged record once, in each sender's order per
// partition; the group must have processed every one at least once; and no
// committed offset may ever have moved backwards.
func TestClusterBrokerFaults(t *testing.T) {
	cl := relCluster(t)
	const partitions, senders = 6, 4
	topic := createTopic(t, cl.brokers, partitions, 3, map[string]string{"min.insync.replicas": "2"})
	group := kafkatest.Topic(t) + "-group"
	ctx := deadline(t, 10*time.Minute)
	start := time.Now()
	cfg := core.Config{BootstrapServers: cl.brokers, Logger: logger(), RequestTimeout: 5 * time.Second,
		RetryBackoff: 50 * time.Millisecond, RetryBackoffMax: 500 * time.Millisecond, ReconnectBackoff: 50 * time.Millisecond, ReconnectBackoffMax: 500 * time.Millisecond}

	p, err := core.NewProducer(core.ProducerConfig{Config: cfg, Acks: core.AcksAll, DeliveryTimeout: 3 * time.Minute, Linger: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())

	// Group consumer: processes (records what it saw) and commits after each poll.
	var gmu sync.Mutex
	processed := map[string]int{}
	var commitErrs atomic.Int64
	var firstCommitErr atomic.Value
	stopConsume := make(chan struct{})
	var cwg sync.WaitGroup
	commits := newCommitLog(start)
	member := func(id int, until <-chan struct{}) {
		defer cwg.Done()
		committer := &lastNode{key: (&protocol.OffsetCommitRequest{}).Key()}
		mcfg := cfg
		mcfg.Interceptors = []core.Interceptor{committer}
		c, err := core.NewConsumer(core.ConsumerConfig{Config: mcfg, GroupID: group, DisableAutoCommit: true,
			AutoOffsetReset: core.ResetEarliest, SessionTimeout: 10 * time.Second, HeartbeatInterval: time.Second})
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close()
		if err := c.Subscribe([]string{topic}, core.RebalanceListener{}); err != nil {
			t.Error(err)
			return
		}
		offs := map[core.TopicPartition]core.OffsetAndMetadata{} // to commit
		for {
			select {
			case <-until:
				return
			default:
			}
			pctx, cancel := context.WithTimeout(ctx, time.Second)
			fs, err := c.Poll(pctx)
			cancel()
			if err != nil && !errors.Is(err, context.DeadlineExceeded) {
				t.Logf("group Poll: %v", err)
				time.Sleep(100 * time.Millisecond)
			}
			gmu.Lock()
			for _, f := range fs {
				for i := range f.Records {
					processed[string(f.Records[i].Value)]++
				}
				if n := len(f.Records); n > 0 {
					offs[core.TopicPartition{Topic: f.Topic, Partition: f.Partition}] = core.NextOffset(&f.Records[n-1])
				}
			}
			gmu.Unlock()
			if len(offs) > 0 {
				byPart := map[int32]int64{}
				for tp, o := range offs {
					byPart[tp.Partition] = o.Offset
				}
				if !commits.asking(byPart) {
					continue // settling a stale read: commit these with the next poll's
				}
				cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				committer.take()
				err := c.Commit(cctx, offs)
				cancel()
				offs = map[core.TopicPartition]core.OffsetAndMetadata{}
				commits.result(id, committer.take(), byPart, err)
				if err != nil {
					if commitErrs.Add(1) == 1 {
						firstCommitErr.Store(err)
					}
					t.Logf("%5.1fs member %d: Commit %v: %v", time.Since(start).Seconds(), id, byPart, err)
				}
			}
		}
	}
	firstMember := make(chan struct{})
	cwg.Add(1)
	go member(1, firstMember)

	// Monitor: the committed offsets read back never move backwards, nor
	// fall below a commit acknowledged before the read (commits, above,
	// checks the acknowledged commits themselves).
	fetcher := &lastNode{key: (&protocol.OffsetFetchRequest{}).Key()}
	monitor, err := core.NewAdmin(core.AdminConfig{Config: core.Config{BootstrapServers: cl.brokers, Logger: quiet,
		RequestTimeout: 10 * time.Second, Interceptors: []core.Interceptor{fetcher}}})
	if err != nil {
		t.Fatal(err)
	}
	defer monitor.Close()
	readBack := func() (int32, map[int32]int64, error) {
		fetcher.take()
		mctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		offs, err := monitor.ListGroupOffsets(mctx, group, nil)
		cancel()
		if err != nil {
			return -1, nil, err
		}
		got := map[int32]int64{}
		for part, o := range offs[topic] {
			if o.Err == nil && o.Offset >= 0 {
				got[part] = o.Offset
			}
		}
		return fetcher.take(), got, nil
	}
	stopMonitor := make(chan struct{})
	monitorDone := make(chan struct{})
	go func() {
		defer close(monitorDone)
		for {
			select {
			case <-stopMonitor:
				return
			case <-time.After(100 * time.Millisecond):
			}
			before := commits.ackedNow()
			node, got, err := readBack()
			if err != nil {
				continue
			}
			if stale := commits.read(node, before, got); len(stale) > 0 {
				commits.settle(stale, readBack)
			}
		}
	}()

	// Senders.
	l := newLedger()
	stopSend := make(chan struct{})
	swg := l.send(ctx, p, topic, senders, stopSend)

	// The broker faults, in turn.
	var log []string
	note := func(format string, args ...any) {
		s := fmt.Sprintf("%5.1fs ", time.Since(start).Seconds()) + fmt.Sprintf(format, args...)
		log = append(log, s)
		commits.note(fmt.Sprintf(format, args...))
		t.Log(s)
	}
	rounds := scale(1, 2)
	injected := 0
	for round := 0; round < rounds; round++ {
		time.Sleep(3 * time.Second)
		ctrl := cl.controller(t)
		victim := int32(1 + (int(ctrl)+round)%3) // a broker that is not the controller
		if victim == ctrl {
			victim = victim%3 + 1
		}
		argv, dir := cl.kill(t, victim)
		injected++
		note("kill -9 broker %d (controller is %d)", victim, ctrl)
		time.Sleep(5 * time.Second)
		cl.restart(t, victim, argv, dir)
		note("restarted broker %d; ISR full again after %v", victim, cl.waitISR(t, topic, 2*time.Minute).Round(100*time.Millisecond))

		ctrl = cl.controller(t)
		argv, dir = cl.kill(t, ctrl)
		injected++
		note("kill -9 the controller, broker %d", ctrl)
		time.Sleep(5 * time.Second)
		cl.restart(t, ctrl, argv, dir)
		note("restarted broker %d; ISR full again after %v; controller now %d", ctrl, cl.waitISR(t, topic, 2*time.Minute).Round(100*time.Millisecond), cl.controller(t))

		if round == 0 { // replace the group member midway
			close(firstMember)
			cwg.Add(1)
			go member(2, stopConsume)
			note("closed the group member and started another")
		}

		injected++
		note("moved the leaders of %d of %d partitions (reassignment + preferred election)", cl.moveLeaders(t, topic), partitions)
		time.Sleep(2 * time.Second)

		ps, err := cl.describe(ctx, topic)
		if err != nil {
			t.Fatal(err)
		}
		leader := ps[0].Leader
		argv, dir = cl.kill(t, leader)
		injected++
		note("kill -9 broker %d, leader of partition 0", leader)
		time.Sleep(5 * time.Second)
		cl.restart(t, leader, argv, dir)
		note("restarted broker %d; ISR full again after %v", leader, cl.waitISR(t, topic, 2*time.Minute).Round(100*time.Millisecond))
		time.Sleep(2 * time.Second)
	}
	close(stopSend)
	swg.Wait()
	within(t, "Flush after the broker faults", 3*time.Minute, func() {
		if err := p.Flush(ctx); err != nil {
			t.Errorf("Flush: %v", err)
		}
	})

	// The group catches up with the log.
	ends := endOffsets(ctx, t, cl.brokers, topicPartitions(topic, partitions))
	for catchUp := time.Now(); time.Since(catchUp) < 90*time.Second; time.Sleep(500 * time.Millisecond) {
		mctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		offs, err := cl.admin.ListGroupOffsets(mctx, group, nil)
		cancel()
		if err == nil && committedAll(offs[topic], ends) {
			break
		}
	}
	close(stopConsume)
	cwg.Wait()
	close(stopMonitor)
	<-monitorDone

	lv := check(l, readAll(ctx, t, cfg, topic, partitions))
	faultsText := fmt.Sprintf("%d broker faults (%s)", injected, strings.Join(log, "; "))
	report(t, faultsText+"; log", lv, time.Since(start))
	requireClean(t, lv)
	if lv.Failed > 0 {
		t.Errorf("%d sends failed within a 3-minute delivery timeout: %v", lv.Failed, l.firstErrors())
	}

	gmu.Lock()
	missing, dups := 0, 0
	for v := range l.acked {
		if processed[v] == 0 {
			missing++
		}
	}
	for _, n := range processed {
		if n > 1 {
			dups++
		}
	}
	gmu.Unlock()
	line := fmt.Sprintf("group: %d distinct records processed, %d acknowledged ones never processed, %d processed more than once (allowed: at least once), %d commit errors (first: %v); commits: %v",
		len(processed), missing, dups, commitErrs.Load(), firstCommitErr.Load(), commits)
	report(t, line, verdict{}, time.Since(start))
	if missing > 0 {
		t.Errorf("%d acknowledged records were never processed by the group", missing)
	}
	if len(processed) < lv.Acked {
		t.Errorf("the group processed %d distinct records, fewer than the %d acknowledged", len(processed), lv.Acked)
	}
	if n := commits.violations(); n > 0 {
		t.Errorf("a committed offset moved backwards %d times: %s\nevents around them:\n%s", n, commits.details(), commits.around())
	} else if d := commits.details(); d != "" {
		t.Logf("commit episodes (none lost): %s\nevents around them:\n%s", d, commits.around())
	}
	if commits.reads < 50 || commits.commits < 50 {
		t.Errorf("only %d commits and %d read-backs: the check proved little", commits.commits, commits.reads)
	}
}

func topicPartitions(topic string, n int32) []core.TopicPartition {
	var tps []core.TopicPartition
	for i := range n {
		tps = append(tps, core.TopicPartition{Topic: topic, Partition: i})
	}
	return tps
}

func committedAll(offs map[int32]core.GroupCommittedOffset, ends map[core.TopicPartition]int64) bool {
	for tp, end := range ends {
		if o, ok := offs[tp.Partition]; !ok || o.Offset < end {
			return false
		}
	}
	return true
}
