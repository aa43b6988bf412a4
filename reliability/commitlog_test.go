package reliability

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core/kerr"
)

// TestCommitLogClassifies checks the commit log's verdicts without a
// broker: a commit acknowledged below an earlier one and an acknowledged
// commit that never reads back are violations; a stale read that recovers
// with no newer commit, an undecidable one, and an unconfirmed commit shown
// then gone are reported only.
func TestCommitLogClassifies(t *testing.T) {
	t.Parallel()
	l := newCommitLog(time.Now())
	l.settleFor = 200 * time.Millisecond
	commit := func(o int64, err error) {
		if !l.asking(map[int32]int64{0: o}) {
			t.Fatalf("commit of %d refused while not settling", o)
		}
		l.result(1, 1, map[int32]int64{0: o}, err)
	}
	read := func(o int64) map[int32]int64 { return l.read(1, l.ackedNow(), map[int32]int64{0: o}) }

	commit(10, nil)
	if stale := read(10); len(stale) != 0 || l.violations() != 0 {
		t.Fatalf("a read at the acknowledged offset: stale %v, %d violations", stale, l.violations())
	}
	// A stale read that recovers by itself.
	stale := read(7)
	if stale[0] != 10 {
		t.Fatalf("read 7 after an acknowledged 10: stale %v", stale)
	}
	n := 0
	l.settle(stale, func() (int32, map[int32]int64, error) {
		n++
		if !l.frozen.Load() {
			t.Error("not frozen while settling")
		}
		if l.asking(map[int32]int64{0: 99}) {
			t.Error("a commit allowed while settling")
		}
		if n < 3 {
			return 2, map[int32]int64{0: 7}, nil
		}
		return 2, map[int32]int64{0: 10}, nil
	})
	if l.violations() != 0 || len(l.stale) != 1 {
		t.Fatalf("a stale read that recovered: %d violations, %d stale: %s", l.violations(), len(l.stale), l.details())
	}
	// An acknowledged commit that never reads back again: lost.
	commit(20, nil)
	l.settle(read(15), func() (int32, map[int32]int64, error) { return 2, map[int32]int64{0: 15}, nil })
	if l.violations() != 1 || len(l.lost) != 1 {
		t.Fatalf("a lost acknowledged commit: %d violations: %s", l.violations(), l.details())
	}
	// An in-flight commit acknowledged before the re-read: undecided.
	commit(30, nil)
	calls := 0
	l.settle(read(25), func() (int32, map[int32]int64, error) {
		if calls++; calls == 1 {
			l.result(1, 1, map[int32]int64{0: 31}, nil) // in flight, acknowledged while settling
			return -1, nil, errors.New("the first re-read fails")
		}
		return 2, map[int32]int64{0: 31}, nil
	})
	if l.violations() != 1 || len(l.undecided) != 1 {
		t.Fatalf("an undecidable episode: %d violations, %d undecided: %s", l.violations(), len(l.undecided), l.details())
	}
	// A commit that failed, shown by the broker, then gone: reported only.
	commit(40, errors.New("timed out"))
	if len(read(40)) != 0 {
		t.Fatal("a read of an unacknowledged offset above the acknowledged ones is not stale")
	}
	if len(read(31)) != 0 || len(l.unconfirmed) != 1 || l.violations() != 1 {
		t.Fatalf("an unconfirmed commit shown then gone: %d unconfirmed, %d violations: %s", len(l.unconfirmed), l.violations(), l.details())
	}
	// The client committing backwards.
	commit(25, nil)
	if l.violations() != 2 || len(l.ackBack) != 1 {
		t.Fatalf("an acknowledged commit below an earlier one: %d violations: %s", l.violations(), l.details())
	}
	l.result(1, -1, map[int32]int64{0: 50}, fmt.Errorf("commit: %w", kerr.UnknownMemberID))
	l.result(1, -1, map[int32]int64{0: 50}, fmt.Errorf("%w (last error: %w)", context.DeadlineExceeded, kerr.UnknownMemberID))
	l.result(1, -1, map[int32]int64{0: 50}, fmt.Errorf("commit: %w", kerr.UnknownMemberID))
	if got, want := l.String(), `(4 failed: 2 UNKNOWN_MEMBER_ID, 1 "timed out", 1 timed out after UNKNOWN_MEMBER_ID,`; !strings.Contains(got, want) {
		t.Fatalf("summary %q, want the failures by kind: %q", got, want)
	}
}
