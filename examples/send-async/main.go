// Send-async shows many sends without waiting for each: Send returns a
// Future at once, SendFunc takes a callback instead (kafka-python's
// producer.send(...).add_callback(...).add_errback(...)); the results are
// collected after a Flush.
package main

import (
	"context"
	"fmt"
	"log"
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/examples/internal/demo"
)

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	topic, drop := demo.Topic(ctx, 3)
	defer drop()

	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	defer p.Close(ctx)

	// With futures: keep them, look at them later.
	futures := make([]*core.Future, 100)
	for i := range futures {
		futures[i] = p.Send(ctx, &core.Record{Topic: topic, Value: fmt.Appendf(nil, "future %d", i)})
	}

	// With a callback: no future to keep; it runs on a producer goroutine.
	var acked, failed atomic.Int64
	for i := range 1000 {
		p.SendFunc(ctx, &core.Record{Topic: topic, Value: fmt.Appendf(nil, "callback %d", i)},
			func(md core.RecordMetadata, err error) {
				if err != nil {
					failed.Add(1)
					log.Printf("send failed: %v", err)
					return
				}
				acked.Add(1)
			})
	}

	if err := p.Flush(ctx); err != nil { // wait for every record sent so far
		return err
	}
	for _, f := range futures {
		if err := f.Err(); err != nil {
			return err
		}
	}
	last := futures[len(futures)-1].Metadata()
	fmt.Printf("%d records with futures, the last at partition %d offset %d\n", len(futures), last.Partition, last.Offset)
	fmt.Printf("%d records with callbacks acknowledged, %d failed\n", acked.Load(), failed.Load())
	return nil
}
