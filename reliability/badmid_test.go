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
	"github.com/kafka3/kafka3-go/core/kerr"
)

// Bad input in the middle of a session, then recovery. The fake of
// badfake_test.go answers well, misbehaves on requests midFrom to
// midUntil-1 of one API (after processing them: a Produce is appended and
// its answer lost), then answers well again. The client must ride it out:
// every record delivered exactly once and in order, no error reported for
// what it retried, and working again within its timeouts.

// midFrom and midUntil: the 3rd to 6th request of the API misbehave.
const midFrom, midUntil = 3, 7

// midRecords is how many records the data scenarios move.
const midRecords = 300

// midClient is one client's mid-session scenario: run drives the client
// against fake and returns a note for the log; it reports failures with
// t.Errorf (it runs on its own goroutine) and closes what it creates.
type midClient struct {
	name string
	api  int16   // the API whose requests misbehave in the window
	good []int16 // the APIs answered well, api among them
	// from, until: the window when not midFrom, midUntil.
	from, until int
	run         func(t *testing.T, fake *badListener, logs *logRecorder) string
}

var midClients = []midClient{
	{name: "Producer", api: apiProduce, good: []int16{apiProduce}, run: midProduce},
	{name: "Consumer.Poll", api: apiFetch, good: []int16{apiFetch}, run: midConsume},
	{name: "group member", api: apiHeartbeat, good: groupMember, run: midHeartbeat},
	{name: "txn AddPartitions", api: apiAddPartitionsToTxn, good: txnAPIs, run: midTransactions},
	{name: "txn EndTxn", api: apiEndTxn, good: txnAPIs, run: midTransactions},
	{name: "txn offsets", api: apiTxnOffsetCommit, good: txnAPIs, run: midTransactions},
	// A member's first three JoinGroups (or SyncGroups) meet the fault.
	{name: "join (JoinGroup)", api: apiJoinGroup, good: groupMember, from: 1, until: 4, run: midJoin},
	{name: "join (SyncGroup)", api: apiSyncGroup, good: groupMember, from: 1, until: 4, run: midJoin},
	// A stable member's 3rd heartbeat starts a rebalance, whose first
	// three JoinGroups meet the fault.
	{name: "rebalance", api: apiJoinGroup, good: groupMember, from: 2, until: 5, run: midRebalance},
	// The controller creates the topic and the answer is lost.
	{name: "CreateTopics", api: apiCreateTopics, good: []int16{apiCreateTopics}, from: 1, until: 2, run: midCreateTopics},
}

// midCreateTopics creates a topic whose first CreateTopics the controller
// carries out but does not answer well: the retry finds the topic there,
// and the result must say that this call may have created it.
func midCreateTopics(t *testing.T, fake *badListener, logs *logRecorder) string {
	a, err := badAdmin(fake.addr(), logs)
	if err != nil {
		t.Error(err)
		return "setup failed"
	}
	defer a.Close()
	res, err := a.CreateTopics(context.Background(), []core.NewTopic{{Name: "new", Partitions: 1, ReplicationFactor: 1}}, core.CreateTopicsOptions{})
	if err != nil {
		t.Errorf("CreateTopics: %v", err)
		return "failed"
	}
	rerr := res[0].Err
	if !errors.Is(rerr, kerr.TopicAlreadyExists) || !strings.Contains(rerr.Error(), "may have created it") {
		t.Errorf("the topic's result: %v; want TOPIC_ALREADY_EXISTS saying that an unanswered attempt may have created it", rerr)
	}
	return fmt.Sprintf("%d CreateTopics: %v", fake.requests(apiCreateTopics), rerr)
}

