// String-keys shows how to send string keys and values with serde.String,
// which writes what Java's StringSerializer writes, through the typed
// producer and consumer (kafka-python's key_serializer=str.encode).
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
	greetings := core.NewTypedProducer(p, serde.String{}, serde.String{})
	for _, kv := range [][2]string{{"fr", "bonjour"}, {"de", "hallo"}, {"ja", "こんにちは"}} {
		greetings.Send(ctx, core.TypedRecord[string, string]{Topic: topic, Key: kv[0], Value: kv[1]})
	}
	if err := p.Flush(ctx); err != nil {
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
	n := 0
	for rec, err := range core.NewTypedConsumer(c, serde.String{}, serde.String{}).Records(ctx) {
		if err != nil {
			return err
		}
		fmt.Printf("%s = %s\n", rec.Key, rec.Value)
		if n++; n == 3 {
			break
		}
	}
	return nil
}
