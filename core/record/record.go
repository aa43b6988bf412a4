package record

import (
	"strconv"
	"time"
)

// TimestampType says what a record's timestamp means. The zero value is
// CreateTime.
type TimestampType int8

const (
	// NoTimestampType marks records without a timestamp (magic v0).
	NoTimestampType TimestampType = -1
	// CreateTime is a timestamp set by the producer (the default).
	CreateTime TimestampType = 0
	// LogAppendTime is a timestamp set by the broker when it appended the batch.
	LogAppendTime TimestampType = 1
)

// String returns the Java name of t: "CreateTime", "LogAppendTime" or "NoTimestampType".
func (t TimestampType) String() string {
	switch t {
	case NoTimestampType:
		return "NoTimestampType"
	case CreateTime:
		return "CreateTime"
	case LogAppendTime:
		return "LogAppendTime"
	}
	return "TimestampType(" + strconv.Itoa(int(t)) + ")"
}

// Header is a record header. Key is never null on the wire; a nil Value is a
// null value.
type Header struct {
	Key   string
	Value []byte
}

// Record is one Kafka record.
//
// A nil Key or Value is a null key or value on the wire; an empty non-nil
// slice is an empty one. A zero Timestamp is encoded as -1 (no timestamp) and
// -1 decodes to the zero time.Time.
//
// Records produced by a [Decoder] alias the decoder's input and its
// decompression buffer (Key, Value and header values), and their Headers
// slices alias a per-decoder header arena; they stay valid until the next
// Decoder.Reset. Call Clone to keep one longer.
type Record struct {
	Topic         string
	Partition     int32
	Offset        int64
	Timestamp     time.Time
	TimestampType TimestampType
	Key           []byte
	Value         []byte
	Headers       []Header
	// LeaderEpoch is the partition leader epoch of the batch the record was
	// read from, or -1 when unknown (legacy message sets, produced records).
	LeaderEpoch int32
}

// Clone returns a deep copy of r that shares no memory with r: Key, Value,
// Headers and header values are copied into one new allocation (plus one for
// the header slice). Null keys and values stay null.
func (r *Record) Clone() Record {
	c := *r
	n := len(r.Key) + len(r.Value)
	for _, h := range r.Headers {
		n += len(h.Value)
	}
	buf := make([]byte, 0, n)
	c.Key, buf = cloneInto(buf, r.Key)
	c.Value, buf = cloneInto(buf, r.Value)
	if r.Headers != nil {
		c.Headers = make([]Header, len(r.Headers))
		for i, h := range r.Headers {
			c.Headers[i].Key = h.Key // strings are immutable; decoder keys never alias buffers
			c.Headers[i].Value, buf = cloneInto(buf, h.Value)
		}
	}
	return c
}

// cloneInto copies b to the end of buf (which has room) and returns the copy,
// preserving nil.
func cloneInto(buf, b []byte) ([]byte, []byte) {
	if b == nil {
		return nil, buf
	}
	start := len(buf)
	buf = append(buf, b...)
	return buf[start:len(buf):len(buf)], buf
}

// millis converts t to Kafka milliseconds; the zero time is -1 (none).
func millis(t time.Time) int64 {
	if t.IsZero() {
		return -1
	}
	return t.UnixMilli()
}

// fromMillis converts Kafka milliseconds to a time; negative is the zero time.
func fromMillis(ms int64) time.Time {
	if ms < 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}
