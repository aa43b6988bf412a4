package core_test

import (
	"encoding/binary"
	"io"
	"net"
	"testing"

	"github.com/kafka3/kafka3-go/core/protocol"
)

// The scripted fake brokers of these tests (producer, consumer, group) play
// error paths a real broker cannot be made to take. They share this loop.

// listenFake serves Kafka requests on 127.0.0.1 with answer, on every
// connection, until the test ends.
func listenFake(t *testing.T, answer func(protocol.Request) protocol.Response) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveFake(c, answer)
		}
	}()
	return ln
}

// serveFake reads request frames from c and writes answer's responses until
// c fails or a frame does not decode; a nil answer sends nothing (acks=0).
func serveFake(c net.Conn, answer func(protocol.Request) protocol.Response) {
	defer c.Close()
	for {
		var size [4]byte
		if _, err := io.ReadFull(c, size[:]); err != nil {
			return
		}
		frame := make([]byte, binary.BigEndian.Uint32(size[:]))
		if _, err := io.ReadFull(c, frame); err != nil {
			return
		}
		h, req, err := protocol.DecodeRequest(frame)
		if err != nil {
			return
		}
		resp := answer(req)
		if resp == nil {
			continue
		}
		v := h.RequestApiVersion
		out := (&protocol.ResponseHeader{CorrelationId: h.CorrelationId}).AppendTo(make([]byte, 4), req.NewResponse().ResponseHeaderVersion(v))
		out = resp.AppendTo(out, v)
		binary.BigEndian.PutUint32(out, uint32(len(out)-4))
		if _, err := c.Write(out); err != nil {
			return
		}
	}
}
