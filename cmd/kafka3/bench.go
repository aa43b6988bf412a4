package main

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core"
)

func runBench(e *env, args []string) error {
	fs := e.newFlagSet("bench", "", `
Bench sends -records records of -size bytes to a topic, then reads them back,
printing progress every -interval and the throughput of each phase
(records/s and MB/s). Without -topic it creates a topic and deletes it at
the end. For latency percentiles and allocation counts see cmd/kafka3bench.`)
	topic := fs.String("topic", "", "topic to use (default: a new one, deleted at the end)")
	partitions := fs.Int("partitions", 3, "partitions of the new topic")
	records := fs.Int("records", 100000, "records to send and read")
	size := fs.Int("size", 100, "value size in bytes")
	codec := fs.String("codec", "", "compression: none, gzip, snappy, lz4 or zstd")
	acks := fs.String("acks", "all", "acknowledgements: all, 1 or 0")
	mode := fs.String("mode", "both", "produce, consume (an existing -topic from its beginning) or both")
	interval := fs.Duration("interval", time.Second, "progress report interval")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *mode != "produce" && *mode != "consume" && *mode != "both" {
		return usagef("-mode must be produce, consume or both")
	}
	if *mode == "consume" && *topic == "" {
		return usagef("-mode consume needs -topic")
	}
	if *records <= 0 || *size < 0 {
		return usagef("-records must be positive and -size not negative")
	}
	if *topic == "" {
		name, drop, err := e.tempTopic(int32(*partitions))
		if err != nil {
			return err
		}
		defer drop()
		*topic = name
	}
	b := bench{e: e, topic: *topic, records: *records, size: *size, interval: *interval}
	if *mode != "consume" {
		if err := b.produce(*codec, *acks); err != nil {
			return err
		}
	}
	if *mode != "produce" {
		return b.consume()
	}
	return nil
}

type bench struct {
	e        *env
	topic    string
	records  int
	size     int
	interval time.Duration
}

// tempTopic creates a topic for the benchmark and returns a function that
// deletes it.
func (e *env) tempTopic(partitions int32) (string, func(), error) {
	a, err := e.admin()
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("kafka3-bench-%d", time.Now().UnixNano())
	ctx, cancel := e.withTimeout()
	defer cancel()
	res, err := a.CreateTopics(ctx, []core.NewTopic{{Name: name, Partitions: partitions}}, core.CreateTopicsOptions{WaitForLeaders: true})
	if err == nil {
		err = res[0].Err
	}
	if err != nil {
		a.Close()
		return "", nil, fmt.Errorf("creating topic %s: %w", name, err)
	}
	return name, func() {
		ctx, cancel := context.WithTimeout(context.Background(), e.g.timeout)
		defer cancel()
		_, _ = a.DeleteTopics(ctx, name)
		a.Close()
	}, nil
}

func (b *bench) produce(codec, acks string) error {
	var cfg core.ProducerConfig
	if err := b.e.configure(&cfg, &cfg.Config); err != nil {
		return err
	}
	if err := cfg.Acks.UnmarshalText([]byte(acks)); err != nil {
		return usagef("-acks: %v", err)
	}
	cfg.DisableIdempotence = cfg.DisableIdempotence || cfg.Acks != core.AcksAll
	if codec != "" {
		cfg.Compression = codec
	}
	p, err := core.NewProducer(cfg)
	if err != nil {
		return err
	}
	defer p.Close(context.Background())
	var acked, failed atomic.Int64
	var firstErr atomic.Pointer[error]
	done := func(_ core.RecordMetadata, err error) {
		if err != nil {
			failed.Add(1)
			firstErr.CompareAndSwap(nil, &err)
			return
		}
		acked.Add(1)
	}
	stop := b.progress("produce", func() int64 { return acked.Load() })
	start := time.Now()
	rec := core.Record{Topic: b.topic, Value: make([]byte, b.size)}
	for i := 0; i < b.records && b.e.ctx.Err() == nil && firstErr.Load() == nil; i++ {
		p.SendFunc(b.e.ctx, &rec, done)
	}
	err = p.Flush(b.e.ctx)
	stop()
	if ep := firstErr.Load(); ep != nil {
		return fmt.Errorf("%d record(s) failed, the first: %w", failed.Load(), *ep)
	}
	if err != nil {
		return err
	}
	b.report(b.e.stdout, "produce", acked.Load(), time.Since(start))
	return nil
}

func (b *bench) consume() error {
	var cfg core.ConsumerConfig
	if err := b.e.configure(&cfg, &cfg.Config); err != nil {
		return err
	}
	c, err := core.NewConsumer(cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := assign(b.e, c, b.topic, -1, start{kind: "beginning"}); err != nil {
		return err
	}
	var got atomic.Int64
	stop := b.progress("consume", got.Load)
	defer stop()
	begin := time.Now()
	for got.Load() < int64(b.records) {
		ctx, cancel := context.WithTimeout(b.e.ctx, b.e.g.timeout)
		f, err := c.Poll(ctx)
		cancel()
		if err != nil {
			return fmt.Errorf("after %d records: %w", got.Load(), err)
		}
		got.Add(int64(f.NumRecords()))
	}
	stop()
	b.report(b.e.stdout, "consume", got.Load(), time.Since(begin))
	return nil
}

// progress prints the count every interval on stderr until the returned
// function is called.
func (b *bench) progress(phase string, count func() int64) func() {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(b.interval)
		defer t.Stop()
		start, last, lastN := time.Now(), time.Now(), int64(0)
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				n := count()
				rate := float64(n-lastN) / now.Sub(last).Seconds()
				fmt.Fprintf(b.e.stderr, "%s: %d/%d records, %.0f records/s (%.2f MB/s) now, %s elapsed\n",
					phase, n, b.records, rate, rate*float64(b.size)/1e6, now.Sub(start).Round(time.Second))
				last, lastN = now, n
			}
		}
	}()
	var once atomic.Bool
	return func() {
		if once.CompareAndSwap(false, true) {
			close(done)
			<-finished
		}
	}
}

func (b *bench) report(w io.Writer, phase string, n int64, d time.Duration) {
	rate := float64(n) / d.Seconds()
	fmt.Fprintf(w, "%s: %d records of %d bytes in %v: %.0f records/s, %.2f MB/s\n",
		phase, n, b.size, d.Round(time.Millisecond), rate, rate*float64(b.size)/1e6)
}
