package core_test

import (
	"context"
	"testing"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// BenchmarkProducerSend measures the send path against the test broker:
// SendFunc with a shared callback (no allocation by the caller), and Send,
// whose Future is the one allocation per record the producer allows.
func BenchmarkProducerSend(b *testing.B) {
	for _, bc := range []struct {
		name   string
		size   int
		future bool
	}{{"100B/SendFunc", 100, false}, {"1KB/SendFunc", 1024, false}, {"100B/Send", 100, true}} {
		b.Run(bc.name, func(b *testing.B) {
			topic := kafkatest.CreateTopic(b, 4, nil)
			p, err := core.NewProducer(core.ProducerConfig{Config: core.Config{BootstrapServers: kafkatest.Brokers(b), Logger: quiet}})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close(context.Background())
			ctx := context.Background()
			if _, err := p.SendSync(ctx, &core.Record{Topic: topic}); err != nil {
				b.Fatal(err)
			}
			rec := core.Record{Topic: topic, Value: make([]byte, bc.size)}
			done := func(_ core.RecordMetadata, err error) {
				if err != nil {
					b.Error(err)
				}
			}
			b.SetBytes(int64(bc.size))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if bc.future {
					p.Send(ctx, &rec)
				} else {
					p.SendFunc(ctx, &rec, done)
				}
			}
			if err := p.Flush(ctx); err != nil {
				b.Fatal(err)
			}
		})
	}
}
