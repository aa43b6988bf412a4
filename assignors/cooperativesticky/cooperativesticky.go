package cooperativesticky

import (
	algo "github.com/kafka3/kafka3-go/assignors/internal/sticky"
	"github.com/kafka3/kafka3-go/core"
)

// Name is the JoinGroup protocol name of this assignor.
const Name = "cooperative-sticky"

func init() { core.RegisterAssignor(New()) }

// Assignor is the cooperative sticky assignor. It is stateless and safe for
// concurrent use.
type Assignor struct{}

// New returns the cooperative sticky assignor.
func New() *Assignor { return &Assignor{} }

// Name returns "cooperative-sticky".
func (*Assignor) Name() string { return Name }

// Cooperative reports true.
func (*Assignor) Cooperative() bool { return true }

// UserData encodes the member's generation as a big-endian int32, as Java's
// CooperativeStickyAssignor does for leaders that read subscriptions older
// than v2.
func (*Assignor) UserData(_ []string, _ []core.AssignorPartitions, generation int32) []byte {
	return algo.AppendGeneration(nil, generation)
}

// Assign computes the sticky assignment and leaves out the partitions that
// another member must revoke first.
func (*Assignor) Assign(members []core.AssignorMember, partitionsPerTopic map[string]int32) (map[string][]core.AssignorPartitions, error) {
	in := make([]algo.Member, len(members))
	for i := range members {
		m := &members[i]
		gen := m.Generation
		if gen == algo.NoGeneration {
			gen = algo.DecodeGeneration(m.UserData)
		}
		in[i] = algo.Member{ID: m.MemberID, Topics: m.Topics, Owned: m.OwnedPartitions, Generation: gen}
	}
	return algo.Assign("cooperative-sticky", in, partitionsPerTopic, true)
}
