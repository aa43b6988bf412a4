package wire

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Defaults of BrokerOptions, those of Java's client.
const (
	DefaultReconnectBackoff    = 50 * time.Millisecond
	DefaultReconnectBackoffMax = time.Second
	DefaultConnectionsMaxIdle  = 9 * time.Minute
	DefaultDialTimeout         = 10 * time.Second
)

// BrokerOptions configures a Broker. The zero value is usable.
type BrokerOptions struct {
	// Dial opens connections. Default plain TCP.
	Dial DialFunc
	// Conn configures every connection (its Init runs on each).
	Conn Options
	// DialTimeout bounds a dial and the Init hook together. Default 10s.
	DialTimeout time.Duration
	// ReconnectBackoff is the wait before dialing again after a failed
	// dial (reconnect.backoff.ms); it doubles with each consecutive
	// failure, with ±20% jitter. It also spaces dials after a connection
	// broke. Default 50ms.
	ReconnectBackoff time.Duration
	// ReconnectBackoffMax caps the doubling (reconnect.backoff.max.ms).
	// Default 1s.
	ReconnectBackoffMax time.Duration
	// ConnectionsMaxIdle closes connections unused for this long
	// (connections.max.idle.ms). Default 9m; negative never closes them.
	ConnectionsMaxIdle time.Duration
}

func (o BrokerOptions) withDefaults() BrokerOptions {
	if o.DialTimeout <= 0 {
		o.DialTimeout = DefaultDialTimeout
	}
	if o.ReconnectBackoff <= 0 {
		o.ReconnectBackoff = DefaultReconnectBackoff
	}
	if o.ReconnectBackoffMax <= 0 {
		o.ReconnectBackoffMax = DefaultReconnectBackoffMax
	}
	if o.ConnectionsMaxIdle == 0 {
		o.ConnectionsMaxIdle = DefaultConnectionsMaxIdle
	}
	return o
}

// Broker holds the connections to one broker, one per Lane, each opened
// lazily on first use and again after it closed.
//
// Dials are shared: concurrent callers of one lane wait for the same dial.
// After a failed dial the next one waits for the reconnect backoff, shared
// by all lanes so a dead broker is not hammered; a caller never retries a
// dial itself, it gets the dial's error. A Broker is safe for concurrent use.
type Broker struct {
	addr    string
	opts    BrokerOptions
	backoff Backoff

	ctx    context.Context // cancelled by Close, aborts dials
	cancel context.CancelFunc
	wg     sync.WaitGroup // dial and idle-reaper goroutines

	mu       sync.Mutex
	closed   bool
	lanes    [numLanes]laneState
	failures int       // consecutive failed dials
	nextDial time.Time // no dial starts before
	lastErr  error     // of the last failed dial
	reaper   *time.Timer
}

type laneState struct {
	conn     *Conn
	dialing  *dialCall
	nextDial time.Time // spaces redials of this lane after a success
}

// dialCall is one dial shared by the callers waiting for it.
type dialCall struct {
	done chan struct{}
	conn *Conn
	err  error
}

// NewBroker returns a Broker for addr ("host:port"). It opens nothing yet.
func NewBroker(addr string, opts BrokerOptions) *Broker {
	opts = opts.withDefaults()
	b := &Broker{
		addr:    addr,
		opts:    opts,
		backoff: Backoff{Base: opts.ReconnectBackoff, Max: opts.ReconnectBackoffMax, Jitter: 0.2},
	}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	if opts.ConnectionsMaxIdle > 0 {
		b.mu.Lock()
		b.reaper = time.AfterFunc(b.reapEvery(), b.reap)
		b.mu.Unlock()
	}
	return b
}

// Addr returns the broker's address.
func (b *Broker) Addr() string { return b.addr }

// RoundTrip sends req on the connection of lane, opening it if needed. It
// does not retry: a failed dial or a closed connection is returned.
func (b *Broker) RoundTrip(ctx context.Context, lane Lane, req *Request) (*Response, error) {
	c, err := b.Conn(ctx, lane)
	if err != nil {
		return nil, err
	}
	return c.RoundTrip(ctx, req)
}

// Conn returns the open connection of lane, dialing it if there is none.
// If the broker is in reconnect backoff, Conn waits for it to pass unless
// ctx would end first, in which case it fails at once with the last dial
// error. A failed dial's error is returned: Conn waits for at most one
// dial and never retries.
func (b *Broker) Conn(ctx context.Context, lane Lane) (*Conn, error) {
	if lane >= numLanes {
		return nil, fmt.Errorf("wire: unknown %v; use one of the Lane constants", lane)
	}
	for slept := false; ; slept = true {
		c, call, wait, err := b.next(ctx, lane, slept)
		switch {
		case err != nil:
			return nil, err
		case c != nil:
			return c, nil
		case call != nil:
			return b.awaitDial(ctx, lane, call)
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("wire: waiting for the reconnect backoff of %s: %w", b.addr, err)
		}
	}
}

