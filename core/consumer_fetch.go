package core

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// idleWait is how long the loop sleeps when nothing wakes it.
const idleWait = time.Second

// fetchBroker is the fetch state of one broker: at most one Fetch in flight,
// its session, and buffers reused from one fetch to the next.
type fetchBroker struct {
	id       int32
	inflight bool
	retryAt  time.Time
	fails    int // Fetches failed in a row, for the retry backoff
	sess     fetchSession
	req      protocol.FetchRequest
	resp     protocol.FetchResponse
	buf      []byte
	want     []fetchPart
	idx      map[TopicPartition]int
	results  []fetchResult
	jobs     []*decodeJob
	heldAt   time.Time // when holdLongPollLocked began holding the Fetch; zero: not held

	warnedIsolation bool // read_committed on a broker before 0.11 was logged
}

// run is the consumer's background loop: it keeps metadata fresh, finds
// positions (committed offsets, resets, validation) and starts one Fetch per
// broker whenever that broker has fetchable partitions and none in flight.
func (c *Consumer) run() {
	defer c.wg.Done()
	timer := time.NewTimer(idleWait)
	defer timer.Stop()
	for {
		wait := c.step()
		timer.Reset(wait)
		select {
		case <-c.ctx.Done():
			return
		case <-c.wake:
		case <-timer.C:
		}
	}
}

// step does one round of the loop and returns how long to wait for the next.
func (c *Consumer) step() time.Duration {
	topics, refresh := c.topicsToFetch()
	if len(topics) == 0 {
		return idleWait
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.cfg.RequestTimeout)
	defer cancel()
	var m *cluster.Metadata
	var err error
	if refresh {
		m, err = c.cl.Refresh(ctx, topics, false)
	} else {
		m, err = c.cl.MetadataFor(ctx, topics, false)
	}
	c.setConnErr(err)
	if err != nil {
		c.metaFails++
		if c.ctx.Err() == nil {
			c.log.Log(context.Background(), streakLevel(c.metaFails, slog.LevelWarn), "consumer: metadata refresh failed; retrying",
				"err", err, "failures_in_a_row", c.metaFails)
		}
		return c.retryBackoff().Delay(c.metaFails - 1)
	}
	c.metaFails = 0
	c.updateLeaders(m)
	c.findPositions(ctx)
	return c.startFetches(m)
}

// topicsToFetch returns the assigned topics and whether the metadata must be
// refreshed first.
func (c *Consumer) topicsToFetch() ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var topics []string
	for _, ps := range c.order {
		if !slices.Contains(topics, ps.tp.Topic) {
			topics = append(topics, ps.tp.Topic)
		}
	}
	refresh := c.refresh
	c.refresh = false
	return topics, refresh
}

// updateLeaders notes leader changes from the metadata. A partition whose
// leader epoch grew while it has a position with a known epoch is validated
// against the new leader before it is fetched again (KIP-320).
func (c *Consumer) updateLeaders(m *cluster.Metadata) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ps := range c.order {
		leader, epoch, ok := m.Leader(ps.tp.Topic, ps.tp.Partition)
		if !ok {
			continue
		}
		if ps.leaderEpoch >= 0 && epoch > ps.leaderEpoch && ps.state == stateReady && ps.pos.LeaderEpoch >= 0 {
			ps.gen++ // fetches from the old leader are stale
			c.dropChunksLocked(ps)
			ps.fetchOff, ps.stalled = ps.pos.Offset, false
			ps.state = stateNeedValidation
		}
		if ps.leader >= 0 && (leader != ps.leader || epoch != ps.leaderEpoch) {
			// A new leader or epoch: the backoff earned by the old one's
			// errors does not apply to it.
			ps.fetchErr, ps.retryAt = 0, time.Time{}
		}
		ps.leader, ps.leaderEpoch = leader, epoch
	}
}

