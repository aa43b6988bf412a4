package sticky

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/kafka3/kafka3-go/core"
)

// NoGeneration is the generation of a member that has none (Java's
// DEFAULT_GENERATION).
const NoGeneration int32 = -1

var errUserData = errors.New("sticky: malformed user data")

// AppendUserData appends the Java StickyAssignor user data, version 1: the
// member's previous assignment then its generation. The format has no
// version field; version 0 is the same without the generation. Topics longer
// than 32767 bytes cannot exist in Kafka and are written truncated.
func AppendUserData(dst []byte, owned []core.AssignorPartitions, generation int32) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(owned)))
	for _, tp := range owned {
		topic := tp.Topic[:min(len(tp.Topic), math.MaxInt16)]
		dst = binary.BigEndian.AppendUint16(dst, uint16(len(topic)))
		dst = append(dst, topic...)
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(tp.Partitions)))
		for _, p := range tp.Partitions {
			dst = binary.BigEndian.AppendUint32(dst, uint32(p))
		}
	}
	return binary.BigEndian.AppendUint32(dst, uint32(generation))
}

// DecodeUserData decodes Java StickyAssignor user data of version 1 or,
// when the generation is missing, version 0 (generation NoGeneration), as
// Java does. Trailing bytes are ignored. It never panics and checks every
// length before allocating.
func DecodeUserData(b []byte) (owned []core.AssignorPartitions, generation int32, err error) {
	n, b, ok := readLen(b, 6)
	if !ok {
		return nil, NoGeneration, errUserData
	}
	owned = make([]core.AssignorPartitions, 0, n)
	for range n {
		var tp core.AssignorPartitions
		if tp.Topic, b, ok = readString(b); !ok {
			return nil, NoGeneration, errUserData
		}
		var np int
		if np, b, ok = readLen(b, 4); !ok {
			return nil, NoGeneration, errUserData
		}
		tp.Partitions = make([]int32, np)
		for i := range tp.Partitions {
			tp.Partitions[i] = int32(binary.BigEndian.Uint32(b[4*i:]))
		}
		b = b[4*np:]
		owned = append(owned, tp)
	}
	if len(b) < 4 {
		return owned, NoGeneration, nil
	}
	return owned, int32(binary.BigEndian.Uint32(b)), nil
}

// AppendGeneration appends the Java CooperativeStickyAssignor user data:
// the member's generation as an int32.
func AppendGeneration(dst []byte, generation int32) []byte {
	return binary.BigEndian.AppendUint32(dst, uint32(generation))
}

// DecodeGeneration decodes CooperativeStickyAssignor user data; anything
// shorter than four bytes gives NoGeneration.
func DecodeGeneration(b []byte) int32 {
	if len(b) < 4 {
		return NoGeneration
	}
	return int32(binary.BigEndian.Uint32(b))
}

// readLen reads an int32 array length and checks that that many elements of
// at least minSize bytes fit in what follows.
func readLen(b []byte, minSize int) (int, []byte, bool) {
	if len(b) < 4 {
		return 0, b, false
	}
	n := int(int32(binary.BigEndian.Uint32(b)))
	b = b[4:]
	if n < 0 || n > len(b)/minSize {
		return 0, b, false
	}
	return n, b, true
}

func readString(b []byte) (string, []byte, bool) {
	if len(b) < 2 {
		return "", b, false
	}
	n := int(int16(binary.BigEndian.Uint16(b)))
	b = b[2:]
	if n < 0 || n > len(b) {
		return "", b, false
	}
	return string(b[:n]), b[n:], true
}
