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

// ConsumerTestFetchSessions returns the fetch session id the consumer holds
// with each broker (0: none), for tests of session handling. Call it while
// no Poll runs; it takes the consumer's lock.
func ConsumerTestFetchSessions(c *Consumer) map[int32]int32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[int32]int32{}
	for id, fb := range c.brokers {
		out[id] = fb.sess.id
	}
	return out
}
