// Assign shows how to read one partition assigned by hand, without a
// consumer group: assign partition 0 of a topic, seek to an offset and take
// the next record with Next (kafka-python's consumer.assign and
// next(consumer)).
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
	topic, drop := demo.Topic(ctx, 2)
	defer drop()

	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config(), Partitioner: core.ManualPartitioner{}})
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	for i := range 3 {
		if _, err := p.SendSync(ctx, &core.Record{Topic: topic, Partition: 0, Value: fmt.Appendf(nil, "record %d", i)}); err != nil {
			return err
		}
	}

	c, err := core.NewConsumer(core.ConsumerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	defer c.Close()
	tp := core.TopicPartition{Topic: topic, Partition: 0}
	if err := c.Assign(tp); err != nil {
		return err
	}
	if err := c.Seek(tp, 1); err != nil { // skip the first record
		return err
	}
	rec, err := c.Next(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("next record of %s: offset %d, value %q\n", tp, rec.Offset, rec.Value)
	if hw, ok := c.Highwater(tp); ok {
		fmt.Printf("the partition's high watermark is %d\n", hw)
	}
	return nil
}
