package record

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"slices"
)

// castagnoli is the CRC32C table; the stdlib uses SSE4.2/ARMv8 instructions
// for it where available.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// BatchHeaderSize is the size of a RecordBatch v2 header, from the base
// offset to the record count included.
const BatchHeaderSize = 61

// Offsets of the fields of a v2 batch header.
const (
	offBaseOffset      = 0
	offBatchLength     = 8
	offLeaderEpoch     = 12
	offMagic           = 16
	offCRC             = 17
	offAttributes      = 21
	offLastOffsetDelta = 23
	offBaseTimestamp   = 27
	offMaxTimestamp    = 35
	offProducerID      = 43
	offProducerEpoch   = 51
	offBaseSequence    = 53
	offRecordCount     = 57
)

// Attribute bits of a v2 batch (bits 0-2 are the codec id).
const (
	attrCodecMask        = 0x07
	attrLogAppendTime    = 0x08
	attrTransactional    = 0x10
	attrControl          = 0x20
	attrHasDeleteHorizon = 0x40
)

// BatchParams are the batch-level fields a Builder fills in when it finishes
// a batch. The zero value is not what a plain producer sends: set
// PartitionLeaderEpoch, ProducerID, ProducerEpoch and BaseSequence to -1
// when they do not apply, as the Java client does (see NoProducer).
type BatchParams struct {
	BaseOffset           int64 // 0 when producing; the broker assigns offsets
	PartitionLeaderEpoch int32 // -1 when producing
	ProducerID           int64 // -1 unless idempotent or transactional
	ProducerEpoch        int16 // -1 unless idempotent or transactional
	BaseSequence         int32 // sequence of the first record, -1 unless idempotent
	Transactional        bool
	Control              bool          // records are control records (see Control)
	TimestampType        TimestampType // CreateTime (default) or LogAppendTime
	Codec                Codec         // nil: uncompressed
}

// NoProducer returns BatchParams for a non-idempotent producer: base offset
// 0 and every producer and epoch field -1, uncompressed, CreateTime.
func NoProducer() BatchParams {
	return BatchParams{PartitionLeaderEpoch: -1, ProducerID: -1, ProducerEpoch: -1, BaseSequence: -1}
}

// Builder accumulates records for one RecordBatch v2 and encodes the batch.
// The producer appends records as they arrive (the encoded size is known at
// every step, see Size and RecordSize) and finishes the batch with
// AppendBatch once it drains it and knows the producer id, epoch and
// sequence. AppendBatch does not consume the builder, so a batch can be
// encoded again, e.g. with a new sequence after a producer id reset.
//
// The zero value is an empty builder ready to use. A Builder is not safe for
// concurrent use. It copies what it is given; it retains nothing of the
// caller's memory.
type Builder struct {
	buf       []byte // BatchHeaderSize bytes of room for the header, then the encoded records; nil when empty
	n         int32
	crc       uint32 // CRC32C of the encoded records, updated as they are appended
	baseTs    int64
	maxTs     int64
	lastDelta int32
}

// Reset empties the builder, keeping its buffer.
func (b *Builder) Reset() {
	b.buf = b.buf[:0]
	b.n, b.crc = 0, 0
	b.baseTs, b.maxTs, b.lastDelta = 0, 0, 0
}

// Grow makes room for a batch of size bytes (as Size counts them) without
// reallocating, so a producer that knows its batch size allocates the
// buffer once instead of growing it record by record.
func (b *Builder) Grow(size int) {
	size = max(size, BatchHeaderSize)
	b.buf = slices.Grow(b.buf[:0], size)[:len(b.buf)]
}

// TakeBuffer empties the builder and returns its buffer (length 0), which
// the builder no longer uses: a producer that has encoded a batch elsewhere
// (compressed) hands the buffer to its next batch with UseBuffer.
func (b *Builder) TakeBuffer() []byte {
	buf := b.buf[:0]
	b.Reset()
	b.buf = nil
	return buf
}

// UseBuffer empties the builder and makes it build in buf's capacity (buf's
// contents are overwritten); the caller must not use buf afterwards.
func (b *Builder) UseBuffer(buf []byte) {
	b.Reset()
	b.buf = buf[:0]
}

// Cap returns the size of the batch the builder's buffer holds without
// reallocating.
func (b *Builder) Cap() int { return cap(b.buf) }

// Len returns the number of records appended.
func (b *Builder) Len() int { return int(b.n) }

// Size returns the size of the batch encoded so far without compression:
// BatchHeaderSize plus the encoded records.
func (b *Builder) Size() int { return BatchHeaderSize + len(b.body()) }

