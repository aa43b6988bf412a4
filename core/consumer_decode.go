package core

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/core/record"
)

// FetchError is a partition's fetch or decode failure that retrying cannot
// fix: a batch compressed with a codec this program does not import (it
// wraps *record.UnknownCodecError), a corrupt batch (*record.CorruptError),
// or a broker error such as TOPIC_AUTHORIZATION_FAILED. Poll returns it
// (after the records before it) every time until the partition is
// re-positioned with Seek, SeekToBeginning or SeekToEnd, paused or
// unassigned; the partition's position stays at Offset.
type FetchError struct {
	Partition TopicPartition
	Offset    int64 // the partition's position: the first offset not returned
	Err       error
}

func (e *FetchError) Error() string {
	hint := "Seek past the batch, or fix the cause"
	var uc *record.UnknownCodecError
	if errors.As(e.Err, &uc) && uc.ID >= record.CodecGzip && uc.ID <= record.CodecZstd {
		hint = fmt.Sprintf("import _ %q, or Seek past the batch", record.CodecImportPath(uc.Name()))
	}
	return fmt.Sprintf("core: cannot consume %s at offset %d: %v (the partition stays at offset %d: %s)",
		e.Partition, e.Offset, e.Err, e.Offset, hint)
}

// Unwrap returns the cause.
func (e *FetchError) Unwrap() error { return e.Err }

// fetchResult is one partition of a fetch response, decoded outside the lock.
type fetchResult struct {
	want              int // index in fetchBroker.want
	code              int16
	hw, lso, logStart int64
	preferred         int32
	published         bool // its records went to Poll (or were dropped as stale) by decodePartition
}

// errForCode returns the kerr error for a non-zero code.
func errForCode(code int16) error { return kerr.ForCode(code) }

// isSessionError reports whether err asks for a new fetch session.
func isSessionError(err error) bool {
	return errors.Is(err, kerr.FetchSessionIDNotFound) || errors.Is(err, kerr.InvalidFetchSessionEpoch) ||
		errors.Is(err, kerr.FetchSessionTopicIDError)
}

// decodeResponse decodes every partition of fb.resp. It runs on the fetch
// goroutine, without Consumer.mu: the fetch positions it reads are the
// snapshot in fb.want. Records are published to Poll as they are decoded;
// the partitions' other results go to fb.results for applyFetch.
func (c *Consumer) decodeResponse(fb *fetchBroker, version int16, buf *fetchBuffer) {
	fb.results = fb.results[:0]
	var size, nrecs int
	for ti := range fb.resp.Responses {
		t := &fb.resp.Responses[ti]
		name := t.Topic
		if version >= 13 {
			name = fb.sess.ids[t.TopicId]
		}
		for pi := range t.Partitions {
			p := &t.Partitions[pi]
			i, ok := fb.idx[TopicPartition{name, p.PartitionIndex}]
			if !ok {
				continue // not asked for: ignore
			}
			r := fetchResult{want: i, code: p.ErrorCode, hw: p.HighWatermark, lso: p.LastStableOffset,
				logStart: p.LogStartOffset, preferred: p.PreferredReadReplica}
			if p.ErrorCode == 0 && len(p.Records) > 0 {
				r.published = true
				nrecs += c.decodePartition(fb, &fb.want[i], p, &r, buf)
				size += len(p.Records)
			}
			fb.results = append(fb.results, r)
		}
	}
	c.m.fetchSize.Record(float64(size))
	c.m.recordsPerRequest.Record(float64(nrecs))
}

// Chunk sizes: the first chunk of a partition's response is published
// after firstChunkRecords records, so that Poll gets records while the rest
// is still being decompressed; each next one holds twice as many, up to
// maxChunkRecords, to keep the hand-offs few.
const (
	firstChunkRecords = 256
	maxChunkRecords   = 4096
)

