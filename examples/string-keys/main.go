// String-keys shows how to send string keys and values with serde.String,
// which writes what Java's StringSerializer writes (kafka-python's
// key_serializer=str.encode).
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
	var str serde.String

	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	for _, kv := range [][2]string{{"fr", "bonjour"}, {"de", "hallo"}, {"ja", "こんにちは"}} {
		rec := &core.Record{Topic: topic}
		if rec.Key, err = str.Serialize(topic, &rec.Headers, kv[0]); err != nil {
			return err
		}
		if rec.Value, err = str.Serialize(topic, &rec.Headers, kv[1]); err != nil {
			return err
		}
		p.Send(ctx, rec)
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
	for range 3 {
		rec, err := c.Next(ctx)
		if err != nil {
			return err
		}
		k, _ := str.Deserialize(rec.Topic, rec.Headers, rec.Key)
		v, _ := str.Deserialize(rec.Topic, rec.Headers, rec.Value)
		fmt.Printf("%s = %s\n", k, v)
	}
	return nil
}
