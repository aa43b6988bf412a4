package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
)

// This file holds the Consumer type, its construction, assignment, and the
// position API. The other consumer files:
//   - consumer_poll.go: Poll, Next, Records and the buffer rules;
//   - consumer_fetch.go: the background loop and the Fetch requests (with
//     KIP-227 fetch sessions, consumer_session.go);
//   - consumer_decode.go: turning a fetch response into buffered chunks
//     (read_committed filtering, decode errors);
//   - consumer_offsets.go: ListOffsets look-ups, offset resets and leader
//     epoch validation (KIP-320);
//   - consumer_metrics.go: Metrics.
//
// Goroutines: one background loop (run) per Consumer, plus at most one
// fetch goroutine per broker while its Fetch is in flight. The user's
// goroutines call Poll and the rest. All partition state is guarded by
// Consumer.mu, which is taken once per Poll and once per fetch response,
// never per record.

// TopicPartition names one partition of a topic.
type TopicPartition struct {
	Topic     string
	Partition int32
}

// String returns "topic-partition", as Java prints it.
func (tp TopicPartition) String() string { return fmt.Sprintf("%s-%d", tp.Topic, tp.Partition) }

// ErrConsumerClosed is returned by the methods of a closed Consumer.
var ErrConsumerClosed = errors.New("core: consumer closed")

// Consumer reads records from the partitions assigned to it, kafka-python's
// KafkaConsumer without a group: Assign partitions, then Poll (or range over
// Records). It prefetches in the background, one Fetch per broker for all
// the partitions that broker leads, within FetchMaxBytes,
// MaxPartitionFetchBytes and MaxBufferedBytes.
//
// All methods are safe for concurrent use. Records returned by Poll, Next
// and Records alias the consumer's fetch buffers; see Poll for how long they
// stay valid.
type Consumer struct {
	cfg   ConsumerConfig
	cl    *cluster.Cluster
	log   *slog.Logger
	codec func(int8) Codec // the decoders' codec lookup; CodecByID unless a test replaces it

	ctx    context.Context // cancelled by Close: stops the loop and fetches
	cancel context.CancelFunc
	wg     sync.WaitGroup
	wake   chan struct{} // buffered 1: the loop has something to look at

	freeMu  sync.Mutex
	free    [chunkClasses][]*chunk // recycled chunks (their record slices) by size class
	freeDec []*decoding            // recycled decoders

	workers []*decodeWorker // consumer_worker.go
	nassign int             // partitions assigned so far: spreads them over the workers

	mu       sync.Mutex
	closed   bool
	parts    map[TopicPartition]*partState
	order    []*partState           // assignment order, for stable iteration
	brokers  map[int32]*fetchBroker // by broker id
	ready    []*chunk               // fetched chunks in arrival order, not yet fully polled
	buffered int64                  // bytes of the responses behind ready
	changed  chan struct{}          // closed and replaced when pollers should look again
	refresh  bool                   // the metadata must be refreshed before the next fetch
	// metaFails counts the metadata look-ups failed in a row (run's
	// goroutine only): they back off and are logged as a streak.
	metaFails int
	connErr   error          // a lasting failure to reach the cluster (authentication); Poll returns it
	hooks     consumerHooks  // set by the group engine
	grp       *consumerGroup // the consumer group (group_api.go); nil without a GroupID
	ics       *interceptors  // nil without Config.Interceptors; set before NewConsumer returns

	pollMu sync.Mutex // serialises Poll/Next: the buffer rule is per consumer
	poll   pollState  // guarded by pollMu

	m consumerMetrics
}

// consumerHooks let a consumer-group engine (in this package) drive a
// Consumer. Each is optional; they are called without Consumer.mu held.
type consumerHooks struct {
	// committed returns the committed offsets of partitions that have no
	// position yet; partitions it leaves out are reset with AutoOffsetReset.
	committed func(ctx context.Context, parts []TopicPartition) (map[TopicPartition]OffsetEpoch, error)
	// assigned is called after the assignment changed, with what was added
	// and what was removed.
	assigned func(added, removed []TopicPartition)
}

