package sticky

import (
	"reflect"
	"testing"

	at "github.com/kafka3/kafka3-go/assignors/internal/assigntest"
	"github.com/kafka3/kafka3-go/core"
)

func TestRegistered(t *testing.T) {
	t.Parallel()
	a, err := core.AssignorByName("org.apache.kafka.clients.consumer.StickyAssignor")
	if err != nil || a.Name() != "sticky" || a.Cooperative() {
		t.Fatalf("AssignorByName = %v, %v", a, err)
	}
}

// The previous assignment travels in the user data (eager protocol: the
// subscription's owned partitions are empty after revoking).
func TestStickyThroughUserData(t *testing.T) {
	t.Parallel()
	a := New()
	if a.UserData([]string{"t"}, nil, -1) != nil {
		t.Fatal("user data for a member that never had an assignment")
	}
	topics := map[string]int32{"t": 4}
	c0 := at.Member("c0", "t")
	c0.UserData = a.UserData([]string{"t"}, []core.AssignorPartitions{at.TP("t", 1, 3)}, 2)
	c1 := at.Member("c1", "t")
	c1.UserData = a.UserData([]string{"t"}, []core.AssignorPartitions{at.TP("t", 0, 2)}, 2)
	got := at.Run(t, a, []core.AssignorMember{c0, c1}, topics)
	want := map[string][]core.AssignorPartitions{"c0": {at.TP("t", 1, 3)}, "c1": {at.TP("t", 0, 2)}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	// An older generation's claim loses to a newer one (KIP-341).
	c0.UserData = a.UserData([]string{"t"}, []core.AssignorPartitions{at.TP("t", 0, 1, 2, 3)}, 1)
	got = at.Run(t, a, []core.AssignorMember{c0, c1}, topics)
	if !reflect.DeepEqual(got["c1"], want["c1"]) {
		t.Fatalf("stale claim won: %v", got)
	}
}

func TestFallsBackToSubscriptionAndSurvivesGarbage(t *testing.T) {
	t.Parallel()
	m := at.Member("c0", "t")
	m.OwnedPartitions, m.Generation = []core.AssignorPartitions{at.TP("t", 1)}, 3
	m.UserData = []byte{0xff} // not sticky user data: ignored
	got := at.Run(t, New(), []core.AssignorMember{m, at.Member("c1", "t")}, map[string]int32{"t": 2})
	want := map[string][]core.AssignorPartitions{"c0": {at.TP("t", 1)}, "c1": {at.TP("t", 0)}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}
