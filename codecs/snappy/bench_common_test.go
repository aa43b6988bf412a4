package snappy

import (
	"testing"

	"github.com/kafka3/kafka3-go/codecs/internal/codectest"
)

// BenchmarkPlugin measures the plugin; BenchmarkDirect (in bench_test.go)
// calls the library directly with the same buffer reuse, so the difference
// is the plugin's overhead.
func BenchmarkPlugin(b *testing.B) { codectest.BenchmarkPlugin(b, Default()) }
