package reliability

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
)

// commitLog checks "no committed offset ever moves backwards" from both
// sides: every commit the group's members make (what they asked for and
// whether the broker acknowledged it) and every committed offset read back
// from the broker (OffsetFetch through Admin.ListGroupOffsets), per
// partition.
//
//   - An acknowledged commit lower than an earlier acknowledged commit of
//     the same partition is the client committing backwards: a violation.
//   - A read-back lower than a commit acknowledged before the read was sent
//     (or lower than an earlier read-back of an acknowledged value) starts a
//     stale episode. The members stop committing (frozen) and the partition
//     is read again every 20 ms for up to 10 s: if the acknowledged offset
//     comes back without any newer commit, the read was stale (a broker
//     that just became coordinator answers from its high watermark, which
//     lags until its followers fetch), and nothing was lost; if it does not
//     come back, the acknowledged commit was lost: a violation. If a commit
//     that was already in flight is acknowledged first, the episode cannot
//     be decided and is reported as such.
//   - A read-back lower than an earlier read-back of a value no member was
//     told was committed (its commit failed or timed out) is the broker
//     showing a commit it never confirmed, then losing it: reported, not a
//     violation of what the client was told.
type commitLog struct {
	start     time.Time
	settleFor time.Duration // how long settle re-reads (10s)
	frozen    atomic.Bool   // members skip their commits while an episode is settled

	mu          sync.Mutex
	commits     int             // commit calls
	failed      int             // commit calls that returned an error
	whys        map[string]int  // failed commits by kind of error (failureKind)
	skipped     int             // commits skipped while frozen
	acked       map[int32]int64 // highest acknowledged offset per partition
	ackedSet    map[int32]map[int64]bool
	asked       map[int32]map[int64]bool // every offset a member asked to commit
	reads       int                      // read-backs of the group's offsets
	lastRead    map[int32]int64
	ackBack     []string // violations: acknowledged commits below earlier ones
	lost        []string // violations: acknowledged commits that did not come back
	stale       []string // stale reads that recovered by themselves
	staleMax    time.Duration
	undecided   []string
	unconfirmed []string
	history     map[int32][]commitEvent // every commit result and read-back, per partition
	badAt       map[int32][]time.Duration
	notes       []commitEvent // the faults, for context
}

// lastNode remembers the broker that answered the last request of one API
// key (OffsetCommit or OffsetFetch): a core.BrokerInterceptor, for a client
// whose requests of that key are sequential.
type lastNode struct {
	key  int16
	node atomic.Int32
}

// OnRoundTrip implements core.BrokerInterceptor.
func (n *lastNode) OnRoundTrip(rt core.BrokerRoundTrip) {
	if rt.Key == n.key && rt.Err == nil {
		n.node.Store(rt.NodeID)
	}
}

// take returns the node and forgets it.
func (n *lastNode) take() int32 { return n.node.Swap(-1) }

// commitEvent is one commit result or read-back of a partition.
type commitEvent struct {
	at     time.Duration
	what   string // "ack", "fail" or "read"
	offset int64
}

func newCommitLog(start time.Time) *commitLog {
	return &commitLog{start: start, settleFor: 10 * time.Second, acked: map[int32]int64{}, ackedSet: map[int32]map[int64]bool{},
		asked: map[int32]map[int64]bool{}, lastRead: map[int32]int64{},
		history: map[int32][]commitEvent{}, badAt: map[int32][]time.Duration{}}
}

func (l *commitLog) at() string { return fmt.Sprintf("%5.1fs", time.Since(l.start).Seconds()) }

// note records a fault, shown with the events around a violation.
func (l *commitLog) note(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.notes = append(l.notes, commitEvent{time.Since(l.start), s, -1})
}

// asking records that a member is about to commit offs (partition:
// offset); false means it must not, while a stale episode is settled.
func (l *commitLog) asking(offs map[int32]int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.frozen.Load() {
		l.skipped++
		return false
	}
	l.commits++
	for p, o := range offs {
		if l.asked[p] == nil {
			l.asked[p] = map[int64]bool{}
		}
		l.asked[p][o] = true
	}
	return true
}

