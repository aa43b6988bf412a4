// JSON shows how to send and receive Go values as JSON with serde.JSON
// (kafka-python's value_serializer=lambda v: json.dumps(v).encode()).
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/examples/internal/demo"
	"github.com/kafka3/kafka3-go/serde"
)

// Order is sent as a JSON object.
type Order struct {
	ID    int      `json:"id"`
	Items []string `json:"items"`
	Total float64  `json:"total"`
}

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
	var orders serde.JSON[Order]

	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	rec := &core.Record{Topic: topic}
	rec.Value, err = orders.Serialize(topic, &rec.Headers, Order{ID: 7, Items: []string{"tea", "cake"}, Total: 9.5})
	if err != nil {
		return err
	}
	if _, err := p.SendSync(ctx, rec); err != nil {
		return err
	}
	fmt.Printf("sent %s\n", rec.Value)

	c, err := core.NewConsumer(core.ConsumerConfig{Config: demo.Config(), AutoOffsetReset: core.ResetEarliest})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Assign(core.TopicPartition{Topic: topic}); err != nil {
		return err
	}
	got, err := c.Next(ctx)
	if err != nil {
		return err
	}
	o, err := orders.Deserialize(got.Topic, got.Headers, got.Value)
	if err != nil {
		return err
	}
	fmt.Printf("received order %d: %v, total %.2f\n", o.ID, o.Items, o.Total)
	return nil
}
