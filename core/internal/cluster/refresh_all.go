package cluster

import (
	"context"

	"github.com/kafka3/kafka3-go/core/protocol"
)

// RefreshAll asks any broker for the metadata of every topic and replaces
// the cache with it: for regular-expression subscriptions and for mapping
// the topic ids of KIP-848 assignments to names.
//
// (Refresh(ctx, nil, ...) cannot do this: MetadataRequest.Default leaves
// Topics an empty, non-nil slice, which asks for no topic at all.)
func (c *Cluster) RefreshAll(ctx context.Context) (*Metadata, error) {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	req := &protocol.MetadataRequest{}
	req.Default()
	req.Topics, req.AllowAutoTopicCreation = nil, false
	resp, _, err := c.DoAny(ctx, req)
	if err != nil {
		return nil, err
	}
	next := fromResponse(resp.(*protocol.MetadataResponse))
	c.meta.Store(next)
	c.updateNodes(next)
	return next, nil
}
