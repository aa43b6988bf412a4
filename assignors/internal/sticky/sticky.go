package sticky

import (
	"fmt"
	"slices"

	"github.com/kafka3/kafka3-go/core"
)

// Assign computes the sticky assignment of partitionsPerTopic to members.
// With cooperative set, partitions that would change owner in this round are
// left out (see the package doc). prefix names the assignor in errors.
// Every member id gets an entry; partitions are sorted by topic and number.
func Assign(prefix string, members []Member, partitionsPerTopic map[string]int32, cooperative bool) (map[string][]core.AssignorPartitions, error) {
	seen := make(map[string]bool, len(members))
	for i := range members {
		id := members[i].ID
		if id == "" || seen[id] {
			return nil, fmt.Errorf("%s: member id %q is empty or repeated: pass each group member once with its JoinGroup member id", prefix, id)
		}
		seen[id] = true
	}
	s := newState(members, partitionsPerTopic)
	s.fill()
	s.balance()
	return s.result(cooperative), nil
}

// result converts the state into the plugin's output form.
func (s *state) result(cooperative bool) map[string][]core.AssignorPartitions {
	lists := make([][]core.AssignorPartitions, len(s.ids))
	for pid, m := range s.owner {
		if cooperative && s.stillOwnedByOther(pid, m) {
			continue
		}
		ti := s.partTopic[pid]
		l := lists[m]
		if len(l) == 0 || l[len(l)-1].Topic != s.topics[ti] {
			l = append(l, core.AssignorPartitions{Topic: s.topics[ti]})
		}
		last := &l[len(l)-1]
		last.Partitions = append(last.Partitions, int32(pid-s.base[ti]))
		lists[m] = l
	}
	out := make(map[string][]core.AssignorPartitions, len(s.ids))
	for m, id := range s.ids {
		out[id] = lists[m]
		if out[id] == nil {
			out[id] = []core.AssignorPartitions{}
		}
	}
	return out
}

// stillOwnedByOther reports whether a member other than m holds a valid
// claim on pid and m does not, so that m must wait for its revocation.
func (s *state) stillOwnedByOther(pid, m int) bool {
	owner := s.prev[pid]
	return owner >= 0 && owner != m && !slices.Contains(s.contested[pid], m)
}