// OffsetEpoch is a position in a partition: the next offset to read and the
// leader epoch of the record before it (-1 when unknown), which lets the
// consumer detect log truncation after a leader change (KIP-320).
type OffsetEpoch struct {
	Offset      int64
	LeaderEpoch int32
}

// NewConsumer returns a Consumer for cfg. It validates cfg (all problems at
// once, as a *ConfigError) but does not connect until partitions are
// assigned or metadata is asked for. Close it to stop its goroutines.
func NewConsumer(cfg ConsumerConfig) (*Consumer, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	ics, err := newInterceptors(cfg.Config, ClientInfo{Kind: "consumer", GroupID: cfg.GroupID})
	if err != nil {
		return nil, err
	}
	cl, err := newClusterWith(cfg.Config, ics)
	if err != nil {
		return nil, err
	}
	c := newConsumer(cfg, cl)
	c.ics = ics
	if err := c.initGroup(); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

func newConsumer(cfg ConsumerConfig, cl *cluster.Cluster) *Consumer {
	c := &Consumer{
		cfg: cfg, cl: cl, log: cfg.Logger, codec: cfg.Codecs,
		wake: make(chan struct{}, 1), changed: make(chan struct{}),
		parts: map[TopicPartition]*partState{}, brokers: map[int32]*fetchBroker{},
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.codec == nil {
		c.codec = CodecByID
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.startWorkers()
	c.wg.Add(1)
	go c.run()
	return c
}

// kick wakes the background loop.
func (c *Consumer) kick() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// notifyLocked wakes every goroutine waiting in Poll or Position; c.mu is held.
func (c *Consumer) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Assign makes parts the consumer's whole assignment, replacing the
// previous one (as Java's assign). New partitions start at their committed
// offset when a group provides one, otherwise where AutoOffsetReset says,
// unless Seek sets a position first. Partitions dropped lose their position
// and buffered records. Assign with no partitions unassigns everything.
func (c *Consumer) Assign(parts ...TopicPartition) error {
	if c.subscribed() {
		return errSubscribed
	}
	want := make(map[TopicPartition]bool, len(parts))
	for _, tp := range parts {
		if tp.Topic == "" || tp.Partition < 0 {
			return fmt.Errorf("core: cannot assign %q partition %d: need a topic name and a partition >= 0", tp.Topic, tp.Partition)
		}
		want[tp] = true
	}
	var removed []TopicPartition
	for _, tp := range c.Assignment() {
		if !want[tp] {
			removed = append(removed, tp)
		}
	}
	if err := c.unassign(removed...); err != nil {
		return err
	}
	return c.assign(parts...)
}

// assign adds partitions to the assignment, keeping the others: the hook for
// incremental (cooperative) assignment.
func (c *Consumer) assign(parts ...TopicPartition) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrConsumerClosed
	}
	var added []TopicPartition
	for _, tp := range parts {
		if c.parts[tp] != nil {
			continue
		}
		ps := newPartState(tp)
		ps.worker = c.nassign
		c.nassign++
		c.parts[tp] = ps
		c.order = append(c.order, ps)
		added = append(added, tp)
	}
	hook := c.hooks.assigned
	c.mu.Unlock()
	c.kick()
	if hook != nil && len(added) > 0 {
		hook(added, nil)
	}
	return nil
}

// unassign removes partitions from the assignment, dropping their buffered
// records: the hook for revocation.
func (c *Consumer) unassign(parts ...TopicPartition) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrConsumerClosed
	}
	var removed []TopicPartition
	for _, tp := range parts {
		ps := c.parts[tp]
		if ps == nil {
			continue
		}
		delete(c.parts, tp)
		ps.gen++ // in-flight fetch results for it are dropped
		c.dropChunksLocked(ps)
		removed = append(removed, tp)
	}
	if len(removed) > 0 {
		c.order = slices.DeleteFunc(c.order, func(ps *partState) bool { return c.parts[ps.tp] != ps })
		c.notifyLocked()
	}
	hook := c.hooks.assigned
	c.mu.Unlock()
	if hook != nil && len(removed) > 0 {
		hook(nil, removed)
	}
	return nil
}

