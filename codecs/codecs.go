// Package codecs registers all four Kafka compression codecs (gzip, snappy,
// lz4, zstd) for programs that want them all:
//
//	import _ "github.com/kafka3/kafka3-go/codecs"
//
// Import a single codec's package instead to link only that library.
package codecs

import (
	_ "github.com/kafka3/kafka3-go/codecs/gzip"   // codec id 1
	_ "github.com/kafka3/kafka3-go/codecs/lz4"    // codec id 3
	_ "github.com/kafka3/kafka3-go/codecs/snappy" // codec id 2
	_ "github.com/kafka3/kafka3-go/codecs/zstd"   // codec id 4
)