// next returns the lane's open connection, or the dial to wait for
// (starting one if allowed), or how long to wait before dialing.
func (b *Broker) next(ctx context.Context, lane Lane, slept bool) (*Conn, *dialCall, time.Duration, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, nil, 0, ErrBrokerClosed
	}
	l := &b.lanes[lane]
	if c := l.conn; c != nil {
		select {
		case <-c.Done():
			l.conn = nil
		default:
			c.touch()
			return c, nil, 0, nil
		}
	}
	if l.dialing != nil {
		return nil, l.dialing, 0, nil
	}
	now := time.Now()
	until := l.nextDial
	if b.nextDial.After(until) {
		until = b.nextDial
	}
	if wait := until.Sub(now); wait > 0 {
		if d, ok := ctx.Deadline(); slept || ok && d.Before(until) {
			return nil, nil, 0, b.backoffError(wait)
		}
		return nil, nil, wait, nil
	}
	l.dialing = &dialCall{done: make(chan struct{})}
	b.wg.Add(1)
	go b.dial(lane, l.dialing)
	return nil, l.dialing, 0, nil
}

func (b *Broker) backoffError(wait time.Duration) error {
	if b.lastErr == nil {
		return fmt.Errorf("wire: %s reconnects in %v; retry then", b.addr, wait)
	}
	return fmt.Errorf("wire: %s is in reconnect backoff for %v after: %w", b.addr, wait, b.lastErr)
}

// awaitDial waits for call, or for ctx to end (the dial goes on).
func (b *Broker) awaitDial(ctx context.Context, lane Lane, call *dialCall) (*Conn, error) {
	select {
	case <-call.done:
		return call.conn, call.err
	case <-ctx.Done():
		return nil, fmt.Errorf("wire: waiting for the %v connection to %s: %w", lane, b.addr, ctx.Err())
	}
}

// dial opens the lane's connection and records the outcome.
func (b *Broker) dial(lane Lane, call *dialCall) {
	defer b.wg.Done()
	defer close(call.done)
	ctx, cancel := context.WithTimeout(b.ctx, b.opts.DialTimeout)
	c, err := Open(ctx, b.opts.Dial, b.addr, b.opts.Conn)
	cancel()
	b.mu.Lock()
	now := time.Now()
	l := &b.lanes[lane]
	l.dialing = nil
	var orphan *Conn
	if err == nil && b.closed {
		orphan, c, err = c, nil, ErrBrokerClosed
	}
	if err != nil {
		b.failures++
		b.lastErr = err
		b.nextDial = now.Add(b.backoff.Delay(b.failures - 1))
	} else {
		b.failures, b.lastErr = 0, nil
		l.conn = c
		l.nextDial = now.Add(b.backoff.Delay(0))
	}
	call.conn, call.err = c, err
	failures, wait := b.failures, b.nextDial.Sub(now)
	b.mu.Unlock()
	if err != nil && orphan == nil {
		b.log().Info("wire: connection failed", "addr", b.addr, "lane", lane.String(),
			"err", err, "consecutive_failures", failures, "backoff", wait)
	}
	if orphan != nil {
		orphan.Close()
	}
}

func (b *Broker) log() *slog.Logger {
	if l := b.opts.Conn.Logger; l != nil {
		return l
	}
	return slog.New(slog.DiscardHandler)
}

// reapEvery is the period of the idle check.
func (b *Broker) reapEvery() time.Duration {
	return min(max(b.opts.ConnectionsMaxIdle/4, time.Millisecond), time.Minute)
}

// reap closes the connections idle for ConnectionsMaxIdle, then re-arms.
func (b *Broker) reap() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.wg.Add(1)
	defer b.wg.Done()
	var idle []*Conn
	now := time.Now()
	for i := range b.lanes {
		c := b.lanes[i].conn
		if c != nil && c.InFlight() == 0 && now.Sub(c.LastUsed()) >= b.opts.ConnectionsMaxIdle {
			idle = append(idle, c)
			b.lanes[i].conn = nil
		}
	}
	b.reaper.Reset(b.reapEvery())
	b.mu.Unlock()
	for _, c := range idle {
		c.Close()
	}
}

// Close closes every connection, aborts dials in progress and returns once
// the Broker's goroutines have exited. Later calls fail with
// ErrBrokerClosed. Close is idempotent and always returns nil.
func (b *Broker) Close() error {
	b.mu.Lock()
	var conns []*Conn
	if !b.closed {
		b.closed = true
		for i := range b.lanes {
			if c := b.lanes[i].conn; c != nil {
				conns = append(conns, c)
				b.lanes[i].conn = nil
			}
		}
		if b.reaper != nil {
			b.reaper.Stop()
		}
	}
	b.mu.Unlock()
	b.cancel()
	for _, c := range conns {
		c.Close()
	}
	b.wg.Wait()
	return nil
}

// sleep waits for d or for ctx to end.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
