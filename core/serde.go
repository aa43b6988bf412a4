package core

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/kafka3/kafka3-go/core/internal/registry"
)

// Serializer turns values of type T into the bytes of a record's key or
// value. Implementations must be safe for concurrent use.
//
// Serialize is called with the record's topic and a non-nil pointer to its
// headers, which it may read and append to (to add a content type, say) but
// must not retain; key and value serializers see the same headers. The
// returned slice belongs to the caller, which keeps it until the record is
// sent, so it must not be reused. A nil slice is a Kafka null (a nil value is
// a tombstone); an empty non-nil slice is an empty value.
type Serializer[T any] interface {
	Serialize(topic string, headers *[]Header, v T) ([]byte, error)
}

// Deserializer turns a record's key or value bytes back into a T.
// Implementations must be safe for concurrent use.
//
// data is nil for a Kafka null. data and headers are only valid during the
// call (they alias the consumer's fetch buffers): an implementation that
// keeps either must copy it. Errors should say what was wrong with the bytes;
// the consumer adds the topic, partition and offset.
type Deserializer[T any] interface {
	Deserialize(topic string, headers []Header, data []byte) (T, error)
}

// Serde is a Serializer and a Deserializer of the same type, such as the
// built-ins of package serde.
type Serde[T any] interface {
	Serializer[T]
	Deserializer[T]
}

// SerializerFunc adapts a function to a Serializer.
type SerializerFunc[T any] func(topic string, headers *[]Header, v T) ([]byte, error)

// Serialize calls f.
func (f SerializerFunc[T]) Serialize(topic string, headers *[]Header, v T) ([]byte, error) {
	return f(topic, headers, v)
}

// DeserializerFunc adapts a function to a Deserializer.
type DeserializerFunc[T any] func(topic string, headers []Header, data []byte) (T, error)

// Deserialize calls f.
func (f DeserializerFunc[T]) Deserialize(topic string, headers []Header, data []byte) (T, error) {
	return f(topic, headers, data)
}

// AnySerde is the untyped form of a Serde, registered by name for programs
// that choose serdes from configuration or a command line (see RegisterSerde).
// In both directions a Go nil is a Kafka null. Implementations must be safe
// for concurrent use; the buffer rules of Serializer and Deserializer apply.
type AnySerde interface {
	// SerializeAny serializes v, which must be the serde's type, or a string
	// of text to parse when the serde can (see Untyped).
	SerializeAny(topic string, headers *[]Header, v any) ([]byte, error)
	// DeserializeAny returns the value of the serde's type, or nil for nil data.
	DeserializeAny(topic string, headers []Header, data []byte) (any, error)
}

// Untyped returns s as an AnySerde that is also still a Serde[T] (SerdeFor
// recovers it). parse, when not nil, turns text into a T, so SerializeAny
// accepts strings, as a command-line producer needs: "42" for an int32
// serde, a JSON document for a JSON one. When parse is set, SerializeAny
// parses every string it gets, even when T is an interface type that a
// string would satisfy; parse is ignored when T is string.
func Untyped[T any](s Serde[T], parse func(text string) (T, error)) AnySerde {
	if reflect.TypeFor[T]() == reflect.TypeFor[string]() {
		parse = nil
	}
	return &untyped[T]{Serde: s, parse: parse}
}

type untyped[T any] struct {
	Serde[T]
	parse func(string) (T, error)
}

func (u *untyped[T]) SerializeAny(topic string, headers *[]Header, v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	if text, ok := v.(string); ok && u.parse != nil {
		t, err := u.parse(text)
		if err != nil {
			return nil, err
		}
		return u.Serialize(topic, headers, t)
	}
	if t, ok := v.(T); ok {
		return u.Serialize(topic, headers, t)
	}
	return nil, fmt.Errorf("core: serde for %v cannot serialize a %T; pass a %[1]v", reflect.TypeFor[T](), v)
}

func (u *untyped[T]) DeserializeAny(topic string, headers []Header, data []byte) (any, error) {
	if data == nil {
		return nil, nil
	}
	v, err := u.Deserialize(topic, headers, data)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// serdeRegistry holds the registered serdes by name.
var serdeRegistry = registry.New[AnySerde]("serde", "")

// RegisterSerde makes s available by name to SerdeByName and SerdeFor.
// Plugins call it from init; package serde registers "string", "bytes",
// "json", "int16", "int32", "int64", "float32", "float64", "bool", "uuid"
// and Java's names for them, and serde/msgpack registers "msgpack".
// Registering a different serde under a name already taken panics, naming
// both; registering the same one again is a no-op. Safe for concurrent use.
func RegisterSerde(name string, s AnySerde) {
	if s == nil {
		panic(fmt.Sprintf("core: RegisterSerde(%q) called with a nil serde", name))
	}
	serdeRegistry.Register(name, s)
}

// SerdeByName returns the serde registered under name, without locking. An
// unknown name returns an error naming the import to add, such as
//
//	core: serde "msgpack" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/serde/msgpack"?)
func SerdeByName(name string) (AnySerde, error) {
	if s, ok := serdeRegistry.Lookup(name); ok {
		return s, nil
	}
	return nil, serdeNotRegistered(name)
}

// SerdeFor returns the serde registered under name as a Serde[T]; it fails
// if name is not registered or its serde does not handle T (registered with
// Untyped[T]), saying which type it handles.
func SerdeFor[T any](name string) (Serde[T], error) {
	s, err := SerdeByName(name)
	if err != nil {
		return nil, err
	}
	if t, ok := s.(Serde[T]); ok {
		return t, nil
	}
	return nil, fmt.Errorf("core: serde %q (%T) does not handle %v values; use a serde for %[3]v", name, s, reflect.TypeFor[T]())
}

// Serdes lists the names of the registered serdes in sorted order.
func Serdes() []string { return serdeRegistry.Names() }

// serdeImports maps the names package serde and its subpackages register
// to their import paths, for the not-registered message.
var serdeImports = map[string]string{"msgpack": "serde/msgpack"}

func serdeNotRegistered(name string) error {
	imp := serdeImports[name]
	if imp == "" && isBuiltinSerdeName(name) {
		imp = "serde"
	}
	if imp != "" {
		return fmt.Errorf("core: serde %q is not registered (forgotten import _ %q?)",
			name, "github.com/kafka3/kafka3-go/"+imp)
	}
	return fmt.Errorf("core: serde %q is not registered; registered serdes: %s",
		name, strings.Join(Serdes(), ", "))
}

func isBuiltinSerdeName(name string) bool {
	switch name {
	case "string", "bytes", "json", "int16", "int32", "int64", "float32", "float64", "bool", "uuid",
		"short", "integer", "long", "float", "double", "boolean", "bytearray":
		return true
	}
	return false
}
