package record

// Batch is the header of one batch as read by a Decoder: a RecordBatch v2,
// or for magic 0 and 1 one legacy message (possibly a compressed wrapper of
// several). Its byte slices alias the decoder's input.
//
// For legacy messages, PartitionLeaderEpoch, ProducerID, ProducerEpoch and
// BaseSequence are -1, LastOffsetDelta is 0 and BaseOffset is the message's
// offset, which for a compressed wrapper is the offset of its last inner
// record; NumRecords is 1 for a plain message and -1 for a wrapper (known
// once decoded).
type Batch struct {
	BaseOffset           int64
	Length               int32 // batch length (v2) or message size (legacy), as on the wire
	PartitionLeaderEpoch int32
	Magic                int8
	CRC                  uint32
	Attributes           int16
	LastOffsetDelta      int32
	FirstTimestamp       int64 // base timestamp in ms (delete horizon if HasDeleteHorizon)
	MaxTimestamp         int64
	ProducerID           int64
	ProducerEpoch        int16
	BaseSequence         int32
	NumRecords           int32

	// Raw is the whole batch (or legacy message) as on the wire, from the
	// base offset on; it aliases the decoder's input.
	Raw []byte

	records    []byte // v2: records section, possibly compressed
	key, value []byte // legacy message
}

// CodecID returns the compression codec id of the batch (0 none, 1 gzip,
// 2 snappy, 3 lz4, 4 zstd).
func (b *Batch) CodecID() int8 { return int8(b.Attributes & attrCodecMask) }

// TimestampType returns the timestamp type of the batch's records.
func (b *Batch) TimestampType() TimestampType {
	if b.Magic == 0 {
		return NoTimestampType
	}
	if b.Attributes&attrLogAppendTime != 0 {
		return LogAppendTime
	}
	return CreateTime
}

// IsTransactional reports whether the batch was written in a transaction.
func (b *Batch) IsTransactional() bool { return b.Magic >= 2 && b.Attributes&attrTransactional != 0 }

// IsControl reports whether the batch holds control records (transaction
// markers); consumers do not return those records to users.
func (b *Batch) IsControl() bool { return b.Magic >= 2 && b.Attributes&attrControl != 0 }

// HasDeleteHorizon reports whether FirstTimestamp is the delete horizon set
// by the log cleaner (KIP-534).
func (b *Batch) HasDeleteHorizon() bool {
	return b.Magic >= 2 && b.Attributes&attrHasDeleteHorizon != 0
}

// LastOffset returns the offset of the batch's last record, whether or not
// the log cleaner removed it; a consumer's position after the batch is
// LastOffset()+1.
func (b *Batch) LastOffset() int64 { return b.BaseOffset + int64(b.LastOffsetDelta) }
