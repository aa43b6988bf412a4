package cluster

import (
	"context"
	"fmt"

	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// ProduceBuffers are what a Produce request is encoded into and its
// response decoded into (see DoProduce), reused from one request to the
// next: the body around the record batches, the batches' places in it, the
// response. The zero value is ready; one caller uses it at a time.
type ProduceBuffers struct {
	body    []byte
	inserts []wire.Insert
	resp    protocol.ProduceResponse
}

// DoProduce sends a Produce request to broker id over the produce lane, at
// the highest version both sides support up to maxVersion, and decodes the
// response; for acks=0 the response is nil. It fails, sending nothing, when
// that version is below minVersion: the caller encoded the batches for a
// version the broker no longer speaks (it was replaced by an older one
// since), and must encode them again. It encodes and decodes in bufs
// instead of new slices, so that a caller sending requests in a loop, such
// as the producer's sender, allocates little per request: the response is
// bufs' own, valid until bufs is used again. It does not copy
// the partitions' record batches into the body: they are written from the
// caller's slices (wire.Request.Inserts), which must stay unchanged until
// DoProduce returns. The body of the response is recycled: its
// UnknownTaggedFields must not be used.
//
// onSend, if not nil, is called once the request is written, before its
// response is awaited; it is not called if DoProduce fails before. A caller
// that issues requests one after another from several goroutines can chain
// them on it (each waits for the previous one's onSend) so that they are
// written in order, as the idempotent producer needs.
func (c *Cluster) DoProduce(ctx context.Context, id int32, req *protocol.ProduceRequest, minVersion, maxVersion int16, bufs *ProduceBuffers, onSend func()) (*protocol.ProduceResponse, error) {
	n, err := c.nodeByID(id)
	if err != nil {
		return nil, err
	}
	ctx, cancel := c.requestContext(ctx, req.Key())
	defer cancel()
	conn, err := n.broker.Conn(ctx, wire.LaneProduce)
	if err != nil {
		return nil, err
	}
	version, err := n.versions.Load().PickUpTo(req, maxVersion, n.addr)
	if err != nil {
		return nil, err
	}
	if version < minVersion {
		return nil, fmt.Errorf("cluster: broker %s speaks Produce up to v%d now, below the v%d the batches were encoded for; encode them again and retry", n.addr, version, minVersion)
	}
	if err := checkStrings(req, version); err != nil {
		return nil, err
	}
	wreq := produceRequest(req, version, bufs)
	defer clear(bufs.inserts) // let the batches go
	call, err := conn.Start(ctx, wreq)
	if err != nil {
		return nil, fmt.Errorf("Produce to %s: %w", n.addr, err)
	}
	if onSend != nil {
		onSend()
	}
	wresp, err := call.Wait(ctx)
	if err != nil {
		return nil, fmt.Errorf("Produce to %s: %w", n.addr, err)
	}
	if wreq.NoResponse {
		return nil, nil
	}
	resp := &bufs.resp
	err = resp.Decode(wresp.Body, version)
	// A decoded ProduceResponse aliases its body only in unknown tagged
	// fields, which the producer ignores: recycle the body.
	wresp.Release()
	if err != nil {
		return nil, fmt.Errorf("cluster: Produce v%d response from %s: %w", version, n.addr, err)
	}
	return resp, nil
}

// produceRequest frames req at version in bufs.
func produceRequest(req *protocol.ProduceRequest, version int16, bufs *ProduceBuffers) *wire.Request {
	bufs.body, bufs.inserts = appendProduce(bufs.body[:0], bufs.inserts[:0], req, version)
	return &wire.Request{
		Key:                   req.Key(),
		Version:               version,
		HeaderVersion:         req.RequestHeaderVersion(version),
		ResponseHeaderVersion: bufs.resp.ResponseHeaderVersion(version),
		Body:                  bufs.body,
		Inserts:               bufs.inserts,
		NoResponse:            req.Acks == 0,
	}
}
