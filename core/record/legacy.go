package record

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"slices"
)

// Legacy message layout (magic 0 and 1), after offset (8) and size (4):
// crc (4, CRC32 IEEE of magic..end), magic (1), attributes (1),
// timestamp (8, magic 1 only), key (int32 length + bytes, -1 null),
// value (int32 length + bytes, -1 null).
const (
	legacyLogOverhead = 12 // offset + message size
	legacyMinV0       = 4 + 1 + 1 + 4 + 4
	legacyMinV1       = legacyMinV0 + 8
)

// parseLegacy reads one legacy message (the whole message is in raw).
func (d *Decoder) parseLegacy(raw []byte, offset int64, magic int8) (*Batch, error) {
	min := legacyMinV0
	if magic == 1 {
		min = legacyMinV1
	}
	if len(raw)-legacyLogOverhead < min {
		return nil, d.corrupt(offset, "message size %d is shorter than a magic %d message", len(raw)-legacyLogOverhead, magic)
	}
	be := binary.BigEndian
	b := &d.cur
	*b = Batch{
		BaseOffset:           offset,
		Length:               int32(len(raw) - legacyLogOverhead),
		PartitionLeaderEpoch: -1,
		Magic:                magic,
		CRC:                  be.Uint32(raw[12:]),
		Attributes:           int16(raw[17]),
		FirstTimestamp:       -1,
		MaxTimestamp:         -1,
		ProducerID:           -1,
		ProducerEpoch:        -1,
		BaseSequence:         -1,
		NumRecords:           1,
		Raw:                  raw,
	}
	if !d.SkipCRC {
		if crc := crc32.ChecksumIEEE(raw[16:]); crc != b.CRC {
			return nil, d.corrupt(offset, "crc mismatch: stored %#08x, computed %#08x", b.CRC, crc)
		}
	}
	pos := 18
	if magic == 1 {
		b.FirstTimestamp = int64(be.Uint64(raw[pos:]))
		b.MaxTimestamp = b.FirstTimestamp
		pos += 8
	}
	var ok bool
	if b.key, pos, ok = legacyBytes(raw, pos); !ok {
		return nil, d.corrupt(offset, "impossible key length")
	}
	if b.value, pos, ok = legacyBytes(raw, pos); !ok {
		return nil, d.corrupt(offset, "impossible value length")
	}
	if pos != len(raw) {
		return nil, d.corrupt(offset, "%d bytes left after the message value", len(raw)-pos)
	}
	if b.CodecID() != CodecNone {
		b.NumRecords = -1
		if b.value == nil {
			return nil, d.corrupt(offset, "compressed wrapper message without a value")
		}
	}
	return b, nil
}

// legacyBytes reads an int32-length-prefixed nullable byte array at pos.
func legacyBytes(b []byte, pos int) ([]byte, int, bool) {
	if len(b)-pos < 4 {
		return nil, pos, false
	}
	n := int32(binary.BigEndian.Uint32(b[pos:]))
	pos += 4
	if n == -1 {
		return nil, pos, true
	}
	if n < 0 || int(n) > len(b)-pos {
		return nil, pos, false
	}
	return b[pos : pos+int(n) : pos+int(n)], pos + int(n), true
}

