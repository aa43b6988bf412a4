package core_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// newTransactional returns an initialized transactional producer using
// transaction protocol v (1, or 2 where the broker supports it).
func newTransactional(t *testing.T, txnID string, v int) *core.Producer {
	t.Helper()
	p := newTestProducer(t, core.ProducerConfig{TransactionalID: txnID, TransactionTimeout: 30 * time.Second})
	init := p.InitTransactions
	if v == 1 {
		init = func(ctx context.Context) error { return core.InitTransactionsV1(ctx, p) }
	}
	if err := init(ctxTimeout(t, 60*time.Second)); err != nil {
		t.Fatal(err)
	}
	return p
}

// bothProtocols runs f as subtests for transaction protocols v1 and v2.
func bothProtocols(t *testing.T, f func(t *testing.T, v int)) {
	for _, v := range []int{1, 2} {
		t.Run(fmt.Sprintf("v%d", v), func(t *testing.T) {
			t.Parallel()
			f(t, v)
		})
	}
}

// readCommitted reads topic from the beginning with a read_committed
// Consumer until want records arrived, then for settle more, and returns
// the values in order of arrival.
func readCommitted(t *testing.T, topic string, partitions int32, want int, settle time.Duration) []string {
	t.Helper()
	c, err := core.NewConsumer(core.ConsumerConfig{Config: core.Config{BootstrapServers: kafkatest.Brokers(t)},
		IsolationLevel: core.ReadCommitted, AutoOffsetReset: core.ResetEarliest})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var parts []core.TopicPartition
	for i := range partitions {
		parts = append(parts, core.TopicPartition{Topic: topic, Partition: i})
	}
	if err := c.Assign(parts...); err != nil {
		t.Fatal(err)
	}
	var got []string
	deadline := time.Now().Add(60 * time.Second)
	var settleEnd time.Time
	for time.Now().Before(deadline) && (settleEnd.IsZero() || time.Now().Before(settleEnd)) {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		f, err := c.Poll(ctx)
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatal(err)
		}
		for r := range f.All() {
			got = append(got, string(r.Value))
		}
		if len(got) >= want && settleEnd.IsZero() {
			settleEnd = time.Now().Add(settle)
		}
	}
	return got
}

// sendAll sends values to topic in the open transaction and waits for them.
func sendInTxn(t *testing.T, p *core.Producer, topic string, values ...string) {
	t.Helper()
	ctx := ctxTimeout(t, 30*time.Second)
	var fs []*core.Future
	for _, v := range values {
		fs = append(fs, p.Send(ctx, &core.Record{Topic: topic, Key: []byte(v), Value: []byte(v)}))
	}
	for _, f := range fs {
		if _, err := f.Get(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// endTxn commits (or aborts) p's open transaction, what naming it in a
// failure.
func endTxn(ctx context.Context, t *testing.T, p *core.Producer, commit bool, what string) {
	t.Helper()
	end := p.AbortTransaction
	if commit {
		end = p.CommitTransaction
	}
	if err := end(ctx); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func txnSeq(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%03d", prefix, i)
	}
	return out
}

// TestTxnCommittedVisibleAbortedNot: of three transactions, the aborted
// middle one is invisible to read_committed readers, ours and Java's.
func TestTxnCommittedVisibleAbortedNot(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Transactions)
	t.Parallel()
	bothProtocols(t, func(t *testing.T, v int) { testTxnCommittedVisibleAbortedNot(t, v) })
}

func testTxnCommittedVisibleAbortedNot(t *testing.T, v int) {
	topic := kafkatest.CreateTopic(t, 3, nil)
	p := newTransactional(t, "txn-"+topic, v)
	ctx := ctxTimeout(t, 60*time.Second)
	for _, step := range []struct {
		prefix string
		commit bool
	}{{"c1", true}, {"ab", false}, {"c2", true}} {
		if err := p.BeginTransaction(); err != nil {
			t.Fatal(err)
		}
		sendInTxn(t, p, topic, txnSeq(step.prefix, 20)...)
		endTxn(ctx, t, p, step.commit, step.prefix)
		if st, _ := p.TransactionState(); st != core.TxnReady {
			t.Fatalf("state after %s: %v", step.prefix, st)
		}
	}
	want := append(txnSeq("c1", 20), txnSeq("c2", 20)...)
	got := readCommitted(t, topic, 3, 40, time.Second)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("read_committed Consumer read %d records %v, want %v", len(got), got, want)
	}
	out := kafkatest.Java(t, 90*time.Second, "org.apache.kafka.tools.consumer.ConsoleConsumer",
		"--bootstrap-server", strings.Join(kafkatest.Brokers(t), ","), "--topic", topic,
		"--from-beginning", "--isolation-level", "read_committed", "--timeout-ms", "5000")
	jgot := strings.Fields(out)
	slices.Sort(jgot)
	if !slices.Equal(jgot, want) {
		t.Fatalf("Java ConsoleConsumer (read_committed) printed %d records %v, want %v", len(jgot), jgot, want)
	}
}

// TestTxnSendOutsideTransaction: calls out of order fail with
// ErrTransactionState and change nothing.
func TestTxnSendOutsideTransaction(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Transactions)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, nil)
	p := newTestProducer(t, core.ProducerConfig{TransactionalID: "txn-" + topic})
	ctx := ctxTimeout(t, 30*time.Second)
	if err := p.BeginTransaction(); !errors.Is(err, core.ErrTransactionState) {
		t.Fatalf("BeginTransaction before InitTransactions: %v", err)
	}
	if err := p.InitTransactions(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := p.SendSync(ctx, &core.Record{Topic: topic, Value: []byte("x")}); !errors.Is(err, core.ErrTransactionState) {
		t.Fatalf("Send outside a transaction: %v", err)
	}
	if err := p.CommitTransaction(ctx); !errors.Is(err, core.ErrTransactionState) {
		t.Fatalf("CommitTransaction outside a transaction: %v", err)
	}
	if err := p.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	if err := p.BeginTransaction(); !errors.Is(err, core.ErrTransactionState) {
		t.Fatalf("BeginTransaction twice: %v", err)
	}
	if err := p.CommitTransaction(ctx); err != nil { // empty: nothing to send
		t.Fatal(err)
	}
}

