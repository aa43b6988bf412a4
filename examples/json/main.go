// JSON shows how to send and receive Go values as JSON, with serde.JSON and
// the typed producer and consumer (kafka-python's
// value_serializer=lambda v: json.dumps(v).encode()).
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

	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	orders := core.NewTypedProducer(p, serde.String{}, serde.JSON[Order]{})
	order := Order{ID: 7, Items: []string{"tea", "cake"}, Total: 9.5}
	if _, err := orders.SendSync(ctx, core.TypedRecord[string, Order]{Topic: topic, Key: "order-7", Value: order}); err != nil {
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
	for rec, err := range core.NewTypedConsumer(c, serde.String{}, serde.JSON[Order]{}).Records(ctx) {
		if err != nil {
			return err
		}
		o := rec.Value
		fmt.Printf("received %s: order %d: %v, total %.2f\n", rec.Key, o.ID, o.Items, o.Total)
		break
	}
	return nil
}
