package otel_test

import (
	"context"
	"log"

	gotel "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/interceptors/otel"
)

// Trace a producer and a consumer, and process each record in a span that
// continues the producer's trace.
func Example() {
	gotel.SetTextMapPropagator(propagation.TraceContext{}) // and set up a TracerProvider and MeterProvider
	tel := otel.New(otel.WithProcessParent(true))
	cfg := core.Config{BootstrapServers: []string{"localhost:9092"}, Interceptors: []core.Interceptor{tel}}
	ctx := context.Background()

	p, err := core.NewProducer(core.ProducerConfig{Config: cfg})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close(ctx)
	p.Send(ctx, &core.Record{Topic: "orders", Value: []byte("book")}) // a "send orders" span

	c, err := core.NewConsumer(core.ConsumerConfig{Config: cfg, GroupID: "billing"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if err := c.Subscribe([]string{"orders"}, core.RebalanceListener{}); err != nil {
		log.Fatal(err)
	}
	for rec, err := range c.Records(ctx) { // a "poll orders" span per poll
		if err != nil {
			log.Fatal(err)
		}
		pctx, end := tel.StartProcess(ctx, rec) // a "process orders" span
		err := handle(pctx, rec)
		end(err)
	}
}

func handle(context.Context, *core.Record) error { return nil }