// Assignment returns the assigned partitions in the order they were assigned.
func (c *Consumer) Assignment() []TopicPartition {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]TopicPartition, len(c.order))
	for i, ps := range c.order {
		out[i] = ps.tp
	}
	return out
}

// lookup returns the state of an assigned partition, or an error naming it;
// c.mu is held.
func (c *Consumer) lookupLocked(tp TopicPartition) (*partState, error) {
	if c.closed {
		return nil, ErrConsumerClosed
	}
	ps := c.parts[tp]
	if ps == nil {
		return nil, fmt.Errorf("core: partition %s is not assigned to this consumer; Assign it first", tp)
	}
	return ps, nil
}

// Seek sets the next offset Poll returns for an assigned partition,
// dropping records already buffered for it and clearing an error it had
// stopped at. Seeking beyond the end is allowed: the first fetch then gets
// OFFSET_OUT_OF_RANGE and AutoOffsetReset applies.
func (c *Consumer) Seek(tp TopicPartition, offset int64) error {
	return c.seek(tp, OffsetEpoch{Offset: offset, LeaderEpoch: -1})
}

// seek is Seek with a leader epoch, validated against the leader before
// fetching when known (a committed offset's epoch, for the group engine).
func (c *Consumer) seek(tp TopicPartition, pos OffsetEpoch) error {
	if pos.Offset < 0 {
		return fmt.Errorf("core: cannot seek %s to offset %d; use SeekToBeginning or SeekToEnd", tp, pos.Offset)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ps, err := c.lookupLocked(tp)
	if err != nil {
		return err
	}
	c.resetStateLocked(ps)
	ps.setPosition(pos)
	if pos.LeaderEpoch >= 0 {
		ps.state = stateNeedValidation
	}
	c.kick()
	return nil
}

// SeekToBeginning makes the given partitions (all assigned ones when none
// are given) start at their log start offset, looked up lazily.
func (c *Consumer) SeekToBeginning(parts ...TopicPartition) error {
	return c.seekTo(ResetEarliest, parts)
}

// SeekToEnd makes the given partitions (all assigned ones when none are
// given) start at their end offset (the last stable offset with
// read_committed), looked up lazily.
func (c *Consumer) SeekToEnd(parts ...TopicPartition) error {
	return c.seekTo(ResetLatest, parts)
}

func (c *Consumer) seekTo(policy OffsetReset, parts []TopicPartition) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(parts) == 0 {
		for _, ps := range c.order {
			parts = append(parts, ps.tp)
		}
	}
	for _, tp := range parts {
		ps, err := c.lookupLocked(tp)
		if err != nil {
			return err
		}
		c.resetStateLocked(ps)
		ps.state, ps.resetPolicy = stateNeedReset, policy
	}
	c.kick()
	return nil
}

// resetStateLocked forgets a partition's position, buffered records, error
// and in-flight fetch; c.mu is held.
func (c *Consumer) resetStateLocked(ps *partState) {
	ps.gen++
	c.dropChunksLocked(ps)
	ps.err, ps.hasPos, ps.retryAt = nil, false, time.Time{}
	ps.state = stateNeedPosition
	c.notifyLocked()
}

// Position returns the next offset Poll will return for an assigned
// partition. When the partition has no position yet it waits, until ctx
// ends, for the committed offset or the offset reset to provide one.
func (c *Consumer) Position(ctx context.Context, tp TopicPartition) (int64, error) {
	for {
		c.mu.Lock()
		ps, err := c.lookupLocked(tp)
		if err != nil {
			c.mu.Unlock()
			return -1, err
		}
		if ps.hasPos {
			off := ps.pos.Offset
			c.mu.Unlock()
			return off, nil
		}
		if ps.err != nil {
			err := ps.err
			c.mu.Unlock()
			return -1, err
		}
		ch := c.changed
		c.mu.Unlock()
		c.kick()
		select {
		case <-ch:
		case <-ctx.Done():
			return -1, ctx.Err()
		}
	}
}

