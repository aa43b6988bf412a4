package reliability

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// The public calls of TestBadInputFromBroker (badinput_test.go), each
// against a fake that misbehaves on one API.

// badClient is one public client's scenario: run makes its calls against
// the fake at addr and returns the error the calls ended with (nil if they
// succeeded) and a note for the log; it closes what it creates. want is what
// the fault's error must mention (Consumer.Poll, which retries in silence,
// looks for it in its logs). It runs on its own goroutine: no t.Fatal.
type badClient struct {
	name string
	// api is the API key that must have met the misbehaviour.
	api int16
	// good: the APIs the fake answers well (see answer), so that the
	// misbehaviour meets a later request.
	good []int16
	// attempts, when set, is how many requests must meet the fault: a
	// call with a bounded number of attempts makes all of them.
	attempts int
	run      func(t *testing.T, addr string, logs *logRecorder, want []string) (error, string)
}

var tp0 = core.TopicPartition{Topic: "t", Partition: 0}

var badClients = append([]badClient{
	{name: "Client.Request(ListOffsets)", api: apiListOffsets, attempts: 1, run: func(t *testing.T, addr string, logs *logRecorder, want []string) (error, string) {
		c, err := core.NewClient(badConfig(addr, logs))
		if err != nil {
			t.Error(err) // not Fatal: this runs on its own goroutine
			return err, "setup failed"
		}
		defer c.Close()
		req := &protocol.ListOffsetsRequest{}
		req.Default()
		req.Topics = []protocol.ListOffsetsRequestListOffsetsTopic{{Name: "t",
			Partitions: []protocol.ListOffsetsRequestListOffsetsPartition{{PartitionIndex: 0, CurrentLeaderEpoch: -1, Timestamp: -1}}}}
		var rerr error
		d := within(t, "Client.Request", badCallBound, func() {
			_, rerr = c.Request(watchdog(t), req)
		})
		return rerr, fmt.Sprintf("after %v", d.Round(10*time.Millisecond))
	}},
	{name: "Producer.SendFunc", api: apiProduce, run: func(t *testing.T, addr string, logs *logRecorder, want []string) (error, string) {
		p, err := core.NewProducer(core.ProducerConfig{Config: badConfig(addr, logs),
			DeliveryTimeout: badDeliveryTimeout, Linger: 5 * time.Millisecond})
		if err != nil {
			t.Error(err) // not Fatal: this runs on its own goroutine
			return err, "setup failed"
		}
		const records = 5
		results := make(chan error, 2*records) // room for a record completed twice
		start := time.Now()
		for i := range records {
			p.SendFunc(watchdog(t), &core.Record{Topic: "t", Partition: 0, Value: fmt.Appendf(nil, "v%d", i)},
				func(_ core.RecordMetadata, err error) { results <- err })
		}
		var first error
		timer := time.NewTimer(badCallBound)
		defer timer.Stop()
		failed := 0
		for range records {
			select {
			case err := <-results:
				if err == nil {
					t.Errorf("a record was acknowledged by a broker that never answered a Produce")
				} else {
					failed++
					if first == nil {
						first = err
					}
				}
			case <-timer.C:
				t.Errorf("%d of %d records not completed %v after they were sent: lost", records-failed, records, badCallBound)
				return first, ""
			}
		}
		d := time.Since(start)
		if d > badCallBound {
			t.Errorf("records failed after %v, more than %v", d, badCallBound)
		}
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		within(t, "Producer.Close", 5*time.Second, func() {
			if err := p.Close(cctx); err != nil {
				t.Errorf("Producer.Close: %v", err)
			}
		})
		if n := len(results); n > 0 {
			t.Errorf("%d more completions than records sent", n)
		}
		return first, fmt.Sprintf("%d/%d records failed after %v", failed, records, d.Round(10*time.Millisecond))
	}},
	{name: "Consumer.EndOffsets", api: apiListOffsets, run: func(t *testing.T, addr string, logs *logRecorder, want []string) (error, string) {
		c, err := core.NewConsumer(core.ConsumerConfig{Config: badConfig(addr, logs)})
		if err != nil {
			t.Error(err) // not Fatal: this runs on its own goroutine
			return err, "setup failed"
		}
		defer c.Close()
		// EndOffsets retries until its context ends (a minute without a
		// deadline), as Java's does until default.api.timeout.ms: the
		// caller's deadline is its bound.
		ctx, cancel := context.WithTimeout(context.Background(), badAdminTimeout)
		defer cancel()
		var rerr error
		d := within(t, "Consumer.EndOffsets", badCallBound, func() {
			_, rerr = c.EndOffsets(ctx, tp0)
		})
		return rerr, fmt.Sprintf("after %v", d.Round(10*time.Millisecond))
	}},
	{name: "Consumer.Poll", api: apiFetch, run: pollAssigned},
	{name: "Consumer.Poll (Metadata)", api: apiMetadata, run: pollAssigned},
	{name: "Producer.SendSync (Metadata)", api: apiMetadata, run: func(t *testing.T, addr string, logs *logRecorder, want []string) (error, string) {
		p, err := core.NewProducer(core.ProducerConfig{Config: badConfig(addr, logs), MaxBlock: 3 * time.Second})
		if err != nil {
			t.Error(err) // not Fatal: this runs on its own goroutine
			return err, "setup failed"
		}
		defer p.Close(context.Background())
		var serr error
		d := within(t, "Producer.SendSync", badCallBound, func() {
			_, serr = p.SendSync(watchdog(t), &core.Record{Topic: "t", Partition: 0, Value: []byte("v")})
		})
		return serr, fmt.Sprintf("after %v", d.Round(10*time.Millisecond))
	}},
	{name: "Consumer.Poll in a group (JoinGroup)", api: apiJoinGroup, run: pollInGroup},
	{name: "Consumer.Poll in a group (SyncGroup)", api: apiSyncGroup, good: []int16{apiJoinGroup}, run: pollInGroup},
	{name: "Consumer.Poll in a group (OffsetFetch)", api: apiOffsetFetch, good: []int16{apiJoinGroup, apiSyncGroup}, run: pollInGroup},
	{name: "Consumer.Poll in a group (Heartbeat)", api: apiHeartbeat, good: without(groupMember, apiHeartbeat), run: pollInGroup},
	{name: "Consumer.Poll in a group (ConsumerGroupHeartbeat)", api: apiConsumerGroupHeartbeat, run: pollInGroup848},
	{name: "Consumer.Commit", api: apiOffsetCommit, good: without(groupMember, apiOffsetCommit), run: commitInGroup},
	{name: "Producer transaction (EndTxn)", api: apiEndTxn, good: []int16{apiProduce, apiAddPartitionsToTxn}, run: commitTxn},
	{name: "Producer.SendOffsetsToTransaction (AddOffsetsToTxn)", api: apiAddOffsetsToTxn, good: []int16{apiEndTxn}, run: sendOffsetsInTxn},
	{name: "Producer.SendOffsetsToTransaction (TxnOffsetCommit)", api: apiTxnOffsetCommit, good: []int16{apiAddOffsetsToTxn, apiEndTxn}, run: sendOffsetsInTxn},
	{name: "Producer transaction", api: apiAddPartitionsToTxn, run: func(t *testing.T, addr string, logs *logRecorder, want []string) (error, string) {
		p, err := txnProducer(addr, logs, badDeliveryTimeout)
		if err != nil {
			t.Error(err) // not Fatal: this runs on its own goroutine; the handshake answers InitProducerId well
			return err, "setup failed"
		}
		defer p.Close(context.Background())
		for i := range 5 {
			p.SendFunc(watchdog(t), &core.Record{Topic: "t", Partition: 0, Value: fmt.Appendf(nil, "v%d", i)}, nil)
		}
		// The records fail at DeliveryTimeout, so the commit must not
		// succeed: it fails, abortable, and the abort ends by itself too.
		var cerr, aerr error
		d := within(t, "CommitTransaction", badCallBound, func() {
			cerr = p.CommitTransaction(watchdog(t))
		})
		if cerr == nil {
			t.Errorf("CommitTransaction succeeded although no Produce was answered")
			return nil, "committed"
		}
		within(t, "AbortTransaction", badCallBound, func() {
			ctx, cancel := context.WithTimeout(context.Background(), badAdminTimeout)
			defer cancel()
			aerr = p.AbortTransaction(ctx)
		})
		return cerr, fmt.Sprintf("commit failed after %v (abortable: %v); abort: %v", d.Round(10*time.Millisecond),
			errors.Is(cerr, core.ErrTransactionAbortable), aerr)
	}},
}, adminClients()...)

