// Package assigntest holds the property checks that the assignor plugins'
// tests share: validity, completeness, balance and determinism.
package assigntest

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/kafka3/kafka3-go/core"
)

// Member returns a dynamic member subscribing to topics.
func Member(id string, topics ...string) core.AssignorMember {
	return core.AssignorMember{MemberID: id, Topics: topics, Generation: -1}
}

// Run calls a.Assign, fails t on an error or an invalid assignment, checks
// that a reversed and a shuffled member order give the same result
// (determinism), and returns the assignment.
func Run(t testing.TB, a core.Assignor, members []core.AssignorMember, topics map[string]int32) map[string][]core.AssignorPartitions {
	t.Helper()
	got, err := a.Assign(members, topics)
	if err != nil {
		t.Fatalf("%s: Assign: %v", a.Name(), err)
	}
	if err := core.ValidateAssignment(members, topics, got); err != nil {
		t.Fatalf("%s: %v", a.Name(), err)
	}
	for _, m := range members {
		if _, ok := got[m.MemberID]; !ok {
			t.Fatalf("%s: member %q has no entry", a.Name(), m.MemberID)
		}
	}
	shuffled := slices.Clone(members)
	rand.New(rand.NewPCG(1, uint64(len(members)))).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})
	again, err := a.Assign(shuffled, topics)
	if err != nil || !reflect.DeepEqual(norm(got), norm(again)) {
		t.Fatalf("%s: not deterministic:\n%v\n%v (%v)", a.Name(), got, again, err)
	}
	return got
}

func norm(a map[string][]core.AssignorPartitions) map[string][]core.AssignorPartitions {
	out := make(map[string][]core.AssignorPartitions, len(a))
	for k, v := range a {
		if len(v) > 0 {
			out[k] = v
		}
	}
	return out
}

// Complete fails t unless every partition of every topic some member
// subscribes to is assigned (validity already excludes doubles).
func Complete(t testing.TB, members []core.AssignorMember, topics map[string]int32, asg map[string][]core.AssignorPartitions) {
	t.Helper()
	if missing := Unassigned(members, topics, asg); len(missing) > 0 {
		t.Fatalf("unassigned partitions: %v\nassignment: %v", missing, asg)
	}
}

// Unassigned lists the subscribed partitions that asg leaves out.
func Unassigned(members []core.AssignorMember, topics map[string]int32, asg map[string][]core.AssignorPartitions) []string {
	have := map[string]bool{}
	for _, ps := range asg {
		for _, tp := range ps {
			for _, p := range tp.Partitions {
				have[fmt.Sprintf("%s-%d", tp.Topic, p)] = true
			}
		}
	}
	var missing []string
	for _, m := range members {
		for _, topic := range m.Topics {
			for p := int32(0); p < topics[topic]; p++ {
				if k := fmt.Sprintf("%s-%d", topic, p); !have[k] {
					missing = append(missing, k)
					have[k] = true
				}
			}
		}
	}
	slices.Sort(missing)
	return missing
}

// Count returns how many partitions member has in asg.
func Count(asg map[string][]core.AssignorPartitions, member string) int {
	n := 0
	for _, tp := range asg[member] {
		n += len(tp.Partitions)
	}
	return n
}

// Spread returns the largest minus the smallest partition count over members.
func Spread(members []core.AssignorMember, asg map[string][]core.AssignorPartitions) int {
	lo, hi := int(^uint(0)>>1), 0
	for _, m := range members {
		n := Count(asg, m.MemberID)
		lo, hi = min(lo, n), max(hi, n)
	}
	return hi - lo
}

// Random returns a group of 1..maxMembers members over 1..maxTopics topics
// with 0..maxParts partitions each; when mixed, members subscribe to random
// non-empty subsets of the topics, otherwise all to all.
func Random(r *rand.Rand, maxMembers, maxTopics, maxParts int, mixed bool) ([]core.AssignorMember, map[string]int32) {
	topics := map[string]int32{}
	var names []string
	for i := range 1 + r.IntN(maxTopics) {
		name := fmt.Sprintf("t%d", i)
		topics[name] = int32(r.IntN(maxParts + 1))
		names = append(names, name)
	}
	var members []core.AssignorMember
	for i := range 1 + r.IntN(maxMembers) {
		subs := names
		if mixed {
			subs = nil
			for _, n := range names {
				if r.IntN(2) == 0 {
					subs = append(subs, n)
				}
			}
			if len(subs) == 0 {
				subs = names[r.IntN(len(names)):][:1]
			}
		}
		members = append(members, Member(fmt.Sprintf("m%03d", i), subs...))
	}
	return members, topics
}

// TP returns partitions of topic.
func TP(topic string, partitions ...int32) core.AssignorPartitions {
	return core.AssignorPartitions{Topic: topic, Partitions: partitions}
}
