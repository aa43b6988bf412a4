// Msgpack shows how to send and receive values encoded as MessagePack with
// the serde/msgpack plugin (kafka-python's value_deserializer=msgpack.loads).
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/examples/internal/demo"
	"github.com/kafka3/kafka3-go/serde/msgpack"
)

// Reading is the value type, encoded as a MessagePack map.
type Reading struct {
	Sensor string  `msgpack:"sensor"`
	Value  float64 `msgpack:"value"`
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
	var serde msgpack.Serde[Reading]

	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	rec := &core.Record{Topic: topic}
	if rec.Value, err = serde.Serialize(topic, &rec.Headers, Reading{Sensor: "t1", Value: 21.5}); err != nil {
		return err
	}
	if _, err := p.SendSync(ctx, rec); err != nil {
		return err
	}

	c, err := core.NewConsumer(core.ConsumerConfig{Config: demo.Config(), AutoOffsetReset: core.ResetEarliest})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Assign(core.TopicPartition{Topic: topic, Partition: 0}); err != nil {
		return err
	}
	got, err := c.Next(ctx)
	if err != nil {
		return err
	}
	r, err := serde.Deserialize(got.Topic, got.Headers, got.Value)
	if err != nil {
		return err
	}
	fmt.Printf("received %d bytes of MessagePack: %+v\n", len(got.Value), r)
	return nil
}
