package groupproto

import "fmt"

// Assignment is a consumer's SyncGroup assignment (Java's
// ConsumerProtocolAssignment). All versions 0..3 have the same fields.
type Assignment struct {
	// Version is the version to encode, or the version that was decoded
	// (which may be above HighestVersion).
	Version int16
	// Partitions are the partitions assigned to the member.
	Partitions []TopicPartitions
	// UserData is the assignor's opaque data; nil encodes as null.
	UserData []byte
}

// AppendAssignment appends a encoded at a.Version to dst.
func AppendAssignment(dst []byte, a *Assignment) ([]byte, error) {
	if a.Version < 0 || a.Version > HighestVersion {
		return dst, fmt.Errorf("groupproto: cannot encode assignment version %d: use 0..%d", a.Version, HighestVersion)
	}
	dst = appendInt16(dst, a.Version)
	dst, err := appendTopicPartitions(dst, a.Partitions)
	if err == nil {
		dst, err = appendNullableBytes(dst, a.UserData)
	}
	return dst, err
}

// DecodeAssignment decodes an Assignment of any version >= 0. An empty input
// decodes as an empty assignment, as the coordinator sends no bytes to a
// member that gets nothing. Bytes after the known fields are ignored.
func DecodeAssignment(b []byte) (Assignment, error) {
	if len(b) == 0 {
		return Assignment{}, nil
	}
	r := reader{b: b}
	a := Assignment{Version: r.int16()}
	if r.err == nil && a.Version < 0 {
		return Assignment{}, fmt.Errorf("groupproto: invalid assignment version %d", a.Version)
	}
	a.Partitions = r.topicPartitions()
	a.UserData = r.nullableBytes()
	if r.err != nil {
		return Assignment{}, fmt.Errorf("groupproto: decoding consumer assignment v%d: %w", a.Version, r.err)
	}
	return a, nil
}
