package rangeassignor

import (
	"math/rand/v2"
	"reflect"
	"testing"

	at "github.com/kafka3/kafka3-go/assignors/internal/assigntest"
	"github.com/kafka3/kafka3-go/core"
)

type asg = map[string][]core.AssignorPartitions

func ptr(s string) *string { return &s }

func TestRegistered(t *testing.T) {
	t.Parallel()
	if a, err := core.AssignorByName("range"); err != nil || a.Name() != "range" || a.Cooperative() {
		t.Fatalf("AssignorByName(range) = %v, %v", a, err)
	}
}

// Expected outputs derived by hand from the Java RangeAssignor Javadoc and
// algorithm.
func TestJavaExamples(t *testing.T) {
	t.Parallel()
	static := func(id, instance string, topics ...string) core.AssignorMember {
		m := at.Member(id, topics...)
		m.InstanceID = ptr(instance)
		return m
	}
	cases := []struct {
		name    string
		members []core.AssignorMember
		topics  map[string]int32
		want    asg
	}{
		{"javadoc: 2 members, 2 topics of 3",
			[]core.AssignorMember{at.Member("C0", "t0", "t1"), at.Member("C1", "t0", "t1")},
			map[string]int32{"t0": 3, "t1": 3},
			asg{"C0": {at.TP("t0", 0, 1), at.TP("t1", 0, 1)}, "C1": {at.TP("t0", 2), at.TP("t1", 2)}}},
		{"static members first, by instance id",
			[]core.AssignorMember{static("a", "z", "t"), static("b", "y", "t"), at.Member("0", "t")},
			map[string]int32{"t": 4},
			asg{"b": {at.TP("t", 0, 1)}, "a": {at.TP("t", 2)}, "0": {at.TP("t", 3)}}},
		{"different subscriptions, missing topic, more members than partitions",
			[]core.AssignorMember{at.Member("C0", "t0"), at.Member("C1", "t0", "t1", "gone"), at.Member("C2", "t1")},
			map[string]int32{"t0": 1, "t1": 5},
			asg{"C0": {at.TP("t0", 0)}, "C1": {at.TP("t1", 0, 1, 2)}, "C2": {at.TP("t1", 3, 4)}}},
		{"no partitions", []core.AssignorMember{at.Member("C0", "t0")}, map[string]int32{"t0": 0}, asg{"C0": {}}},
	}
	for _, c := range cases {
		got := at.Run(t, New(), c.members, c.topics)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, c.want)
		}
	}
}

func TestRandomGroups(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(42, 1))
	for range 300 {
		members, topics := at.Random(r, 12, 5, 20, r.IntN(2) == 0)
		got := at.Run(t, New(), members, topics)
		at.Complete(t, members, topics, got)
		// Per topic, the subscribers' counts differ by at most one.
		for topic := range topics {
			var counts []int
			for _, m := range members {
				n := -1
				for _, tp := range got[m.MemberID] {
					if tp.Topic == topic {
						n = len(tp.Partitions)
					}
				}
				if n >= 0 || contains(m.Topics, topic) {
					counts = append(counts, max(n, 0))
				}
			}
			if len(counts) > 0 && maxOf(counts)-minOf(counts) > 1 {
				t.Fatalf("topic %s unbalanced: %v", topic, counts)
			}
		}
	}
}

func TestRejectsDuplicateMembers(t *testing.T) {
	t.Parallel()
	_, err := New().Assign([]core.AssignorMember{at.Member("a", "t"), at.Member("a", "t")}, map[string]int32{"t": 1})
	if err == nil {
		t.Fatal("duplicate member accepted")
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func maxOf(xs []int) int {
	m := xs[0]
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

func minOf(xs []int) int {
	m := xs[0]
	for _, x := range xs {
		m = min(m, x)
	}
	return m
}
