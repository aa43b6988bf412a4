package core

import (
	"context"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// SendEmptyProduce sends a Produce request without partitions to broker id
// at a version from lo to hi, as the producer's requests go.
func SendEmptyProduce(ctx context.Context, p *Producer, id int32, lo, hi int16) error {
	var bufs cluster.ProduceBuffers
	_, err := p.cl.DoProduce(ctx, id, &protocol.ProduceRequest{Acks: -1, TimeoutMs: 1000}, lo, hi, &bufs, nil)
	return err
}

// VersionsFor is versionsFor.
func VersionsFor(p *Producer, version, maxVersion int16) (lo, hi int16) {
	return p.versionsFor(version, maxVersion)
}
