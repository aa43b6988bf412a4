// Send-wait shows how to block for the result of one send, with a timeout
// (kafka-python's producer.send(...).get(timeout=10)).
package main

import (
	"context"
	"errors"
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

	future := p.Send(ctx, &core.Record{Topic: topic, Key: []byte("k"), Value: []byte("hello")})
	wait, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	md, err := future.Get(wait)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("no acknowledgement within 10s (the record may still be delivered): %w", err)
	case err != nil:
		return err
	}
	fmt.Printf("acknowledged: topic %s partition %d offset %d at %s\n",
		md.Topic, md.Partition, md.Offset, md.Timestamp.Format(time.RFC3339))

	// SendSync is Send followed by Get.
	md, err = p.SendSync(wait, &core.Record{Topic: topic, Value: []byte("again")})
	if err != nil {
		return err
	}
	fmt.Printf("acknowledged: offset %d\n", md.Offset)
	return nil
}
