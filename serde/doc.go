// Package serde provides serializers and deserializers (core.Serde values)
// for record keys and values: String, Bytes, JSON[T], Nullable, and serdes
// that write exactly what Java's built-in serializers write, so that Go and
// Java programs can share topics: Int16 (ShortSerializer), Int32
// (IntegerSerializer), Int64 (LongSerializer), Float32 (FloatSerializer),
// Float64 (DoubleSerializer), Bool (BooleanSerializer) and UUID
// (UUIDSerializer, which writes the UUID's text, not its 16 bytes).
//
// A Kafka null (nil data) deserializes to the zero value; wrap a serde in
// Nullable to read and write nulls as nil pointers. Deserialize errors say
// what was wrong with the bytes ("serde: int32 needs 4 bytes, got 3").
//
// Importing the package also registers each serde by name for
// configuration- and command-line-driven programs (core.SerdeByName):
// "string", "bytes", "json", "int16", "int32", "int64", "float32",
// "float64", "bool", "uuid", and Java's names "bytearray", "short",
// "integer", "long", "float", "double" and "boolean". MessagePack is in
// package serde/msgpack.
//
// All serdes here are stateless values, ready to use as zero values and safe
// for concurrent use.
package serde