// startFetches starts a Fetch to every broker that has fetchable partitions
// and no Fetch in flight, and returns when to look again.
func (c *Consumer) startFetches(m *cluster.Metadata) time.Duration {
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	wait := idleWait
	if c.closed || c.buffered >= c.cfg.MaxBufferedBytes {
		return wait // Poll wakes the loop when it frees buffers
	}
	for _, ps := range c.order {
		if ps.retryAt.After(now) {
			wait = min(wait, ps.retryAt.Sub(now))
		}
		if !ps.fetchable(now) {
			continue
		}
		id := c.fetchLeader(ps, now)
		if id < 0 {
			c.refresh = true
			wait = min(wait, c.cfg.RetryBackoff)
			continue
		}
		fb := c.brokers[id]
		if fb == nil {
			fb = &fetchBroker{id: id, idx: map[TopicPartition]int{}}
			fb.req.Default()
			c.brokers[id] = fb
		}
		if fb.inflight {
			continue
		}
		if now.Before(fb.retryAt) {
			wait = min(wait, fb.retryAt.Sub(now))
			continue
		}
		if len(fb.want) == 0 {
			clear(fb.idx)
		}
		var topicID protocol.UUID
		if t := m.Topics[ps.tp.Topic]; t != nil {
			topicID = t.ID
		}
		fb.want = append(fb.want, fetchPart{ps: ps, tp: ps.tp, topicID: topicID, gen: ps.gen,
			offset: ps.fetchOff, lastEpoch: ps.pos.LeaderEpoch, leaderEpoch: ps.leaderEpoch})
	}
	for _, fb := range c.brokers {
		if fb.inflight || len(fb.want) == 0 {
			continue
		}
		if until, hold := c.holdLongPollLocked(fb, now); hold {
			fb.want = fb.want[:0] // rebuilt when the loop is kicked, or at until
			wait = min(wait, until.Sub(now))
			continue
		}
		fb.heldAt = time.Time{}
		c.launchLocked(fb)
	}
	return wait
}

// maxLongPollHold bounds how long holdLongPollLocked holds a Fetch back:
// while an application that polls slowly leaves the backlog's chunks
// buffered, the caught-up partitions are still fetched, and records new on
// them noticed, within it.
const maxLongPollHold = 100 * time.Millisecond

// holdLongPollLocked reports whether fb's Fetch should wait, and until
// when: all it would ask for is partitions already caught up to their high
// watermark, which the broker holds for up to FetchMaxWait, while another
// partition of the broker has records waiting there but cannot be fetched
// until the records buffered for it are decoded or polled. Sent now, the
// long poll would keep that partition's next Fetch (one per broker at a
// time) waiting for up to FetchMaxWait; held, it goes out with that
// partition, when the decoder or Poll kicks the fetch loop, or alone after
// maxLongPollHold (at most FetchMaxWait). c.mu is held.
func (c *Consumer) holdLongPollLocked(fb *fetchBroker, now time.Time) (time.Time, bool) {
	for i := range fb.want {
		ps := fb.want[i].ps
		if ps.hw < 0 || fb.want[i].offset < ps.hw {
			return time.Time{}, false // records to fetch, or not known yet
		}
	}
	if !c.backlogWaitsLocked(fb.id, now) {
		return time.Time{}, false
	}
	if fb.heldAt.IsZero() {
		fb.heldAt = now
	}
	until := fb.heldAt.Add(min(maxLongPollHold, c.cfg.FetchMaxWait))
	return until, now.Before(until)
}

// backlogWaitsLocked reports whether a partition fetched from broker id
// has records waiting there that it cannot fetch until the records
// buffered for it are decoded or polled. c.mu is held.
func (c *Consumer) backlogWaitsLocked(id int32, now time.Time) bool {
	for _, ps := range c.order {
		behind := ps.busy || ps.nchunks >= maxChunksPerPartition
		if behind && ps.state == stateReady && !ps.paused && ps.err == nil && ps.hw >= 0 && ps.fetchOff < ps.hw &&
			c.fetchLeader(ps, now) == id {
			return true
		}
	}
	return false
}

