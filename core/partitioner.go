package core

import (
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
)

// Partitioner chooses the partition of each record a Producer sends.
// Implementations must be safe for concurrent use and should not allocate:
// Partition runs once per record.
//
// The producer honours this contract:
//
//   - It calls Partition with the record (Topic, Key, Value, Headers and
//     Partition are set; Partition is the user's explicit choice, used by
//     ManualPartitioner and ignored by the others) and the topic's partitions, and sends the record to the
//     returned partition. It must not retain r or p.Available after the call.
//   - A result outside [0, p.Count) fails that record with an error naming
//     the partitioner; the producer does not retry it elsewhere.
//   - If the Partitioner also implements AppendObserver, the producer calls
//     OnAppend after it appended each record to a batch (see AppendObserver).
//
// The built-ins are DefaultPartitioner (Java's: murmur2 of the key, sticky
// for records without a key), StickyPartitioner, HashPartitioner,
// RoundRobinPartitioner and ManualPartitioner. The producer's default, used
// when ProducerConfig.Partitioner is nil, is
// NewDefaultPartitioner(ProducerConfig.BatchSize).
type Partitioner interface {
	Partition(r *Record, p PartitionSet) int32
}

// PartitionSet describes a topic's partitions to a Partitioner.
type PartitionSet struct {
	// Count is the topic's number of partitions; the producer guarantees Count > 0.
	Count int32
	// Available lists, in ascending order, the partitions whose leader is
	// known and reachable: a subset of [0, Count). Empty means that none is
	// known to be available, and partitioners that avoid unavailable
	// partitions then choose among all. The slice belongs to the producer.
	Available []int32
}

// AppendObserver is an optional interface of a Partitioner that needs to
// know how many bytes went to each partition, as sticky partitioning does
// (KIP-794, Java 3.3+): it stays on one partition until about one batch's
// worth of records without a key went there, then switches.
//
// The producer calls OnAppend once after appending each record to a batch,
// with the partition it went to and size, the bytes the record added to the
// batch as ProducerConfig.BatchSize counts them: its encoded size, scaled by
// the topic's estimated compression ratio when the producer compresses. Calls may come from several
// goroutines at once; OnAppend must be cheap and must not block or retain r.
type AppendObserver interface {
	OnAppend(r *Record, partition int32, size int)
}

// toPositive is Java's Utils.toPositive: it clears the sign bit, so that a
// negative hash maps to a non-negative one without Math.abs's MinInt trap.
func toPositive(n int32) int32 { return n & 0x7fffffff }

// KeyPartition returns the partition Java's producer gives a record with a
// non-null key: toPositive(murmur2(key)) % numPartitions. An empty key is
// hashed like any other (only a null key is sticky in Java). numPartitions
// must be positive.
func KeyPartition(key []byte, numPartitions int32) int32 {
	return toPositive(Murmur2(key)) % numPartitions
}

// randomPartition returns a random partition of p, preferring available
// ones and avoiding prev when there is another choice. Safe for concurrent
// use; does not allocate.
func randomPartition(p PartitionSet, prev int32) int32 {
	n := int32(len(p.Available))
	if n == 0 {
		n = p.Count
	}
	pick := func(i int32) int32 {
		if len(p.Available) == 0 {
			return i
		}
		return p.Available[i]
	}
	if n == 1 {
		return pick(0)
	}
	part := pick(rand.Int32N(n))
	if part == prev {
		// Choose uniformly among the n-1 others.
		i := rand.Int32N(n - 1)
		if part = pick(i); part == prev {
			part = pick(n - 1)
		}
	}
	return part
}

// available reports whether part may be used: it is in [0, p.Count) and,
// when p.Available is not empty, listed there.
func (p PartitionSet) available(part int32) bool {
	if part < 0 || part >= p.Count {
		return false
	}
	if len(p.Available) == 0 {
		return true
	}
	_, ok := slices.BinarySearch(p.Available, part)
	return ok
}

// topicMap maps topic names to per-topic state without locking on reads:
// a copy-on-write map, replaced when a topic is first seen. The entry found
// last is kept aside, so a producer sending to one topic skips the map's
// hashing.
type topicMap[T any] struct {
	mu   sync.Mutex
	m    atomic.Pointer[map[string]*topicEntry[T]]
	last atomic.Pointer[topicEntry[T]]
}

// topicEntry is one topic's state, with its name; never replaced.
type topicEntry[T any] struct {
	name string
	v    T
}

// get returns topic's state, creating it (zero) on first use.
func (t *topicMap[T]) get(topic string) *T {
	if v := t.lookup(topic); v != nil {
		return v
	}
	return t.add(topic, nil)
}