// body returns the encoded records.
func (b *Builder) body() []byte {
	if len(b.buf) < BatchHeaderSize {
		return nil
	}
	return b.buf[BatchHeaderSize:]
}

// RecordSize returns the number of bytes Append(r) would add to Size, so a
// producer can check a size limit before appending.
func (b *Builder) RecordSize(r *Record) int {
	body := b.bodySize(r)
	return varintLen(int64(body)) + body
}

func (b *Builder) tsDelta(r *Record) int64 {
	if b.n == 0 {
		return 0
	}
	return millis(r.Timestamp) - b.baseTs
}

func (b *Builder) bodySize(r *Record) int {
	n := 1 + varintLen(b.tsDelta(r)) + varintLen(int64(b.n))
	n += bytesLen(r.Key) + bytesLen(r.Value) + varintLen(int64(len(r.Headers)))
	for i := range r.Headers {
		h := &r.Headers[i]
		n += varintLen(int64(len(h.Key))) + len(h.Key) + bytesLen(h.Value)
	}
	return n
}

// bytesLen is the encoded size of a varint-length-prefixed nullable byte array.
func bytesLen(b []byte) int {
	if b == nil {
		return 1
	}
	return varintLen(int64(len(b))) + len(b)
}

func appendBytes(dst, b []byte) []byte {
	if b == nil {
		return appendVarint(dst, -1)
	}
	return append(appendVarint(dst, int64(len(b))), b...)
}

// Append encodes r at the end of the batch and returns the number of bytes
// it added to Size. Only r's Timestamp, Key, Value and Headers are used: its
// offset delta is its position in the batch, and its timestamp delta is
// relative to the first record's timestamp.
func (b *Builder) Append(r *Record) int {
	ts := millis(r.Timestamp)
	if b.n == 0 {
		b.baseTs, b.maxTs = ts, ts
	} else if ts > b.maxTs {
		b.maxTs = ts
	}
	body := b.bodySize(r)
	if len(b.buf) < BatchHeaderSize {
		b.buf = b.buf[:0]
		b.buf = append(slices.Grow(b.buf, BatchHeaderSize+varintLen(int64(body))+body), make([]byte, BatchHeaderSize)...)
	}
	start := len(b.buf)
	buf := slices.Grow(b.buf, varintLen(int64(body))+body)
	buf = appendVarint(buf, int64(body))
	buf = append(buf, 0) // record attributes: unused
	buf = appendVarint(buf, ts-b.baseTs)
	buf = appendVarint(buf, int64(b.n))
	buf = appendBytes(buf, r.Key)
	buf = appendBytes(buf, r.Value)
	buf = appendVarint(buf, int64(len(r.Headers)))
	for i := range r.Headers {
		h := &r.Headers[i]
		buf = appendVarint(buf, int64(len(h.Key)))
		buf = append(buf, h.Key...)
		buf = appendBytes(buf, h.Value)
	}
	b.buf = buf
	// Checksum the record now, while it is in the cache: the batch's CRC
	// is put together from this and the header's when it is finished.
	b.crc = crc32.Update(b.crc, castagnoli, buf[start:])
	b.lastDelta = b.n
	b.n++
	return len(b.buf) - start
}

// errEmptyBatch is returned by AppendBatch for a builder without records.
var errEmptyBatch = errors.New("record: cannot encode a batch without records")

// AppendBatch appends the encoded batch to dst: the header filled from p
// and the records so far, compressed with p.Codec when it is not nil, with
// the CRC32C over attributes..end. The builder is unchanged.
func (b *Builder) AppendBatch(dst []byte, p *BatchParams) ([]byte, error) {
	if b.n == 0 {
		return dst, errEmptyBatch
	}
	recs := b.body()
	start := len(dst)
	attrs := int16(0)
	if p.Codec != nil {
		id := p.Codec.ID()
		if id < 1 || id > attrCodecMask {
			return dst, errors.New("record: codec " + p.Codec.Name() + " has an invalid id")
		}
		attrs |= int16(id)
		// Compressed output is usually far smaller than the records: grow
		// dst by the header only and let the codec grow it as it writes.
		dst = slices.Grow(dst, BatchHeaderSize)[:start+BatchHeaderSize]
		var err error
		if dst, err = p.Codec.AppendCompress(dst, recs); err != nil {
			return dst[:start], err
		}
	} else {
		dst = slices.Grow(dst, BatchHeaderSize+len(recs))[:start+BatchHeaderSize]
		dst = append(dst, recs...)
	}
	b.finish(dst[start:], attrs, p, p.Codec == nil)
	return dst, nil
}

