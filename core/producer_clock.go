package core

import (
	"sync/atomic"
	"time"
)

// sendClock stamps records for about half the cost of time.Now, which
// reads both the wall and the monotonic clock: it reads the wall clock at
// most once a second and advances that reading by the monotonic time
// since. A step of the wall clock (an NTP correction) so reaches record
// timestamps within a second. Safe for concurrent use; the zero value is
// ready.
type sendClock struct {
	base atomic.Pointer[clockBase]
}

// clockBase is one time.Now reading: with its monotonic part, and as Unix
// nanoseconds.
type clockBase struct {
	at   time.Time
	unix int64
}

// sendClockRebase is how long a wall-clock reading is advanced by the
// monotonic clock before it is taken again.
const sendClockRebase = time.Second

// millis returns the current time in Unix milliseconds.
func (c *sendClock) millis() int64 {
	if b := c.base.Load(); b != nil {
		if d := time.Since(b.at); d >= 0 && d < sendClockRebase {
			return (b.unix + int64(d)) / int64(time.Millisecond)
		}
	}
	now := time.Now()
	b := &clockBase{at: now, unix: now.UnixNano()}
	c.base.Store(b)
	return b.unix / int64(time.Millisecond)
}
