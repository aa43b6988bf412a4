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

// fetchResult is one partition of a fetch response without records (or
// with an error), applied by handOff.
type fetchResult struct {
	want              int // index in fetchBroker.want
	code              int16
	hw, lso, logStart int64
	preferred         int32
}

// decodeJob is one partition's records from a fetch response, queued for
// the partition's decode worker (consumer_worker.go). It holds a reference
// to the response body its records field aliases.
type decodeJob struct {
	w       fetchPart // the partition's entry in the Fetch, copied
	broker  int32
	records []byte
	aborted []protocol.FetchResponseAbortedTransaction // copied: the response struct is reused
	buf     *fetchBuffer
	// early: at hand-off the partition's fetch offset moved to next, read
	// from the batch headers, so that it is fetched on while this decodes.
	early bool
	next  int64
}

// errForCode returns the kerr error for a non-zero code.
func errForCode(code int16) error { return kerr.ForCode(code) }

// isSessionError reports whether err asks for a new fetch session.
func isSessionError(err error) bool {
	return errors.Is(err, kerr.FetchSessionIDNotFound) || errors.Is(err, kerr.InvalidFetchSessionEpoch) ||
		errors.Is(err, kerr.FetchSessionTopicIDError)
}

// handOff ends a Fetch that got a response: partitions' errors and
// watermarks are applied at once, their records are queued for the decode
// workers, and the broker is free for the next Fetch, which for
// RecordBatch v2 data already asks for the offsets after these records.
// It runs on the fetch goroutine, which owns fb until it returns.
func (c *Consumer) handOff(fb *fetchBroker, version int16, raw *wire.Response) {
	fb.results = fb.results[:0]
	jobs := fb.jobs[:0]
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
			fb.results = append(fb.results, fetchResult{want: i, code: p.ErrorCode, hw: p.HighWatermark,
				lso: p.LastStableOffset, logStart: p.LogStartOffset, preferred: p.PreferredReadReplica})
			if p.ErrorCode != 0 || len(p.Records) == 0 {
				continue
			}
			j := &decodeJob{w: fb.want[i], broker: fb.id, records: p.Records}
			if len(p.AbortedTransactions) > 0 {
				j.aborted = slices.Clone(p.AbortedTransactions)
			}
			j.next, j.early = record.NextOffset(p.Records)
			j.early = j.early && j.next > j.w.offset
			jobs = append(jobs, j)
			size += len(p.Records)
			nrecs += record.CountRecords(p.Records)
		}
	}
	c.m.fetchSize.Record(float64(size))
	c.m.recordsPerRequest.Record(float64(nrecs))

	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	buf := &fetchBuffer{raw: raw, refs: 1, size: int64(cap(raw.Body))}
	c.buffered += buf.size
	for k := range fb.results {
		r := &fb.results[k]
		w := &fb.want[r.want]
		if c.currentLocked(w) {
			c.applyPartition(fb.id, w.ps, w, r, now)
		}
	}
	for k, j := range jobs {
		jobs[k] = nil
		ps := j.w.ps
		if !c.currentLocked(&j.w) {
			continue
		}
		j.buf = buf
		buf.refs++
		if j.early {
			ps.fetchOff = j.next
			ps.nchunks++ // the response counts as buffered from now on
		} else {
			ps.busy = true // fetched on once decoded
		}
		c.queueLocked(ps, j)
	}
	fb.jobs = jobs[:0]
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

// currentLocked reports whether the fetch of w's partition is still the
// one wanted: no seek, reset, unassignment or Close since it was sent; c.mu
// is held.
func (c *Consumer) currentLocked(w *fetchPart) bool {
	return c.liveLocked(w) && w.ps.fetchOff == w.offset
}

// liveLocked reports whether w's partition is still assigned and was not
// re-positioned (no seek, reset or Close) since w was fetched; unlike
// currentLocked it allows the fetch offset to have moved on (a hand-off
// that fetches on while decoding). c.mu is held.
func (c *Consumer) liveLocked(w *fetchPart) bool {
	return !c.closed && c.parts[w.tp] == w.ps && w.ps.gen == w.gen
}

// Chunk sizes: the first chunk of a partition's response is published
// after firstChunkRecords records, so that Poll gets records while the rest
// is still being decompressed; each next one holds twice as many, up to
// firstChunkRecords << (chunkClasses-1), to keep the hand-offs few.
const (
	firstChunkRecords = 256
	chunkClasses      = 4
)

