package core

import "github.com/kafka3/kafka3-go/core/record"

// Record is one Kafka record: what a Producer sends and a Consumer returns.
// See record.Record for the fields and the buffer rules of decoded records.
//
// A nil Key or Value is null on the wire (a nil Value is a tombstone); a zero
// Timestamp means "now" when producing.
type Record = record.Record

// Header is a record header. A nil Value is a null value.
type Header = record.Header

// TimestampType says whether a record's timestamp was set by the producer
// (CreateTime) or by the broker (LogAppendTime).
type TimestampType = record.TimestampType

// Timestamp types.
const (
	CreateTime    = record.CreateTime
	LogAppendTime = record.LogAppendTime
)
