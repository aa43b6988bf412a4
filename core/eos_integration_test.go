package core_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// eosLoop builds a TransformLoop that maps "in-N" to "out-in-N" on out,
// with a read_committed, non-auto-committing group consumer subscribed to
// in and a transactional producer, both closed at the test's end (when t
// is not nil).
func eosLoop(t testing.TB, brokers []string, in, out, group, txnID string, v int) (*core.TransformLoop, func()) {
	c, err := core.NewConsumer(core.ConsumerConfig{Config: core.Config{BootstrapServers: brokers},
		GroupID: group, GroupInstanceID: txnID, IsolationLevel: core.ReadCommitted, DisableAutoCommit: true,
		AutoOffsetReset: core.ResetEarliest, SessionTimeout: 10 * time.Second, MaxPollRecords: 20})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Subscribe([]string{in}, core.RebalanceListener{}); err != nil {
		t.Fatal(err)
	}
	p, err := core.NewProducer(core.ProducerConfig{Config: core.Config{BootstrapServers: brokers},
		TransactionalID: txnID, TransactionTimeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if v == 1 { // Run initializes v2 (where the broker has it) unless done before
		if err := core.InitTransactionsV1(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	loop := &core.TransformLoop{Consumer: c, Producer: p, PollTimeout: 300 * time.Millisecond,
		Transform: func(_ context.Context, in core.Fetches) ([]core.Record, error) {
			var outs []core.Record
			for r := range in.All() {
				outs = append(outs, core.Record{Topic: out, Key: r.Key, Value: append([]byte("out-"), r.Value...)})
			}
			return outs, nil
		}}
	closeAll := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = p.Close(ctx)
		_ = c.Close()
	}
	return loop, closeAll
}

// TestEOSChild is the loop run as a separate process by
// TestEOSLoopKilledAndRestarted; it does nothing in a normal test run.
// After KAFKA3_EOS_COMMITS committed transactions it sends the next
// batch's outputs, flushes them, prints MIDTXN and waits to be killed.
func TestEOSChild(t *testing.T) {
	args := strings.Split(os.Getenv("KAFKA3_EOS_CHILD"), ",")
	if len(args) != 7 {
		t.Skip("only run as TestEOSLoopKilledAndRestarted's child process")
	}
	brokers, in, out, group, txnID := strings.Split(args[0], " "), args[1], args[2], args[3], args[4]
	crashAfter, _ := strconv.Atoi(args[5])
	v, _ := strconv.Atoi(args[6])
	loop, _ := eosLoop(t, brokers, in, out, group, txnID, v)
	commits := 0
	loop.OnCommit = func(int, int) { commits++ }
	transform := loop.Transform
	loop.Transform = func(ctx context.Context, in core.Fetches) ([]core.Record, error) {
		outs, err := transform(ctx, in)
		if commits < crashAfter {
			return outs, err
		}
		for i := range outs {
			loop.Producer.Send(ctx, &outs[i])
		}
		_ = loop.Producer.Flush(ctx)
		fmt.Println("MIDTXN")
		select {} // kill -9 comes
	}
	t.Fatal(loop.Run(context.Background()))
}

// TestEOSLoopKilledAndRestarted: a consume-transform-produce loop killed
// with SIGKILL in the middle of a transaction (outputs written, not
// committed) and restarted with the same transactional id produces each
// input's output exactly once, as read_committed readers see it.
func TestEOSLoopKilledAndRestarted(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Transactions)
	t.Parallel()
	bothProtocols(t, testEOSLoopKilledAndRestarted)
}

func testEOSLoopKilledAndRestarted(t *testing.T, v int) {
	const n = 300
	in := kafkatest.CreateTopic(t, 3, nil)
	out := kafkatest.CreateTopic(t, 3, nil)
	group, txnID := "g-"+in, "eos-"+in
	p := newTestProducer(t, core.ProducerConfig{})
	ctx := ctxTimeout(t, 3*time.Minute)
	for i := range n {
		p.Send(ctx, &core.Record{Topic: in, Key: []byte(strconv.Itoa(i)), Value: fmt.Appendf(nil, "in-%04d", i)})
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}

	brokers := strings.Join(kafkatest.Brokers(t), " ")
	cmd := exec.Command(os.Args[0], "-test.run=^TestEOSChild$", "-test.v")
	cmd.Env = append(os.Environ(), "KAFKA3_EOS_CHILD="+strings.Join([]string{brokers, in, out, group, txnID, "4", strconv.Itoa(v)}, ","))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	mid := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "MIDTXN" {
				mid <- true
				return
			}
		}
		mid <- false
	}()
	select {
	case ok := <-mid:
		if !ok {
			_ = cmd.Wait()
			t.Fatal("the child process ended before reaching the middle of a transaction")
		}
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the child process did not reach the middle of a transaction in 90s")
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = cmd.Wait()

	loop, closeAll := eosLoop(t, kafkatest.Brokers(t), in, out, group, txnID, v)
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- loop.Run(rctx) }()
	got := readCommitted(t, out, 3, n, 3*time.Second)
	stop()
	if err := <-done; err != context.Canceled {
		t.Errorf("restarted loop: %v", err)
	}
	closeAll()

	counts := map[string]int{}
	for _, v := range got {
		counts[v]++
	}
	for i := range n {
		v := fmt.Sprintf("out-in-%04d", i)
		if counts[v] != 1 {
			t.Errorf("%s read %d times, want exactly once", v, counts[v])
		}
	}
	if len(got) != n {
		t.Errorf("read %d outputs, want %d", len(got), n)
	}
	raw := readBackCount(t, out, 3)
	t.Logf("out topic holds %d data records in all (%d committed): the killed transaction's outputs are aborted", raw, len(got))
}

// readBackCount counts every data record of topic with a read_uncommitted
// consumer, aborted ones included, reading until nothing came for 1s.
func readBackCount(t *testing.T, topic string, partitions int32) int {
	t.Helper()
	c, err := core.NewConsumer(core.ConsumerConfig{Config: core.Config{BootstrapServers: kafkatest.Brokers(t)},
		AutoOffsetReset: core.ResetEarliest})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range partitions {
		if err := c.Assign(append(c.Assignment(), core.TopicPartition{Topic: topic, Partition: i})...); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		f, _ := c.Poll(ctx)
		cancel()
		if f.NumRecords() == 0 {
			return n
		}
		n += f.NumRecords()
	}
}
