package serde

import (
	"encoding/hex"
	"fmt"

	"github.com/kafka3/kafka3-go/core"
)

// UUID is the serde of Java's UUIDSerializer and UUIDDeserializer: not the
// 16 bytes but the UUID's text, as java.util.UUID.toString writes it (36
// characters, lower-case hex, dashes after the 8th, 12th, 16th and 20th
// digit), in UTF-8.
//
// T is any [16]byte type, such as github.com/google/uuid.UUID, so no UUID
// library is imposed: serde.UUID[uuid.UUID]{}. Deserialize accepts the
// canonical 36-character form in either case; unlike Java's UUID.fromString
// it rejects abbreviated forms such as "1-2-3-4-5". A null (nil data)
// deserializes to the zero UUID; use Nullable to tell it from a real one.
// Safe for concurrent use.
type UUID[T ~[16]byte] struct{}

// Serialize returns v's 36-character text.
func (UUID[T]) Serialize(_ string, _ *[]core.Header, v T) ([]byte, error) {
	b := make([]byte, 36)
	at, src := 0, v[:]
	for i, n := range [...]int{4, 2, 2, 2, 6} { // bytes per dash-separated group
		if i > 0 {
			b[at] = '-'
			at++
		}
		hex.Encode(b[at:], src[:n])
		at, src = at+2*n, src[n:]
	}
	return b, nil
}

// Deserialize parses a UUID's 36-character text.
func (UUID[T]) Deserialize(_ string, _ []core.Header, data []byte) (T, error) {
	if data == nil {
		var zero T
		return zero, nil
	}
	u, err := parseUUIDText(data)
	return T(u), err
}

// parseUUIDText parses the canonical 36-character text of a UUID.
func parseUUIDText(data []byte) ([16]byte, error) {
	var u [16]byte
	if len(data) != 36 {
		return u, fmt.Errorf("serde: uuid needs 36 bytes of text like 123e4567-e89b-12d3-a456-426614174000, got %d bytes", len(data))
	}
	var digits [32]byte
	n := 0
	for i, c := range data {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return u, fmt.Errorf("serde: uuid needs '-' at byte %d, got %q", i, c)
			}
			continue
		}
		digits[n] = c
		n++
	}
	if _, err := hex.Decode(u[:], digits[:]); err != nil {
		return u, fmt.Errorf("serde: uuid text %q is not hex: %w", data, err)
	}
	return u, nil
}
