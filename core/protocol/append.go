package protocol

import (
	"math"
	"math/bits"
)

// The Append functions encode one value of the Kafka protocol and append it to
// dst, returning the extended slice, in the manner of strconv.AppendInt. They
// never allocate beyond growing dst and are safe for concurrent use.

// AppendInt8 appends v as one byte.
func AppendInt8(dst []byte, v int8) []byte { return append(dst, byte(v)) }

// AppendInt16 appends v as two big-endian bytes.
func AppendInt16(dst []byte, v int16) []byte { return append(dst, byte(v>>8), byte(v)) }

// AppendInt32 appends v as four big-endian bytes.
func AppendInt32(dst []byte, v int32) []byte {
	return append(dst, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// AppendInt64 appends v as eight big-endian bytes.
func AppendInt64(dst []byte, v int64) []byte {
	return append(dst, byte(v>>56), byte(v>>48), byte(v>>40), byte(v>>32),
		byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// AppendUint16 appends v as two big-endian bytes.
func AppendUint16(dst []byte, v uint16) []byte { return append(dst, byte(v>>8), byte(v)) }

// AppendUint32 appends v as four big-endian bytes.
func AppendUint32(dst []byte, v uint32) []byte {
	return append(dst, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// AppendBool appends v as one byte, 1 for true and 0 for false.
func AppendBool(dst []byte, v bool) []byte {
	if v {
		return append(dst, 1)
	}
	return append(dst, 0)
}

// AppendFloat64 appends v as its big-endian IEEE 754 binary64 bits.
func AppendFloat64(dst []byte, v float64) []byte {
	u := math.Float64bits(v)
	return append(dst, byte(u>>56), byte(u>>48), byte(u>>40), byte(u>>32),
		byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
}

// AppendVarint appends v zigzag-encoded in base-128 (Kafka's varint and
// varlong; a varint is simply a varlong whose value fits in 32 bits).
func AppendVarint(dst []byte, v int64) []byte {
	return AppendUvarint(dst, uint64(v<<1)^uint64(v>>63))
}

// AppendUvarint appends v in unsigned base-128 (Kafka's unsigned varint, used
// for compact lengths and tagged fields).
func AppendUvarint(dst []byte, v uint64) []byte {
	for v >= 0x80 {
		dst = append(dst, byte(v)|0x80)
		v >>= 7
	}
	return append(dst, byte(v))
}

// SizeUvarint returns the number of bytes AppendUvarint uses for v.
func SizeUvarint(v uint64) int { return (bits.Len64(v|1) + 6) / 7 }

// SizeVarint returns the number of bytes AppendVarint uses for v.
func SizeVarint(v int64) int { return SizeUvarint(uint64(v<<1) ^ uint64(v>>63)) }

// AppendString appends s with an int16 length prefix (Kafka's STRING). The
// caller keeps s under 32768 bytes (CheckStrings finds longer ones in a
// message); a longer s is cut to 32767 bytes.
func AppendString(dst []byte, s string) []byte {
	if len(s) > math.MaxInt16 {
		s = s[:math.MaxInt16]
	}
	dst = AppendInt16(dst, int16(len(s)))
	return append(dst, s...)
}

// AppendCompactString appends s with an unsigned varint length+1 prefix
// (Kafka's COMPACT_STRING).
func AppendCompactString(dst []byte, s string) []byte {
	dst = AppendUvarint(dst, uint64(len(s))+1)
	return append(dst, s...)
}

// AppendNullableString appends *s like AppendString, or the length -1 when s
// is nil (Kafka's NULLABLE_STRING).
func AppendNullableString(dst []byte, s *string) []byte {
	if s == nil {
		return AppendInt16(dst, -1)
	}
	return AppendString(dst, *s)
}

// AppendCompactNullableString appends *s like AppendCompactString, or the
// length 0 when s is nil (Kafka's COMPACT_NULLABLE_STRING).
func AppendCompactNullableString(dst []byte, s *string) []byte {
	if s == nil {
		return append(dst, 0)
	}
	return AppendCompactString(dst, *s)
}

// AppendBytes appends b with an int32 length prefix (Kafka's BYTES). A nil b
// is written as empty.
func AppendBytes(dst, b []byte) []byte {
	dst = AppendInt32(dst, int32(len(b)))
	return append(dst, b...)
}

// AppendCompactBytes appends b with an unsigned varint length+1 prefix
// (Kafka's COMPACT_BYTES). A nil b is written as empty.
func AppendCompactBytes(dst, b []byte) []byte {
	dst = AppendUvarint(dst, uint64(len(b))+1)
	return append(dst, b...)
}

// AppendNullableBytes appends b like AppendBytes, or the length -1 when b is
// nil (Kafka's NULLABLE_BYTES, also used for RECORDS).
func AppendNullableBytes(dst, b []byte) []byte {
	if b == nil {
		return AppendInt32(dst, -1)
	}
	return AppendBytes(dst, b)
}

// AppendCompactNullableBytes appends b like AppendCompactBytes, or the length
// 0 when b is nil (Kafka's COMPACT_NULLABLE_BYTES and COMPACT_RECORDS).
func AppendCompactNullableBytes(dst, b []byte) []byte {
	if b == nil {
		return append(dst, 0)
	}
	return AppendCompactBytes(dst, b)
}

// AppendUUID appends the 16 bytes of u.
func AppendUUID(dst []byte, u UUID) []byte { return append(dst, u[:]...) }

// AppendArrayLen appends an int32 array length (Kafka's ARRAY); n = -1
// writes a null array.
func AppendArrayLen(dst []byte, n int) []byte { return AppendInt32(dst, int32(n)) }

// AppendCompactArrayLen appends an unsigned varint length+1 (Kafka's
// COMPACT_ARRAY); n = -1 writes a null array (0).
func AppendCompactArrayLen(dst []byte, n int) []byte { return AppendUvarint(dst, uint64(n+1)) }

// The helpers below pick the classic or the compact encoding; generated code
// uses them to stay short.

func appendStr(dst []byte, s string, flexible bool) []byte {
	if flexible {
		return AppendCompactString(dst, s)
	}
	return AppendString(dst, s)
}

func appendNullableStr(dst []byte, s *string, flexible bool) []byte {
	if flexible {
		return AppendCompactNullableString(dst, s)
	}
	return AppendNullableString(dst, s)
}

func appendByts(dst, b []byte, flexible bool) []byte {
	if flexible {
		return AppendCompactBytes(dst, b)
	}
	return AppendBytes(dst, b)
}

func appendNullableByts(dst, b []byte, flexible bool) []byte {
	if flexible {
		return AppendCompactNullableBytes(dst, b)
	}
	return AppendNullableBytes(dst, b)
}

// appendLen writes an array length; n < 0 is null.
func appendLen(dst []byte, n int, flexible bool) []byte {
	if flexible {
		return AppendCompactArrayLen(dst, n)
	}
	return AppendArrayLen(dst, n)
}

// appendNullableLen writes the length of s, or null when isNull.
func appendNullableLen(dst []byte, n int, isNull, flexible bool) []byte {
	if isNull {
		n = -1
	}
	return appendLen(dst, n, flexible)
}

// appendNullableStruct writes the presence marker of a nullable struct.
func appendStructMarker(dst []byte, present bool) []byte {
	if present {
		return append(dst, 1)
	}
	return append(dst, 0xff)
}

// derefStr returns *s, or "" for nil.
func derefStr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// strPtr returns a pointer to a new copy of s.
func strPtr(s string) *string { return &s }
