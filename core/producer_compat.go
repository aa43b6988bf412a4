package core

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/core/record"
)

// Producing to old brokers. The producer builds RecordBatch v2 (magic 2,
// Kafka 0.11+) and, when the leader's negotiated Produce version is below 3
// (a broker older than 0.11), re-encodes each batch of the request as a
// legacy message set just before sending it: magic 1 for Produce v2 (Kafka
// 0.10.x), magic 0 for Produce v0 and v1. What such a broker cannot take
// fails with an error that says so: headers (ErrHeadersUnsupported, at Send
// once the leader's versions are known), idempotence (ErrIdempotenceUnsupported,
// at the first Send), zstd (ErrCompressionUnsupported, Produce v7 / Kafka 2.1).

// Produce versions that mark format boundaries.
const (
	produceV2Batches = 3 // RecordBatch v2, headers, idempotence (Kafka 0.11)
	produceMagic1    = 2 // message format v1, with timestamps (Kafka 0.10)
	produceZstd      = 7 // zstd (Kafka 2.1)
)

var (
	// ErrIdempotenceUnsupported is the error of every Send of an idempotent
	// producer (the default) whose brokers predate Kafka 0.11, which has no
	// InitProducerId API: set ProducerConfig.DisableIdempotence
	// (enable.idempotence=false) to produce to them.
	ErrIdempotenceUnsupported = errors.New("core: the idempotent producer (the default) needs Kafka 0.11 or newer (InitProducerId); set ProducerConfig.DisableIdempotence (enable.idempotence=false) to produce to an older broker")
	// ErrHeadersUnsupported is the error of a record with headers sent to a
	// partition whose leader predates Kafka 0.11 (message formats 0 and 1
	// have no headers).
	ErrHeadersUnsupported = errors.New("core: record headers need Kafka 0.11 or newer (RecordBatch v2)")
	// ErrCompressionUnsupported is the error of a record compressed with a
	// codec the partition's leader does not support: zstd before Kafka 2.1
	// (Produce v7), or a broker's UNSUPPORTED_COMPRESSION_TYPE.
	ErrCompressionUnsupported = errors.New("core: compression codec not supported by the broker")
)

// idempotenceError turns InitProducerId's failure on a broker without the
// API into the fatal ErrIdempotenceUnsupported; other errors are returned
// as they are (and retried).
func idempotenceError(err error) (error, bool) {
	if errors.Is(err, kerr.UnsupportedVersion) {
		return fmt.Errorf("%w (%w)", ErrIdempotenceUnsupported, err), true
	}
	return err, false
}

// failAllQueued sets every batch not in flight aside to be failed with err
// (completeExpired completes them). Sender only.
func (p *Producer) failAllQueued(err error) {
	for _, e := range p.topics.snapshot() {
		for _, q := range e.v.parts.Load().queues {
			q.mu.Lock()
			keep := q.batches[:0]
			for _, b := range q.batches {
				if b.sealing {
					keep = append(keep, b) // failed on a later pass, once sealed
					continue
				}
				p.expired = append(p.expired, expiredBatch{b, err})
			}
			clear(q.batches[len(keep):])
			q.batches = keep
			q.mu.Unlock()
		}
	}
}

// fatalSendError is the error every Send fails with once the producer found
// it cannot produce to its brokers at all, or nil.
func (p *Producer) fatalSendError() error {
	if e := p.idFatal.Load(); e != nil {
		return *e
	}
	return nil
}

// checkHeaders fails a record with headers for a partition whose leader is
// known to predate Kafka 0.11. It asks for the leader's API versions, which
// the cluster caches, connecting if needed; an unknown leader or a failure
// to connect passes (the sender checks again before sending).
func (p *Producer) checkHeaders(ctx context.Context, topic string, partition int32) error {
	leader, _, ok := p.cl.Metadata().Leader(topic, partition)
	if !ok {
		return nil
	}
	v, err := p.cl.Versions(ctx, leader)
	if err != nil || v == nil {
		return nil
	}
	if _, hi, ok := v.Range((*protocol.ProduceRequest)(nil).Key()); ok && hi < produceV2Batches {
		return fmt.Errorf("%w: the leader of %s/%d, broker %d, speaks Produce up to v%d (Kafka 0.10 or older); send the record without headers", ErrHeadersUnsupported, topic, partition, leader, hi)
	}
	return nil
}

// encodeForBroker encodes (and compresses) req's batches for the Produce
// version the broker will be sent: RecordBatch v2 from v3, legacy message
// sets below (a batch re-encoded for an old leader may be retried on a
// newer one), with the producer id, epoch and sequence prepare gave each.
// It runs on the request's goroutine, not the sender's, so compressing one
// request overlaps with draining and sending the others; the batches of one
// request are compressed in parallel. A batch that cannot be encoded for
// the broker fails and leaves the request. It reports whether any batch is
// left to send, and the Produce versions, lo to hi, that carry the batches
// as encoded (versionsFor). Request goroutine only.
func (p *Producer) encodeForBroker(req *produceRequest, maxVersion int16) (send bool, lo, hi int16) {
	version := int16(produceV2Batches)
	if v, err := p.cl.Versions(p.ctx, req.broker); err == nil && v != nil {
		if picked, err := v.PickUpTo(&req.req, maxVersion, ""); err == nil {
			version = picked
		}
		// Otherwise DoProduce reports the connection's failure or the
		// lack of a common version; the batches are encoded as v2 meanwhile.
	}
	var codecErr error
	if p.codec != nil && p.codec.ID() == record.CodecZstd && version < produceZstd {
		codecErr = fmt.Errorf("%w: zstd needs Kafka 2.1 or newer (Produce v7), broker %d speaks Produce v%d; use gzip, snappy or lz4",
			ErrCompressionUnsupported, req.broker, version)
	}
	p.encodeAll(req, version, codecErr)
	for ti := range req.req.TopicData {
		pds := req.req.TopicData[ti].PartitionData
		bs := req.batches[ti]
		for k := 0; k < len(bs); {
			if err := bs[k].encErr; err == nil {
				pds[k].Records = bs[k].encoded
				k++
				continue
			}
			b := bs[k]
			pds = append(pds[:k], pds[k+1:]...)
			bs = append(bs[:k], bs[k+1:]...)
			b.q.mu.Lock()
			b.q.unsend(b)
			b.q.mu.Unlock()
			p.fail(b, b.encErr)
		}
		req.req.TopicData[ti].PartitionData, req.batches[ti] = pds, bs
	}
	lo, hi = p.versionsFor(version, maxVersion)
	for _, bs := range req.batches {
		if len(bs) > 0 {
			return true, lo, hi
		}
	}
	return false, lo, hi
}

