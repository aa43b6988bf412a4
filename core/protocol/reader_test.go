package protocol

import (
	"bytes"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
)

func TestPrimitivesRoundTrip(t *testing.T) {
	t.Parallel()
	var b []byte
	b = AppendInt8(b, -2)
	b = AppendInt16(b, -300)
	b = AppendInt32(b, math.MinInt32)
	b = AppendInt64(b, math.MaxInt64)
	b = AppendUint16(b, 65535)
	b = AppendUint32(b, math.MaxUint32)
	b = AppendBool(b, true)
	b = AppendFloat64(b, -1.5)
	b = AppendVarint(b, math.MinInt64)
	b = AppendVarint(b, -1)
	b = AppendUvarint(b, math.MaxUint64)
	b = AppendString(b, "héllo")
	b = AppendCompactString(b, "")
	b = AppendNullableString(b, nil)
	b = AppendCompactNullableString(b, strp("x"))
	b = AppendBytes(b, []byte{1})
	b = AppendCompactBytes(b, nil)
	b = AppendNullableBytes(b, nil)
	b = AppendCompactNullableBytes(b, []byte{})
	b = AppendUUID(b, UUID{1, 2, 3})
	b = AppendArrayLen(b, -1)
	b = AppendCompactArrayLen(b, 3)
	b = AppendTaggedFields(b, TaggedFields{{Tag: 5, Data: []byte("abc")}})

	r := NewReader(b)
	check := func(name string, ok bool) {
		t.Helper()
		if !ok {
			t.Errorf("%s: wrong value (err %v)", name, r.Err())
		}
	}
	check("int8", r.Int8() == -2)
	check("int16", r.Int16() == -300)
	check("int32", r.Int32() == math.MinInt32)
	check("int64", r.Int64() == math.MaxInt64)
	check("uint16", r.Uint16() == 65535)
	check("uint32", r.Uint32() == math.MaxUint32)
	check("bool", r.Bool())
	check("float64", r.Float64() == -1.5)
	check("varint min", r.Varint() == math.MinInt64)
	check("varint -1", r.Varint() == -1)
	check("uvarint", r.Uvarint() == math.MaxUint64)
	check("string", r.String() == "héllo")
	check("compact string", r.CompactString() == "")
	check("nullable string", r.NullableString() == nil)
	s := r.CompactNullableString()
	check("compact nullable string", s != nil && *s == "x")
	check("bytes", bytes.Equal(r.Bytes(), []byte{1}))
	cb := r.CompactBytes()
	check("compact bytes", cb != nil && len(cb) == 0)
	check("nullable bytes", r.NullableBytes() == nil)
	cnb := r.CompactNullableBytes()
	check("compact nullable bytes", cnb != nil && len(cnb) == 0)
	check("uuid", r.UUID() == UUID{1, 2, 3})
	check("array len", r.ArrayLen() == -1)
	// Three elements claimed, but only the tagged section remains: the
	// length check needs one byte per element, and 6 bytes remain.
	check("compact array len", r.CompactArrayLen() == 3)
	tags := r.TaggedFields(nil)
	check("tagged", len(tags) == 1 && tags[0].Tag == 5 && string(tags[0].Data) == "abc")
	check("remaining", r.Remaining() == 0 && r.Err() == nil)
	check("offset", r.Offset() == len(b))
}

func TestSizes(t *testing.T) {
	t.Parallel()
	for _, v := range []int64{0, 1, -1, 63, 64, -65, math.MaxInt32, math.MinInt64, math.MaxInt64} {
		if got, want := SizeVarint(v), len(AppendVarint(nil, v)); got != want {
			t.Errorf("SizeVarint(%d) = %d, want %d", v, got, want)
		}
	}
	for _, v := range []uint64{0, 127, 128, 16383, 16384, math.MaxUint64} {
		if got, want := SizeUvarint(v), len(AppendUvarint(nil, v)); got != want {
			t.Errorf("SizeUvarint(%d) = %d, want %d", v, got, want)
		}
	}
}

