package core_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/kafka3/kafka3-go/assignors"
	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// These tests drive the group membership engine on fake hosts (no
// fetching) against the real broker.

const groupSession = 6 * time.Second // the broker's group.min.session.timeout.ms

func groupCfg(t *testing.T, group, strategy string) core.ConsumerConfig {
	return core.ConsumerConfig{
		Config:             core.Config{BootstrapServers: kafkatest.Brokers(t), RetryBackoff: 50 * time.Millisecond},
		GroupID:            group,
		AssignmentStrategy: []string{strategy},
		SessionTimeout:     groupSession,
		HeartbeatInterval:  500 * time.Millisecond,
		MaxPollInterval:    20 * time.Second,
		DisableAutoCommit:  true,
	}
}

func startMembers(t *testing.T, n int, cfg core.ConsumerConfig, topic string) []*core.GroupTestMember {
	t.Helper()
	ms := make([]*core.GroupTestMember, n)
	for i := range ms {
		ms[i] = startMember(t, cfg, topic)
	}
	return ms
}

func startMember(t *testing.T, cfg core.ConsumerConfig, topic string) *core.GroupTestMember {
	t.Helper()
	m, err := core.NewGroupTestMember(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = m.Close(ctx)
	})
	m.Subscribe(topic)
	return m
}

// waitSettled waits until the members' partitions are disjoint, cover the
// topic's n partitions, and (when counts is not nil) have these sizes.
func waitSettled(t *testing.T, within time.Duration, ms []*core.GroupTestMember, n int, counts ...int) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		err := settled(ms, n, counts)
		if err == nil {
			return time.Since(start)
		}
		if time.Since(start) > within {
			t.Fatalf("not settled after %v: %v; members %v", within, err, ms)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func settled(ms []*core.GroupTestMember, n int, counts []int) error {
	owner := map[core.GroupTP]int{}
	var sizes []int
	for i, m := range ms {
		owned := m.Owned()
		sizes = append(sizes, len(owned))
		for _, tp := range owned {
			if j, dup := owner[tp]; dup {
				return fmt.Errorf("%v owned by members %d and %d", tp, j, i)
			}
			owner[tp] = i
		}
	}
	if len(owner) != n {
		return fmt.Errorf("%d of %d partitions owned", len(owner), n)
	}
	if counts != nil {
		got, want := slices.Sorted(slices.Values(sizes)), slices.Sorted(slices.Values(counts))
		if !slices.Equal(got, want) {
			return fmt.Errorf("sizes %v, want %v", sizes, counts)
		}
	}
	return nil
}

func TestGroupEngineSettlesLeavesAndDies(t *testing.T) {
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 12, nil)
	cfg := groupCfg(t, kafkatest.Topic(t), "range")
	ms := startMembers(t, 3, cfg, topic)
	d := waitSettled(t, 30*time.Second, ms, 12, 4, 4, 4)
	t.Logf("3 members settled in %v", d)

	// A member that leaves (LeaveGroup): its partitions move at once.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ms[0].Close(ctx); err != nil {
		t.Fatal(err)
	}
	d = waitSettled(t, groupSession, ms[1:], 12, 6, 6)
	t.Logf("after LeaveGroup: settled in %v", d)

	// A member that dies (no LeaveGroup): moved within the session timeout.
	ms[1].Abandon()
	d = waitSettled(t, groupSession+3*time.Second, ms[2:], 12, 12)
	t.Logf("after a silent death: settled in %v", d)
	for _, ev := range ms[2].Events() {
		if ev.Kind == "lost" {
			t.Fatalf("surviving member lost partitions: %+v", ev)
		}
	}
}

