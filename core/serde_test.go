package core

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// decimal is a test serde of int as decimal text that also adds a header.
var decimal = struct {
	SerializerFunc[int]
	DeserializerFunc[int]
}{
	func(_ string, h *[]Header, v int) ([]byte, error) {
		*h = append(*h, Header{Key: "content-type", Value: []byte("text/plain")})
		return strconv.AppendInt(nil, int64(v), 10), nil
	},
	func(_ string, _ []Header, data []byte) (int, error) {
		return strconv.Atoi(string(data))
	},
}

func TestSerdeFuncs(t *testing.T) {
	t.Parallel()
	var s Serde[int] = decimal
	var hs []Header
	b, err := s.Serialize("t", &hs, 42)
	if err != nil || string(b) != "42" || len(hs) != 1 || hs[0].Key != "content-type" {
		t.Fatalf("Serialize = %q, %v, headers %v", b, err, hs)
	}
	if v, err := s.Deserialize("t", hs, b); v != 42 || err != nil {
		t.Errorf("Deserialize = %d, %v", v, err)
	}
}

func TestUntyped(t *testing.T) {
	t.Parallel()
	u := Untyped[int](decimal, strconv.Atoi)
	var hs []Header
	tests := []struct {
		in      any
		want    []byte
		wantErr string
	}{
		{nil, nil, ""},
		{7, []byte("7"), ""},
		{"123", []byte("123"), ""},
		{"x", nil, "invalid syntax"},
		{int64(7), nil, "core: serde for int cannot serialize a int64; pass a int"},
	}
	for _, tt := range tests {
		got, err := u.SerializeAny("t", &hs, tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("SerializeAny(%#v) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
			t.Errorf("SerializeAny(%#v) = %q, %v, want %q", tt.in, got, err, tt.want)
		}
	}
	if v, err := u.DeserializeAny("t", nil, nil); v != nil || err != nil {
		t.Errorf("DeserializeAny(nil) = %v, %v, want nil (null)", v, err)
	}
	if v, err := u.DeserializeAny("t", nil, []byte("9")); v != 9 || err != nil {
		t.Errorf("DeserializeAny(9) = %#v, %v", v, err)
	}
	if _, err := u.DeserializeAny("t", nil, []byte("nine")); err == nil {
		t.Error("DeserializeAny(nine) did not fail")
	}
}

func TestUntypedStringIgnoresParse(t *testing.T) {
	t.Parallel()
	var str Serde[string] = struct {
		SerializerFunc[string]
		DeserializerFunc[string]
	}{
		func(_ string, _ *[]Header, v string) ([]byte, error) { return []byte(v), nil },
		func(_ string, _ []Header, b []byte) (string, error) { return string(b), nil },
	}
	u := Untyped(str, func(string) (string, error) { return "", errors.New("parsed") })
	if b, err := u.SerializeAny("t", new([]Header), "hi"); string(b) != "hi" || err != nil {
		t.Errorf("got %q, %v", b, err)
	}
}

func TestSerdeRegistry(t *testing.T) {
	t.Parallel()
	u := Untyped[int](decimal, strconv.Atoi)
	RegisterSerde("test-decimal", u)
	RegisterSerde("test-decimal", u) // the same value again is fine
	if s, err := SerdeByName("test-decimal"); s != u || err != nil {
		t.Errorf("SerdeByName = %v, %v", s, err)
	}
	if s, err := SerdeFor[int]("test-decimal"); err != nil || s == nil {
		t.Errorf("SerdeFor[int] = %v, %v", s, err)
	}
	_, err := SerdeFor[string]("test-decimal")
	if err == nil || !strings.Contains(err.Error(), "does not handle string values") {
		t.Errorf("SerdeFor[string] error = %v", err)
	}
	found := false
	for _, n := range Serdes() {
		found = found || n == "test-decimal"
	}
	if !found {
		t.Errorf("Serdes() = %v lacks test-decimal", Serdes())
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "registered twice") {
			t.Errorf("registering a different serde under a taken name: recover() = %v", r)
		}
	}()
	RegisterSerde("test-decimal", Untyped[int](decimal, nil))
}

func TestSerdeNotRegistered(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, want string }{
		{"msgpack", `core: serde "msgpack" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/serde/msgpack"?)`},
		{"int32", `core: serde "int32" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/serde"?)`},
		{"avro-x", `core: serde "avro-x" is not registered; registered serdes: `},
	}
	for _, tt := range tests {
		if _, ok := serdeRegistry.Lookup(tt.name); ok {
			continue // registered by another test binary's import; nothing to check
		}
		_, err := SerdeByName(tt.name)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("SerdeByName(%q) error = %v, want prefix %q", tt.name, err, tt.want)
		}
	}
}

// A Serializer can be a plain function; this one also sets a header.
func ExampleSerializerFunc() {
	upper := SerializerFunc[string](func(_ string, h *[]Header, v string) ([]byte, error) {
		*h = append(*h, Header{Key: "case", Value: []byte("upper")})
		return []byte(strings.ToUpper(v)), nil
	})
	var headers []Header
	b, _ := upper.Serialize("greetings", &headers, "hello")
	fmt.Println(string(b), headers[0].Key)
	// Output: HELLO case
}
