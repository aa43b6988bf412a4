package sticky

import (
	"cmp"
	"slices"
)

// fill gives every unowned partition, most constrained first, to the
// eligible member with the fewest partitions.
func (s *state) fill() {
	var free []int
	for pid, m := range s.owner {
		if m < 0 {
			free = append(free, pid)
		}
	}
	slices.SortStableFunc(free, func(a, b int) int {
		return cmp.Compare(len(s.subs[s.partTopic[a]]), len(s.subs[s.partTopic[b]]))
	})
	for _, pid := range free {
		best := -1
		for _, m := range s.subs[s.partTopic[pid]] {
			if best < 0 || s.count[m] < s.count[best] {
				best = m
			}
		}
		s.add(pid, best)
	}
}

// balance applies shortest chains of moves, always from the fullest member
// that has one, until no member can shed a partition to one with two fewer.
// Taking from the fullest first means a member never gives away more than
// balance requires, nor receives after giving.
func (s *state) balance() {
	if len(s.ids) == 0 {
		return
	}
	order := make([]int, len(s.ids))
	for i := range order {
		order[i] = i
	}
	for {
		slices.SortStableFunc(order, func(a, b int) int {
			if c := cmp.Compare(s.count[b], s.count[a]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		low := slices.Min(s.count)
		moved := false
		for _, x := range order {
			if s.count[x] < low+2 {
				break
			}
			if s.push(x) {
				moved = true
				break
			}
		}
		if !moved {
			return
		}
	}
}

// push searches breadth first for a chain x -> ... -> y in which each
// member can take a partition from the previous one and y has at least two
// fewer partitions than x, and applies it.
func (s *state) push(x int) bool {
	clear(s.visited)
	s.visited[x], s.parent[x] = true, -1
	s.queue = append(s.queue[:0], x)
	limit := s.count[x] - 2
	for qi := 0; qi < len(s.queue); qi++ {
		u := s.queue[qi]
		for k, ti := range s.myTopics[u] {
			if len(s.held[u][k]) == 0 {
				continue
			}
			for _, v := range s.subs[ti] {
				if s.visited[v] {
					continue
				}
				s.visited[v], s.parent[v], s.via[v] = true, u, ti
				if s.count[v] <= limit {
					s.shift(v)
					return true
				}
				s.queue = append(s.queue, v)
			}
		}
	}
	return false
}

// shift applies the chain found by push, ending at member v.
func (s *state) shift(v int) {
	for u := s.parent[v]; u >= 0; v, u = u, s.parent[u] {
		pid := s.pick(u, v, s.via[v])
		s.remove(pid, u)
		s.add(pid, v)
	}
}

// pick chooses which of u's partitions of topic ti to give to v: one that
// was v's before if any, else one that was not u's before, else any.
func (s *state) pick(u, v, ti int) int {
	h := s.held[u][s.slot(u, ti)]
	best, bestScore := h[len(h)-1], -1
	for i := len(h) - 1; i >= 0; i-- {
		score := 0
		switch s.prev[h[i]] {
		case v:
			score = 2
		case u:
		default:
			score = 1
		}
		if score > bestScore {
			best, bestScore = h[i], score
		}
	}
	return best
}