// TestTxnFencing: a second producer with the same transactional id fences
// the first, whose open transaction is aborted and whose next calls fail
// with a fatal error naming the fencing.
func TestTxnFencing(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Transactions)
	t.Parallel()
	bothProtocols(t, func(t *testing.T, v int) { testTxnFencing(t, v) })
}

func testTxnFencing(t *testing.T, v int) {
	topic := kafkatest.CreateTopic(t, 2, nil)
	id := "txn-" + topic
	ctx := ctxTimeout(t, 60*time.Second)
	p1 := newTransactional(t, id, v)
	if err := p1.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	sendInTxn(t, p1, topic, txnSeq("p1a", 5)...)
	if err := p1.CommitTransaction(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p1.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	sendInTxn(t, p1, topic, txnSeq("zombie", 5)...) // open when p2 takes over

	p2 := newTransactional(t, id, v) // fences p1 and aborts its open transaction
	if err := p2.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	sendInTxn(t, p2, topic, txnSeq("p2", 5)...)
	if err := p2.CommitTransaction(ctx); err != nil {
		t.Fatal(err)
	}

	err := p1.CommitTransaction(ctx)
	if !errors.Is(err, core.ErrTransactionFatal) || !(errors.Is(err, kerr.ProducerFenced) || errors.Is(err, kerr.InvalidProducerEpoch)) {
		t.Fatalf("fenced producer's commit: %v, want a fatal TxnError caused by PRODUCER_FENCED", err)
	}
	t.Logf("fenced producer's commit: %v", err)
	if st, _ := p1.TransactionState(); st != core.TxnFatalError {
		t.Fatalf("fenced producer's state: %v", st)
	}
	if err := p1.BeginTransaction(); !errors.Is(err, core.ErrTransactionFatal) {
		t.Fatalf("BeginTransaction after fencing: %v", err)
	}
	want := append(txnSeq("p1a", 5), txnSeq("p2", 5)...)
	got := readCommitted(t, topic, 2, 10, time.Second)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("read %v, want %v", got, want)
	}
}

// TestTxnAbortableThenContinue: a record the broker refuses makes the
// transaction abortable; after AbortTransaction the producer goes on.
func TestTxnAbortableThenContinue(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Transactions)
	t.Parallel()
	bothProtocols(t, func(t *testing.T, v int) { testTxnAbortableThenContinue(t, v) })
}