// decodePartition decodes a job's records, skipping records before the
// fetch offset, control batches and, with read_committed, the batches of
// aborted transactions, and publishes them in chunks. It stops early when
// the partition's fetch goes stale. It runs on a decode worker.
func (c *Consumer) decodePartition(j *decodeJob) {
	w := &j.w
	dc := c.getDecoding()
	defer c.releaseDecoding(dc)
	d := &dc.dec
	d.Reset(w.tp.Topic, w.tp.Partition, j.records)
	// A hint only: compressed batches may hold more records than it says.
	hint := record.CountRecords(j.records)
	class, limit := 0, firstChunkRecords
	ch := c.newChunk(dc, w, OffsetEpoch{Offset: w.offset, LeaderEpoch: w.lastEpoch}, class, min(hint, limit))
	committed := c.cfg.IsolationLevel == ReadCommitted
	aborted := j.aborted
	if committed && len(aborted) > 1 {
		slices.SortFunc(aborted, func(a, b protocol.FetchResponseAbortedTransaction) int {
			return cmp.Compare(a.FirstOffset, b.FirstOffset)
		})
	}
	total, inflated := 0, 0
	// handOff publishes ch and starts the next, larger chunk; false: the
	// fetch went stale, stop.
	handOff := func() bool {
		ch.inflated, inflated = d.Inflated()-inflated, d.Inflated()
		total += len(ch.recs)
		next := ch.next
		if !c.publish(j, ch) {
			return false
		}
		if class < chunkClasses-1 {
			class, limit = class+1, 2*limit
		}
		ch = c.newChunk(dc, w, next, class, min(max(hint-total, 0), limit))
		return true
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
		if n := len(ch.recs); n > 0 && n+int(b.NumRecords) > cap(ch.recs) && !handOff() {
			// Published what the chunk holds rather than grow it (a copy,
			// and a slice too large for its size class's free list).
			return
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
		if len(ch.recs) >= limit && len(d.Remaining()) > 0 && !handOff() {
			return
		}
	}
	ch.final, ch.size, ch.inflated = true, len(j.records), d.Inflated()-inflated
	if ch.err == nil && total == 0 && len(ch.recs) == 0 && ch.next.Offset == w.offset && d.Truncated() {
		ch.err = &FetchError{Partition: w.tp, Offset: w.offset, Err: fmt.Errorf(
			"the batch at offset %d is larger than MaxPartitionFetchBytes %d (a broker older than 0.10.1 returns partial batches); raise MaxPartitionFetchBytes",
			w.offset, c.cfg.MaxPartitionFetchBytes)}
	}
	c.publish(j, ch)
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
// moves the partition's fetch offset past the job's records, unless the
// hand-off did already.
func (c *Consumer) publish(j *decodeJob, ch *chunk) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := &j.w
	ps := w.ps
	if !c.liveLocked(w) || (!j.early && ps.fetchOff != w.offset) {
		c.putChunk(ch)
		return false
	}
	if ch.final {
		switch {
		case !j.early && len(ch.recs) == 0 && ch.err == nil && ch.next.Offset == w.offset:
			c.putChunk(ch) // nothing new (records before the fetch offset, or none complete)
			return true
		case !j.early:
			ps.fetchOff = ch.next.Offset
			ps.nchunks++
		case ch.err != nil || ch.next.Offset != j.next:
			// The records end elsewhere than their batch headers said (a
			// corrupt batch): drop what was fetched after them.
			ps.gen++
			ps.fetchOff = ch.next.Offset
			ps.nchunks = 1 + c.finalChunksLocked(ps)
		}
		ps.stalled = ch.err != nil
	}
	ch.resp = j.buf
	j.buf.refs++
	j.buf.size += int64(ch.inflated) // decompressed records count against MaxBufferedBytes too
	c.buffered += int64(ch.inflated)
	c.ready = append(c.ready, ch)
	c.notifyLocked()
	return true
}

// finalChunksLocked counts the buffered final chunks of ps; c.mu is held.
func (c *Consumer) finalChunksLocked(ps *partState) int {
	n := 0
	for _, ch := range c.ready {
		if ch.ps == ps && ch.final {
			n++
		}
	}
	return n
}

// noteFetchedLocked records what a partition's successful fetch says
// besides records: watermarks and the preferred read replica; c.mu is held.
func (c *Consumer) noteFetchedLocked(broker int32, ps *partState, r *fetchResult) {
	ps.hw, ps.lso, ps.logStart = r.hw, r.lso, r.logStart
	if r.preferred >= 0 && r.preferred != broker {
		ps.preferred, ps.preferredUntil = r.preferred, time.Now().Add(c.cfg.MetadataMaxAge)
	}
}

// applyPartition applies a partition's fetch result but its records: its
// error, or its watermarks; c.mu is held.
func (c *Consumer) applyPartition(broker int32, ps *partState, w *fetchPart, r *fetchResult, now time.Time) {
	err := kerr.ForCode(r.code)
	switch {
	case err == nil:
		ps.fetchErr = 0
		c.noteFetchedLocked(broker, ps, r)
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
		ps.fetchFailed(now, c.retryBackoff())
		c.refresh = true
	default:
		ps.err = &FetchError{Partition: ps.tp, Offset: ps.pos.Offset, Err: err}
	}
}
