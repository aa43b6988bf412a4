package core

import (
	"testing"
	"time"
)

func TestSendClockFollowsTheWallClock(t *testing.T) {
	var c sendClock
	for range 3 {
		before := time.Now().UnixMilli()
		got := c.millis()
		after := time.Now().UnixMilli()
		if got < before || got > after {
			t.Fatalf("millis() = %d, want within [%d, %d]", got, before, after)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestSendClockRebasesAfterASecond(t *testing.T) {
	var c sendClock
	now := time.Now()
	// A base whose wall reading is 5 s behind, as after a step of the wall
	// clock: used while it is fresh, replaced once it is a second old.
	c.base.Store(&clockBase{at: now, unix: now.UnixNano() - int64(5*time.Second)})
	if lag := time.Now().UnixMilli() - c.millis(); lag < 4900 {
		t.Fatalf("a fresh base was not used: lag %d ms, want about 5000", lag)
	}
	old := now.Add(-sendClockRebase)
	c.base.Store(&clockBase{at: old, unix: old.UnixNano() - int64(5*time.Second)})
	if lag := time.Now().UnixMilli() - c.millis(); lag > 100 || lag < -100 {
		t.Fatalf("a base %v old was kept: lag %d ms, want about 0", sendClockRebase, lag)
	}
}
