// Producer-metrics shows the Producer's metrics, under the Java producer's
// names (kafka-python's producer.metrics()).
package main

import (
	"context"
	"fmt"
	"log"
	"maps"
	"slices"
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
	topic, drop := demo.Topic(ctx, 2)
	defer drop()

	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	for i := range 1000 {
		p.Send(ctx, &core.Record{Topic: topic, Value: fmt.Appendf(nil, "record %d", i)})
	}
	if err := p.Flush(ctx); err != nil {
		return err
	}
	m := p.Metrics()
	for _, name := range slices.Sorted(maps.Keys(m)) {
		fmt.Printf("%-28s %g\n", name, m[name])
	}
	return nil
}