// versionsFor returns the Produce versions, up to maxVersion, that carry
// batches encoded for version: RecordBatch v2 from v3 (from v7 when
// zstd-compressed), message set v1 at v2 only, v0 at v0 and v1. The
// request is sent at one of them, though the broker may have been replaced
// by an older one since its versions were looked up.
func (p *Producer) versionsFor(version, maxVersion int16) (lo, hi int16) {
	switch {
	case version >= produceV2Batches:
		lo = produceV2Batches
		if p.codec != nil && p.codec.ID() == record.CodecZstd {
			lo = produceZstd
		}
		return lo, maxVersion
	case version >= produceMagic1:
		return produceMagic1, min(produceMagic1, maxVersion)
	default:
		return 0, min(produceMagic1-1, maxVersion)
	}
}

// encodeAll encodes every batch of req for version, setting each batch's
// encErr. With a codec and several batches, up to GOMAXPROCS goroutines
// (this one included) share the work; each batch is touched by one of them
// only, and all are done when encodeAll returns.
func (p *Producer) encodeAll(req *produceRequest, version int16, codecErr error) {
	n := 0
	for _, bs := range req.batches {
		n += len(bs)
	}
	workers := 1
	if p.codec != nil && codecErr == nil {
		workers = min(n, runtime.GOMAXPROCS(0))
	}
	if workers <= 1 {
		for _, bs := range req.batches {
			for _, b := range bs {
				b.encErr = codecErr
				if b.encErr == nil {
					b.encErr = p.encodeBatch(b, version)
				}
			}
		}
		return
	}
	var next atomic.Int32
	work := func() {
		for {
			i := int(next.Add(1)) - 1
			b := req.nthBatch(i)
			if b == nil {
				return
			}
			b.encErr = p.encodeBatch(b, version)
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}

// nthBatch returns the request's i-th batch counting across topics, or nil
// past the last.
func (r *produceRequest) nthBatch(i int) *producerBatch {
	for _, bs := range r.batches {
		if i < len(bs) {
			return bs[i]
		}
		i -= len(bs)
	}
	return nil
}

// encodeBatch makes b.encoded the batch as Produce version takes it: a
// RecordBatch v2 with b's producer id, epoch and sequence (encoded in place
// in the builder's buffer when uncompressed; compressed into b.zbuf once,
// then only its header rewritten when the sequence changes), or a legacy
// message set of the version's magic.
func (p *Producer) encodeBatch(b *producerBatch, version int16) error {
	want := int8(2)
	switch {
	case version < produceMagic1:
		want = 0
	case version < produceV2Batches:
		want = 1
	}
	if b.encodedMagic() == want {
		// Encoded before (a retry). Only a v2 batch's producer fields can
		// have changed: a new epoch or sequence after a gap.
		if want == 2 && !record.HasProducer(b.encoded, b.pid, b.epoch, b.seq) {
			return record.SetProducer(b.encoded, b.pid, b.epoch, b.seq)
		}
		return nil
	}
	if b.sealed {
		// Compressed at seal time as v2, wanted as a legacy message set:
		// get the records back from the compressed batch.
		if err := p.unseal(b); err != nil {
			return fmt.Errorf("core: re-encoding a compressed batch for %s/%d as a legacy message set: %w", b.q.topic, b.q.partition, err)
		}
	}
	var err error
	if want == 2 {
		params := p.batchParams()
		params.ProducerID, params.ProducerEpoch, params.BaseSequence = b.pid, b.epoch, b.seq
		if p.codec == nil {
			b.encoded, err = b.builder.Batch(&params)
		} else {
			b.zbuf, err = b.builder.AppendBatch(b.zbuf[:0], &params)
			b.encoded = b.zbuf
			if err == nil && b.q.ratio != nil {
				b.q.ratio.observe(len(b.encoded), b.builder.Size()) // a batch sent before it filled
			}
		}
		return err
	}
	b.zbuf, err = b.builder.AppendMessageSet(b.zbuf[:0], want, p.codec)
	b.encoded = b.zbuf
	if errors.Is(err, record.ErrHeadersInLegacy) {
		return fmt.Errorf("%w: the leader of %s/%d speaks Produce v%d (Kafka 0.10 or older) and the batch has records with headers",
			ErrHeadersUnsupported, b.q.topic, b.q.partition, version)
	}
	return err
}

// compressionError explains a broker's UNSUPPORTED_COMPRESSION_TYPE.
func (p *Producer) compressionError(err error) error {
	if !errors.Is(err, kerr.UnsupportedCompressionType) {
		return err
	}
	name := "none"
	if p.codec != nil {
		name = p.codec.Name()
	}
	return fmt.Errorf("%w: the broker refused %s (zstd needs Kafka 2.1+ and Produce v7; a topic's compression.type may also forbid it): %w",
		ErrCompressionUnsupported, name, err)
}
