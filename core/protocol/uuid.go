package protocol

import (
	"encoding/base64"
	"errors"
)

// UUID is Kafka's 128-bit unique id, used for topic ids, directory ids and
// incarnation ids. The zero UUID is Kafka's ZERO_UUID.
type UUID [16]byte

// String returns u as Kafka prints it: 22 characters of URL-safe base64
// without padding, as in the output of kafka-topics.sh.
func (u UUID) String() string { return base64.RawURLEncoding.EncodeToString(u[:]) }

// IsZero reports whether u is the zero UUID.
func (u UUID) IsZero() bool { return u == UUID{} }

// ParseUUID parses the form that String returns.
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if len(s) != 22 {
		return u, errors.New("protocol: a Kafka UUID is 22 characters of base64: " + s)
	}
	n, err := base64.RawURLEncoding.Decode(u[:], []byte(s))
	if err != nil || n != 16 {
		return UUID{}, errors.New("protocol: invalid Kafka UUID: " + s)
	}
	return u, nil
}
