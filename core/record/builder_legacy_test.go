package record

import (
	"bytes"
	"errors"
	"testing"
)

// TestBuilderAppendMessageSet checks that a builder's records re-encoded as
// a legacy message set equal the package function's encoding of the same
// records, and that headers are refused.
func TestBuilderAppendMessageSet(t *testing.T) {
	t.Parallel()
	in := sampleRecords(20)
	for i := range in {
		in[i].Headers = nil
	}
	in[3].Key, in[4].Value = nil, nil
	var b Builder
	for i := range in {
		b.Append(&in[i])
	}
	for _, magic := range []int8{0, 1} {
		for _, c := range []Codec{nil, &flateCodec{}, &v0Codec{}} {
			got, err := b.AppendMessageSet(nil, magic, c)
			if err != nil {
				t.Fatal(err)
			}
			want, err := AppendMessageSet(nil, magic, c, in)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("magic %d codec %T: builder's message set differs", magic, c)
			}
		}
	}
	var e Builder
	if _, err := e.AppendMessageSet(nil, 1, nil); err == nil {
		t.Error("empty builder: no error")
	}
	r := sampleRecords(1)[0]
	r.Headers = []Header{{Key: "h", Value: []byte("v")}}
	e.Append(&r)
	if _, err := e.AppendMessageSet(nil, 1, nil); !errors.Is(err, ErrHeadersInLegacy) {
		t.Errorf("headers: err = %v, want ErrHeadersInLegacy", err)
	}
}
