// Package record encodes and decodes the bytes that Kafka stores and moves:
// RecordBatch v2 (magic 2, Kafka 0.11 and later) and the legacy MessageSet
// v0/v1 (magic 0 and 1), with their CRCs (CRC32C for v2, CRC32 IEEE for
// legacy messages).
//
// The package imports only the standard library. Compression is delegated to
// a [Codec] supplied by the caller; the codec plugins live in
// github.com/kafka3/kafka3-go/codecs/... and register themselves in package
// core, whose CodecByID is the usual lookup passed to [Decoder.Codecs].
//
// Producing: append records to a [Builder], then [Builder.AppendBatch] with
// the producer state ([BatchParams]) once sequences are assigned.
//
// Consuming: [Decoder] walks the records bytes of a fetch response batch by
// batch ([Decoder.Next]), exposes each batch's header ([Batch]) for
// read_committed filtering, and decodes its records into a caller-reused
// slice ([Decoder.AppendRecords]) without copying keys and values: decoded
// records alias the input and the decoder's decompression buffer until the
// next [Decoder.Reset]. Use [Record.Clone] to keep a record longer.
//
// Wire layouts follow https://kafka.apache.org/documentation/#recordbatch and
// https://kafka.apache.org/documentation/#messageset.
package record
