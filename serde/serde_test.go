package serde

import (
	"bytes"
	"encoding/hex"
	"math"
	"strings"
	"testing"

	"github.com/kafka3/kafka3-go/core"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// roundTrip serializes v with s, checks the bytes and that they read back.
func roundTrip[T comparable](t *testing.T, s core.Serde[T], v T, want []byte) {
	t.Helper()
	var hs []core.Header
	got, err := s.Serialize("t", &hs, v)
	if err != nil || !bytes.Equal(got, want) || (got == nil) != (want == nil) {
		t.Errorf("%T.Serialize(%v) = % x, %v; want % x", s, v, got, err, want)
		return
	}
	back, err := s.Deserialize("t", nil, got)
	if err != nil || back != v {
		t.Errorf("%T.Deserialize(% x) = %v, %v; want %v", s, got, back, err, v)
	}
}

// The expected bytes follow the Java serializers: IntegerSerializer and
// friends write (byte)(v >>> 24), (byte)(v >>> 16), ... i.e. big-endian two's
// complement; Float/DoubleSerializer write floatToRawIntBits /
// doubleToLongBits the same way.
func TestJavaNumbersExactBytes(t *testing.T) {
	t.Parallel()
	roundTrip[int16](t, Int16{}, 0x1234, unhex("1234"))
	roundTrip[int16](t, Int16{}, -1, unhex("ffff"))
	roundTrip[int16](t, Int16{}, math.MinInt16, unhex("8000"))
	roundTrip[int32](t, Int32{}, 1, unhex("00000001"))
	roundTrip[int32](t, Int32{}, 42, unhex("0000002a"))
	roundTrip[int32](t, Int32{}, -1, unhex("ffffffff"))
	roundTrip[int32](t, Int32{}, 0x12345678, unhex("12345678"))
	roundTrip[int32](t, Int32{}, math.MinInt32, unhex("80000000"))
	roundTrip[int64](t, Int64{}, 0x0102030405060708, unhex("0102030405060708"))
	roundTrip[int64](t, Int64{}, -2, unhex("fffffffffffffffe"))
	roundTrip[int64](t, Int64{}, math.MaxInt64, unhex("7fffffffffffffff"))
	roundTrip[float32](t, Float32{}, 1, unhex("3f800000"))
	roundTrip[float32](t, Float32{}, -2.5, unhex("c0200000"))
	roundTrip[float32](t, Float32{}, float32(math.Inf(1)), unhex("7f800000"))
	roundTrip[float64](t, Float64{}, 1, unhex("3ff0000000000000"))
	roundTrip[float64](t, Float64{}, 0.1, unhex("3fb999999999999a"))
	roundTrip[float64](t, Float64{}, math.Copysign(0, -1), unhex("8000000000000000"))
	roundTrip[float64](t, Float64{}, math.Inf(-1), unhex("fff0000000000000"))
	roundTrip(t, Bool{}, true, []byte{1})
	roundTrip(t, Bool{}, false, []byte{0})
}

func TestJavaNaNs(t *testing.T) {
	t.Parallel()
	// doubleToLongBits canonicalizes NaN; floatToRawIntBits keeps the payload.
	nan64 := math.Float64frombits(0xfff0000000000123)
	if b, _ := (Float64{}).Serialize("t", nil, nan64); !bytes.Equal(b, unhex("7ff8000000000000")) {
		t.Errorf("Float64 NaN = % x, want Java's canonical 7ff8000000000000", b)
	}
	nan32 := math.Float32frombits(0x7fc00001)
	if b, _ := (Float32{}).Serialize("t", nil, nan32); !bytes.Equal(b, unhex("7fc00001")) {
		t.Errorf("Float32 NaN = % x, want the raw bits 7fc00001", b)
	}
}

func TestStringAndBytes(t *testing.T) {
	t.Parallel()
	roundTrip(t, String{}, "héllo", []byte("h\xc3\xa9llo"))
	roundTrip(t, String{}, "", []byte{})
	if v, err := (String{}).Deserialize("t", nil, nil); v != "" || err != nil {
		t.Errorf("String null = %q, %v", v, err)
	}
	in := []byte("abc")
	if out, _ := (Bytes{}).Serialize("t", nil, in); &out[0] != &in[0] {
		t.Error("Bytes.Serialize copied")
	}
	out, _ := Bytes{}.Deserialize("t", nil, in)
	if !bytes.Equal(out, in) || &out[0] == &in[0] {
		t.Error("Bytes.Deserialize did not copy")
	}
	for _, b := range [][]byte{nil, {}} {
		if s, _ := (Bytes{}).Serialize("t", nil, b); (s == nil) != (b == nil) {
			t.Errorf("Bytes.Serialize(%#v) = %#v", b, s)
		}
		if d, _ := (Bytes{}).Deserialize("t", nil, b); (d == nil) != (b == nil) {
			t.Errorf("Bytes.Deserialize(%#v) = %#v", b, d)
		}
	}
}

func TestNullDeserializesToZero(t *testing.T) {
	t.Parallel()
	if v, err := (Int32{}).Deserialize("t", nil, nil); v != 0 || err != nil {
		t.Errorf("Int32 null = %v, %v", v, err)
	}
	if v, err := (Float64{}).Deserialize("t", nil, nil); v != 0 || err != nil {
		t.Errorf("Float64 null = %v, %v", v, err)
	}
	if v, err := (UUID[[16]byte]{}).Deserialize("t", nil, nil); v != [16]byte{} || err != nil {
		t.Errorf("UUID null = %v, %v", v, err)
	}
}

func TestDeserializeErrorsSayWhatIsWrong(t *testing.T) {
	t.Parallel()
	check := func(err error, want string) {
		t.Helper()
		if err == nil || err.Error() != want {
			t.Errorf("error = %v, want %q", err, want)
		}
	}
	_, err := Int32{}.Deserialize("t", nil, []byte{1, 2, 3})
	check(err, "serde: int32 needs 4 bytes, got 3")
	_, err = Int16{}.Deserialize("t", nil, []byte{})
	check(err, "serde: int16 needs 2 bytes, got 0")
	_, err = Int64{}.Deserialize("t", nil, make([]byte, 4))
	check(err, "serde: int64 needs 8 bytes, got 4")
	_, err = Float32{}.Deserialize("t", nil, make([]byte, 8))
	check(err, "serde: float32 needs 4 bytes, got 8")
	_, err = Float64{}.Deserialize("t", nil, make([]byte, 9))
	check(err, "serde: float64 needs 8 bytes, got 9")
	_, err = Bool{}.Deserialize("t", nil, []byte{2})
	check(err, "serde: bool needs byte 0 or 1, got 2")
	_, err = Bool{}.Deserialize("t", nil, []byte{})
	check(err, "serde: bool needs 1 bytes, got 0")
}

// myUUID stands for a UUID library's type, such as google/uuid.UUID.
type myUUID [16]byte

func TestUUIDIsJavaText(t *testing.T) {
	t.Parallel()
	// Java: UUID.fromString(s).toString().getBytes(UTF_8) is s, lower-case.
	text := "123e4567-e89b-12d3-a456-426614174000"
	u := myUUID(unhex("123e4567e89b12d3a456426614174000"))
	roundTrip[myUUID](t, UUID[myUUID]{}, u, []byte(text))
	roundTrip[myUUID](t, UUID[myUUID]{}, myUUID{}, []byte("00000000-0000-0000-0000-000000000000"))
	if got, err := (UUID[myUUID]{}).Deserialize("t", nil, []byte(strings.ToUpper(text))); got != u || err != nil {
		t.Errorf("upper case: %x, %v", got, err)
	}
	for _, bad := range []string{"", "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456_426614174000",
		"123e4567-e89b-12d3-a456-42661417400g", "1-2-3-4-5", text + "0"} {
		if _, err := (UUID[myUUID]{}).Deserialize("t", nil, []byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "serde: uuid") {
			t.Errorf("Deserialize(%q) error = %v", bad, err)
		}
	}
}

type order struct {
	ID    int      `json:"id"`
	Items []string `json:"items,omitempty"`
}

func TestJSON(t *testing.T) {
	t.Parallel()
	s := JSON[order]{}
	b, err := s.Serialize("t", nil, order{ID: 7, Items: []string{"a"}})
	if err != nil || string(b) != `{"id":7,"items":["a"]}` {
		t.Fatalf("Serialize = %s, %v", b, err)
	}
	if v, err := s.Deserialize("t", nil, b); err != nil || v.ID != 7 || len(v.Items) != 1 {
		t.Errorf("Deserialize = %+v, %v", v, err)
	}
	if v, err := s.Deserialize("t", nil, nil); err != nil || v.ID != 0 {
		t.Errorf("null = %+v, %v", v, err)
	}
	if _, err := s.Deserialize("t", nil, []byte("{")); err == nil || !strings.HasPrefix(err.Error(), "serde: json: decoding into serde.order") {
		t.Errorf("bad JSON error = %v", err)
	}
	if b, err := (JSON[*order]{}).Serialize("t", nil, nil); b != nil || err != nil {
		t.Errorf("nil pointer = %q, %v; want a Kafka null", b, err)
	}
	if _, err := (JSON[func()]{}).Serialize("t", nil, func() {}); err == nil || !strings.HasPrefix(err.Error(), "serde: json: encoding func()") {
		t.Errorf("unsupported type error = %v", err)
	}
}

func TestNullable(t *testing.T) {
	t.Parallel()
	s := Nullable[int32](Int32{})
	if b, err := s.Serialize("t", nil, nil); b != nil || err != nil {
		t.Errorf("nil = %v, %v", b, err)
	}
	v := int32(5)
	b, _ := s.Serialize("t", nil, &v)
	if !bytes.Equal(b, unhex("00000005")) {
		t.Errorf("5 = % x", b)
	}
	if p, err := s.Deserialize("t", nil, nil); p != nil || err != nil {
		t.Errorf("null = %v, %v", p, err)
	}
	if p, err := s.Deserialize("t", nil, b); p == nil || *p != 5 || err != nil {
		t.Errorf("Deserialize = %v, %v", p, err)
	}
	if _, err := s.Deserialize("t", nil, []byte{1}); err == nil {
		t.Error("bad size did not fail")
	}
	str := Nullable[string](String{})
	empty := ""
	if b, _ := str.Serialize("t", nil, &empty); b == nil {
		t.Error("Nullable string: empty became null")
	}
}

func TestRegistered(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   any
		want []byte
	}{
		{"string", "hi", []byte("hi")},
		{"bytes", []byte{1, 2}, []byte{1, 2}},
		{"bytearray", "ab", []byte("ab")},
		{"json", `{"b": [1, 2]}`, []byte(`{"b":[1,2]}`)},
		{"json", map[string]int{"a": 1}, []byte(`{"a":1}`)},
		{"int16", "-2", unhex("fffe")},
		{"short", int16(1), unhex("0001")},
		{"int32", "42", unhex("0000002a")},
		{"integer", int32(42), unhex("0000002a")},
		{"int64", "-1", unhex("ffffffffffffffff")},
		{"long", int64(1), unhex("0000000000000001")},
		{"float32", "1", unhex("3f800000")},
		{"float", float32(1), unhex("3f800000")},
		{"float64", "1", unhex("3ff0000000000000")},
		{"double", 1.0, unhex("3ff0000000000000")},
		{"bool", "true", []byte{1}},
		{"boolean", false, []byte{0}},
		{"uuid", "123E4567-e89b-12d3-a456-426614174000", []byte("123e4567-e89b-12d3-a456-426614174000")},
		{"int32", nil, nil},
	}
	for _, tt := range tests {
		s, err := core.SerdeByName(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.SerializeAny("t", new([]core.Header), tt.in)
		if err != nil || !bytes.Equal(got, tt.want) {
			t.Errorf("%s.SerializeAny(%#v) = % x, %v; want % x", tt.name, tt.in, got, err, tt.want)
		}
	}
	if _, err := core.SerdeFor[int32]("integer"); err != nil {
		t.Error(err)
	}
	if _, err := core.SerdeFor[int64]("int32"); err == nil {
		t.Error("SerdeFor[int64](int32) did not fail")
	}
	s, _ := core.SerdeByName("int32")
	if _, err := s.SerializeAny("t", new([]core.Header), "4294967296"); err == nil {
		t.Error("int32 accepted 2^32")
	}
}

func FuzzDeserializers(f *testing.F) {
	for _, s := range []string{"", "\x00\x00\x00\x2a", "123e4567-e89b-12d3-a456-426614174000", `{"id":1}`, "\x01"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		reserialize(t, Int16{}, data)
		reserialize(t, Int32{}, data)
		reserialize(t, Int64{}, data)
		reserialize(t, Bool{}, data)
		reserialize(t, UUID[[16]byte]{}, data)
		reserialize(t, String{}, data)
		_, _ = JSON[order]{}.Deserialize("t", nil, data)
		_, _ = Float32{}.Deserialize("t", nil, data)
		_, _ = Float64{}.Deserialize("t", nil, data)
	})
}

