package record

import "math/bits"

// Kafka's varint and varlong are zigzag-encoded base-128 integers, as in
// encoding/binary's Varint.

// varintLen returns the encoded size of x as a zigzag varint.
func varintLen(x int64) int {
	ux := uint64(x<<1) ^ uint64(x>>63)
	return (bits.Len64(ux|1) + 6) / 7
}

// appendVarint appends x as a zigzag varint.
func appendVarint(b []byte, x int64) []byte {
	ux := uint64(x<<1) ^ uint64(x>>63)
	for ux >= 0x80 {
		b = append(b, byte(ux)|0x80)
		ux >>= 7
	}
	return append(b, byte(ux))
}

// readVarint decodes a zigzag varint of at most maxBytes bytes (5 for a
// Kafka varint, 10 for a varlong) from b. n is 0 when b is truncated or the
// encoding is too long.
func readVarint(b []byte, maxBytes int) (x int64, n int) {
	var ux uint64
	var shift uint
	for i := 0; i < len(b) && i < maxBytes; i++ {
		c := b[i]
		if c < 0x80 {
			if i == maxBytes-1 && maxBytes == 10 && c > 1 {
				return 0, 0 // overflows 64 bits
			}
			ux |= uint64(c) << shift
			return int64(ux>>1) ^ -int64(ux&1), i + 1
		}
		ux |= uint64(c&0x7f) << shift
		shift += 7
	}
	return 0, 0
}

// readVarint32 decodes a Kafka varint (int32).
func readVarint32(b []byte) (int32, int) {
	x, n := readVarint(b, 5)
	if n == 0 || x != int64(int32(x)) {
		return 0, 0
	}
	return int32(x), n
}
