package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// streakLevel is the level at which to log the n-th failure in a row
// (n >= 1) of an operation that is retried until it succeeds: level at the
// 1st, 2nd, 4th, 8th, ... and debug otherwise, so that an outage is
// reported a few times, with its latest error, not at every retry.
func streakLevel(n int, level slog.Level) slog.Level {
	if n < 1 || n&(n-1) != 0 {
		return slog.LevelDebug
	}
	return level
}

// keepCause returns the error to report after an attempt that failed with
// err, last being the one before (nil if none): err, unless ctx ended
// during the attempt, which then says less than the failure that kept the
// attempts going.
func keepCause(ctx context.Context, last, err error) error {
	if ctx.Err() != nil && last != nil {
		return last
	}
	return err
}

// gaveUp is the error of a call whose attempts stopped after last: last,
// or, when ctx ended, ctx's error with last (both for errors.Is).
func gaveUp(ctx context.Context, last error) error {
	switch {
	case ctx.Err() == nil:
		return last
	case last == nil:
		return ctx.Err()
	case errors.Is(last, ctx.Err()):
		return last
	}
	return fmt.Errorf("%w (last error: %w)", ctx.Err(), last)
}
