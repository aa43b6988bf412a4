package core

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/kafka3/kafka3-go/core/internal/registry"
	"github.com/kafka3/kafka3-go/core/record"
)

// Codec is a compression codec for record batches: its Kafka attribute id
// (1 gzip, 2 snappy, 3 lz4, 4 zstd), its name, and append-style compression
// and bounded decompression. Implementations are safe for concurrent use.
// See record.Codec for the method contracts.
//
// The codecs ship as plugins that register themselves when imported:
//
//	import _ "github.com/kafka3/kafka3-go/codecs/zstd" // or codecs for all four
//
// A Codec value can also be passed directly in a producer's config,
// bypassing the registry.
type Codec = record.Codec

// codecRegistry holds the registered codecs by name.
var codecRegistry = registry.New[Codec]("compression codec", "github.com/kafka3/kafka3-go/codecs/%s")

// codecEntry boxes a Codec for atomic.Pointer.
type codecEntry struct{ c Codec }

var (
	codecRegisterMu sync.Mutex
	// codecsByID is indexed by the 3-bit attribute id; written under
	// codecRegisterMu, read without a lock by CodecByID.
	codecsByID [8]atomic.Pointer[codecEntry]
)

// RegisterCodec makes c available by name (CodecByName) and by attribute id
// (CodecByID). Plugins call it from init. It panics if c's name is "none" or
// empty, if its id is not in 1..7, or if a different codec is already
// registered under the same name or id, naming both; registering the same
// codec again is a no-op. Safe for concurrent use.
func RegisterCodec(c Codec) {
	if c == nil {
		panic("core: RegisterCodec called with a nil codec")
	}
	name, id := c.Name(), c.ID()
	if name == "none" || name == "" {
		panic(fmt.Sprintf("core: cannot register compression codec %T under the name %q", c, name))
	}
	if id < 1 || int(id) >= len(codecsByID) {
		panic(fmt.Sprintf("core: compression codec %q (%T) has id %d, want 1..7", name, c, id))
	}
	codecRegisterMu.Lock()
	defer codecRegisterMu.Unlock()
	if prev := codecsByID[id].Load(); prev != nil && prev.c.Name() != name {
		panic(fmt.Sprintf("core: compression codec id %d registered twice: %q (%T) and %q (%T)",
			id, prev.c.Name(), prev.c, name, c))
	}
	codecRegistry.Register(name, c) // panics on a different codec with the same name
	codecsByID[id].Store(&codecEntry{c})
}

// CodecByName returns the codec registered under name (the Java
// compression.type values "gzip", "snappy", "lz4", "zstd"). "none" and ""
// mean no compression and return a nil Codec and no error. An unknown name
// returns an error naming the import to add, such as
//
//	core: compression codec "zstd" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/codecs/zstd"?)
func CodecByName(name string) (Codec, error) {
	if name == "none" || name == "" {
		return nil, nil
	}
	return codecRegistry.Get(name)
}

// CodecByID returns the codec registered for a batch attribute id, or nil
// for id 0 (no compression), an id out of range or an id nothing is
// registered for. It takes no lock and does not allocate; its signature fits
// record.Decoder.Codecs.
func CodecByID(id int8) Codec {
	if id < 0 || int(id) >= len(codecsByID) {
		return nil
	}
	if e := codecsByID[id].Load(); e != nil {
		return e.c
	}
	return nil
}

// Codecs lists the names of the registered codecs in sorted order.
func Codecs() []string { return codecRegistry.Names() }