func (d *Decoder) appendLegacy(dst []Record, b *Batch) ([]Record, error) {
	if b.CodecID() == CodecNone {
		r := Record{
			Topic:         d.topic,
			Partition:     d.partition,
			Offset:        b.BaseOffset,
			Timestamp:     fromMillis(b.FirstTimestamp),
			TimestampType: b.TimestampType(),
			Key:           b.key,
			Value:         b.value,
			LeaderEpoch:   -1,
		}
		return append(dst, r), nil
	}
	c, err := d.codec(b.CodecID(), b.BaseOffset)
	if err != nil {
		return dst, err
	}
	data, err := d.decompress(c, b.value, b.BaseOffset, b.Magic == 0)
	if err != nil {
		return dst, err
	}
	orig := len(dst)
	inner := Decoder{SkipCRC: d.SkipCRC, topic: d.topic, partition: d.partition, data: data}
	for {
		ib, err := inner.Next()
		if err != nil {
			if cerr, ok := err.(*CorruptError); ok {
				cerr.Reason = "inner message: " + cerr.Reason
				cerr.Offset = b.BaseOffset
				return dst[:orig], cerr
			}
			break
		}
		if ib.Magic > 1 || ib.CodecID() != CodecNone {
			return dst[:orig], d.corrupt(b.BaseOffset, "inner message with magic %d and codec %s in a compressed wrapper", ib.Magic, CodecName(ib.CodecID()))
		}
		dst, _ = inner.appendLegacy(dst, ib)
	}
	if inner.truncated || len(dst) == orig {
		return dst[:orig], d.corrupt(b.BaseOffset, "compressed wrapper holds a partial or no message")
	}
	recs := dst[orig:]
	// Magic 1 inner offsets are relative, the wrapper carrying the absolute
	// offset of the last one; magic 0 inner offsets are absolute.
	shift := int64(0)
	if b.Magic == 1 {
		shift = b.BaseOffset - recs[len(recs)-1].Offset
	}
	for i := range recs {
		r := &recs[i]
		r.Offset += shift
		if b.Attributes&attrLogAppendTime != 0 && b.Magic == 1 {
			r.Timestamp = fromMillis(b.MaxTimestamp)
			r.TimestampType = LogAppendTime
		}
	}
	return dst, nil
}

// AppendMessageSet appends records as a legacy message set of the given
// magic (0 or 1) for brokers older than 0.11, compressed with codec unless
// it is nil, and returns the extended slice. Offsets are 0..n-1 (the broker
// assigns real ones); with a codec, the records go into one wrapper message
// with offset n-1, inner offsets relative for magic 1. Records must not
// have headers. For magic 0 a codec implementing V0Codec uses its v0 framing.
func AppendMessageSet(dst []byte, magic int8, codec Codec, records []Record) ([]byte, error) {
	if magic != 0 && magic != 1 {
		return dst, errors.New("record: legacy message sets have magic 0 or 1")
	}
	for i := range records {
		if len(records[i].Headers) > 0 {
			return dst, ErrHeadersInLegacy
		}
	}
	if codec == nil {
		for i := range records {
			r := &records[i]
			dst = appendMessage(dst, int64(i), magic, 0, millis(r.Timestamp), r.Key, r.Value)
		}
		return dst, nil
	}
	if len(records) == 0 {
		return dst, nil
	}
	inner, maxTs := []byte(nil), int64(-1)
	for i := range records {
		r := &records[i]
		ts := millis(r.Timestamp)
		maxTs = max(maxTs, ts)
		inner = appendMessage(inner, int64(i), magic, 0, ts, r.Key, r.Value)
	}
	var z []byte
	var err error
	if vc, ok := codec.(V0Codec); ok && magic == 0 {
		z, err = vc.AppendCompressV0(nil, inner)
	} else {
		z, err = codec.AppendCompress(nil, inner)
	}
	if err != nil {
		return dst, err
	}
	return appendMessage(dst, int64(len(records)-1), magic, int8(codec.ID()), maxTs, nil, z), nil
}

func appendMessage(dst []byte, offset int64, magic, attrs int8, ts int64, key, value []byte) []byte {
	be := binary.BigEndian
	start := len(dst)
	size := legacyMinV0 + len(key) + len(value)
	if magic == 1 {
		size += 8
	}
	dst = slices.Grow(dst, legacyLogOverhead+size)
	dst = be.AppendUint64(dst, uint64(offset))
	dst = be.AppendUint32(dst, uint32(size))
	dst = append(dst, 0, 0, 0, 0, byte(magic), byte(attrs))
	if magic == 1 {
		dst = be.AppendUint64(dst, uint64(ts))
	}
	dst = appendLegacyBytes(dst, key)
	dst = appendLegacyBytes(dst, value)
	be.PutUint32(dst[start+12:], crc32.ChecksumIEEE(dst[start+16:]))
	return dst
}

func appendLegacyBytes(dst, b []byte) []byte {
	if b == nil {
		return binary.BigEndian.AppendUint32(dst, 0xffffffff)
	}
	return append(binary.BigEndian.AppendUint32(dst, uint32(len(b))), b...)
}
