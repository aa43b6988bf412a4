package core

import (
	"context"
	"time"
)

// Interceptor is a value that observes a client: anything that implements
// one or more of SendInterceptor, AckInterceptor, ConsumeInterceptor,
// CommitInterceptor, BrokerInterceptor, or ClientInterceptor (which makes
// one of those per client). Interceptors are listed in Config.Interceptors;
// the client finds out which interfaces each implements once, when it is
// constructed, and calls them in the order they are listed. A value that
// implements none of them is a configuration error.
//
// An interceptor must be safe for concurrent use: a Producer calls OnSend
// from every goroutine that sends. A panic in an interceptor method is
// recovered, logged through Config.Logger (the first time and then at
// every power of two) and counted in the client's Metrics as
// "interceptor-panic-total"; the client goes on as if the method had
// returned normally.
//
// With no interceptors configured, a client does no interceptor work at
// all and allocates nothing for them.
type Interceptor = any

// SendInterceptor sees every record a Producer is asked to send.
type SendInterceptor interface {
	// OnSend is called on the goroutine calling Send, SendFunc or SendSync,
	// before the record is partitioned or checked, with the ctx given to
	// that call. r is the producer's own copy of the record: OnSend may
	// change it, typically appending to r.Headers (tracing context), and
	// the changes are what is sent; the caller's Record is never modified.
	// OnSend must not retain r.
	//
	// The returned context is passed on to the next SendInterceptor and,
	// finally, to every AckInterceptor's OnAcknowledgement for this record:
	// the place to keep per-record state such as a span. Returning nil
	// keeps ctx.
	OnSend(ctx context.Context, r *Record) context.Context
}

// AckInterceptor learns the outcome of every record a Producer was asked
// to send.
type AckInterceptor interface {
	// OnAcknowledgement is called exactly once per record, when the broker
	// acknowledged it or it failed, before the user's callback runs and
	// before its Future is done. ctx is the context the SendInterceptors
	// returned (the Send call's ctx when there are none; it may be
	// cancelled by now, so use it for its values only). It is called on
	// the producer goroutine that completes the record's request, in the
	// partition's order, or on the sending goroutine when the record failed
	// before it was queued (then md.Partition is -1). It must be quick: it
	// delays the other records of its request.
	OnAcknowledgement(ctx context.Context, md RecordMetadata, err error)
}

// ConsumeInterceptor sees the records a Consumer hands to the application.
type ConsumeInterceptor interface {
	// OnConsume is called once per poll that returns records (by Poll, or by
	// Next and Records when they poll), on the goroutine that called it,
	// with that call's ctx, the time the poll began waiting, and the
	// records, before the application sees them. f and its records follow
	// Poll's buffer rule: OnConsume must not modify or retain them.
	OnConsume(ctx context.Context, start time.Time, f Fetches)
}

// CommitInterceptor learns about the offsets a Consumer commits for its
// group.
type CommitInterceptor interface {
	// OnCommit is called after every offset commit of the consumer's group,
	// successful or not (err), explicit or automatic, with the offsets it
	// was asked to commit and the time it started. It is called on the
	// goroutine that committed: the caller of Commit, the goroutine of a
	// CommitAsync, or the group's background goroutine for auto commits.
	// offsets must not be modified or retained.
	OnCommit(ctx context.Context, start time.Time, offsets map[TopicPartition]OffsetAndMetadata, err error)
}

// BrokerInterceptor sees every request a client sends to a broker, for
// metrics.
type BrokerInterceptor interface {
	// OnRoundTrip is called on the goroutine that sent the request, once
	// its response arrived or it failed. It runs on the client's network
	// path, so it must be fast and must not block.
	OnRoundTrip(rt BrokerRoundTrip)
}

// BrokerRoundTrip describes one request to a broker and its outcome.
type BrokerRoundTrip struct {
	// NodeID is the broker's id, or a negative number for a bootstrap
	// address used before the cluster's metadata was known.
	NodeID int32
	// Addr is the broker's host:port.
	Addr string
	// Key and Version are the request's API key (protocol.ApiKey values)
	// and version.
	Key, Version int16
	// BytesOut and BytesIn count the request's and response's frames,
	// size prefixes included; BytesIn is 0 when no response arrived.
	BytesOut, BytesIn int
	// Latency is the time from sending the request to its response.
	Latency time.Duration
	// Err is the transport error, if any (not the error codes inside the
	// response).
	Err error
}

// ClientInterceptor is an interceptor that makes a separate interceptor for
// each client it is attached to, knowing which client that is: a factory
// such as an OpenTelemetry plugin, which labels its spans and metrics with
// the client id and the consumer group.
type ClientInterceptor interface {
	// ForClient is called once, while the client is constructed, and
	// returns the interceptor the client uses (one implementing the
	// interfaces above; nil for none).
	ForClient(info ClientInfo) Interceptor
}

// ClientInfo describes the client an interceptor is attached to.
type ClientInfo struct {
	// Kind is "producer", "consumer", or "client" (Client and Admin).
	Kind string
	// ClientID is Config.ClientID, with its default applied.
	ClientID string
	// GroupID is the consumer's group, or empty.
	GroupID string
	// BootstrapServers is Config.BootstrapServers; do not modify it.
	BootstrapServers []string
}
