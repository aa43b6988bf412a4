package reliability

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A network partition between brokers, on the 3-node cluster of make
// reliability when its nodes run in network namespaces (scripts/kafka with
// KAFKA3_NETNS): scripts/kafka cut drops the packets between two nodes in
// both directions, while the client on this host still reaches every node.

// partitioned reports whether the cluster's nodes run in network namespaces.
func (cl *cluster) partitioned() bool {
	_, err := os.Stat(filepath.Join(cl.state, "netns"))
	return err == nil
}

// scriptsKafka runs scripts/kafka with args on the cluster's state.
func (cl *cluster) scriptsKafka(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command(filepath.Join("..", "scripts", "kafka"), args...)
	cmd.Env = append(os.Environ(), "KAFKA3_STATE="+cl.state)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/kafka %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// isolate cuts node id off from the two other nodes; heal undoes it.
func (cl *cluster) isolate(t *testing.T, id int32) {
	t.Helper()
	for other := int32(1); other <= 3; other++ {
		if other != id {
			cl.scriptsKafka(t, "cut", strconv.Itoa(int(id)), strconv.Itoa(int(other)))
		}
	}
}

// TestClusterBrokerPartitioned isolates the leader of partition 0 from the
// other two brokers (replication and the controller quorum) for 20 s while
// an idempotent acks=all producer sends to every partition and a consumer
// reads them; the client reaches all three brokers throughout. The cluster
// fences the isolated broker after its session timeout and moves its
// leaderships, while the isolated broker, unaware, may still take requests
// as the leader: a zombie. Checked: the partitions of the other leaders are
// acknowledged and read again once the broker is fenced, and the producer
// follows the isolated broker's partitions to their new leaders (the
// consumer, like Java's, keeps fetching nothing from the zombie until the
// heal tells it that it is no longer the leader); after the heal every
// record sent is acknowledged and read once and in order (the zombie's
// unreplicated appends are truncated away, and their retries must neither be
// lost nor duplicated).
func TestClusterBrokerPartitioned(t *testing.T) {
	cl := relCluster(t)
	if !cl.partitioned() {
		t.Skip("a partition between brokers needs the cluster's nodes in network namespaces: make reliability starts them so when run as root with iproute2 (KAFKA3_NETNS)")
	}
	const partitions = 6
	const hold = 20 * time.Second
	ctx := deadline(t, 5*time.Minute)
	topic := createTopic(t, cl.brokers, partitions, 3, map[string]string{"min.insync.replicas": "2"})
	tr := startTraffic(ctx, t, netConfig(cl.brokers, nil), topic, partitions, "during the partition")
	fl := tr.fl
	time.Sleep(2 * time.Second)
	before, err := cl.describe(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	zombie := before[0].Leader
	cl.isolate(t, zombie)
	healed := false
	defer func() {
		if !healed {
			cl.scriptsKafka(t, "heal")
		}
	}()
	cut := time.Now()
	// The controller fences the broker after its session timeout (9 s by
	// default) and takes it out of every ISR; measure after that.
	time.Sleep(hold / 2)
	acked0, read0 := fl.snapshot()
	time.Sleep(hold / 2)
	acked1, read1 := fl.snapshot()
	during, _ := cl.describe(ctx, topic)
	cl.scriptsKafka(t, "heal")
	healed = true
	cleared := time.Now()
	var others, othersMoved, zombies, zombiesAcked, zombiesRead int
	for _, pd := range before {
		moving := acked1[pd.Partition] > acked0[pd.Partition] && read1[pd.Partition] > read0[pd.Partition]
		if pd.Leader == zombie {
			zombies++
			if acked1[pd.Partition] > acked0[pd.Partition] {
				zombiesAcked++
			}
			if read1[pd.Partition] > read0[pd.Partition] {
				zombiesRead++
			}
			continue
		}
		others++
		if moving {
			othersMoved++
		} else {
			t.Errorf("partition %d (leader %d) stalled from %v to %v after broker %d was cut off from the others: acked %d -> %d, read %d -> %d",
				pd.Partition, pd.Leader, hold/2, hold, zombie, acked0[pd.Partition], acked1[pd.Partition], read0[pd.Partition], read1[pd.Partition])
		}
	}
	if zombiesAcked < zombies {
		t.Errorf("%d of the %d partitions broker %d led were not acknowledged from %v to %v after it was cut off from the cluster: the producer kept sending to a leader the cluster had replaced",
			zombies-zombiesAcked, zombies, zombie, hold/2, hold)
	}
	var leadersDuring []string
	for _, pd := range during {
		leadersDuring = append(leadersDuring, fmt.Sprintf("%d:%d", pd.Partition, pd.Leader))
	}
	time.Sleep(3 * time.Second)
	var isr time.Duration
	caughtUp, cv := tr.finish(ctx, t, cl.brokers, cleared, 90*time.Second, func() { isr = cl.waitISR(t, topic, 90*time.Second) })
	report(t, fmt.Sprintf("broker %d (leader of %d partitions) cut off from the other brokers for %v, reachable by the client: %d of %d partitions of the other leaders acknowledged and read in the second half (leaders then %s); of its own %d acknowledged, %d read; consumer caught up %v after the heal, ISR full %v after it",
		zombie, zombies, hold, othersMoved, others, strings.Join(leadersDuring, " "), zombiesAcked, zombiesRead,
		caughtUp.Round(100*time.Millisecond), isr.Round(100*time.Millisecond)), cv, time.Since(cut))
}
