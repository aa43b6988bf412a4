// Package core is the heart of kafka3-go: the clients (Producer, Consumer,
// Admin and the low-level protocol Client), their configuration, the Kafka
// record and error types, and the interfaces and registries of every plugin
// kind: compression codecs, transports and SASL mechanisms, serializers,
// partition assignors and interceptors.
//
// Plugins live in their own packages and register themselves from init, in the
// way of database/sql drivers, so a program links only what it imports:
//
//	import _ "github.com/kafka3/kafka3-go/codecs/zstd"
//
// A configuration that names a plugin that is not compiled in fails when the
// client is constructed, naming the import to add.
package core
