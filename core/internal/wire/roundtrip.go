package wire

import (
	"context"
	"fmt"
	"math"
	"net"
	"time"
)

// writevMin is the body size from which a body is written straight from
// the caller's slice (writev) rather than copied after the header, on a
// connection that can (see Request.Inserts).
const writevMin = 64 << 10

// maxKeptWriteBuf bounds the write buffer a Conn keeps between requests.
const maxKeptWriteBuf = 1 << 20

// longAgo is a deadline in the past, to abort a blocked write.
var longAgo = time.Unix(1, 0)

// RoundTrip writes req and waits for its response, assigning the
// correlation id. It is safe for concurrent use: up to MaxInFlight requests
// are pipelined, further callers wait for a slot (honouring ctx).
//
// If ctx ends before the response arrives, RoundTrip returns ctx.Err()
// wrapped with what it waited for, and closes the Conn: the unread response
// would desynchronize it. Other pending requests then fail with an error
// matching ErrClosed. If ctx ends while waiting for a slot, only this call
// fails. For req.NoResponse, RoundTrip returns (nil, nil) once the request
// is written. See Response for the ownership of the returned body.
func (c *Conn) RoundTrip(ctx context.Context, req *Request) (*Response, error) {
	call, err := c.Start(ctx, req)
	if err != nil {
		return nil, err
	}
	return call.Wait(ctx)
}

// Call is a request written on a Conn whose response is still to come:
// Start returns it, Wait collects the response. It is used by one goroutine.
type Call struct {
	c     *Conn
	req   *Request
	p     *pending // nil for NoResponse
	out   int      // bytes written
	start time.Time
}

// Start writes req and returns without waiting for the response. Requests
// started one after another from one goroutine are written, and so
// processed by the broker, in that order, which RoundTrip from several
// goroutines does not promise. The caller must call Wait on the result
// (also for NoResponse requests), with the same rules as RoundTrip; req and
// its Body are not used after Start returns.
func (c *Conn) Start(ctx context.Context, req *Request) (*Call, error) {
	call := &Call{c: c, req: req, start: time.Now()}
	if err := req.check(c.opts.ClientID); err != nil {
		return nil, call.done(nil, err)
	}
	entered, err := c.enterGate(ctx, req)
	if err != nil {
		return nil, call.done(nil, err)
	}
	if err := c.acquire(ctx, req); err != nil {
		if entered {
			c.leaveGate()
		}
		return nil, call.done(nil, err)
	}
	c.touch()
	if !req.NoResponse {
		call.p = getPending(req.ResponseHeaderVersion)
	}
	n, err := c.write(ctx, req, call.p)
	if entered {
		c.leaveGate()
	}
	call.out = n
	if call.p == nil {
		<-c.sem // nothing queued: the slot is ours to give back
	}
	if err != nil {
		return nil, call.done(nil, err) // the Conn is closed; p is left to the GC
	}
	return call, nil
}

// Wait waits for the response of a started request; see RoundTrip.
func (call *Call) Wait(ctx context.Context) (*Response, error) {
	if call.p == nil {
		return nil, call.done(nil, nil)
	}
	resp, err := call.c.wait(ctx, call.req, call.p)
	return resp, call.done(resp, err)
}

// done reports the finished call to OnRoundTrip and returns err.
func (call *Call) done(resp *Response, err error) error {
	if call.c.opts.OnRoundTrip == nil {
		return err
	}
	in := 0
	if resp != nil {
		in = resp.Size
	}
	call.c.callHook(call.req, call.out, in, time.Since(call.start), err)
	return err
}

func (c *Conn) callHook(req *Request, out, in int, d time.Duration, err error) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("wire: OnRoundTrip panicked", "addr", c.addr, "panic", r)
		}
	}()
	c.opts.OnRoundTrip(req.Key, req.Version, out, in, d, err)
}

// acquire takes an in-flight slot.
func (c *Conn) acquire(ctx context.Context, req *Request) error {
	select {
	case c.sem <- struct{}{}:
		return nil
	default:
	}
	select {
	case c.sem <- struct{}{}:
		return nil
	case <-c.closed:
		return c.Err()
	case <-ctx.Done():
		return fmt.Errorf("wire: %s: waiting for a free in-flight slot (%d busy) for api key %d v%d: %w",
			c.addr, cap(c.sem), req.Key, req.Version, ctx.Err())
	}
}

