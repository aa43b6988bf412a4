// Command franz runs one benchmark scenario with franz-go (pkg/kgo).
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/kafka3/kafka3-go/bench/compare/internal/bench"
	"github.com/twmb/franz-go/pkg/kgo"
)

func main() {
	bench.Main(bench.Funcs{Produce: produce, Consume: consume, E2E: e2e})
}

func producerOpts(p bench.Params) ([]kgo.Opt, error) {
	codec := kgo.NoCompression()
	switch p.Compression {
	case "none", "":
	case "lz4":
		codec = kgo.Lz4Compression()
	case "zstd":
		codec = kgo.ZstdCompression()
	default:
		return nil, fmt.Errorf("compression %q", p.Compression)
	}
	return []kgo.Opt{
		kgo.SeedBrokers(p.Brokers...),
		kgo.DefaultProduceTopic(p.Topic),
		kgo.RequiredAcks(kgo.AllISRAcks()), // idempotence is on by default
		kgo.ProducerLinger(p.Linger),
		kgo.ProducerBatchMaxBytes(int32(p.BatchSize)),
		kgo.ProducerBatchCompression(codec),
		kgo.MaxBufferedBytes(p.BufferBytes),
		kgo.MaxBufferedRecords(1 << 30), // bound by bytes only, like buffer.memory
	}, nil
}

func produce(ctx context.Context, p bench.Params, payloads [][]byte) (bench.Result, error) {
	opts, err := producerOpts(p)
	if err != nil {
		return bench.Result{}, err
	}
	start := time.Now()
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return bench.Result{}, err
	}
	defer cl.Close()
	c := bench.NewCounter(p.Records)
	cb := func(r *kgo.Record, err error) {
		if err != nil {
			c.Fail(err)
			return
		}
		c.Add(1, int64(len(r.Value)))
	}
	for i := range p.Records {
		cl.Produce(ctx, &kgo.Record{Value: p.Value(payloads, i)}, cb)
	}
	if err := cl.Flush(ctx); err != nil {
		return bench.Result{}, err
	}
	if err := c.Wait(ctx); err != nil {
		return bench.Result{}, err
	}
	return c.Since(start), nil
}

func consumerOpts(p bench.Params) []kgo.Opt {
	offsets := map[int32]kgo.Offset{}
	for i := range p.Partitions {
		offsets[int32(i)] = kgo.NewOffset().AtStart()
	}
	return []kgo.Opt{
		kgo.SeedBrokers(p.Brokers...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{p.Topic: offsets}),
	}
}

func consume(ctx context.Context, p bench.Params) (bench.Result, error) {
	start := time.Now()
	cl, err := kgo.NewClient(consumerOpts(p)...)
	if err != nil {
		return bench.Result{}, err
	}
	defer cl.Close()
	c := bench.NewCounter(p.Records)
	for {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			n, _ := c.Count()
			return bench.Result{}, fmt.Errorf("%d of %d records: %w", n, p.Records, err)
		}
		for _, e := range fs.Errors() {
			return bench.Result{}, e.Err
		}
		var b int64
		n := 0
		fs.EachRecord(func(r *kgo.Record) { n++; b += int64(len(r.Value)) })
		c.Add(n, b)
		if got, _ := c.Count(); got >= p.Records {
			return c.Since(start), nil
		}
	}
}

func e2e(ctx context.Context, p bench.Params) (bench.Result, error) {
	opts, err := producerOpts(p)
	if err != nil {
		return bench.Result{}, err
	}
	prod, err := kgo.NewClient(opts...)
	if err != nil {
		return bench.Result{}, err
	}
	defer prod.Close()
	cons, err := kgo.NewClient(consumerOpts(p)...)
	if err != nil {
		return bench.Result{}, err
	}
	defer cons.Close()
	d := bench.NewE2E(p)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		for cctx.Err() == nil {
			fs := cons.PollFetches(cctx)
			for _, e := range fs.Errors() {
				if cctx.Err() == nil {
					d.Fail(e.Err)
				}
			}
			fs.EachRecord(func(r *kgo.Record) { d.Observe(r.Value) })
		}
	}()
	cb := func(_ *kgo.Record, err error) {
		if err != nil {
			d.Fail(err)
		}
	}
	return d.Run(ctx, func(ctx context.Context, v []byte) error {
		prod.Produce(ctx, &kgo.Record{Value: v}, cb)
		return nil
	})
}
