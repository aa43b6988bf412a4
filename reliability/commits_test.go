package reliability

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core"
)

// commitLog checks "no committed offset ever moves backwards" from both
// sides: every commit the group's members make (what they asked for and
// whether the broker acknowledged it) and every committed offset read back
// from the broker (OffsetFetch through Admin.ListGroupOffsets), per
// partition. It counts three kinds of violation:
//
//   - ackBack: an acknowledged commit lower than an earlier acknowledged
//     commit of the same partition (the client committed backwards);
//   - belowAck: a read-back offset lower than a commit that was
//     acknowledged before the read was sent (an acknowledged commit was
//     lost or overwritten);
//   - readBack: a read-back offset lower than an earlier read-back offset.
//
// For each readBack it also says whether the higher value had been
// acknowledged to a member: if not, the broker showed a commit it never
// confirmed and then lost it.
type commitLog struct {
	start time.Time

	mu       sync.Mutex
	commits  int             // commit calls
	failed   int             // commit calls that returned an error
	acked    map[int32]int64 // highest acknowledged offset per partition
	ackedSet map[int32]map[int64]bool
	asked    map[int32]map[int64]bool // every offset a member asked to commit
	reads    int                      // read-backs of the group's offsets
	lastRead map[int32]int64
	ackBack  []string
	belowAck []string
	readBack []string
	history  map[int32][]commitEvent // every commit result and read-back, per partition
	badAt    map[int32][]time.Duration
	notes    []commitEvent // the faults, for context
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
	return &commitLog{start: start, acked: map[int32]int64{}, ackedSet: map[int32]map[int64]bool{},
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

// asking records that member is about to commit offs (partition: offset).
func (l *commitLog) asking(offs map[int32]int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.commits++
	for p, o := range offs {
		if l.asked[p] == nil {
			l.asked[p] = map[int64]bool{}
		}
		l.asked[p][o] = true
	}
}

// result records how the commit of offs ended.
func (l *commitLog) result(member int, node int32, offs map[int32]int64, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Since(l.start)
	if err != nil {
		l.failed++
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
func (l *commitLog) read(node int32, before map[int32]int64, offs map[int32]int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reads++
	now := time.Since(l.start)
	for p, o := range offs {
		l.history[p] = append(l.history[p], commitEvent{now, fmt.Sprintf("read from %d", node), o})
		if a, ok := before[p]; (ok && o < a) || o < l.lastRead[p] {
			l.badAt[p] = append(l.badAt[p], now)
		}
		if a, ok := before[p]; ok && o < a {
			l.belowAck = append(l.belowAck, fmt.Sprintf("%s partition %d read back at %d, below the acknowledged commit %d", l.at(), p, o, a))
		}
		if prev, ok := l.lastRead[p]; ok && o < prev {
			how := "never acknowledged to a member (the broker showed a commit it did not confirm, then lost it)"
			if l.ackedSet[p][prev] {
				how = "acknowledged to a member"
			} else if !l.asked[p][prev] {
				how = "never asked for by a member"
			}
			l.readBack = append(l.readBack, fmt.Sprintf("%s partition %d read back at %d after %d (%d was %s)", l.at(), p, o, prev, prev, how))
		}
		l.lastRead[p] = max(l.lastRead[p], o)
	}
}

// violations is the number of backward moves of every kind.
func (l *commitLog) violations() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.ackBack) + len(l.belowAck) + len(l.readBack)
}

// details lists the violations, a few of each kind.
func (l *commitLog) details() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, list := range [][]string{l.ackBack, l.belowAck, l.readBack} {
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
	return fmt.Sprintf("%d commits (%d failed), %d read-backs; backwards: %d acknowledged commits below an earlier one, %d read-backs below an acknowledged commit, %d read-backs below an earlier read-back; last acknowledged %s",
		l.commits, l.failed, l.reads, len(l.ackBack), len(l.belowAck), len(l.readBack), strings.Join(ends, " "))
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
