package msgpack

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kafka3/kafka3-go/core"
)

type event struct {
	Name    string            `msgpack:"name"`
	Count   int               `msgpack:"count"`
	Payload []byte            `msgpack:"payload"`
	Tags    map[string]string `msgpack:"tags,omitempty"`
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	s := Serde[event]{}
	in := event{Name: "click", Count: 3, Payload: []byte{1, 2}, Tags: map[string]string{"a": "b"}}
	b, err := s.Serialize("t", new([]core.Header), in)
	if err != nil || len(b) == 0 {
		t.Fatalf("Serialize = %x, %v", b, err)
	}
	out, err := s.Deserialize("t", nil, b)
	if err != nil || out.Name != "click" || out.Count != 3 || !bytes.Equal(out.Payload, in.Payload) || out.Tags["a"] != "b" {
		t.Fatalf("Deserialize = %+v, %v", out, err)
	}
	for i := range b { // the result must not alias data
		b[i] = 0
	}
	if out.Name != "click" || !bytes.Equal(out.Payload, []byte{1, 2}) {
		t.Errorf("Deserialize result aliases its input: %+v", out)
	}
}

func TestExactBytes(t *testing.T) {
	t.Parallel()
	// MessagePack spec: fixmap of 1 (0x81), fixstr "a" (0xa1 0x61), positive fixint 1.
	b, err := Serde[map[string]int]{}.Serialize("t", nil, map[string]int{"a": 1})
	if err != nil || !bytes.Equal(b, []byte{0x81, 0xa1, 'a', 0x01}) {
		t.Errorf("got % x, %v; want 81 a1 61 01", b, err)
	}
}

func TestNulls(t *testing.T) {
	t.Parallel()
	if b, err := (Serde[*event]{}).Serialize("t", nil, nil); b != nil || err != nil {
		t.Errorf("nil pointer = % x, %v; want a Kafka null", b, err)
	}
	if v, err := (Serde[event]{}).Deserialize("t", nil, nil); v.Name != "" || err != nil {
		t.Errorf("null = %+v, %v", v, err)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	_, err := Serde[event]{}.Deserialize("t", nil, []byte{0x81, 0xa1})
	if err == nil || !strings.HasPrefix(err.Error(), "serde/msgpack: decoding into msgpack.event") {
		t.Errorf("truncated data error = %v", err)
	}
	_, err = Serde[chan int]{}.Serialize("t", nil, make(chan int))
	if err == nil || !strings.HasPrefix(err.Error(), "serde/msgpack: encoding chan int") {
		t.Errorf("unsupported type error = %v", err)
	}
}

func TestRegistered(t *testing.T) {
	t.Parallel()
	s, err := core.SerdeByName("msgpack")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.SerializeAny("t", new([]core.Header), `{"a": 1}`)
	if err != nil || !bytes.Equal(b, []byte{0x81, 0xa1, 'a', 0x01}) {
		t.Fatalf("SerializeAny(JSON text) = % x, %v", b, err)
	}
	v, err := s.DeserializeAny("t", nil, b)
	if m, ok := v.(map[string]any); err != nil || !ok || m["a"] != int8(1) {
		t.Errorf("DeserializeAny = %#v, %v", v, err)
	}
	if _, err := s.SerializeAny("t", new([]core.Header), "{"); err == nil || !strings.Contains(err.Error(), "must be JSON") {
		t.Errorf("bad text error = %v", err)
	}
	if _, err := core.SerdeFor[any]("msgpack"); err != nil {
		t.Error(err)
	}
}

func FuzzDeserialize(f *testing.F) {
	f.Add([]byte{0x81, 0xa1, 'a', 0x01})
	f.Add([]byte{0xc0})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Serde[event]{}.Deserialize("t", nil, data)
		_, _ = Serde[any]{}.Deserialize("t", nil, data)
	})
}

func TestParseJSONNumbers(t *testing.T) {
	t.Parallel()
	v, err := parseJSON(`{"i": 9007199254740993, "f": 1.5, "l": [1, -2e0]}`)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	l := m["l"].([]any)
	if m["i"] != 9007199254740993 || m["f"] != 1.5 || l[0] != 1 || l[1] != -2.0 {
		t.Errorf("parseJSON = %#v", v)
	}
	if _, err := parseJSON(`1 2`); err == nil {
		t.Error("two documents accepted")
	}
}
