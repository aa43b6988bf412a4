package serde

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/kafka3/kafka3-go/core"
)

// The number serdes write what Java's serializers of the same size write:
// two's complement or IEEE 754 bits, big-endian, and nothing else. A null
// (nil data) deserializes to 0 (false for Bool); use Nullable to tell it
// from a real 0. Data of any other length is an error. All are safe for
// concurrent use and allocate only the returned slice.

// Int16 is the serde of Java's ShortSerializer: 2 bytes, big-endian.
type Int16 struct{}

// Int32 is the serde of Java's IntegerSerializer: 4 bytes, big-endian.
type Int32 struct{}

// Int64 is the serde of Java's LongSerializer: 8 bytes, big-endian.
type Int64 struct{}

// Float32 is the serde of Java's FloatSerializer: the IEEE 754 bits as
// written by Float.floatToRawIntBits, 4 bytes, big-endian. NaN payloads are
// kept.
type Float32 struct{}

// Float64 is the serde of Java's DoubleSerializer: the IEEE 754 bits as
// written by Double.doubleToLongBits, 8 bytes, big-endian. Like Java, it
// writes every NaN as the canonical 0x7ff8000000000000.
type Float64 struct{}

// Bool is the serde of Java's BooleanSerializer: one byte, 1 for true and 0
// for false; any other byte is an error when deserializing.
type Bool struct{}

func sizeError(kind string, want int, data []byte) error {
	return fmt.Errorf("serde: %s needs %d bytes, got %d", kind, want, len(data))
}

// Serialize returns v in 2 bytes, big-endian.
func (Int16) Serialize(_ string, _ *[]core.Header, v int16) ([]byte, error) {
	return binary.BigEndian.AppendUint16(make([]byte, 0, 2), uint16(v)), nil
}

// Deserialize reads 2 bytes, big-endian.
func (Int16) Deserialize(_ string, _ []core.Header, data []byte) (int16, error) {
	if data == nil {
		return 0, nil
	}
	if len(data) != 2 {
		return 0, sizeError("int16", 2, data)
	}
	return int16(binary.BigEndian.Uint16(data)), nil
}

// Serialize returns v in 4 bytes, big-endian.
func (Int32) Serialize(_ string, _ *[]core.Header, v int32) ([]byte, error) {
	return binary.BigEndian.AppendUint32(make([]byte, 0, 4), uint32(v)), nil
}

// Deserialize reads 4 bytes, big-endian.
func (Int32) Deserialize(_ string, _ []core.Header, data []byte) (int32, error) {
	if data == nil {
		return 0, nil
	}
	if len(data) != 4 {
		return 0, sizeError("int32", 4, data)
	}
	return int32(binary.BigEndian.Uint32(data)), nil
}

// Serialize returns v in 8 bytes, big-endian.
func (Int64) Serialize(_ string, _ *[]core.Header, v int64) ([]byte, error) {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), uint64(v)), nil
}

// Deserialize reads 8 bytes, big-endian.
func (Int64) Deserialize(_ string, _ []core.Header, data []byte) (int64, error) {
	if data == nil {
		return 0, nil
	}
	if len(data) != 8 {
		return 0, sizeError("int64", 8, data)
	}
	return int64(binary.BigEndian.Uint64(data)), nil
}

// Serialize returns v's IEEE 754 bits in 4 bytes, big-endian.
func (Float32) Serialize(_ string, _ *[]core.Header, v float32) ([]byte, error) {
	return binary.BigEndian.AppendUint32(make([]byte, 0, 4), math.Float32bits(v)), nil
}

// Deserialize reads IEEE 754 bits from 4 bytes, big-endian.
func (Float32) Deserialize(_ string, _ []core.Header, data []byte) (float32, error) {
	if data == nil {
		return 0, nil
	}
	if len(data) != 4 {
		return 0, sizeError("float32", 4, data)
	}
	return math.Float32frombits(binary.BigEndian.Uint32(data)), nil
}

// javaNaN64 is the bits Java's Double.doubleToLongBits gives every NaN.
const javaNaN64 = 0x7ff8000000000000

// Serialize returns v's IEEE 754 bits in 8 bytes, big-endian, with NaN
// canonicalized as Java does.
func (Float64) Serialize(_ string, _ *[]core.Header, v float64) ([]byte, error) {
	bits := math.Float64bits(v)
	if v != v {
		bits = javaNaN64
	}
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), bits), nil
}

// Deserialize reads IEEE 754 bits from 8 bytes, big-endian.
func (Float64) Deserialize(_ string, _ []core.Header, data []byte) (float64, error) {
	if data == nil {
		return 0, nil
	}
	if len(data) != 8 {
		return 0, sizeError("float64", 8, data)
	}
	return math.Float64frombits(binary.BigEndian.Uint64(data)), nil
}

// Serialize returns []byte{1} for true and []byte{0} for false.
func (Bool) Serialize(_ string, _ *[]core.Header, v bool) ([]byte, error) {
	if v {
		return []byte{1}, nil
	}
	return []byte{0}, nil
}

// Deserialize reads one byte, 1 or 0.
func (Bool) Deserialize(_ string, _ []core.Header, data []byte) (bool, error) {
	if data == nil {
		return false, nil
	}
	if len(data) != 1 {
		return false, sizeError("bool", 1, data)
	}
	switch data[0] {
	case 0:
		return false, nil
	case 1:
		return true, nil
	}
	return false, fmt.Errorf("serde: bool needs byte 0 or 1, got %d", data[0])
}
