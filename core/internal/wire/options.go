package wire

import (
	"context"
	"log/slog"
	"net"
	"time"
)

// DialFunc opens a network connection to addr, like net.Dialer.DialContext.
// Transports (plain TCP, TLS, proxies) supply one; it must honour ctx.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// defaultDialer is plain TCP with keep-alives, used when no DialFunc is given.
var defaultDialer = &net.Dialer{KeepAlive: 15 * time.Second}

// Defaults of Options.
const (
	DefaultMaxInFlight     = 5
	DefaultMaxResponseSize = 100 << 20
	DefaultWriteTimeout    = 30 * time.Second
)

// Options configures a Conn. The zero value is usable; every field has a
// default. Options are copied by Open and must not change afterwards.
type Options struct {
	// ClientID is sent in request headers v1 and v2 (at most 32767 bytes).
	// Default "" (sent as an empty string).
	ClientID string

	// MaxInFlight is the number of requests written and awaiting their
	// response at once (pipelining). RoundTrip blocks, honouring its ctx,
	// while the connection is full. Default 5.
	MaxInFlight int

	// MaxResponseSize is the largest response frame accepted; a larger
	// size prefix is a protocol error that closes the connection.
	// Default 100 MiB.
	MaxResponseSize int32

	// WriteTimeout bounds the write of one request when the caller's ctx
	// has no earlier deadline, so a black-holed peer never holds a writer.
	// A write that fails or times out closes the connection. Default 30s.
	WriteTimeout time.Duration

	// Logger receives debug logs of connections opening and closing.
	// Default: no logging.
	Logger *slog.Logger

	// Init, if set, runs after the dial and before Open returns, with
	// Open's ctx: the place for ApiVersions and SASL. If it fails the
	// connection is closed and Open returns its error.
	Init func(ctx context.Context, c *Conn) error

	// OnRoundTrip, if set, is called on the caller's goroutine at the end
	// of every RoundTrip with the request's key and version, the bytes
	// written and read (frames, size prefixes included), the time from the
	// call to the response and the error. It must be fast and must not
	// retain anything; a panic in it is recovered and logged. Nil costs
	// nothing.
	OnRoundTrip func(key, version int16, bytesOut, bytesIn int, latency time.Duration, err error)
}

// withDefaults returns o with its zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = DefaultMaxInFlight
	}
	if o.MaxResponseSize <= 0 {
		o.MaxResponseSize = DefaultMaxResponseSize
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}
