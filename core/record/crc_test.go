package record

import (
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

func TestCRCConcat(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 40, 61, 1000, 16384, 100003} {
		for _, m := range []int{0, 1, 40, 333} {
			a, b := make([]byte, m), make([]byte, n)
			for i := range a {
				a[i] = byte(rng.Uint32())
			}
			for i := range b {
				b[i] = byte(rng.Uint32())
			}
			want := crc32.Checksum(append(append([]byte{}, a...), b...), castagnoli)
			got := crcConcat(crc32.Checksum(a, castagnoli), crc32.Checksum(b, castagnoli), len(b))
			if got != want {
				t.Fatalf("crcConcat over %d+%d bytes = %#x, want %#x", m, n, got, want)
			}
		}
	}
}

func BenchmarkCRCConcat16K(b *testing.B) {
	for range b.N {
		crcConcat(0x12345678, 0x9abcdef0, 16323) // ten bits set: a typical batch
	}
}
