package core

import (
	"bytes"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core/record"
)

// copyCodec is a "compression" codec that copies: enough to check what the
// producer does around compression without importing a codec package.
type copyCodec struct{}

func (copyCodec) ID() int8     { return record.CodecLZ4 }
func (copyCodec) Name() string { return "copy" }
func (copyCodec) AppendCompress(dst, src []byte) ([]byte, error) {
	return append(dst, src...), nil
}
func (copyCodec) AppendDecompress(dst, src []byte, limit int) ([]byte, error) {
	return append(dst, src...), nil
}

// A full batch is compressed when sealed, hands its record buffer on to the
// next batch, keeps its count and size, gets its producer fields at drain
// time, and can be turned back into records for a legacy message set.
func TestSealCompressesAndUnseals(t *testing.T) {
	p := &Producer{codec: copyCodec{}, free: newBatchFree(1024, 1<<20)}
	p.cfg.BatchSize, p.cfg.DeliveryTimeout = 1024, time.Minute
	q := &partitionQueue{topic: "t", partition: 2}
	b := p.newBatch(q, time.Now(), 1024)
	ts := time.UnixMilli(1700000000000)
	var want record.Builder
	for i := range 20 {
		r := Record{Timestamp: ts.Add(time.Duration(i) * time.Millisecond), Key: []byte{byte(i)}, Value: bytes.Repeat([]byte{'v'}, 30)}
		b.builder.Append(&r)
		want.Append(&r)
	}
	b.full = true
	q.batches = []*producerBatch{b}
	q.mu.Lock()
	p.seal(q, b)
	q.mu.Unlock()
	if !b.sealed || b.sealing || b.len() != 20 || b.rawSize() != want.Size() || b.builder.Cap() != 0 || len(p.free.bufs) != 1 {
		t.Fatalf("after seal: sealed %v sealing %v len %d rawSize %d (want %d), builder cap %d, free buffers %d",
			b.sealed, b.sealing, b.len(), b.rawSize(), want.Size(), b.builder.Cap(), len(p.free.bufs))
	}
	b.pid, b.epoch, b.seq = 77, 3, 500
	if err := p.encodeBatch(b, produceV2Batches); err != nil {
		t.Fatal(err)
	}
	params := record.NoProducer()
	params.Codec, params.ProducerID, params.ProducerEpoch, params.BaseSequence = copyCodec{}, 77, 3, 500
	wantBatch, err := want.AppendBatch(nil, &params)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.encoded, wantBatch) {
		t.Fatalf("sealed batch sent as\n%x\nwant\n%x", b.encoded, wantBatch)
	}
	if err := p.encodeBatch(b, produceMagic1); err != nil {
		t.Fatal(err)
	}
	wantSet, err := want.AppendMessageSet(nil, 1, copyCodec{})
	if err != nil {
		t.Fatal(err)
	}
	if b.sealed || b.len() != 20 || !bytes.Equal(b.encoded, wantSet) {
		t.Fatalf("unsealed for magic 1: sealed %v len %d, message set\n%x\nwant\n%x", b.sealed, b.len(), b.encoded, wantSet)
	}
	next := p.newBatch(q, time.Now(), 1024)
	if next.builder.Cap() < 1024 || len(p.free.bufs) != 0 {
		t.Fatalf("the next batch did not take the sealed batch's buffer: cap %d, free buffers %d", next.builder.Cap(), len(p.free.bufs))
	}
}
