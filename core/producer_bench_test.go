package core_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// BenchmarkProducerSend measures the send path against the test broker:
// SendFunc with a shared callback (no allocation by the caller), and Send,
// whose Future is the one allocation per record the producer allows. Besides
// ns/op (one op is one record) it reports the heap allocations per record
// and per Produce request, and the records per request, counted over the
// whole run including the producer's own goroutines:
//
//	go test -run '^$' -bench ProducerSend -benchtime 200000x ./core/
func BenchmarkProducerSend(b *testing.B) {
	for _, bc := range []struct {
		name       string
		size       int
		partitions int32
		codec      string
		future     bool
	}{
		{"100B/SendFunc", 100, 4, "", false},
		{"1KB/SendFunc", 1024, 4, "", false},
		{"1KB/1partition/SendFunc", 1024, 1, "", false},
		{"100B/Send", 100, 4, "", true},
		{"100B/lz4/SendFunc", 100, 4, "lz4", false},
		{"100B/zstd/SendFunc", 100, 4, "zstd", false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			if bc.codec != "" {
				if _, err := core.CodecByName(bc.codec); err != nil {
					b.Skipf("codec %s not linked into core's tests: %v", bc.codec, err)
				}
			}
			topic := kafkatest.CreateTopic(b, bc.partitions, nil)
			p, err := core.NewProducer(core.ProducerConfig{Config: core.Config{BootstrapServers: kafkatest.Brokers(b), Logger: quiet}, Compression: bc.codec})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close(context.Background())
			ctx := context.Background()
			if _, err := p.SendSync(ctx, &core.Record{Topic: topic}); err != nil {
				b.Fatal(err)
			}
			value := make([]byte, bc.size)
			for i := range value {
				value[i] = "abcdefghijklmnopqrstuvwxyz 0123456789"[(i*7+i/13)%37] // compressible, not trivially
			}
			rec := core.Record{Topic: topic, Value: value}
			done := func(_ core.RecordMetadata, err error) {
				if err != nil {
					b.Error(err)
				}
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			reqsBefore := requestCount(p)
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
			b.StopTimer()
			runtime.ReadMemStats(&after)
			allocs := float64(after.Mallocs - before.Mallocs)
			b.ReportMetric(allocs/float64(b.N), "allocs/record")
			if reqs := requestCount(p) - reqsBefore; reqs > 0 {
				b.ReportMetric(float64(b.N)/reqs, "records/request")
				b.ReportMetric(allocs/reqs, "allocs/request")
			}
		})
	}
}

// requestCount estimates the Produce requests sent so far from the
// producer's metrics: records sent ÷ records per request.
func requestCount(p *core.Producer) float64 {
	m := p.Metrics()
	if m["records-per-request-avg"] == 0 {
		return 0
	}
	return m["record-send-total"] / m["records-per-request-avg"]
}
