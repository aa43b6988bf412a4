package reliability

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// TestTransactionsUnderFaults runs transactions through one fault network
// while every fault is injected in turn (repeatedly in the long version).
// Each transaction commits, retrying CommitTransaction while it says so, or
// is aborted when it must be; a fatal error fails the test. Afterwards a
// read_committed reader on a clean network must find exactly the records
// of the committed transactions, each once and in order per partition, and
// none of the aborted ones.
func TestTransactionsUnderFaults(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Transactions)
	t.Parallel()
	const partitions, perTxn = 3, 30
	brokers := kafkatest.Brokers(t)
	topic := createTopic(t, nil, partitions, 0, nil)
	minDur := time.Duration(scale(0, 120)) * time.Second
	ctx := deadline(t, minDur+3*time.Minute)
	start := time.Now()

	n := newNetwork(t)
	p, err := core.NewProducer(core.ProducerConfig{Config: netConfig(brokers, n), TransactionalID: "rel-" + topic,
		TransactionTimeout: time.Minute, DeliveryTimeout: 90 * time.Second, Linger: 2 * time.Millisecond,
		Partitioner: core.ManualPartitioner{}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	if err := p.InitTransactions(ctx); err != nil {
		t.Fatal(err)
	}

	stop := make(chan struct{})
	var injected int
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		injected = schedule(n, ctx.Done(), minDur, 300*time.Millisecond)
		close(stop)
	}()
	var tally txnTally
	for txn := 0; ; txn++ {
		select {
		case <-stop:
		default:
			ok, r, err := runTxn(ctx, p, topic, txn, perTxn, partitions)
			if err != nil {
				t.Fatal(err)
			}
			tally.add(txn, perTxn, partitions, ok, r)
			continue
		}
		break
	}
	wg.Wait()

	tally.check(ctx, t, brokers, topic, partitions)
	t.Logf("%d faults injected; %d transactions committed, %d aborted, of %d records each; commits and aborts called again %d times (retriable); %v",
		injected, tally.committed, tally.aborted, perTxn, tally.retries, time.Since(start).Round(time.Millisecond))
}

func txnValue(txn, i int) string { return fmt.Sprintf("t%05d-%02d", txn, i) }

// runTxn sends one transaction of n records, record i to partition
// i % partitions, and commits it; it reports false when the transaction had
// to be aborted, how many times a call was made again, and an error for a
// call that failed otherwise (fatal, or out of order).
func runTxn(ctx context.Context, p *core.Producer, topic string, txn, n, partitions int) (bool, int, error) {
	if err := p.BeginTransaction(); err != nil {
		return false, 0, fmt.Errorf("transaction %d: BeginTransaction: %w", txn, err)
	}
	for i := range n {
		p.SendFunc(ctx, &core.Record{Topic: topic, Partition: int32(i % partitions), Value: []byte(txnValue(txn, i))}, nil)
	}
	ok, retries, err := txnCall(ctx, txn, "CommitTransaction", p.CommitTransaction)
	if ok || err != nil {
		return ok, retries, err
	}
	ok, r, err := txnCall(ctx, txn, "AbortTransaction", p.AbortTransaction)
	if !ok && err == nil {
		err = fmt.Errorf("transaction %d: AbortTransaction asked for an abort", txn)
	}
	return false, retries + r, err
}

// txnCall runs a commit or abort until it succeeds (true) or says the
// transaction must be aborted (false), and counts the calls made again; any
// other error is returned.
func txnCall(ctx context.Context, txn int, op string, call func(context.Context) error) (bool, int, error) {
	for retries := 0; ; retries++ {
		cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := call(cctx)
		cancel()
		switch {
		case err == nil:
			return true, retries, nil
		case errors.Is(err, core.ErrTransactionAbortable):
			return false, retries, nil
		case errors.Is(err, core.ErrTransactionRetriable) && ctx.Err() == nil:
			continue
		default:
			return false, retries, fmt.Errorf("transaction %d: %s: %w", txn, op, err)
		}
	}
}

// txnTally counts a run's transactions, and the records of the committed
// ones, per partition in order: what a read_committed reader must find.
type txnTally struct {
	committed, aborted, retries int
	want                        map[int32][]string
}

// add counts one runTxn: transaction txn of n records spread over
// partitions, committed or not, with its calls made again.
func (k *txnTally) add(txn, n, partitions int, committed bool, retries int) {
	k.retries += retries
	if !committed {
		k.aborted++
		return
	}
	k.committed++
	if k.want == nil {
		k.want = map[int32][]string{}
	}
	for i := range n {
		part := int32(i % partitions)
		k.want[part] = append(k.want[part], txnValue(txn, i))
	}
}

