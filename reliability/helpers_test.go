package reliability

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/faultproxy"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// long reports whether the long version runs (make reliability sets
// RELIABILITY_LONG=1): more records and more faults.
func long() bool { return os.Getenv("RELIABILITY_LONG") != "" }

// scale picks the short or the long figure.
func scale(short, longN int) int {
	if long() {
		return longN
	}
	return short
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// logger is quiet unless RELIABILITY_DEBUG is set.
func logger() *slog.Logger {
	if os.Getenv("RELIABILITY_DEBUG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return quiet
}

// netConfig is a client config whose every connection goes through n, with
// timeouts short enough that a fault is noticed within seconds.
func netConfig(brokers []string, n *faultproxy.Network) core.Config {
	c := core.Config{
		BootstrapServers: brokers,
		Logger:           logger(),
		RequestTimeout:   2 * time.Second,
		ConnectTimeout:   2 * time.Second,
		RetryBackoff:     20 * time.Millisecond, RetryBackoffMax: 250 * time.Millisecond,
		ReconnectBackoff: 20 * time.Millisecond, ReconnectBackoffMax: 250 * time.Millisecond,
	}
	if n != nil {
		c.Transport = n
	}
	return c
}

// newNetwork returns a fault network closed when the test ends.
func newNetwork(t testing.TB) *faultproxy.Network {
	n := faultproxy.NewNetwork()
	t.Cleanup(func() { _ = n.Close() })
	return n
}

// deadline gives a context that fails the test, rather than hangs it, when
// it expires: every test runs under one.
func deadline(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// within fails the test when fn takes longer than limit (fn must itself be
// bounded, by a context or a timeout, so the test never hangs).
func within(t testing.TB, what string, limit time.Duration, fn func()) time.Duration {
	t.Helper()
	start := time.Now()
	fn()
	d := time.Since(start)
	if d > limit {
		t.Errorf("%s took %v, more than %v", what, d.Round(time.Millisecond), limit)
	}
	return d
}

// goroutineCheck records the goroutine count; the returned func waits (up
// to 5s) for it to come back and fails the test with the stacks otherwise.
func goroutineCheck(t testing.TB) func() {
	before := runtime.NumGoroutine()
	return func() {
		t.Helper()
		end := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(end) {
			time.Sleep(20 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<20)
			t.Errorf("%d goroutines before, %d after Close:\n%s", before, n, buf[:runtime.Stack(buf, true)])
		}
	}
}

// connsClosed waits (up to 5s) for the network to hold no connection.
func connsClosed(t testing.TB, n *faultproxy.Network, who string) {
	t.Helper()
	end := time.Now().Add(5 * time.Second)
	for n.OpenConns() > 0 && time.Now().Before(end) {
		time.Sleep(20 * time.Millisecond)
	}
	if c := n.OpenConns(); c > 0 {
		t.Errorf("%s left %d connection(s) open after Close", who, c)
	}
}

// value is sender g's record i.
func value(g, i int) []byte { return fmt.Appendf(nil, "g%02d-%08d", g, i) }

func parseValue(v []byte) (g, i int, ok bool) {
	_, err := fmt.Sscanf(string(v), "g%02d-%08d", &g, &i)
	return g, i, err == nil
}

// pollLoop polls c in a goroutine, 500 ms at a time, until stop is closed
// or handle returns false. handle gets each Poll's fetches and its error,
// nil when the Poll only timed out. The returned channel is closed when the
// goroutine has ended.
func pollLoop(ctx context.Context, c *core.Consumer, stop <-chan struct{}, handle func(fs core.Fetches, err error) bool) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			pctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
			fs, err := c.Poll(pctx)
			cancel()
			if errors.Is(err, context.DeadlineExceeded) {
				err = nil
			}
			if !handle(fs, err) {
				return
			}
		}
	}()
	return done
}

// ledger remembers what was sent and how each send ended.
type ledger struct {
	mu     sync.Mutex
	sent   int
	acked  map[string]bool
	failed map[string]error
}

// send starts n goroutines that send records (value(g, i)) to topic until
// stop is closed, pausing briefly every ten records, and records each in l;
// wait on the result for them to stop.
func (l *ledger) send(ctx context.Context, p *core.Producer, topic string, n int, stop <-chan struct{}) *sync.WaitGroup {
	return l.sendSpread(ctx, p, topic, n, 0, stop, nil)
}

