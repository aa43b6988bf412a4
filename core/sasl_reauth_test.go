package core

import (
	"testing"
	"time"
)

func TestReauthDelay(t *testing.T) {
	t.Parallel()
	now := time.Now()
	for range 1000 {
		// A 100s session that began 10s ago: re-authenticate 75s..85s from now.
		d := reauthDelay(now.Add(-10*time.Second), now.Add(90*time.Second))
		if d < 74*time.Second || d > 86*time.Second {
			t.Fatalf("delay %v outside 85%%..95%% of the session", d)
		}
	}
	if d := reauthDelay(now.Add(-time.Hour), now.Add(-time.Minute)); d != 100*time.Millisecond {
		t.Fatalf("an expired session waits %v, want the 100ms floor", d)
	}
}
