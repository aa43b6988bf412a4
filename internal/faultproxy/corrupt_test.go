package faultproxy

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"testing"
	"time"
)

// frame returns a Kafka frame: the 4-byte size, then body.
func frame(body []byte) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
}

// batch returns a v2 record batch header with a valid CRC-32C, followed by
// records (any bytes: the proxy only checks the header and the CRC).
func batch(baseOffset int64, records []byte) []byte {
	b := make([]byte, batchHeaderLen, batchHeaderLen+len(records))
	binary.BigEndian.PutUint64(b, uint64(baseOffset))
	binary.BigEndian.PutUint32(b[8:], uint32(batchHeaderLen-12+len(records)))
	b[batchMagicAt] = 2
	b = append(b, records...)
	binary.BigEndian.PutUint32(b[batchCRCAt:], crc32.Checksum(b[batchAttrsAt:], crc32.MakeTable(crc32.Castagnoli)))
	return b
}

// TestFramerKeepsFramesWhole feeds a stream of frames in random pieces,
// switching a mutator on and off at random, and checks that the output is
// the input except for the frames the mutator got, each of which it got
// whole (size and body) and changed as it said.
func TestFramerKeepsFramesWhole(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	mutated, passed := 0, 0
	for round := range 200 {
		var in []byte
		var frames [][]byte
		for range 1 + rng.IntN(20) {
			body := make([]byte, rng.IntN(300))
			for i := range body {
				body[i] = byte(rng.IntN(256))
			}
			f := frame(body)
			frames = append(frames, f)
			in = append(in, f...)
		}
		var seen [][]byte
		mark := func(f []byte) bool {
			if int(binary.BigEndian.Uint32(f))+4 != len(f) {
				t.Fatalf("round %d: the mutator got %d bytes of a frame of size %d", round, len(f), binary.BigEndian.Uint32(f))
			}
			seen = append(seen, append([]byte{}, f...))
			f[0] ^= 0xff // the size's first byte: always there
			return true
		}
		var out []byte
		var fr framer
		counted := 0
		for rest := in; len(rest) > 0; {
			n := 1 + rng.IntN(min(len(rest), 400))
			var m Mutator
			if rng.IntN(2) == 0 {
				m = mark
			}
			fr.feed(rest[:n], m, func(b []byte) bool { out = append(out, b...); return true }, func() { counted++ })
			rest = rest[n:]
		}
		// Rebuild what the output should be: each frame the mutator saw
		// has its first byte flipped.
		var want []byte
		si := 0
		for _, f := range frames {
			if si < len(seen) && bytes.Equal(seen[si], f) {
				g := append([]byte{}, f...)
				g[0] ^= 0xff
				want = append(want, g...)
				si++
				continue
			}
			want = append(want, f...)
		}
		if si != len(seen) || counted != len(seen) {
			t.Fatalf("round %d: the mutator saw %d frames, %d matched the input in order, %d counted", round, len(seen), si, counted)
		}
		if !bytes.Equal(out, want) {
			t.Fatalf("round %d: output differs from the input with the mutated frames (%d in, %d out)", round, len(in), len(out))
		}
		mutated += len(seen)
		passed += len(frames) - len(seen)
	}
	if mutated < 100 || passed < 100 {
		t.Errorf("%d frames mutated, %d passed: both paths need exercising", mutated, passed)
	}
}

func TestCorruptRecordBatches(t *testing.T) {
	records := bytes.Repeat([]byte("records!"), 20)
	b1, b2 := batch(100, records), batch(120, records[:33])
	// A response: a header and some fields, two batches, a trailer.
	body := append([]byte{0, 0, 0, 7, 1, 2, 3}, b1...)
	body = append(body, b2...)
	body = append(body, 9, 9)
	f := frame(body)
	orig := append([]byte{}, f...)
	if !CorruptRecordBatches()(f) {
		t.Fatal("no batch found")
	}
	diff := 0
	for i := range f {
		if f[i] != orig[i] {
			diff++
		}
	}
	if diff != 2 {
		t.Fatalf("%d bytes changed, want one per batch", diff)
	}
	// Each batch keeps its header and length but fails its CRC.
	off := 4 + 7
	for _, b := range [][]byte{b1, b2} {
		got := f[off : off+len(b)]
		if !bytes.Equal(got[:batchHeaderLen], b[:batchHeaderLen]) {
			t.Error("batch header changed")
		}
		if batchAt(got) != 0 {
			t.Error("a corrupted batch still passes its CRC check")
		}
		off += len(b)
	}
	if !bytes.Equal(f[len(f)-2:], []byte{9, 9}) || !bytes.Equal(f[:11], orig[:11]) {
		t.Error("bytes outside the batches changed")
	}
	// No batch: unchanged.
	plain := frame([]byte("no batches in here, only text that is long enough to scan for one at every offset"))
	if CorruptRecordBatches()(plain) {
		t.Error("changed a frame without a batch")
	}
}