// reserialize checks that data that deserializes serializes back to
// itself, up to the case of UUID text.
func reserialize[T any](t *testing.T, s core.Serde[T], data []byte) {
	if data == nil {
		return // a null reads as the zero value, which does not write back as null
	}
	v, err := s.Deserialize("t", nil, data)
	if err != nil {
		return
	}
	b, err := s.Serialize("t", new([]core.Header), v)
	if err != nil || !bytes.EqualFold(b, data) {
		t.Errorf("%T: % x -> %v -> % x, %v", s, data, v, b, err)
	}
}

func BenchmarkSerialize(b *testing.B) {
	var hs []core.Header
	b.Run("int64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = Int64{}.Serialize("t", &hs, 42)
		}
	})
	b.Run("uuid", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = UUID[[16]byte]{}.Serialize("t", &hs, [16]byte{1, 2, 3})
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = JSON[order]{}.Serialize("t", &hs, order{ID: 1, Items: []string{"a", "b"}})
		}
	})
}

func BenchmarkDeserialize(b *testing.B) {
	i64 := unhex("000000000000002a")
	id := []byte("123e4567-e89b-12d3-a456-426614174000")
	b.Run("int64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = Int64{}.Deserialize("t", nil, i64)
		}
	})
	b.Run("uuid", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = UUID[[16]byte]{}.Deserialize("t", nil, id)
		}
	})
}
