package core

import "log/slog"

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
