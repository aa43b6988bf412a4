package core

import (
	"fmt"
	"strings"
	"time"
)

// OffsetReset says where a consumer starts in a partition that has no
// committed offset, or whose position is out of range. The zero value is
// ResetLatest, Java's default.
type OffsetReset int8

// Offset reset policies (auto.offset.reset).
const (
	// ResetLatest starts at the end: only records produced from now on.
	ResetLatest OffsetReset = iota
	// ResetEarliest starts at the beginning of the log.
	ResetEarliest
	// ResetNone fails the fetch with ErrNoOffset: the application decides.
	ResetNone
)

// UnmarshalText accepts latest, earliest and none.
func (r *OffsetReset) UnmarshalText(b []byte) error {
	switch strings.ToLower(string(b)) {
	case "latest", "largest":
		*r = ResetLatest
	case "earliest", "smallest":
		*r = ResetEarliest
	case "none":
		*r = ResetNone
	default:
		return fmt.Errorf("auto.offset.reset %q is not one of latest, earliest, none", b)
	}
	return nil
}

// String returns the property value of r.
func (r OffsetReset) String() string {
	return [...]string{"latest", "earliest", "none"}[r]
}

// IsolationLevel says whether a consumer sees records of transactions that
// are open or aborted. The zero value is ReadUncommitted, Java's default.
type IsolationLevel int8

// Isolation levels (isolation.level).
const (
	// ReadUncommitted returns every record, whatever its transaction's fate.
	ReadUncommitted IsolationLevel = iota
	// ReadCommitted returns only records of committed transactions (and
	// non-transactional ones), up to the last stable offset.
	ReadCommitted
)

// UnmarshalText accepts read_uncommitted and read_committed.
func (l *IsolationLevel) UnmarshalText(b []byte) error {
	switch strings.ToLower(string(b)) {
	case "read_uncommitted":
		*l = ReadUncommitted
	case "read_committed":
		*l = ReadCommitted
	default:
		return fmt.Errorf("isolation.level %q is not read_uncommitted or read_committed", b)
	}
	return nil
}

// GroupProtocol selects the consumer-group protocol. The zero value is
// GroupProtocolClassic.
type GroupProtocol int8

// Group protocols (group.protocol).
const (
	// GroupProtocolClassic is JoinGroup/SyncGroup with client-side assignors.
	GroupProtocolClassic GroupProtocol = iota
	// GroupProtocolConsumer is KIP-848's ConsumerGroupHeartbeat protocol with
	// broker-side assignors (Kafka 4.0+).
	GroupProtocolConsumer
)

// UnmarshalText accepts classic and consumer.
func (g *GroupProtocol) UnmarshalText(b []byte) error {
	switch strings.ToLower(string(b)) {
	case "classic":
		*g = GroupProtocolClassic
	case "consumer":
		*g = GroupProtocolConsumer
	default:
		return fmt.Errorf("group.protocol %q is not classic or consumer", b)
	}
	return nil
}

