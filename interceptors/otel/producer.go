package otel

import (
	"context"
	"strconv"
	"time"
	"unicode/utf8"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/kafka3/kafka3-go/core"
)

// sendKey is the context key of a record's sendState, from OnSend to
// OnAcknowledgement.
type sendKey struct{}

type sendState struct {
	start time.Time
	topic string
	span  trace.Span // nil when the record got no span
}

// unsampled reports whether ctx carries a span context that is not
// sampled: its children get no span.
func unsampled(ctx context.Context) bool {
	sc := trace.SpanContextFromContext(ctx)
	return sc.IsValid() && !sc.IsSampled()
}

// OnSend implements core.SendInterceptor: it starts the record's send span
// (unless ctx is unsampled) and injects the record's creation context into
// its headers. Called on the goroutine that sends.
func (c *client) OnSend(ctx context.Context, r *core.Record) context.Context {
	measured := c.m.opDuration.Enabled(ctx) || c.m.sent.Enabled(ctx)
	if unsampled(ctx) {
		c.prop.Inject(ctx, headers{&r.Headers})
		if !measured {
			return ctx
		}
		return context.WithValue(ctx, sendKey{}, &sendState{start: time.Now(), topic: r.Topic})
	}
	st := &sendState{start: time.Now(), topic: r.Topic}
	attrs := make([]attribute.KeyValue, 0, len(c.common)+3)
	attrs = append(attrs, c.common...)
	attrs = append(attrs, semconv.MessagingOperationName("send"), semconv.MessagingOperationTypeSend,
		semconv.MessagingDestinationName(r.Topic))
	ctx, st.span = c.tracer.Start(ctx, "send "+r.Topic, trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithTimestamp(st.start), trace.WithAttributes(attrs...))
	if st.span.IsRecording() {
		st.span.SetAttributes(recordAttrs(r)...)
	}
	c.prop.Inject(ctx, headers{&r.Headers})
	return context.WithValue(ctx, sendKey{}, st)
}

// recordAttrs returns a record's key and tombstone attributes: the key
// only when it is valid UTF-8 (never for a null key), the tombstone only
// when the value is null.
func recordAttrs(r *core.Record) []attribute.KeyValue {
	var a []attribute.KeyValue
	if r.Key != nil && utf8.Valid(r.Key) {
		a = append(a, semconv.MessagingKafkaMessageKey(string(r.Key)))
	}
	if r.Value == nil {
		a = append(a, semconv.MessagingKafkaMessageTombstone(true))
	}
	return a
}

// OnAcknowledgement implements core.AckInterceptor: it ends the record's
// send span with its partition and offset, or its error, and records the
// send metrics. Called on the producer goroutine that completes the record.
func (c *client) OnAcknowledgement(ctx context.Context, md core.RecordMetadata, err error) {
	st, _ := ctx.Value(sendKey{}).(*sendState)
	if st == nil {
		return
	}
	if s := st.span; s != nil {
		if s.IsRecording() {
			if md.Partition >= 0 {
				s.SetAttributes(semconv.MessagingDestinationPartitionID(strconv.Itoa(int(md.Partition))))
			}
			if md.Offset >= 0 {
				s.SetAttributes(semconv.MessagingKafkaOffset(int(md.Offset)))
			}
			setError(s, err)
		}
		s.End()
	}
	c.recordDuration(ctx, "send", opSend, st.start, st.topic, md.Partition, err)
	if c.m.sent.Enabled(ctx) {
		c.m.sent.AddSet(ctx, 1, c.metricSet("send", "", st.topic, md.Partition, err))
	}
}

// setError marks a recording span failed with err's error.type.
func setError(s trace.Span, err error) {
	if err != nil {
		s.SetAttributes(semconv.ErrorType(err))
		s.SetStatus(codes.Error, err.Error())
	}
}
