package wire

import (
	"context"
	"encoding/binary"
	"io"
	"testing"
	"time"
)

// BenchmarkRoundTrip measures one request/response on a loopback fake
// broker that echoes a 100-byte body, releasing each response.
func BenchmarkRoundTrip(b *testing.B) {
	f := newFakeBroker(b, leanEcho)
	c := mustOpen(b, f.addr(), Options{ClientID: "bench"})
	r := &Request{Key: 3, Version: 12, HeaderVersion: 2, Body: make([]byte, 100)}
	run := func(b *testing.B, ctx context.Context) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := c.RoundTrip(ctx, r)
			if err != nil {
				b.Fatal(err)
			}
			resp.Release()
		}
	}
	b.Run("background", func(b *testing.B) { run(b, context.Background()) })
	b.Run("deadline", func(b *testing.B) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		run(b, ctx)
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				resp, err := c.RoundTrip(context.Background(), r)
				if err != nil {
					b.Error(err)
					return
				}
				resp.Release()
			}
		})
	})
}

// leanEcho echoes header-v2 requests of client id "bench" in header v0
// without allocating, so that the benchmark counts the client's
// allocations only.
func leanEcho(fc *fakeConn) {
	const hdr = 8 + 2 + len("bench") + 1
	var buf []byte
	for {
		p, err := fc.br.Peek(4)
		if err != nil {
			return
		}
		n := int(binary.BigEndian.Uint32(p))
		fc.br.Discard(4)
		if cap(buf) < n+4 {
			buf = make([]byte, n+4)
		}
		buf = buf[:n+4]
		if _, err := io.ReadFull(fc.br, buf[4:]); err != nil {
			return
		}
		out := buf[hdr-4:]
		copy(out[4:8], buf[8:12]) // correlation id
		binary.BigEndian.PutUint32(out, uint32(len(out)-4))
		if _, err := fc.Write(out); err != nil {
			return
		}
	}
}