// result records how the commit of offs ended.
func (l *commitLog) result(member int, node int32, offs map[int32]int64, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Since(l.start)
	if err != nil {
		l.failed++
		if l.whys == nil {
			l.whys = map[string]int{}
		}
		l.whys[failureKind(err)]++
		for p, o := range offs {
			l.history[p] = append(l.history[p], commitEvent{now, fmt.Sprintf("commit failed (member %d)", member), o})
		}
		return
	}
	for p, o := range offs {
		l.history[p] = append(l.history[p], commitEvent{now, fmt.Sprintf("ack by %d (member %d)", node, member), o})
		if prev, ok := l.acked[p]; ok && o < prev {
			l.ackBack = append(l.ackBack, fmt.Sprintf("%s member %d's commit of partition %d acknowledged at %d after an acknowledged %d", l.at(), member, p, o, prev))
		}
		l.acked[p] = max(l.acked[p], o)
		if l.ackedSet[p] == nil {
			l.ackedSet[p] = map[int64]bool{}
		}
		l.ackedSet[p][o] = true
	}
}

// ackedNow returns the highest acknowledged offsets: take it before sending
// a read-back, to compare the answer with.
func (l *commitLog) ackedNow() map[int32]int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[int32]int64, len(l.acked))
	for p, o := range l.acked {
		out[p] = o
	}
	return out
}

// read records the committed offsets read back (partition: offset), sent
// when the acknowledged offsets were before.
// It returns the partitions read below an acknowledged commit, with that
// commit's offset: settle them.
func (l *commitLog) read(node int32, before map[int32]int64, offs map[int32]int64) map[int32]int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reads++
	now := time.Since(l.start)
	stale := map[int32]int64{}
	for p, o := range offs {
		l.history[p] = append(l.history[p], commitEvent{now, fmt.Sprintf("read from %d", node), o})
		want := int64(-1)
		if a, ok := before[p]; ok && o < a {
			want = a
		}
		if prev, ok := l.lastRead[p]; ok && o < prev {
			if l.ackedSet[p][prev] {
				want = max(want, prev)
			} else {
				how := "its commit failed or timed out"
				if !l.asked[p][prev] {
					how = "no member asked for it"
				}
				l.unconfirmed = append(l.unconfirmed, fmt.Sprintf("%s partition %d read back at %d after %d (%s)", l.at(), p, o, prev, how))
				l.badAt[p] = append(l.badAt[p], now)
			}
		}
		if want >= 0 {
			stale[p] = want
			l.badAt[p] = append(l.badAt[p], now)
		}
		l.lastRead[p] = max(l.lastRead[p], o)
	}
	return stale
}

// settle decides the stale episode of the partitions in stale (partition:
// the acknowledged offset read below), re-reading with reread (the node that
// answered and the offsets, or an error) while the members do not commit.
func (l *commitLog) settle(stale map[int32]int64, reread func() (int32, map[int32]int64, error)) {
	l.frozen.Store(true)
	defer l.frozen.Store(false)
	began := time.Now()
	pending := maps.Clone(stale)
	for time.Since(began) < l.settleFor && len(pending) > 0 {
		time.Sleep(20 * time.Millisecond)
		node, offs, err := reread()
		if err != nil {
			continue
		}
		l.mu.Lock()
		now := time.Since(l.start)
		for p, want := range pending {
			o, ok := offs[p]
			if !ok {
				continue
			}
			l.history[p] = append(l.history[p], commitEvent{now, fmt.Sprintf("re-read from %d", node), o})
			switch {
			case l.acked[p] > want:
				l.undecided = append(l.undecided, fmt.Sprintf("%s partition %d read below its acknowledged commit %d, then a commit in flight was acknowledged (%d) before a re-read showed it", l.at(), p, want, l.acked[p]))
				delete(pending, p)
			case o >= want:
				d := time.Since(began)
				l.stale = append(l.stale, fmt.Sprintf("%s partition %d read below its acknowledged commit %d; re-read at %d after %v with no newer commit", l.at(), p, want, o, d.Round(time.Millisecond)))
				l.staleMax = max(l.staleMax, d)
				delete(pending, p)
			}
			l.lastRead[p] = max(l.lastRead[p], o)
		}
		l.mu.Unlock()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for p, want := range pending {
		l.lost = append(l.lost, fmt.Sprintf("%s partition %d: the acknowledged commit %d was not read back within %v, with no newer commit (last read %d)", l.at(), p, want, l.settleFor, l.lastRead[p]))
	}
}

// violations is the number of backward moves of what members were told:
// acknowledged commits below earlier ones, and acknowledged commits lost.
func (l *commitLog) violations() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.ackBack) + len(l.lost)
}

