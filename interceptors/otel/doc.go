// Package otel traces and measures kafka3-go clients with OpenTelemetry,
// following the messaging semantic conventions for Kafka (semconv v1.43.0,
// the newest in go.opentelemetry.io/otel v1.47).
//
// Attach an Interceptor to any client's Config.Interceptors; one
// Interceptor may serve several clients:
//
//	tel := otel.New() // global TracerProvider, MeterProvider and propagator
//	cfg := core.Config{BootstrapServers: brokers, Interceptors: []core.Interceptor{tel}}
//
// Spans (all with messaging.system=kafka, messaging.operation.name and
// .type, messaging.client.id, server.address and server.port):
//   - "send {topic}", kind PRODUCER, one per record, from Send until the
//     broker acknowledged it (or it failed), with the destination,
//     partition, offset, key and tombstone attributes. Its context is the
//     record's creation context, injected into the record's headers with the
//     configured propagator (W3C trace context by default through the global
//     one), once: a header the application set is left alone.
//   - "poll {topic}", kind CLIENT, one per poll that returned records, from
//     the start of the poll, linked to each record's creation context;
//     "poll" alone when the records come from several topics.
//   - "commit {topic}", kind CLIENT, one per offset commit of a group.
//   - "process {topic}", kind CONSUMER, started by the application with
//     StartProcess around its handling of one record, a child of the
//     application's context linked to the record's creation context, or a
//     child of the creation context (WithProcessParent).
//
// Metrics: messaging.client.operation.duration and messaging.process.duration
// (histograms in seconds with the conventions' bucket boundaries),
// messaging.client.sent.messages and messaging.client.consumed.messages
// (counters).
//
// Sampling: attributes a sampler may look at are given when a span starts;
// the others are only computed for recording spans. A record sent or
// processed in the context of an unsampled span, or a poll made in one,
// gets no span at all (as the default parent-based sampler would decide),
// so it costs no span work; its context is still propagated.
package otel