// fetchLeader returns the broker ps is fetched from: its preferred read
// replica while that lasts, else its leader (-1 unknown).
func (c *Consumer) fetchLeader(ps *partState, now time.Time) int32 {
	if ps.preferred >= 0 && now.Before(ps.preferredUntil) {
		return ps.preferred
	}
	return ps.leader
}

// launchLocked builds fb's Fetch from fb.want and sends it in a new goroutine.
func (c *Consumer) launchLocked(fb *fetchBroker) {
	slices.SortFunc(fb.want, func(a, b fetchPart) int {
		return cmp.Or(cmp.Compare(a.tp.Topic, b.tp.Topic), cmp.Compare(a.tp.Partition, b.tp.Partition))
	})
	maxVersion := int16(18)
	clear(fb.idx)
	for i := range fb.want {
		w := &fb.want[i]
		w.ps.inflight = true
		fb.idx[w.tp] = i
		if w.topicID == (protocol.UUID{}) {
			maxVersion = 12 // fetch by name: versions 13+ need topic ids
		}
	}
	req := &fb.req
	req.MaxWaitMs = int32(c.cfg.FetchMaxWait / time.Millisecond)
	req.MinBytes, req.MaxBytes = c.cfg.FetchMinBytes, c.cfg.FetchMaxBytes
	req.IsolationLevel = int8(c.cfg.IsolationLevel)
	req.RackId = c.cfg.ClientRack
	fb.sess.build(req, fb.want, fb.idx, c.cfg.MaxPartitionFetchBytes)
	fb.inflight = true
	c.wg.Add(1)
	go c.fetch(fb, maxVersion)
}

// fetch sends fb's Fetch and hands the response to handOff, which queues
// its records for the decode workers. It runs without Consumer.mu, with fb
// owned by it until handOff or fetchFailed.
func (c *Consumer) fetch(fb *fetchBroker, maxVersion int16) {
	defer c.wg.Done()
	start := time.Now()
	version, buf, raw, err := c.cl.DoInto(c.ctx, fb.id, wire.LaneFetch, &fb.req, &fb.resp, maxVersion, fb.buf)
	fb.buf = buf
	if err == nil && fb.resp.ErrorCode != 0 {
		err = errForCode(fb.resp.ErrorCode)
		raw.Release()
	}
	if err != nil {
		c.fetchFailed(fb, err)
		return
	}
	fb.fails = 0
	c.m.fetchLatency.Record(float64(time.Since(start)) / float64(time.Millisecond))
	c.warnIsolation(fb, version)
	c.handOff(fb, version, raw)
}

// fetchFailed ends a Fetch that got no usable response: the session starts
// over, the broker is retried after a backoff and the metadata refreshed.
func (c *Consumer) fetchFailed(fb *fetchBroker, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range fb.want {
		fb.want[i].ps.inflight = false
	}
	fb.want = fb.want[:0]
	fb.inflight = false
	fb.sess.reset()
	if c.ctx.Err() != nil {
		return
	}
	if !isSessionError(err) {
		// The backoff doubles while the broker keeps failing (a broker
		// that answers garbage is not retried every RetryBackoff forever).
		fb.retryAt = time.Now().Add(c.retryBackoff().Delay(fb.fails))
		fb.fails++
		c.refresh = true
		c.log.Warn("consumer: fetch failed; retrying", "broker", fb.id, "err", err)
	}
	c.kick()
}

// setConnErr records whether the last metadata request failed in a way that
// retrying cannot fix (authentication, TLS verification), so that Poll
// returns it at once rather than waiting in silence; a success clears it.
func (c *Consumer) setConnErr(err error) {
	if err != nil && !errors.Is(err, ErrAuthentication) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if (c.connErr == nil) != (err == nil) {
		c.notifyLocked()
	}
	c.connErr = err
}

// retryBackoff is the backoff of retried requests: RetryBackoff doubling
// with jitter up to RetryBackoffMax, as Config documents.
func (c *Consumer) retryBackoff() wire.Backoff {
	return wire.Backoff{Base: c.cfg.RetryBackoff, Max: c.cfg.RetryBackoffMax, Jitter: 0.2}
}
