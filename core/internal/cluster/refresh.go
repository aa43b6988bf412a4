package cluster

import (
	"context"
	"time"

	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// Metadata returns the cached metadata, or nil before the first refresh.
// Callers must not modify it.
func (c *Cluster) Metadata() *Metadata { return c.meta.Load() }

// MetadataFor returns metadata that covers topics and is younger than the
// configured max age, refreshing it when needed. Topics that do not exist
// are in the result with their error.
func (c *Cluster) MetadataFor(ctx context.Context, topics []string, allowAutoCreate bool) (*Metadata, error) {
	if m := c.meta.Load(); m != nil && time.Since(m.Fetched) < c.opts.MetadataMaxAge && covers(m, topics) {
		return m, nil
	}
	return c.Refresh(ctx, topics, allowAutoCreate)
}

func covers(m *Metadata, topics []string) bool {
	for _, t := range topics {
		if tm := m.Topics[t]; tm == nil || tm.Err != nil {
			return false
		}
	}
	return true
}

// Refresh asks any broker for the metadata of topics (all topics when nil)
// and merges it into the cache. Concurrent refreshes wait for one another,
// so a storm of errors causes one request at a time, not one each.
func (c *Cluster) Refresh(ctx context.Context, topics []string, allowAutoCreate bool) (*Metadata, error) {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	req := &protocol.MetadataRequest{}
	req.Default()
	req.AllowAutoTopicCreation = allowAutoCreate
	req.Topics = nil // null: every topic; Default leaves an empty list, which means none
	if topics != nil {
		req.Topics = make([]protocol.MetadataRequestTopic, len(topics))
		for i := range topics {
			req.Topics[i].Name = &topics[i]
		}
	}
	resp, _, err := c.DoAny(ctx, req)
	if err != nil {
		return nil, err
	}
	next := fromResponse(resp.(*protocol.MetadataResponse))
	merged := c.meta.Load().merge(next, topics == nil)
	c.meta.Store(merged)
	c.updateNodes(merged)
	return merged, nil
}

// fromResponse turns a Metadata response into a snapshot.
func fromResponse(r *protocol.MetadataResponse) *Metadata {
	m := &Metadata{
		Controller: r.ControllerId,
		Brokers:    make(map[int32]Broker, len(r.Brokers)),
		Topics:     make(map[string]*Topic, len(r.Topics)),
		Fetched:    time.Now(),
	}
	if r.ClusterId != nil {
		m.ClusterID = *r.ClusterId
	}
	for _, b := range r.Brokers {
		br := Broker{ID: b.NodeId, Host: b.Host, Port: b.Port}
		if b.Rack != nil {
			br.Rack = *b.Rack
		}
		m.Brokers[b.NodeId] = br
	}
	for i := range r.Topics {
		t := &r.Topics[i]
		if t.Name == nil {
			continue
		}
		m.Topics[*t.Name] = topicFromResponse(t)
	}
	return m
}

func topicFromResponse(t *protocol.MetadataResponseTopic) *Topic {
	out := &Topic{Name: *t.Name, ID: t.TopicId, Internal: t.IsInternal, Err: kerr.ForCode(t.ErrorCode)}
	n := 0
	for _, p := range t.Partitions {
		n = max(n, int(p.PartitionIndex)+1)
	}
	out.Partitions = make([]Partition, n)
	for i := range out.Partitions {
		out.Partitions[i] = Partition{ID: int32(i), Leader: -1, LeaderEpoch: -1, Err: kerr.LeaderNotAvailable}
	}
	for _, p := range t.Partitions {
		if p.PartitionIndex < 0 {
			continue
		}
		out.Partitions[p.PartitionIndex] = Partition{
			ID: p.PartitionIndex, Leader: p.LeaderId, LeaderEpoch: p.LeaderEpoch,
			Replicas: p.ReplicaNodes, ISR: p.IsrNodes, Offline: p.OfflineReplicas,
			Err: kerr.ForCode(p.ErrorCode),
		}
	}
	return out
}

// updateNodes replaces the connections of brokers whose address changed.
func (c *Cluster) updateNodes(m *Metadata) {
	c.mu.Lock()
	var stale []*node
	for id, n := range c.nodes {
		if b, ok := m.Brokers[id]; id >= 0 && ok && b.Addr() != n.addr {
			stale = append(stale, n)
			delete(c.nodes, id)
		}
	}
	c.mu.Unlock()
	for _, n := range stale {
		_ = n.broker.Close()
	}
}
