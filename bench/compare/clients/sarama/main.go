// Command sarama runs one benchmark scenario with IBM/sarama.
package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/IBM/sarama"
	"github.com/kafka3/kafka3-go/bench/compare/internal/bench"
)

func main() {
	bench.Main(bench.Funcs{Produce: produce, Consume: consume, E2E: e2e})
}

func config(p bench.Params) (*sarama.Config, error) {
	cfg := sarama.NewConfig()
	cfg.Version = sarama.V4_0_0_0
	cfg.ClientID = "bench-sarama"
	cfg.Producer.RequiredAcks = sarama.WaitForAll
	cfg.Producer.Idempotent = true
	cfg.Net.MaxOpenRequests = 1 // sarama's idempotent producer requires 1
	cfg.Producer.Retry.Max = 10
	cfg.Producer.Return.Successes = true
	cfg.Producer.Return.Errors = true
	cfg.Producer.Flush.Frequency = p.Linger
	// Flush.Bytes counts the bytes buffered for a broker across all its
	// partitions, where the others' batch size is per partition.
	cfg.Producer.Flush.Bytes = p.BatchSize * max(p.Partitions, 1)
	cfg.Producer.Partitioner = sarama.NewRandomPartitioner
	cfg.ChannelBufferSize = 4096
	switch p.Compression {
	case "none", "":
	case "lz4":
		cfg.Producer.Compression = sarama.CompressionLZ4
	case "zstd":
		cfg.Producer.Compression = sarama.CompressionZSTD
	default:
		return nil, fmt.Errorf("compression %q", p.Compression)
	}
	return cfg, nil
}

// producer starts an async producer whose results go to onDone.
func producer(p bench.Params, onDone func(*sarama.ProducerMessage, error)) (sarama.AsyncProducer, *sync.WaitGroup, error) {
	cfg, err := config(p)
	if err != nil {
		return nil, nil, err
	}
	pr, err := sarama.NewAsyncProducer(p.Brokers, cfg)
	if err != nil {
		return nil, nil, err
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for m := range pr.Successes() {
			onDone(m, nil)
		}
	}()
	go func() {
		defer wg.Done()
		for e := range pr.Errors() {
			onDone(e.Msg, e.Err)
		}
	}()
	return pr, &wg, nil
}

func produce(ctx context.Context, p bench.Params, payloads [][]byte) (bench.Result, error) {
	start := time.Now()
	c := bench.NewCounter(p.Records)
	pr, wg, err := producer(p, func(m *sarama.ProducerMessage, err error) {
		if err != nil {
			c.Fail(err)
			return
		}
		c.Add(1, int64(m.Value.Length()))
	})
	if err != nil {
		return bench.Result{}, err
	}
	for i := range p.Records {
		msg := &sarama.ProducerMessage{Topic: p.Topic, Value: sarama.ByteEncoder(p.Value(payloads, i))}
		select {
		case pr.Input() <- msg:
		case <-c.Done:
		case <-ctx.Done():
		}
	}
	err = c.Wait(ctx)
	res := c.Since(start)
	pr.AsyncClose()
	wg.Wait()
	return res, err
}

// consumeAll reads every partition from the start and calls onMsg per message.
func consumeAll(ctx context.Context, p bench.Params, onMsg func(*sarama.ConsumerMessage)) (func(), error) {
	cfg, err := config(p)
	if err != nil {
		return nil, err
	}
	cons, err := sarama.NewConsumer(p.Brokers, cfg)
	if err != nil {
		return nil, err
	}
	var pcs []sarama.PartitionConsumer
	for i := range p.Partitions {
		pc, err := cons.ConsumePartition(p.Topic, int32(i), sarama.OffsetOldest)
		if err != nil {
			cons.Close()
			return nil, err
		}
		pcs = append(pcs, pc)
		go func() {
			for m := range pc.Messages() {
				onMsg(m)
			}
		}()
	}
	return func() {
		for _, pc := range pcs {
			pc.AsyncClose()
		}
		cons.Close()
	}, nil
}

func consume(ctx context.Context, p bench.Params) (bench.Result, error) {
	start := time.Now()
	c := bench.NewCounter(p.Records)
	closeFn, err := consumeAll(ctx, p, func(m *sarama.ConsumerMessage) { c.Add(1, int64(len(m.Value))) })
	if err != nil {
		return bench.Result{}, err
	}
	defer closeFn()
	if err := c.Wait(ctx); err != nil {
		return bench.Result{}, err
	}
	return c.Since(start), nil
}

func e2e(ctx context.Context, p bench.Params) (bench.Result, error) {
	d := bench.NewE2E(p)
	closeFn, err := consumeAll(ctx, p, func(m *sarama.ConsumerMessage) { d.Observe(m.Value) })
	if err != nil {
		return bench.Result{}, err
	}
	defer closeFn()
	pr, wg, err := producer(p, func(_ *sarama.ProducerMessage, err error) {
		if err != nil {
			d.Fail(err)
		}
	})
	if err != nil {
		return bench.Result{}, err
	}
	defer func() { pr.AsyncClose(); wg.Wait() }()
	return d.Run(ctx, func(ctx context.Context, v []byte) error {
		select {
		case pr.Input() <- &sarama.ProducerMessage{Topic: p.Topic, Value: sarama.ByteEncoder(v)}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
}
