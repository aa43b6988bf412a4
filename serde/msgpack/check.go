package msgpack

import (
	"encoding/binary"
	"errors"
)

// errTooLarge is returned for data that declares more than it holds.
var errTooLarge = errors.New("the data declares an array, map, string or binary longer than the bytes that follow; it is corrupt or not MessagePack")

// checkSizes walks data's MessagePack structure once, without allocating,
// and fails if any array or map claims more elements, or any string, binary
// or extension more bytes, than data has left. The msgpack library sizes
// some slices from the declared length before reading the elements, so a
// few lying bytes could otherwise ask it for gigabytes.
func checkSizes(data []byte) error {
	pending := 1 // values still to read
	for i := 0; pending > 0; pending-- {
		if i >= len(data) {
			return nil // truncated: the decoder reports it
		}
		c := data[i]
		i++
		n, elems, hdr := sizeOf(c)
		if hdr > 0 {
			if i+hdr > len(data) {
				return nil
			}
			n = readLen(data[i:i+hdr]) + n
			i += hdr
			if c == 0xde || c == 0xdf { // map16, map32: keys and values
				n *= 2
			}
		}
		rest := len(data) - i
		if elems {
			if n > rest { // every element takes at least one byte
				return errTooLarge
			}
			pending += n
			continue
		}
		if n > rest {
			return errTooLarge
		}
		i += n
	}
	return nil
}

// sizeOf describes the value that starts with byte c: n is its fixed length
// (payload bytes, or elements when elems), hdr the bytes of a length field
// that follows c and adds to n.
func sizeOf(c byte) (n int, elems bool, hdr int) {
	switch {
	case c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3:
		return 0, false, 0 // fixints, nil, booleans
	case c <= 0x8f:
		return 2 * int(c&0x0f), true, 0 // fixmap: keys and values
	case c <= 0x9f:
		return int(c & 0x0f), true, 0 // fixarray
	case c <= 0xbf:
		return int(c & 0x1f), false, 0 // fixstr
	}
	switch c {
	case 0xc4, 0xd9: // bin8, str8
		return 0, false, 1
	case 0xc5, 0xda: // bin16, str16
		return 0, false, 2
	case 0xc6, 0xdb: // bin32, str32
		return 0, false, 4
	case 0xc7: // ext8: length, then the type byte
		return 1, false, 1
	case 0xc8:
		return 1, false, 2
	case 0xc9:
		return 1, false, 4
	case 0xcc, 0xd0: // uint8, int8
		return 1, false, 0
	case 0xcd, 0xd1: // uint16, int16
		return 2, false, 0
	case 0xca, 0xce, 0xd2: // float32, uint32, int32
		return 4, false, 0
	case 0xcb, 0xcf, 0xd3: // float64, uint64, int64
		return 8, false, 0
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext: type byte + 1..16 bytes
		return 1 + 1<<(c-0xd4), false, 0
	case 0xdc:
		return 0, true, 2 // array16
	case 0xdd:
		return 0, true, 4 // array32
	case 0xde:
		return 0, true, 2 // map16 (pairs; doubled by the caller)
	case 0xdf:
		return 0, true, 4 // map32
	}
	return 0, false, 0 // 0xc1 is never used: the decoder reports it
}

// readLen reads a big-endian length of 1, 2 or 4 bytes.
func readLen(b []byte) int {
	switch len(b) {
	case 1:
		return int(b[0])
	case 2:
		return int(binary.BigEndian.Uint16(b))
	}
	return int(binary.BigEndian.Uint32(b))
}
