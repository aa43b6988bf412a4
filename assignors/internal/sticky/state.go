package sticky

import (
	"cmp"
	"slices"

	"github.com/kafka3/kafka3-go/core"
)

// Member is a group member as the algorithm sees it: the plugin has already
// decided where its owned partitions and generation come from.
type Member struct {
	ID         string
	Topics     []string
	Owned      []core.AssignorPartitions
	Generation int32
}

// state is the assignment being built. Members and topics are numbered in
// sorted order and partitions globally (pid), topic by topic.
type state struct {
	ids       []string // member index -> id
	topics    []string // topic index -> name, subscribed topics that exist
	base      []int    // topic index -> pid of its partition 0; base[len(topics)] = #pids
	partTopic []int    // pid -> topic index
	subs      [][]int  // topic index -> subscribing members, ascending
	myTopics  [][]int  // member -> subscribed topic indexes, ascending
	held      [][][]int
	count     []int
	owner     []int   // pid -> member, or -1
	prev      []int   // pid -> member whose claim won, or -1
	prevGen   []int32 // pid -> generation of that claim
	contested map[int][]int

	// scratch for push
	parent, via []int
	visited     []bool
	queue       []int
}

func newState(members []Member, partitionsPerTopic map[string]int32) *state {
	sorted := slices.Clone(members)
	slices.SortFunc(sorted, func(a, b Member) int { return cmp.Compare(a.ID, b.ID) })
	s := &state{contested: map[int][]int{}}
	s.indexTopics(sorted, partitionsPerTopic)
	s.indexMembers(sorted)
	for m := range sorted {
		for _, tp := range sorted[m].Owned {
			s.claimTopic(m, tp, sorted[m].Generation)
		}
	}
	for pid, m := range s.prev {
		if m >= 0 {
			s.add(pid, m)
		}
	}
	return s
}

func (s *state) indexTopics(sorted []Member, partitionsPerTopic map[string]int32) {
	for _, m := range sorted {
		for _, t := range m.Topics {
			if partitionsPerTopic[t] > 0 {
				s.topics = append(s.topics, t)
			}
		}
	}
	slices.Sort(s.topics)
	s.topics = slices.Compact(s.topics)
	s.base = make([]int, len(s.topics)+1)
	for ti, t := range s.topics {
		n := int(partitionsPerTopic[t])
		s.base[ti+1] = s.base[ti] + n
		for range n {
			s.partTopic = append(s.partTopic, ti)
		}
	}
	pids := s.base[len(s.topics)]
	s.owner, s.prev, s.prevGen = filled(pids, -1), filled(pids, -1), make([]int32, pids)
}

func (s *state) indexMembers(sorted []Member) {
	n := len(sorted)
	s.ids = make([]string, n)
	s.myTopics, s.held, s.count = make([][]int, n), make([][][]int, n), make([]int, n)
	s.subs = make([][]int, len(s.topics))
	for m := range sorted {
		s.ids[m] = sorted[m].ID
		for _, t := range sorted[m].Topics {
			if ti, ok := slices.BinarySearch(s.topics, t); ok {
				s.myTopics[m] = append(s.myTopics[m], ti)
			}
		}
		slices.Sort(s.myTopics[m])
		s.myTopics[m] = slices.Compact(s.myTopics[m])
		s.held[m] = make([][]int, len(s.myTopics[m]))
		for _, ti := range s.myTopics[m] {
			s.subs[ti] = append(s.subs[ti], m)
		}
	}
	s.parent, s.via, s.visited = make([]int, n), make([]int, n), make([]bool, n)
}

// claimTopic records member m's claim on the partitions of tp that exist and
// that m still subscribes to.
func (s *state) claimTopic(m int, tp core.AssignorPartitions, gen int32) {
	ti, ok := slices.BinarySearch(s.topics, tp.Topic)
	if !ok || s.slot(m, ti) < 0 {
		return
	}
	n := s.base[ti+1] - s.base[ti]
	for _, p := range tp.Partitions {
		if p >= 0 && int(p) < n {
			s.claim(s.base[ti]+int(p), m, gen)
		}
	}
}

// claim resolves one claim: the highest generation wins; at equal
// generations the first claimant (lowest member id) keeps the partition and
// the others are recorded as co-owners.
func (s *state) claim(pid, m int, gen int32) {
	switch cur := s.prev[pid]; {
	case cur < 0 || gen > s.prevGen[pid]:
		s.prev[pid], s.prevGen[pid] = m, gen
		delete(s.contested, pid)
	case gen == s.prevGen[pid] && cur != m:
		if s.contested[pid] == nil {
			s.contested[pid] = []int{cur}
		}
		if !slices.Contains(s.contested[pid], m) {
			s.contested[pid] = append(s.contested[pid], m)
		}
	}
}

// slot returns the position of topic ti among member m's topics, or -1.
func (s *state) slot(m, ti int) int {
	if k, ok := slices.BinarySearch(s.myTopics[m], ti); ok {
		return k
	}
	return -1
}

func (s *state) add(pid, m int) {
	k := s.slot(m, s.partTopic[pid])
	s.held[m][k] = append(s.held[m][k], pid)
	s.owner[pid] = m
	s.count[m]++
}

func (s *state) remove(pid, m int) {
	k := s.slot(m, s.partTopic[pid])
	h := s.held[m][k]
	i := slices.Index(h, pid)
	h[i] = h[len(h)-1]
	s.held[m][k] = h[:len(h)-1]
	s.owner[pid] = -1
	s.count[m]--
}

func filled(n, v int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = v
	}
	return s
}
