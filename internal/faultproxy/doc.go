// Package faultproxy is a TCP proxy for tests that injects network faults
// between a Kafka client and its brokers: added latency, a bandwidth limit,
// connection resets, a black hole (connections stay open but nothing is
// forwarded), a stalled direction (half-open: one direction silently stops),
// a half-close (one direction ends with a FIN), refused connections and
// corrupted frames, for every broker or for one.
//
// # Design
//
// A Kafka client learns the brokers' addresses from metadata, so proxying the
// bootstrap address alone would leave every other connection untouched. The
// fault layer is therefore a Network: a set of listening proxies, one per
// broker address, created on first use, all sharing one fault state. Network
// has a DialContext method, so it is a core.Transport:
//
//	net := faultproxy.NewNetwork()
//	defer net.Close()
//	cfg := core.Config{BootstrapServers: brokers, Transport: net}
//	...
//	net.SetLatency(50 * time.Millisecond) // every connection of the client
//
// When the client dials a broker address, the Network dials that address's
// proxy instead (a real listener on 127.0.0.1:0), which forwards to the
// broker. The client thus sees real sockets with real TCP behaviour (resets
// arrive as ECONNRESET, a half-close as EOF), and faults reach every
// connection the client opens, to any broker, now or later. A single Proxy
// can also be used on its own (New) when a test wants one listening address.
//
// Faults are modes (SetLatency, SetBandwidth, SetBlackhole, SetStall,
// SetRefuse, SetCorrupt: on until turned off, for open and new connections)
// or one-shot actions on the connections open at the time (ResetAll,
// HalfClose). Clear turns every mode off; data held back by a black hole or
// a stall is then delivered, as TCP would after retransmitting.
//
// A fault set on the Network applies to every broker; one set on a proxy
// (Network.Proxy(addr)) to the connections to that broker only, on top of
// the Network's: black-hole only a partition's leader, or only the group
// coordinator. Network.ClearAll clears both levels.
//
// SetCorrupt follows the Kafka framing (a 4-byte size, then the frame) of a
// direction and hands each whole frame to a Mutator, which may change it:
// CorruptRecordBatches flips a byte inside every record batch of a fetch
// response (the consumer's CRC check must catch it), CorruptCorrelationIDs
// and CorruptSizes damage the response header, Limit stops after n frames.
//
// OpenConns counts the client connections the proxies still hold, so tests can
// check that a client closed everything it opened. Close stops the listeners,
// closes every connection and waits for every goroutine of the package.
//
// Everything here is safe for concurrent use.
package faultproxy