// lookup returns topic's state or nil, never creating it.
func (t *topicMap[T]) lookup(topic string) *T {
	if e := t.last.Load(); e != nil && e.name == topic {
		return &e.v
	}
	if m := t.m.Load(); m != nil {
		if e := (*m)[topic]; e != nil {
			t.last.Store(e)
			return &e.v
		}
	}
	return nil
}

// add returns topic's state, creating it on first use: init, if not nil,
// sets it up before any other goroutine can see it.
func (t *topicMap[T]) add(topic string, init func(*T)) *T {
	t.mu.Lock()
	defer t.mu.Unlock()
	old := t.snapshot()
	if e, ok := old[topic]; ok {
		return &e.v
	}
	next := make(map[string]*topicEntry[T], len(old)+1)
	maps.Copy(next, old)
	e := &topicEntry[T]{name: topic}
	if init != nil {
		init(&e.v)
	}
	next[topic] = e
	t.m.Store(&next)
	return &e.v
}

// snapshot returns the topics added so far, without locking; read-only.
// A topic added meanwhile is not in it.
func (t *topicMap[T]) snapshot() map[string]*topicEntry[T] {
	if m := t.m.Load(); m != nil {
		return *m
	}
	return nil
}

// locked runs fn while no topic can be added.
func (t *topicMap[T]) locked(fn func(topics map[string]*topicEntry[T])) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fn(t.snapshot())
}

// Murmur2 is Java's Utils.murmur2: 32-bit MurmurHash2 with seed 0x9747b28c,
// reading data as little-endian 4-byte blocks. A nil slice hashes like an
// empty one. Safe for concurrent use; does not allocate.
func Murmur2(data []byte) int32 {
	const m = 0x5bd1e995
	n := len(data)
	h := uint32(0x9747b28c) ^ uint32(n)
	for ; len(data) >= 4; data = data[4:] {
		k := uint32(data[0]) | uint32(data[1])<<8 | uint32(data[2])<<16 | uint32(data[3])<<24
		k *= m
		k ^= k >> 24
		k *= m
		h *= m
		h ^= k
	}
	switch len(data) {
	case 3:
		h ^= uint32(data[2]) << 16
		fallthrough
	case 2:
		h ^= uint32(data[1]) << 8
		fallthrough
	case 1:
		h ^= uint32(data[0])
		h *= m
	}
	h ^= h >> 13
	h *= m
	h ^= h >> 15
	return int32(h)
}

// defaultBatchSize is the producer's default batch.size, used by a
// StickyPartitioner or DefaultPartitioner built without one.
const defaultBatchSize = 16384

// StickyPartitioner is Java's sticky partitioning (KIP-480, as reworked by
// KIP-794 in Java 3.3): every record goes to the topic's current partition
// until about BatchSize bytes went there, then it switches to another
// partition chosen at random among the available ones. Batches fill up, so
// records without a key are sent in fewer, larger requests than round-robin
// would make, and partitions still receive similar volumes over time.
//
// It ignores keys, like Java's partitioner.ignore.keys=true; use
// DefaultPartitioner to hash keyed records. It needs the producer's OnAppend
// calls (see AppendObserver); without them it never switches unless its
// partition becomes unavailable, in which case it switches at once.
//
// It switches after BatchSize bytes even if the linger timer sent smaller
// batches in between: KIP-794 found that switching on each new batch sends
// more records to slower brokers, whose batches fill up more often.
//
// The zero value is ready to use with a batch size of 16384 bytes. Safe for
// concurrent use; Partition and OnAppend do not allocate except the first
// time they see a topic.
type StickyPartitioner struct {
	batchSize int
	topics    topicMap[stickyState]
}

// NewStickyPartitioner returns a StickyPartitioner that switches partition
// after batchSize bytes (pass ProducerConfig.BatchSize); a batchSize < 1
// means 16384.
func NewStickyPartitioner(batchSize int) *StickyPartitioner {
	return &StickyPartitioner{batchSize: batchSize}
}

// stickyState packs a topic's sticky partition and the bytes produced to it
// into one word, so both change together by compare-and-swap: the high 32
// bits hold the partition + 1 (0: none chosen), the low 32 bits the bytes
// produced to it or, when none is chosen, the previous partition + 1.
type stickyState struct{ v atomic.Uint64 }

func packSticky(part int32, low uint32) uint64 { return uint64(uint32(part+1))<<32 | uint64(low) }

// Partition returns the topic's current sticky partition, choosing a new one
// first if there is none or it is no longer available.
func (s *StickyPartitioner) Partition(r *Record, p PartitionSet) int32 {
	st := s.topics.get(r.Topic)
	for {
		v := st.v.Load()
		cur := int32(v>>32) - 1
		if cur >= 0 && p.available(cur) {
			return cur
		}
		prev := cur
		if cur < 0 {
			prev = int32(uint32(v)) - 1
		}
		next := randomPartition(p, prev)
		if st.v.CompareAndSwap(v, packSticky(next, 0)) {
			return next
		}
	}
}

