package record

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func sampleRecords(n int) []Record {
	recs := make([]Record, n)
	base := time.UnixMilli(1700000000000)
	for i := range recs {
		r := &recs[i]
		r.Timestamp = base.Add(time.Duration(i*7%13) * time.Millisecond)
		if i%3 != 0 {
			r.Key = []byte(fmt.Sprintf("key-%d", i))
		}
		if i%5 != 4 {
			r.Value = bytes.Repeat([]byte{byte('a' + i%26)}, i*10)
		}
		if i%2 == 1 {
			r.Headers = []Header{{Key: "trace", Value: []byte("t")}, {Key: "h", Value: nil}}
		}
	}
	return recs
}

func encodeBatch(t testing.TB, recs []Record, p BatchParams) []byte {
	t.Helper()
	var b Builder
	for i := range recs {
		b.Append(&recs[i])
	}
	out, err := b.AppendBatch(nil, &p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func decodeAll(t testing.TB, d *Decoder, data []byte) ([]*Batch, []Record, error) {
	t.Helper()
	d.Reset("topic", 7, data)
	var batches []*Batch
	var recs []Record
	for {
		b, err := d.Next()
		if err == io.EOF {
			return batches, recs, nil
		}
		if err != nil {
			return batches, recs, err
		}
		bc := *b
		batches = append(batches, &bc)
		if recs, err = d.AppendRecords(recs, b); err != nil {
			return batches, recs, err
		}
	}
}

func TestRoundTripV2(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		codec Codec
		p     func(*BatchParams)
	}{
		{"plain", nil, func(*BatchParams) {}},
		{"compressed", &flateCodec{}, func(*BatchParams) {}},
		{"idempotent", nil, func(p *BatchParams) { p.ProducerID, p.ProducerEpoch, p.BaseSequence = 5, 2, 100 }},
		{"log append time", nil, func(p *BatchParams) { p.TimestampType = LogAppendTime; p.BaseOffset = 1000 }},
		{"transactional compressed", &flateCodec{}, func(p *BatchParams) { p.Transactional = true; p.PartitionLeaderEpoch = 9 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := sampleRecords(50)
			p := NoProducer()
			p.Codec = tc.codec
			tc.p(&p)
			data := encodeBatch(t, in, p)
			data = append(data, encodeBatch(t, in[:3], p)...)
			d := Decoder{Codecs: lookup(tc.codec)}
			batches, recs, err := decodeAll(t, &d, data)
			if err != nil {
				t.Fatal(err)
			}
			if len(batches) != 2 || len(recs) != 53 {
				t.Fatalf("%d batches, %d records", len(batches), len(recs))
			}
			b := batches[0]
			if b.ProducerID != p.ProducerID || b.BaseSequence != p.BaseSequence || b.IsTransactional() != p.Transactional ||
				b.TimestampType() != p.TimestampType || b.LastOffset() != p.BaseOffset+49 || b.PartitionLeaderEpoch != p.PartitionLeaderEpoch {
				t.Fatalf("batch = %+v", b)
			}
			for i, r := range recs[:50] {
				want := in[i]
				if r.Offset != p.BaseOffset+int64(i) || r.Topic != "topic" || r.Partition != 7 ||
					!reflect.DeepEqual(r.Key, want.Key) || !reflect.DeepEqual(r.Value, want.Value) ||
					!reflect.DeepEqual(r.Headers, want.Headers) || r.LeaderEpoch != p.PartitionLeaderEpoch {
					t.Fatalf("record %d = %+v, want %+v", i, r, want)
				}
				wantTs := want.Timestamp
				if p.TimestampType == LogAppendTime {
					wantTs = time.UnixMilli(b.MaxTimestamp)
				}
				if !r.Timestamp.Equal(wantTs) || r.TimestampType != p.TimestampType {
					t.Fatalf("record %d timestamp %v %v, want %v", i, r.Timestamp, r.TimestampType, wantTs)
				}
			}
		})
	}
}

func TestControlBatch(t *testing.T) {
	t.Parallel()
	c := Control{Type: ControlCommit, CoordinatorEpoch: 17}
	p := NoProducer()
	p.Control, p.Transactional, p.ProducerID, p.ProducerEpoch = true, true, 3, 0
	data := encodeBatch(t, []Record{{Key: c.AppendKey(nil), Value: c.AppendValue(nil)}}, p)
	var d Decoder
	batches, recs, err := decodeAll(t, &d, data)
	if err != nil {
		t.Fatal(err)
	}
	if !batches[0].IsControl() || !batches[0].IsTransactional() {
		t.Fatal("control flags lost")
	}
	got, err := ParseControl(recs[0].Key, recs[0].Value)
	if err != nil || got != c {
		t.Fatalf("ParseControl = %+v, %v", got, err)
	}
	if !bytes.Equal(recs[0].Key, []byte{0, 0, 0, 1}) || !bytes.Equal(recs[0].Value, []byte{0, 0, 0, 0, 0, 17}) {
		t.Fatalf("marker bytes key %x value %x", recs[0].Key, recs[0].Value)
	}
	if _, err := ParseControl([]byte{0, 0, 0, 0}, []byte{1}); err == nil {
		t.Fatal("short abort value accepted")
	}
	if c, err := ParseControl([]byte{0, 0, 0, 3}, nil); err != nil || c.Type.String() != "ControlType(3)" {
		t.Fatalf("KRaft control type: %+v %v", c, err)
	}
}

func TestPartialBatchAtEnd(t *testing.T) {
	t.Parallel()
	p := NoProducer()
	one := encodeBatch(t, sampleRecords(5), p)
	for cut := 1; cut < len(one); cut += 7 {
		data := append(bytes.Clone(one), one[:cut]...)
		var d Decoder
		batches, recs, err := decodeAll(t, &d, data)
		if err != nil || len(batches) != 1 || len(recs) != 5 || !d.Truncated() {
			t.Fatalf("cut %d: %d batches, %d records, truncated %v, err %v", cut, len(batches), len(recs), d.Truncated(), err)
		}
	}
}

// corruptions rewrites a valid batch and names what the error must say.
func TestCorruptBatches(t *testing.T) {
	t.Parallel()
	p := NoProducer()
	p.BaseOffset = 500
	valid := encodeBatch(t, sampleRecords(3), p)
	fixCRC := func(b []byte) []byte {
		binary.BigEndian.PutUint32(b[offCRC:], crc32cBitwise(b[offAttributes:]))
		return b
	}
	for _, tc := range []struct {
		name, want string
		mutate     func([]byte) []byte
	}{
		{"bad crc", "crc mismatch", func(b []byte) []byte { b[len(b)-1] ^= 1; return b }},
		{"count too high", "bytes of records", func(b []byte) []byte {
			binary.BigEndian.PutUint32(b[offRecordCount:], 1000)
			return fixCRC(b)
		}},
		{"count too low", "left after the 2 records", func(b []byte) []byte {
			binary.BigEndian.PutUint32(b[offRecordCount:], 2)
			return fixCRC(b)
		}},
		{"negative count", "negative record count", func(b []byte) []byte {
			binary.BigEndian.PutUint32(b[offRecordCount:], 0xffffffff)
			return fixCRC(b)
		}},
		{"short length", "shorter than a v2 header", func(b []byte) []byte {
			binary.BigEndian.PutUint32(b[offBatchLength:], 20)
			return b[:32]
		}},
		{"negative length", "negative batch length", func(b []byte) []byte {
			binary.BigEndian.PutUint32(b[offBatchLength:], 0xfffffff0)
			return b
		}},
		{"magic 3", "unsupported magic 3", func(b []byte) []byte { b[offMagic] = 3; return b }},
		{"bad varint", "bad varint for record length", func(b []byte) []byte {
			for i := BatchHeaderSize; i < BatchHeaderSize+5; i++ {
				b[i] = 0xff
			}
			return fixCRC(b)
		}},
		{"record length too long", "record length", func(b []byte) []byte {
			b[BatchHeaderSize] = 0x7e // 63
			return fixCRC(b)
		}},
		{"key too long", "key longer than its record", func(b []byte) []byte {
			b[BatchHeaderSize+4] = 0x7e // key length 63
			return fixCRC(b)
		}},
		{"compressed without codec", "", func(b []byte) []byte {
			b[offAttributes+1] |= byte(CodecZstd)
			return fixCRC(b)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var d Decoder
			_, _, err := decodeAll(t, &d, tc.mutate(bytes.Clone(valid)))
			if tc.want == "" {
				var uc *UnknownCodecError
				if !errors.As(err, &uc) || !errors.Is(err, ErrCodecNotRegistered) {
					t.Fatalf("err = %v, want *UnknownCodecError", err)
				}
				want := `record: topic "topic" partition 7 offset 500: batch is compressed with zstd, but compression codec "zstd" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/codecs/zstd"?)`
				if err.Error() != want {
					t.Fatalf("err = %v\nwant %s", err, want)
				}
				return
			}
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *CorruptError", err)
			}
			if ce.Topic != "topic" || ce.Partition != 7 || !strings.Contains(ce.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
			if tc.name != "negative length" && ce.Offset != 500 {
				t.Fatalf("offset %d", ce.Offset)
			}
		})
	}
}

func TestSkipCRC(t *testing.T) {
	t.Parallel()
	data := encodeBatch(t, sampleRecords(3), NoProducer())
	data[offCRC] ^= 0xff
	d := Decoder{SkipCRC: true}
	if _, recs, err := decodeAll(t, &d, data); err != nil || len(recs) != 3 {
		t.Fatalf("SkipCRC: %v", err)
	}
}

func TestDecompressLimit(t *testing.T) {
	t.Parallel()
	p := NoProducer()
	p.Codec = &flateCodec{}
	data := encodeBatch(t, sampleRecords(50), p)
	d := Decoder{Codecs: lookup(p.Codec), MaxDecompressedBytes: 100}
	_, _, err := decodeAll(t, &d, data)
	var ce *CorruptError
	if !errors.As(err, &ce) || !errors.Is(err, ErrDecompressLimit) {
		t.Fatalf("err = %v, want a CorruptError wrapping ErrDecompressLimit", err)
	}
}

func TestCloneIsDeep(t *testing.T) {
	t.Parallel()
	data := encodeBatch(t, sampleRecords(4), NoProducer())
	var d Decoder
	_, recs, _ := decodeAll(t, &d, data)
	c := recs[1].Clone()
	want := recs[1].Clone()
	for i := range data {
		data[i] = 0
	}
	if !reflect.DeepEqual(c, want) || c.Key == nil || c.Headers[1].Value != nil {
		t.Fatalf("clone changed with its source: %+v", c)
	}
	n := Record{}
	if cl := n.Clone(); cl.Key != nil || cl.Value != nil || cl.Headers != nil {
		t.Fatal("null fields not preserved")
	}
}

// TestDecodeAllocatesNothing checks the zero-allocation promise for a warm
// decoder and a reused []Record, with headers, compressed or not.
func TestDecodeAllocatesNothing(t *testing.T) {
	for _, c := range []Codec{nil} {
		p := NoProducer()
		p.Codec = c
		data := encodeBatch(t, sampleRecords(100), p)
		d := Decoder{Codecs: lookup(c)}
		var recs []Record
		run := func() {
			d.Reset("topic", 1, data)
			recs = recs[:0]
			for {
				b, err := d.Next()
				if err != nil {
					break
				}
				recs, _ = d.AppendRecords(recs, b)
			}
		}
		run()
		if n := testing.AllocsPerRun(50, run); n != 0 || len(recs) != 100 {
			t.Fatalf("decoding allocates %v times per batch (%d records)", n, len(recs))
		}
	}
}

func TestEncodeAllocatesNothing(t *testing.T) {
	recs := sampleRecords(100)
	var b Builder
	var out []byte
	p := NoProducer()
	run := func() {
		b.Reset()
		for i := range recs {
			b.Append(&recs[i])
		}
		out, _ = b.AppendBatch(out[:0], &p)
	}
	run()
	if n := testing.AllocsPerRun(50, run); n != 0 {
		t.Fatalf("encoding allocates %v times per batch", n)
	}
}

func TestNextOffset(t *testing.T) {
	p := NoProducer()
	one := encodeBatch(t, sampleRecords(10), p) // offsets 0..9
	two := append(slices.Clone(one), one...)
	binary.BigEndian.PutUint64(two[len(one):], 10) // second batch: 10..19
	legacy, _ := AppendMessageSet(nil, 1, nil, []Record{{Value: []byte("v")}})
	for _, tc := range []struct {
		name string
		data []byte
		next int64
		ok   bool
	}{
		{"one batch", one, 10, true},
		{"two batches", two, 20, true},
		{"partial trailing batch", two[:len(two)-1], 10, true},
		{"only a partial batch", one[:len(one)-1], 0, false},
		{"empty", nil, 0, false},
		{"legacy message", legacy, 0, false},
		{"v2 then legacy", append(slices.Clone(one), legacy...), 0, false},
	} {
		next, ok := NextOffset(tc.data)
		if next != tc.next || ok != tc.ok {
			t.Errorf("%s: NextOffset = %d, %v, want %d, %v", tc.name, next, ok, tc.next, tc.ok)
		}
	}
}
