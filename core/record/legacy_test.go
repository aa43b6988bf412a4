package record

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"reflect"
	"testing"
	"time"
)

// handMessageV1 is a magic 1 message written from the layout in
// https://kafka.apache.org/documentation/#messageset: offset 42, key "k",
// value "hello", timestamp 1700000000000, CreateTime.
func handMessageV1() []byte {
	b := []byte{
		0, 0, 0, 0, 0, 0, 0, 42, // offset
		0, 0, 0, 28, // message size: crc 4 + magic 1 + attributes 1 + timestamp 8 + key 4+1 + value 4+5
		0, 0, 0, 0, // crc, filled below
		1,                                              // magic
		0,                                              // attributes
		0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00, // timestamp
		0, 0, 0, 1, 'k',
		0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o',
	}
	binary.BigEndian.PutUint32(b[12:], crc32.ChecksumIEEE(b[16:]))
	return b
}

func TestLegacyHandMessage(t *testing.T) {
	t.Parallel()
	want := handMessageV1()
	binary.BigEndian.PutUint64(want, 0) // the encoder numbers from 0
	got, err := AppendMessageSet(nil, 1, nil, []Record{{Timestamp: time.UnixMilli(1700000000000), Key: []byte("k"), Value: []byte("hello")}})
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("encoded %x, %v\nwant    %x", got, err, want)
	}
	var d Decoder
	batches, recs, err := decodeAll(t, &d, handMessageV1())
	if err != nil || len(batches) != 1 || len(recs) != 1 {
		t.Fatalf("decode: %v", err)
	}
	r := recs[0]
	if r.Offset != 42 || string(r.Key) != "k" || string(r.Value) != "hello" || r.Timestamp.UnixMilli() != 1700000000000 ||
		r.TimestampType != CreateTime || r.LeaderEpoch != -1 || batches[0].Magic != 1 || batches[0].ProducerID != -1 {
		t.Fatalf("record %+v batch %+v", r, batches[0])
	}
}

func TestLegacyRoundTrip(t *testing.T) {
	t.Parallel()
	in := sampleRecords(20)
	for i := range in {
		in[i].Headers = nil
	}
	for _, magic := range []int8{0, 1} {
		for _, c := range []Codec{nil, &flateCodec{}, &v0Codec{}} {
			data, err := AppendMessageSet(nil, magic, c, in)
			if err != nil {
				t.Fatal(err)
			}
			if c != nil && magic == 1 {
				// The broker gives a magic 1 wrapper the absolute offset of
				// its last inner message; inner offsets stay relative.
				binary.BigEndian.PutUint64(data, 1019)
			}
			d := Decoder{Codecs: lookup(c)}
			_, recs, err := decodeAll(t, &d, data)
			if err != nil || len(recs) != len(in) {
				t.Fatalf("magic %d codec %T: %d records, %v", magic, c, len(recs), err)
			}
			for i, r := range recs {
				wantOff := int64(i)
				if c != nil && magic == 1 {
					wantOff = 1000 + int64(i)
				}
				wantTs, wantType := in[i].Timestamp, CreateTime
				if magic == 0 {
					wantTs, wantType = time.Time{}, NoTimestampType
				}
				if r.Offset != wantOff || !reflect.DeepEqual(r.Key, in[i].Key) || !reflect.DeepEqual(r.Value, in[i].Value) ||
					!r.Timestamp.Equal(wantTs) || r.TimestampType != wantType {
					t.Fatalf("magic %d codec %T record %d = %+v", magic, c, i, r)
				}
			}
		}
	}
}

func TestLegacyWrapperLogAppendTime(t *testing.T) {
	t.Parallel()
	in := sampleRecords(3)
	for i := range in {
		in[i].Headers = nil
	}
	c := &flateCodec{}
	data, _ := AppendMessageSet(nil, 1, c, in)
	data[17] |= attrLogAppendTime
	binary.BigEndian.PutUint64(data[18:], 1800000000000)
	binary.BigEndian.PutUint32(data[12:], crc32.ChecksumIEEE(data[16:]))
	d := Decoder{Codecs: lookup(c)}
	_, recs, err := decodeAll(t, &d, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.TimestampType != LogAppendTime || r.Timestamp.UnixMilli() != 1800000000000 {
			t.Fatalf("record %+v", r)
		}
	}
}

func TestMixedLegacyAndV2(t *testing.T) {
	t.Parallel()
	data := append(handMessageV1(), encodeBatch(t, sampleRecords(2), NoProducer())...)
	var d Decoder
	batches, recs, err := decodeAll(t, &d, data)
	if err != nil || len(batches) != 2 || len(recs) != 3 || batches[1].Magic != 2 {
		t.Fatalf("%d batches %d records: %v", len(batches), len(recs), err)
	}
}

func TestLegacyErrors(t *testing.T) {
	t.Parallel()
	if _, err := AppendMessageSet(nil, 1, nil, []Record{{Headers: []Header{{Key: "a"}}}}); err == nil {
		t.Fatal("headers accepted in magic 1")
	}
	if _, err := AppendMessageSet(nil, 2, nil, nil); err == nil {
		t.Fatal("magic 2 accepted")
	}
	bad := handMessageV1()
	bad[len(bad)-1] ^= 1
	var d Decoder
	_, _, err := decodeAll(t, &d, bad)
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Offset != 42 {
		t.Fatalf("bad crc: %v", err)
	}
	bad = handMessageV1()
	binary.BigEndian.PutUint32(bad[26:], 100) // key length
	d.SkipCRC = true
	if _, _, err := decodeAll(t, &d, bad); !errors.As(err, &ce) {
		t.Fatalf("bad key length: %v", err)
	}
	// Partial legacy message at the end.
	data := append(handMessageV1(), handMessageV1()[:20]...)
	d.SkipCRC = false
	if _, recs, err := decodeAll(t, &d, data); err != nil || len(recs) != 1 || !d.Truncated() {
		t.Fatalf("partial message: %v", err)
	}
}
