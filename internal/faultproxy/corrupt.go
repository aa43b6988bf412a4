package faultproxy

import (
	"encoding/binary"
	"hash/crc32"
	"sync/atomic"
)

// Mutator changes one Kafka frame in place: frame is the whole frame as it
// travels, its 4-byte big-endian size first (so a mutator can corrupt the
// size too), then the request or response header and body. It reports
// whether it changed anything. The proxy forwards frame afterwards. A
// Mutator is called from many connections at once: it must be safe for
// concurrent use.
type Mutator func(frame []byte) bool

// CorruptRecordBatches returns a Mutator that flips one byte in the records
// of every record batch (message format v2, found by its header and a
// matching CRC-32C) in a frame: a fetch response then carries batches whose
// CRC check fails, as if the data had been damaged on the way or on disk.
// The byte flipped is in the middle of the batch's records, so the frame,
// its lengths and the batch header stay intact. Frames without a batch
// (every other response) pass unchanged.
func CorruptRecordBatches() Mutator {
	return func(frame []byte) bool {
		changed := false
		for i := 4; i+batchHeaderLen <= len(frame); {
			n := batchAt(frame[i:])
			if n == 0 {
				i++
				continue
			}
			b := frame[i : i+n]
			b[batchHeaderLen+(n-batchHeaderLen)/2] ^= 0x5a
			changed = true
			i += n
		}
		return changed
	}
}

// CorruptCorrelationIDs returns a Mutator that changes the correlation id of
// every response (bytes 4-7 of the frame, right after the size), so that
// the client cannot match the response to its request.
func CorruptCorrelationIDs() Mutator {
	return func(frame []byte) bool {
		if len(frame) < 8 {
			return false
		}
		frame[4] ^= 0x40
		return true
	}
}

// CorruptSizes returns a Mutator that replaces a frame's size with size
// (say 1<<30, more than any client accepts, or a negative one); the frame's
// real bytes follow, so a client that believed it would wait for bytes that
// never come.
func CorruptSizes(size int32) Mutator {
	return func(frame []byte) bool {
		if len(frame) < 4 {
			return false
		}
		binary.BigEndian.PutUint32(frame, uint32(size))
		return true
	}
}

// Limit returns a Mutator that applies m to frames until m has changed n of
// them, then passes frames unchanged: a fault that corrupts a few frames and
// clears itself.
func Limit(n int64, m Mutator) Mutator {
	var done atomic.Int64
	return func(frame []byte) bool {
		if done.Load() >= n {
			return false
		}
		if !m(frame) {
			return false
		}
		done.Add(1)
		return true
	}
}

// Record batch v2 layout (fixed header of 61 bytes): base offset (8),
// batch length (4, the bytes after it), partition leader epoch (4), magic
// (1, = 2), CRC-32C (4, over everything after it), attributes (2), last
// offset delta (4), base and max timestamps (8 + 8), producer id (8),
// producer epoch (2), base sequence (4), record count (4), then the
// records.
const (
	batchHeaderLen = 61
	batchMagicAt   = 16
	batchCRCAt     = 17
	batchAttrsAt   = 21
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// batchAt returns the size of the v2 record batch starting at b[0], with
// at least one byte of records, or 0 when b does not start with one.
func batchAt(b []byte) int {
	if len(b) < batchHeaderLen || b[batchMagicAt] != 2 {
		return 0
	}
	n := int(int32(binary.BigEndian.Uint32(b[8:]))) + 12
	if n <= batchHeaderLen || n > len(b) {
		return 0
	}
	if crc32.Checksum(b[batchAttrsAt:n], castagnoli) != binary.BigEndian.Uint32(b[batchCRCAt:]) {
		return 0
	}
	return n
}

// framer follows the Kafka frames of one direction of a connection (each a
// 4-byte big-endian size, then that many bytes) and, from a frame boundary
// on while a Mutator is set, holds each frame until it is whole, mutates it
// and passes it on.
type framer struct {
	hdr    [4]byte
	hdrN   int    // bytes of the size read so far (4: in the body)
	left   int    // bytes of the body still to come
	held   []byte // the frame being held for a mutator, nil when passing through
	m      Mutator
	broken bool // a negative size: frames are no longer followed
}

// feed passes data on through emit, frame by frame, applying m to whole
// frames that start while m is set; counted is called for each frame m
// changed. It returns false when emit does.
func (fr *framer) feed(data []byte, m Mutator, emit func([]byte) bool, counted func()) bool {
	if fr.broken {
		return emit(data)
	}
	pass := 0 // start of the bytes not yet emitted that go through unchanged; -1 while holding
	if fr.held != nil {
		pass = -1
	}
	for i := 0; i < len(data); {
		if fr.hdrN == 0 && fr.left == 0 && fr.held == nil && m != nil {
			// A frame starts here and must be held: emit what came before.
			if pass < i && !emit(data[pass:i]) {
				return false
			}
			fr.held, fr.m = make([]byte, 0, 64), m
			pass = -1
		}
		if fr.hdrN < 4 {
			n := min(4-fr.hdrN, len(data)-i)
			copy(fr.hdr[fr.hdrN:], data[i:i+n])
			fr.hdrN += n
			if fr.held != nil {
				fr.held = append(fr.held, data[i:i+n]...)
			}
			i += n
			if fr.hdrN < 4 {
				break
			}
			size := int32(binary.BigEndian.Uint32(fr.hdr[:]))
			if size < 0 {
				fr.broken = true
			}
			fr.left = max(int(size), 0)
			if fr.held != nil && fr.left > 0 {
				fr.held = append(make([]byte, 0, 4+min(fr.left, 1<<20)), fr.held...)
			}
		} else {
			n := min(fr.left, len(data)-i)
			if fr.held != nil {
				fr.held = append(fr.held, data[i:i+n]...)
			}
			fr.left -= n
			i += n
		}
		if fr.hdrN == 4 && fr.left == 0 {
			// The frame is whole.
			fr.hdrN = 0
			if fr.held != nil {
				f := fr.held
				fr.held = nil
				if fr.m(f) {
					counted()
				}
				if !emit(f) {
					return false
				}
				pass = i
			}
			if fr.broken {
				if pass < 0 {
					pass = i
				}
				return emit(data[pass:])
			}
		}
	}
	if fr.held == nil && pass >= 0 && pass < len(data) {
		return emit(data[pass:])
	}
	return true
}
