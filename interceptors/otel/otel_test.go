package otel_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/interceptors/otel"
)

// seenSampler samples everything and remembers what it was shown.
type seenSampler struct {
	mu    sync.Mutex
	attrs map[string][]attribute.KeyValue // by span name
	links map[string]int
}

func (s *seenSampler) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.attrs == nil {
		s.attrs, s.links = map[string][]attribute.KeyValue{}, map[string]int{}
	}
	s.attrs[p.Name], s.links[p.Name] = p.Attributes, len(p.Links)
	return sdktrace.AlwaysSample().ShouldSample(p)
}

func (s *seenSampler) Description() string { return "seen" }

func TestSendSpan(t *testing.T) {
	t.Parallel()
	sampler := &seenSampler{}
	r := newRig(t, sampler)
	h := r.client(t, "producer", "")
	rec := &core.Record{Topic: "orders", Key: []byte("alice"), Value: []byte("v"), Headers: []core.Header{{Key: "x", Value: []byte("1")}}}
	ctx := h.OnSend(context.Background(), rec)
	h.OnAcknowledgement(ctx, core.RecordMetadata{Topic: "orders", Partition: 3, Offset: 42}, nil)

	s := r.ended(t, 1)[0]
	if s.Name() != "send orders" || s.SpanKind() != trace.SpanKindProducer || s.Parent().IsValid() {
		t.Fatalf("span %q kind %v parent %v", s.Name(), s.SpanKind(), s.Parent())
	}
	wantAttrs(t, "send", s.Attributes(), map[string]string{
		"messaging.system": "kafka", "messaging.operation.name": "send", "messaging.operation.type": "send",
		"messaging.destination.name": "orders", "messaging.destination.partition.id": "3",
		"messaging.kafka.offset": "42", "messaging.kafka.message.key": "alice", "messaging.client.id": "cid",
		"server.address": "broker1.example", "server.port": "9093",
	}, "messaging.kafka.message.tombstone", "error.type", "messaging.consumer.group.name", "messaging.batch.message_count")
	wantAttrs(t, "sampler", sampler.attrs["send orders"], map[string]string{
		"messaging.system": "kafka", "messaging.operation.name": "send", "messaging.operation.type": "send",
		"messaging.destination.name": "orders", "server.address": "broker1.example", "server.port": "9093",
	})
	want := fmt.Sprintf("00-%s-%s-01", s.SpanContext().TraceID(), s.SpanContext().SpanID())
	if got := header(rec.Headers, "traceparent"); got != want || headerCount(rec.Headers, "traceparent") != 1 {
		t.Fatalf("traceparent %q (%d copies), want %q once", got, headerCount(rec.Headers, "traceparent"), want)
	}
}

// A traceparent the application set is left alone; sending the same record
// again adds no second copy.
func TestSendKeepsUserTraceparent(t *testing.T) {
	t.Parallel()
	r := newRig(t, sdktrace.AlwaysSample())
	h := r.client(t, "producer", "")
	const mine = "00-0102030405060708090a0b0c0d0e0f10-0102030405060708-01"
	rec := &core.Record{Topic: "t", Headers: []core.Header{{Key: "traceparent", Value: []byte(mine)}}}
	for range 2 {
		h.OnAcknowledgement(h.OnSend(context.Background(), rec), core.RecordMetadata{Partition: 0, Offset: 1}, nil)
	}
	if header(rec.Headers, "traceparent") != mine || headerCount(rec.Headers, "traceparent") != 1 || len(rec.Headers) != 1 {
		t.Fatalf("headers %q", rec.Headers)
	}
}

func TestSendKeyAndTombstone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		key       []byte
		wantKey   bool
		tombstone bool
	}{
		{"null key", nil, false, true},
		{"binary key", []byte{0xff, 0xfe}, false, true},
		{"empty key", []byte{}, true, false},
	} {
		r := newRig(t, sdktrace.AlwaysSample())
		h := r.client(t, "producer", "")
		rec := &core.Record{Topic: "t", Key: tc.key}
		if !tc.tombstone {
			rec.Value = []byte("v")
		}
		h.OnAcknowledgement(h.OnSend(context.Background(), rec), core.RecordMetadata{Partition: 0, Offset: 0}, nil)
		m := attrs(r.ended(t, 1)[0].Attributes())
		if _, ok := m["messaging.kafka.message.key"]; ok != tc.wantKey {
			t.Errorf("%s: key attribute present %v", tc.name, ok)
		}
		if v, ok := m["messaging.kafka.message.tombstone"]; ok != tc.tombstone || ok && !v.AsBool() {
			t.Errorf("%s: tombstone %v %v", tc.name, v.Emit(), ok)
		}
	}
}

