package protocol

import (
	"bytes"
	"testing"
)

// fuzzTarget picks a message and version from the first two bytes of a
// fuzz input: byte 0 selects the API (its low bit: request or response),
// byte 1 the version within the API's range.
func fuzzTarget(data []byte) (Message, int16, []byte, bool) {
	apis := APIs()
	if len(data) < 2 {
		return nil, 0, nil, false
	}
	a := apis[int(data[0]>>1)%len(apis)]
	req, _ := NewRequest(a.Key)
	var m Message = req
	if data[0]&1 == 0 {
		m = req.NewResponse()
	}
	span := int(m.MaxVersion()-m.MinVersion()) + 1
	return m, m.MinVersion() + int16(int(data[1])%span), data[2:], true
}

// fuzzSeeds adds a filled encoding of every message at every version.
func fuzzSeeds(f *testing.F) {
	for i, a := range APIs() {
		req, _ := NewRequest(a.Key)
		for resp := range 2 {
			var m Message = req
			if resp == 0 {
				m = req.NewResponse()
			}
			for v := m.MinVersion(); v <= m.MaxVersion(); v++ {
				b := fillMessage(m, uint64(v), v%2 == 0).AppendTo(nil, v)
				f.Add(append([]byte{byte(i<<1 | (1 - resp)), byte(v - m.MinVersion())}, b...))
			}
		}
	}
}

// FuzzDecode decodes arbitrary bytes as any response or request at any
// version. Decoding must never panic; what decodes must re-encode to bytes
// that decode to the same encoding again.
func FuzzDecode(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, v, body, ok := fuzzTarget(data)
		if !ok {
			return
		}
		out := newLike(m)
		if err := out.Decode(body, v); err != nil {
			return
		}
		b2 := out.AppendTo(nil, v)
		again := newLike(m)
		if err := again.Decode(b2, v); err != nil {
			t.Fatalf("%s v%d: re-encoded message does not decode: %v\nin  %x\nout %x", msgName(m), v, err, body, b2)
		}
		if b3 := again.AppendTo(nil, v); !bytes.Equal(b2, b3) {
			t.Fatalf("%s v%d: encoding is not stable:\n%x\n%x", msgName(m), v, b2, b3)
		}
		// Decoding into the used value gives the same encoding.
		if err := out.Decode(b2, v); err != nil || !bytes.Equal(out.AppendTo(nil, v), b2) {
			t.Fatalf("%s v%d: decoding into a used value differs: %v", msgName(m), v, err)
		}
	})
}

// FuzzReader runs a program of reads, one per input byte, over the rest of
// the input. No read may panic, and after an error every read returns zero.
func FuzzReader(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3}, []byte{0, 0, 0, 1, 2, 3})
	f.Add([]byte{10, 11, 12, 13, 14, 15}, AppendCompactString(AppendString(nil, "abc"), "de"))
	f.Add([]byte{20, 21, 22}, []byte{0x7f, 0xff, 0xff, 0xff, 1, 2})
	f.Fuzz(func(t *testing.T, prog, data []byte) {
		r := NewReader(data)
		for _, op := range prog {
			before := r.Offset()
			fuzzRead(&r, op)
			if r.Err() != nil && r.Remaining() != 0 {
				t.Fatal("Remaining after an error")
			}
			if r.Offset() < before || r.Offset() > len(data) {
				t.Fatalf("offset moved from %d to %d of %d", before, r.Offset(), len(data))
			}
		}
		if err := r.Err(); err != nil {
			if r.Int64() != 0 || r.String() != "" || r.Bytes() != nil || r.Err() != err {
				t.Fatal("error is not sticky")
			}
		}
	})
}

func fuzzRead(r *Reader, op byte) {
	switch op % 24 {
	case 0:
		r.Int8()
	case 1:
		r.Int16()
	case 2:
		r.Int32()
	case 3:
		r.Int64()
	case 4:
		r.Uint16()
	case 5:
		r.Uint32()
	case 6:
		r.Bool()
	case 7:
		r.Float64()
	case 8:
		r.Varint()
	case 9:
		r.Uvarint()
	case 10:
		_ = r.String()
	case 11:
		r.CompactString()
	case 12:
		r.NullableString()
	case 13:
		r.CompactNullableString()
	case 14:
		r.Bytes()
	case 15:
		r.CompactBytes()
	case 16:
		r.NullableBytes()
	case 17:
		r.CompactNullableBytes()
	case 18:
		r.UUID()
	case 19:
		r.ArrayLen()
	case 20:
		r.CompactArrayLen()
	case 21:
		r.TaggedFields(nil)
	case 22:
		r.Raw(int(op) >> 5)
	case 23:
		if n := r.TaggedFieldCount(); n > 0 {
			r.TaggedField()
		}
	}
}