// sendSpread is send that, when partitions > 0, sets the Partition of
// record i of each sender to i % partitions (a ManualPartitioner uses it),
// and, when acked is not nil, calls it with the partition of each record
// acknowledged.
func (l *ledger) sendSpread(ctx context.Context, p *core.Producer, topic string, n int, partitions int32, stop <-chan struct{}, acked func(part int32)) *sync.WaitGroup {
	var wg sync.WaitGroup
	for g := range n {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				v := value(g, i)
				var part int32
				if partitions > 0 {
					part = int32(i) % partitions
				}
				l.mu.Lock()
				l.sent++
				l.mu.Unlock()
				p.SendFunc(ctx, &core.Record{Topic: topic, Partition: part, Value: v}, func(_ core.RecordMetadata, err error) {
					l.result(string(v), err)
					if err == nil && acked != nil {
						acked(part)
					}
				})
				if i%10 == 9 {
					time.Sleep(10 * time.Millisecond)
				}
			}
		})
	}
	return &wg
}

func newLedger() *ledger { return &ledger{acked: map[string]bool{}, failed: map[string]error{}} }

func (l *ledger) result(v string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.failed[v] = err
	} else {
		l.acked[v] = true
	}
}

// firstErrors returns a few distinct failure messages.
func (l *ledger) firstErrors() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, err := range l.failed {
		if s := err.Error(); !seen[s] && len(out) < 5 {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// produce sends perG records from each of goroutines senders with SendFunc,
// pacing each sender with a short sleep every pace records, and returns when
// every record has its result (after Flush).
func produce(ctx context.Context, t testing.TB, p *core.Producer, topic string, goroutines, perG, pace int, l *ledger) {
	t.Helper()
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perG {
				v := value(g, i)
				l.mu.Lock()
				l.sent++
				l.mu.Unlock()
				p.SendFunc(ctx, &core.Record{Topic: topic, Value: v}, func(_ core.RecordMetadata, err error) {
					l.result(string(v), err)
				})
				if pace > 0 && i%pace == pace-1 {
					time.Sleep(5 * time.Millisecond)
				}
				if ctx.Err() != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := p.Flush(ctx); err != nil {
		t.Errorf("Flush: %v", err)
	}
}

// rec is what the checks keep of a consumed record.
type rec struct {
	Offset int64
	Value  string
}

// verdict is the outcome of checking what was read against the ledger.
type verdict struct {
	Sent, Acked, Failed, Read       int
	Lost, Duplicated, Reordered     int
	Gaps                            int // holes in a partition's offsets as read
	FailedButWritten, UnknownValues int
}

func (v verdict) String() string {
	return fmt.Sprintf("sent=%d acked=%d failed=%d read=%d lost=%d duplicated=%d reordered=%d offset-gaps=%d failed-but-written=%d",
		v.Sent, v.Acked, v.Failed, v.Read, v.Lost, v.Duplicated, v.Reordered, v.Gaps, v.FailedButWritten)
}

// check compares what was read with the ledger: every acknowledged record
// read once (lost otherwise), no value twice (duplicated), each sender's
// records in increasing order within a partition (reordered otherwise).
func check(l *ledger, read map[int32][]rec) verdict {
	l.mu.Lock()
	defer l.mu.Unlock()
	v := verdict{Sent: l.sent, Acked: len(l.acked), Failed: len(l.failed)}
	seen := map[string]int{}
	parts := make([]int32, 0, len(read))
	for p := range read {
		parts = append(parts, p)
	}
	sort.Slice(parts, func(i, j int) bool { return parts[i] < parts[j] })
	for _, p := range parts {
		last := map[int]int{}
		var prevOff int64 = -1
		for _, r := range read[p] {
			v.Read++
			if prevOff >= 0 && r.Offset != prevOff+1 {
				v.Gaps++
			}
			prevOff = r.Offset
			seen[r.Value]++
			if seen[r.Value] == 2 {
				v.Duplicated++
			}
			g, i, ok := parseValue([]byte(r.Value))
			if !ok {
				v.UnknownValues++
				continue
			}
			if prev, ok := last[g]; ok && i <= prev {
				v.Reordered++
			}
			last[g] = i
		}
	}
	for val := range l.acked {
		if seen[val] == 0 {
			v.Lost++
		}
	}
	for val := range l.failed {
		if seen[val] > 0 {
			v.FailedButWritten++
		}
	}
	return v
}

// report logs the figures of a run and appends them to $RELIABILITY_REPORT
// when set (make reliability collects them for RELIABILITY.md).
func report(t testing.TB, faults string, v verdict, elapsed time.Duration) {
	t.Helper()
	mode := "short"
	if long() {
		mode = "long"
	}
	line := fmt.Sprintf("%s\t%s\t%s\tfaults: %s\t%v", t.Name(), mode, v, faults, elapsed.Round(100*time.Millisecond))
	t.Log(line)
	if path := os.Getenv("RELIABILITY_REPORT"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			_, _ = fmt.Fprintln(f, line)
			_ = f.Close()
		}
	}
}

// requireClean fails the test unless nothing was lost, duplicated or
// reordered.
func requireClean(t testing.TB, v verdict) {
	t.Helper()
	if v.Lost > 0 || v.Duplicated > 0 || v.Reordered > 0 || v.UnknownValues > 0 {
		t.Errorf("records: %s unknown=%d", v, v.UnknownValues)
	}
}

// readAll reads every partition of topic from the beginning to its end
// offset with a Consumer on plain TCP (cfg's Transport when set) and returns
// the records by partition.
func readAll(ctx context.Context, t testing.TB, cfg core.Config, topic string, partitions int32) map[int32][]rec {
	t.Helper()
	c, err := core.NewConsumer(core.ConsumerConfig{Config: cfg, MaxPollRecords: 5000})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var tps []core.TopicPartition
	for p := range partitions {
		tps = append(tps, core.TopicPartition{Topic: topic, Partition: p})
	}
	if err := c.Assign(tps...); err != nil {
		t.Fatal(err)
	}
	if err := c.SeekToBeginning(tps...); err != nil {
		t.Fatal(err)
	}
	ends, err := c.EndOffsets(ctx, tps...)
	if err != nil {
		t.Fatalf("EndOffsets: %v", err)
	}
	out := map[int32][]rec{}
	done := func() bool {
		for _, tp := range tps {
			n := len(out[tp.Partition])
			if ends[tp] > 0 && (n == 0 || out[tp.Partition][n-1].Offset < ends[tp]-1) {
				return false
			}
		}
		return true
	}
	for !done() {
		fs, err := c.Poll(ctx)
		if err != nil {
			t.Fatalf("reading back %s: %v (read %d of %v)", topic, err, total(out), ends)
		}
		for _, f := range fs {
			for _, r := range f.Records {
				out[f.Partition] = append(out[f.Partition], rec{Offset: r.Offset, Value: string(r.Value)})
			}
		}
	}
	return out
}

func total(m map[int32][]rec) int {
	n := 0
	for _, rs := range m {
		n += len(rs)
	}
	return n
}

// createTopic creates a topic on the shared broker (kafkatest) or, with
// brokers set, on that cluster with the given replication and min ISR.
func createTopic(t testing.TB, brokers []string, partitions int32, rf int16, configs map[string]string) string {
	t.Helper()
	if brokers == nil {
		return kafkatest.CreateTopic(t, partitions, configs)
	}
	name := kafkatest.Topic(t)
	a, err := core.NewAdmin(core.AdminConfig{Config: core.Config{BootstrapServers: brokers, Logger: quiet}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx := deadline(t, 60*time.Second)
	res, err := a.CreateTopics(ctx, []core.NewTopic{{Name: name, Partitions: partitions, ReplicationFactor: rf, Configs: configs}}, core.CreateTopicsOptions{})
	if err != nil {
		t.Fatalf("CreateTopics: %v", err)
	}
	if res[0].Err != nil {
		t.Fatalf("CreateTopics %s: %v", name, res[0].Err)
	}
	// Wait until every partition has a leader and a full ISR.
	for ctx.Err() == nil {
		ds, err := a.DescribeTopics(ctx, name)
		if err == nil && ds[0].Err == nil && len(ds[0].Partitions) == int(partitions) {
			ready := true
			for _, p := range ds[0].Partitions {
				if p.Leader < 0 || len(p.ISR) < int(rf) {
					ready = false
				}
			}
			if ready {
				return name
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("topic %s: no leaders after 60s", name)
	return ""
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return strings.ReplaceAll(err.Error(), "\n", " ")
}