// TestReaderMalformed feeds bad input to each read: each must fail with a
// *DecodeError naming the problem, without panicking or allocating much.
func TestReaderMalformed(t *testing.T) {
	cases := []struct {
		name, in string
		read     func(r *Reader)
		reason   string
	}{
		{"short int32", "000000", func(r *Reader) { r.Int32() }, "int32 needs 4 bytes, 3 left"},
		{"short int64", "00", func(r *Reader) { r.Int64() }, "int64 needs 8"},
		{"truncated varint", "8080", func(r *Reader) { r.Varint() }, "truncated varint"},
		{"long varint", "ffffffffffffffffff7f", func(r *Reader) { r.Uvarint() }, "overflows"},
		{"huge string", "7fff 00", func(r *Reader) { _ = r.String() }, "string length 32767 exceeds the 1 bytes left"},
		{"negative string", "fffe", func(r *Reader) { r.NullableString() }, "negative"},
		{"null string", "ffff", func(r *Reader) { _ = r.String() }, "null string"},
		{"huge compact string", "ffffffff0f", func(r *Reader) { r.CompactString() }, "exceeds"},
		{"over 32 bits", "ffffffffff01", func(r *Reader) { r.CompactString() }, "does not fit in 32 bits"},
		{"huge bytes", "7fffffff", func(r *Reader) { r.Bytes() }, "bytes length 2147483647 exceeds the 0 bytes left"},
		{"null bytes", "ffffffff", func(r *Reader) { r.Bytes() }, "null bytes"},
		{"huge array", "7fffffff 00", func(r *Reader) { r.ArrayLen() }, "array length 2147483647 exceeds"},
		{"negative array", "80000000", func(r *Reader) { r.ArrayLen() }, "negative"},
		{"huge compact array", "ffffffff07", func(r *Reader) { r.CompactArrayLen() }, "exceeds"},
		{"null non-nullable array", "ffffffff", func(r *Reader) { r.arrayLen(false, false, 1) }, "not nullable"},
		{"array of int64 too long", "00000002 0000000000000000", func(r *Reader) { r.arrayLen(false, false, 8) }, "exceeds"},
		{"huge tag count", "ff7f", func(r *Reader) { r.TaggedFieldCount() }, "tagged field count"},
		{"huge tag size", "01 05 7f", func(r *Reader) { r.TaggedFields(nil) }, "size 127 exceeds"},
		{"tags out of order", "02 05 00 03 00", func(r *Reader) { r.TaggedFields(nil) }, "tagged field 3 after tagged field 5"},
		{"tag repeated", "02 00 00 00 00", func(r *Reader) { r.TaggedFields(nil) }, "tagged field 0 after tagged field 0"},
		{"short uuid", "0102", func(r *Reader) { r.UUID() }, "uuid needs 16"},
		{"raw", "01", func(r *Reader) { r.Raw(2) }, "raw read"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := unhex(t, c.in)
			r := NewReader(in)
			allocated := bytesAllocated(func() {
				r.Reset(in)
				c.read(&r)
			})
			var de *DecodeError
			if !errors.As(r.Err(), &de) || !strings.Contains(de.Reason, c.reason) {
				t.Fatalf("err = %v, want a *DecodeError with %q", r.Err(), c.reason)
			}
			if allocated > 1024 {
				t.Errorf("%d bytes allocated for a malformed read", allocated)
			}
			if !strings.HasPrefix(r.Err().Error(), "protocol: ") {
				t.Errorf("error %q lacks the package prefix", r.Err())
			}
			// Sticky: later reads return zero values.
			if r.Int8() != 0 || r.Remaining() != 0 || r.Err() != error(de) {
				t.Error("error not sticky")
			}
		})
	}
}

func TestDecodeErrorNamesMessage(t *testing.T) {
	var m MetadataResponse
	err := m.Decode([]byte{0, 0, 0}, 12)
	if err == nil || !strings.HasPrefix(err.Error(), "protocol: MetadataResponse v12: int32 needs 4 bytes") {
		t.Fatalf("err = %v", err)
	}
	// A garbage array length must not allocate: 2 GB of topics claimed.
	b := AppendInt32(AppendInt32(nil, 0), math.MaxInt32)
	if n := bytesAllocated(func() { _ = m.Decode(b, 1) }); n > 1024 {
		t.Errorf("%d bytes allocated", n)
	}
}

