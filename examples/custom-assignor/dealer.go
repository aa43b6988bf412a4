package main

import (
	"slices"
	"strings"

	"github.com/kafka3/kafka3-go/core"
)

// Dealer deals partitions like cards: members sorted by id, each topic's
// partitions handed out in turn, continuing where the last topic stopped.
// It is stateless, deterministic and safe for concurrent use.
type Dealer struct{}

// Name is the JoinGroup protocol name; every member must offer it.
func (Dealer) Name() string { return "dealer" }

// Cooperative is false: the eager protocol revokes everything before each
// rebalance, so no care is needed about partitions moving.
func (Dealer) Cooperative() bool { return false }

// UserData sends nothing to the leader.
func (Dealer) UserData([]string, []core.AssignorPartitions, int32) []byte { return nil }

// Assign deals each subscribed topic's partitions to its subscribers.
func (Dealer) Assign(members []core.AssignorMember, partitionsPerTopic map[string]int32) (map[string][]core.AssignorPartitions, error) {
	ms := slices.Clone(members)
	slices.SortFunc(ms, func(a, b core.AssignorMember) int { return strings.Compare(a.MemberID, b.MemberID) })
	out := make(map[string][]core.AssignorPartitions, len(ms))
	for _, m := range ms {
		out[m.MemberID] = nil
	}
	topics := make([]string, 0, len(partitionsPerTopic))
	for t := range partitionsPerTopic {
		topics = append(topics, t)
	}
	slices.Sort(topics)
	turn := 0
	for _, t := range topics {
		var subs []string
		for _, m := range ms {
			if slices.Contains(m.Topics, t) {
				subs = append(subs, m.MemberID)
			}
		}
		if len(subs) == 0 {
			continue
		}
		got := map[string][]int32{}
		for p := range partitionsPerTopic[t] {
			id := subs[turn%len(subs)]
			got[id] = append(got[id], p)
			turn++
		}
		for _, id := range subs {
			if len(got[id]) > 0 {
				out[id] = append(out[id], core.AssignorPartitions{Topic: t, Partitions: got[id]})
			}
		}
	}
	return out, nil
}
