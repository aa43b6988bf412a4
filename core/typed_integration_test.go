package core_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
	"github.com/kafka3/kafka3-go/serde"
	"github.com/kafka3/kafka3-go/serde/msgpack"
)

type typedOrder struct {
	ID    int               `json:"id" msgpack:"id"`
	Item  string            `json:"item" msgpack:"item"`
	Price float64           `json:"price" msgpack:"price"`
	Tags  map[string]string `json:"tags,omitempty" msgpack:"tags,omitempty"`
}

func typedCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func newTypedTestProducer(t *testing.T) *core.Producer {
	t.Helper()
	p, err := core.NewProducer(core.ProducerConfig{Config: core.Config{BootstrapServers: kafkatest.Brokers(t)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close(context.Background()) })
	return p
}

// typedRoundTrip sends orders with the value serde vs and reads them back.
func typedRoundTrip(t *testing.T, vs core.Serde[typedOrder]) {
	topic := kafkatest.CreateTopic(t, 2, nil)
	ctx := typedCtx(t, time.Minute)
	tp := core.NewTypedProducer(newTypedTestProducer(t), serde.String{}, vs)
	want := map[string]typedOrder{}
	for i := range 20 {
		o := typedOrder{ID: i, Item: "widget", Price: float64(i) + 0.5}
		if i%2 == 0 {
			o.Tags = map[string]string{"even": "yes"}
		}
		key := "order-" + string(rune('a'+i))
		want[key] = o
		if _, err := tp.SendSync(ctx, core.TypedRecord[string, typedOrder]{Topic: topic, Key: key, Value: o,
			Headers: []core.Header{{Key: "h", Value: []byte("v")}}}); err != nil {
			t.Fatal(err)
		}
	}
	c := newTestConsumer(t, nil)
	if err := c.Assign(core.TopicPartition{Topic: topic, Partition: 0}, core.TopicPartition{Topic: topic, Partition: 1}); err != nil {
		t.Fatal(err)
	}
	tc := core.NewTypedConsumer(c, serde.String{}, vs)
	got := map[string]typedOrder{}
	for rec, err := range tc.Records(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Headers) != 1 || rec.Headers[0].Key != "h" || rec.Topic != topic || rec.Offset < 0 {
			t.Fatalf("record %+v", rec)
		}
		got[rec.Key] = rec.Value
		if len(got) == len(want) {
			break
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
}

func TestTypedRoundTripJSON(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Headers)
	t.Parallel()
	typedRoundTrip(t, serde.JSON[typedOrder]{})
}

func TestTypedRoundTripMsgpack(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Headers)
	t.Parallel()
	typedRoundTrip(t, msgpack.Serde[typedOrder]{})
}

// A record that does not deserialize stops its partition at its offset
// until it is skipped; the records around it are delivered.
func TestTypedDeserializeErrorKeepsPosition(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Headers)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, nil)
	ctx := typedCtx(t, time.Minute)
	p := newTypedTestProducer(t)
	for _, v := range []string{`{"id":1}`, `not json`, `{"id":3}`} {
		if _, err := p.SendSync(ctx, &core.Record{Topic: topic, Value: []byte(v)}); err != nil {
			t.Fatal(err)
		}
	}
	c := newTestConsumer(t, nil)
	tp0 := core.TopicPartition{Topic: topic, Partition: 0}
	if err := c.Assign(tp0); err != nil {
		t.Fatal(err)
	}
	tc := core.NewTypedConsumer(c, serde.Bytes{}, serde.JSON[typedOrder]{})
	var ids []int
	pollUntilErr := func() *core.SerdeError {
		for {
			recs, err := tc.Poll(ctx)
			for _, r := range recs {
				ids = append(ids, r.Value.ID)
			}
			var serr *core.SerdeError
			if errors.As(err, &serr) {
				if serr.Offset != 1 || serr.Partition != 0 || serr.Topic != topic || serr.Key {
					t.Fatalf("error %+v", serr)
				}
				return serr
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	pollUntilErr()
	serr := pollUntilErr() // reported again: the consumer stayed at it
	if pos, err := c.Position(ctx, tp0); err != nil || pos != 1 {
		t.Fatalf("position %d, %v; want 1 (at the bad record)", pos, err)
	}
	if !reflect.DeepEqual(ids, []int{1}) {
		t.Fatalf("ids %v before skipping, want [1]", ids)
	}
	t.Log(serr)
	if err := tc.Skip(serr); err != nil {
		t.Fatal(err)
	}
	for len(ids) < 2 {
		recs, err := tc.Poll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			ids = append(ids, r.Value.ID)
		}
	}
	if !reflect.DeepEqual(ids, []int{1, 3}) {
		t.Fatalf("ids %v, want [1 3]", ids)
	}
}