func TestGroupEngineCooperativeStickyKeepsPartitions(t *testing.T) {
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 12, nil)
	cfg := groupCfg(t, kafkatest.Topic(t), "cooperative-sticky")
	ms := startMembers(t, 3, cfg, topic)
	waitSettled(t, 30*time.Second, ms, 12, 4, 4, 4)
	before := make([][]core.GroupTP, 3)
	nEvents := make([]int, 3)
	for i, m := range ms {
		before[i] = m.Owned()
		nEvents[i] = len(m.Events())
	}

	ms = append(ms, startMember(t, cfg, topic))
	d := waitSettled(t, 30*time.Second, ms, 12, 3, 3, 3, 3)
	t.Logf("4th member settled in %v", d)
	for i := range 3 {
		after := ms[i].Owned()
		for _, tp := range after {
			if !slices.Contains(before[i], tp) {
				t.Errorf("member %d gained %v", i, tp)
			}
		}
		for _, ev := range ms[i].Events()[nEvents[i]:] {
			switch ev.Kind {
			case "lost":
				t.Errorf("member %d lost %v", i, ev.Partitions)
			case "revoked":
				for _, tp := range ev.Partitions {
					if slices.Contains(after, tp) {
						t.Errorf("member %d: %v was revoked but it kept it", i, tp)
					}
				}
				if len(ev.Partitions) != 1 {
					t.Errorf("member %d: revoked %v, want exactly one partition moved", i, ev.Partitions)
				}
			}
		}
	}
}

func TestGroupEngineEagerRevokesEverything(t *testing.T) {
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 12, nil)
	cfg := groupCfg(t, kafkatest.Topic(t), "roundrobin")
	ms := startMembers(t, 2, cfg, topic)
	waitSettled(t, 30*time.Second, ms, 12, 6, 6)
	n := len(ms[0].Events())
	ms = append(ms, startMember(t, cfg, topic))
	waitSettled(t, 30*time.Second, ms, 12, 4, 4, 4)
	evs := ms[0].Events()[n:]
	if len(evs) < 2 || evs[0].Kind != "revoked" || len(evs[0].Partitions) != 6 {
		t.Fatalf("eager member did not revoke all 6 partitions before rejoining: %+v", evs)
	}
}

func TestGroupEngineStaticMemberRestart(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 2, 3, kafkatest.StaticMembership)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 12, nil)
	cfg := groupCfg(t, kafkatest.Topic(t), "range")
	ms := startMembers(t, 2, cfg, topic)
	static := cfg
	static.GroupInstanceID = "static-1"
	ms = append(ms, startMember(t, static, topic))
	waitSettled(t, 30*time.Second, ms, 12, 4, 4, 4)
	owned := ms[2].Owned()
	_, gen := ms[0].Generation()
	nEvents := []int{len(ms[0].Events()), len(ms[1].Events())}

	ms[2].Abandon() // a crash: static members never send LeaveGroup on close
	time.Sleep(time.Second)
	ms[2] = startMember(t, static, topic)
	waitSettled(t, 10*time.Second, ms, 12, 4, 4, 4)
	if got := ms[2].Owned(); !slices.Equal(got, owned) {
		t.Fatalf("restarted static member owns %v, had %v", got, owned)
	}
	time.Sleep(2 * time.Second) // a rebalance would show by now
	for i := range 2 {
		if _, g := ms[i].Generation(); g != gen {
			t.Errorf("member %d moved from generation %d to %d: the restart rebalanced", i, gen, g)
		}
		if evs := ms[i].Events()[nEvents[i]:]; len(evs) > 0 {
			t.Errorf("member %d saw %+v", i, evs)
		}
	}
}

func TestGroupEngineCommitRoundTrip(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 2, 1, kafkatest.CommitLeaderEpoch)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 3, nil)
	cfg := groupCfg(t, kafkatest.Topic(t), "range")
	m := startMember(t, cfg, topic)
	waitSettled(t, 30*time.Second, []*core.GroupTestMember{m}, 3, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	want := map[core.GroupTP]core.GroupOffset{
		{Topic: topic, Partition: 0}: {Offset: 10, LeaderEpoch: 0, Metadata: "meta-0"},
		{Topic: topic, Partition: 2}: {Offset: 42, LeaderEpoch: -1},
	}
	if err := m.Commit(ctx, want); err != nil {
		t.Fatal(err)
	}
	parts := []core.GroupTP{{Topic: topic, Partition: 0}, {Topic: topic, Partition: 1}, {Topic: topic, Partition: 2}}
	got, err := m.Committed(ctx, parts)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("committed %v, want %v", got, want)
	}
	// Async commits apply in order: the last one wins.
	var chans []<-chan error
	for i := range 20 {
		chans = append(chans, m.CommitAsync(map[core.GroupTP]core.GroupOffset{{Topic: topic, Partition: 1}: {Offset: int64(100 + i), LeaderEpoch: -1}}))
	}
	for _, ch := range chans {
		if err := <-ch; err != nil {
			t.Fatal(err)
		}
	}
	got, err = m.Committed(ctx, parts[1:2])
	if err != nil || got[parts[1]].Offset != 119 {
		t.Fatalf("after async commits: %v %v, want offset 119", got, err)
	}
}

