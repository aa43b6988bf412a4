package core_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

type ctxKey struct{}

// recorder implements every interceptor interface and records the calls.
type recorder struct {
	mu       sync.Mutex
	sent     []string // values seen by OnSend
	acks     []string // "value@partition" or the error, from OnAcknowledgement's ctx
	consumed int
	polls    int
	starts   []time.Time
	trips    []core.BrokerRoundTrip
	order    []string
}

func (r *recorder) OnSend(ctx context.Context, rec *core.Record) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, string(rec.Value))
	rec.Headers = append(rec.Headers, core.Header{Key: "intercepted", Value: []byte("yes")})
	return context.WithValue(ctx, ctxKey{}, string(rec.Value))
}

func (r *recorder) OnAcknowledgement(ctx context.Context, md core.RecordMetadata, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, _ := ctx.Value(ctxKey{}).(string)
	if err != nil {
		v = "error: " + err.Error()
	}
	r.acks = append(r.acks, v)
	r.order = append(r.order, "ack "+v)
}

func (r *recorder) OnConsume(_ context.Context, start time.Time, f core.Fetches) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.polls++
	for rec := range f.All() {
		if string(headerValue(rec.Headers, "intercepted")) == "yes" {
			r.consumed++
		}
	}
	r.starts = append(r.starts, start)
}

func (r *recorder) OnCommit(context.Context, time.Time, map[core.TopicPartition]core.OffsetAndMetadata, error) {
}

func (r *recorder) OnRoundTrip(rt core.BrokerRoundTrip) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.trips = append(r.trips, rt)
}

func headerValue(hs []core.Header, key string) []byte {
	for _, h := range hs {
		if h.Key == key {
			return h.Value
		}
	}
	return nil
}

// panicker panics in every method it has.
type panicker struct{}

func (panicker) OnSend(context.Context, *core.Record) context.Context { panic("OnSend") }
func (panicker) OnAcknowledgement(context.Context, core.RecordMetadata, error) {
	panic("OnAcknowledgement")
}
func (panicker) OnConsume(context.Context, time.Time, core.Fetches) { panic("OnConsume") }
func (panicker) OnRoundTrip(core.BrokerRoundTrip)                   { panic("OnRoundTrip") }

// factory is a ClientInterceptor that remembers what it was told.
type factory struct {
	mu    sync.Mutex
	infos []core.ClientInfo
	rec   *recorder
}

func (f *factory) ForClient(info core.ClientInfo) core.Interceptor {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.infos = append(f.infos, info)
	return f.rec
}

func TestInterceptorsRejectNonInterceptors(t *testing.T) {
	t.Parallel()
	_, err := core.NewProducer(core.ProducerConfig{Config: core.Config{
		BootstrapServers: []string{"127.0.0.1:1"}, Interceptors: []core.Interceptor{&recorder{}, 42}}})
	var cerr *core.ConfigError
	if !errors.As(err, &cerr) || !strings.Contains(err.Error(), "Interceptors[1] (int) implements none of") {
		t.Fatalf("error %v", err)
	}
}

// A producer and a consumer with interceptors, one of which panics
// everywhere: the records go through, each hook sees what it should.
func TestInterceptorsProducerConsumer(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Headers)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, nil)
	ctx := typedCtx(t, time.Minute)
	rec := &recorder{}
	f := &factory{rec: rec}
	cfg := core.Config{BootstrapServers: kafkatest.Brokers(t), ClientID: "icpt", Logger: slog.New(slog.DiscardHandler),
		Interceptors: []core.Interceptor{panicker{}, f}}
	p, err := core.NewProducer(core.ProducerConfig{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	mine := &core.Record{Topic: topic, Value: []byte("a"), Headers: make([]core.Header, 0, 4)}
	if _, err := p.SendSync(ctx, mine); err != nil {
		t.Fatal(err)
	}
	if len(mine.Headers) != 0 || len(mine.Headers[:1][0].Key) != 0 {
		t.Fatalf("the caller's record was modified: %v", mine.Headers[:1])
	}
	done := make(chan struct{})
	p.SendFunc(ctx, &core.Record{Topic: topic, Value: []byte("b")}, func(_ core.RecordMetadata, err error) {
		rec.mu.Lock()
		rec.order = append(rec.order, "callback b")
		rec.mu.Unlock()
		close(done)
	})
	<-done
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = p.SendSync(ctx, &core.Record{Topic: topic, Value: []byte("c")}) // fails before queueing
	if !errors.Is(err, core.ErrProducerClosed) {
		t.Fatalf("send after close: %v", err)
	}
	if n := p.Metrics()["interceptor-panic-total"]; n < 6 {
		t.Errorf("interceptor-panic-total %v, want at least 6 (3 sends, 3 acks)", n)
	}

	c := newTestConsumer(t, func(cc *core.ConsumerConfig) { cc.Config = cfg; cc.AutoOffsetReset = core.ResetEarliest })
	before := time.Now()
	if err := c.Assign(core.TopicPartition{Topic: topic}); err != nil {
		t.Fatal(err)
	}
	for n := 0; n < 2; {
		r, err := c.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n++
		if string(headerValue(r.Headers, "intercepted")) != "yes" {
			t.Fatalf("record %q lacks the header OnSend added: %v", r.Value, r.Headers)
		}
	}

	if n := c.Metrics()["interceptor-panic-total"]; n < 1 {
		t.Errorf("consumer interceptor-panic-total %v, want at least 1", n)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if strings.Join(rec.sent, ",") != "a,b,c" || strings.Join(rec.acks[:2], ",") != "a,b" ||
		!strings.Contains(rec.acks[2], "producer is closed") {
		t.Fatalf("sent %q acks %q", rec.sent, rec.acks)
	}
	if got := strings.Join(rec.order, ","); !strings.HasPrefix(got, "ack a,ack b,callback b") {
		t.Fatalf("order %q: OnAcknowledgement must run before the callback", got)
	}
	if rec.consumed != 2 || rec.polls < 1 || rec.starts[0].Before(before) {
		t.Fatalf("consumed %d in %d polls, first start %v", rec.consumed, rec.polls, rec.starts)
	}
	if len(f.infos) != 2 || f.infos[0].Kind != "producer" || f.infos[1].Kind != "consumer" || f.infos[0].ClientID != "icpt" {
		t.Fatalf("ClientInfos %+v", f.infos)
	}
	keys := map[int16]bool{}
	for _, rt := range rec.trips {
		if rt.Addr == "" || rt.BytesOut <= 0 || rt.Latency <= 0 {
			t.Fatalf("round trip %+v", rt)
		}
		keys[rt.Key] = true
	}
	if !keys[0] || !keys[1] || !keys[3] || !keys[18] { // Produce, Fetch, Metadata, ApiVersions
		t.Fatalf("round trips of api keys %v, want Produce, Fetch, Metadata and ApiVersions among them", keys)
	}
}
