package otel

import (
	"context"
	"strconv"
	"time"

	gotel "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/messagingconv"
)

// durationBuckets are the bucket boundaries, in seconds, that the messaging
// conventions give for messaging.client.operation.duration and
// messaging.process.duration.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// instruments are the semantic conventions' messaging metrics.
type instruments struct {
	opDuration      messagingconv.ClientOperationDuration
	processDuration messagingconv.ProcessDuration
	sent            messagingconv.ClientSentMessages
	consumed        messagingconv.ClientConsumedMessages
}

func (m *instruments) init(meter metric.Meter) {
	var err error
	buckets := metric.WithExplicitBucketBoundaries(durationBuckets...)
	if m.opDuration, err = messagingconv.NewClientOperationDuration(meter, buckets); err != nil {
		gotel.Handle(err)
	}
	if m.processDuration, err = messagingconv.NewProcessDuration(meter, buckets); err != nil {
		gotel.Handle(err)
	}
	if m.sent, err = messagingconv.NewClientSentMessages(meter); err != nil {
		gotel.Handle(err)
	}
	if m.consumed, err = messagingconv.NewClientConsumedMessages(meter); err != nil {
		gotel.Handle(err)
	}
}

// metricAttrs returns the attributes of a metric point: operation type,
// destination and partition (when known: topic "" and partition < 0 leave
// them out), server, consumer group, and error.type when err is not nil.
func (c *client) metricAttrs(op messagingconv.OperationTypeAttr, topic string, partition int32, err error) []attribute.KeyValue {
	a := make([]attribute.KeyValue, 0, 8)
	if op != "" {
		a = append(a, semconv.MessagingOperationTypeKey.String(string(op)))
	}
	if topic != "" {
		a = append(a, semconv.MessagingDestinationName(topic))
	}
	if partition >= 0 {
		a = append(a, semconv.MessagingDestinationPartitionID(strconv.Itoa(int(partition))))
	}
	a = append(a, c.server...)
	a = append(a, c.groupAttr...)
	if err != nil {
		a = append(a, semconv.ErrorType(err))
	}
	return a
}

// setKey identifies a cached attribute set of a metric point without error.
type setKey struct {
	name      string
	op        messagingconv.OperationTypeAttr // "" for the message counters
	topic     string
	partition int32
}

// metricSet returns the attribute set of a metric point: the cached one for
// points without error (the cache holds one set per operation, topic and
// partition), or a new one with error.type.
func (c *client) metricSet(name string, op messagingconv.OperationTypeAttr, topic string, partition int32, err error) attribute.Set {
	k := setKey{name, op, topic, partition}
	if err == nil {
		if s, ok := c.sets.Load(k); ok {
			return s.(attribute.Set)
		}
	}
	a := c.metricAttrs(op, topic, partition, err)
	a = append(a, semconv.MessagingSystemKafka, semconv.MessagingOperationName(name))
	set := attribute.NewSet(a...)
	if err == nil {
		c.sets.Store(k, set)
	}
	return set
}

// recordDuration records messaging.client.operation.duration.
func (c *client) recordDuration(ctx context.Context, name string, op messagingconv.OperationTypeAttr, start time.Time, topic string, partition int32, err error) {
	if !c.m.opDuration.Enabled(ctx) {
		return
	}
	c.m.opDuration.RecordSet(ctx, time.Since(start).Seconds(), c.metricSet(name, op, topic, partition, err))
}