// Highwater returns the high watermark of an assigned partition from the
// last fetch response for it, and false before there was one.
func (c *Consumer) Highwater(tp TopicPartition) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ps := c.parts[tp]; ps != nil && ps.hw >= 0 {
		return ps.hw, true
	}
	return -1, false
}

// Pause stops fetching the given assigned partitions; Poll returns no
// records from them until Resume. Records already buffered are kept.
func (c *Consumer) Pause(parts ...TopicPartition) error { return c.setPaused(parts, true) }

// Resume undoes Pause.
func (c *Consumer) Resume(parts ...TopicPartition) error { return c.setPaused(parts, false) }

func (c *Consumer) setPaused(parts []TopicPartition, paused bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, tp := range parts {
		ps, err := c.lookupLocked(tp)
		if err != nil {
			return err
		}
		ps.paused = paused
	}
	c.notifyLocked()
	c.kick()
	return nil
}

// Paused returns the paused partitions, in assignment order.
func (c *Consumer) Paused() []TopicPartition {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []TopicPartition
	for _, ps := range c.order {
		if ps.paused {
			out = append(out, ps.tp)
		}
	}
	return out
}

// Topics returns the cluster's topics and their partition counts, from
// fresh metadata (internal topics included).
func (c *Consumer) Topics(ctx context.Context) (map[string]int32, error) {
	m, err := c.cl.Refresh(ctx, nil, false)
	if err != nil {
		return nil, fmt.Errorf("core: listing topics: %w", err)
	}
	out := make(map[string]int32, len(m.Topics))
	for name, t := range m.Topics {
		if t.Err == nil {
			out[name] = int32(len(t.Partitions))
		}
	}
	return out, nil
}

// PartitionsForTopic returns the partitions of topic, or the topic's error
// (such as kerr.UnknownTopicOrPartition) when it has none. It does not
// create the topic.
func (c *Consumer) PartitionsForTopic(ctx context.Context, topic string) ([]TopicPartition, error) {
	m, err := c.cl.MetadataFor(ctx, []string{topic}, false)
	if err != nil {
		return nil, fmt.Errorf("core: partitions of %q: %w", topic, err)
	}
	t := m.Topics[topic]
	if t == nil || t.Err != nil {
		var terr error = errors.New("not in the metadata")
		if t != nil {
			terr = t.Err
		}
		return nil, fmt.Errorf("core: partitions of %q: %w", topic, terr)
	}
	out := make([]TopicPartition, len(t.Partitions))
	for i := range t.Partitions {
		out[i] = TopicPartition{topic, int32(i)}
	}
	return out, nil
}

// Close stops fetching, interrupts blocked calls (Poll and Next return
// ErrConsumerClosed, Records ends), asks the brokers to drop its fetch
// sessions (waiting at most a second) and closes the connections. Records
// returned before are not recycled by Close: they stay valid. Idempotent.
func (c *Consumer) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.mu.Unlock()
	gerr := c.closeGroup() // rebalance callbacks, auto commit, LeaveGroup (group_api.go)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return gerr
	}
	c.closed = true
	c.notifyLocked()
	c.mu.Unlock()
	c.cancel()
	c.wg.Wait()
	c.closeSessions()
	c.cl.Close()
	return gerr
}

// positions returns the consumed positions (offset after the last record
// handed out, and that record's leader epoch) of the given assigned
// partitions, or of all when parts is nil; partitions without a position
// are left out. The hook for auto-commit in a consumer group.
func (c *Consumer) positions(parts []TopicPartition) map[TopicPartition]OffsetEpoch {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[TopicPartition]OffsetEpoch{}
	add := func(ps *partState) {
		if ps != nil && ps.hasPos {
			out[ps.tp] = ps.pos
		}
	}
	if parts == nil {
		for _, ps := range c.order {
			add(ps)
		}
	}
	for _, tp := range parts {
		add(c.parts[tp])
	}
	return out
}
