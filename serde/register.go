package serde

import (
	"encoding/json"
	"strconv"

	"github.com/kafka3/kafka3-go/core"
)

// init registers the serdes by name for configuration- and CLI-driven use
// (core.SerdeByName), under Go names and the Java names of their
// serializers (integer, long, ...). Their untyped forms parse text as
// strconv does, "json" handles any JSON value (parsing text as a JSON
// document), and "uuid" handles [16]byte.
func init() {
	reg(core.Untyped[string](String{}, nil), "string")
	reg(core.Untyped[[]byte](Bytes{}, func(s string) ([]byte, error) { return []byte(s), nil }), "bytes", "bytearray")
	reg(core.Untyped[any](JSON[any]{}, parseJSON), "json")
	reg(core.Untyped[int16](Int16{}, parseInt[int16](16)), "int16", "short")
	reg(core.Untyped[int32](Int32{}, parseInt[int32](32)), "int32", "integer")
	reg(core.Untyped[int64](Int64{}, parseInt[int64](64)), "int64", "long")
	reg(core.Untyped[float32](Float32{}, parseFloat32), "float32", "float")
	reg(core.Untyped[float64](Float64{}, parseFloat64), "float64", "double")
	reg(core.Untyped[bool](Bool{}, strconv.ParseBool), "bool", "boolean")
	reg(core.Untyped[[16]byte](UUID[[16]byte]{}, parseUUID), "uuid")
}

func reg(s core.AnySerde, names ...string) {
	for _, n := range names {
		core.RegisterSerde(n, s)
	}
}

func parseInt[T int16 | int32 | int64](bits int) func(string) (T, error) {
	return func(s string) (T, error) {
		v, err := strconv.ParseInt(s, 10, bits)
		return T(v), err
	}
}

func parseFloat32(s string) (float32, error) {
	v, err := strconv.ParseFloat(s, 32)
	return float32(v), err
}

func parseFloat64(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

func parseUUID(s string) ([16]byte, error) { return parseUUIDText([]byte(s)) }

// parseJSON parses a JSON document, so that the "json" serde re-encodes
// command-line text instead of quoting it as a JSON string.
func parseJSON(s string) (any, error) {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, err
	}
	return v, nil
}