// TestTaggedFieldSizes writes tagged fields whose size takes one, two and
// three bytes, merged with unknown fields by tag.
func TestTaggedFieldSizes(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 127, 128, 300, 16383, 16384, 70000} {
		name := strings.Repeat("n", n)
		m := &ApiVersionsResponse{
			SupportedFeatures:      []ApiVersionsResponseSupportedFeatureKey{{Name: name, MinVersion: 1, MaxVersion: 2}},
			FinalizedFeaturesEpoch: -1,
			UnknownTaggedFields:    TaggedFields{{Tag: 9, Data: []byte("z")}},
		}
		b := m.AppendTo(nil, 3)
		var out ApiVersionsResponse
		if err := out.Decode(b, 3); err != nil {
			t.Fatalf("size %d: %v", n, err)
		}
		if len(out.SupportedFeatures) != 1 || out.SupportedFeatures[0].Name != name ||
			len(out.UnknownTaggedFields) != 1 || out.UnknownTaggedFields[0].Tag != 9 {
			t.Fatalf("size %d: decoded %+v", n, out.UnknownTaggedFields)
		}
		// Check the raw section: tag 0 first, then tag 9.
		r := NewReader(b)
		r.Int16()
		r.CompactArrayLen()
		r.Int32()
		tags := r.TaggedFields(nil)
		if r.Err() != nil || len(tags) != 2 || tags[0].Tag != 0 || tags[1].Tag != 9 {
			t.Fatalf("size %d: raw tags %v, %v", n, tags, r.Err())
		}
	}
}

func TestUUID(t *testing.T) {
	t.Parallel()
	u := UUID{0xfb, 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}
	s := u.String()
	if len(s) != 22 || strings.ContainsAny(s, "+/=") {
		t.Fatalf("String() = %q, want 22 URL-safe base64 characters", s)
	}
	back, err := ParseUUID(s)
	if err != nil || back != u {
		t.Fatalf("ParseUUID(%q) = %v, %v", s, back, err)
	}
	if (UUID{}).String() != "AAAAAAAAAAAAAAAAAAAAAA" || !(UUID{}).IsZero() {
		t.Error("zero UUID")
	}
	for _, bad := range []string{"", "short", "!!!!!!!!!!!!!!!!!!!!!!"} {
		if _, err := ParseUUID(bad); err == nil {
			t.Errorf("ParseUUID(%q) succeeded", bad)
		}
	}
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	for v := int16(0); v <= 2; v++ {
		h := RequestHeader{RequestApiKey: 3, RequestApiVersion: 12, CorrelationId: -5, ClientId: strp("c")}
		if v >= 2 {
			h.UnknownTaggedFields = TaggedFields{{Tag: 1, Data: []byte{7}}}
		}
		b := append(h.AppendTo(nil, v), 0xAA)
		var out RequestHeader
		n, err := out.Decode(b, v)
		if err != nil || n != len(b)-1 || out.CorrelationId != -5 || (v >= 1) != (out.ClientId != nil) ||
			len(out.UnknownTaggedFields) != len(h.UnknownTaggedFields) {
			t.Errorf("request header v%d: %+v, %d, %v", v, out, n, err)
		}
		if _, err := out.Decode(b[:n-1], v); err == nil {
			t.Errorf("request header v%d: truncated header decoded", v)
		}
	}
	for v := int16(0); v <= 1; v++ {
		h := ResponseHeader{CorrelationId: 9}
		b := h.AppendTo(nil, v)
		var out ResponseHeader
		if n, err := out.Decode(b, v); err != nil || n != len(b) || out.CorrelationId != 9 {
			t.Errorf("response header v%d: %+v, %d, %v", v, out, n, err)
		}
	}
	if _, _, err := DecodeRequest([]byte{0x7f, 0, 0, 0}); err == nil {
		t.Error("DecodeRequest accepted an unknown key")
	}
	if _, _, err := DecodeRequest([]byte{0, 18, 0, 99}); !errors.Is(err, ErrUnsupportedVersion) {
		t.Errorf("DecodeRequest of ApiVersions v99: %v", err)
	}
}

// bytesAllocated returns the bytes of heap that f allocates (not for use in
// parallel tests).
// bytesAllocated returns the fewest bytes the process allocated over five
// calls of f: the figure is process-wide, so a single call can be charged
// with what another goroutine allocated at the same time.
func bytesAllocated(f func()) uint64 {
	least := uint64(math.MaxUint64)
	for i := 0; i < 5; i++ {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	return least
}
