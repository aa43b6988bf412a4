package msgpack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/kafka3/kafka3-go/core"
	"github.com/vmihailenco/msgpack/v5"
)

// Serde is a serde of T as MessagePack, with github.com/vmihailenco/msgpack/v5
// and its defaults (struct fields by name, `msgpack` tags). A value that
// encodes as MessagePack nil (a nil pointer, map, slice or interface) is
// written as a Kafka null; a null (nil data) deserializes to T's zero value.
// The zero value is ready to use and safe for concurrent use; Deserialize
// copies what it keeps, so data may be reused after it returns.
type Serde[T any] struct{}

// nilByte is MessagePack's nil.
var nilByte = []byte{0xc0}

// Serialize returns v encoded as MessagePack, or nil if v encodes as nil.
func (Serde[T]) Serialize(_ string, _ *[]core.Header, v T) ([]byte, error) {
	b, err := msgpack.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("serde/msgpack: encoding %T: %w", v, err)
	}
	if bytes.Equal(b, nilByte) {
		return nil, nil
	}
	return b, nil
}

// Deserialize decodes data into a new T.
func (Serde[T]) Deserialize(_ string, _ []core.Header, data []byte) (T, error) {
	var v T
	if data == nil {
		return v, nil
	}
	err := checkSizes(data)
	if err == nil {
		err = msgpack.Unmarshal(data, &v)
	}
	if err != nil {
		return v, fmt.Errorf("serde/msgpack: decoding into %v: %w", reflect.TypeFor[T](), err)
	}
	return v, nil
}

// init registers Serde[any] as "msgpack" (core.SerdeByName). Its untyped
// form parses text as a JSON document and encodes that as MessagePack, so
// a command line can produce MessagePack from JSON.
func init() {
	core.RegisterSerde("msgpack", core.Untyped[any](Serde[any]{}, parseJSON))
}

// parseJSON parses a JSON document, keeping integers as int (not float64)
// so they encode as the smallest MessagePack integers.
func parseJSON(s string) (any, error) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("serde/msgpack: text to encode must be JSON: %w", err)
	}
	if d.More() {
		return nil, fmt.Errorf("serde/msgpack: text to encode must be one JSON document")
	}
	return numbers(v), nil
}

// numbers replaces the json.Numbers in v by int (int64 where int is too
// small) or float64.
func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			if i == int64(int(i)) {
				return int(i) // msgpack encodes int compactly, int64 in 9 bytes
			}
			return i
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = numbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = numbers(x[k])
		}
	}
	return v
}
