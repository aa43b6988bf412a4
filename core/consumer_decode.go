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
	chunk             *chunk // nil when there were no records
}

// errForCode returns the kerr error for a non-zero code.
func errForCode(code int16) error { return kerr.ForCode(code) }

// isSessionError reports whether err asks for a new fetch session.
func isSessionError(err error) bool {
	return errors.Is(err, kerr.FetchSessionIDNotFound) || errors.Is(err, kerr.InvalidFetchSessionEpoch) ||
		errors.Is(err, kerr.FetchSessionTopicIDError)
}

// decodeResponse decodes every partition of fb.resp into fb.results. It
// runs on the fetch goroutine, without Consumer.mu: the fetch positions it
// reads are the snapshot in fb.want.
func (c *Consumer) decodeResponse(fb *fetchBroker, version int16) {
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
				r.chunk = c.decodeChunk(&fb.want[i], p)
				size += len(p.Records)
				nrecs += len(r.chunk.recs)
			}
			fb.results = append(fb.results, r)
		}
	}
	c.m.fetchSize.Record(float64(size))
	c.m.recordsPerRequest.Record(float64(nrecs))
}

// decodeChunk decodes one partition's records, skipping records before the
// fetch offset, control batches and, with read_committed, the batches of
// aborted transactions.
func (c *Consumer) decodeChunk(w *fetchPart, p *protocol.FetchResponsePartitionData) *chunk {
	ch := c.getChunk()
	ch.ps, ch.gen, ch.size = w.ps, w.gen, len(p.Records)
	ch.next = OffsetEpoch{Offset: w.offset, LeaderEpoch: w.lastEpoch}
	d := ch.dec
	d.Reset(w.tp.Topic, w.tp.Partition, p.Records)
	ch.recs = slices.Grow(ch.recs, record.CountRecords(p.Records))
	committed := c.cfg.IsolationLevel == ReadCommitted
	aborted := p.AbortedTransactions
	if committed && len(aborted) > 1 {
		slices.SortFunc(aborted, func(a, b protocol.FetchResponseAbortedTransaction) int {
			return cmp.Compare(a.FirstOffset, b.FirstOffset)
		})
	}
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
				ch.aborted[aborted[0].ProducerId] = struct{}{}
				aborted = aborted[1:]
			}
			if c.skipAborted(ch, b) {
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
	}
	ch.inflated = d.Inflated()
	if ch.err == nil && len(ch.recs) == 0 && ch.next.Offset == w.offset && d.Truncated() {
		ch.err = &FetchError{Partition: w.tp, Offset: w.offset, Err: fmt.Errorf(
			"the batch at offset %d is larger than MaxPartitionFetchBytes %d (a broker older than 0.10.1 returns partial batches); raise MaxPartitionFetchBytes",
			w.offset, c.cfg.MaxPartitionFetchBytes)}
	}
	return ch
}

// skipAborted reports whether batch b belongs to an aborted transaction
// (read_committed), and forgets the producer at its abort marker.
func (c *Consumer) skipAborted(ch *chunk, b *record.Batch) bool {
	if len(ch.aborted) == 0 {
		return false
	}
	if _, ok := ch.aborted[b.ProducerID]; !ok {
		return false
	}
	if !b.IsControl() {
		return b.IsTransactional()
	}
	var err error
	ch.ctl, err = ch.dec.AppendRecords(ch.ctl[:0], b)
	if err == nil && len(ch.ctl) > 0 {
		if ctl, err := record.ParseControl(ch.ctl[0].Key, ch.ctl[0].Value); err == nil && ctl.Type == record.ControlAbort {
			delete(ch.aborted, b.ProducerID)
		}
	}
	return true // a control batch: never returned
}

// maxFreeChunks bounds the consumer's free list of chunks (and their record
// slices and decoders), which outlives garbage collections unlike a sync.Pool.
const maxFreeChunks = 64

// getChunk returns a recycled chunk with an empty record slice, or a new one.
func (c *Consumer) getChunk() *chunk {
	c.freeMu.Lock()
	if n := len(c.free); n > 0 {
		ch := c.free[n-1]
		c.free = c.free[:n-1]
		c.freeRetained -= ch.dec.Retained()
		c.freeMu.Unlock()
		return ch
	}
	c.freeMu.Unlock()
	return &chunk{aborted: map[int64]struct{}{}, dec: &record.Decoder{
		Codecs: c.codec, SkipCRC: c.cfg.SkipCRC, MaxDecompressedBytes: c.cfg.MaxDecompressedBytes}}
}

// putChunk recycles ch and its decoder. The decompression buffers idle
// decoders keep are bounded in total by a quarter of MaxBufferedBytes;
// beyond that a decoder's buffer is dropped.
func (c *Consumer) putChunk(ch *chunk) {
	clear(ch.recs)
	clear(ch.ctl)
	clear(ch.aborted)
	*ch = chunk{dec: ch.dec, recs: ch.recs[:0], ctl: ch.ctl[:0], aborted: ch.aborted}
	c.freeMu.Lock()
	if len(c.free) < maxFreeChunks {
		if r := ch.dec.Retained(); int64(c.freeRetained+r) > c.cfg.MaxBufferedBytes/4 {
			ch.dec.Release()
		}
		c.freeRetained += ch.dec.Retained()
		c.free = append(c.free, ch)
	}
	c.freeMu.Unlock()
}

// applyFetch moves the decoded chunks into the buffer (unless a seek made
// them stale) and handles the partitions' errors.
func (c *Consumer) applyFetch(fb *fetchBroker, raw *wire.Response) {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	buf := &fetchBuffer{raw: raw, size: int64(cap(raw.Body))}
	for _, r := range fb.results {
		w := &fb.want[r.want]
		ps := w.ps
		if c.closed || c.parts[w.tp] != ps || ps.gen != w.gen || ps.fetchOff != w.offset {
			if r.chunk != nil {
				c.putChunk(r.chunk)
			}
			continue
		}
		c.applyPartition(fb, ps, w, &r, buf, now)
	}
	fb.sess.done(fb.resp.SessionId, fb.want, c.cfg.MaxPartitionFetchBytes)
	for i := range fb.want {
		fb.want[i].ps.inflight = false
	}
	fb.want = fb.want[:0]
	fb.inflight = false
	if buf.refs == 0 {
		raw.Release()
	} else {
		c.buffered += buf.size
	}
	c.notifyLocked()
	c.kick()
}

// applyPartition applies one partition's result; c.mu is held.
func (c *Consumer) applyPartition(fb *fetchBroker, ps *partState, w *fetchPart, r *fetchResult, buf *fetchBuffer, now time.Time) {
	err := kerr.ForCode(r.code)
	switch {
	case err == nil:
		ps.hw, ps.lso, ps.logStart = r.hw, r.lso, r.logStart
		if r.preferred >= 0 && r.preferred != fb.id {
			ps.preferred, ps.preferredUntil = r.preferred, now.Add(c.cfg.MetadataMaxAge)
		}
		ch := r.chunk
		if ch == nil || (len(ch.recs) == 0 && ch.err == nil && ch.next.Offset == w.offset) {
			if ch != nil {
				c.putChunk(ch)
			}
			return
		}
		ch.resp = buf
		buf.refs++
		buf.size += int64(ch.inflated) // decompressed records count against MaxBufferedBytes too
		ps.fetchOff = ch.next.Offset
		ps.nchunks++
		ps.stalled = ch.err != nil
		c.ready = append(c.ready, ch)
		return
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
	if r.chunk != nil {
		c.putChunk(r.chunk)
	}
}
