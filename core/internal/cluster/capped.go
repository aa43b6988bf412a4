package cluster

import (
	"context"
	"fmt"

	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// DoCapped is Do with the version capped at maxVersion: for requests whose
// newest versions need data the caller may lack, such as the topic ids of
// OffsetCommit and OffsetFetch v10. It fails with kerr.UnsupportedVersion
// when the broker supports no version up to maxVersion.
func (c *Cluster) DoCapped(ctx context.Context, id int32, lane wire.Lane, req protocol.Request, maxVersion int16) (protocol.Response, error) {
	n, err := c.nodeByID(id)
	if err != nil {
		return nil, err
	}
	ctx, cancel := c.requestContext(ctx, req.Key())
	defer cancel()
	conn, err := n.broker.Conn(ctx, lane)
	if err != nil {
		return nil, err
	}
	version, err := n.versions.Load().PickUpTo(req, maxVersion, n.addr)
	if err != nil {
		return nil, err
	}
	wreq, err := wireRequest(req, version, nil)
	if err != nil {
		return nil, err
	}
	wresp, err := conn.RoundTrip(ctx, wreq)
	if err != nil {
		return nil, fmt.Errorf("%s to %s: %w", protocol.APIName(req.Key()), n.addr, err)
	}
	resp := req.NewResponse()
	if err := resp.Decode(wresp.Body, version); err != nil {
		return nil, fmt.Errorf("cluster: %s v%d response from %s: %w", protocol.APIName(req.Key()), version, n.addr, err)
	}
	return resp, nil
}
