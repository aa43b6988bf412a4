package cluster

import "testing"

// A broker cut off from the cluster answers Metadata with the leaders it
// knew: its older leader epochs must not replace newer ones (KIP-320),
// while a newer epoch, another topic id or an epoch-less answer does.
func TestMergeKeepsNewerLeaderEpochs(t *testing.T) {
	t.Parallel()
	topic := func(id byte, epochs ...int32) *Metadata {
		tp := &Topic{Name: "t", ID: [16]byte{id}}
		for i, e := range epochs {
			tp.Partitions = append(tp.Partitions, Partition{ID: int32(i), Leader: 10 + e, LeaderEpoch: e})
		}
		return &Metadata{Topics: map[string]*Topic{"t": tp}}
	}
	leaders := func(m *Metadata) []int32 {
		var out []int32
		for _, p := range m.Topics["t"].Partitions {
			out = append(out, p.Leader)
		}
		return out
	}
	fresh := topic(1, 5, 7, 3)
	cases := []struct {
		name string
		next *Metadata
		all  bool
		want []int32
	}{
		{"a stale answer keeps the newer leaders", topic(1, 4, 7, 2), false, []int32{15, 17, 13}},
		{"a stale answer to an all-topics refresh too", topic(1, 4, 7, 2), true, []int32{15, 17, 13}},
		{"newer epochs replace", topic(1, 6, 8, 3), false, []int32{16, 18, 13}},
		{"unknown epochs replace", topic(1, -1, -1, -1), false, []int32{9, 9, 9}},
		{"a topic created again replaces", topic(2, 0, 0, 0), false, []int32{10, 10, 10}},
	}
	for _, c := range cases {
		got := leaders(fresh.merge(c.next, c.all))
		if len(got) != len(c.want) {
			t.Fatalf("%s: leaders %v, want %v", c.name, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: leaders %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
	if leaders(fresh)[0] != 15 {
		t.Error("merge changed the snapshot it was called on")
	}
}
