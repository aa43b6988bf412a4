// Package assign holds the helpers the assignor plugins share: the Java
// client's member order and an assignment builder.
package assign

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/kafka3/kafka3-go/core"
)

// JavaOrder returns the members sorted as Java's AbstractPartitionAssignor
// MemberInfo sorts them: static members (with a group instance id) first, by
// instance id, then dynamic members by member id. The input is not modified.
func JavaOrder(members []core.AssignorMember) []core.AssignorMember {
	sorted := slices.Clone(members)
	slices.SortStableFunc(sorted, compareJava)
	return sorted
}

func compareJava(a, b core.AssignorMember) int {
	switch {
	case a.InstanceID != nil && b.InstanceID != nil:
		if c := cmp.Compare(*a.InstanceID, *b.InstanceID); c != 0 {
			return c
		}
		return cmp.Compare(a.MemberID, b.MemberID)
	case a.InstanceID != nil:
		return -1
	case b.InstanceID != nil:
		return 1
	}
	return cmp.Compare(a.MemberID, b.MemberID)
}

// Subscribes reports whether m subscribes to topic.
func Subscribes(m *core.AssignorMember, topic string) bool {
	return slices.Contains(m.Topics, topic)
}

// SubscribedTopics returns the sorted, de-duplicated topics that at least one
// member subscribes to and that exist in partitionsPerTopic.
func SubscribedTopics(members []core.AssignorMember, partitionsPerTopic map[string]int32) []string {
	var topics []string
	for i := range members {
		for _, t := range members[i].Topics {
			if _, ok := partitionsPerTopic[t]; ok {
				topics = append(topics, t)
			}
		}
	}
	slices.Sort(topics)
	return slices.Compact(topics)
}

// Builder accumulates an assignment. The zero value is not usable: use
// NewBuilder.
type Builder struct {
	byMember map[string]map[string][]int32
}

// NewBuilder returns a builder in which every member has an empty assignment.
func NewBuilder(members []core.AssignorMember) *Builder {
	b := &Builder{byMember: make(map[string]map[string][]int32, len(members))}
	for i := range members {
		b.byMember[members[i].MemberID] = map[string][]int32{}
	}
	return b
}

// Add gives partition p of topic to member.
func (b *Builder) Add(member, topic string, p int32) {
	b.byMember[member][topic] = append(b.byMember[member][topic], p)
}

// Result returns the assignment with topics and partitions in ascending
// order, as the core.Assignor contract requires.
func (b *Builder) Result() map[string][]core.AssignorPartitions {
	out := make(map[string][]core.AssignorPartitions, len(b.byMember))
	for member, topics := range b.byMember {
		out[member] = Sorted(topics)
	}
	return out
}

// Sorted converts a topic -> partitions map into the sorted slice form.
func Sorted(topics map[string][]int32) []core.AssignorPartitions {
	list := make([]core.AssignorPartitions, 0, len(topics))
	for t, ps := range topics {
		if len(ps) == 0 {
			continue
		}
		ps = slices.Clone(ps)
		slices.Sort(ps)
		list = append(list, core.AssignorPartitions{Topic: t, Partitions: ps})
	}
	slices.SortFunc(list, func(a, b core.AssignorPartitions) int { return cmp.Compare(a.Topic, b.Topic) })
	return list
}

// CheckMembers rejects member lists that no coordinator sends: an empty or
// repeated member id. prefix names the assignor in the error.
func CheckMembers(prefix string, members []core.AssignorMember) error {
	seen := make(map[string]bool, len(members))
	for i := range members {
		id := members[i].MemberID
		if id == "" {
			return fmt.Errorf("%s: member %d has an empty member id: pass the ids from the JoinGroup response", prefix, i)
		}
		if seen[id] {
			return fmt.Errorf("%s: member id %q appears twice: pass each group member once", prefix, id)
		}
		seen[id] = true
	}
	return nil
}
