// Command kafka3 runs one benchmark scenario with kafka3-go.
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/kafka3/kafka3-go/bench/compare/internal/bench"
	_ "github.com/kafka3/kafka3-go/codecs/lz4"
	_ "github.com/kafka3/kafka3-go/codecs/zstd"
	"github.com/kafka3/kafka3-go/core"
)

func main() {
	bench.Main(bench.Funcs{Produce: produce, Consume: consume, E2E: e2e})
}

func producer(p bench.Params) (*core.Producer, error) {
	codec := p.Compression
	if codec == "none" {
		codec = ""
	}
	return core.NewProducer(core.ProducerConfig{
		Config:       core.Config{BootstrapServers: p.Brokers, ClientID: "bench-kafka3"},
		Acks:         core.AcksAll, // idempotence is on by default
		Linger:       p.Linger,
		BatchSize:    p.BatchSize,
		BufferMemory: int64(p.BufferBytes),
		Compression:  codec,
	})
}

func consumer(p bench.Params) (*core.Consumer, error) {
	c, err := core.NewConsumer(core.ConsumerConfig{
		Config:          core.Config{BootstrapServers: p.Brokers, ClientID: "bench-kafka3"},
		AutoOffsetReset: core.ResetEarliest,
	})
	if err != nil {
		return nil, err
	}
	var tps []core.TopicPartition
	for i := range p.Partitions {
		tps = append(tps, core.TopicPartition{Topic: p.Topic, Partition: int32(i)})
	}
	if err := c.Assign(tps...); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.SeekToBeginning(tps...); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func produce(ctx context.Context, p bench.Params, payloads [][]byte) (bench.Result, error) {
	start := time.Now()
	pr, err := producer(p)
	if err != nil {
		return bench.Result{}, err
	}
	defer pr.Close(context.Background())
	c := bench.NewCounter(p.Records)
	cb := func(md core.RecordMetadata, err error) {
		if err != nil {
			c.Fail(err)
			return
		}
		c.Add(1, 0)
	}
	var total int64
	rec := &core.Record{Topic: p.Topic} // Send copies the record, so one is enough
	for i := range p.Records {
		rec.Value = p.Value(payloads, i)
		total += int64(len(rec.Value))
		pr.SendFunc(ctx, rec, cb)
	}
	if err := pr.Flush(ctx); err != nil {
		return bench.Result{}, err
	}
	if err := c.Wait(ctx); err != nil {
		return bench.Result{}, err
	}
	res := c.Since(start)
	res.Bytes = total
	return res, nil
}

func consume(ctx context.Context, p bench.Params) (bench.Result, error) {
	start := time.Now()
	cons, err := consumer(p)
	if err != nil {
		return bench.Result{}, err
	}
	defer cons.Close()
	n, b := 0, int64(0)
	for n < p.Records {
		fs, err := cons.Poll(ctx)
		if err != nil {
			return bench.Result{}, fmt.Errorf("%d of %d records: %w", n, p.Records, err)
		}
		for r := range fs.All() {
			n++
			b += int64(len(r.Value))
		}
	}
	return bench.Result{Records: n, Bytes: b, Seconds: time.Since(start).Seconds()}, nil
}

func e2e(ctx context.Context, p bench.Params) (bench.Result, error) {
	cons, err := consumer(p)
	if err != nil {
		return bench.Result{}, err
	}
	defer cons.Close()
	pr, err := producer(p)
	if err != nil {
		return bench.Result{}, err
	}
	defer pr.Close(context.Background())
	d := bench.NewE2E(p)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		for cctx.Err() == nil {
			fs, err := cons.Poll(cctx)
			if err != nil {
				if cctx.Err() == nil {
					d.Fail(err)
				}
				return
			}
			for r := range fs.All() {
				d.Observe(r.Value)
			}
		}
	}()
	cb := func(_ core.RecordMetadata, err error) {
		if err != nil {
			d.Fail(err)
		}
	}
	return d.Run(ctx, func(ctx context.Context, v []byte) error {
		pr.SendFunc(ctx, &core.Record{Topic: p.Topic, Value: v}, cb)
		return nil
	})
}