// decodePartition decodes one partition's records, skipping records before
// the fetch offset, control batches and, with read_committed, the batches
// of aborted transactions, and publishes them in chunks. It stops early
// when the partition's fetch goes stale. It returns the records decoded.
func (c *Consumer) decodePartition(fb *fetchBroker, w *fetchPart, p *protocol.FetchResponsePartitionData, r *fetchResult, buf *fetchBuffer) int {
	dc := c.getDecoding()
	defer c.releaseDecoding(dc)
	d := &dc.dec
	d.Reset(w.tp.Topic, w.tp.Partition, p.Records)
	hint := record.CountRecords(p.Records)
	limit := firstChunkRecords
	ch := c.newChunk(dc, w, OffsetEpoch{Offset: w.offset, LeaderEpoch: w.lastEpoch}, min(hint, limit))
	committed := c.cfg.IsolationLevel == ReadCommitted
	aborted := p.AbortedTransactions
	if committed && len(aborted) > 1 {
		slices.SortFunc(aborted, func(a, b protocol.FetchResponseAbortedTransaction) int {
			return cmp.Compare(a.FirstOffset, b.FirstOffset)
		})
	}
	total, inflated := 0, 0
	for {
		b, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			ch.err = &FetchError{Partition: w.tp, Offset: ch.next.Offset, Err: err}
			break
		}
		if b.LastOffset() < ch.next.Offset {
			continue // already consumed (a compressed batch is returned whole)
		}
		if committed {
			for len(aborted) > 0 && aborted[0].FirstOffset <= b.LastOffset() {
				dc.aborted[aborted[0].ProducerId] = struct{}{}
				aborted = aborted[1:]
			}
			if skipAborted(dc, b) {
				ch.next = OffsetEpoch{b.LastOffset() + 1, ch.next.LeaderEpoch}
				continue
			}
		}
		if b.IsControl() {
			ch.next = OffsetEpoch{b.LastOffset() + 1, ch.next.LeaderEpoch}
			continue
		}
		start := len(ch.recs)
		if ch.recs, err = d.AppendRecords(ch.recs, b); err != nil {
			ch.err = &FetchError{Partition: w.tp, Offset: ch.next.Offset, Err: err}
			break
		}
		if start < len(ch.recs) && ch.recs[start].Offset < ch.next.Offset {
			skip := 0
			for start+skip < len(ch.recs) && ch.recs[start+skip].Offset < ch.next.Offset {
				skip++
			}
			ch.recs = slices.Delete(ch.recs, start, start+skip)
		}
		ch.next = OffsetEpoch{b.LastOffset() + 1, b.PartitionLeaderEpoch}
		if len(ch.recs) >= limit && len(d.Remaining()) > 0 {
			ch.inflated, inflated = d.Inflated()-inflated, d.Inflated()
			total += len(ch.recs)
			next := ch.next
			if !c.publish(fb, w, r, ch, buf) {
				return total
			}
			limit = min(2*limit, maxChunkRecords)
			ch = c.newChunk(dc, w, next, min(hint-total, limit))
		}
	}
	ch.final, ch.size, ch.inflated = true, len(p.Records), d.Inflated()-inflated
	if ch.err == nil && total == 0 && len(ch.recs) == 0 && ch.next.Offset == w.offset && d.Truncated() {
		ch.err = &FetchError{Partition: w.tp, Offset: w.offset, Err: fmt.Errorf(
			"the batch at offset %d is larger than MaxPartitionFetchBytes %d (a broker older than 0.10.1 returns partial batches); raise MaxPartitionFetchBytes",
			w.offset, c.cfg.MaxPartitionFetchBytes)}
	}
	total += len(ch.recs)
	c.publish(fb, w, r, ch, buf)
	return total
}

