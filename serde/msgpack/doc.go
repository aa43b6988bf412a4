// Package msgpack provides a MessagePack serde for record keys and values,
// Serde[T], built on github.com/vmihailenco/msgpack/v5. Importing it
// registers Serde[any] under the name "msgpack" for configuration- and
// command-line-driven programs (core.SerdeByName), where text to produce is
// read as JSON and encoded as MessagePack:
//
//	import _ "github.com/kafka3/kafka3-go/serde/msgpack"
//
// A program that does not import this package does not link the msgpack
// library.
package msgpack
