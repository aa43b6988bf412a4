package record

import (
	"bytes"
	"encoding/binary"
	"io"
	"reflect"
	"testing"
	"time"
)

func TestCRC32CBitwiseKnownVector(t *testing.T) {
	t.Parallel()
	if got := crc32cBitwise([]byte("123456789")); got != 0xE3069283 {
		t.Fatalf("crc32c(123456789) = %#x, want 0xe3069283", got)
	}
}

// handBatch is a v2 batch written byte by byte from the layout in
// https://kafka.apache.org/documentation/#recordbatch: two records, the
// second with a null key and one header, transactional, producer 42 epoch 1
// base sequence 7. The CRC is left zero and filled by crc32cBitwise.
func handBatch() []byte {
	b := []byte{
		0, 0, 0, 0, 0, 0, 0, 0, // baseOffset
		0, 0, 0, 75, // batchLength: 49 header bytes after this field + 26 bytes of records
		0xff, 0xff, 0xff, 0xff, // partitionLeaderEpoch -1
		2,          // magic
		0, 0, 0, 0, // crc, filled below
		0x00, 0x10, // attributes: transactional, no compression, CreateTime
		0, 0, 0, 1, // lastOffsetDelta
		0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00, // baseTimestamp 1700000000000
		0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x05, // maxTimestamp +5 ms
		0, 0, 0, 0, 0, 0, 0, 42, // producerId
		0, 1, // producerEpoch
		0, 0, 0, 7, // baseSequence
		0, 0, 0, 2, // records count
		// record 0: length 9 (zigzag 0x12)
		0x12, 0x00, // attributes
		0x00,      // timestampDelta 0
		0x00,      // offsetDelta 0
		0x02, 'k', // key length 1, key
		0x04, 'v', '1', // value length 2, value
		0x00, // headers count 0
		// record 1: length 15 (0x1e)
		0x1e, 0x00,
		0x0a,                          // timestampDelta 5
		0x02,                          // offsetDelta 1
		0x01,                          // key length -1: null
		0x0a, 'h', 'e', 'l', 'l', 'o', // value length 5
		0x02,      // headers count 1
		0x02, 'h', // header key length 1
		0x02, 'x', // header value length 1
	}
	binary.BigEndian.PutUint32(b[17:], crc32cBitwise(b[21:]))
	return b
}

func handRecords() []Record {
	ts := time.UnixMilli(1700000000000)
	return []Record{
		{Timestamp: ts, Key: []byte("k"), Value: []byte("v1")},
		{Timestamp: ts.Add(5 * time.Millisecond), Value: []byte("hello"), Headers: []Header{{Key: "h", Value: []byte("x")}}},
	}
}

func TestBuilderMatchesHandEncodedBatch(t *testing.T) {
	t.Parallel()
	var b Builder
	size := b.Size()
	for _, r := range handRecords() {
		want := b.RecordSize(&r)
		if got := b.Append(&r); got != want {
			t.Fatalf("Append added %d bytes, RecordSize said %d", got, want)
		}
		size += want
	}
	if b.Size() != size || b.Len() != 2 {
		t.Fatalf("Size %d Len %d, want %d 2", b.Size(), b.Len(), size)
	}
	p := NoProducer()
	p.ProducerID, p.ProducerEpoch, p.BaseSequence, p.Transactional = 42, 1, 7, true
	got, err := b.AppendBatch([]byte("prefix"), &p)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte("prefix"), handBatch()...)
	if !bytes.Equal(got, want) {
		t.Fatalf("encoded batch differs from the hand-written one\n got %x\nwant %x", got, want)
	}
	if len(got)-6 != b.Size() {
		t.Fatalf("uncompressed batch is %d bytes, Size said %d", len(got)-6, b.Size())
	}
}

func TestDecodeHandEncodedBatch(t *testing.T) {
	t.Parallel()
	var d Decoder
	d.Reset("t", 3, handBatch())
	bt, err := d.Next()
	if err != nil {
		t.Fatal(err)
	}
	if bt.BaseOffset != 0 || bt.LastOffset() != 1 || bt.ProducerID != 42 || bt.ProducerEpoch != 1 ||
		bt.BaseSequence != 7 || !bt.IsTransactional() || bt.IsControl() || bt.NumRecords != 2 ||
		bt.PartitionLeaderEpoch != -1 || bt.TimestampType() != CreateTime || bt.CodecID() != CodecNone {
		t.Fatalf("batch header = %+v", bt)
	}
	recs, err := d.AppendRecords(nil, bt)
	if err != nil {
		t.Fatal(err)
	}
	want := handRecords()
	for i := range want {
		want[i].Topic, want[i].Partition, want[i].Offset, want[i].LeaderEpoch = "t", 3, int64(i), -1
	}
	if !reflect.DeepEqual(recs, want) {
		t.Fatalf("records = %+v\nwant %+v", recs, want)
	}
	if recs[0].Key == nil || recs[1].Key != nil {
		t.Fatal("null key not preserved")
	}
	if _, err := d.Next(); err != io.EOF || d.Truncated() {
		t.Fatalf("Next after last = %v, truncated %v", err, d.Truncated())
	}
}

