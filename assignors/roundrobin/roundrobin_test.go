package roundrobin

import (
	"math/rand/v2"
	"reflect"
	"testing"

	at "github.com/kafka3/kafka3-go/assignors/internal/assigntest"
	"github.com/kafka3/kafka3-go/core"
)

type asg = map[string][]core.AssignorPartitions

func TestRegistered(t *testing.T) {
	t.Parallel()
	if a, err := core.AssignorByName("roundrobin"); err != nil || a.Name() != "roundrobin" || a.Cooperative() {
		t.Fatalf("AssignorByName(roundrobin) = %v, %v", a, err)
	}
}

// Expected outputs derived by hand from the two examples of the Java
// RoundRobinAssignor Javadoc, plus static membership.
func TestJavaExamples(t *testing.T) {
	t.Parallel()
	inst := "i"
	static := at.Member("z", "t0")
	static.InstanceID = &inst
	cases := []struct {
		name    string
		members []core.AssignorMember
		topics  map[string]int32
		want    asg
	}{
		{"javadoc: same subscriptions",
			[]core.AssignorMember{at.Member("C0", "t0", "t1"), at.Member("C1", "t0", "t1")},
			map[string]int32{"t0": 3, "t1": 3},
			asg{"C0": {at.TP("t0", 0, 2), at.TP("t1", 1)}, "C1": {at.TP("t0", 1), at.TP("t1", 0, 2)}}},
		{"javadoc: different subscriptions",
			[]core.AssignorMember{at.Member("C0", "t0"), at.Member("C1", "t0", "t1"), at.Member("C2", "t0", "t1", "t2")},
			map[string]int32{"t0": 1, "t1": 2, "t2": 3},
			asg{"C0": {at.TP("t0", 0)}, "C1": {at.TP("t1", 0)}, "C2": {at.TP("t1", 1), at.TP("t2", 0, 1, 2)}}},
		{"static member first",
			[]core.AssignorMember{at.Member("a", "t0"), static},
			map[string]int32{"t0": 3},
			asg{"z": {at.TP("t0", 0, 2)}, "a": {at.TP("t0", 1)}}},
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
	r := rand.New(rand.NewPCG(7, 1))
	for range 300 {
		mixed := r.IntN(2) == 0
		members, topics := at.Random(r, 12, 5, 20, mixed)
		got := at.Run(t, New(), members, topics)
		at.Complete(t, members, topics, got)
		if !mixed && at.Spread(members, got) > 1 {
			t.Fatalf("unbalanced with equal subscriptions: %v", got)
		}
	}
}
