package wire

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
)

// readBufSize is the size of each Conn's read buffer.
const readBufSize = 16 << 10

// readLoop reads responses until the Conn fails, handing each one to the
// oldest pending request. It is the only reader of the socket.
func (c *Conn) readLoop() {
	defer close(c.readerDone)
	br := bufio.NewReaderSize(c.nc, readBufSize)
	for {
		bp, err := readFrame(br, c.opts.MaxResponseSize, c.addr)
		if err == nil {
			err = c.deliver(bp)
		}
		if err != nil {
			c.fail(c.readError(err))
			return
		}
	}
}

// readError describes why reading stopped.
func (c *Conn) readError(err error) error {
	switch {
	case errors.Is(err, io.EOF):
		return fmt.Errorf("the broker closed the connection: %w", err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("the broker closed the connection in the middle of a response: %w", err)
	}
	return err
}

// deliver matches the frame in bp to the oldest pending request.
func (c *Conn) deliver(bp *[]byte) error {
	c.mu.Lock()
	p := c.q.peek()
	if p == nil {
		c.mu.Unlock()
		putBuf(bp)
		if c.Err() != nil {
			return net.ErrClosed
		}
		return protoErrorf("%s sent a response while no request was waiting for one", c.addr)
	}
	corr, body, err := parseResponseHeader(*bp, p.rhv)
	if err == nil && p.rhv >= 0 && corr != p.corr {
		err = protoErrorf("%s answered with correlation id %d, expected %d", c.addr, corr, p.corr)
	}
	if err != nil {
		c.mu.Unlock()
		putBuf(bp)
		return err
	}
	c.q.pop()
	c.mu.Unlock()
	p.bufp = bp
	p.resp = Response{CorrelationID: corr, Body: body, Size: len(*bp) + 4}
	<-c.sem
	c.touch()
	p.done <- struct{}{}
	return nil
}
