package cluster

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Broker is one broker as the cluster's metadata describes it.
type Broker struct {
	ID   int32
	Host string
	Port int32
	Rack string // empty when none
}

// Addr is the broker's host:port.
func (b Broker) Addr() string { return fmt.Sprintf("%s:%d", b.Host, b.Port) }

// Partition is one partition's routing state.
type Partition struct {
	ID          int32
	Leader      int32 // -1 when there is none
	LeaderEpoch int32 // -1 when unknown
	Replicas    []int32
	ISR         []int32
	Offline     []int32
	Err         error // the partition's error in the last metadata, if any
}

// Topic is one topic's metadata.
type Topic struct {
	Name       string
	ID         [16]byte
	Internal   bool
	Err        error       // e.g. UNKNOWN_TOPIC_OR_PARTITION, TOPIC_AUTHORIZATION_FAILED
	Partitions []Partition // indexed by partition id
}

// Metadata is an immutable snapshot of the cluster's metadata. Clients read
// it without locks; a refresh replaces it whole.
type Metadata struct {
	ClusterID  string
	Controller int32
	Brokers    map[int32]Broker
	Topics     map[string]*Topic
	Fetched    time.Time
}

// Leader returns the leader of a partition and its epoch, or ok false when
// the topic or partition is unknown or has no leader.
func (m *Metadata) Leader(topic string, partition int32) (leader, epoch int32, ok bool) {
	t := m.Topics[topic]
	if t == nil || partition < 0 || int(partition) >= len(t.Partitions) {
		return -1, -1, false
	}
	p := &t.Partitions[partition]
	if p.Leader < 0 {
		return -1, p.LeaderEpoch, false
	}
	if _, known := m.Brokers[p.Leader]; !known {
		return -1, p.LeaderEpoch, false
	}
	return p.Leader, p.LeaderEpoch, true
}

// BrokerIDs returns the known broker ids in ascending order.
func (m *Metadata) BrokerIDs() []int32 {
	ids := make([]int32, 0, len(m.Brokers))
	for id := range m.Brokers {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// merge returns a new snapshot with next's topics replacing m's, keeping
// m's other topics unless all (next then lists every topic): a refresh of
// some topics does not forget the rest. A partition whose leader epoch in
// next is older than m's keeps m's state (KIP-320): a broker cut off from
// the cluster still describes the leaders it knew, and its answer must not
// send clients back to a leader the cluster has replaced.
func (m *Metadata) merge(next *Metadata, all bool) *Metadata {
	if m == nil {
		return next
	}
	merged := *next
	merged.Topics = make(map[string]*Topic, len(m.Topics)+len(next.Topics))
	if !all {
		for name, t := range m.Topics {
			merged.Topics[name] = t
		}
	}
	for name, t := range next.Topics {
		merged.Topics[name] = newerLeaders(m.Topics[name], t)
	}
	return &merged
}

// newerLeaders returns next, or a copy of it keeping the partitions of old
// whose leader epoch is newer. Only a topic known by the same id in both is
// compared: without ids (brokers before 2.8) a topic deleted and created
// again restarts its epochs, and would keep the old topic's leaders.
func newerLeaders(old, next *Topic) *Topic {
	if old == nil || next.ID == ([16]byte{}) || old.ID != next.ID {
		return next
	}
	var out *Topic
	for i := range min(len(old.Partitions), len(next.Partitions)) {
		o, n := &old.Partitions[i], &next.Partitions[i]
		if n.LeaderEpoch < 0 || o.LeaderEpoch <= n.LeaderEpoch {
			continue
		}
		if out == nil {
			cp := *next
			cp.Partitions = slices.Clone(next.Partitions)
			out = &cp
		}
		out.Partitions[i] = *o
	}
	if out == nil {
		return next
	}
	return out
}
