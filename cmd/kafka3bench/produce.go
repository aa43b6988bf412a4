package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/kafka3/kafka3-go/codecs"
	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

func init() { commands["produce"] = produce }

// produce sends -records records of -size bytes to a new topic (or -topic)
// and prints records/s, MB/s, the p50/p99/max acknowledgement latency and
// the heap allocations per record, like Java's ProducerPerformance:
//
//	kafka3bench produce -records 1000000 -size 100

func produce(args []string) error {
	fs := flag.NewFlagSet("produce", flag.ExitOnError)
	brokers := fs.String("brokers", os.Getenv("KAFKA3_BROKERS"), "bootstrap servers, comma-separated (default $KAFKA3_BROKERS)")
	topic := fs.String("topic", "", "topic to produce to (default: a new one, deleted at the end)")
	partitions := fs.Int("partitions", 1, "partitions of the new topic")
	records := fs.Int("records", 1000000, "records to send")
	size := fs.Int("size", 100, "value size in bytes")
	acks := fs.String("acks", "all", "acks: all, 1 or 0 (0 and 1 disable idempotence)")
	compression := fs.String("compression", "none", "compression codec")
	linger := fs.Duration("linger", 5*time.Millisecond, "linger")
	batch := fs.Int("batch", 16384, "batch size in bytes")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the sends to this file")
	memprofile := fs.String("memprofile", "", "write a heap profile (allocations of the sends) to this file")
	payloadFile := fs.String("payloads", "", "file of newline-separated values, sent in turn (default: -size zero bytes, which compress to nothing)")
	_ = fs.Parse(args)
	payloads := [][]byte{make([]byte, *size)}
	if *payloadFile != "" {
		data, err := os.ReadFile(*payloadFile)
		if err != nil {
			return err
		}
		payloads = payloads[:0]
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			if len(line) > 0 {
				payloads = append(payloads, line)
			}
		}
		if len(payloads) == 0 {
			return fmt.Errorf("%s holds no values", *payloadFile)
		}
	}

	cfg := core.ProducerConfig{Config: core.Config{BootstrapServers: strings.Split(*brokers, ","), Logger: slog.New(slog.DiscardHandler)},
		Compression: *compression, Linger: *linger, BatchSize: *batch}
	if err := cfg.Acks.UnmarshalText([]byte(*acks)); err != nil {
		return err
	}
	cfg.DisableIdempotence = cfg.Acks != core.AcksAll
	ctx := context.Background()
	if *topic == "" {
		name, drop, err := createTopic(ctx, cfg.Config, int32(*partitions))
		if err != nil {
			return err
		}
		defer drop()
		*topic = name
	}
	p, err := core.NewProducer(cfg)
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	if _, err := p.SendSync(ctx, &core.Record{Topic: *topic, Value: []byte("warm-up")}); err != nil {
		return err
	}

	lat := make([]time.Duration, *records)
	var n, failed atomic.Int64
	var firstErr atomic.Value
	done := func(md core.RecordMetadata, err error) { // shared: no allocation per record
		if err != nil {
			if failed.Add(1) == 1 {
				firstErr.Store(err)
			}
			return
		}
		lat[n.Add(1)-1] = time.Since(md.Timestamp)
	}
	rec := core.Record{Topic: *topic}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if *memprofile != "" {
		runtime.MemProfileRate = 4096
		defer func() {
			if f, err := os.Create(*memprofile); err == nil {
				_ = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	var bytesSent int64
	for i := range *records {
		rec.Value = payloads[i%len(payloads)]
		bytesSent += int64(len(rec.Value))
		rec.Timestamp = time.Now() // the callback measures the latency from it
		p.SendFunc(ctx, &rec, done)
	}
	if err := p.Flush(ctx); err != nil {
		return err
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	if f := failed.Load(); f > 0 {
		return fmt.Errorf("%d records failed, first: %v", f, firstErr.Load())
	}
	got := lat[:n.Load()]
	slices.Sort(got)
	pct := func(q float64) float64 { return float64(got[int(q*float64(len(got)-1))]) / 1e6 }
	rate := float64(*records) / elapsed.Seconds()
	fmt.Printf("%d records sent, %.1f records/sec (%.2f MB/sec), %.2f ms p50, %.2f ms p99, %.2f ms max latency, %.3f allocs/record (%.1f B/record), %s\n",
		*records, rate, float64(bytesSent)/elapsed.Seconds()/(1<<20), pct(0.5), pct(0.99), pct(1),
		float64(after.Mallocs-before.Mallocs)/float64(*records), float64(after.TotalAlloc-before.TotalAlloc)/float64(*records), elapsed.Round(time.Millisecond))
	m := p.Metrics()
	fmt.Printf("metrics: batch-size-avg %.0f, records-per-request-avg %.1f, request-latency-avg %.2f ms, record-retry-total %.0f\n",
		m["batch-size-avg"], m["records-per-request-avg"], m["request-latency-avg"], m["record-retry-total"])
	return nil
}

// createTopic creates a new topic and returns a function that deletes it.
func createTopic(ctx context.Context, cfg core.Config, partitions int32) (string, func(), error) {
	c, err := core.NewClient(cfg)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("kafka3bench-%d", time.Now().UnixNano())
	req := &protocol.CreateTopicsRequest{}
	req.Default()
	req.TimeoutMs = 30000
	req.Topics = []protocol.CreateTopicsRequestCreatableTopic{{Name: name, NumPartitions: partitions, ReplicationFactor: -1}}
	resp, err := c.Request(ctx, req)
	if err != nil {
		return "", nil, err
	}
	if r := resp.(*protocol.CreateTopicsResponse).Topics[0]; r.ErrorCode != 0 {
		return "", nil, kerr.WithMessage(r.ErrorCode, r.ErrorMessage)
	}
	drop := func() {
		del := &protocol.DeleteTopicsRequest{}
		del.Default()
		del.TimeoutMs = 30000
		del.TopicNames = []string{name}
		_, _ = c.Request(ctx, del)
		c.Close()
	}
	return name, drop, nil
}