func TestSendErrorType(t *testing.T) {
	t.Parallel()
	r := newRig(t, sdktrace.AlwaysSample())
	h := r.client(t, "producer", "")
	ctx := h.OnSend(context.Background(), &core.Record{Topic: "t", Value: []byte("v")})
	h.OnAcknowledgement(ctx, core.RecordMetadata{Topic: "t", Partition: -1, Offset: -1},
		fmt.Errorf("core: giving up: %w", kerr.NotLeaderOrFollower))
	s := r.ended(t, 1)[0]
	wantAttrs(t, "failed send", s.Attributes(), map[string]string{"error.type": "NOT_LEADER_OR_FOLLOWER"},
		"messaging.destination.partition.id", "messaging.kafka.offset")
	if s.Status().Code != codes.Error {
		t.Fatalf("status %v", s.Status())
	}
	sent := r.metrics(t)["messaging.client.sent.messages"].(metricdata.Sum[int64])
	wantAttrs(t, "sent metric", sent.DataPoints[0].Attributes.ToSlice(), map[string]string{
		"error.type": "NOT_LEADER_OR_FOLLOWER", "messaging.operation.name": "send"})
}

// Records sent in an unsampled trace get no span, but carry the context.
func TestSendUnsampled(t *testing.T) {
	t.Parallel()
	r := newRig(t, sdktrace.ParentBased(sdktrace.AlwaysSample()))
	h := r.client(t, "producer", "")
	parent := remoteSampled(t, false)
	rec := &core.Record{Topic: "t"}
	ctx := h.OnSend(trace.ContextWithRemoteSpanContext(context.Background(), parent), rec)
	h.OnAcknowledgement(ctx, core.RecordMetadata{Partition: 0, Offset: 0}, nil)
	if n := len(r.spans.Started()); n != 0 {
		t.Fatalf("%d spans started", n)
	}
	want := fmt.Sprintf("00-%s-%s-00", parent.TraceID(), parent.SpanID())
	if got := header(rec.Headers, "traceparent"); got != want {
		t.Fatalf("traceparent %q, want %q", got, want)
	}
	if _, ok := r.metrics(t)["messaging.client.operation.duration"]; !ok {
		t.Fatal("no send duration for an unsampled record")
	}
}

// consumed returns records with the creation contexts of fresh send spans.
func consumed(t testing.TB, r *rig, topic string, n int) ([]core.Record, []trace.SpanContext) {
	h := r.client(t, "producer", "")
	recs := make([]core.Record, n)
	var scs []trace.SpanContext
	for i := range recs {
		recs[i] = core.Record{Topic: topic, Partition: 1, Offset: int64(10 + i), Key: []byte("k"), Value: []byte("v")}
		ctx := h.OnSend(context.Background(), &recs[i])
		scs = append(scs, trace.SpanContextFromContext(ctx))
		h.OnAcknowledgement(ctx, core.RecordMetadata{Partition: 1, Offset: int64(10 + i)}, nil)
	}
	return recs, scs
}

func TestPollSpan(t *testing.T) {
	t.Parallel()
	sampler := &seenSampler{}
	r := newRig(t, sampler)
	recs, scs := consumed(t, r, "orders", 3)
	h := r.client(t, "consumer", "g1")
	start := time.Now().Add(-time.Second)
	h.OnConsume(context.Background(), start, core.Fetches{{Topic: "orders", Partition: 1, Records: recs}})
	spans := r.ended(t, 4)
	s := spans[3]
	if s.Name() != "poll orders" || s.SpanKind() != trace.SpanKindClient || !s.StartTime().Equal(start) || s.Parent().IsValid() {
		t.Fatalf("span %q kind %v start %v parent %v", s.Name(), s.SpanKind(), s.StartTime(), s.Parent())
	}
	wantAttrs(t, "poll", s.Attributes(), map[string]string{
		"messaging.system": "kafka", "messaging.operation.name": "poll", "messaging.operation.type": "receive",
		"messaging.destination.name": "orders", "messaging.destination.partition.id": "1",
		"messaging.consumer.group.name": "g1", "messaging.batch.message_count": "3", "messaging.client.id": "cid",
	})
	if len(s.Links()) != 3 || sampler.links["poll orders"] != 3 {
		t.Fatalf("%d links (sampler saw %d), want 3", len(s.Links()), sampler.links["poll orders"])
	}
	for i, l := range s.Links() {
		if l.SpanContext.SpanID() != scs[i].SpanID() {
			t.Errorf("link %d to %v, want the send span %v", i, l.SpanContext.SpanID(), scs[i].SpanID())
		}
	}
	wantAttrs(t, "sampler", sampler.attrs["poll orders"], map[string]string{
		"messaging.batch.message_count": "3", "messaging.consumer.group.name": "g1", "messaging.destination.name": "orders"})
	consumedSum := r.metrics(t)["messaging.client.consumed.messages"].(metricdata.Sum[int64])
	if v := consumedSum.DataPoints[0].Value; v != 3 {
		t.Fatalf("consumed.messages %d, want 3", v)
	}
}

