package core

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

type commitCounter struct{ n int }

func (c *commitCounter) OnCommit(context.Context, time.Time, map[TopicPartition]OffsetAndMetadata, error) {
	c.n++
}

type commitPanicker struct{}

func (commitPanicker) OnCommit(context.Context, time.Time, map[TopicPartition]OffsetAndMetadata, error) {
	panic("boom")
}

// Panics are recovered, counted, logged at powers of two, and the
// interceptors after the one that panicked still run.
func TestInterceptorPanicsRecoveredAndCounted(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	cnt := &commitCounter{}
	cfg := Config{Logger: slog.New(slog.NewTextHandler(&logs, nil)), Interceptors: []Interceptor{commitPanicker{}, cnt}}
	ics, err := newInterceptors(cfg, ClientInfo{Kind: "consumer"})
	if err != nil {
		t.Fatal(err)
	}
	c := &Consumer{ics: ics}
	for range 5 {
		c.interceptCommit(context.Background(), time.Now(), nil, nil)
	}
	if cnt.n != 5 || ics.panicCount() != 5 {
		t.Fatalf("later interceptor ran %d times, %d panics; want 5 and 5", cnt.n, ics.panicCount())
	}
	if n := strings.Count(logs.String(), "interceptor panicked"); n != 3 { // 1st, 2nd, 4th
		t.Fatalf("%d log lines, want 3:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "method=OnCommit") || !strings.Contains(logs.String(), "core.commitPanicker") {
		t.Fatalf("log does not name the interceptor and method:\n%s", logs.String())
	}
}

func TestInterceptorsNoneIsNil(t *testing.T) {
	t.Parallel()
	ics, err := newInterceptors(Config{}, ClientInfo{})
	if ics != nil || err != nil {
		t.Fatalf("%v, %v", ics, err)
	}
	nilFactory := clientInterceptorFunc(func(ClientInfo) Interceptor { return nil })
	if ics, err = newInterceptors(Config{Interceptors: []Interceptor{nilFactory}}, ClientInfo{}); ics != nil || err != nil {
		t.Fatalf("factory returning nil: %v, %v", ics, err)
	}
}

type clientInterceptorFunc func(ClientInfo) Interceptor

func (f clientInterceptorFunc) ForClient(i ClientInfo) Interceptor { return f(i) }

// With no interceptors, the hooks on the send and poll paths allocate
// nothing and the cluster gets no round-trip hook.
func TestInterceptorsNoneAllocateNothing(t *testing.T) {
	p, c := &Producer{}, &Consumer{}
	r := &Record{Topic: "t"}
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		r2, fn := p.intercept(ctx, r, nil)
		if r2 != r || fn != nil || c.ics.consumes() || c.ics.commits() {
			panic("interceptors ran")
		}
		c.interceptCommit(ctx, time.Time{}, nil, nil)
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per record without interceptors", allocs)
	}
	if p.ics.roundTripHook() != nil {
		t.Fatal("round-trip hook without interceptors")
	}
}

type nopSend struct{}

func (nopSend) OnSend(ctx context.Context, _ *Record) context.Context    { return ctx }
func (nopSend) OnAcknowledgement(context.Context, RecordMetadata, error) {}

// BenchmarkIntercept measures the send hook: none attached (zero
// allocations) and one no-op interceptor (the record copy and the
// acknowledgement closure).
func BenchmarkIntercept(b *testing.B) {
	ics, _ := newInterceptors(Config{Interceptors: []Interceptor{nopSend{}}}, ClientInfo{})
	for _, bc := range []struct {
		name string
		ics  *interceptors
	}{{"none", nil}, {"noop", ics}} {
		b.Run(bc.name, func(b *testing.B) {
			p := &Producer{ics: bc.ics}
			r := &Record{Topic: "t", Value: []byte("v")}
			ctx := context.Background()
			b.ReportAllocs()
			for range b.N {
				r2, fn := p.intercept(ctx, r, nil)
				if fn != nil {
					fn(RecordMetadata{}, nil)
				}
				_ = r2
			}
		})
	}
}