// pollAssigned polls partition t/0 from offset 0 for 3 s. Failures of the
// transport are retried, as in Java: Poll returns nothing, and its
// context's error at its end; they show in the logs.
func pollAssigned(t *testing.T, addr string, logs *logRecorder, want []string) (error, string) {
	c, err := core.NewConsumer(core.ConsumerConfig{Config: badConfig(addr, logs)})
	if err != nil {
		t.Error(err) // not Fatal: this runs on its own goroutine
		return err, "setup failed"
	}
	defer c.Close()
	if err := c.Assign(tp0); err != nil {
		t.Error(err)
		return err, "setup failed"
	}
	if err := c.Seek(tp0, 0); err != nil {
		t.Error(err)
		return err, "setup failed"
	}
	perr, logged, note := pollForFault(t, c, logs, want)
	if !errors.Is(perr, context.DeadlineExceeded) {
		t.Errorf("Poll ended with %v, want its context's end", perr)
	}
	return logged, note
}

// badAdmin is an Admin for the fake at addr. MaxAttempts 3: the stall's
// three RequestTimeouts fit in DefaultTimeout.
func badAdmin(addr string, logs *logRecorder) (*core.Admin, error) {
	return core.NewAdmin(core.AdminConfig{Config: badConfig(addr, logs), DefaultTimeout: badAdminTimeout, MaxAttempts: 3})
}

