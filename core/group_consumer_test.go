package core_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// KIP-848 (GroupProtocolConsumer) on the real broker. The broker sets the
// heartbeat interval and session timeout of such groups: scripts/kafka
// configures 2s and 6s (group.consumer.*), Kafka's defaults are 5s and 45s.

// consumerProtocolSession bounds how long the broker takes to notice a
// member that died silently, whichever of the two configurations it runs.
const consumerProtocolSession = 45*time.Second + 5*time.Second

func TestGroupEngineConsumerProtocol(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 4, 0, kafkatest.KIP848)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 12, nil)
	cfg := groupCfg(t, kafkatest.Topic(t), "range")
	cfg.GroupProtocol = core.GroupProtocolConsumer
	cfg.RemoteAssignor = "uniform"
	ms := startMembers(t, 3, cfg, topic)
	d := waitSettled(t, 40*time.Second, ms, 12, 4, 4, 4)
	t.Logf("3 members settled in %v", d)
	before := make([][]core.GroupTP, 3)
	nEvents := make([]int, 3)
	for i, m := range ms {
		before[i], nEvents[i] = m.Owned(), len(m.Events())
	}

	// Commits carry the member epoch.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tp := before[0][0]
	if err := ms[0].Commit(ctx, map[core.GroupTP]core.GroupOffset{tp: {Offset: 7, LeaderEpoch: -1, Metadata: "m"}}); err != nil {
		t.Fatal(err)
	}
	got, err := ms[1].Committed(ctx, []core.GroupTP{tp})
	if err != nil || got[tp].Offset != 7 || got[tp].Metadata != "m" {
		t.Fatalf("committed %v %v", got, err)
	}

	// A 4th member: only partitions that move are revoked.
	ms = append(ms, startMember(t, cfg, topic))
	d = waitSettled(t, 40*time.Second, ms, 12, 3, 3, 3, 3)
	t.Logf("4th member settled in %v", d)
	for i := range 3 {
		after := ms[i].Owned()
		for _, ev := range ms[i].Events()[nEvents[i]:] {
			if ev.Kind == "lost" {
				t.Errorf("member %d lost %v", i, ev.Partitions)
			}
			for _, tp := range ev.Partitions {
				if ev.Kind == "revoked" && slices.Contains(after, tp) {
					t.Errorf("member %d: %v revoked although kept", i, tp)
				}
			}
		}
	}

	// A member that leaves: its partitions move.
	if err := ms[3].Close(ctx); err != nil {
		t.Fatal(err)
	}
	d = waitSettled(t, 20*time.Second, ms[:3], 12, 4, 4, 4)
	t.Logf("after leaving: settled in %v", d)

	// A member that dies (no leave heartbeat): moved within the session timeout.
	ms[2].Abandon()
	d = waitSettled(t, consumerProtocolSession, ms[:2], 12, 6, 6)
	t.Logf("after a silent death: settled in %v", d)
	for i := range 2 {
		for _, ev := range ms[i].Events() {
			if ev.Kind == "lost" {
				t.Errorf("surviving member %d lost partitions: %+v", i, ev)
			}
		}
	}
}