// check reads topic with a read_committed consumer and fails the test
// unless each partition holds exactly the committed records, in order, and
// at least one transaction committed.
func (k *txnTally) check(ctx context.Context, t *testing.T, brokers []string, topic string, partitions int32) {
	t.Helper()
	total := 0
	for _, w := range k.want {
		total += len(w)
	}
	got := readCommittedAll(ctx, t, brokers, topic, partitions, total)
	for part := range partitions {
		if i := firstDifference(got[part], k.want[part]); i >= 0 {
			t.Errorf("partition %d: read_committed read %d records, want the %d of the committed transactions in order; first difference at %d: read %s, want %s",
				part, len(got[part]), len(k.want[part]), i, at(got[part], i), at(k.want[part], i))
		}
	}
	if k.committed == 0 {
		t.Error("no transaction committed")
	}
}

// readCommittedAll reads topic from the beginning with a read_committed
// consumer on a clean network until want records arrived and a second more
// brought nothing, or a minute passed.
func readCommittedAll(ctx context.Context, t *testing.T, brokers []string, topic string, partitions int32, want int) map[int32][]string {
	t.Helper()
	c, err := core.NewConsumer(core.ConsumerConfig{Config: netConfig(brokers, nil), IsolationLevel: core.ReadCommitted,
		AutoOffsetReset: core.ResetEarliest, MaxPollRecords: 5000})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Assign(topicPartitions(topic, partitions)...); err != nil {
		t.Fatal(err)
	}
	out := map[int32][]string{}
	got := 0
	end := time.Now().Add(time.Minute)
	var settle time.Time
	for time.Now().Before(end) && (settle.IsZero() || time.Now().Before(settle)) && ctx.Err() == nil {
		pctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		fs, err := c.Poll(pctx)
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("read_committed Poll: %v", err)
		}
		for _, f := range fs {
			for _, r := range f.Records {
				out[f.Partition] = append(out[f.Partition], string(r.Value))
				got++
			}
		}
		if got >= want && settle.IsZero() {
			settle = time.Now().Add(time.Second)
		}
	}
	return out
}

// firstDifference returns the first index where a and b differ, or -1.
func firstDifference(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// at returns s[i], or "nothing" past its end.
func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "nothing"
}

// TestClusterTransactionsBrokerFaults commits transactions on a topic with
// replication 3 and min ISR 2 while each broker in turn (so the
// transaction coordinator and the controller among them) is killed with
// SIGKILL and restarted. Then a read_committed reader must find exactly the
// committed transactions' records, each once and in order per partition.
func TestClusterTransactionsBrokerFaults(t *testing.T) {
	cl := relCluster(t)
	const partitions, perTxn = 3, 30
	topic := createTopic(t, cl.brokers, partitions, 3, map[string]string{"min.insync.replicas": "2"})
	ctx := deadline(t, 10*time.Minute)
	start := time.Now()
	cfg := core.Config{BootstrapServers: cl.brokers, Logger: logger(), RequestTimeout: 5 * time.Second,
		RetryBackoff: 50 * time.Millisecond, RetryBackoffMax: 500 * time.Millisecond, ReconnectBackoff: 50 * time.Millisecond, ReconnectBackoffMax: 500 * time.Millisecond}
	p, err := core.NewProducer(core.ProducerConfig{Config: cfg, TransactionalID: "rel-" + topic, TransactionTimeout: 2 * time.Minute,
		DeliveryTimeout: 3 * time.Minute, Linger: 2 * time.Millisecond, Partitioner: core.ManualPartitioner{}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	if err := p.InitTransactions(ctx); err != nil {
		t.Fatal(err)
	}

	var tally txnTally // the transactions' goroutine's, read after done
	stop := make(chan struct{})
	done := make(chan struct{})
	var txnErr error // the transactions' goroutine's, read after done
	go func() {
		defer close(done)
		for txn := 0; ; txn++ {
			select {
			case <-stop:
				return
			default:
			}
			ok, r, err := runTxn(ctx, p, topic, txn, perTxn, partitions)
			if err != nil {
				txnErr = err
				return
			}
			tally.add(txn, perTxn, partitions, ok, r)
		}
	}()

	for victim := int32(1); victim <= 3; victim++ {
		time.Sleep(3 * time.Second)
		ctrl := cl.controller(t)
		argv, dir := cl.kill(t, victim)
		t.Logf("%5.1fs kill -9 broker %d (controller %d)", time.Since(start).Seconds(), victim, ctrl)
		time.Sleep(5 * time.Second)
		cl.restart(t, victim, argv, dir)
		t.Logf("%5.1fs restarted broker %d; ISR full again after %v", time.Since(start).Seconds(), victim,
			cl.waitISR(t, topic, 2*time.Minute).Round(100*time.Millisecond))
	}
	time.Sleep(3 * time.Second)
	close(stop)
	<-done
	if txnErr != nil {
		t.Fatal(txnErr)
	}

	tally.check(ctx, t, cl.brokers, topic, partitions)
	t.Logf("3 brokers killed and restarted in turn; %d transactions committed, %d aborted, of %d records each; commits and aborts called again %d times; %v",
		tally.committed, tally.aborted, perTxn, tally.retries, time.Since(start).Round(time.Millisecond))
}
