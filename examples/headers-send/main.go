// Headers-send shows how to attach headers to records
// (kafka-python's producer.send(topic, value=..., headers=[('k', b'v')])).
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
	topic, drop := demo.Topic(ctx, 1)
	defer drop()

	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	md, err := p.SendSync(ctx, &core.Record{
		Topic: topic,
		Value: []byte(`{"event":"signup"}`),
		Headers: []core.Header{ // keys may repeat; order is kept
			{Key: "content-type", Value: []byte("application/json")},
			{Key: "source", Value: []byte("web")},
			{Key: "source", Value: []byte("eu-west")},
		},
	})
	if err != nil {
		return err
	}
	fmt.Printf("sent with 3 headers (%d bytes of headers) at offset %d\n", md.SerializedHeadersSize, md.Offset)
	return nil
}
