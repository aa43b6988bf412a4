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
		if !retriesAfter(ps, b, want*time.Millisecond) {
			t.Fatalf("failure %d: retry at %v, want %v after the failure", i+1, ps.retryAt, want*time.Millisecond)
		}
	}
	ps.setPosition(OffsetEpoch{Offset: 5, LeaderEpoch: -1})
	if !retriesAfter(ps, b, 10*time.Millisecond) {
		t.Fatalf("first failure after a position: retry at %v, want 10ms after it", ps.retryAt)
	}
}

// retriesAfter records a failed look-up of ps and reports whether its retry
// is d after it (b has no jitter, so exactly d after the clock read inside).
func retriesAfter(ps *partState, b wire.Backoff, d time.Duration) bool {
	before := time.Now()
	ps.lookupFailed(b)
	after := time.Now()
	return !ps.retryAt.Before(before.Add(d)) && !ps.retryAt.After(after.Add(d))
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
