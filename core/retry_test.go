package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/kafka3/kafka3-go/core/kerr"
)

// TestGaveUpKeepsTheCause: an Admin call that stops at its deadline
// reports the deadline and the failure that kept it retrying, not an
// attempt the deadline cut short.
func TestGaveUpKeepsTheCause(t *testing.T) {
	alive := context.Background()
	ended, cancel := context.WithTimeout(context.Background(), 0)
	defer cancel()
	<-ended.Done()
	fault := kerr.NetworkException
	cut := fmt.Errorf("waiting for the response: %w", context.DeadlineExceeded)

	if got := keepCause(alive, fault, cut); got != cut {
		t.Errorf("keepCause with ctx alive = %v, want the latest attempt's error", got)
	}
	if got := keepCause(ended, fault, cut); got != fault {
		t.Errorf("keepCause with ctx ended = %v, want the failure before", got)
	}
	if got := keepCause(ended, nil, cut); got != cut {
		t.Errorf("keepCause of a first attempt = %v, want its error", got)
	}
	if got := gaveUp(alive, fault); got != fault {
		t.Errorf("gaveUp with attempts used up = %v, want the last error", got)
	}
	if got := gaveUp(ended, nil); !errors.Is(got, context.DeadlineExceeded) {
		t.Errorf("gaveUp before any attempt = %v, want the deadline", got)
	}
	got := gaveUp(ended, fault)
	if !errors.Is(got, context.DeadlineExceeded) || !errors.Is(got, kerr.NetworkException) {
		t.Errorf("gaveUp at the deadline = %v, want both the deadline and the fault", got)
	}
}

// TestStreakLevel: a streak of failures is logged at the 1st, 2nd, 4th,
// 8th, ... and at debug level in between.
func TestStreakLevel(t *testing.T) {
	for n, want := range map[int]slog.Level{1: slog.LevelWarn, 2: slog.LevelWarn, 3: slog.LevelDebug, 4: slog.LevelWarn,
		5: slog.LevelDebug, 7: slog.LevelDebug, 8: slog.LevelWarn, 0: slog.LevelDebug} {
		if got := streakLevel(n, slog.LevelWarn); got != want {
			t.Errorf("streakLevel(%d) = %v, want %v", n, got, want)
		}
	}
}
