// Consumer-metrics shows the Consumer's metrics, under the Java client's
// names (kafka-python's consumer.metrics()).
package main

import (
	"context"
	"fmt"
	"log"
	"maps"
	"slices"
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
	for i := range 100 {
		p.Send(ctx, &core.Record{Topic: topic, Value: fmt.Appendf(nil, "record %d", i)})
	}
	if err := p.Close(ctx); err != nil {
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
	for n := 0; n < 100; {
		f, err := c.Poll(ctx)
		if err != nil {
			return err
		}
		n += f.NumRecords()
	}
	m := c.Metrics()
	for _, name := range slices.Sorted(maps.Keys(m)) {
		fmt.Printf("%-40s %g\n", name, m[name])
	}
	return nil
}
