package core

import (
	"context"
	"errors"

	"github.com/kafka3/kafka3-go/core/protocol"
)

// ConsumerTestRequestCapped sends req like Client.Request but at a version
// no higher than maxVersion: the consumer tests drive transactions with the
// pre-KIP-890 versions (AddPartitionsToTxn v3, Produce v11, EndTxn v4).
func ConsumerTestRequestCapped(ctx context.Context, c *Client, req protocol.Request, maxVersion int16) (protocol.Response, error) {
	id, err := route(ctx, c.cluster, req)
	if err != nil {
		return nil, err
	}
	if id == anyBroker {
		return nil, errors.New("core: ConsumerTestRequestCapped handles only routed requests")
	}
	resp := req.NewResponse()
	_, _, _, err = c.cluster.DoInto(ctx, id, laneFor(req.Key()), req, resp, maxVersion, nil)
	return resp, err
}
