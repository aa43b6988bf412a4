package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/kafka3/kafka3-go/core"
)

func init() { commands["consume"] = consume }

// consume reads -records records of -topic from the beginning of all its
// partitions and reports records/s, MB/s (of keys and values) and heap
// allocations per record, like Java's ConsumerPerformance.
func consume(args []string) error {
	fs := flag.NewFlagSet("consume", flag.ExitOnError)
	brokers := fs.String("brokers", os.Getenv("KAFKA3_BROKERS"), "bootstrap servers, comma-separated (default $KAFKA3_BROKERS)")
	topic := fs.String("topic", "", "topic to read (required)")
	records := fs.Int("records", 1_000_000, "records to read")
	maxPoll := fs.Int("max-poll-records", 500, "MaxPollRecords")
	fetchMax := fs.Int("fetch-max-bytes", 0, "FetchMaxBytes (0: the default, 50 MiB)")
	runs := fs.Int("runs", 1, "repetitions, each with a new consumer")
	memprofile := fs.String("memprofile", "", "write an allocation profile to this file")
	_ = fs.Parse(args)
	if *memprofile != "" {
		runtime.MemProfileRate = 64 << 10
		defer writeHeapProfile(*memprofile)
	}
	if *topic == "" || *brokers == "" {
		return errors.New("consume needs -topic and -brokers (or $KAFKA3_BROKERS)")
	}
	for range *runs {
		if err := consumeOnce(strings.Split(*brokers, ","), *topic, *records, *maxPoll, int32(*fetchMax)); err != nil {
			return err
		}
	}
	return nil
}

// writeHeapProfile writes the allocation profile to path.
func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.WriteHeapProfile(f)
		_ = f.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "kafka3bench: memprofile:", err)
	}
}

func consumeOnce(brokers []string, topic string, n, maxPoll int, fetchMax int32) error {
	cfg := core.ConsumerConfig{AutoOffsetReset: core.ResetEarliest, MaxPollRecords: maxPoll, FetchMaxBytes: fetchMax}
	cfg.BootstrapServers = brokers
	c, err := core.NewConsumer(cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	parts, err := c.PartitionsForTopic(ctx, topic)
	if err != nil {
		return err
	}
	if err := c.Assign(parts...); err != nil {
		return err
	}
	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	start := time.Now()
	got, bytes := 0, 0
	for got < n {
		f, err := c.Poll(ctx)
		if err != nil {
			return fmt.Errorf("after %d records: %w", got, err)
		}
		for _, p := range f {
			for i := range p.Records {
				bytes += len(p.Records[i].Key) + len(p.Records[i].Value)
			}
			got += len(p.Records)
		}
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&ms1)
	fmt.Printf("consume %s: %d records, %.1f MB in %v: %.0f records/s, %.1f MB/s, %.4f allocs/record, %.1f B/record allocated\n",
		topic, got, float64(bytes)/1e6, elapsed.Round(time.Millisecond), float64(got)/elapsed.Seconds(),
		float64(bytes)/1e6/elapsed.Seconds(), float64(ms1.Mallocs-ms0.Mallocs)/float64(got),
		float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(got))
	return nil
}
