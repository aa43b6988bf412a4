package serde

import "github.com/kafka3/kafka3-go/core"

// Nullable turns a serde of T into a serde of *T that maps a nil pointer to
// a Kafka null (nil data) and back, as Java's serializers map null: use it
// to write tombstones, or to tell a null from a zero value when reading:
//
//	counts := serde.Nullable[int64](serde.Int64{})
//
// Deserialize returns a pointer to a new T. The result is safe for
// concurrent use if s is.
func Nullable[T any](s core.Serde[T]) core.Serde[*T] { return nullable[T]{s} }

type nullable[T any] struct{ s core.Serde[T] }

func (n nullable[T]) Serialize(topic string, headers *[]core.Header, v *T) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	return n.s.Serialize(topic, headers, *v)
}

func (n nullable[T]) Deserialize(topic string, headers []core.Header, data []byte) (*T, error) {
	if data == nil {
		return nil, nil
	}
	v, err := n.s.Deserialize(topic, headers, data)
	if err != nil {
		return nil, err
	}
	return &v, nil
}