// OnAppend counts size bytes towards partition if it is the topic's sticky
// partition, and ends that partition's turn once the batch size is reached:
// the next Partition call chooses another.
func (s *StickyPartitioner) OnAppend(r *Record, partition int32, size int) {
	st := s.topics.lookup(r.Topic)
	if st == nil {
		return
	}
	limit := uint64(s.batchSize)
	if s.batchSize < 1 {
		limit = defaultBatchSize
	}
	for {
		v := st.v.Load()
		if int32(v>>32)-1 != partition {
			return
		}
		produced := uint64(uint32(v)) + uint64(max(size, 0))
		next := packSticky(-1, uint32(partition+1)) // turn over; remember it
		if produced < limit {
			next = packSticky(partition, uint32(produced))
		}
		if st.v.CompareAndSwap(v, next) {
			return
		}
	}
}

// DefaultPartitioner is the Java producer's default (its built-in
// partitioner since 3.3): a record with a key goes to KeyPartition(key,
// Count), so equal keys land on the same partition as with Java clients; a
// record with a nil key is partitioned by a StickyPartitioner. An empty
// non-nil key is a key (hashed), as in Java.
//
// Keyed records ignore availability (a key must always map to the same
// partition). Adaptive partitioning by queue sizes (Java's
// partitioner.adaptive.partitioning.enable) is not done; the producer may
// approximate partitioner.availability.timeout.ms by leaving slow brokers'
// partitions out of PartitionSet.Available.
//
// Create it with NewDefaultPartitioner; the zero value is ready to use with
// a batch size of 16384 bytes. Safe for concurrent use; does not allocate
// except the first time it sees a topic.
type DefaultPartitioner struct {
	sticky StickyPartitioner
}

// NewDefaultPartitioner returns a DefaultPartitioner whose sticky part
// switches partition after batchSize bytes (pass ProducerConfig.BatchSize);
// a batchSize < 1 means 16384.
func NewDefaultPartitioner(batchSize int) *DefaultPartitioner {
	return &DefaultPartitioner{sticky: StickyPartitioner{batchSize: batchSize}}
}

// Partition hashes r.Key if it is not nil and is sticky otherwise.
func (d *DefaultPartitioner) Partition(r *Record, p PartitionSet) int32 {
	if r.Key != nil {
		return KeyPartition(r.Key, p.Count)
	}
	return d.sticky.Partition(r, p)
}

// OnAppend feeds the sticky part with the records that have no key.
func (d *DefaultPartitioner) OnAppend(r *Record, partition int32, size int) {
	if r.Key == nil {
		d.sticky.OnAppend(r, partition, size)
	}
}

// HashPartitioner sends every record to KeyPartition(r.Key, Count),
// regardless of availability. Unlike DefaultPartitioner it also hashes a
// nil key (as an empty one), so all records without a key go to one
// partition, like librdkafka's "murmur2" partitioner. It is stateless: the
// zero value is ready, safe for concurrent use, and does not allocate.
type HashPartitioner struct{}

// Partition returns KeyPartition(r.Key, p.Count).
func (HashPartitioner) Partition(r *Record, p PartitionSet) int32 {
	return KeyPartition(r.Key, p.Count)
}

// RoundRobinPartitioner ignores keys and cycles through a topic's available
// partitions (all partitions when none is known to be available), one record
// at a time, like Java's RoundRobinPartitioner. Each topic has its own
// cycle. It sends many small batches; prefer StickyPartitioner for
// throughput. The zero value is ready to use. Safe for concurrent use; does
// not allocate except the first time it sees a topic.
type RoundRobinPartitioner struct {
	topics topicMap[atomic.Uint32]
}

// NewRoundRobinPartitioner returns a new RoundRobinPartitioner.
func NewRoundRobinPartitioner() *RoundRobinPartitioner { return new(RoundRobinPartitioner) }

// Partition returns the next partition of the topic's cycle.
func (rr *RoundRobinPartitioner) Partition(r *Record, p PartitionSet) int32 {
	next := int32((rr.topics.get(r.Topic).Add(1) - 1) & 0x7fffffff)
	if n := int32(len(p.Available)); n > 0 {
		return p.Available[next%n]
	}
	return next % p.Count
}

// ManualPartitioner sends each record to the partition set in its Partition
// field (0 if not set), for programs that choose partitions themselves. A
// partition that does not exist fails the record. It is stateless: the zero
// value is ready, safe for concurrent use, and does not allocate.
type ManualPartitioner struct{}

// Partition returns r.Partition.
func (ManualPartitioner) Partition(r *Record, _ PartitionSet) int32 { return r.Partition }