// pollInGroup848 is a member of the consumer group protocol (KIP-848),
// whose every request is a ConsumerGroupHeartbeat: the misbehaviour meets
// the first, the join.
func pollInGroup848(t *testing.T, addr string, logs *logRecorder, want []string) (error, string) {
	c, err := core.NewConsumer(core.ConsumerConfig{Config: badConfig(addr, logs), GroupID: "bad-input-group",
		GroupProtocol: core.GroupProtocolConsumer})
	if err != nil {
		t.Error(err) // not Fatal: this runs on its own goroutine
		return err, "setup failed"
	}
	defer c.Close()
	if err := c.Subscribe([]string{"t"}, core.RebalanceListener{}); err != nil {
		t.Error(err)
		return err, "setup failed"
	}
	return pollMemberForFault(t, c, logs, want)
}

// groupConsumer is a consumer subscribed to "t" in a group, for a fake
// coordinator, with maxPoll as MaxPollInterval, which is also the time a
// JoinGroup may wait for the other members (the rebalance timeout), as in
// Java. Heartbeats go every 100 ms, so that a few meet the fake within a
// scenario.
func groupConsumer(addr string, logs *logRecorder, maxPoll time.Duration, autoCommit bool) (*core.Consumer, error) {
	c, err := core.NewConsumer(core.ConsumerConfig{Config: badConfig(addr, logs), GroupID: "bad-input-group",
		MaxPollInterval: maxPoll, HeartbeatInterval: 100 * time.Millisecond, DisableAutoCommit: !autoCommit})
	if err != nil {
		return nil, err
	}
	if err := c.Subscribe([]string{"t"}, core.RebalanceListener{}); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// pollInGroup is a group member's scenario: the coordinator misbehaves on
// JoinGroup or, when the fake answers the requests before it, on SyncGroup,
// OffsetFetch or Heartbeat.
func pollInGroup(t *testing.T, addr string, logs *logRecorder, want []string) (error, string) {
	// A short rebalance timeout, so that a stalled JoinGroup ends within
	// Poll's 3 s.
	c, err := groupConsumer(addr, logs, time.Second, true)
	if err != nil {
		t.Error(err) // not Fatal: this runs on its own goroutine
		return err, "setup failed"
	}
	defer c.Close()
	return pollMemberForFault(t, c, logs, want)
}

// pollMemberForFault polls group member c against a coordinator whose
// answer is the bad input: the member retries, as Java's does, and Poll
// ends with its context; the fault shows in the logs (pollForFault).
func pollMemberForFault(t *testing.T, c *core.Consumer, logs *logRecorder, want []string) (error, string) {
	perr, logged, note := pollForFault(t, c, logs, want)
	if perr != nil && !errors.Is(perr, context.DeadlineExceeded) {
		return perr, "Poll failed"
	}
	return logged, note
}

// commitInGroup is a stable member's scenario: the coordinator misbehaves
// on OffsetCommit. Commit retries what a broker's failure leaves unknown
// until its context ends, as Java's commitSync does until
// default.api.timeout.ms: the caller's deadline is its bound.
func commitInGroup(t *testing.T, addr string, logs *logRecorder, want []string) (error, string) {
	// MaxPollInterval 1 s: the member leaves the group while Commit
	// retries, so Commit ends waiting for it to rejoin, and its error must
	// still name the fault (it was a bare context error before 0de4141).
	c, err := groupConsumer(addr, logs, time.Second, false)
	if err != nil {
		t.Error(err) // not Fatal: this runs on its own goroutine
		return err, "setup failed"
	}
	defer c.Close()
	pctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	for len(c.Assignment()) == 0 && pctx.Err() == nil {
		_, _ = c.Poll(pctx)
	}
	if len(c.Assignment()) == 0 {
		t.Errorf("no assignment after 3 s of a coordinator that answers the join well")
		return nil, "setup failed"
	}
	ctx, cancel := context.WithTimeout(context.Background(), badAdminTimeout)
	defer cancel()
	var cerr error
	d := within(t, "Consumer.Commit", badCallBound, func() {
		cerr = c.Commit(ctx, map[core.TopicPartition]core.OffsetAndMetadata{tp0: {Offset: 1, LeaderEpoch: -1}})
	})
	return cerr, fmt.Sprintf("after %v", d.Round(10*time.Millisecond))
}

// txnProducer is a transactional producer inside a transaction.
func txnProducer(addr string, logs *logRecorder, deliveryTimeout time.Duration) (*core.Producer, error) {
	p, err := core.NewProducer(core.ProducerConfig{Config: badConfig(addr, logs), TransactionalID: "bad-input-txn",
		DeliveryTimeout: deliveryTimeout, Linger: 5 * time.Millisecond})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), badCallBound)
	defer cancel()
	if err := p.InitTransactions(ctx); err != nil {
		p.Close(context.Background())
		return nil, err
	}
	if err := p.BeginTransaction(); err != nil {
		p.Close(context.Background())
		return nil, err
	}
	return p, nil
}

