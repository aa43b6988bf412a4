// Package codectest holds the tests, fuzz bodies and payloads that every
// codec plugin shares.
package codectest

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/record"
)

// Payload returns n bytes that compress like typical JSON records,
// deterministically.
func Payload(n int) []byte {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	b := make([]byte, 0, n+128)
	words := []string{"user", "order", "id", "amount", "EUR", "status", "shipped", "created_at", "items", "sku"}
	for i := 0; len(b) < n; i++ {
		b = fmt.Appendf(b, `{"%s":%d,"%s":"%s-%x","ts":%d},`, words[r.IntN(len(words))], r.IntN(100000),
			words[r.IntN(len(words))], words[r.IntN(len(words))], r.Uint32(), 1700000000000+int64(i))
	}
	return b[:n]
}

// Random returns n incompressible bytes.
func Random(n int) []byte {
	r := rand.New(rand.NewPCG(2, uint64(n)))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// Inputs are the round-trip cases.
func Inputs() map[string][]byte {
	return map[string][]byte{
		"empty":         {},
		"one byte":      {'a'},
		"100B":          Payload(100),
		"64KiB-1":       Payload(64<<10 - 1),
		"64KiB":         Payload(64 << 10),
		"64KiB+1":       Payload(64<<10 + 1),
		"1MiB random":   Random(1 << 20),
		"3MiB":          Payload(3 << 20),
		"1MiB zeros":    make([]byte, 1<<20),
		"33KiB random":  Random(33 << 10),
		"100KiB zeros+": append(make([]byte, 100<<10), Random(100)...),
	}
}

// RoundTrip checks that c decompresses what it compresses, appending after
// existing bytes, and honours limit exactly.
func RoundTrip(t *testing.T, c record.Codec) {
	for name, in := range Inputs() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			prefix := []byte("prefix")
			z, err := c.AppendCompress(bytes.Clone(prefix), in)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(z, prefix) {
				t.Fatal("AppendCompress overwrote dst")
			}
			z = z[len(prefix):]
			out, err := c.AppendDecompress(bytes.Clone(prefix), z, len(in))
			if err != nil {
				t.Fatalf("decompress with limit = size: %v", err)
			}
			if !bytes.Equal(out[len(prefix):], in) || !bytes.HasPrefix(out, prefix) {
				t.Fatalf("round trip differs: got %d bytes, want %d", len(out)-len(prefix), len(in))
			}
			out, err = c.AppendDecompress(make([]byte, 0, 1), z, len(in)+1<<20) // dst growth from a tiny buffer
			if err != nil || !bytes.Equal(out, in) {
				t.Fatalf("decompress into a small buffer: %v", err)
			}
			if len(in) > 0 {
				out, err := c.AppendDecompress(prefix, z, len(in)-1)
				if !errors.Is(err, record.ErrDecompressLimit) {
					t.Fatalf("limit %d for %d bytes: err = %v", len(in)-1, len(in), err)
				}
				if !bytes.Equal(out, prefix) {
					t.Fatalf("dst not returned unextended on error: %q", out)
				}
			}
		})
	}
}

// Concurrent compresses and decompresses from several goroutines (for -race).
func Concurrent(t *testing.T, c record.Codec) {
	in := Payload(200 << 10)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				z, err := c.AppendCompress(nil, in)
				if err != nil {
					t.Error(err)
					return
				}
				out, err := c.AppendDecompress(nil, z, len(in))
				if err != nil || !bytes.Equal(out, in) {
					t.Errorf("concurrent round trip: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// Bomb checks that a highly compressed 64 MiB of zeros fails against a
// 1 MiB limit without allocating anything near 64 MiB.
func Bomb(t *testing.T, c record.Codec) {
	z, err := c.AppendCompress(nil, make([]byte, 64<<20))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = c.AppendDecompress(nil, z, 1<<20)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, record.ErrDecompressLimit) {
		t.Fatalf("err = %v, want ErrDecompressLimit", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
		t.Fatalf("decompressing a bomb against a 1 MiB limit allocated %d bytes", got)
	}
}

// FuzzSeeds adds compressed samples (and broken ones) to f.
func FuzzSeeds(f *testing.F, c record.Codec) {
	for _, in := range [][]byte{{}, []byte("hello hello hello"), Payload(3000), Random(100), make([]byte, 70<<10)} {
		z, err := c.AppendCompress(nil, in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(z)
		if len(z) > 4 {
			f.Add(z[:len(z)/2])
			b := bytes.Clone(z)
			b[len(b)/2] ^= 0x55
			f.Add(b)
		}
	}
}

// FuzzBody is the fuzz body: decompressing arbitrary bytes never panics and
// honours the limit, and arbitrary bytes round-trip.
func FuzzBody(t *testing.T, c record.Codec, data []byte) {
	const limit = 1 << 20
	out, err := c.AppendDecompress([]byte("x"), data, limit)
	if err == nil && len(out)-1 > limit {
		t.Fatalf("output of %d bytes exceeds limit %d", len(out)-1, limit)
	}
	if err != nil && string(out) != "x" {
		t.Fatalf("dst changed on error")
	}
	z, err := c.AppendCompress(nil, data)
	if err != nil {
		t.Fatal(err)
	}
	back, err := c.AppendDecompress(nil, z, len(data))
	if err != nil || !bytes.Equal(back, data) {
		t.Fatalf("round trip of %d bytes: %v", len(data), err)
	}
}

// BenchSizes are the payload sizes the codec benchmarks use: a typical
// producer batch and a large fetch.
var BenchSizes = []struct {
	Name string
	N    int
}{{"16KiB", 16 << 10}, {"1MiB", 1 << 20}}

// BenchmarkPlugin measures c's compression and decompression with reused
// buffers; each plugin's BenchmarkDirect calls its library the same way, so
// the difference is the plugin's overhead.
func BenchmarkPlugin(b *testing.B, c record.Codec) {
	for _, s := range BenchSizes {
		in := Payload(s.N)
		z, _ := c.AppendCompress(nil, in)
		b.Run("compress/"+s.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			var dst []byte
			for b.Loop() {
				dst, _ = c.AppendCompress(dst[:0], in)
			}
		})
		b.Run("decompress/"+s.Name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			var dst []byte
			for b.Loop() {
				dst, _ = c.AppendDecompress(dst[:0], z, len(in))
			}
		})
	}
}

// Registered checks that core's registry returns c for its id and its name.
func Registered(t *testing.T, c core.Codec) {
	t.Helper()
	if got := core.CodecByID(c.ID()); got != c {
		t.Fatalf("core.CodecByID(%d) = %v, want the default %s codec", c.ID(), got, c.Name())
	}
	if got, err := core.CodecByName(c.Name()); err != nil || got != c {
		t.Fatalf("core.CodecByName(%s) = %v, %v", c.Name(), got, err)
	}
}
