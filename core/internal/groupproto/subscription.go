package groupproto

import "fmt"

// HighestVersion is the highest ConsumerProtocol Subscription and Assignment
// version this package knows. Encoders accept 0..HighestVersion; decoders
// accept any version >= 0 and read the fields of at most HighestVersion.
const HighestVersion int16 = 3

// NoGeneration is the generation id of a subscription that carries none
// (versions 0 and 1), as in Java's client.
const NoGeneration int32 = -1

// TopicPartitions is a topic and some of its partitions.
type TopicPartitions struct {
	Topic      string
	Partitions []int32
}

// Subscription is a consumer's JoinGroup protocol metadata (Java's
// ConsumerProtocolSubscription).
type Subscription struct {
	// Version is the version to encode, or the version that was decoded
	// (which may be above HighestVersion).
	Version int16
	// Topics are the topics the member subscribes to.
	Topics []string
	// UserData is the assignor's opaque data; nil encodes as null.
	UserData []byte
	// OwnedPartitions (v1+) are the partitions the member owns now.
	OwnedPartitions []TopicPartitions
	// GenerationID (v2+) is the generation of OwnedPartitions;
	// NoGeneration when absent.
	GenerationID int32
	// RackID (v3+) is the member's client.rack; nil when absent.
	RackID *string
}

// AppendSubscription appends s encoded at s.Version to dst. Fields that the
// version does not have are left out, as Java's client does for these
// ignorable fields.
func AppendSubscription(dst []byte, s *Subscription) ([]byte, error) {
	v := s.Version
	if v < 0 || v > HighestVersion {
		return dst, fmt.Errorf("groupproto: cannot encode subscription version %d: use 0..%d", v, HighestVersion)
	}
	dst = appendInt16(dst, v)
	dst, err := appendStringArray(dst, s.Topics)
	if err == nil {
		dst, err = appendNullableBytes(dst, s.UserData)
	}
	if err == nil && v >= 1 {
		dst, err = appendTopicPartitions(dst, s.OwnedPartitions)
	}
	if err == nil && v >= 2 {
		dst = appendInt32(dst, s.GenerationID)
	}
	if err == nil && v >= 3 {
		dst, err = appendNullableString(dst, s.RackID)
	}
	return dst, err
}

// DecodeSubscription decodes a Subscription of any version >= 0. Bytes after
// the fields of the known versions are ignored (forward compatibility).
func DecodeSubscription(b []byte) (Subscription, error) {
	r := reader{b: b}
	s := Subscription{Version: r.int16(), GenerationID: NoGeneration}
	if r.err == nil && s.Version < 0 {
		return Subscription{}, fmt.Errorf("groupproto: invalid subscription version %d", s.Version)
	}
	s.Topics = r.stringArray()
	s.UserData = r.nullableBytes()
	if s.Version >= 1 {
		s.OwnedPartitions = r.topicPartitions()
	}
	if s.Version >= 2 {
		s.GenerationID = r.int32()
	}
	if s.Version >= 3 {
		if rack, ok := r.nullableString(); ok {
			s.RackID = &rack
		}
	}
	if r.err != nil {
		return Subscription{}, fmt.Errorf("groupproto: decoding consumer subscription v%d: %w", s.Version, r.err)
	}
	return s, nil
}
