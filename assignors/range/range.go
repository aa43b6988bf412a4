package rangeassignor

import (
	"github.com/kafka3/kafka3-go/assignors/internal/assign"
	"github.com/kafka3/kafka3-go/core"
)

// Name is the JoinGroup protocol name of this assignor.
const Name = "range"

func init() { core.RegisterAssignor(New()) }

// Assignor is the range assignor. It is stateless and safe for concurrent use.
type Assignor struct{}

// New returns the range assignor.
func New() *Assignor { return &Assignor{} }

// Name returns "range".
func (*Assignor) Name() string { return Name }

// Cooperative reports false: like Java's RangeAssignor, range may move a
// partition between members in one rebalance, so a group that lists it uses
// the eager protocol.
func (*Assignor) Cooperative() bool { return false }

// UserData returns nil: range sends no user data.
func (*Assignor) UserData([]string, []core.AssignorPartitions, int32) []byte { return nil }

// Assign gives each member a contiguous range of every topic it subscribes to.
func (*Assignor) Assign(members []core.AssignorMember, partitionsPerTopic map[string]int32) (map[string][]core.AssignorPartitions, error) {
	if err := assign.CheckMembers("range", members); err != nil {
		return nil, err
	}
	sorted := assign.JavaOrder(members)
	b := assign.NewBuilder(members)
	for _, topic := range assign.SubscribedTopics(members, partitionsPerTopic) {
		var consumers []string
		for i := range sorted {
			if assign.Subscribes(&sorted[i], topic) {
				consumers = append(consumers, sorted[i].MemberID)
			}
		}
		assignTopic(b, topic, partitionsPerTopic[topic], consumers)
	}
	return b.Result(), nil
}

// assignTopic splits the n partitions of topic into len(consumers) ranges,
// the first n%len(consumers) one partition longer.
func assignTopic(b *assign.Builder, topic string, n int32, consumers []string) {
	c := int32(len(consumers))
	if n <= 0 || c == 0 {
		return
	}
	per, extra := n/c, n%c
	for i, member := range consumers {
		i := int32(i)
		start := i*per + min(i, extra)
		length := per
		if i < extra {
			length++
		}
		for p := start; p < start+length; p++ {
			b.Add(member, topic, p)
		}
	}
}
