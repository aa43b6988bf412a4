// Msgpack shows how to send and receive values encoded as MessagePack with
// the serde/msgpack plugin and the typed producer and consumer
// (kafka-python's value_deserializer=msgpack.loads).
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/examples/internal/demo"
	"github.com/kafka3/kafka3-go/serde"
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

	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	readings := core.NewTypedProducer(p, serde.Bytes{}, msgpack.Serde[Reading]{})
	if _, err := readings.SendSync(ctx, core.TypedRecord[[]byte, Reading]{Topic: topic, Value: Reading{Sensor: "t1", Value: 21.5}}); err != nil {
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
	recs, err := core.NewTypedConsumer(c, serde.Bytes{}, msgpack.Serde[Reading]{}).Poll(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("received %+v (key null: %v)\n", recs[0].Value, recs[0].Key == nil)
	return nil
}
