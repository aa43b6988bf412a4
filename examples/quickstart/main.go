// Command quickstart is the README's first command (make quickstart): it
// produces a few records to a fresh topic, consumes them back through a
// consumer group, and prints what came back and both clients' metrics.
//
// It reads the broker addresses from KAFKA3_BROKERS (default 127.0.0.1:9092).
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"sort"
	"strings"
	"time"

	_ "github.com/kafka3/kafka3-go/assignors" // range, roundrobin, sticky, cooperative-sticky
	"github.com/kafka3/kafka3-go/core"
)

const records = 10

func main() {
	brokers := strings.Split(envOr("KAFKA3_BROKERS", "127.0.0.1:9092"), ",")
	topic := fmt.Sprintf("quickstart-%d", time.Now().UnixNano())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	producerMetrics, err := produce(ctx, brokers, topic)
	if err != nil {
		log.Fatal(err)
	}
	consumerMetrics, err := consume(ctx, brokers, topic)
	if err != nil {
		log.Fatal(err)
	}
	printMetrics("producer", producerMetrics, "record-send-rate", "batch-size-avg", "request-latency-avg", "records-per-request-avg")
	printMetrics("consumer", consumerMetrics, "records-consumed-rate", "bytes-consumed-rate", "fetch-latency-avg", "records-lag-max")
}

// produce sends records keyed key-0..key-9 and waits for every acknowledgement.
func produce(ctx context.Context, brokers []string, topic string) (map[string]float64, error) {
	p, err := core.NewProducer(core.ProducerConfig{Config: core.Config{BootstrapServers: brokers}})
	if err != nil {
		return nil, err
	}
	defer p.Close(ctx)
	for i := 0; i < records; i++ {
		md, err := p.SendSync(ctx, &core.Record{
			Topic: topic,
			Key:   []byte(fmt.Sprintf("key-%d", i)),
			Value: []byte(fmt.Sprintf("hello, kafka3-go #%d", i)),
		})
		if err != nil {
			return nil, err
		}
		fmt.Printf("produced %s[%d]@%d\n", md.Topic, md.Partition, md.Offset)
	}
	return p.Metrics(), nil
}

// consume joins a fresh group, reads the records back and commits them.
func consume(ctx context.Context, brokers []string, topic string) (map[string]float64, error) {
	c, err := core.NewConsumer(core.ConsumerConfig{
		Config:          core.Config{BootstrapServers: brokers},
		GroupID:         "quickstart-" + topic,
		AutoOffsetReset: core.ResetEarliest,
	})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.Subscribe([]string{topic}, core.RebalanceListener{}); err != nil {
		return nil, err
	}
	n := 0
	for rec, err := range c.Records(ctx) {
		if err != nil {
			return nil, err
		}
		fmt.Printf("consumed %s[%d]@%d key=%s value=%q\n", rec.Topic, rec.Partition, rec.Offset, rec.Key, rec.Value)
		if n++; n == records {
			break
		}
	}
	if err := c.Commit(ctx, nil); err != nil {
		return nil, err
	}
	return c.Metrics(), nil
}

func printMetrics(client string, m map[string]float64, names ...string) {
	fmt.Printf("\n%s metrics:\n", client)
	sort.Strings(names)
	for _, name := range names {
		fmt.Printf("  %-26s %.2f\n", name, m[name])
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
