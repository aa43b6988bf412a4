package record

import (
	"reflect"
	"testing"
)

// countingPool is a BufferPool that remembers what it lent and got back.
type countingPool struct {
	lent, back int
	free       [][]byte
}

func (p *countingPool) Get(n int) []byte {
	p.lent++
	for i, b := range p.free {
		if cap(b) >= n {
			p.free = append(p.free[:i], p.free[i+1:]...)
			return b[:0]
		}
	}
	return make([]byte, 0, n)
}

func (p *countingPool) Put(b []byte) {
	p.back++
	p.free = append(p.free, b)
}

// TestDecoderBuffersGoBack decodes several compressed batches, larger
// together than one buffer, through a pool: the records are intact, every
// buffer taken goes back at Reset, and the next input reuses them.
func TestDecoderBuffersGoBack(t *testing.T) {
	p := NoProducer()
	p.Codec = &flateCodec{}
	var data []byte
	var want []Record
	for i := range 6 {
		recs := sampleRecords(40 + i)
		want = append(want, recs...)
		data = append(data, encodeBatch(t, recs, p)...)
	}
	pool := &countingPool{}
	d := Decoder{Codecs: lookup(p.Codec), Buffers: pool}
	for round := range 3 {
		_, got, err := decodeAll(t, &d, data)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: %d records, want %d", round, len(got), len(want))
		}
		for i := range got {
			w := want[i]
			if !reflect.DeepEqual(got[i].Key, w.Key) || !reflect.DeepEqual(got[i].Value, w.Value) || len(got[i].Headers) != len(w.Headers) {
				t.Fatalf("round %d: record %d differs", round, i)
			}
		}
		if pool.lent == 0 {
			t.Fatal("no buffer came from the pool")
		}
		lent := pool.lent
		d.Reset("topic", 7, nil)
		if pool.back != lent {
			t.Fatalf("round %d: %d buffers lent, %d back after Reset", round, lent, pool.back)
		}
		if round > 0 && len(pool.free) == 0 {
			t.Fatal("the pool kept nothing to reuse")
		}
	}
	_, _, _ = decodeAll(t, &d, data)
	d.Release()
	if pool.back != pool.lent {
		t.Fatalf("%d buffers lent, %d back after Release", pool.lent, pool.back)
	}
}