func TestGroupEngineAutoCommitOnRevokeAndClose(t *testing.T) {
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 4, nil)
	cfg := groupCfg(t, kafkatest.Topic(t), "roundrobin")
	cfg.DisableAutoCommit = false
	cfg.AutoCommitInterval = time.Hour // only on revoke and close
	a := startMember(t, cfg, topic)
	waitSettled(t, 30*time.Second, []*core.GroupTestMember{a}, 4, 4)
	for p := range int32(4) {
		a.SetPosition(core.GroupTP{Topic: topic, Partition: p}, int64(p+1)*10)
	}
	b := startMember(t, cfg, topic) // eager: a revokes everything, committing first
	waitSettled(t, 30*time.Second, []*core.GroupTestMember{a, b}, 4, 2, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var parts []core.GroupTP
	for p := range int32(4) {
		parts = append(parts, core.GroupTP{Topic: topic, Partition: p})
	}
	got, err := b.Committed(ctx, parts)
	if err != nil || len(got) != 4 {
		t.Fatalf("committed on revoke: %v %v", got, err)
	}
	for _, tp := range a.Owned() {
		a.SetPosition(tp, 1000)
	}
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	got, err = b.Committed(ctx, parts)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range got {
		if o.Offset == 1000 {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("close committed %d partitions at 1000, want 2: %v", n, got)
	}
}

func TestGroupEngineMaxPollIntervalLeaves(t *testing.T) {
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 6, nil)
	cfg := groupCfg(t, kafkatest.Topic(t), "range")
	cfg.MaxPollInterval = 2 * time.Second
	ms := startMembers(t, 2, cfg, topic)
	waitSettled(t, 30*time.Second, ms, 6, 3, 3)
	ms[0].Pause(true)
	d := waitSettled(t, 10*time.Second, ms[1:], 6, 6)
	t.Logf("partitions of the member that stopped polling moved in %v", d)
	ms[0].Pause(false)
	waitSettled(t, 15*time.Second, ms, 6, 3, 3)
	lost := false
	for _, ev := range ms[0].Events() {
		lost = lost || ev.Kind == "lost"
	}
	if !lost {
		t.Fatalf("member that timed out saw no lost event: %+v", ms[0].Events())
	}
}

func TestGroupEnginePatternPicksUpNewTopics(t *testing.T) {
	t.Parallel()
	first := kafkatest.CreateTopic(t, 2, nil)
	cfg := groupCfg(t, kafkatest.Topic(t), "range")
	cfg.MetadataMaxAge = 500 * time.Millisecond
	m, err := core.NewGroupTestMember(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close(context.Background())
	prefix := strings.TrimSuffix(first, first[strings.LastIndex(first, "-"):])
	m.SubscribePattern(regexp.MustCompile("^" + regexp.QuoteMeta(prefix) + "-"))
	waitSettled(t, 30*time.Second, []*core.GroupTestMember{m}, 2, 2)
	second := kafkatest.CreateTopic(t, 3, nil)
	d := waitSettled(t, 30*time.Second, []*core.GroupTestMember{m}, 5, 5)
	t.Logf("new topic %s picked up in %v", second, d)
}

func TestGroupEngineAutoCommitInterval(t *testing.T) {
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 2, nil)
	cfg := groupCfg(t, kafkatest.Topic(t), "range")
	cfg.DisableAutoCommit, cfg.AutoCommitInterval = false, 200*time.Millisecond
	m := startMember(t, cfg, topic)
	waitSettled(t, 30*time.Second, []*core.GroupTestMember{m}, 2, 2)
	tp := core.GroupTP{Topic: topic, Partition: 1}
	m.SetPosition(tp, 17)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		got, err := m.Committed(ctx, []core.GroupTP{tp})
		if err != nil {
			t.Fatal(err)
		}
		if got[tp].Offset == 17 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}
