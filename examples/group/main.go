// Group shows how to consume as a member of a consumer group: Subscribe to
// a topic, let the group assign the partitions, and commit offsets so that
// the next member resumes after them (kafka-python's
// KafkaConsumer('my-topic', group_id='my-group')).
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	_ "github.com/kafka3/kafka3-go/assignors" // range and cooperative-sticky, the default strategies
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
	for i := range 10 {
		p.Send(ctx, &core.Record{Topic: topic, Key: fmt.Appendf(nil, "k%d", i), Value: fmt.Appendf(nil, "message %d", i)})
	}
	if err := p.Close(ctx); err != nil {
		return err
	}

	c, err := core.NewConsumer(core.ConsumerConfig{
		Config:          demo.Config(),
		GroupID:         "my-group-" + topic,
		AutoOffsetReset: core.ResetEarliest, // a new group starts at the beginning
	})
	if err != nil {
		return err
	}
	defer c.Close() // commits the positions (auto commit) and leaves the group
	err = c.Subscribe([]string{topic}, core.RebalanceListener{
		OnPartitionsAssigned: func(_ context.Context, parts []core.TopicPartition) {
			fmt.Printf("assigned %v\n", parts)
		},
	})
	if err != nil {
		return err
	}

	n := 0
	for rec, err := range c.Records(ctx) {
		if err != nil {
			return err
		}
		fmt.Printf("%s-%d@%d %s=%s\n", rec.Topic, rec.Partition, rec.Offset, rec.Key, rec.Value)
		if n++; n == 10 {
			break
		}
	}
	if err := c.Commit(ctx, nil); err != nil { // commit the positions now
		return err
	}
	committed, err := c.Committed(ctx, c.Assignment()...)
	if err != nil {
		return err
	}
	total := int64(0)
	for _, o := range committed {
		total += o.Offset
	}
	fmt.Printf("committed offsets add up to %d\n", total)
	return nil
}