func TestBuilderEmptyAndReset(t *testing.T) {
	t.Parallel()
	var b Builder
	p := NoProducer()
	if _, err := b.AppendBatch(nil, &p); err == nil {
		t.Fatal("empty batch encoded")
	}
	b.Append(&Record{Value: []byte("x")})
	b.Reset()
	if b.Len() != 0 || b.Size() != BatchHeaderSize {
		t.Fatalf("after Reset Len %d Size %d", b.Len(), b.Size())
	}
}

func TestSetProducer(t *testing.T) {
	t.Parallel()
	batch := handBatch()
	if err := SetProducer(batch, 99, 3, 1000); err != nil {
		t.Fatal(err)
	}
	var d Decoder
	d.Reset("t", 0, batch)
	bt, err := d.Next()
	if err != nil {
		t.Fatal(err)
	}
	if bt.ProducerID != 99 || bt.ProducerEpoch != 3 || bt.BaseSequence != 1000 {
		t.Fatalf("producer = %d/%d/%d", bt.ProducerID, bt.ProducerEpoch, bt.BaseSequence)
	}
	if !HasProducer(batch, 99, 3, 1000) || HasProducer(batch, 99, 3, 1001) || HasProducer(batch, 99, 4, 1000) || HasProducer(batch, 98, 3, 1000) {
		t.Fatal("HasProducer does not match the header SetProducer wrote")
	}
	if err := SetProducer(batch[:40], 1, 1, 1); err == nil {
		t.Fatal("SetProducer accepted a partial batch")
	}
	if err := SetProducer(append(batch, 0), 1, 1, 1); err == nil {
		t.Fatal("SetProducer accepted trailing bytes")
	}
}

// Batch writes the same bytes as AppendBatch, in the builder's own buffer,
// and a second call (a new sequence) rewrites only the header.
func TestBuilderBatchInPlace(t *testing.T) {
	t.Parallel()
	var b Builder
	b.Grow(4096)
	capBefore := b.Cap()
	for _, r := range handRecords() {
		b.Append(&r)
	}
	if b.Cap() != capBefore {
		t.Fatalf("Append reallocated a buffer grown to %d bytes (cap %d -> %d)", 4096, capBefore, b.Cap())
	}
	p := NoProducer()
	p.ProducerID, p.ProducerEpoch, p.BaseSequence, p.Transactional = 42, 1, 7, true
	got, err := b.Batch(&p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, handBatch()) {
		t.Fatalf("Batch differs from the hand-written batch\n got %x\nwant %x", got, handBatch())
	}
	if len(got) != b.Size() {
		t.Fatalf("Batch is %d bytes, Size said %d", len(got), b.Size())
	}
	p.BaseSequence = 1000
	again, err := b.Batch(&p)
	if err != nil {
		t.Fatal(err)
	}
	want := handBatch()
	if err := SetProducer(want, 42, 1, 1000); err != nil {
		t.Fatal(err)
	}
	if &again[0] != &got[0] || !bytes.Equal(again, want) {
		t.Fatalf("second Batch: same buffer %v, bytes\n got %x\nwant %x", &again[0] == &got[0], again, want)
	}
	appended, err := b.AppendBatch(nil, &p)
	if err != nil || !bytes.Equal(appended, want) {
		t.Fatalf("AppendBatch after Batch = %x, %v; want %x", appended, err, want)
	}
	p.Codec = stubCodec{}
	if _, err := b.Batch(&p); err == nil {
		t.Fatal("Batch accepted a codec")
	}
	b.Reset()
	if _, err := b.Batch(&p); err == nil {
		t.Fatal("Batch encoded an empty builder")
	}
}

// stubCodec is a codec for argument checks; it is never asked to compress.
type stubCodec struct{}

func (stubCodec) ID() int8     { return CodecLZ4 }
func (stubCodec) Name() string { return "stub" }
func (stubCodec) AppendCompress(dst, src []byte) ([]byte, error) {
	panic("stubCodec: not for compressing")
}
func (stubCodec) AppendDecompress(dst, src []byte, limit int) ([]byte, error) {
	panic("stubCodec: not for decompressing")
}

// A buffer taken from one builder builds the next batch without growing.
func TestBuilderTakeAndUseBuffer(t *testing.T) {
	t.Parallel()
	var a, b Builder
	a.Grow(1024)
	a.Append(&Record{Value: []byte("first")})
	buf := a.TakeBuffer()
	if a.Len() != 0 || a.Size() != BatchHeaderSize || a.Cap() != 0 || len(buf) != 0 || cap(buf) < 1024 {
		t.Fatalf("after TakeBuffer: Len %d Size %d Cap %d, buffer len %d cap %d", a.Len(), a.Size(), a.Cap(), len(buf), cap(buf))
	}
	b.UseBuffer(buf)
	for _, r := range handRecords() {
		b.Append(&r)
	}
	if b.Cap() != cap(buf) {
		t.Fatalf("the builder reallocated a used buffer of cap %d (now %d)", cap(buf), b.Cap())
	}
	p := NoProducer()
	p.ProducerID, p.ProducerEpoch, p.BaseSequence, p.Transactional = 42, 1, 7, true
	got, err := b.Batch(&p)
	if err != nil || !bytes.Equal(got, handBatch()) {
		t.Fatalf("batch built in a used buffer = %x, %v; want %x", got, err, handBatch())
	}
}