// skipAborted reports whether batch b belongs to an aborted transaction
// (read_committed), and forgets the producer at its abort marker.
func skipAborted(dc *decoding, b *record.Batch) bool {
	if len(dc.aborted) == 0 {
		return false
	}
	if _, ok := dc.aborted[b.ProducerID]; !ok {
		return false
	}
	if !b.IsControl() {
		return b.IsTransactional()
	}
	var err error
	dc.ctl, err = dc.dec.AppendRecords(dc.ctl[:0], b)
	if err == nil && len(dc.ctl) > 0 {
		if ctl, err := record.ParseControl(dc.ctl[0].Key, dc.ctl[0].Value); err == nil && ctl.Type == record.ControlAbort {
			delete(dc.aborted, b.ProducerID)
		}
	}
	return true // a control batch: never returned
}

// publish hands ch to Poll and reports true, unless the fetch of its
// partition went stale (a seek, reset, unassignment or Close since it was
// sent): then ch is recycled and publish reports false. The final chunk
// moves the partition's fetch offset past the response.
func (c *Consumer) publish(fb *fetchBroker, w *fetchPart, r *fetchResult, ch *chunk, buf *fetchBuffer) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	ps := w.ps
	if c.closed || c.parts[w.tp] != ps || ps.gen != w.gen || ps.fetchOff != w.offset {
		c.putChunk(ch)
		return false
	}
	c.noteFetchedLocked(fb, ps, r)
	if ch.final && len(ch.recs) == 0 && ch.err == nil && ch.next.Offset == w.offset {
		c.putChunk(ch) // nothing new (records before the fetch offset, or none complete)
		return true
	}
	ch.resp = buf
	buf.refs++
	buf.size += int64(ch.inflated) // decompressed records count against MaxBufferedBytes too
	c.buffered += int64(ch.inflated)
	if ch.final {
		ps.fetchOff = ch.next.Offset
		ps.nchunks++
		ps.stalled = ch.err != nil
	}
	c.ready = append(c.ready, ch)
	c.notifyLocked()
	return true
}

// noteFetchedLocked records what a partition's successful fetch says
// besides records: watermarks and the preferred read replica; c.mu is held.
func (c *Consumer) noteFetchedLocked(fb *fetchBroker, ps *partState, r *fetchResult) {
	ps.hw, ps.lso, ps.logStart = r.hw, r.lso, r.logStart
	if r.preferred >= 0 && r.preferred != fb.id {
		ps.preferred, ps.preferredUntil = r.preferred, time.Now().Add(c.cfg.MetadataMaxAge)
	}
}

// maxFreeChunks bounds the consumer's free lists of chunks (with their
// record slices) and of decoders, which outlive garbage collections unlike
// a sync.Pool.
const maxFreeChunks = 64

// newChunk returns an empty chunk of w's partition decoded by dc, with room
// for n records, taking a reference to dc.
func (c *Consumer) newChunk(dc *decoding, w *fetchPart, next OffsetEpoch, n int) *chunk {
	var ch *chunk
	c.freeMu.Lock()
	if k := len(c.free); k > 0 {
		ch = c.free[k-1]
		c.free = c.free[:k-1]
	}
	c.freeMu.Unlock()
	if ch == nil {
		ch = &chunk{}
	}
	dc.refs.Add(1)
	ch.ps, ch.gen, ch.dec, ch.next = w.ps, w.gen, dc, next
	ch.recs = slices.Grow(ch.recs, n)
	return ch
}

// putChunk recycles ch and drops its reference to its decoder.
func (c *Consumer) putChunk(ch *chunk) {
	dc := ch.dec
	clear(ch.recs)
	*ch = chunk{recs: ch.recs[:0]}
	c.freeMu.Lock()
	if len(c.free) < maxFreeChunks {
		c.free = append(c.free, ch)
	}
	c.freeMu.Unlock()
	if dc != nil {
		c.releaseDecoding(dc)
	}
}

