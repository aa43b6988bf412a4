package serde

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/kafka3/kafka3-go/core"
)

// JSON is a serde of T as JSON with encoding/json. A value that encodes as
// JSON null (a nil pointer, map, slice or interface) is written as a Kafka
// null, a tombstone on a compacted topic, as Kafka Connect's JSON serializer
// does; a null (nil data) deserializes to T's zero value. Safe for
// concurrent use.
type JSON[T any] struct{}

// Serialize returns json.Marshal(v), or nil if that is "null".
func (JSON[T]) Serialize(_ string, _ *[]core.Header, v T) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("serde: json: encoding %T: %w", v, err)
	}
	if bytes.Equal(b, jsonNull) {
		return nil, nil
	}
	return b, nil
}

// Deserialize unmarshals data into a new T.
func (JSON[T]) Deserialize(_ string, _ []core.Header, data []byte) (T, error) {
	var v T
	if data == nil {
		return v, nil
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return v, fmt.Errorf("serde: json: decoding into %v: %w", reflect.TypeFor[T](), err)
	}
	return v, nil
}

var jsonNull = []byte("null")
