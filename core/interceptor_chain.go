package core

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"
	"time"
)

// interceptors is a client's interceptors, sorted by interface once at
// construction. A client without interceptors has a nil *interceptors;
// every method is safe to call on nil and then does nothing.
type interceptors struct {
	log     *slog.Logger
	send    []SendInterceptor
	ack     []AckInterceptor
	consume []ConsumeInterceptor
	commit  []CommitInterceptor
	broker  []BrokerInterceptor
	panics  atomic.Int64
}

// newInterceptors sorts cfg.Interceptors (cfg has its defaults applied) for
// a client described by info. It returns nil when there are none, and an
// error naming any value that implements no interceptor interface.
func newInterceptors(cfg Config, info ClientInfo) (*interceptors, error) {
	if len(cfg.Interceptors) == 0 {
		return nil, nil
	}
	info.ClientID, info.BootstrapServers = cfg.ClientID, cfg.BootstrapServers
	ics := &interceptors{log: cfg.Logger}
	for n, i := range cfg.Interceptors {
		if f, ok := i.(ClientInterceptor); ok {
			i = f.ForClient(info)
			if i == nil {
				continue
			}
		}
		if !ics.add(i) {
			return nil, &ConfigError{Problems: []error{fmt.Errorf(
				"Interceptors[%d] (%T) implements none of SendInterceptor, AckInterceptor, ConsumeInterceptor, CommitInterceptor, BrokerInterceptor, ClientInterceptor", n, i)}}
		}
	}
	if len(ics.send)+len(ics.ack)+len(ics.consume)+len(ics.commit)+len(ics.broker) == 0 {
		return nil, nil
	}
	return ics, nil
}

// add files i under every interface it implements and reports whether it
// implements any.
func (ics *interceptors) add(i Interceptor) bool {
	n := len(ics.send) + len(ics.ack) + len(ics.consume) + len(ics.commit) + len(ics.broker)
	if v, ok := i.(SendInterceptor); ok {
		ics.send = append(ics.send, v)
	}
	if v, ok := i.(AckInterceptor); ok {
		ics.ack = append(ics.ack, v)
	}
	if v, ok := i.(ConsumeInterceptor); ok {
		ics.consume = append(ics.consume, v)
	}
	if v, ok := i.(CommitInterceptor); ok {
		ics.commit = append(ics.commit, v)
	}
	if v, ok := i.(BrokerInterceptor); ok {
		ics.broker = append(ics.broker, v)
	}
	return len(ics.send)+len(ics.ack)+len(ics.consume)+len(ics.commit)+len(ics.broker) > n
}

// recovered is deferred around every interceptor call: it recovers a panic,
// counts it and logs it the first time and at every power of two.
func (ics *interceptors) recovered(i any, method string) {
	r := recover()
	if r == nil {
		return
	}
	n := ics.panics.Add(1)
	if n&(n-1) == 0 {
		ics.log.Error("core: interceptor panicked; the client goes on without its result",
			"interceptor", fmt.Sprintf("%T", i), "method", method, "panic", r, "panics", n)
	}
}

// panicCount returns how many interceptor calls panicked.
func (ics *interceptors) panicCount() int64 {
	if ics == nil {
		return 0
	}
	return ics.panics.Load()
}

// sends reports whether OnSend or OnAcknowledgement must be called.
func (ics *interceptors) sends() bool {
	return ics != nil && len(ics.send)+len(ics.ack) > 0
}

// onSend runs the SendInterceptors on a copy of r and returns the copy and
// fn wrapped so that the AckInterceptors run before it (fn may be nil; the
// returned function is nil only when fn is nil and there are none).
func (ics *interceptors) onSend(ctx context.Context, r *Record, fn func(RecordMetadata, error)) (*Record, func(RecordMetadata, error)) {
	if len(ics.send) > 0 {
		c := *r
		c.Headers = slices.Clip(c.Headers) // appending copies: the caller's array stays as it was
		r = &c
		for _, i := range ics.send {
			if next := ics.callSend(i, ctx, r); next != nil {
				ctx = next
			}
		}
	}
	if len(ics.ack) == 0 {
		return r, fn
	}
	return r, func(md RecordMetadata, err error) {
		for _, i := range ics.ack {
			ics.callAck(i, ctx, md, err)
		}
		if fn != nil {
			fn(md, err)
		}
	}
}

func (ics *interceptors) callSend(i SendInterceptor, ctx context.Context, r *Record) (next context.Context) {
	defer ics.recovered(i, "OnSend")
	return i.OnSend(ctx, r)
}

func (ics *interceptors) callAck(i AckInterceptor, ctx context.Context, md RecordMetadata, err error) {
	defer ics.recovered(i, "OnAcknowledgement")
	i.OnAcknowledgement(ctx, md, err)
}

// consumes reports whether OnConsume must be called.
func (ics *interceptors) consumes() bool { return ics != nil && len(ics.consume) > 0 }

// onConsume runs the ConsumeInterceptors.
func (ics *interceptors) onConsume(ctx context.Context, start time.Time, f Fetches) {
	for _, i := range ics.consume {
		ics.callConsume(i, ctx, start, f)
	}
}

func (ics *interceptors) callConsume(i ConsumeInterceptor, ctx context.Context, start time.Time, f Fetches) {
	defer ics.recovered(i, "OnConsume")
	i.OnConsume(ctx, start, f)
}

// commits reports whether OnCommit must be called.
func (ics *interceptors) commits() bool { return ics != nil && len(ics.commit) > 0 }

// onCommit runs the CommitInterceptors; nil-safe.
func (ics *interceptors) onCommit(ctx context.Context, start time.Time, offsets map[TopicPartition]OffsetAndMetadata, err error) {
	if ics == nil {
		return
	}
	for _, i := range ics.commit {
		ics.callCommit(i, ctx, start, offsets, err)
	}
}

func (ics *interceptors) callCommit(i CommitInterceptor, ctx context.Context, start time.Time, offsets map[TopicPartition]OffsetAndMetadata, err error) {
	defer ics.recovered(i, "OnCommit")
	i.OnCommit(ctx, start, offsets, err)
}

// roundTripHook returns the cluster's OnRoundTrip function, or nil when no
// BrokerInterceptor is attached (the network path then skips the hook).
func (ics *interceptors) roundTripHook() func(node int32, addr string, key, version int16, out, in int, d time.Duration, err error) {
	if ics == nil || len(ics.broker) == 0 {
		return nil
	}
	return func(node int32, addr string, key, version int16, out, in int, d time.Duration, err error) {
		rt := BrokerRoundTrip{NodeID: node, Addr: addr, Key: key, Version: version, BytesOut: out, BytesIn: in, Latency: d, Err: err}
		for _, i := range ics.broker {
			ics.callBroker(i, rt)
		}
	}
}

func (ics *interceptors) callBroker(i BrokerInterceptor, rt BrokerRoundTrip) {
	defer ics.recovered(i, "OnRoundTrip")
	i.OnRoundTrip(rt)
}

// interceptCommit reports a finished commit of the consumer's group to the
// CommitInterceptors; the group wiring calls it after every commit
// (Commit, CommitAsync, auto commit), taking start with time.Now() only
// when c.ics.commits() says someone listens.
func (c *Consumer) interceptCommit(ctx context.Context, start time.Time, offsets map[TopicPartition]OffsetAndMetadata, err error) {
	c.ics.onCommit(ctx, start, offsets, err)
}
