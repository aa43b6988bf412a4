// Package wire carries Kafka requests to brokers at the byte level: framing,
// connections, pipelining and the per-broker connection lanes. It knows
// nothing of message types; callers hand it encoded bodies with their API
// key, version and header versions, and get the response bodies back.
//
// A Conn is one TCP connection with up to Options.MaxInFlight requests in
// flight: writes are serialized, and one reader goroutine matches responses
// to requests by correlation id in FIFO order, as Kafka answers in request
// order. Anything that breaks that order (a request whose ctx ends before
// its response, a write error, a protocol violation by the peer, the peer
// hanging up) closes the Conn and fails every pending request promptly with
// an error matching ErrClosed, which is retriable on a new connection.
//
// A Broker owns one Conn per Lane, opened lazily, reopened after a failure
// with Java's exponential reconnect backoff, and closed when idle, so that a
// long-polling Fetch never delays a Produce or a group heartbeat.
//
// Buffers: RoundTrip does not retain the request body. A Response's Body
// belongs to the caller; Response.Release optionally recycles it.
//
// The package uses only the standard library.
package wire
