package sticky

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	at "github.com/kafka3/kafka3-go/assignors/internal/assigntest"
	"github.com/kafka3/kafka3-go/core"
)

// group simulates a consumer group over a sequence of rebalances.
type group struct {
	subs   map[string][]string // member id -> topics
	topics map[string]int32
	owned  asg
	gen    int32
	next   int
}

func (g *group) members() []core.AssignorMember {
	var ms []core.AssignorMember
	for id, topics := range g.subs {
		ms = append(ms, core.AssignorMember{MemberID: id, Topics: topics, OwnedPartitions: g.owned[id], Generation: g.gen})
	}
	slices.SortFunc(ms, func(a, b core.AssignorMember) int { return compareStrings(a.MemberID, b.MemberID) })
	return ms
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// change applies one random membership or topic change.
func (g *group) change(r *rand.Rand, names []string, mixed bool) {
	switch k := r.IntN(4); {
	case k == 0 && len(g.subs) > 1:
		ids := make([]string, 0, len(g.subs))
		for id := range g.subs {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		delete(g.subs, ids[r.IntN(len(ids))])
	case k == 1:
		t := names[r.IntN(len(names))]
		g.topics[t] += int32(r.IntN(4))
	default:
		subs := names
		if mixed {
			subs = names[:1+r.IntN(len(names))]
			if r.IntN(2) == 0 {
				subs = names[r.IntN(len(names)):]
			}
		}
		g.subs[fmt.Sprintf("n%03d", g.next)] = subs
		g.next++
	}
}

// round runs one rebalance and checks the cooperative rule: a partition
// given to a member that did not own it is owned by no one else.
func (g *group) round(t *testing.T, a algo) asg {
	t.Helper()
	ms := g.members()
	got := at.Run(t, a, ms, g.topics)
	if a.coop {
		for id, tps := range got {
			for _, tp := range tps {
				for _, p := range tp.Partitions {
					if holds(g.owned[id], tp.Topic, p) {
						continue
					}
					for other := range g.subs {
						if other != id && holds(g.owned[other], tp.Topic, p) {
							t.Fatalf("%s-%d given to %s while %s still owns it", tp.Topic, p, id, other)
						}
					}
				}
			}
		}
	}
	g.owned, g.gen = got, g.gen+1
	return got
}

func holds(tps []core.AssignorPartitions, topic string, p int32) bool {
	for _, tp := range tps {
		if tp.Topic == topic && slices.Contains(tp.Partitions, p) {
			return true
		}
	}
	return false
}

func TestRebalanceSequences(t *testing.T) {
	t.Parallel()
	for _, coop := range []bool{false, true} {
		for _, mixed := range []bool{false, true} {
			t.Run(fmt.Sprintf("coop=%v,mixed=%v", coop, mixed), func(t *testing.T) {
				t.Parallel()
				runSequences(t, algo{coop: coop}, mixed)
			})
		}
	}
}

func runSequences(t *testing.T, a algo, mixed bool) {
	r := rand.New(rand.NewPCG(11, 12))
	names := []string{"a", "b", "c", "d"}
	for range 40 {
		g := &group{subs: map[string][]string{}, topics: map[string]int32{}, owned: asg{}}
		for _, n := range names {
			g.topics[n] = int32(r.IntN(12))
		}
		g.change(r, names, mixed)
		for range 25 {
			before := g.owned
			g.change(r, names, mixed)
			first := g.round(t, a)
			if !a.coop && !mixed {
				checkSticky(t, g.members(), before, first)
			}
			settle(t, g, a, mixed)
		}
	}
}

// settle runs follow-up rebalances until nothing is held back, then checks
// completeness and balance.
func settle(t *testing.T, g *group, a algo, mixed bool) {
	t.Helper()
	rounds := 1
	for ; len(at.Unassigned(g.members(), g.topics, g.owned)) > 0; rounds++ {
		if !a.coop || rounds > 4 || (!mixed && rounds > 2) {
			t.Fatalf("still incomplete after %d rounds: %v", rounds, at.Unassigned(g.members(), g.topics, g.owned))
		}
		g.round(t, a)
	}
	ms := g.members()
	noDirectImprovement(t, ms, g.owned)
	if !mixed && at.Spread(ms, g.owned) > 1 {
		t.Fatalf("unbalanced: %v", g.owned)
	}
}

// checkSticky: with equal subscriptions every member keeps as many of its
// previous partitions as its new count allows.
func checkSticky(t *testing.T, ms []core.AssignorMember, before, after asg) {
	t.Helper()
	for _, m := range ms {
		prev := before[m.MemberID]
		want := min(at.Count(before, m.MemberID), at.Count(after, m.MemberID))
		if got := kept(prev, after[m.MemberID]); got != want {
			t.Fatalf("%s kept %d of %v in %v, want %d", m.MemberID, got, prev, after[m.MemberID], want)
		}
	}
}
