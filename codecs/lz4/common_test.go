package lz4

import (
	"testing"

	"github.com/kafka3/kafka3-go/codecs/internal/codectest"
	"github.com/kafka3/kafka3-go/core"
)

func TestRoundTrip(t *testing.T)  { t.Parallel(); codectest.RoundTrip(t, Default()) }
func TestConcurrent(t *testing.T) { t.Parallel(); codectest.Concurrent(t, Default()) }
func TestBomb(t *testing.T)       { codectest.Bomb(t, Default()) }

func TestRegistered(t *testing.T) {
	t.Parallel()
	if got := core.CodecByID(Default().ID()); got != Default() {
		t.Fatalf("core.CodecByID(%d) = %v, want the default lz4 codec", Default().ID(), got)
	}
	if got, err := core.CodecByName("lz4"); err != nil || got != Default() {
		t.Fatalf("core.CodecByName(lz4) = %v, %v", got, err)
	}
}

func FuzzDecompress(f *testing.F) {
	codectest.FuzzSeeds(f, Default())
	f.Fuzz(func(t *testing.T, data []byte) { codectest.FuzzBody(t, Default(), data) })
}
