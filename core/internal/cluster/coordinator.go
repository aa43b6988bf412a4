package cluster

import (
	"context"
	"fmt"

	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// Coordinator key types of FindCoordinator.
const (
	CoordinatorGroup       int8 = 0
	CoordinatorTransaction int8 = 1
	CoordinatorShare       int8 = 2
)

type coordKey struct {
	kind int8
	key  string
}

// Coordinator returns the broker id of the coordinator of a group or a
// transactional id, asking FindCoordinator when it is not cached.
func (c *Cluster) Coordinator(ctx context.Context, kind int8, key string) (int32, error) {
	ck := coordKey{kind, key}
	c.coordMu.Lock()
	id, ok := c.coords[ck]
	c.coordMu.Unlock()
	if ok {
		return id, nil
	}
	req := &protocol.FindCoordinatorRequest{}
	req.Default()
	req.KeyType, req.CoordinatorKey, req.CoordinatorKeys = kind, key, []string{key}
	resp, _, err := c.DoAny(ctx, req)
	if err != nil {
		return 0, err
	}
	r := resp.(*protocol.FindCoordinatorResponse)
	nodeID, host, port, code, msg := r.NodeId, r.Host, r.Port, r.ErrorCode, r.ErrorMessage
	if len(r.Coordinators) > 0 {
		co := r.Coordinators[0]
		nodeID, host, port, code, msg = co.NodeId, co.Host, co.Port, co.ErrorCode, co.ErrorMessage
	}
	if code != 0 {
		return 0, fmt.Errorf("cluster: finding the coordinator of %q: %w", key, kerr.WithMessage(code, msg))
	}
	c.addNode(nodeID, fmt.Sprintf("%s:%d", host, port))
	c.coordMu.Lock()
	c.coords[ck] = nodeID
	c.coordMu.Unlock()
	return nodeID, nil
}

// InvalidateCoordinator forgets a cached coordinator, after NOT_COORDINATOR,
// COORDINATOR_NOT_AVAILABLE or a network error.
func (c *Cluster) InvalidateCoordinator(kind int8, key string) {
	c.coordMu.Lock()
	delete(c.coords, coordKey{kind, key})
	c.coordMu.Unlock()
}

// addNode makes sure broker id is known at addr (coordinators may not be in
// the cached metadata yet).
func (c *Cluster) addNode(id int32, addr string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n := c.nodes[id]; c.closed || (n != nil && n.addr == addr) {
		return
	}
	if old := c.nodes[id]; old != nil {
		go old.broker.Close()
	}
	c.nodes[id] = c.newNode(id, addr)
}
