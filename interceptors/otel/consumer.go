package otel

import (
	"context"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/messagingconv"
	"go.opentelemetry.io/otel/trace"

	"github.com/kafka3/kafka3-go/core"
)

// OnConsume implements core.ConsumeInterceptor: it records the poll span,
// linked to the creation context of each record, and the poll metrics.
// Called on the goroutine that polls.
func (c *client) OnConsume(ctx context.Context, start time.Time, f core.Fetches) {
	topic, partition := destination(len(f), func(i int) (string, int32) { return f[i].Topic, f[i].Partition })
	if c.m.consumed.Enabled(ctx) {
		for i := range f {
			c.m.consumed.AddSet(ctx, int64(len(f[i].Records)), c.metricSet("poll", "", f[i].Topic, f[i].Partition, nil))
		}
	}
	if !unsampled(ctx) {
		c.pollSpan(ctx, start, f, topic, partition)
	}
	c.recordDuration(ctx, "poll", opReceive, start, topic, partition, nil)
}

// destination returns the topic and partition shared by n items, or "" and
// -1 where they differ.
func destination(n int, at func(int) (string, int32)) (string, int32) {
	if n == 0 {
		return "", -1
	}
	topic, partition := at(0)
	for i := 1; i < n; i++ {
		t, p := at(i)
		if t != topic {
			return "", -1
		}
		if p != partition {
			partition = -1
		}
	}
	return topic, partition
}

func (c *client) pollSpan(ctx context.Context, start time.Time, f core.Fetches, topic string, partition int32) {
	n := f.NumRecords()
	attrs := c.spanAttrs("poll", opReceive, topic, partition)
	if n > 1 {
		attrs = append(attrs, semconv.MessagingBatchMessageCount(n))
	}
	links := make([]trace.Link, 0, n)
	for r := range f.All() {
		if sc := c.creation(r); sc.IsValid() {
			links = append(links, trace.Link{SpanContext: sc})
		}
	}
	parent := ctx
	if n == 1 && len(links) == 1 && !trace.SpanContextFromContext(ctx).IsValid() {
		// One message and no ambient span: the conventions allow its
		// creation context as the parent, which keeps the trace whole.
		parent = trace.ContextWithRemoteSpanContext(ctx, links[0].SpanContext)
	}
	_, span := c.tracer.Start(parent, spanName("poll", topic), trace.WithSpanKind(trace.SpanKindClient),
		trace.WithTimestamp(start), trace.WithAttributes(attrs...), trace.WithLinks(links...))
	span.End()
}

// creation returns the creation context propagated in r's headers.
func (i *Interceptor) creation(r *core.Record) trace.SpanContext {
	if len(r.Headers) == 0 {
		return trace.SpanContext{}
	}
	return trace.SpanContextFromContext(i.prop.Extract(context.Background(), headers{&r.Headers}))
}

// spanAttrs returns the sampler-relevant attributes of a span.
func (c *client) spanAttrs(name string, op messagingconv.OperationTypeAttr, topic string, partition int32) []attribute.KeyValue {
	a := make([]attribute.KeyValue, 0, len(c.common)+5)
	a = append(a, c.common...)
	a = append(a, semconv.MessagingOperationName(name), semconv.MessagingOperationTypeKey.String(string(op)))
	if topic != "" {
		a = append(a, semconv.MessagingDestinationName(topic))
	}
	if partition >= 0 {
		a = append(a, semconv.MessagingDestinationPartitionID(strconv.Itoa(int(partition))))
	}
	return a
}

func spanName(op, topic string) string {
	if topic == "" {
		return op
	}
	return op + " " + topic
}

// OnCommit implements core.CommitInterceptor: it records the commit span
// and its duration. Called on the goroutine that committed.
func (c *client) OnCommit(ctx context.Context, start time.Time, offsets map[core.TopicPartition]core.OffsetAndMetadata, err error) {
	tps := make([]core.TopicPartition, 0, len(offsets))
	for tp := range offsets {
		tps = append(tps, tp)
	}
	topic, partition := destination(len(tps), func(i int) (string, int32) { return tps[i].Topic, tps[i].Partition })
	if !unsampled(ctx) {
		_, span := c.tracer.Start(ctx, spanName("commit", topic), trace.WithSpanKind(trace.SpanKindClient),
			trace.WithTimestamp(start), trace.WithAttributes(c.spanAttrs("commit", opSettle, topic, partition)...))
		if span.IsRecording() {
			if partition >= 0 {
				span.SetAttributes(semconv.MessagingKafkaOffset(int(offsets[tps[0]].Offset)))
			}
			setError(span, err)
		}
		span.End()
	}
	c.recordDuration(ctx, "commit", opSettle, start, topic, partition, err)
}

// StartProcess starts the process span of a consumed record, to be ended by
// calling the returned function with the outcome of the processing (nil for
// success), which also records messaging.process.duration:
//
//	ctx, end := tel.StartProcess(ctx, rec)
//	err := handle(ctx, rec)
//	end(err)
//
// The span is a child of ctx linked to the record's creation context, or,
// WithProcessParent, a child of the creation context linked to ctx's span.
// It carries the consumer group and client id of the consumer this
// Interceptor was last attached to. r is not retained. There is no span
// when its parent is unsampled; the returned ctx then holds that parent.
// Safe for concurrent use; end must be called once.
func (i *Interceptor) StartProcess(ctx context.Context, r *core.Record) (context.Context, func(error)) {
	c := i.consumer.Load()
	if c == nil {
		c = &client{Interceptor: i, common: []attribute.KeyValue{semconv.MessagingSystemKafka}}
	}
	start, topic, partition := time.Now(), r.Topic, r.Partition
	parent, links := ctx, []trace.Link(nil)
	creation := i.creation(r)
	switch {
	case i.parentProcess && creation.IsValid():
		parent = trace.ContextWithRemoteSpanContext(ctx, creation)
		if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
			links = []trace.Link{{SpanContext: sc}}
		}
	case creation.IsValid():
		links = []trace.Link{{SpanContext: creation}}
	}
	var span trace.Span
	if !unsampled(parent) {
		parent, span = i.tracer.Start(parent, spanName("process", topic), trace.WithSpanKind(trace.SpanKindConsumer),
			trace.WithTimestamp(start), trace.WithAttributes(c.spanAttrs("process", opProcess, topic, partition)...),
			trace.WithLinks(links...))
		if span.IsRecording() {
			span.SetAttributes(semconv.MessagingKafkaOffset(int(r.Offset)))
			span.SetAttributes(recordAttrs(r)...)
		}
	}
	return parent, func(err error) {
		if span != nil {
			if span.IsRecording() {
				setError(span, err)
			}
			span.End()
		}
		if i.m.processDuration.Enabled(ctx) {
			i.m.processDuration.RecordSet(ctx, time.Since(start).Seconds(), c.metricSet("process", "", topic, partition, err))
		}
	}
}
