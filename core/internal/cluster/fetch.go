package cluster

import (
	"context"
	"fmt"

	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// DoInto is Do for the consumer's fetch loop: it sends req to broker id on
// lane at the highest version both sides support, capped at maxVersion (for
// Fetch without topic ids, v12), encodes the request into buf (its capacity
// reused) and decodes the answer into resp, reusing resp's slices. It returns
// the version used, the buffer grown as needed (the caller's again once
// DoInto returns) and the raw response whose Body resp aliases: the caller
// calls raw.Release once nothing decoded from it is in use any more, or
// drops it for the GC.
func (c *Cluster) DoInto(ctx context.Context, id int32, lane wire.Lane, req protocol.Request, resp protocol.Response, maxVersion int16, buf []byte) (version int16, out []byte, raw *wire.Response, err error) {
	n, err := c.nodeByID(id)
	if err != nil {
		return 0, buf, nil, err
	}
	ctx, cancel := c.requestContext(ctx, req.Key())
	defer cancel()
	conn, err := n.broker.Conn(ctx, lane)
	if err != nil {
		return 0, buf, nil, err
	}
	version, err = n.versions.Load().Pick(req, n.addr)
	if err != nil {
		return 0, buf, nil, err
	}
	if version > maxVersion {
		lo, _, _ := n.versions.Load().Range(req.Key())
		if maxVersion < lo || maxVersion < req.MinVersion() {
			return 0, buf, nil, fmt.Errorf("cluster: broker %s needs %s v%d or later, which this request cannot use", n.addr, protocol.APIName(req.Key()), lo)
		}
		version = maxVersion
	}
	wreq, err := wireRequest(req, version, buf)
	if err != nil {
		return version, buf, nil, err
	}
	out = wreq.Body
	raw, err = conn.RoundTrip(ctx, wreq)
	if err != nil {
		return version, out, nil, fmt.Errorf("%s to %s: %w", protocol.APIName(req.Key()), n.addr, err)
	}
	if err := resp.Decode(raw.Body, version); err != nil {
		raw.Release()
		return version, out, nil, fmt.Errorf("cluster: %s v%d response from %s: %w", protocol.APIName(req.Key()), version, n.addr, err)
	}
	return version, out, raw, nil
}

// TopicByID returns the name of the topic with the given id in m, or ""
// when m does not know it.
func (m *Metadata) TopicByID(id [16]byte) string {
	if id == ([16]byte{}) {
		return ""
	}
	for name, t := range m.Topics {
		if t.ID == id {
			return name
		}
	}
	return ""
}
