// Headers-read shows how to read the headers of consumed records
// (kafka-python's ConsumerRecord.headers).
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

	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	_, err = p.SendSync(ctx, &core.Record{Topic: topic, Value: []byte("order created"), Headers: []core.Header{
		{Key: "content-type", Value: []byte("text/plain")},
		{Key: "trace-id", Value: []byte("4bf92f3577b34da6")},
		{Key: "empty", Value: nil}, // a null header value
	}})
	if err != nil {
		return err
	}

	c, err := core.NewConsumer(core.ConsumerConfig{Config: demo.Config(), AutoOffsetReset: core.ResetEarliest})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Assign(core.TopicPartition{Topic: topic}); err != nil {
		return err
	}
	rec, err := c.Next(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("record %q has %d headers:\n", rec.Value, len(rec.Headers))
	for _, h := range rec.Headers {
		if h.Value == nil {
			fmt.Printf("  %s: null\n", h.Key)
		} else {
			fmt.Printf("  %s: %s\n", h.Key, h.Value)
		}
	}
	return nil
}
