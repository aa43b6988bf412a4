package wire

import (
	"errors"
	"fmt"
)

// ErrClosed matches (with errors.Is) every error returned for a request that
// failed because its connection closed: by Close, by a network error, by a
// protocol violation of the broker, or because another request on the same
// connection timed out. It is retriable: the request may or may not have
// reached the broker, so retry it on a new connection (idempotent producers
// keep their sequence numbers, others may duplicate).
var ErrClosed = errors.New("wire: connection closed")

// ErrProtocol matches (with errors.Is) the cause of a connection closed
// because the peer broke Kafka's framing: a negative or oversized frame, a
// truncated header or a response nobody asked for. The cause is the peer (or
// the address: TLS or HTTP listeners send such bytes), not the request.
var ErrProtocol = errors.New("wire: protocol violation")

// ErrBrokerClosed is returned by a Broker used after Close.
var ErrBrokerClosed = errors.New("wire: broker closed; create a new Broker")

// errClosedByClient is the cause recorded when Close is called.
var errClosedByClient = errors.New("closed by the client")

// closedError is what pending requests get when their connection dies.
type closedError struct {
	addr  string
	cause error
}

func (e *closedError) Error() string {
	return fmt.Sprintf("wire: connection to %s closed (%v); retry the request on a new connection, it may or may not have been processed", e.addr, e.cause)
}

func (e *closedError) Is(target error) bool { return target == ErrClosed }

func (e *closedError) Unwrap() error { return e.cause }

// protoError is a violation of the framing by the peer.
type protoError struct{ msg string }

func (e *protoError) Error() string { return e.msg }

func (e *protoError) Is(target error) bool { return target == ErrProtocol }

func protoErrorf(format string, args ...any) error {
	return &protoError{msg: fmt.Sprintf("wire: "+format, args...)}
}
