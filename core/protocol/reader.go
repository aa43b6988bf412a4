package protocol

import (
	"fmt"
	"math"
)

// Reader decodes Kafka protocol primitives from a byte slice.
//
// Every read is bounds-checked. The first failure is sticky: it is kept in
// Err, and every later read returns a zero value without looking at the input,
// so a decoder can read a whole structure and check Err once at the end.
// Lengths (of strings, bytes, arrays, tagged fields) are checked against the
// bytes that remain before anything is allocated, so a garbage length cannot
// make the Reader allocate more than a small multiple of its input. Malformed
// input never panics.
//
// Bytes, CompactBytes, the nullable variants and TaggedField return
// sub-slices of the input, not copies: they are valid as long as the input is,
// and they alias it. Strings are copied.
//
// The zero Reader reads from an empty input. A Reader is not safe for
// concurrent use.
type Reader struct {
	b    []byte
	off  int
	base int // offset of b in the outermost input, for error messages
	err  error
	// minTag is the lowest tag the next field of the current tagged-field
	// section may have: tags are strictly ascending (KIP-482).
	minTag uint64
}

// NewReader returns a Reader over b.
func NewReader(b []byte) Reader { return Reader{b: b} }

// Reset makes r read b from its start and clears its error.
func (r *Reader) Reset(b []byte) { *r = Reader{b: b} }

// Err returns the first error met, or nil. Its type is *DecodeError.
func (r *Reader) Err() error { return r.err }

// Remaining returns the number of bytes not yet read (0 after an error).
func (r *Reader) Remaining() int {
	if r.err != nil {
		return 0
	}
	return len(r.b) - r.off
}

// Offset returns the number of bytes read so far.
func (r *Reader) Offset() int { return r.off }

// Fail records err as a *DecodeError at the current offset, unless an
// error is already recorded. Decoders built on Reader use it to report
// semantic problems in the same way as the Reader's own.
func (r *Reader) Fail(reason string) {
	if r.err == nil {
		r.err = &DecodeError{Offset: r.base + r.off, Reason: reason}
	}
}

func (r *Reader) failf(format string, args ...any) {
	if r.err == nil {
		r.Fail(fmt.Sprintf(format, args...))
	}
}

// take returns the next n bytes, or nil after recording an error.
func (r *Reader) take(n int, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b)-r.off {
		r.failf("%s needs %d bytes, %d left", what, n, len(r.b)-r.off)
		return nil
	}
	p := r.b[r.off : r.off+n : r.off+n]
	r.off += n
	return p
}

// Raw returns the next n bytes as a sub-slice of the input.
func (r *Reader) Raw(n int) []byte { return r.take(n, "raw read") }

// Int8 reads one byte.
func (r *Reader) Int8() int8 {
	if p := r.take(1, "int8"); p != nil {
		return int8(p[0])
	}
	return 0
}

// Int16 reads a big-endian int16.
func (r *Reader) Int16() int16 { return int16(r.Uint16()) }

// Uint16 reads a big-endian uint16.
func (r *Reader) Uint16() uint16 {
	if p := r.take(2, "int16"); p != nil {
		return uint16(p[0])<<8 | uint16(p[1])
	}
	return 0
}

// Int32 reads a big-endian int32.
func (r *Reader) Int32() int32 { return int32(r.Uint32()) }

// Uint32 reads a big-endian uint32.
func (r *Reader) Uint32() uint32 {
	if p := r.take(4, "int32"); p != nil {
		return uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3])
	}
	return 0
}

// Int64 reads a big-endian int64.
func (r *Reader) Int64() int64 {
	if p := r.take(8, "int64"); p != nil {
		return int64(p[0])<<56 | int64(p[1])<<48 | int64(p[2])<<40 | int64(p[3])<<32 |
			int64(p[4])<<24 | int64(p[5])<<16 | int64(p[6])<<8 | int64(p[7])
	}
	return 0
}

// Bool reads one byte; any value other than 0 is true.
func (r *Reader) Bool() bool { return r.Int8() != 0 }

// Float64 reads a big-endian IEEE 754 binary64.
func (r *Reader) Float64() float64 { return math.Float64frombits(uint64(r.Int64())) }

