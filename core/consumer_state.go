package core

import (
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/record"
)

// partStage is what an assigned partition needs before it can be fetched.
type partStage uint8

const (
	// stateNeedPosition: no position yet; ask the group for a committed
	// offset (if there is a group), else reset with AutoOffsetReset.
	stateNeedPosition partStage = iota
	// stateNeedReset: look the position up with ListOffsets (resetPolicy).
	stateNeedReset
	// stateNeedValidation: check the position against the leader's log with
	// OffsetForLeaderEpoch (KIP-320) before fetching.
	stateNeedValidation
	// stateReady: fetchable.
	stateReady
)

// maxChunksPerPartition bounds how far ahead of the user a partition is
// fetched: one response being polled plus one prefetched (counting final
// chunks, one per response).
const maxChunksPerPartition = 2

// partState is the consumer's state of one assigned partition, guarded by
// Consumer.mu.
type partState struct {
	tp          TopicPartition
	state       partStage
	resetPolicy OffsetReset

	pos      OffsetEpoch // next offset to return to the user
	hasPos   bool
	fetchOff int64  // next offset to fetch: pos.Offset plus what is buffered
	gen      uint64 // bumped by every seek, reset or unassignment: stale fetches are dropped

	paused   bool
	inflight bool  // in a Fetch being sent
	busy     bool  // records whose end offset the batch headers did not give are being decoded
	worker   int   // the decode worker of its records
	stalled  bool  // a buffered chunk ends in a decode error: fetch no further
	nchunks  int   // buffered final chunks: responses not fully polled
	err      error // sticky error returned by Poll until the partition is re-positioned
	retryAt  time.Time
	lookups  int // position look-ups (committed offset, reset, validation) failed in a row
	fetchErr int // fetches answered with a retriable error for it in a row

	hw, lso, logStart int64 // from the last fetch response; -1 unknown
	leader            int32 // leader the partition was last fetched from (-1 unknown)
	leaderEpoch       int32 // leader epoch from the metadata (-1 unknown)
	preferred         int32 // KIP-392 preferred read replica, -1 for the leader
	preferredUntil    time.Time
}

func newPartState(tp TopicPartition) *partState {
	return &partState{tp: tp, hw: -1, lso: -1, logStart: -1, leader: -1, leaderEpoch: -1, preferred: -1}
}

// setPosition positions the partition and makes it fetchable.
func (ps *partState) setPosition(pos OffsetEpoch) {
	ps.pos, ps.hasPos, ps.fetchOff = pos, true, pos.Offset
	ps.state, ps.lookups = stateReady, 0
}

// lookupFailed schedules the next position look-up of ps after a failed
// one: RetryBackoff doubling with each failure in a row, up to
// RetryBackoffMax, so that a coordinator or leader answering garbage is not
// asked again every RetryBackoff.
func (ps *partState) lookupFailed(b wire.Backoff) {
	ps.retryAt = time.Now().Add(b.Delay(ps.lookups))
	ps.lookups++
}

// fetchFailed schedules the next fetch of ps after its fetch was answered
// with a retriable error: RetryBackoff doubling with each such answer in a
// row, up to RetryBackoffMax, so that a partition whose leader keeps
// refusing it is not fetched (with a metadata refresh each time) every
// RetryBackoff.
func (ps *partState) fetchFailed(now time.Time, b wire.Backoff) {
	ps.retryAt = now.Add(b.Delay(ps.fetchErr))
	ps.fetchErr++
}

// fetchable reports whether the partition can go into a Fetch now.
func (ps *partState) fetchable(now time.Time) bool {
	return ps.state == stateReady && ps.hasPos && !ps.paused && !ps.inflight && !ps.busy && !ps.stalled &&
		ps.err == nil && ps.nchunks < maxChunksPerPartition && !now.Before(ps.retryAt)
}

// chunk is decoded records of one partition from one fetch response,
// buffered until Poll hands them out. The records of one partition's
// response are published in several chunks as they are decoded, so that
// Poll need not wait for a whole response (consumer_decode.go); the last,
// final one carries the position after the response and its decode error.
// A chunk's records alias resp's body and the buffers of its decoder.
type chunk struct {
	ps       *partState
	gen      uint64
	dec      *decoding // shared by the chunks of one partition's response
	recs     []record.Record
	i        int         // next record to hand out
	next     OffsetEpoch // position after the chunk (past control and aborted batches too)
	err      error       // decode error after recs; becomes ps.err when reached
	final    bool        // the response's last chunk of its partition; counted in partState.nchunks
	class    int         // size class: the class-th chunk of its response, or the last class
	size     int         // bytes of the partition's records field (final chunk only)
	inflated int         // bytes decompressed for this chunk, held by recs

	resp *fetchBuffer
	lent bool // records were handed out since the last Poll began
	done bool // exhausted or dropped; release when no longer lent
}

// decoding is a record.Decoder with its read_committed scratch state. The
// fetch goroutine holds one reference while it decodes a partition and
// every chunk decoded with it one more; the last to let go recycles it,
// since the chunks' records alias its buffers.
type decoding struct {
	dec     record.Decoder
	refs    atomic.Int32
	aborted map[int64]struct{}
	ctl     []record.Record
}

// fetchBuffer is a fetch response body shared by the chunks decoded from
// it; released to the pool when the last of them is.
type fetchBuffer struct {
	raw  *wire.Response
	refs int
	size int64
}
