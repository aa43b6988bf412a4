package sticky

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	at "github.com/kafka3/kafka3-go/assignors/internal/assigntest"
	"github.com/kafka3/kafka3-go/core"
)

type asg = map[string][]core.AssignorPartitions

// algo adapts Assign to core.Assignor for the shared property checks, taking
// owned partitions and generation from the subscription fields.
type algo struct{ coop bool }

func (a algo) Name() string                                             { return fmt.Sprintf("sticky(coop=%v)", a.coop) }
func (a algo) Cooperative() bool                                        { return a.coop }
func (algo) UserData([]string, []core.AssignorPartitions, int32) []byte { return nil }
func (a algo) Assign(ms []core.AssignorMember, topics map[string]int32) (asg, error) {
	in := make([]Member, len(ms))
	for i, m := range ms {
		in[i] = Member{ID: m.MemberID, Topics: m.Topics, Owned: m.OwnedPartitions, Generation: m.Generation}
	}
	return Assign("test", in, topics, a.coop)
}

// noDirectImprovement fails t if a member could pass a partition straight to
// an eligible member with two fewer (a weaker, independent check of the
// balancing step's guarantee).
func noDirectImprovement(t *testing.T, members []core.AssignorMember, got asg) {
	t.Helper()
	for _, x := range members {
		for _, y := range members {
			if at.Count(got, x.MemberID) < at.Count(got, y.MemberID)+2 {
				continue
			}
			for _, tp := range got[x.MemberID] {
				if len(tp.Partitions) > 0 && slices.Contains(y.Topics, tp.Topic) {
					t.Fatalf("%s (%d) could give %s to %s (%d): %v", x.MemberID, at.Count(got, x.MemberID),
						tp.Topic, y.MemberID, at.Count(got, y.MemberID), got)
				}
			}
		}
	}
}

func TestFreshGroups(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 3))
	for range 400 {
		mixed := r.IntN(2) == 0
		members, topics := at.Random(r, 15, 6, 25, mixed)
		got := at.Run(t, algo{}, members, topics)
		at.Complete(t, members, topics, got)
		noDirectImprovement(t, members, got)
		if !mixed && at.Spread(members, got) > 1 {
			t.Fatalf("unbalanced: %v", got)
		}
	}
}

// Java's StickyAssignor Javadoc example: 3 members, 4 topics of 2
// partitions, then C1 leaves: C0 and C2 keep everything they had.
func TestJavadocExample(t *testing.T) {
	t.Parallel()
	topics := map[string]int32{"t0": 2, "t1": 2, "t2": 2, "t3": 2}
	all := []string{"t0", "t1", "t2", "t3"}
	members := []core.AssignorMember{at.Member("C0", all...), at.Member("C1", all...), at.Member("C2", all...)}
	first := at.Run(t, algo{}, members, topics)
	if at.Spread(members, first) > 1 {
		t.Fatalf("unbalanced: %v", first)
	}
	members = withOwned([]core.AssignorMember{members[0], members[2]}, first, 1)
	second := at.Run(t, algo{}, members, topics)
	at.Complete(t, members, topics, second)
	for _, id := range []string{"C0", "C2"} {
		if kept(first[id], second[id]) != at.Count(first, id) || at.Count(second, id) != 4 {
			t.Fatalf("%s: before %v after %v", id, first[id], second[id])
		}
	}
}

func withOwned(members []core.AssignorMember, prev asg, gen int32) []core.AssignorMember {
	out := slices.Clone(members)
	for i := range out {
		out[i].OwnedPartitions = prev[out[i].MemberID]
		out[i].Generation = gen
	}
	return out
}

// kept counts the partitions of after that are in before.
func kept(before, after []core.AssignorPartitions) int {
	n := 0
	for _, a := range after {
		for _, b := range before {
			if a.Topic == b.Topic {
				for _, p := range a.Partitions {
					if slices.Contains(b.Partitions, p) {
						n++
					}
				}
			}
		}
	}
	return n
}

func TestGenerationResolvesConflictingClaims(t *testing.T) {
	t.Parallel()
	topics := map[string]int32{"t": 3}
	stale := core.AssignorMember{MemberID: "a", Topics: []string{"t"}, Generation: 3,
		OwnedPartitions: []core.AssignorPartitions{at.TP("t", 0, 1)}}
	fresh := core.AssignorMember{MemberID: "b", Topics: []string{"t"}, Generation: 5,
		OwnedPartitions: []core.AssignorPartitions{at.TP("t", 0)}}
	// b's newer claim on t-0 wins; a's claim on t-1 stands.
	want := asg{"a": {at.TP("t", 1, 2)}, "b": {at.TP("t", 0)}, "c": {}}
	for _, coop := range []bool{false, true} {
		got := at.Run(t, algo{coop: coop}, []core.AssignorMember{stale, fresh, at.Member("c")}, topics)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("coop=%v: got %v want %v", coop, got, want)
		}
	}
	// Cooperative: a new member gets nothing its owner must first revoke.
	fresh.OwnedPartitions = []core.AssignorPartitions{at.TP("t", 0, 1, 2)}
	got := at.Run(t, algo{coop: true}, []core.AssignorMember{fresh, at.Member("d", "t")}, topics)
	if at.Count(got, "b") != 2 || at.Count(got, "d") != 0 {
		t.Fatalf("cooperative: %v", got)
	}
}

func TestSameGenerationDoubleClaimStaysWithAClaimant(t *testing.T) {
	t.Parallel()
	own := []core.AssignorPartitions{{Topic: "t", Partitions: []int32{0}}}
	a := core.AssignorMember{MemberID: "a", Topics: []string{"t"}, Generation: 4, OwnedPartitions: own}
	b := a
	b.MemberID = "b"
	got := at.Run(t, algo{coop: true}, []core.AssignorMember{a, b}, map[string]int32{"t": 1})
	if at.Count(got, "a")+at.Count(got, "b") != 1 {
		t.Fatalf("double-claimed partition not kept by a claimant: %v", got)
	}
}

func TestIgnoresClaimsOnGoneOrUnsubscribedPartitions(t *testing.T) {
	t.Parallel()
	m := core.AssignorMember{MemberID: "a", Topics: []string{"t"}, Generation: 1, OwnedPartitions: []core.AssignorPartitions{
		{Topic: "t", Partitions: []int32{-1, 0, 7}}, {Topic: "u", Partitions: []int32{0}}, {Topic: "gone", Partitions: []int32{0}}}}
	got := at.Run(t, algo{coop: true}, []core.AssignorMember{m, at.Member("b", "u")}, map[string]int32{"t": 1, "u": 1})
	want := asg{"a": {at.TP("t", 0)}, "b": {at.TP("u", 0)}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestRejectsBadMembers(t *testing.T) {
	t.Parallel()
	for _, ms := range [][]Member{{{ID: ""}}, {{ID: "a"}, {ID: "a"}}} {
		if _, err := Assign("sticky", ms, nil, false); err == nil {
			t.Fatalf("accepted %v", ms)
		}
	}
}
