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
	p := &Producer{codec: copyCodec{}, free: newBatchFree(1024, 1024, 1<<20)}
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

// gateCodec is copyCodec whose compression waits until open is closed.
type gateCodec struct {
	copyCodec
	open chan struct{}
}

func (g gateCodec) AppendCompress(dst, src []byte) ([]byte, error) {
	<-g.open
	return append(dst, src...), nil
}

// A batch is compressed on a goroutine of its own while a sealer slot is
// free, so the goroutine that filled it goes on at once; with every slot
// busy the filling goroutine compresses (and waits) itself.
func TestSealAsideWhileSlotsLast(t *testing.T) {
	gate := gateCodec{open: make(chan struct{})}
	p := &Producer{codec: gate, free: newBatchFree(1024, 1024, 1<<20), sealSlots: make(chan struct{}, 1)}
	p.cfg.BatchSize, p.cfg.DeliveryTimeout = 1024, time.Minute
	q := &partitionQueue{topic: "t", partition: 0}
	full := func() *producerBatch {
		b := p.newBatch(q, time.Now(), 1024)
		for range 10 {
			b.builder.Append(&Record{Value: bytes.Repeat([]byte{'v'}, 50)})
		}
		b.full = true
		q.batches = append(q.batches, b)
		return b
	}
	b1, b2 := full(), full()

	aside := make(chan bool)
	go func() {
		q.mu.Lock()
		p.seal(q, b1)
		aside <- b1.sealing && !b1.sealed
		q.mu.Unlock()
	}()
	select {
	case ok := <-aside:
		if !ok {
			t.Fatal("seal returned with b1 not marked sealing")
		}
	case <-time.After(5 * time.Second):
		close(gate.open)
		t.Fatal("seal compressed on the caller's goroutine although a sealer slot was free")
	}
	inline := make(chan struct{})
	go func() {
		q.mu.Lock()
		p.seal(q, b2)
		q.mu.Unlock()
		close(inline)
	}()
	select {
	case <-inline:
		t.Fatal("seal returned before its compression with every sealer slot busy")
	case <-time.After(50 * time.Millisecond):
	}
	close(gate.open)
	<-inline
	deadline := time.Now().Add(5 * time.Second)
	for {
		q.mu.Lock()
		done := b1.sealed && b2.sealed && !b1.sealing && !b2.sealing
		q.mu.Unlock()
		if done && len(p.sealSlots) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not sealed within 5s: b1 %v, b2 %v, slots taken %d", b1.sealed, b2.sealed, len(p.sealSlots))
		}
		time.Sleep(time.Millisecond)
	}
	if b1.len() != 10 || b2.len() != 10 {
		t.Fatalf("sealed batches hold %d and %d records, want 10 each", b1.len(), b2.len())
	}
}
