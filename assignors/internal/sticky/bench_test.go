package sticky

import (
	"fmt"
	"testing"

	"github.com/kafka3/kafka3-go/core"
)

// benchGroup is 100 members subscribing to 10 topics of 100 partitions.
func benchGroup() ([]Member, map[string]int32) {
	topics := map[string]int32{}
	var names []string
	for i := range 10 {
		names = append(names, fmt.Sprintf("topic-%d", i))
		topics[names[i]] = 100
	}
	members := make([]Member, 100)
	for i := range members {
		members[i] = Member{ID: fmt.Sprintf("consumer-%03d", i), Topics: names, Generation: -1}
	}
	return members, topics
}

func BenchmarkAssignFresh100x1000(b *testing.B) {
	members, topics := benchGroup()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Assign("bench", members, topics, false); err != nil {
			b.Fatal(err)
		}
	}
}

// One member leaves, one joins: the rebalance a rolling restart causes.
func BenchmarkRebalance100x1000(b *testing.B) {
	for _, coop := range []bool{false, true} {
		b.Run(fmt.Sprintf("coop=%v", coop), func(b *testing.B) {
			members, topics := benchGroup()
			prev, _ := Assign("bench", members, topics, false)
			for i := range members {
				members[i].Owned, members[i].Generation = prev[members[i].ID], 1
			}
			members[0] = Member{ID: "consumer-new", Topics: members[0].Topics, Generation: -1}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Assign("bench", members, topics, coop); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Skewed: one member owned everything and 99 join.
func BenchmarkRebalanceSkewed100x1000(b *testing.B) {
	members, topics := benchGroup()
	var all []core.AssignorPartitions
	for t, n := range topics {
		ps := make([]int32, n)
		for i := range ps {
			ps[i] = int32(i)
		}
		all = append(all, core.AssignorPartitions{Topic: t, Partitions: ps})
	}
	members[0].Owned, members[0].Generation = all, 1
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Assign("bench", members, topics, false); err != nil {
			b.Fatal(err)
		}
	}
}