// commitTxn is a transaction whose records the fake acknowledges and whose
// EndTxn it misbehaves on. The commit retries until its context ends (as
// Java's does until max.block.ms): the caller's deadline is its bound.
func commitTxn(t *testing.T, addr string, logs *logRecorder, want []string) (error, string) {
	p, err := txnProducer(addr, logs, badDeliveryTimeout)
	if err != nil {
		t.Error(err) // not Fatal: this runs on its own goroutine
		return err, "setup failed"
	}
	defer p.Close(context.Background())
	const records = 5
	results := make(chan error, records)
	for i := range records {
		p.SendFunc(watchdog(t), &core.Record{Topic: "t", Partition: 0, Value: fmt.Appendf(nil, "v%d", i)},
			func(_ core.RecordMetadata, err error) { results <- err })
	}
	if err := p.Flush(watchdog(t)); err != nil {
		t.Errorf("Flush: %v", err)
	}
	for range records {
		if err := <-results; err != nil {
			t.Errorf("a record the fake acknowledged failed: %v", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), badAdminTimeout)
	defer cancel()
	var cerr error
	d := within(t, "CommitTransaction", badCallBound, func() { cerr = p.CommitTransaction(ctx) })
	return cerr, fmt.Sprintf("commit failed after %v", d.Round(10*time.Millisecond))
}

// sendOffsetsInTxn is a transaction whose AddOffsetsToTxn, or when the fake
// answers that, TxnOffsetCommit, meets the misbehaviour. Like Commit, it
// retries until its context ends; the abort after it ends by itself.
func sendOffsetsInTxn(t *testing.T, addr string, logs *logRecorder, want []string) (error, string) {
	p, err := txnProducer(addr, logs, badDeliveryTimeout)
	if err != nil {
		t.Error(err) // not Fatal: this runs on its own goroutine
		return err, "setup failed"
	}
	defer p.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), badAdminTimeout)
	defer cancel()
	var serr, aerr error
	d := within(t, "SendOffsetsToTransaction", badCallBound, func() {
		serr = p.SendOffsetsToTransaction(ctx, map[core.TopicPartition]core.OffsetAndMetadata{tp0: {Offset: 1, LeaderEpoch: -1}},
			core.ConsumerGroupMetadata{GroupID: "bad-input-group", GenerationID: -1})
	})
	within(t, "AbortTransaction", badCallBound, func() {
		ctx, cancel := context.WithTimeout(context.Background(), badAdminTimeout)
		defer cancel()
		aerr = p.AbortTransaction(ctx)
	})
	return serr, fmt.Sprintf("failed after %v; abort: %v", d.Round(10*time.Millisecond), aerr)
}

// pollForFault polls c for 3 s against a fake that sends no record and
// returns Poll's error and what Poll met, which it does not return: the
// first warning logged that names the fault (other warnings, of metadata
// refreshes, may come between), or else the last one, with a note.
func pollForFault(t *testing.T, c *core.Consumer, logs *logRecorder, want []string) (perr, logged error, note string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var fs core.Fetches
	within(t, "Consumer.Poll", 3*time.Second+badCallBound, func() { fs, perr = c.Poll(ctx) })
	for _, f := range fs {
		if len(f.Records) > 0 {
			t.Errorf("Poll returned %d records of a broker that sent none", len(f.Records))
		}
	}
	lines := logs.all()
	if len(lines) == 0 {
		return perr, nil, "no warning logged"
	}
	for _, l := range lines {
		if containsAny(l, want) {
			return perr, errors.New(l), fmt.Sprintf("Poll ended with its context; %d warnings logged, this one names the fault", len(lines))
		}
	}
	return perr, errors.New(lines[len(lines)-1]), fmt.Sprintf("Poll ended with its context; %d warnings logged, none names the fault; the last", len(lines))
}
