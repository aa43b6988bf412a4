// Command segmentio runs one benchmark scenario with segmentio/kafka-go.
package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/kafka3/kafka3-go/bench/compare/internal/bench"
	"github.com/segmentio/kafka-go"
)

func main() {
	bench.Main(bench.Funcs{Produce: produce, Consume: consume, E2E: e2e})
}

// writer is an async Writer whose Completion releases buffer space, so that
// at most p.BufferBytes of values wait, like the others' buffer memory
// (kafka-go itself does not bound an async Writer's buffer). kafka-go has no
// idempotent producer.
func writer(p bench.Params, onDone func(msgs []kafka.Message, err error)) (*kafka.Writer, *semaphore, error) {
	var codec kafka.Compression
	switch p.Compression {
	case "none", "":
	case "lz4":
		codec = kafka.Lz4
	case "zstd":
		codec = kafka.Zstd
	default:
		return nil, nil, fmt.Errorf("compression %q", p.Compression)
	}
	sem := newSemaphore(int64(p.BufferBytes))
	w := &kafka.Writer{
		Addr:         kafka.TCP(p.Brokers...),
		Topic:        p.Topic,
		Balancer:     &kafka.RoundRobin{},
		RequiredAcks: kafka.RequireAll,
		BatchTimeout: p.Linger,
		BatchBytes:   int64(p.BatchSize),
		// BatchSize counts messages (and kafka-go allocates that many per
		// batch up front): let the byte bound decide, like the others.
		BatchSize:   p.BatchSize/max(p.Size, 1) + 1,
		Compression: codec,
		Async:       true,
		Completion: func(msgs []kafka.Message, err error) {
			var b int64
			for _, m := range msgs {
				b += int64(len(m.Value))
			}
			sem.release(b)
			onDone(msgs, err)
		},
	}
	return w, sem, nil
}

func produce(ctx context.Context, p bench.Params, payloads [][]byte) (bench.Result, error) {
	start := time.Now()
	c := bench.NewCounter(p.Records)
	w, sem, err := writer(p, func(msgs []kafka.Message, err error) {
		if err != nil {
			c.Fail(err)
			return
		}
		var b int64
		for _, m := range msgs {
			b += int64(len(m.Value))
		}
		c.Add(len(msgs), b)
	})
	if err != nil {
		return bench.Result{}, err
	}
	for i := range p.Records {
		v := p.Value(payloads, i)
		if err := sem.acquire(ctx, int64(len(v))); err != nil {
			return bench.Result{}, err
		}
		if err := w.WriteMessages(ctx, kafka.Message{Value: v}); err != nil {
			return bench.Result{}, err
		}
	}
	err = c.Wait(ctx)
	res := c.Since(start)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return res, err
}

// readAll reads every partition from the start, one Reader per partition
// (kafka-go's Reader without a group reads one partition).
func readAll(ctx context.Context, p bench.Params, onMsg func(kafka.Message), onErr func(error)) func() {
	var readers []*kafka.Reader
	var wg sync.WaitGroup
	for i := range p.Partitions {
		r := kafka.NewReader(kafka.ReaderConfig{
			Brokers:   p.Brokers,
			Topic:     p.Topic,
			Partition: i,
			MinBytes:  1,
			MaxBytes:  1 << 20, // max.partition.fetch.bytes
			MaxWait:   500 * time.Millisecond,
		})
		readers = append(readers, r)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				m, err := r.ReadMessage(ctx)
				if err != nil {
					if ctx.Err() == nil && !errors.Is(err, context.Canceled) {
						onErr(err)
					}
					return
				}
				onMsg(m)
			}
		}()
	}
	return func() {
		for _, r := range readers {
			r.Close()
		}
		wg.Wait()
	}
}

func consume(ctx context.Context, p bench.Params) (bench.Result, error) {
	start := time.Now()
	c := bench.NewCounter(p.Records)
	rctx, cancel := context.WithCancel(ctx)
	closeFn := readAll(rctx, p, func(m kafka.Message) { c.Add(1, int64(len(m.Value))) }, c.Fail)
	err := c.Wait(ctx)
	res := c.Since(start)
	cancel()
	closeFn()
	return res, err
}

func e2e(ctx context.Context, p bench.Params) (bench.Result, error) {
	d := bench.NewE2E(p)
	rctx, cancel := context.WithCancel(ctx)
	closeFn := readAll(rctx, p, func(m kafka.Message) { d.Observe(m.Value) }, d.Fail)
	defer func() { cancel(); closeFn() }()
	w, sem, err := writer(p, func(_ []kafka.Message, err error) {
		if err != nil {
			d.Fail(err)
		}
	})
	if err != nil {
		return bench.Result{}, err
	}
	defer w.Close()
	return d.Run(ctx, func(ctx context.Context, v []byte) error {
		if err := sem.acquire(ctx, int64(len(v))); err != nil {
			return err
		}
		return w.WriteMessages(ctx, kafka.Message{Value: v})
	})
}

// semaphore bounds the bytes handed to the async Writer.
type semaphore struct {
	mu    sync.Mutex
	cond  *sync.Cond
	avail int64
}

func newSemaphore(n int64) *semaphore {
	s := &semaphore{avail: n}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *semaphore) acquire(ctx context.Context, n int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.avail < n {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.cond.Wait()
	}
	s.avail -= n
	return nil
}

func (s *semaphore) release(n int64) {
	s.mu.Lock()
	s.avail += n
	s.mu.Unlock()
	s.cond.Broadcast()
}