// midRebalance is a stable member told to rebalance (its 3rd heartbeat is
// answered REBALANCE_IN_PROGRESS) whose rejoins meet the fault: it must
// rejoin once the coordinator answers well, within 15 s, and own the
// partition again, with Poll returning no error meanwhile.
func midRebalance(t *testing.T, fake *badListener, logs *logRecorder) string {
	fake.mu.Lock()
	fake.rebalanceAt = 3
	fake.mu.Unlock()
	c, err := groupConsumer(fake.addr(), logs, time.Second, false)
	if err != nil {
		t.Error(err)
		return "setup failed"
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	start := time.Now()
	if !pollUntil(ctx, t, c, func() bool { return fake.requests(apiJoinGroup) >= 5 && len(c.Assignment()) > 0 }) {
		return "failed"
	}
	if n := fake.requests(apiJoinGroup); n < 5 {
		t.Errorf("%d JoinGroups in 15 s: the member did not rejoin after the fault", n)
	}
	if got := c.Assignment(); len(got) != 1 || got[0] != tp0 {
		t.Errorf("assignment %v after the rebalance, want [%v]", got, tp0)
	}
	return fmt.Sprintf("rejoined in %v; %d JoinGroup, %d SyncGroup", time.Since(start).Round(10*time.Millisecond),
		fake.requests(apiJoinGroup), fake.requests(apiSyncGroup))
}

// midJoin polls as a new group member whose first joins meet the fault:
// it must join once the coordinator answers well (within 15 s: a stalled
// JoinGroup waits the rebalance timeout, 1 s here, plus RequestTimeout)
// and own the partition.
func midJoin(t *testing.T, fake *badListener, logs *logRecorder) string {
	c, err := groupConsumer(fake.addr(), logs, time.Second, false)
	if err != nil {
		t.Error(err)
		return "setup failed"
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	start := time.Now()
	if !pollUntil(ctx, t, c, func() bool { return len(c.Assignment()) > 0 }) {
		return "failed"
	}
	if got := c.Assignment(); len(got) != 1 || got[0] != tp0 {
		t.Errorf("assignment %v after 15 s, want [%v]: the member did not join after the fault", got, tp0)
	}
	return fmt.Sprintf("joined in %v; %d JoinGroup, %d SyncGroup", time.Since(start).Round(10*time.Millisecond),
		fake.requests(apiJoinGroup), fake.requests(apiSyncGroup))
}

// txnAPIs are what a transactional producer needs answered well, offsets
// sent to the transaction included.
var txnAPIs = []int16{apiProduce, apiAddPartitionsToTxn, apiEndTxn, apiAddOffsetsToTxn, apiTxnOffsetCommit}

// midTxns and midTxnRecords: the transactions of the transaction scenarios
// and the records of each.
const midTxns, midTxnRecords = 10, 10

// midTransactions commits midTxns transactions in a row, each adding the
// partition (AddPartitionsToTxn), sending the offsets of a consumer group
// (AddOffsetsToTxn, TxnOffsetCommit) and ending with EndTxn, so that the
// window falls among them: every call must succeed, with each context 8 s
// (a stalled request takes RequestTimeout, 1 s), and every record must be
// acknowledged once, at the offset of its place in the sending order.
func midTransactions(t *testing.T, fake *badListener, logs *logRecorder) string {
	// DeliveryTimeout covers the window's 4 stalled requests of 1 s each.
	p, err := txnProducer(fake.addr(), logs, 10*time.Second)
	if err != nil {
		t.Error(err)
		return "setup failed"
	}
	defer p.Close(context.Background())
	start := time.Now()
	next := int64(0)
	for txn := range midTxns {
		if txn > 0 {
			if err := p.BeginTransaction(); err != nil {
				t.Errorf("transaction %d: BeginTransaction: %v", txn, err)
				return "failed"
			}
		}
		futs := make([]*core.Future, midTxnRecords)
		for i := range futs {
			futs[i] = p.Send(watchdog(t), &core.Record{Topic: "t", Partition: 0, Value: fmt.Appendf(nil, "t%02d-%02d", txn, i)})
		}
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
		err := p.SendOffsetsToTransaction(ctx, map[core.TopicPartition]core.OffsetAndMetadata{tp0: {Offset: int64(txn), LeaderEpoch: -1}},
			core.ConsumerGroupMetadata{GroupID: "bad-input-group", GenerationID: -1})
		cancel()
		if err != nil {
			t.Errorf("transaction %d: SendOffsetsToTransaction: %v", txn, err)
			return "failed"
		}
		ctx, cancel = context.WithTimeout(context.Background(), 8*time.Second)
		err = p.CommitTransaction(ctx)
		cancel()
		if err != nil {
			t.Errorf("transaction %d: CommitTransaction: %v", txn, err)
			return "failed"
		}
		for i, f := range futs {
			md, err := f.Get(watchdog(t))
			if err != nil || md.Offset != next {
				t.Errorf("transaction %d, record %d: offset %d, %v; want offset %d", txn, i, md.Offset, err, next)
				return "failed"
			}
			next++
		}
	}
	return fmt.Sprintf("%d transactions committed in %v; %d AddPartitionsToTxn, %d TxnOffsetCommit, %d EndTxn", midTxns,
		time.Since(start).Round(10*time.Millisecond), fake.requests(apiAddPartitionsToTxn), fake.requests(apiTxnOffsetCommit), fake.requests(apiEndTxn))
}

// midProduce sends records one by one, 2 ms apart, so that the window falls
// among them: each must be acknowledged once, without error, at the offset
// of its place in the sending order (one partition, idempotence).
func midProduce(t *testing.T, fake *badListener, logs *logRecorder) string {
	p, err := core.NewProducer(core.ProducerConfig{Config: badConfig(fake.addr(), logs),
		DeliveryTimeout: 10 * time.Second, Linger: time.Millisecond})
	if err != nil {
		t.Error(err)
		return "setup failed"
	}
	defer p.Close(context.Background())
	var mu sync.Mutex
	offsets := make([]int64, midRecords)
	var errs []error
	var wg sync.WaitGroup
	start := time.Now()
	for i := range midRecords {
		wg.Add(1)
		p.SendFunc(watchdog(t), &core.Record{Topic: "t", Partition: 0, Value: fmt.Appendf(nil, "v%03d", i)},
			func(md core.RecordMetadata, err error) {
				defer wg.Done()
				mu.Lock()
				defer mu.Unlock()
				offsets[i] = md.Offset
				if err != nil {
					errs = append(errs, err)
				}
			})
		time.Sleep(2 * time.Millisecond)
	}
	within(t, "the producer's acknowledgements", badCallBound+10*time.Second, wg.Wait)
	d := time.Since(start)
	if len(errs) > 0 {
		t.Errorf("%d of %d records failed across a passing fault; the first: %v", len(errs), midRecords, errs[0])
	}
	for i, o := range offsets {
		if o != int64(i) {
			t.Errorf("record %d acknowledged at offset %d: lost, duplicated or reordered", i, o)
			break
		}
	}
	if n := fake.log.len(); n != midRecords {
		t.Errorf("the fake's partition holds %d records, want %d", n, midRecords)
	}
	return fmt.Sprintf("%d records acknowledged in %v, %d Produce requests", midRecords, d.Round(10*time.Millisecond), fake.requests(apiProduce))
}

// midConsume reads a partition of midRecords records, 20 per Fetch, from
// the start: each exactly once, in order, with the window among the
// fetches.
func midConsume(t *testing.T, fake *badListener, logs *logRecorder) string {
	if err := fake.log.fill(midRecords, func(i int) []byte { return fmt.Appendf(nil, "v%03d", i) }); err != nil {
		t.Error(err)
		return "setup failed"
	}
	c, err := core.NewConsumer(core.ConsumerConfig{Config: badConfig(fake.addr(), logs)})
	if err != nil {
		t.Error(err)
		return "setup failed"
	}
	defer c.Close()
	if err := c.Assign(tp0); err != nil {
		t.Error(err)
		return "setup failed"
	}
	if err := c.Seek(tp0, 0); err != nil {
		t.Error(err)
		return "setup failed"
	}
	ctx, cancel := context.WithTimeout(context.Background(), badCallBound+5*time.Second)
	defer cancel()
	start := time.Now()
	next := int64(0)
	for next < midRecords {
		fs, err := c.Poll(ctx)
		if err != nil {
			t.Errorf("Poll after %d records: %v", next, err)
			return "failed"
		}
		for r := range fs.All() {
			if want := fmt.Sprintf("v%03d", next); r.Offset != next || string(r.Value) != want {
				t.Errorf("got offset %d value %q, want offset %d value %q: lost, duplicated or reordered", r.Offset, r.Value, next, want)
				return "failed"
			}
			next++
		}
	}
	return fmt.Sprintf("%d records read in %v, %d Fetch requests", next, time.Since(start).Round(10*time.Millisecond), fake.requests(apiFetch))
}

// midHeartbeat polls as a stable group member while some of its
// heartbeats meet the fault (each stalled one takes RequestTimeout): it
// must stay in its generation (no new join) and heartbeat again after the
// window, within 10 s.
func midHeartbeat(t *testing.T, fake *badListener, logs *logRecorder) string {
	c, err := groupConsumer(fake.addr(), logs, 20*time.Second, false)
	if err != nil {
		t.Error(err)
		return "setup failed"
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	if !pollUntil(ctx, t, c, func() bool { return fake.requests(apiHeartbeat) >= midUntil+2 }) {
		return "failed"
	}
	if n := fake.requests(apiHeartbeat); n < midUntil+2 {
		t.Errorf("%d heartbeats in 10 s: the member did not heartbeat again after the window", n)
	}
	if n := fake.requests(apiJoinGroup); n != 1 {
		t.Errorf("%d JoinGroups: the member left its generation over failed heartbeats", n)
	}
	return fmt.Sprintf("%d heartbeats in %v, %d JoinGroup", fake.requests(apiHeartbeat), time.Since(start).Round(10*time.Millisecond), fake.requests(apiJoinGroup))
}

// pollUntil polls c in 100 ms rounds until done or ctx ends; a Poll error
// other than a round's end fails t, and pollUntil reports false.
func pollUntil(ctx context.Context, t *testing.T, c *core.Consumer, done func() bool) bool {
	for !done() && ctx.Err() == nil {
		pctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		_, err := c.Poll(pctx)
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Poll: %v", err)
			return false
		}
	}
	return true
}

// TestBadInputMidSession runs every mid-session scenario with every bad
// input, all at once (each with its own fake), and checks that no
// connection or goroutine is left after Close. It is not parallel, so that
// the goroutine count is its own.
func TestBadInputMidSession(t *testing.T) {
	leaks := goroutineCheck(t)
	var (
		mu    sync.Mutex
		notes []string
	)
	runScenarios(len(midClients), func(bc badCase, i int) {
		cl := midClients[i]
		fake, err := newBadListener(bc.do, apis(cl.good...))
		if err != nil {
			t.Error(err)
			return
		}
		w := faultWindow{api: cl.api, from: midFrom, until: midUntil}
		if cl.from > 0 {
			w.from, w.until = cl.from, cl.until
		}
		fake.setWindow(w)
		defer fake.close()
		logs := &logRecorder{}
		note := cl.run(t, fake, logs)
		fake.checkClosed(t, cl.name+" / "+bc.name)
		_, misdone := fake.stats()
		if misdone[cl.api] == 0 {
			t.Errorf("%s / %s: no request met the fault: the window was not reached", cl.name, bc.name)
		}
		mu.Lock()
		notes = append(notes, fmt.Sprintf("%-14s %-32s %d faults: %s", cl.name, bc.name, misdone[cl.api], note))
		mu.Unlock()
	})
	for _, n := range notes {
		t.Log(n)
	}
	leaks()
}
