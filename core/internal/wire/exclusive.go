package wire

import (
	"context"
	"fmt"
)

// exclusiveKey marks the context Exclusive hands to its fn: requests started
// with it pass the gate that holds every other request back.
type exclusiveKey struct{}

// gate holds requests back while an exclusive exchange runs. It is guarded by
// Conn.gateMu.
type gate struct {
	excl    chan struct{} // non-nil while an exclusive exchange is pending or running; closed at its end
	writing int           // requests past the gate whose write has not finished
	idle    chan struct{} // closed when writing drops to zero while excl is set
}

// Exclusive runs fn with the Conn to itself, for exchanges that the broker
// requires to be alone on the connection, such as SASL re-authentication
// (KIP-368). It stops new requests from being written (they wait, honouring
// their own ctx, and proceed once fn returns), waits until every request
// already written has its response, then calls fn. fn sends its requests
// with RoundTrip or Start on this Conn using the ctx it is given (only
// requests started with that ctx pass while fn runs); it must not keep that
// ctx for requests after it returns.
//
// Exclusive returns fn's error, or, without calling fn, an error matching
// ErrClosed if the Conn closes, or one wrapping ctx.Err() if ctx ends while
// waiting for the requests in flight. Exclusive exchanges on one Conn run
// one at a time. Safe for concurrent use; fn must not call Exclusive.
func (c *Conn) Exclusive(ctx context.Context, fn func(ctx context.Context) error) error {
	if err := c.Err(); err != nil {
		return err
	}
	end, idle, err := c.closeGate(ctx)
	if err != nil {
		return err
	}
	defer c.openGate(end)
	if idle != nil {
		select {
		case <-idle:
		case <-c.closed:
			return c.Err()
		case <-ctx.Done():
			return fmt.Errorf("wire: %s: waiting for requests being written before an exclusive exchange: %w", c.addr, ctx.Err())
		}
	}
	// Every request past the gate is written; holding all in-flight slots
	// means every response is in.
	n := 0
	defer func() {
		for ; n > 0; n-- {
			<-c.sem
		}
	}()
	for n < cap(c.sem) {
		select {
		case c.sem <- struct{}{}:
			n++
		case <-c.closed:
			return c.Err()
		case <-ctx.Done():
			return fmt.Errorf("wire: %s: waiting for %d responses before an exclusive exchange: %w", c.addr, cap(c.sem)-n, ctx.Err())
		}
	}
	for ; n > 0; n-- {
		<-c.sem
	}
	return fn(context.WithValue(ctx, exclusiveKey{}, c))
}

// closeGate makes later requests wait, once any earlier exclusive exchange
// has ended. It returns the channel to close when this one ends and, when
// requests are still being written, a channel closed once they are.
func (c *Conn) closeGate(ctx context.Context) (end, idle chan struct{}, err error) {
	c.gateMu.Lock()
	for c.gate.excl != nil {
		prev := c.gate.excl
		c.gateMu.Unlock()
		select {
		case <-prev:
		case <-c.closed:
			return nil, nil, c.Err()
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("wire: %s: waiting for another exclusive exchange: %w", c.addr, ctx.Err())
		}
		c.gateMu.Lock()
	}
	end = make(chan struct{})
	c.gate.excl = end
	if c.gate.writing > 0 {
		idle = make(chan struct{})
		c.gate.idle = idle
	}
	c.gateMu.Unlock()
	return end, idle, nil
}

func (c *Conn) openGate(end chan struct{}) {
	c.gateMu.Lock()
	c.gate.excl, c.gate.idle = nil, nil
	c.gateMu.Unlock()
	close(end)
}

// enterGate lets a request through to be written, waiting while an
// exclusive exchange runs (unless ctx is the exchange's own). A request
// that entered calls leaveGate once written (or failed).
func (c *Conn) enterGate(ctx context.Context, req *Request) (entered bool, err error) {
	c.gateMu.Lock()
	for c.gate.excl != nil {
		if ctx.Value(exclusiveKey{}) == c {
			c.gateMu.Unlock()
			return false, nil
		}
		excl := c.gate.excl
		c.gateMu.Unlock()
		select {
		case <-excl:
		case <-c.closed:
			return false, c.Err()
		case <-ctx.Done():
			return false, fmt.Errorf("wire: %s: api key %d v%d waited for an exclusive exchange (SASL re-authentication) to end: %w",
				c.addr, req.Key, req.Version, ctx.Err())
		}
		c.gateMu.Lock()
	}
	c.gate.writing++
	c.gateMu.Unlock()
	return true, nil
}

func (c *Conn) leaveGate() {
	c.gateMu.Lock()
	c.gate.writing--
	if c.gate.writing == 0 && c.gate.idle != nil {
		close(c.gate.idle)
		c.gate.idle = nil
	}
	c.gateMu.Unlock()
}

// CloseWithError closes the Conn like Close, recording cause as the reason
// that pending and later requests report (they still match ErrClosed). The
// first reason wins: on a Conn already closed it does nothing.
func (c *Conn) CloseWithError(cause error) error {
	c.fail(cause)
	<-c.readerDone
	return nil
}
