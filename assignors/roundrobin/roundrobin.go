package roundrobin

import (
	"github.com/kafka3/kafka3-go/assignors/internal/assign"
	"github.com/kafka3/kafka3-go/core"
)

// Name is the JoinGroup protocol name of this assignor.
const Name = "roundrobin"

func init() { core.RegisterAssignor(New()) }

// Assignor is the round-robin assignor. It is stateless and safe for
// concurrent use.
type Assignor struct{}

// New returns the round-robin assignor.
func New() *Assignor { return &Assignor{} }

// Name returns "roundrobin".
func (*Assignor) Name() string { return Name }

// Cooperative reports false: like Java's RoundRobinAssignor, it may move
// partitions between members in one rebalance, so it needs the eager protocol.
func (*Assignor) Cooperative() bool { return false }

// UserData returns nil: roundrobin sends no user data.
func (*Assignor) UserData([]string, []core.AssignorPartitions, int32) []byte { return nil }

// Assign deals the sorted partitions out to the sorted members in turn.
func (*Assignor) Assign(members []core.AssignorMember, partitionsPerTopic map[string]int32) (map[string][]core.AssignorPartitions, error) {
	if err := assign.CheckMembers("roundrobin", members); err != nil {
		return nil, err
	}
	sorted := assign.JavaOrder(members)
	b := assign.NewBuilder(members)
	next := 0 // the member the circle points at
	for _, topic := range assign.SubscribedTopics(members, partitionsPerTopic) {
		for p := int32(0); p < partitionsPerTopic[topic]; p++ {
			// Some member subscribes to topic, so this ends within one turn.
			for !assign.Subscribes(&sorted[next], topic) {
				next = (next + 1) % len(sorted)
			}
			b.Add(sorted[next].MemberID, topic, p)
			next = (next + 1) % len(sorted)
		}
	}
	return b.Result(), nil
}
