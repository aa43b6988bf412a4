package wire

import (
	"math/rand/v2"
	"time"
)

// Backoff computes exponential delays with jitter, as Java's
// ExponentialBackoff does for reconnect.backoff.ms and retry.backoff.ms:
// Base * 2^attempt, capped at Max, then multiplied by a random factor in
// [1-Jitter, 1+Jitter] so that clients do not retry in lockstep.
//
// The zero value is not useful; fields are read-only after construction,
// so a Backoff is safe for concurrent use.
type Backoff struct {
	// Base is the delay of attempt 0.
	Base time.Duration
	// Max caps the delay before jitter; Max <= Base means a constant delay.
	Max time.Duration
	// Jitter is the relative spread, 0.2 in Java; 0 disables jitter.
	Jitter float64
}

// Delay returns the delay before retry number attempt (counting from 0).
func (b Backoff) Delay(attempt int) time.Duration {
	return b.delay(attempt, rand.Float64())
}

// delay is Delay with the random number r in [0, 1) given.
func (b Backoff) delay(attempt int, r float64) time.Duration {
	d := b.Base
	for i := 0; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	if d > b.Max && b.Max > b.Base {
		d = b.Max
	}
	if b.Jitter > 0 {
		d = time.Duration(float64(d) * (1 - b.Jitter + 2*b.Jitter*r))
	}
	return d
}
