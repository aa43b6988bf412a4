package cooperativesticky

import (
	"encoding/hex"
	"testing"

	at "github.com/kafka3/kafka3-go/assignors/internal/assigntest"
	"github.com/kafka3/kafka3-go/core"
)

func TestRegistered(t *testing.T) {
	t.Parallel()
	a, err := core.AssignorByName("cooperative-sticky")
	if err != nil || a.Name() != "cooperative-sticky" || !a.Cooperative() {
		t.Fatalf("AssignorByName = %v, %v", a, err)
	}
	if got := hex.EncodeToString(a.UserData(nil, nil, 7)); got != "00000007" {
		t.Fatalf("user data %s", got)
	}
}

// A new member gets nothing the old owner has not revoked yet; the
// follow-up rebalance, after the revocation, completes the hand-over.
func TestTwoRoundHandOver(t *testing.T) {
	t.Parallel()
	a := New()
	topics := map[string]int32{"t": 4}
	old := at.Member("a", "t")
	old.OwnedPartitions, old.Generation = []core.AssignorPartitions{at.TP("t", 0, 1, 2, 3)}, 5
	members := []core.AssignorMember{old, at.Member("b", "t")}
	first := at.Run(t, a, members, topics)
	if at.Count(first, "a") != 2 || at.Count(first, "b") != 0 {
		t.Fatalf("round 1: %v", first)
	}
	members[0].OwnedPartitions, members[0].Generation = first["a"], 6
	second := at.Run(t, a, members, topics)
	at.Complete(t, members, topics, second)
	if at.Count(second, "a") != 2 || at.Count(second, "b") != 2 {
		t.Fatalf("round 2: %v", second)
	}
}

// Subscriptions v0/v1 carry no generation: it comes from the user data.
func TestGenerationFromUserData(t *testing.T) {
	t.Parallel()
	a := New()
	stale := at.Member("a", "t")
	stale.OwnedPartitions, stale.UserData = []core.AssignorPartitions{at.TP("t", 0)}, a.UserData(nil, nil, 1)
	fresh := at.Member("b", "t")
	fresh.OwnedPartitions, fresh.UserData = []core.AssignorPartitions{at.TP("t", 0)}, a.UserData(nil, nil, 2)
	got := at.Run(t, a, []core.AssignorMember{stale, fresh}, map[string]int32{"t": 1})
	if at.Count(got, "b") != 1 {
		t.Fatalf("newer generation lost: %v", got)
	}
}
