package otel_test

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/interceptors/otel"
)

// benchHooks returns a client interceptor whose spans go nowhere (an SDK
// provider without processors) and whose metrics are aggregated by the SDK.
func benchHooks(b *testing.B, sampler sdktrace.Sampler, kind string) hooks {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	tel := otel.New(otel.WithTracerProvider(tp), otel.WithMeterProvider(mp), otel.WithPropagator(propagation.TraceContext{}))
	return tel.ForClient(core.ClientInfo{Kind: kind, ClientID: "c", GroupID: "g", BootstrapServers: []string{"b:9092"}}).(hooks)
}

// BenchmarkSend measures OnSend and OnAcknowledgement for one record: in a
// sampled trace, in an unsampled one (no span work: the trace context is
// propagated and the metrics recorded), and as a new root that the sampler
// drops.
func BenchmarkSend(b *testing.B) {
	unsampled := trace.ContextWithRemoteSpanContext(context.Background(), remoteSampled(b, false))
	sampled := trace.ContextWithRemoteSpanContext(context.Background(), remoteSampled(b, true))
	for _, bc := range []struct {
		name    string
		ctx     context.Context
		sampler sdktrace.Sampler
	}{
		{"sampled", sampled, sdktrace.ParentBased(sdktrace.AlwaysSample())},
		{"unsampled", unsampled, sdktrace.ParentBased(sdktrace.AlwaysSample())},
		{"root-dropped", context.Background(), sdktrace.NeverSample()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			h := benchHooks(b, bc.sampler, "producer")
			hs := make([]core.Header, 0, 4)
			rec := core.Record{Topic: "orders", Key: []byte("k"), Value: []byte("v")}
			md := core.RecordMetadata{Topic: "orders", Partition: 1, Offset: 42}
			b.ReportAllocs()
			for range b.N {
				rec.Headers = hs[:0]
				h.OnAcknowledgement(h.OnSend(bc.ctx, &rec), md, nil)
			}
		})
	}
}

// BenchmarkPoll measures OnConsume for a poll of 100 records that carry a
// creation context, sampled and unsampled.
func BenchmarkPoll(b *testing.B) {
	src := newRig(b, sdktrace.AlwaysSample())
	recs, _ := consumed(b, src, "orders", 100)
	unsampled := trace.ContextWithRemoteSpanContext(context.Background(), remoteSampled(b, false))
	for _, bc := range []struct {
		name string
		ctx  context.Context
	}{{"sampled", context.Background()}, {"unsampled", unsampled}} {
		b.Run(bc.name, func(b *testing.B) {
			h := benchHooks(b, sdktrace.ParentBased(sdktrace.AlwaysSample()), "consumer")
			f := core.Fetches{{Topic: "orders", Partition: 1, Records: recs}}
			start := time.Now()
			b.ReportAllocs()
			for range b.N {
				h.OnConsume(bc.ctx, start, f)
			}
		})
	}
}
