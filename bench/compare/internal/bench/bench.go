// Package bench is the part every per-client benchmark binary shares: the
// flags the harness passes, the payloads, the paced end-to-end driver and the
// one JSON line of results a binary prints on stdout.
//
// Each client runs in its own process so that the harness can read that
// process's CPU time and peak RSS from getrusage; a binary links only the
// client it measures.
package bench

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Params are the settings of one run, identical for every client.
type Params struct {
	Mode        string // produce, consume or e2e
	Brokers     []string
	Topic       string
	Partitions  int
	Records     int           // records to produce or consume
	Size        int           // bytes per record value
	Payloads    string        // file of newline-separated payloads (all Size bytes)
	Compression string        // none, lz4, zstd
	Linger      time.Duration // producer linger
	BatchSize   int           // producer batch size per partition, bytes
	BufferBytes int           // producer buffer memory, bytes
	Rate        int           // e2e: records per second
	Warmup      int           // e2e: leading records left out of the latency percentiles
	Timeout     time.Duration // the whole run
	FreshValues bool          // produce: each record's value is a new copy, not a shared payload
}

// Value returns record i's value: one of the shared payloads, or with
// FreshValues a new copy of it, as a program that encodes each record into
// a slice of its own sends. A client that keeps the values it was given
// until they are sent then holds what it buffers, as one that copies them
// does.
func (p Params) Value(payloads [][]byte, i int) []byte {
	v := payloads[i%len(payloads)]
	if p.FreshValues {
		return append([]byte(nil), v...)
	}
	return v
}

// Result is what a client binary prints, as one JSON line, on stdout.
type Result struct {
	Records int     `json:"records"`
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"`
	P50Ms   float64 `json:"p50_ms,omitempty"`
	P99Ms   float64 `json:"p99_ms,omitempty"`
	P999Ms  float64 `json:"p999_ms,omitempty"`
}

// Funcs are one client's three scenarios.
type Funcs struct {
	Produce func(ctx context.Context, p Params, payloads [][]byte) (Result, error)
	Consume func(ctx context.Context, p Params) (Result, error)
	E2E     func(ctx context.Context, p Params) (Result, error)
}

// Main parses the flags, runs the scenario and prints the result; it exits
// non-zero with the error on stderr when the run fails.
func Main(f Funcs) {
	var p Params
	var brokers string
	flag.StringVar(&p.Mode, "mode", "produce", "produce, consume or e2e")
	flag.StringVar(&brokers, "brokers", os.Getenv("KAFKA3_BROKERS"), "comma-separated bootstrap servers")
	flag.StringVar(&p.Topic, "topic", "", "topic")
	flag.IntVar(&p.Partitions, "partitions", 6, "partitions of the topic")
	flag.IntVar(&p.Records, "records", 100000, "records")
	flag.IntVar(&p.Size, "size", 100, "bytes per record value")
	flag.StringVar(&p.Payloads, "payloads", "", "payload file (newline-separated)")
	flag.StringVar(&p.Compression, "compression", "none", "none, lz4 or zstd")
	flag.DurationVar(&p.Linger, "linger", 5*time.Millisecond, "producer linger")
	flag.IntVar(&p.BatchSize, "batch-size", 16384, "producer batch size, bytes")
	flag.IntVar(&p.BufferBytes, "buffer-bytes", 32<<20, "producer buffer memory, bytes")
	flag.IntVar(&p.Rate, "rate", 2000, "e2e: records per second")
	flag.IntVar(&p.Warmup, "warmup", 0, "e2e: leading records left out of percentiles")
	flag.DurationVar(&p.Timeout, "timeout", 5*time.Minute, "timeout of the whole run")
	flag.BoolVar(&p.FreshValues, "fresh-values", false, "produce: a new copy of the payload as each record's value")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file (to compare clients by hand; the harness never sets it)")
	memprofile := flag.String("memprofile", "", "write an allocation profile of the run to this file (by hand, like -cpuprofile)")
	flag.Parse()
	p.Brokers = strings.Split(brokers, ",")
	if p.Topic == "" || brokers == "" {
		fail(errors.New("-topic and -brokers are required"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.Timeout)
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()

	if *cpuprofile != "" {
		stopProfile, err := startCPUProfile(*cpuprofile)
		if err != nil {
			fail(err)
		}
		defer stopProfile()
	}
	var res Result
	var err error
	switch p.Mode {
	case "produce":
		var payloads [][]byte
		if payloads, err = LoadPayloads(p.Payloads, p.Size); err == nil {
			res, err = f.Produce(ctx, p, payloads)
		}
	case "consume":
		res, err = f.Consume(ctx, p)
	case "e2e":
		res, err = f.E2E(ctx, p)
	default:
		err = fmt.Errorf("unknown -mode %q", p.Mode)
	}
	if err != nil {
		fail(err) // exits: no profile is written for a failed run
	}
	if *memprofile != "" {
		if err := writeHeapProfile(*memprofile); err != nil {
			fail(err)
		}
	}
	out, _ := json.Marshal(res)
	fmt.Println(string(out))
}

// writeHeapProfile writes the allocations of the whole run to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC() // the profile counts allocations up to the last collection
	return pprof.Lookup("allocs").WriteTo(f, 0)
}

// startCPUProfile starts a CPU profile into path and returns what stops it.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(1)
}