// write frames and writes req, queueing p (if any) first so that the reader
// can match the response. A failed write closes the Conn. It returns the
// bytes of the frame.
func (c *Conn) write(ctx context.Context, req *Request, p *pending) (int, error) {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	c.corr = (c.corr + 1) & math.MaxInt32
	if err := c.enqueue(p, c.corr); err != nil {
		return 0, err
	}
	buf := appendHeader(c.wbuf[:0], req, c.corr, c.opts.ClientID)
	if c.vectorize(req) {
		c.iov = c.pieces(buf, req)
	} else {
		buf = appendBody(buf, req)
		c.iov = append(c.iov[:0], buf)
	}
	n, err := c.writeFrame(ctx, c.iov)
	clear(c.iov[:cap(c.iov)])
	if cap(buf) <= maxKeptWriteBuf {
		c.wbuf = buf[:0]
	}
	if err != nil {
		err = fmt.Errorf("wire: writing api key %d v%d to %s: %w", req.Key, req.Version, c.addr, err)
		c.fail(err)
		return n, &closedError{addr: c.addr, cause: err}
	}
	return n, nil
}

// vectorize reports whether req goes out as pieces (net.Buffers) rather
// than copied behind its header: its Inserts when the connection writes
// pieces with one writev, a large Body on any connection.
func (c *Conn) vectorize(req *Request) bool {
	if len(req.Inserts) > 0 {
		return c.vectored
	}
	return len(req.Body) >= writevMin
}

// appendBody appends req's body, with its Inserts, to buf.
func appendBody(buf []byte, req *Request) []byte {
	at := 0
	for _, in := range req.Inserts {
		buf = append(buf, req.Body[at:in.At]...)
		buf = append(buf, in.Bytes...)
		at = in.At
	}
	return append(buf, req.Body[at:]...)
}

// pieces returns the frame of req as the header in head followed by the
// body's parts and Inserts, none of them copied, in c.iov's array.
func (c *Conn) pieces(head []byte, req *Request) net.Buffers {
	iov := append(c.iov[:0], head)
	at := 0
	for _, in := range req.Inserts {
		if in.At > at {
			iov = append(iov, req.Body[at:in.At])
		}
		if len(in.Bytes) > 0 {
			iov = append(iov, in.Bytes)
		}
		at = in.At
	}
	if at < len(req.Body) {
		iov = append(iov, req.Body[at:])
	}
	return iov
}

// isTCP reports whether nc writes net.Buffers with one system call.
func isTCP(nc net.Conn) bool {
	_, ok := nc.(*net.TCPConn)
	return ok
}

// enqueue queues p with correlation id corr, or reports the Conn closed.
func (c *Conn) enqueue(p *pending, corr int32) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	if p != nil {
		p.corr = corr
		c.q.push(p)
	}
	return nil
}

// writeFrame writes the frame's pieces within the write deadline, aborting
// the write if ctx is cancelled. It consumes pieces (net.Buffers.WriteTo).
func (c *Conn) writeFrame(ctx context.Context, pieces net.Buffers) (int, error) {
	dl := time.Now().Add(c.opts.WriteTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(dl) {
		dl = d
	}
	if err := c.nc.SetWriteDeadline(dl); err != nil {
		return 0, err
	}
	if ctx.Done() != nil {
		stop := context.AfterFunc(ctx, func() { _ = c.nc.SetWriteDeadline(longAgo) })
		defer stop()
	}
	if len(pieces) == 1 {
		return c.nc.Write(pieces[0])
	}
	n, err := pieces.WriteTo(c.nc)
	return int(n), err
}

// wait waits for p's response or for ctx to end.
func (c *Conn) wait(ctx context.Context, req *Request, p *pending) (*Response, error) {
	select {
	case <-p.done:
		return c.result(p)
	case <-ctx.Done():
	}
	select {
	case <-p.done: // arrived meanwhile
		return c.result(p)
	default:
	}
	err := fmt.Errorf("wire: %s: waiting for the response to api key %d v%d (correlation id %d): %w",
		c.addr, req.Key, req.Version, p.corr, ctx.Err())
	c.fail(fmt.Errorf("an earlier request timed out: %w", err))
	return nil, err // p is abandoned to fail's signal and the GC
}

func (c *Conn) result(p *pending) (*Response, error) {
	c.touch()
	if p.err != nil {
		err := p.err
		putPending(p)
		return nil, err
	}
	p.resp.p = p
	return &p.resp, nil
}
