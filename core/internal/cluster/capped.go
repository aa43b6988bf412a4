package cluster

import (
	"context"

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
	return c.doNode(ctx, n, lane, req, maxVersion)
}
