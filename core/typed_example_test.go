package core_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/serde"
)

type Order struct {
	ID   int    `json:"id"`
	Item string `json:"item"`
}

// Send and receive Go values: JSON orders keyed by customer name. A record
// that is not a valid order is reported with its topic, partition and
// offset, and skipped on purpose.
func ExampleNewTypedProducer() {
	ctx := context.Background()
	cfg := core.Config{BootstrapServers: []string{"localhost:9092"}}
	p, err := core.NewProducer(core.ProducerConfig{Config: cfg})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close(ctx)
	orders := core.NewTypedProducer(p, serde.String{}, serde.JSON[Order]{})
	if _, err := orders.SendSync(ctx, core.TypedRecord[string, Order]{
		Topic: "orders", Key: "alice", Value: Order{ID: 1, Item: "book"},
	}); err != nil {
		log.Fatal(err)
	}

	c, err := core.NewConsumer(core.ConsumerConfig{Config: cfg, AutoOffsetReset: core.ResetEarliest})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	_ = c.Assign(core.TopicPartition{Topic: "orders", Partition: 0})
	typed := core.NewTypedConsumer(c, serde.String{}, serde.JSON[Order]{})
	for rec, err := range typed.Records(ctx) {
		var bad *core.SerdeError
		if errors.As(err, &bad) {
			log.Printf("skipping: %v", bad)
			_ = typed.Skip(bad)
			continue
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(rec.Key, rec.Value.Item)
		break
	}
}