// details lists every episode, a few of each kind.
func (l *commitLog) details() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, list := range [][]string{l.ackBack, l.lost, l.undecided, l.stale, l.unconfirmed} {
		out = append(out, list[:min(len(list), 5)]...)
	}
	return strings.Join(out, "; ")
}

// String summarises the log for the report.
func (l *commitLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	parts := make([]int, 0, len(l.acked))
	for p := range l.acked {
		parts = append(parts, int(p))
	}
	sort.Ints(parts)
	var ends []string
	for _, p := range parts {
		ends = append(ends, fmt.Sprintf("%d:%d", p, l.acked[int32(p)]))
	}
	return fmt.Sprintf("%d commits (%d failed%s, %d skipped while settling), %d read-backs; backwards: %d acknowledged commits below an earlier one, %d acknowledged commits lost, %d undecided; %d stale reads that recovered with no newer commit (longest %v), %d unconfirmed commits shown then gone; last acknowledged %s",
		l.commits, l.failed, l.whysLocked(), l.skipped, l.reads, len(l.ackBack), len(l.lost), len(l.undecided), len(l.stale), l.staleMax.Round(time.Millisecond), len(l.unconfirmed), strings.Join(ends, " "))
}

// whysLocked lists the kinds of the failed commits, most frequent first:
// ": 40 UNKNOWN_MEMBER_ID, 4 timed out", or "" when none failed.
func (l *commitLog) whysLocked() string {
	kinds := make([]string, 0, len(l.whys))
	for k := range l.whys {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		if l.whys[kinds[i]] != l.whys[kinds[j]] {
			return l.whys[kinds[i]] > l.whys[kinds[j]]
		}
		return kinds[i] < kinds[j]
	})
	var b strings.Builder
	for i, k := range kinds {
		b.WriteString([]string{": ", ", "}[min(i, 1)])
		fmt.Fprintf(&b, "%d %s", l.whys[k], k)
	}
	return b.String()
}

// failureKind names the kind of a failed commit's error: its Kafka error
// code, or "timed out" for its context's deadline (with the code of the
// failure before, if any), or else the start of its text.
func failureKind(err error) string {
	var ke *kerr.Error
	isCode := errors.As(err, &ke)
	switch {
	case errors.Is(err, context.DeadlineExceeded) && isCode:
		return "timed out after " + ke.Name
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case isCode:
		return ke.Name
	}
	s := err.Error()
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	return strconv.Quote(s)
}

// around lists, for each partition with a violation, its events (and the
// faults) from 10 s before the first violation to 3 s after the last one.
func (l *commitLog) around() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for p, bad := range l.badAt {
		from, to := bad[0]-10*time.Second, bad[len(bad)-1]+3*time.Second
		evs := []string{}
		all := append(append([]commitEvent{}, l.history[p]...), l.notes...)
		sort.SliceStable(all, func(i, j int) bool { return all[i].at < all[j].at })
		for _, e := range all {
			if e.at >= from && e.at <= to {
				if e.offset < 0 {
					evs = append(evs, fmt.Sprintf("%.2fs [%s]", e.at.Seconds(), e.what))
				} else {
					evs = append(evs, fmt.Sprintf("%.2fs %s %d", e.at.Seconds(), e.what, e.offset))
				}
			}
		}
		out = append(out, fmt.Sprintf("partition %d: %s", p, strings.Join(evs, ", ")))
	}
	return strings.Join(out, "\n")
}