// readFrame reads one frame within timeout.
func readFrame(c net.Conn, timeout time.Duration) ([]byte, error) {
	_ = c.SetReadDeadline(time.Now().Add(timeout))
	defer c.SetReadDeadline(time.Time{})
	var hdr [4]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return nil, err
	}
	size := int32(binary.BigEndian.Uint32(hdr[:]))
	if size < 0 || size > 1<<20 {
		return hdr[:], errors.New("bad size")
	}
	body := make([]byte, size)
	_, err := io.ReadFull(c, body)
	return append(hdr[:], body...), err
}

func TestSetCorruptThroughProxy(t *testing.T) {
	checkNoLeak(t)
	p, err := New(echoServer(t)) // an echo sends each request frame back as a response
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c := dial(t, p.Addr())
	resp := frame(append([]byte{0, 0, 0, 1}, batch(5, bytes.Repeat([]byte{7}, 100))...))
	send := func(f []byte) []byte {
		t.Helper()
		// Write in small pieces, so frames arrive split.
		for i := 0; i < len(f); i += 17 {
			if _, err := c.Write(f[i:min(i+17, len(f))]); err != nil {
				t.Fatal(err)
			}
		}
		got, err := readFrame(c, 2*time.Second)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		return got
	}
	if got := send(resp); !bytes.Equal(got, resp) {
		t.Fatal("changed with no fault")
	}
	p.SetCorrupt(Downstream, Limit(2, CorruptRecordBatches()))
	for i := range 3 {
		got := send(resp)
		if corrupted := !bytes.Equal(got, resp); corrupted != (i < 2) {
			t.Errorf("frame %d: corrupted %v, want %v (Limit 2)", i, corrupted, i < 2)
		}
	}
	p.SetCorrupt(Downstream, CorruptCorrelationIDs())
	if got := send(resp); binary.BigEndian.Uint32(got[4:]) == 1 || !bytes.Equal(got[8:], resp[8:]) {
		t.Errorf("correlation id not changed, or more changed: % x", got[:8])
	}
	p.SetCorrupt(Downstream, CorruptSizes(1<<30))
	if _, err := c.Write(resp); err != nil {
		t.Fatal(err)
	}
	if got, err := readFrame(c, 2*time.Second); err == nil || binary.BigEndian.Uint32(got) != 1<<30 {
		t.Errorf("size not changed: %v", err)
	}
	if s := p.Stats(); s.Corrupted != 4 {
		t.Errorf("Stats.Corrupted = %d, want 4", s.Corrupted)
	}
}

// TestPerProxyFaults checks that a fault set on one proxy of a Network hits
// the connections to that target only, that the Network's faults still hit
// all, and that ClearAll clears both.
func TestPerProxyFaults(t *testing.T) {
	a, b, n, ctx := echoNetwork(t)
	ca, err := n.DialContext(ctx, "tcp", a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close()
	cb, err := n.DialContext(ctx, "tcp", b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	pa, err := n.Proxy(a)
	if err != nil {
		t.Fatal(err)
	}
	pa.SetBlackhole(true)
	if err := roundTrip(ca, []byte("a"), 100*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("the black hole on a's proxy did not stop a: %v", err)
	}
	if err := roundTrip(cb, []byte("b"), time.Second); err != nil {
		t.Errorf("the black hole on a's proxy stopped b: %v", err)
	}
	n.Clear() // the Network's faults only: a stays black-holed
	if err := roundTrip(ca, []byte("a"), 100*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Network.Clear cleared a proxy's own fault: %v", err)
	}
	n.SetStall(Downstream, true)
	if err := roundTrip(cb, []byte("b"), 100*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("the Network's stall did not reach b: %v", err)
	}
	n.ClearAll()
	// What the faults held back arrives now: "a" twice, "a" for the new
	// round trip; "b" once then "b".
	for _, c := range []struct {
		conn net.Conn
		want string
	}{{ca, "aaa"}, {cb, "bb"}} {
		_ = c.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.conn.Write([]byte(c.want[:1])); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, len(c.want))
		if _, err := io.ReadFull(c.conn, got); err != nil || string(got) != c.want {
			t.Errorf("after ClearAll: %q, %v; want %q", got, err, c.want)
		}
	}
	// Refuse on one proxy: new connections to a are reset, to b accepted.
	pa.SetRefuse(true)
	if err := dialAndRead(pa.Addr()); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("a connection to a refused proxy: %v, want a reset", err)
	}
	c2, err := n.DialContext(ctx, "tcp", b)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if err := roundTrip(c2, []byte("x"), time.Second); err != nil {
		t.Errorf("b refused along with a: %v", err)
	}
}
