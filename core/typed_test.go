package core_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/serde"
)

func TestTypedSerializeError(t *testing.T) {
	t.Parallel()
	p, err := core.NewProducer(core.ProducerConfig{Config: core.Config{BootstrapServers: []string{"127.0.0.1:1"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	tp := core.NewTypedProducer(p, serde.String{}, serde.JSON[func()]{})
	_, err = tp.SendSync(context.Background(), core.TypedRecord[string, func()]{Topic: "t", Value: func() {}})
	var serr *core.SerdeError
	if !errors.As(err, &serr) || !serr.Serialize || serr.Key || serr.Topic != "t" ||
		!strings.Contains(err.Error(), `cannot serialize the value of a record for topic "t"`) {
		t.Fatalf("error %v", err)
	}
	var got error
	tp.SendFunc(context.Background(), core.TypedRecord[string, func()]{Topic: "t"}, func(_ core.RecordMetadata, err error) { got = err })
	if !errors.As(got, &serr) {
		t.Fatalf("SendFunc error %v", got)
	}
}

// Serializers may add headers; the caller's slice is never written to.
func TestTypedRecordHeadersNotModified(t *testing.T) {
	t.Parallel()
	addCT := core.SerializerFunc[string](func(_ string, h *[]core.Header, v string) ([]byte, error) {
		*h = append(*h, core.Header{Key: "content-type", Value: []byte("text/plain")})
		return []byte(v), nil
	})
	tp := core.NewTypedProducer[string, string](nil, serde.String{}, addCT)
	hs := make([]core.Header, 1, 4)
	hs[0] = core.Header{Key: "a"}
	rec, err := tp.Record(&core.TypedRecord[string, string]{Topic: "t", Key: "k", Value: "v", Headers: hs})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Headers) != 2 || rec.Headers[1].Key != "content-type" || hs[:2][1].Key != "" {
		t.Fatalf("headers %v, caller's %v", rec.Headers, hs[:2])
	}
}