// LoadPayloads reads the payload file, or makes payloads of size bytes when
// path is empty.
func LoadPayloads(path string, size int) ([][]byte, error) {
	if path == "" {
		return [][]byte{make([]byte, size)}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		out = append(out, slices.Clone(sc.Bytes()))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no payloads", path)
	}
	return out, sc.Err()
}

// Counter counts acknowledged or consumed records and closes Done when it
// reaches its target. Safe for concurrent use.
type Counter struct {
	target int64
	n      atomic.Int64
	bytes  atomic.Int64
	once   sync.Once
	errMu  sync.Mutex
	err    error
	Done   chan struct{}
}

// NewCounter returns a counter that is done after target records.
func NewCounter(target int) *Counter {
	return &Counter{target: int64(target), Done: make(chan struct{})}
}

// Add counts n records of b bytes in all.
func (c *Counter) Add(n int, b int64) {
	c.bytes.Add(b)
	if c.n.Add(int64(n)) >= c.target {
		c.once.Do(func() { close(c.Done) })
	}
}

// Fail records the first error and finishes the counter.
func (c *Counter) Fail(err error) {
	c.errMu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.errMu.Unlock()
	c.once.Do(func() { close(c.Done) })
}

// Wait waits until the target is reached, an error is recorded or ctx ends.
func (c *Counter) Wait(ctx context.Context) error {
	select {
	case <-c.Done:
	case <-ctx.Done():
		return fmt.Errorf("%d of %d records after the timeout: %w", c.n.Load(), c.target, ctx.Err())
	}
	c.errMu.Lock()
	defer c.errMu.Unlock()
	return c.err
}

// Count returns the records and bytes counted.
func (c *Counter) Count() (int, int64) { return int(c.n.Load()), c.bytes.Load() }

// Since returns the Result of the records counted from start until now.
func (c *Counter) Since(start time.Time) Result {
	n, b := c.Count()
	return Result{Records: n, Bytes: b, Seconds: time.Since(start).Seconds()}
}

// E2E drives the end-to-end latency scenario: send is called at p.Rate with
// a value whose first 8 bytes are the send time (Unix nanoseconds); the
// client's consumer, started before, calls Latency.Observe with each value it
// receives. The run ends when all p.Records came back.
type E2E struct {
	p       Params
	counter *Counter
	mu      sync.Mutex
	lat     []int64
	seen    atomic.Int64
}

// NewE2E returns the driver of one end-to-end run.
func NewE2E(p Params) *E2E {
	return &E2E{p: p, counter: NewCounter(p.Records), lat: make([]int64, 0, p.Records)}
}

// Observe is called by the consumer with each value it receives.
func (e *E2E) Observe(value []byte) {
	now := time.Now().UnixNano()
	if len(value) < 8 {
		e.counter.Fail(fmt.Errorf("value of %d bytes has no timestamp", len(value)))
		return
	}
	sent := int64(binary.BigEndian.Uint64(value))
	if e.seen.Add(1) > int64(e.p.Warmup) {
		e.mu.Lock()
		e.lat = append(e.lat, now-sent)
		e.mu.Unlock()
	}
	e.counter.Add(1, int64(len(value)))
}

// Fail ends the run with err (for errors in the client's callbacks).
func (e *E2E) Fail(err error) { e.counter.Fail(err) }

// Run sends p.Records values at p.Rate with send, waits for the consumer to
// observe them all, and returns the result with latency percentiles.
func (e *E2E) Run(ctx context.Context, send func(ctx context.Context, value []byte) error) (Result, error) {
	size := max(e.p.Size, 8)
	start := time.Now()
	interval := time.Second / time.Duration(max(e.p.Rate, 1))
	for i := range e.p.Records {
		next := start.Add(time.Duration(i) * interval)
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		}
		v := make([]byte, size)
		for j := 8; j < size; j++ {
			v[j] = 'a' + byte(j%26)
		}
		binary.BigEndian.PutUint64(v, uint64(time.Now().UnixNano()))
		if err := send(ctx, v); err != nil {
			return Result{}, fmt.Errorf("send %d: %w", i, err)
		}
	}
	if err := e.counter.Wait(ctx); err != nil {
		return Result{}, err
	}
	res := e.counter.Since(start)
	e.mu.Lock()
	defer e.mu.Unlock()
	slices.Sort(e.lat)
	res.P50Ms = pct(e.lat, 0.50)
	res.P99Ms = pct(e.lat, 0.99)
	res.P999Ms = pct(e.lat, 0.999)
	return res, nil
}

func pct(sorted []int64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[int(q*float64(len(sorted)-1))]) / 1e6
}
