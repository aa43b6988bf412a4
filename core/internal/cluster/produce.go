package cluster

import (
	"context"
	"fmt"

	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// DoBuffered is Do with the request body encoded into buf (its length is
// ignored, its capacity reused) instead of a new slice, so that a caller
// sending large requests in a loop, such as the producer's sender, can pool
// its encoding buffers. It returns the buffer grown as needed, which the
// caller owns again once DoBuffered returns: the connection does not retain
// it. For a Produce with acks=0 the response is nil. The body of a Produce
// response is recycled: its UnknownTaggedFields must not be used.
//
// onSend, if not nil, is called once the request is written, before its
// response is awaited; it is not called if DoBuffered fails before. A caller
// that issues requests one after another from several goroutines can chain
// them on it (each waits for the previous one's onSend) so that they are
// written in order, as the idempotent producer needs.
func (c *Cluster) DoBuffered(ctx context.Context, id int32, lane wire.Lane, req protocol.Request, buf []byte, onSend func()) (protocol.Response, []byte, error) {
	n, err := c.nodeByID(id)
	if err != nil {
		return nil, buf, err
	}
	ctx, cancel := c.requestContext(ctx, req.Key())
	defer cancel()
	conn, err := n.broker.Conn(ctx, lane)
	if err != nil {
		return nil, buf, err
	}
	version, err := n.versions.Load().Pick(req, n.addr)
	if err != nil {
		return nil, buf, err
	}
	wreq := wireRequest(req, version, buf)
	buf = wreq.Body
	call, err := conn.Start(ctx, wreq)
	if err == nil {
		if onSend != nil {
			onSend()
		}
		var wresp *wire.Response
		wresp, err = call.Wait(ctx)
		return c.decodeBuffered(req, n, version, wreq, wresp, buf, err)
	}
	return nil, buf, fmt.Errorf("%s to %s: %w", protocol.APIName(req.Key()), n.addr, err)
}

// decodeBuffered finishes DoBuffered once the response (or error) is in.
func (c *Cluster) decodeBuffered(req protocol.Request, n *node, version int16, wreq *wire.Request, wresp *wire.Response, buf []byte, err error) (protocol.Response, []byte, error) {
	if err != nil {
		return nil, buf, fmt.Errorf("%s to %s: %w", protocol.APIName(req.Key()), n.addr, err)
	}
	if wreq.NoResponse {
		return nil, buf, nil
	}
	resp := req.NewResponse()
	err = resp.Decode(wresp.Body, version)
	if req.Key() == 0 {
		// A decoded ProduceResponse aliases its body only in unknown tagged
		// fields, which the producer ignores: recycle the body.
		wresp.Release()
	}
	if err != nil {
		return nil, buf, fmt.Errorf("cluster: %s v%d response from %s: %w", protocol.APIName(req.Key()), version, n.addr, err)
	}
	return resp, buf, nil
}
