// Iterate shows how to read a topic with the Consumer's Records iterator:
// assign all partitions of a topic, start at the beginning, and range over
// the records as they arrive (kafka-python's "for msg in consumer").
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
	topic, drop := demo.Topic(ctx, 3)
	defer drop()

	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	for i := range 5 {
		p.Send(ctx, &core.Record{Topic: topic, Value: fmt.Appendf(nil, "message %d", i)})
	}
	if err := p.Close(ctx); err != nil { // Close flushes
		return err
	}

	c, err := core.NewConsumer(core.ConsumerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	defer c.Close()
	parts, err := c.PartitionsForTopic(ctx, topic)
	if err != nil {
		return err
	}
	if err := c.Assign(parts...); err != nil {
		return err
	}
	if err := c.SeekToBeginning(); err != nil {
		return err
	}

	n := 0
	for rec, err := range c.Records(ctx) {
		if err != nil {
			return err
		}
		fmt.Printf("%s:%d:%d: value=%s\n", rec.Topic, rec.Partition, rec.Offset, rec.Value)
		if n++; n == 5 {
			break
		}
	}
	return nil
}
