package core

import (
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/wire"
)

// A partition's failed position look-ups wait RetryBackoff doubling up to
// RetryBackoffMax, and a position starts the count again.
func TestLookupBackoffGrowsAndResets(t *testing.T) {
	t.Parallel()
	ps := newPartState(TopicPartition{Topic: "t"})
	b := wire.Backoff{Base: 10 * time.Millisecond, Max: 80 * time.Millisecond}
	for i, want := range []time.Duration{10, 20, 40, 80, 80} {
		before := time.Now()
		ps.lookupFailed(b)
		if d := ps.retryAt.Sub(before); d < want*time.Millisecond || d > want*time.Millisecond+50*time.Millisecond {
			t.Fatalf("failure %d: retry after %v, want %v", i+1, d, want*time.Millisecond)
		}
	}
	ps.setPosition(OffsetEpoch{Offset: 5, LeaderEpoch: -1})
	before := time.Now()
	ps.lookupFailed(b)
	if d := ps.retryAt.Sub(before); d > 60*time.Millisecond {
		t.Fatalf("first failure after a position: retry after %v, want 10ms again", d)
	}
}

// The group engine's retries double up to RetryBackoffMax; without one
// (tests' hand-made configs) they stay at RetryBackoff.
func TestGroupBackoffDoublesUpToMax(t *testing.T) {
	t.Parallel()
	c := groupConfig{RetryBackoff: 100 * time.Millisecond, RetryBackoffMax: 300 * time.Millisecond}
	b := c.RetryBackoff
	for _, want := range []time.Duration{200, 300, 300} {
		if b = c.nextBackoff(b); b != want*time.Millisecond {
			t.Fatalf("next backoff %v, want %v", b, want*time.Millisecond)
		}
	}
	if b := (groupConfig{RetryBackoff: 100 * time.Millisecond}).nextBackoff(100 * time.Millisecond); b != 100*time.Millisecond {
		t.Fatalf("without RetryBackoffMax: %v, want RetryBackoff", b)
	}
}
