package sticky

import (
	algo "github.com/kafka3/kafka3-go/assignors/internal/sticky"
	"github.com/kafka3/kafka3-go/core"
)

// Name is the JoinGroup protocol name of this assignor.
const Name = "sticky"

func init() { core.RegisterAssignor(New()) }

// Assignor is the sticky assignor. It is stateless and safe for concurrent
// use: the member's previous assignment comes in through UserData's
// arguments.
type Assignor struct{}

// New returns the sticky assignor.
func New() *Assignor { return &Assignor{} }

// Name returns "sticky".
func (*Assignor) Name() string { return Name }

// Cooperative reports false: sticky is the eager variant.
func (*Assignor) Cooperative() bool { return false }

// UserData encodes the member's previous assignment and generation as Java's
// StickyAssignor does; nil for a member that has had no assignment yet
// (no partitions and generation -1).
func (*Assignor) UserData(_ []string, owned []core.AssignorPartitions, generation int32) []byte {
	if len(owned) == 0 && generation < 0 {
		return nil
	}
	return algo.AppendUserData(nil, owned, generation)
}

// Assign computes a balanced assignment that keeps as many partitions as
// possible with their previous owners.
func (*Assignor) Assign(members []core.AssignorMember, partitionsPerTopic map[string]int32) (map[string][]core.AssignorPartitions, error) {
	in := make([]algo.Member, len(members))
	for i := range members {
		in[i] = memberOf(&members[i])
	}
	return algo.Assign("sticky", in, partitionsPerTopic, false)
}

// memberOf takes the previous assignment from the user data, as Java does,
// or, when there is none that decodes, from the subscription.
func memberOf(m *core.AssignorMember) algo.Member {
	out := algo.Member{ID: m.MemberID, Topics: m.Topics, Owned: m.OwnedPartitions, Generation: m.Generation}
	if len(m.UserData) > 0 {
		if owned, gen, err := algo.DecodeUserData(m.UserData); err == nil {
			out.Owned, out.Generation = owned, gen
		}
	}
	return out
}
