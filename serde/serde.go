package serde

import (
	"bytes"

	"github.com/kafka3/kafka3-go/core"
)

// String is the serde of Java's StringSerializer and StringDeserializer with
// their default UTF-8 encoding: a string's bytes as they are. The empty
// string serializes to an empty, non-nil slice; a null (nil data)
// deserializes to "" (use Nullable to tell them apart). Go strings are not
// checked for valid UTF-8 either way. Safe for concurrent use.
type String struct{}

// Serialize returns a new slice holding v's bytes.
func (String) Serialize(_ string, _ *[]core.Header, v string) ([]byte, error) {
	return append([]byte{}, v...), nil
}

// Deserialize returns data as a string (a copy).
func (String) Deserialize(_ string, _ []core.Header, data []byte) (string, error) {
	return string(data), nil
}

// Bytes is the serde of Java's ByteArraySerializer and ByteArrayDeserializer:
// bytes as they are, nil for a null. Serialize returns v itself, so v must not
// be modified until the record is sent; Deserialize returns a copy, which the
// caller owns. Safe for concurrent use.
type Bytes struct{}

// Serialize returns v.
func (Bytes) Serialize(_ string, _ *[]core.Header, v []byte) ([]byte, error) { return v, nil }

// Deserialize returns a copy of data, nil for nil.
func (Bytes) Deserialize(_ string, _ []core.Header, data []byte) ([]byte, error) {
	return bytes.Clone(data), nil
}
