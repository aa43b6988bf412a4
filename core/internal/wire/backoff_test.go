package wire

import (
	"testing"
	"time"
)

func TestBackoffDelay(t *testing.T) {
	t.Parallel()
	b := Backoff{Base: 50 * time.Millisecond, Max: time.Second, Jitter: 0.2}
	ms := time.Millisecond
	for _, tc := range []struct {
		attempt int
		r       float64
		want    time.Duration
	}{
		{0, 0.5, 50 * ms}, {1, 0.5, 100 * ms}, {2, 0.5, 200 * ms}, {4, 0.5, 800 * ms},
		{5, 0.5, time.Second}, {60, 0.5, time.Second}, {1 << 30, 0.5, time.Second},
		{0, 0, 40 * ms}, {5, 0, 800 * ms}, {0, 0.999999, 60 * ms},
	} {
		if got := b.delay(tc.attempt, tc.r); got.Round(ms) != tc.want {
			t.Errorf("delay(%d, %v) = %v, want %v", tc.attempt, tc.r, got, tc.want)
		}
	}
	if got := (Backoff{Base: 50 * ms}).delay(9, 0.3); got != 50*ms {
		t.Errorf("constant backoff: %v", got)
	}
}

func TestBackoffJitter(t *testing.T) {
	t.Parallel()
	b := Backoff{Base: 50 * time.Millisecond, Max: time.Second, Jitter: 0.2}
	seen := map[time.Duration]bool{}
	for range 1000 {
		d := b.Delay(3)
		if d < 320*time.Millisecond || d > 480*time.Millisecond {
			t.Fatalf("Delay(3) = %v, outside 400ms ±20%%", d)
		}
		seen[d] = true
	}
	if len(seen) < 100 {
		t.Fatalf("only %d distinct delays in 1000: not jittered", len(seen))
	}
}
