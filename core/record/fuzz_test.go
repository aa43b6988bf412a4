package record

import (
	"errors"
	"io"
	"testing"
)

// fuzzDecode decodes data fully and checks the decoder's invariants:
// no panic, errors are typed, records stay inside their batch's offsets.
func fuzzDecode(t *testing.T, data []byte, c Codec) {
	d := Decoder{Codecs: lookup(c), MaxDecompressedBytes: 1 << 20}
	if len(data)%2 == 1 { // half the inputs decompress into lent buffers
		pool := &countingPool{}
		d.Buffers = pool
		defer func() {
			d.Reset("f", 0, nil)
			if pool.back != pool.lent {
				t.Fatalf("%d buffers lent, %d given back", pool.lent, pool.back)
			}
		}()
	}
	d.Reset("f", 0, data)
	var recs []Record
	// NextOffset must agree with a decode that met no error and only v2 batches.
	clean, v2, next := true, true, int64(-1)
	for i := 0; i < 1000; i++ {
		b, err := d.Next()
		if err == io.EOF {
			if got, ok := NextOffset(data); clean && next >= 0 && v2 && (!ok || got != next) {
				t.Fatalf("NextOffset = %d, %v; the decoded batches end before offset %d", got, ok, next)
			}
			return
		}
		if err != nil {
			clean = false
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("Next: untyped error %v", err)
			}
			continue
		}
		next, v2 = b.LastOffset()+1, v2 && b.Magic == 2
		recs, err = d.AppendRecords(recs[:0], b)
		if err != nil {
			var ce *CorruptError
			var uc *UnknownCodecError
			if !errors.As(err, &ce) && !errors.As(err, &uc) {
				t.Fatalf("AppendRecords: untyped error %v", err)
			}
			continue
		}
		if b.Magic == 2 && len(recs) != int(b.NumRecords) {
			t.Fatalf("%d records for a count of %d", len(recs), b.NumRecords)
		}
		for _, r := range recs {
			_ = r.Clone()
		}
	}
}

func FuzzDecodeV2(f *testing.F) {
	p := NoProducer()
	f.Add(handBatch())
	f.Add(encodeBatch(f, sampleRecords(10), p))
	p.Codec = &flateCodec{}
	f.Add(encodeBatch(f, sampleRecords(10), p))
	p.Control = true
	ctl := Control{Type: ControlAbort}
	f.Add(encodeBatch(f, []Record{{Key: ctl.AppendKey(nil), Value: ctl.AppendValue(nil)}}, p))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Fuzz with the CRC fixed up so mutations reach the record parser.
		if len(data) >= BatchHeaderSize && data[offMagic] == 2 {
			data[offCRC], data[offCRC+1], data[offCRC+2], data[offCRC+3] = 0, 0, 0, 0
			if n := int(uint32(data[8])<<24|uint32(data[9])<<16|uint32(data[10])<<8|uint32(data[11])) + 12; n >= BatchHeaderSize && n <= len(data) {
				crc := crc32cBitwise(data[offAttributes:n])
				data[offCRC], data[offCRC+1], data[offCRC+2], data[offCRC+3] = byte(crc>>24), byte(crc>>16), byte(crc>>8), byte(crc)
			}
		}
		fuzzDecode(t, data, &flateCodec{})
	})
}

func FuzzDecodeLegacy(f *testing.F) {
	in := sampleRecords(5)
	for i := range in {
		in[i].Headers = nil
	}
	f.Add(handMessageV1())
	for _, magic := range []int8{0, 1} {
		for _, c := range []Codec{nil, &flateCodec{}} {
			b, _ := AppendMessageSet(nil, magic, c, in)
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDecode(t, data, &flateCodec{})
		// And with the CRC check off, so mutations reach the message parser.
		dd := Decoder{SkipCRC: true, Codecs: lookup(&flateCodec{}), MaxDecompressedBytes: 1 << 20}
		dd.Reset("f", 0, data)
		var recs []Record
		for i := 0; i < 1000; i++ {
			b, err := dd.Next()
			if err == io.EOF {
				return
			}
			if err == nil {
				recs, _ = dd.AppendRecords(recs[:0], b)
			}
		}
	})
}