// Batch encodes the batch uncompressed in the builder's own buffer and
// returns it, without copying the records: the header is written into the
// room the builder keeps before them. The result is valid until the next
// call that changes the builder (Append, Reset, Batch); calling Batch again,
// e.g. with a new sequence, rewrites the header in place. For a compressed
// batch (p.Codec not nil) use AppendBatch.
func (b *Builder) Batch(p *BatchParams) ([]byte, error) {
	if b.n == 0 {
		return nil, errEmptyBatch
	}
	if p.Codec != nil {
		return nil, errors.New("record: Builder.Batch encodes uncompressed batches only; use AppendBatch to compress with " + p.Codec.Name())
	}
	b.finish(b.buf, 0, p, true)
	return b.buf, nil
}

// finish fills in the header of the encoded batch h (header and records,
// compressed or not), attrs holding the codec id, and its CRC. raw says h
// holds the builder's records as they are, whose CRC is known already.
func (b *Builder) finish(h []byte, attrs int16, p *BatchParams, raw bool) {
	if p.TimestampType == LogAppendTime {
		attrs |= attrLogAppendTime
	}
	if p.Transactional {
		attrs |= attrTransactional
	}
	if p.Control {
		attrs |= attrControl
	}
	be := binary.BigEndian
	be.PutUint64(h[offBaseOffset:], uint64(p.BaseOffset))
	be.PutUint32(h[offBatchLength:], uint32(len(h)-offLeaderEpoch))
	be.PutUint32(h[offLeaderEpoch:], uint32(p.PartitionLeaderEpoch))
	h[offMagic] = 2
	be.PutUint16(h[offAttributes:], uint16(attrs))
	be.PutUint32(h[offLastOffsetDelta:], uint32(b.lastDelta))
	be.PutUint64(h[offBaseTimestamp:], uint64(b.baseTs))
	be.PutUint64(h[offMaxTimestamp:], uint64(b.maxTs))
	writeProducer(h, p.ProducerID, p.ProducerEpoch, p.BaseSequence)
	be.PutUint32(h[offRecordCount:], uint32(b.n))
	var crc uint32
	if raw {
		crc = crcConcat(crc32.Checksum(h[offAttributes:BatchHeaderSize], castagnoli), b.crc, len(h)-BatchHeaderSize)
	} else {
		crc = crc32.Checksum(h[offAttributes:], castagnoli)
	}
	be.PutUint32(h[offCRC:], crc)
}

func writeProducer(h []byte, id int64, epoch int16, seq int32) {
	be := binary.BigEndian
	be.PutUint64(h[offProducerID:], uint64(id))
	be.PutUint16(h[offProducerEpoch:], uint16(epoch))
	be.PutUint32(h[offBaseSequence:], uint32(seq))
}

// SetProducer rewrites the producer id, epoch and base sequence of an
// encoded v2 batch in place and updates its CRC, so a producer can resend a
// finished batch under a new producer id or sequence without encoding or
// compressing it again. batch must hold exactly one complete batch with a
// correct CRC: the new CRC is derived from the old one and the header's
// change, without reading the records again.
func SetProducer(batch []byte, producerID int64, epoch int16, baseSequence int32) error {
	if len(batch) < BatchHeaderSize || batch[offMagic] != 2 ||
		int(binary.BigEndian.Uint32(batch[offBatchLength:]))+offLeaderEpoch != len(batch) {
		return errors.New("record: SetProducer needs one complete v2 batch")
	}
	header := batch[offAttributes:BatchHeaderSize]
	before := crc32.Checksum(header, castagnoli)
	writeProducer(batch, producerID, epoch, baseSequence)
	after := crc32.Checksum(header, castagnoli)
	crc := binary.BigEndian.Uint32(batch[offCRC:]) ^ crcShift(before^after, len(batch)-BatchHeaderSize)
	binary.BigEndian.PutUint32(batch[offCRC:], crc)
	return nil
}

// HasProducer reports whether the encoded v2 batch carries exactly this
// producer id, epoch and base sequence, so a producer resending a batch
// rewrites its header (SetProducer, which recomputes the CRC) only when
// they changed.
func HasProducer(batch []byte, producerID int64, epoch int16, baseSequence int32) bool {
	if len(batch) < BatchHeaderSize {
		return false
	}
	be := binary.BigEndian
	return int64(be.Uint64(batch[offProducerID:])) == producerID &&
		int16(be.Uint16(batch[offProducerEpoch:])) == epoch &&
		int32(be.Uint32(batch[offBaseSequence:])) == baseSequence
}
