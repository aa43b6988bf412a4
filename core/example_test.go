package core_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/kafka3/kafka3-go/core"
)

// ExampleProducer sends records without waiting for each, then waits for all.
func ExampleProducer() {
	ctx := context.Background()
	p, err := core.NewProducer(core.ProducerConfig{
		Config: core.Config{BootstrapServers: []string{"localhost:9092"}},
		Linger: 10 * time.Millisecond,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close(ctx)
	for i := 0; i < 100; i++ {
		p.SendFunc(ctx, &core.Record{Topic: "events", Value: fmt.Appendf(nil, "event %d", i)},
			func(md core.RecordMetadata, err error) {
				if err != nil {
					log.Printf("record %d: %v", i, err)
				}
			})
	}
	if err := p.Flush(ctx); err != nil {
		log.Fatal(err)
	}
}

// ExampleConsumer reads one partition from its beginning, without a group.
func ExampleConsumer() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := core.NewConsumer(core.ConsumerConfig{Config: core.Config{BootstrapServers: []string{"localhost:9092"}}})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	tp := core.TopicPartition{Topic: "events", Partition: 0}
	if err := c.Assign(tp); err != nil {
		log.Fatal(err)
	}
	if err := c.SeekToBeginning(tp); err != nil {
		log.Fatal(err)
	}
	for rec, err := range c.Records(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("offset %d: %s\n", rec.Offset, rec.Value)
	}
}

// ExampleClient_CheckVersion asks the cluster which Kafka release it runs,
// like kafka-python's check_version.
func ExampleClient_CheckVersion() {
	c, err := core.NewClient(core.Config{BootstrapServers: []string{"localhost:9092"}})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	v, err := c.CheckVersion(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Kafka", v)
}

// ExampleParseProperties carries a Java or kafka-python configuration over.
func ExampleParseProperties() {
	var cfg core.ProducerConfig
	err := core.ParseProperties(&cfg, map[string]string{
		"bootstrap.servers":  "broker1:9092,broker2:9092",
		"linger_ms":          "20",
		"acks":               "1",
		"enable.idempotence": "false",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.BootstrapServers, cfg.Linger, cfg.Acks == core.AcksLeader, cfg.DisableIdempotence)
	// Output: [broker1:9092 broker2:9092] 20ms true true
}
