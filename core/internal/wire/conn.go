package wire

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Conn is one TCP connection to one broker, carrying pipelined requests.
//
// A Conn is safe for concurrent use: writes are serialized in the order
// requests get the write lock, and one reader goroutine hands each response
// to the request it answers (Kafka answers in request order). Once closed,
// for whatever reason, a Conn stays closed: every pending and later request
// fails with an error matching ErrClosed, and the owner opens a new one.
type Conn struct {
	addr string
	nc   net.Conn
	opts Options
	log  *slog.Logger

	sem chan struct{} // in-flight slots, MaxInFlight of them

	gateMu sync.Mutex
	gate   gate // guarded by gateMu; see Exclusive

	writeMu  sync.Mutex
	wbuf     []byte      // guarded by writeMu
	iov      net.Buffers // guarded by writeMu: the pieces of a vectored write
	corr     int32       // guarded by writeMu
	vectored bool        // nc writes net.Buffers with one writev (plain TCP)

	mu  sync.Mutex
	q   queue // guarded by mu
	err error // guarded by mu; set once

	closed     chan struct{}
	readerDone chan struct{}
	lastUsed   atomic.Int64 // unix nanoseconds
}

// Open dials addr with dial (plain TCP when nil), starts the connection's
// reader goroutine and runs opts.Init. ctx bounds the dial and Init only,
// not the life of the Conn. On error nothing is left open.
func Open(ctx context.Context, dial DialFunc, addr string, opts Options) (*Conn, error) {
	if len(opts.ClientID) > 1<<15-1 {
		return nil, fmt.Errorf("wire: client id of %d bytes is over the limit of 32767; shorten it", len(opts.ClientID))
	}
	if dial == nil {
		dial = defaultDialer.DialContext
	}
	nc, err := dial(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("wire: dial %s: %w; check that the broker is up and its address reachable", addr, err)
	}
	c := newConn(nc, addr, opts.withDefaults())
	go c.readLoop()
	if c.opts.Init != nil {
		if err := c.opts.Init(ctx, c); err != nil {
			c.Close()
			return nil, fmt.Errorf("wire: init of connection to %s: %w", addr, err)
		}
	}
	c.log.Debug("wire: connection open", "addr", addr, "local", nc.LocalAddr().String())
	return c, nil
}

func newConn(nc net.Conn, addr string, opts Options) *Conn {
	c := &Conn{
		addr:       addr,
		nc:         nc,
		vectored:   isTCP(nc),
		opts:       opts,
		log:        opts.Logger,
		sem:        make(chan struct{}, opts.MaxInFlight),
		q:          queue{ring: make([]*pending, opts.MaxInFlight)},
		closed:     make(chan struct{}),
		readerDone: make(chan struct{}),
	}
	c.touch()
	return c
}

// Addr returns the address the Conn was opened to.
func (c *Conn) Addr() string { return c.addr }

// Done returns a channel closed when the Conn is closed, for any reason.
func (c *Conn) Done() <-chan struct{} { return c.closed }

// Err returns nil while the Conn is open, then why it closed (an error
// matching ErrClosed).
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// LastUsed returns when a request was last started or answered on the Conn
// (or when it opened), for closing idle connections.
func (c *Conn) LastUsed() time.Time { return time.Unix(0, c.lastUsed.Load()) }

// InFlight returns the number of requests written or being written whose
// response has not arrived yet.
func (c *Conn) InFlight() int { return len(c.sem) }

func (c *Conn) touch() { c.lastUsed.Store(time.Now().UnixNano()) }

// Close closes the Conn, fails its pending requests with an error matching
// ErrClosed, and returns once its reader goroutine has exited. It is
// idempotent, safe to call concurrently, and always returns nil.
func (c *Conn) Close() error {
	c.fail(errClosedByClient)
	<-c.readerDone
	return nil
}

// fail closes the Conn for cause (once) and fails every pending request.
func (c *Conn) fail(cause error) {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return
	}
	err := &closedError{addr: c.addr, cause: cause}
	c.err = err
	var failed []*pending
	for p := c.q.peek(); p != nil; p = c.q.peek() {
		c.q.pop()
		failed = append(failed, p)
	}
	c.mu.Unlock()
	_ = c.nc.Close()
	close(c.closed)
	for _, p := range failed {
		p.err = err
		p.done <- struct{}{}
	}
	c.log.Debug("wire: connection closed", "addr", c.addr, "cause", cause, "failed_requests", len(failed))
}
