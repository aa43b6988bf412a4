package otel

import (
	"net"
	"strconv"
	"sync"
	"sync/atomic"

	gotel "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/messagingconv"
	"go.opentelemetry.io/otel/trace"

	"github.com/kafka3/kafka3-go/core"
)

// ScopeName is the instrumentation scope of this package's tracer and meter.
const ScopeName = "github.com/kafka3/kafka3-go/interceptors/otel"

// Interceptor traces and measures the clients it is attached to through
// core.Config.Interceptors (it is a core.ClientInterceptor). Create it with
// New. Safe for concurrent use; one Interceptor may serve many clients.
type Interceptor struct {
	tracer        trace.Tracer
	prop          propagation.TextMapPropagator
	parentProcess bool
	m             instruments
	consumer      atomic.Pointer[client] // the last consumer bound, for StartProcess
}

// Option configures an Interceptor.
type Option func(*config)

type config struct {
	tp            trace.TracerProvider
	mp            metric.MeterProvider
	prop          propagation.TextMapPropagator
	parentProcess bool
}

// WithTracerProvider sets the TracerProvider. Default: the global one
// (otel.GetTracerProvider), as it is when New is called (the global
// provider delegates to one set later).
func WithTracerProvider(tp trace.TracerProvider) Option { return func(c *config) { c.tp = tp } }

// WithMeterProvider sets the MeterProvider. Default: the global one.
func WithMeterProvider(mp metric.MeterProvider) Option { return func(c *config) { c.mp = mp } }

// WithPropagator sets the propagator that writes trace context into record
// headers and reads it back. Default: the global one
// (otel.GetTextMapPropagator), which propagates nothing until the
// application sets one, such as propagation.TraceContext{}.
func WithPropagator(p propagation.TextMapPropagator) Option { return func(c *config) { c.prop = p } }

// WithProcessParent makes process spans (StartProcess) children of the
// record's creation context, linked to the application's span, instead of
// the default: children of the application's context, linked to the
// record's creation context. Use it when the trace should follow the
// message from producer to consumer. A record without a creation context
// always gets the application's context as parent.
func WithProcessParent(on bool) Option { return func(c *config) { c.parentProcess = on } }

// New returns an Interceptor configured by opts. Instruments that cannot be
// created are reported to otel.Handle and replaced by no-ops.
func New(opts ...Option) *Interceptor {
	var c config
	for _, o := range opts {
		o(&c)
	}
	if c.tp == nil {
		c.tp = gotel.GetTracerProvider()
	}
	if c.mp == nil {
		c.mp = gotel.GetMeterProvider()
	}
	if c.prop == nil {
		c.prop = gotel.GetTextMapPropagator()
	}
	i := &Interceptor{
		tracer:        c.tp.Tracer(ScopeName, trace.WithInstrumentationVersion(core.Version), trace.WithSchemaURL(semconv.SchemaURL)),
		prop:          c.prop,
		parentProcess: c.parentProcess,
	}
	i.m.init(c.mp.Meter(ScopeName, metric.WithInstrumentationVersion(core.Version), metric.WithSchemaURL(semconv.SchemaURL)))
	return i
}

// ForClient implements core.ClientInterceptor: it returns the interceptor
// of one client, which labels spans and metrics with the client's id, its
// consumer group and its first bootstrap server (server.address and
// server.port: which broker serves a record is not known when its span
// starts).
func (i *Interceptor) ForClient(info core.ClientInfo) core.Interceptor {
	c := &client{Interceptor: i, group: info.GroupID}
	c.common = []attribute.KeyValue{semconv.MessagingSystemKafka, semconv.MessagingClientID(info.ClientID)}
	if len(info.BootstrapServers) > 0 {
		if host, port, err := net.SplitHostPort(info.BootstrapServers[0]); err == nil {
			c.server = append(c.server, semconv.ServerAddress(host))
			if p, err := strconv.Atoi(port); err == nil {
				c.server = append(c.server, semconv.ServerPort(p))
			}
		}
	}
	c.common = append(c.common, c.server...)
	if info.GroupID != "" {
		c.groupAttr = []attribute.KeyValue{semconv.MessagingConsumerGroupName(info.GroupID)}
		c.common = append(c.common, c.groupAttr...)
	}
	if info.Kind == "consumer" {
		i.consumer.Store(c)
	}
	return c
}

// client is the interceptor of one client.
type client struct {
	*Interceptor
	group     string
	common    []attribute.KeyValue // system, client id, server, group
	server    []attribute.KeyValue // server.address and server.port, for metrics
	groupAttr []attribute.KeyValue // consumer group name, for metrics; nil without a group
	sets      sync.Map             // setKey -> attribute.Set, see metricSet
}

var _ interface {
	core.SendInterceptor
	core.AckInterceptor
	core.ConsumeInterceptor
	core.CommitInterceptor
} = (*client)(nil)

// messagingconv's names for the operation types.
var (
	opSend    = messagingconv.OperationTypeSend
	opReceive = messagingconv.OperationTypeReceive
	opProcess = messagingconv.OperationTypeProcess
	opSettle  = messagingconv.OperationTypeSettle
)
