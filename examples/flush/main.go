// Flush shows how to make sure every record sent so far has been delivered
// (or has failed) before going on (kafka-python's producer.flush()).
package main

import (
	"context"
	"fmt"
	"log"
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
	topic, drop := demo.Topic(ctx, 1)
	defer drop()

	// A long linger: without Flush the records would wait up to a second.
	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config(), Linger: time.Second})
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	var last *core.Future
	for i := range 500 {
		last = p.Send(ctx, &core.Record{Topic: topic, Value: fmt.Appendf(nil, "record %d", i)})
	}
	start := time.Now()
	if err := p.Flush(ctx); err != nil {
		return err
	}
	select {
	case <-last.Done():
		fmt.Printf("flushed 500 records in %v; the last is at offset %d\n",
			time.Since(start).Round(time.Millisecond), last.Metadata().Offset)
	default:
		return fmt.Errorf("flush returned before the last record was acknowledged")
	}
	return last.Err()
}