// Uvarint reads an unsigned base-128 integer of at most 10 bytes.
func (r *Reader) Uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	var x uint64
	var shift uint
	for i := 0; i < 10; i++ {
		if r.off >= len(r.b) {
			r.Fail("truncated varint")
			return 0
		}
		c := r.b[r.off]
		r.off++
		if c < 0x80 {
			if i == 9 && c > 1 {
				break
			}
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	r.Fail("varint overflows 64 bits")
	return 0
}

// Varint reads a zigzag-encoded base-128 integer of at most 10 bytes (Kafka's
// varint and varlong).
func (r *Reader) Varint() int64 {
	u := r.Uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

// uvarint32 reads an unsigned varint that must fit in 32 bits (Kafka's
// UNSIGNED_VARINT, used for lengths and tags).
// what and suffix name it in errors; they are separate so that callers pass
// constants and the success path allocates nothing.
func (r *Reader) uvarint32(what, suffix string) uint32 {
	u := r.Uvarint()
	if u > math.MaxUint32 {
		r.failf("%s%s %d does not fit in 32 bits", what, suffix, u)
		return 0
	}
	return uint32(u)
}

// length reads a classic (int16 or int32) or compact length. It returns -1 for
// null and checks that n*minElem bytes remain.
func (r *Reader) length(flexible, wide bool, minElem int, what string) int {
	var n int64
	switch {
	case flexible:
		n = int64(r.uvarint32(what, " length")) - 1
	case wide:
		n = int64(r.Int32())
	default:
		n = int64(r.Int16())
	}
	if r.err != nil {
		return 0
	}
	if n < -1 {
		r.failf("%s length %d is negative", what, n)
		return 0
	}
	if minElem < 1 {
		minElem = 1
	}
	if n > int64(len(r.b)-r.off)/int64(minElem) {
		r.failf("%s length %d exceeds the %d bytes left", what, n, len(r.b)-r.off)
		return 0
	}
	return int(n)
}

func (r *Reader) str(flexible bool) (string, bool) {
	n := r.length(flexible, false, 1, "string")
	if n < 0 {
		return "", false
	}
	return string(r.take(n, "string")), true
}

func (r *Reader) nonNullStr(flexible bool) string {
	s, ok := r.str(flexible)
	if !ok {
		r.Fail("null string where the field is not nullable")
	}
	return s
}

func (r *Reader) nullableStr(flexible bool) *string {
	s, ok := r.str(flexible)
	if !ok || r.err != nil {
		return nil
	}
	return &s
}

func (r *Reader) byts(flexible bool) ([]byte, bool) {
	n := r.length(flexible, true, 1, "bytes")
	if n < 0 {
		return nil, false
	}
	p := r.take(n, "bytes")
	if p == nil && r.err == nil {
		p = r.b[r.off:r.off:r.off]
	}
	return p, true
}

func (r *Reader) nonNullByts(flexible bool) []byte {
	b, ok := r.byts(flexible)
	if !ok {
		r.Fail("null bytes where the field is not nullable")
	}
	return b
}

func (r *Reader) nullableByts(flexible bool) []byte {
	b, _ := r.byts(flexible)
	return b
}

// String reads a STRING (int16 length). A null string is an error.
func (r *Reader) String() string { return r.nonNullStr(false) }

// CompactString reads a COMPACT_STRING. A null string is an error.
func (r *Reader) CompactString() string { return r.nonNullStr(true) }

// NullableString reads a NULLABLE_STRING; nil means null.
func (r *Reader) NullableString() *string { return r.nullableStr(false) }

// CompactNullableString reads a COMPACT_NULLABLE_STRING; nil means null.
func (r *Reader) CompactNullableString() *string { return r.nullableStr(true) }

// Bytes reads BYTES (int32 length) as a sub-slice of the input. Null is an
// error; empty is a non-nil empty slice.
func (r *Reader) Bytes() []byte { return r.nonNullByts(false) }

// CompactBytes reads COMPACT_BYTES as a sub-slice of the input.
func (r *Reader) CompactBytes() []byte { return r.nonNullByts(true) }

// NullableBytes reads NULLABLE_BYTES (or RECORDS) as a sub-slice of the
// input; nil means null.
func (r *Reader) NullableBytes() []byte { return r.nullableByts(false) }

// CompactNullableBytes reads COMPACT_NULLABLE_BYTES (or COMPACT_RECORDS) as a
// sub-slice of the input; nil means null.
func (r *Reader) CompactNullableBytes() []byte { return r.nullableByts(true) }

// UUID reads 16 bytes.
func (r *Reader) UUID() UUID {
	var u UUID
	copy(u[:], r.take(16, "uuid"))
	return u
}

// ArrayLen reads an ARRAY length (int32): -1 means null. A length larger than
// the bytes remaining is an error, as no element is smaller than a byte.
func (r *Reader) ArrayLen() int { return r.length(false, true, 1, "array") }

// CompactArrayLen reads a COMPACT_ARRAY length (unsigned varint length+1):
// -1 means null. It is checked like ArrayLen.
func (r *Reader) CompactArrayLen() int { return r.length(true, true, 1, "array") }

// arrayLen reads an array length of either encoding, each element taking at
// least minElem bytes. A null where not nullable is an error.
func (r *Reader) arrayLen(flexible, nullable bool, minElem int) int {
	n := r.length(flexible, true, minElem, "array")
	if n < 0 && !nullable {
		r.Fail("null array where the field is not nullable")
		return 0
	}
	return n
}

// structMarker reads the presence byte of a nullable struct.
func (r *Reader) structMarker() bool { return r.Int8() >= 0 }

// TaggedFieldCount reads the number of fields of a tagged-field section. Each
// field takes at least two bytes, which the count is checked against.
func (r *Reader) TaggedFieldCount() int {
	n := r.uvarint32("tagged field count", "")
	if r.err == nil && int64(n) > int64(len(r.b)-r.off)/2 {
		r.failf("tagged field count %d exceeds the %d bytes left", n, len(r.b)-r.off)
		return 0
	}
	r.minTag = 0
	return int(n)
}

// TaggedField reads one tagged field of the section TaggedFieldCount
// began: its tag and its data, a sub-slice of the input. A tag not above
// the section's previous one (out of order, or repeated) fails.
func (r *Reader) TaggedField() (tag uint32, data []byte) {
	tag = r.uvarint32("tag", "")
	if r.err == nil && uint64(tag) < r.minTag {
		r.failf("tagged field %d after tagged field %d: tags must be strictly ascending", tag, r.minTag-1)
	}
	size := r.uvarint32("tagged field size", "")
	if r.err != nil {
		return 0, nil
	}
	r.minTag = uint64(tag) + 1
	if int64(size) > int64(len(r.b)-r.off) {
		r.failf("tagged field %d size %d exceeds the %d bytes left", tag, size, len(r.b)-r.off)
		return 0, nil
	}
	return tag, r.take(int(size), "tagged field")
}

// TaggedFields reads a whole tagged-field section and appends its fields to
// dst, all kept as raw data.
func (r *Reader) TaggedFields(dst TaggedFields) TaggedFields {
	n := r.TaggedFieldCount()
	for i := 0; i < n && r.err == nil; i++ {
		tag, data := r.TaggedField()
		if r.err == nil {
			dst = append(dst, TaggedField{Tag: tag, Data: data})
		}
	}
	return dst
}

// sub returns a Reader over data, a slice just taken from r, whose errors
// report offsets within r's input.
func (r *Reader) sub(data []byte) Reader {
	return Reader{b: data, base: r.base + r.off - len(data)}
}

// join records the error of a sub-reader.
func (r *Reader) join(s *Reader) {
	if r.err == nil && s.err != nil {
		r.err = s.err
	}
}

// resize returns s with length n, reusing its capacity; the result is never
// nil, so that a decoded empty array stays distinct from a null one.
func resize[T any](s []T, n int) []T {
	if s != nil && cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// strPtr reads a non-nullable string into a new pointer, for a nullable
// field in a version where it is not nullable.
func (r *Reader) strPtr(flexible bool) *string {
	s := r.nonNullStr(flexible)
	if r.err != nil {
		return nil
	}
	return &s
}
