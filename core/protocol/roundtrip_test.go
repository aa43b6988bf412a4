package protocol

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// allMessages returns a request and a response of every API.
func allMessages(t testing.TB) []Message {
	var out []Message
	for _, a := range APIs() {
		req, ok := NewRequest(a.Key)
		if !ok {
			t.Fatalf("NewRequest(%d) = false for an API in APIs()", a.Key)
		}
		out = append(out, req, req.NewResponse())
	}
	return out
}

func msgName(m Message) string { return fmt.Sprintf("%T", m)[len("*protocol."):] }

// TestRoundTrip encodes every message at every version with every field
// set (and, in half the runs, nulls and unknown tagged fields), decodes it,
// and checks that encoding the result gives the same bytes, also when
// decoding into a previously used value.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, m := range allMessages(t) {
		t.Run(msgName(m), func(t *testing.T) {
			t.Parallel()
			reused := newLike(m)
			for v := m.MinVersion(); v <= m.MaxVersion(); v++ {
				for seed := range uint64(8) {
					in := fillMessage(m, seed*1000+uint64(v), seed%2 == 1)
					b1 := in.AppendTo(nil, v)
					out := newLike(m)
					if err := out.Decode(b1, v); err != nil {
						t.Fatalf("v%d seed %d: decode: %v", v, seed, err)
					}
					b2 := out.AppendTo(nil, v)
					if !bytes.Equal(b1, b2) {
						t.Fatalf("v%d seed %d: re-encoding differs:\n%x\n%x", v, seed, b1, b2)
					}
					if err := reused.Decode(b1, v); err != nil {
						t.Fatalf("v%d seed %d: decode into used value: %v", v, seed, err)
					}
					if b3 := reused.AppendTo(nil, v); !bytes.Equal(b1, b3) {
						t.Fatalf("v%d seed %d: re-encoding a reused value differs:\n%x\n%x", v, seed, b1, b3)
					}
					// Appending to a non-empty dst appends.
					if b4 := in.AppendTo([]byte("xy"), v); !bytes.Equal(b4[2:], b1) || string(b4[:2]) != "xy" {
						t.Fatalf("v%d: AppendTo does not append", v)
					}
					checkTruncations(t, out, b1, v)
				}
			}
		})
	}
}

// checkTruncations decodes every proper prefix of a valid body (some of
// them, for long bodies): each must fail with a *DecodeError, never panic.
func checkTruncations(t *testing.T, m Message, b []byte, v int16) {
	t.Helper()
	step := max(1, len(b)/16)
	for n := 0; n < len(b); n += step {
		err := newLike(m).Decode(b[:n], v)
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("v%d: decoding %d of %d bytes: got %v, want a *DecodeError", v, n, len(b), err)
		}
	}
	// Trailing bytes are an error.
	if err := newLike(m).Decode(append(b[:len(b):len(b)], 0), v); err == nil {
		t.Fatalf("v%d: a trailing byte was accepted", v)
	}
}

func TestDefaultsSurviveRoundTrip(t *testing.T) {
	t.Parallel()
	for _, m := range allMessages(t) {
		for v := m.MinVersion(); v <= m.MaxVersion(); v++ {
			d := newLike(m)
			d.Default()
			b := d.AppendTo(nil, v)
			out := newLike(m)
			if err := out.Decode(b, v); err != nil {
				t.Fatalf("%s v%d: decoding defaults: %v", msgName(m), v, err)
			}
			if b2 := out.AppendTo(nil, v); !bytes.Equal(b, b2) {
				t.Fatalf("%s v%d: defaults re-encode differently", msgName(m), v)
			}
		}
	}
}

func TestUnsupportedVersion(t *testing.T) {
	t.Parallel()
	for _, m := range allMessages(t) {
		for _, v := range []int16{m.MinVersion() - 1, m.MaxVersion() + 1} {
			err := newLike(m).Decode(nil, v)
			if !errors.Is(err, ErrUnsupportedVersion) {
				t.Errorf("%s v%d: got %v, want ErrUnsupportedVersion", msgName(m), v, err)
			}
		}
	}
}
