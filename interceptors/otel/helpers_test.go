package otel_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/interceptors/otel"
)

// rig is an Interceptor wired to an in-memory span recorder and a manual
// metric reader.
type rig struct {
	tel    *otel.Interceptor
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	tp     *sdktrace.TracerProvider
}

func newRig(t testing.TB, sampler sdktrace.Sampler, opts ...otel.Option) *rig {
	r := &rig{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	r.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.spans), sdktrace.WithSampler(sampler))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.reader))
	r.tel = otel.New(append([]otel.Option{otel.WithTracerProvider(r.tp), otel.WithMeterProvider(mp),
		otel.WithPropagator(propagation.TraceContext{})}, opts...)...)
	return r
}

// hooks are a bound client interceptor's methods.
type hooks interface {
	core.SendInterceptor
	core.AckInterceptor
	core.ConsumeInterceptor
	core.CommitInterceptor
}

func (r *rig) client(t testing.TB, kind, group string) hooks {
	t.Helper()
	h, ok := r.tel.ForClient(core.ClientInfo{Kind: kind, ClientID: "cid", GroupID: group,
		BootstrapServers: []string{"broker1.example:9093", "b2:9092"}}).(hooks)
	if !ok {
		t.Fatal("ForClient's interceptor lacks hooks")
	}
	return h
}

func (r *rig) ended(t testing.TB, n int) []sdktrace.ReadOnlySpan {
	t.Helper()
	got := r.spans.Ended()
	if len(got) != n {
		names := []string{}
		for _, s := range got {
			names = append(names, s.Name())
		}
		t.Fatalf("%d spans ended %v, want %d", len(got), names, n)
	}
	return got
}

func (r *rig) metrics(t testing.TB) map[string]metricdata.Aggregation {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := r.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]metricdata.Aggregation{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out[m.Name] = m.Data
		}
	}
	return out
}

func attrs(kv []attribute.KeyValue) map[string]attribute.Value {
	m := map[string]attribute.Value{}
	for _, a := range kv {
		m[string(a.Key)] = a.Value
	}
	return m
}

// wantAttrs checks that got has each of want (value given as its Emit form)
// and none of the keys in absent.
func wantAttrs(t testing.TB, what string, got []attribute.KeyValue, want map[string]string, absent ...string) {
	t.Helper()
	m := attrs(got)
	for k, v := range want {
		if g, ok := m[k]; !ok || g.Emit() != v {
			t.Errorf("%s: attribute %s = %q (present %v), want %q", what, k, g.Emit(), ok, v)
		}
	}
	for _, k := range absent {
		if g, ok := m[k]; ok {
			t.Errorf("%s: attribute %s = %q, want none", what, k, g.Emit())
		}
	}
}

func remoteSampled(t testing.TB, sampled bool) trace.SpanContext {
	t.Helper()
	cfg := trace.SpanContextConfig{TraceID: trace.TraceID{1, 2, 3}, SpanID: trace.SpanID{4, 5, 6}, Remote: true}
	if sampled {
		cfg.TraceFlags = trace.FlagsSampled
	}
	return trace.NewSpanContext(cfg)
}

func headerCount(hs []core.Header, key string) int {
	n := 0
	for _, h := range hs {
		if h.Key == key {
			n++
		}
	}
	return n
}

func header(hs []core.Header, key string) string {
	for _, h := range hs {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}