// getDecoding returns a recycled decoder, or a new one, holding one
// reference for the caller.
func (c *Consumer) getDecoding() *decoding {
	var dc *decoding
	c.freeMu.Lock()
	if n := len(c.freeDec); n > 0 {
		dc = c.freeDec[n-1]
		c.freeDec = c.freeDec[:n-1]
		c.freeRetained -= dc.dec.Retained()
	}
	c.freeMu.Unlock()
	if dc == nil {
		dc = &decoding{aborted: map[int64]struct{}{}}
		dc.dec = record.Decoder{Codecs: c.codec, SkipCRC: c.cfg.SkipCRC, MaxDecompressedBytes: c.cfg.MaxDecompressedBytes}
	}
	dc.refs.Store(1)
	return dc
}

// releaseDecoding drops a reference to dc and recycles it with the last.
// The decompression buffers idle decoders keep are bounded in total by a
// quarter of MaxBufferedBytes; beyond that a decoder's buffer is dropped.
func (c *Consumer) releaseDecoding(dc *decoding) {
	if dc.refs.Add(-1) > 0 {
		return
	}
	clear(dc.ctl)
	dc.ctl = dc.ctl[:0]
	clear(dc.aborted)
	c.freeMu.Lock()
	defer c.freeMu.Unlock()
	if len(c.freeDec) >= maxFreeChunks {
		return
	}
	if r := dc.dec.Retained(); int64(c.freeRetained+r) > c.cfg.MaxBufferedBytes/4 {
		dc.dec.Release()
	}
	c.freeRetained += dc.dec.Retained()
	c.freeDec = append(c.freeDec, dc)
}

// holdResponse registers a fetch response with the buffer accounting; the
// fetch goroutine holds it while it decodes, and applyFetch lets go.
func (c *Consumer) holdResponse(raw *wire.Response) *fetchBuffer {
	buf := &fetchBuffer{raw: raw, refs: 1, size: int64(cap(raw.Body))}
	c.mu.Lock()
	c.buffered += buf.size
	c.mu.Unlock()
	return buf
}

// releaseBufferLocked drops a reference to b and recycles the response
// with the last; c.mu is held.
func (c *Consumer) releaseBufferLocked(b *fetchBuffer) {
	if b.refs--; b.refs == 0 {
		c.buffered -= b.size
		b.raw.Release()
		c.kick() // room to fetch again
	}
}

// applyFetch handles the partitions' errors and empty results (the records
// were published while decoding), ends the Fetch and lets go of its
// response.
func (c *Consumer) applyFetch(fb *fetchBroker, buf *fetchBuffer) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range fb.results {
		w := &fb.want[r.want]
		ps := w.ps
		if r.published || c.closed || c.parts[w.tp] != ps || ps.gen != w.gen || ps.fetchOff != w.offset {
			continue
		}
		c.applyPartition(fb, ps, w, &r, now)
	}
	fb.sess.done(fb.resp.SessionId, fb.want, c.cfg.MaxPartitionFetchBytes)
	for i := range fb.want {
		fb.want[i].ps.inflight = false
	}
	fb.want = fb.want[:0]
	fb.inflight = false
	c.releaseBufferLocked(buf)
	c.notifyLocked()
	c.kick()
}

// applyPartition applies the result of a partition that had no records:
// its error, or its watermarks; c.mu is held.
func (c *Consumer) applyPartition(fb *fetchBroker, ps *partState, w *fetchPart, r *fetchResult, now time.Time) {
	err := kerr.ForCode(r.code)
	switch {
	case err == nil:
		c.noteFetchedLocked(fb, ps, r)
	case errors.Is(err, kerr.OffsetOutOfRange):
		if ps.preferred >= 0 {
			ps.preferred = -1 // the follower may lag: ask the leader
			return
		}
		c.outOfRangeLocked(ps, w.offset)
	case kerr.IsRetriable(err) || errors.Is(err, kerr.UnknownTopicOrPartition):
		// NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH,
		// UNKNOWN_TOPIC_ID, KAFKA_STORAGE_ERROR, ...: new metadata, then on.
		ps.preferred = -1
		ps.retryAt = now.Add(c.cfg.RetryBackoff)
		c.refresh = true
	default:
		ps.err = &FetchError{Partition: ps.tp, Offset: ps.pos.Offset, Err: err}
	}
}