// One record and no ambient span: the poll span continues the record's
// trace. Several topics: the span is named "poll" without a destination.
func TestPollSpanParentAndTopics(t *testing.T) {
	t.Parallel()
	r := newRig(t, sdktrace.AlwaysSample())
	recs, scs := consumed(t, r, "a", 1)
	recsB, _ := consumed(t, r, "b", 1)
	h := r.client(t, "consumer", "")
	h.OnConsume(context.Background(), time.Now(), core.Fetches{{Topic: "a", Partition: 1, Records: recs}})
	s := r.ended(t, 3)[2]
	if s.Parent().SpanID() != scs[0].SpanID() || s.SpanContext().TraceID() != scs[0].TraceID() {
		t.Fatalf("poll span parent %v, want the send span %v", s.Parent(), scs[0])
	}
	h.OnConsume(context.Background(), time.Now(), core.Fetches{
		{Topic: "a", Partition: 1, Records: recs}, {Topic: "b", Partition: 1, Records: recsB}})
	s = r.ended(t, 4)[3]
	if s.Name() != "poll" || s.Parent().IsValid() {
		t.Fatalf("span %q parent %v", s.Name(), s.Parent())
	}
	wantAttrs(t, "poll of two topics", s.Attributes(), map[string]string{"messaging.batch.message_count": "2"},
		"messaging.destination.name", "messaging.destination.partition.id")
}

func TestCommitSpan(t *testing.T) {
	t.Parallel()
	r := newRig(t, sdktrace.AlwaysSample())
	h := r.client(t, "consumer", "g1")
	h.OnCommit(context.Background(), time.Now(), map[core.TopicPartition]core.OffsetAndMetadata{
		{Topic: "orders", Partition: 2}: {Offset: 7, LeaderEpoch: -1}}, errors.New("boom"))
	s := r.ended(t, 1)[0]
	if s.Name() != "commit orders" || s.SpanKind() != trace.SpanKindClient || s.Status().Code != codes.Error {
		t.Fatalf("span %q kind %v status %v", s.Name(), s.SpanKind(), s.Status())
	}
	wantAttrs(t, "commit", s.Attributes(), map[string]string{
		"messaging.operation.name": "commit", "messaging.operation.type": "settle", "messaging.consumer.group.name": "g1",
		"messaging.destination.partition.id": "2", "messaging.kafka.offset": "7", "error.type": "*errors.errorString",
	})
}

func TestProcessSpan(t *testing.T) {
	t.Parallel()
	for _, parentMode := range []bool{false, true} {
		r := newRig(t, sdktrace.AlwaysSample(), otel.WithProcessParent(parentMode))
		recs, scs := consumed(t, r, "orders", 1)
		r.client(t, "consumer", "g1")
		app, appSpan := r.tp.Tracer("app").Start(context.Background(), "handle")
		ctx, end := r.tel.StartProcess(app, &recs[0])
		if !trace.SpanContextFromContext(ctx).IsValid() {
			t.Fatal("no span in the process context")
		}
		end(nil)
		appSpan.End()
		s := r.ended(t, 3)[1]
		if s.Name() != "process orders" || s.SpanKind() != trace.SpanKindConsumer || len(s.Links()) != 1 {
			t.Fatalf("span %q kind %v links %d", s.Name(), s.SpanKind(), len(s.Links()))
		}
		parent, link := appSpan.SpanContext(), scs[0]
		if parentMode {
			parent, link = link, parent
		}
		if s.Parent().SpanID() != parent.SpanID() || s.Links()[0].SpanContext.SpanID() != link.SpanID() {
			t.Errorf("parent mode %v: parent %v link %v", parentMode, s.Parent().SpanID(), s.Links()[0].SpanContext.SpanID())
		}
		wantAttrs(t, "process", s.Attributes(), map[string]string{
			"messaging.operation.name": "process", "messaging.operation.type": "process",
			"messaging.destination.name": "orders", "messaging.destination.partition.id": "1",
			"messaging.kafka.offset": "10", "messaging.kafka.message.key": "k", "messaging.consumer.group.name": "g1",
		})
		if _, ok := r.metrics(t)["messaging.process.duration"]; !ok {
			t.Error("no messaging.process.duration")
		}
	}
}

func TestMetricsBuckets(t *testing.T) {
	t.Parallel()
	r := newRig(t, sdktrace.AlwaysSample())
	consumed(t, r, "orders", 2)
	m := r.metrics(t)
	h, ok := m["messaging.client.operation.duration"].(metricdata.Histogram[float64])
	if !ok {
		t.Fatalf("operation.duration is %T", m["messaging.client.operation.duration"])
	}
	dp := h.DataPoints[0]
	want := []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}
	if fmt.Sprint(dp.Bounds) != fmt.Sprint(want) || dp.Count != 2 {
		t.Fatalf("bounds %v count %d", dp.Bounds, dp.Count)
	}
	wantAttrs(t, "duration", dp.Attributes.ToSlice(), map[string]string{
		"messaging.system": "kafka", "messaging.operation.name": "send", "messaging.operation.type": "send",
		"messaging.destination.name": "orders", "messaging.destination.partition.id": "1",
		"server.address": "broker1.example", "server.port": "9093",
	})
	if s := m["messaging.client.sent.messages"].(metricdata.Sum[int64]); s.DataPoints[0].Value != 2 || !s.IsMonotonic {
		t.Fatalf("sent.messages %+v", s)
	}
}