func testTxnAbortableThenContinue(t *testing.T, v int) {
	topic := kafkatest.CreateTopic(t, 1, map[string]string{"max.message.bytes": "2000"})
	p := newTransactional(t, "txn-"+topic, v)
	ctx := ctxTimeout(t, 60*time.Second)
	if err := p.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	sendInTxn(t, p, topic, "before-big")
	big := p.Send(ctx, &core.Record{Topic: topic, Value: make([]byte, 10000)})
	if _, err := big.Get(ctx); !errors.Is(err, core.ErrRecordTooLarge) {
		t.Fatalf("big record: %v", err)
	}
	err := p.CommitTransaction(ctx)
	if !errors.Is(err, core.ErrTransactionAbortable) {
		t.Fatalf("commit after a failed record: %v, want abortable", err)
	}
	if st, _ := p.TransactionState(); st != core.TxnAbortableError {
		t.Fatalf("state: %v", st)
	}
	if err := p.AbortTransaction(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	sendInTxn(t, p, topic, "after")
	if err := p.CommitTransaction(ctx); err != nil {
		t.Fatal(err)
	}
	if got := readCommitted(t, topic, 1, 1, time.Second); !slices.Equal(got, []string{"after"}) {
		t.Fatalf("read %v, want [after]", got)
	}
}

// TestTxnTimeout: the coordinator aborts a transaction open longer than
// TransactionTimeout; its records stay invisible and the producer's commit
// fails with an error saying so.
func TestTxnTimeout(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 3, 0, "DescribeTransactions (KIP-664, Kafka 3.0), which the test watches the abort with")
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, nil)
	p := newTestProducer(t, core.ProducerConfig{TransactionalID: "txn-" + topic, TransactionTimeout: time.Second})
	ctx := ctxTimeout(t, 90*time.Second)
	if err := p.InitTransactions(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	sendInTxn(t, p, topic, "late")
	// The coordinator looks for timed-out transactions every
	// transaction.abort.timed.out.transaction.cleanup.interval.ms (10s).
	admin, err := core.NewAdmin(core.AdminConfig{Config: core.Config{BootstrapServers: kafkatest.Brokers(t)}})
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	for {
		d := admin.DescribeTransactions(ctx, "txn-"+topic)["txn-"+topic]
		if d.Err == nil && d.State != "Ongoing" {
			t.Logf("coordinator state after the timeout: %s", d.State)
			break
		}
		if sleepErr := ctx.Err(); sleepErr != nil {
			t.Fatalf("transaction still %s: %v", d.State, sleepErr)
		}
		time.Sleep(500 * time.Millisecond)
	}
	err = p.CommitTransaction(ctx)
	if err == nil || errors.Is(err, core.ErrTransactionRetriable) || !strings.Contains(err.Error(), "TransactionTimeout") {
		t.Fatalf("commit of a timed-out transaction: %v", err)
	}
	t.Logf("commit of a timed-out transaction: %v", err)
	if got := readCommitted(t, topic, 1, 0, time.Second); len(got) != 0 {
		t.Fatalf("read %v from an aborted transaction", got)
	}
}

// TestTxnSplitsBatchesTheBrokerFindsTooLarge: batches over the topic's
// max.message.bytes are split inside a transaction too; the committed
// records are all there, in order, and the aborted ones are not.
func TestTxnSplitsBatchesTheBrokerFindsTooLarge(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Transactions)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, map[string]string{"max.message.bytes": "3000"})
	p := newTestProducer(t, core.ProducerConfig{TransactionalID: "txn-" + topic, TransactionTimeout: 30 * time.Second,
		BatchSize: 64 << 10, Linger: 50 * time.Millisecond})
	ctx := ctxTimeout(t, 60*time.Second)
	if err := p.InitTransactions(ctx); err != nil {
		t.Fatal(err)
	}
	const n = 1500
	values := func(prefix string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s-%05d-%s", prefix, i, strings.Repeat("x", 60))
		}
		return out
	}
	for _, step := range []struct {
		prefix string
		commit bool
	}{{"c1", true}, {"ab", false}, {"c2", true}} {
		if err := p.BeginTransaction(); err != nil {
			t.Fatal(err)
		}
		sendInTxn(t, p, topic, values(step.prefix)...)
		endTxn(ctx, t, p, step.commit, step.prefix)
	}
	want := append(values("c1"), values("c2")...)
	if got := readCommitted(t, topic, 1, len(want), time.Second); !slices.Equal(got, want) {
		t.Fatalf("read_committed Consumer read %d records, want %d in order", len(got), len(want))
	}
}
