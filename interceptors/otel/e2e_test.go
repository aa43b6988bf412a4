package otel_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/interceptors/otel"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// A record sent by an instrumented producer and read by an instrumented
// consumer: the send, poll and process spans are one trace.
func TestEndToEndOneTrace(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Headers+", which carry the trace context")
	topic := kafkatest.CreateTopic(t, 1, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r := newRig(t, sdktrace.ParentBased(sdktrace.AlwaysSample()), otel.WithProcessParent(true))
	cfg := core.Config{BootstrapServers: kafkatest.Brokers(t), ClientID: "e2e",
		Logger: slog.New(slog.DiscardHandler), Interceptors: []core.Interceptor{r.tel}}

	p, err := core.NewProducer(core.ProducerConfig{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	if _, err := p.SendSync(ctx, &core.Record{Topic: topic, Key: []byte("k"), Value: []byte("v")}); err != nil {
		t.Fatal(err)
	}

	c, err := core.NewConsumer(core.ConsumerConfig{Config: cfg, AutoOffsetReset: core.ResetEarliest})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Assign(core.TopicPartition{Topic: topic}); err != nil {
		t.Fatal(err)
	}
	rec, err := c.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := headerCount(rec.Headers, "traceparent"); n != 1 {
		t.Fatalf("%d traceparent headers, want 1", n)
	}
	pctx, end := r.tel.StartProcess(context.Background(), rec)
	trace.SpanFromContext(pctx).AddEvent("handled")
	end(nil)

	byName := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range r.spans.Ended() {
		byName[s.Name()] = s
	}
	send, poll, process := byName["send "+topic], byName["poll "+topic], byName["process "+topic]
	if send == nil || poll == nil || process == nil {
		t.Fatalf("spans %v: want send, poll and process of %s", keys(byName), topic)
	}
	id := send.SpanContext().TraceID()
	for _, s := range []sdktrace.ReadOnlySpan{poll, process} {
		if s.SpanContext().TraceID() != id || s.Parent().SpanID() != send.SpanContext().SpanID() {
			t.Errorf("%s: trace %v parent %v; want trace %v, parent the send span %v",
				s.Name(), s.SpanContext().TraceID(), s.Parent().SpanID(), id, send.SpanContext().SpanID())
		}
	}
	if len(poll.Links()) != 1 || poll.Links()[0].SpanContext.SpanID() != send.SpanContext().SpanID() {
		t.Errorf("poll links %v, want the send span", poll.Links())
	}
	wantAttrs(t, "send", send.Attributes(), map[string]string{
		"messaging.client.id": "e2e", "messaging.destination.partition.id": "0", "messaging.kafka.offset": "0"})
	wantAttrs(t, "process", process.Attributes(), map[string]string{
		"messaging.client.id": "e2e", "messaging.kafka.offset": "0", "messaging.kafka.message.key": "k"})
	m := r.metrics(t)
	for _, name := range []string{"messaging.client.operation.duration", "messaging.client.sent.messages",
		"messaging.client.consumed.messages", "messaging.process.duration"} {
		if m[name] == nil {
			t.Errorf("no %s", name)
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
