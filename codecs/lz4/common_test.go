package lz4

import (
	"testing"

	"github.com/kafka3/kafka3-go/codecs/internal/codectest"
)

func TestRoundTrip(t *testing.T)  { t.Parallel(); codectest.RoundTrip(t, Default()) }
func TestConcurrent(t *testing.T) { t.Parallel(); codectest.Concurrent(t, Default()) }
func TestBomb(t *testing.T)       { codectest.Bomb(t, Default()) }

func TestRegistered(t *testing.T) { t.Parallel(); codectest.Registered(t, Default()) }

func FuzzDecompress(f *testing.F) {
	codectest.FuzzSeeds(f, Default())
	f.Fuzz(func(t *testing.T, data []byte) { codectest.FuzzBody(t, Default(), data) })
}
