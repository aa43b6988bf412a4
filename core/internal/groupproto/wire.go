package groupproto

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// errShort is returned when the input ends inside a field.
var errShort = errors.New("metadata truncated")

// reader reads big-endian Kafka primitives with bounds checks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.b = nil
}

func (r *reader) int16() int16 {
	if len(r.b) < 2 {
		r.fail(errShort)
		return 0
	}
	v := int16(binary.BigEndian.Uint16(r.b))
	r.b = r.b[2:]
	return v
}

func (r *reader) int32() int32 {
	if len(r.b) < 4 {
		r.fail(errShort)
		return 0
	}
	v := int32(binary.BigEndian.Uint32(r.b))
	r.b = r.b[4:]
	return v
}

// nullableString reads an int16-length string; length -1 is null.
func (r *reader) nullableString() (string, bool) {
	n := int(r.int16())
	switch {
	case r.err != nil:
		return "", false
	case n == -1:
		return "", false
	case n < 0:
		r.fail(fmt.Errorf("invalid string length %d", n))
		return "", false
	case n > len(r.b):
		r.fail(errShort)
		return "", false
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s, true
}

func (r *reader) string() string {
	s, _ := r.nullableString()
	return s
}

// nullableBytes reads int32-length bytes (copied); length -1 is nil.
func (r *reader) nullableBytes() []byte {
	n := int(r.int32())
	switch {
	case r.err != nil || n == -1:
		return nil
	case n < 0:
		r.fail(fmt.Errorf("invalid bytes length %d", n))
		return nil
	case n > len(r.b):
		r.fail(errShort)
		return nil
	}
	v := make([]byte, n)
	copy(v, r.b)
	r.b = r.b[n:]
	return v
}

// arrayLen reads an int32 array length and checks that n elements of at
// least minSize bytes each fit in what remains, so that garbage cannot make
// the caller allocate. A null array (-1) reads as empty.
func (r *reader) arrayLen(minSize int) int {
	n := int(r.int32())
	switch {
	case r.err != nil || n == -1:
		return 0
	case n < 0:
		r.fail(fmt.Errorf("invalid array length %d", n))
		return 0
	case n > len(r.b)/minSize:
		r.fail(errShort)
		return 0
	}
	return n
}

func (r *reader) stringArray() []string {
	n := r.arrayLen(2)
	if n == 0 {
		return nil
	}
	v := make([]string, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		v = append(v, r.string())
	}
	return v
}

func (r *reader) int32Array() []int32 {
	n := r.arrayLen(4)
	if n == 0 {
		return nil
	}
	v := make([]int32, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		v = append(v, r.int32())
	}
	return v
}

func (r *reader) topicPartitions() []TopicPartitions {
	n := r.arrayLen(6)
	if n == 0 {
		return nil
	}
	v := make([]TopicPartitions, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		v = append(v, TopicPartitions{Topic: r.string(), Partitions: r.int32Array()})
	}
	return v
}

func appendInt16(dst []byte, v int16) []byte {
	return binary.BigEndian.AppendUint16(dst, uint16(v))
}

func appendInt32(dst []byte, v int32) []byte {
	return binary.BigEndian.AppendUint32(dst, uint32(v))
}

func appendString(dst []byte, s string) ([]byte, error) {
	if len(s) > math.MaxInt16 {
		return dst, fmt.Errorf("groupproto: string of %d bytes is longer than the protocol's %d", len(s), math.MaxInt16)
	}
	return append(appendInt16(dst, int16(len(s))), s...), nil
}

func appendNullableString(dst []byte, s *string) ([]byte, error) {
	if s == nil {
		return appendInt16(dst, -1), nil
	}
	return appendString(dst, *s)
}

func appendNullableBytes(dst []byte, b []byte) ([]byte, error) {
	if b == nil {
		return appendInt32(dst, -1), nil
	}
	if len(b) > math.MaxInt32 {
		return dst, fmt.Errorf("groupproto: %d bytes of user data is more than the protocol allows", len(b))
	}
	return append(appendInt32(dst, int32(len(b))), b...), nil
}

func appendArrayLen(dst []byte, n int) ([]byte, error) {
	if n > math.MaxInt32 {
		return dst, fmt.Errorf("groupproto: array of %d elements is longer than the protocol allows", n)
	}
	return appendInt32(dst, int32(n)), nil
}

func appendStringArray(dst []byte, ss []string) ([]byte, error) {
	dst, err := appendArrayLen(dst, len(ss))
	for _, s := range ss {
		if err != nil {
			break
		}
		dst, err = appendString(dst, s)
	}
	return dst, err
}

func appendTopicPartitions(dst []byte, tps []TopicPartitions) ([]byte, error) {
	dst, err := appendArrayLen(dst, len(tps))
	for _, tp := range tps {
		if err != nil {
			return dst, err
		}
		if dst, err = appendString(dst, tp.Topic); err != nil {
			return dst, err
		}
		dst, err = appendArrayLen(dst, len(tp.Partitions))
		for _, p := range tp.Partitions {
			dst = appendInt32(dst, p)
		}
	}
	return dst, err
}