// ConsumerConfig configures a Consumer. Zero fields take the documented
// defaults, which are the Java consumer's.
type ConsumerConfig struct {
	Config

	// GroupID joins the consumer group of that name when subscribing; empty
	// means no group (Assign partitions by hand; no commits).
	GroupID string `prop:"group.id"`

	// GroupInstanceID makes the member static (KIP-345): restarting within
	// SessionTimeout keeps its partitions without a rebalance.
	GroupInstanceID string `prop:"group.instance.id"`

	// GroupProtocol is classic (default) or consumer (KIP-848).
	GroupProtocol GroupProtocol `prop:"group.protocol"`

	// Assignors are the partition assignors offered, in order of
	// preference, with the classic protocol. Default: those named by
	// AssignmentStrategy.
	Assignors []Assignor

	// AssignmentStrategy names registered assignors when Assignors is empty.
	// Default "range,cooperative-sticky" as in Java; import the packages
	// (or package assignors for all).
	AssignmentStrategy []string `prop:"partition.assignment.strategy"`

	// RemoteAssignor names the broker-side assignor for GroupProtocolConsumer
	// ("uniform" or "range"); empty lets the broker choose.
	RemoteAssignor string `prop:"group.remote.assignor"`

	// AutoOffsetReset is where to start without a committed offset. Default latest.
	AutoOffsetReset OffsetReset `prop:"auto.offset.reset"`

	// DisableAutoCommit turns off committing the consumed positions every
	// AutoCommitInterval, on rebalance and on Close (on by default with a group).
	DisableAutoCommit  bool          `prop:"enable.auto.commit,invert"`
	AutoCommitInterval time.Duration `prop:"auto.commit.interval.ms,ms"` // default 5s

	// SessionTimeout is how long the coordinator waits for heartbeats before
	// removing the member. Default 45s.
	SessionTimeout time.Duration `prop:"session.timeout.ms,ms"`
	// HeartbeatInterval is the time between heartbeats. Default 3s.
	HeartbeatInterval time.Duration `prop:"heartbeat.interval.ms,ms"`
	// MaxPollInterval is the longest the application may go without polling
	// before the member leaves the group so others take its partitions.
	// Default 5m. It is also the rebalance timeout.
	MaxPollInterval time.Duration `prop:"max.poll.interval.ms,ms"`

	// MaxPollRecords caps the records one Poll returns. Default 500.
	MaxPollRecords int `prop:"max.poll.records"`

	// FetchMinBytes is how many bytes the broker waits for before answering
	// a fetch (or FetchMaxWait passes). Default 1.
	FetchMinBytes int32 `prop:"fetch.min.bytes"`
	// FetchMaxWait is the longest the broker holds a fetch waiting for
	// FetchMinBytes. Default 500ms. A Fetch that would ask only for
	// partitions already caught up, while another partition of the same
	// broker has records waiting until its buffered ones are polled, is
	// sent with that partition instead, or after at most 100 ms: so the
	// broker's wait never delays a backlog.
	FetchMaxWait time.Duration `prop:"fetch.max.wait.ms,ms"`
	// FetchMaxBytes caps one fetch response. Default 50 MiB.
	FetchMaxBytes int32 `prop:"fetch.max.bytes"`
	// MaxPartitionFetchBytes caps the bytes per partition in a fetch. Default 1 MiB.
	MaxPartitionFetchBytes int32 `prop:"max.partition.fetch.bytes"`
	// MaxBufferedBytes caps the fetched bytes held while the application has
	// not polled them (for compressed batches, their wire bytes plus what
	// they decompress to); fetching pauses above it. Default 2 × FetchMaxBytes.
	MaxBufferedBytes int64 `prop:"fetch.buffer.max.bytes"`

	// IsolationLevel is read_uncommitted (default) or read_committed.
	IsolationLevel IsolationLevel `prop:"isolation.level"`

	// SkipCRC turns off verifying record batch CRCs (on by default).
	SkipCRC bool `prop:"check.crcs,invert"`

	// MaxDecompressedBytes bounds one batch's decompressed size. Default 256 MiB.
	MaxDecompressedBytes int `prop:"fetch.max.decompressed.bytes"`

	// Codecs looks decompression codecs up by batch attribute id (1 gzip,
	// 2 snappy, 3 lz4, 4 zstd). Default CodecByID, the registry: import the
	// codec packages you need. A nil result makes Poll return a *FetchError
	// naming the partition, offset and import. It is called concurrently and
	// must not block.
	Codecs func(id int8) Codec

	// DisableAutoTopicCreation asks the broker not to create subscribed topics
	// that do not exist. Default: allowed, as in Java.
	DisableAutoTopicCreation bool `prop:"allow.auto.create.topics,invert"`
}

func (c ConsumerConfig) withDefaults() ConsumerConfig {
	c.Config = c.Config.withDefaults()
	if len(c.AssignmentStrategy) == 0 {
		c.AssignmentStrategy = []string{"range", "cooperative-sticky"}
	}
	def(&c.AutoCommitInterval, 5*time.Second)
	def(&c.SessionTimeout, 45*time.Second)
	def(&c.HeartbeatInterval, 3*time.Second)
	def(&c.MaxPollInterval, 5*time.Minute)
	def(&c.MaxPollRecords, 500)
	def(&c.FetchMinBytes, 1)
	def(&c.FetchMaxWait, 500*time.Millisecond)
	def(&c.FetchMaxBytes, 50<<20)
	def(&c.MaxPartitionFetchBytes, 1<<20)
	def(&c.MaxBufferedBytes, 2*int64(c.FetchMaxBytes))
	def(&c.MaxDecompressedBytes, 256<<20)
	return c
}

func (c ConsumerConfig) validate() error {
	errs := c.Config.validate(nil)
	if c.GroupInstanceID != "" && c.GroupID == "" {
		errs = append(errs, fmt.Errorf("GroupInstanceID needs a GroupID"))
	}
	if c.HeartbeatInterval >= c.SessionTimeout {
		errs = append(errs, fmt.Errorf("HeartbeatInterval %v must be less than SessionTimeout %v", c.HeartbeatInterval, c.SessionTimeout))
	}
	if c.MaxPollRecords < 1 || c.FetchMaxBytes < 1 || c.MaxPartitionFetchBytes < 1 {
		errs = append(errs, fmt.Errorf("MaxPollRecords %d, FetchMaxBytes %d and MaxPartitionFetchBytes %d must be positive", c.MaxPollRecords, c.FetchMaxBytes, c.MaxPartitionFetchBytes))
	}
	if c.GroupID != "" && c.GroupProtocol == GroupProtocolClassic && len(c.Assignors) == 0 {
		for _, name := range c.AssignmentStrategy {
			if _, err := AssignorByName(name); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return configError(errs)
}
