package core

import (
	"fmt"
	"strings"
	"time"
)

// Acks is how many replicas must have a record before the broker
// acknowledges it. The zero value is AcksAll, Java's default.
type Acks int8

// Acknowledgement levels.
const (
	// AcksAll waits for every in-sync replica (acks=all, -1). The default.
	AcksAll Acks = iota
	// AcksLeader waits for the partition leader only (acks=1).
	AcksLeader
	// AcksNone does not wait at all (acks=0): no offsets, no errors, no retries.
	AcksNone
)

// wire returns the value of the Produce request's acks field.
func (a Acks) wire() int16 {
	switch a {
	case AcksLeader:
		return 1
	case AcksNone:
		return 0
	}
	return -1
}

// UnmarshalText accepts the property values all, -1, 1 and 0.
func (a *Acks) UnmarshalText(b []byte) error {
	switch strings.ToLower(string(b)) {
	case "all", "-1":
		*a = AcksAll
	case "1":
		*a = AcksLeader
	case "0":
		*a = AcksNone
	default:
		return fmt.Errorf("acks %q is not one of all, -1, 1, 0", b)
	}
	return nil
}

// ProducerConfig configures a Producer. Zero fields take the documented
// defaults, which are the Java producer's.
type ProducerConfig struct {
	Config

	// Acks is the acknowledgement level. Default AcksAll.
	Acks Acks `prop:"acks"`

	// DisableIdempotence turns off the idempotent producer, which is on by
	// default: with it, retries neither duplicate nor reorder records. It needs
	// AcksAll and at most 5 in-flight requests per connection.
	DisableIdempotence bool `prop:"enable.idempotence,invert"`

	// Linger is how long a batch waits for more records before it is sent.
	// Default 5ms; a negative value sends as soon as possible.
	Linger time.Duration `prop:"linger.ms,ms"`

	// BatchSize is the most bytes of records one partition's batch
	// collects. Default 16384. With compression it counts compressed
	// bytes, as in the Java client: a batch collects the records estimated
	// (from the topic's last batches) to compress to BatchSize, up to 8
	// times BatchSize and half of MaxRequestSize uncompressed. A record
	// larger than this goes in a batch of its own. A batch the broker
	// rejects as too large (the topic's max.message.bytes) is split in
	// halves and sent again, as in Java; a single record too large fails
	// with ErrRecordTooLarge.
	BatchSize int `prop:"batch.size"`

	// BufferMemory bounds the bytes of records waiting to be sent; Send blocks
	// while it is full, for at most MaxBlock. Default 32 MiB.
	BufferMemory int64 `prop:"buffer.memory"`

	// MaxBlock bounds how long Send waits for buffer space or for the
	// metadata of a new topic. Default 60s.
	MaxBlock time.Duration `prop:"max.block.ms,ms"`

	// MaxRequestSize is the largest record (and Produce request) the producer
	// sends; a larger record fails at once with ErrRecordTooLarge. Default 1 MiB.
	MaxRequestSize int `prop:"max.request.size"`

	// DeliveryTimeout bounds the time from Send to the record's final result,
	// retries included. Default 120s.
	DeliveryTimeout time.Duration `prop:"delivery.timeout.ms,ms"`

	// Compression names the codec: none (default), gzip, snappy, lz4 or zstd;
	// the codec's package must be imported (see package codecs).
	Compression string `prop:"compression.type"`

	// Codec, when set, is used instead of looking Compression up in the
	// registry: for a custom codec or one configured with a level.
	Codec Codec

	// Partitioner picks the partition of records. Default: Java's, murmur2 of
	// the key for keyed records and sticky partitions for others.
	Partitioner Partitioner

	// DisableAutoTopicCreation asks the broker not to create topics that do
	// not exist when the producer looks them up. Default: allowed, as in Java.
	DisableAutoTopicCreation bool `prop:"allow.auto.create.topics,invert"`

	// TransactionalID makes the producer transactional. Default none.
	TransactionalID string `prop:"transactional.id"`

	// TransactionTimeout is how long the coordinator waits for a transaction
	// to finish before aborting it. Default 60s.
	TransactionTimeout time.Duration `prop:"transaction.timeout.ms,ms"`
}

func (c ProducerConfig) withDefaults() ProducerConfig {
	c.Config = c.Config.withDefaults()
	def(&c.Linger, 5*time.Millisecond)
	if c.Linger < 0 {
		c.Linger = 0
	}
	def(&c.BatchSize, 16384)
	def(&c.BufferMemory, 32<<20)
	def(&c.MaxBlock, 60*time.Second)
	def(&c.MaxRequestSize, 1<<20)
	def(&c.DeliveryTimeout, 120*time.Second)
	def(&c.Compression, "none")
	def(&c.TransactionTimeout, 60*time.Second)
	return c
}

func (c ProducerConfig) validate() error {
	errs := c.Config.validate(nil)
	if !c.DisableIdempotence {
		if c.Acks != AcksAll {
			errs = append(errs, fmt.Errorf("idempotence needs Acks all (acks=all); set DisableIdempotence (enable.idempotence=false) to use acks=%d", c.Acks.wire()))
		}
		if c.MaxInFlightRequestsPerConnection > 5 {
			errs = append(errs, fmt.Errorf("idempotence allows at most 5 in-flight requests per connection, not %d", c.MaxInFlightRequestsPerConnection))
		}
	}
	if c.TransactionalID != "" && c.DisableIdempotence {
		errs = append(errs, fmt.Errorf("a transactional producer (TransactionalID %q) needs idempotence; leave DisableIdempotence false (enable.idempotence=true)", c.TransactionalID))
	}
	if c.TransactionalID != "" && c.TransactionTimeout < time.Millisecond {
		errs = append(errs, fmt.Errorf("TransactionTimeout %v must be at least 1ms", c.TransactionTimeout))
	}
	if c.BatchSize < 1 || c.BufferMemory < 1 || c.MaxRequestSize < 1 {
		errs = append(errs, fmt.Errorf("BatchSize %d, BufferMemory %d and MaxRequestSize %d must be positive", c.BatchSize, c.BufferMemory, c.MaxRequestSize))
	}
	if int64(c.MaxRequestSize) > c.BufferMemory {
		errs = append(errs, fmt.Errorf("MaxRequestSize %d exceeds BufferMemory %d: such a record could never be buffered", c.MaxRequestSize, c.BufferMemory))
	}
	if int64(c.BatchSize) > c.BufferMemory {
		errs = append(errs, fmt.Errorf("BatchSize %d exceeds BufferMemory %d: no batch could ever be buffered; lower BatchSize or raise BufferMemory", c.BatchSize, c.BufferMemory))
	}
	if c.Codec == nil && c.Compression != "none" {
		if _, err := CodecByName(c.Compression); err != nil {
			errs = append(errs, err)
		}
	}
	return configError(errs)
}
