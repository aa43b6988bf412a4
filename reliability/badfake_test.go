package reliability

import (
	"encoding/binary"
	"io"
	"net"
	"sync"

	"github.com/kafka3/kafka3-go/core/protocol"
)

// The scripted fake broker of the bad-input scenarios (badinput_test.go).

// badListener is the scripted fake broker of one scenario.
type badListener struct {
	ln   net.Listener
	bad  misbehaviour
	port int32
	wg   sync.WaitGroup

	mu       sync.Mutex
	conns    map[net.Conn]bool
	accepted int
	misdone  map[int16]int // misbehaviours per API key

	// good are the APIs, beyond the handshake's, that are answered well
	// (see answer), so that the misbehaviour meets a later request.
	good apiSet
}

func newBadListener(bad misbehaviour, good apiSet) (*badListener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &badListener{ln: ln, bad: bad, port: int32(ln.Addr().(*net.TCPAddr).Port),
		conns: map[net.Conn]bool{}, misdone: map[int16]int{}, good: good}
	b.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b.mu.Lock()
			b.conns[c] = true
			b.accepted++
			b.mu.Unlock()
			b.wg.Go(func() { b.serve(c) })
		}
	})
	return b, nil
}

func (b *badListener) addr() string { return b.ln.Addr().String() }

// close stops the listener, closes what the client left open and waits for
// every goroutine.
func (b *badListener) close() {
	_ = b.ln.Close()
	b.mu.Lock()
	for c := range b.conns {
		_ = c.Close()
	}
	b.mu.Unlock()
	b.wg.Wait()
}

// open is the number of connections the client has not closed.
func (b *badListener) open() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.conns)
}

func (b *badListener) stats() (accepted int, misdone map[int16]int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m := map[int16]int{}
	for k, v := range b.misdone {
		m[k] = v
	}
	return b.accepted, m
}

func (b *badListener) serve(c net.Conn) {
	defer func() {
		_ = c.Close()
		b.mu.Lock()
		delete(b.conns, c)
		b.mu.Unlock()
	}()
	dropping := false
	for {
		var size [4]byte
		if _, err := io.ReadFull(c, size[:]); err != nil {
			return
		}
		n := binary.BigEndian.Uint32(size[:])
		if n > 64<<20 {
			return
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(c, buf); err != nil {
			return
		}
		if dropping {
			continue
		}
		h, req, err := protocol.DecodeRequest(buf)
		if err != nil {
			return
		}
		if resp := b.handshake(req); resp != nil {
			out := (&protocol.ResponseHeader{CorrelationId: h.CorrelationId}).AppendTo(make([]byte, 4), req.NewResponse().ResponseHeaderVersion(h.RequestApiVersion))
			out = resp.AppendTo(out, h.RequestApiVersion)
			binary.BigEndian.PutUint32(out, uint32(len(out)-4))
			if !write(c, out) {
				return
			}
			continue
		}
		b.mu.Lock()
		b.misdone[h.RequestApiKey]++
		b.mu.Unlock()
		switch b.bad(c, h, req) {
		case hangUp:
			return
		case broken:
			dropping = true
		}
	}
}

// handshake answers the requests a broker must answer before the one under
// test, as a one-broker cluster would, and those of b.good (answer); nil
// for the others.
func (b *badListener) handshake(req protocol.Request) protocol.Response {
	switch r := req.(type) {
	case *protocol.ApiVersionsRequest:
		resp := &protocol.ApiVersionsResponse{}
		resp.Default()
		for _, a := range protocol.APIs() {
			resp.ApiKeys = append(resp.ApiKeys, protocol.ApiVersionsResponseApiVersion{ApiKey: a.Key, MinVersion: a.MinVersion, MaxVersion: a.MaxVersion})
		}
		return resp
	case *protocol.MetadataRequest:
		resp := &protocol.MetadataResponse{}
		resp.Default()
		resp.Brokers = []protocol.MetadataResponseBroker{{NodeId: 1, Host: "127.0.0.1", Port: b.port}}
		resp.ControllerId = 1
		cluster := "bad-input"
		resp.ClusterId = &cluster
		name := "t"
		resp.Topics = []protocol.MetadataResponseTopic{{Name: &name, TopicId: protocol.UUID{1},
			Partitions: []protocol.MetadataResponsePartition{{LeaderId: 1, ReplicaNodes: []int32{1}, IsrNodes: []int32{1}}}}}
		return resp
	case *protocol.InitProducerIdRequest:
		resp := &protocol.InitProducerIdResponse{}
		resp.Default()
		resp.ProducerId, resp.ProducerEpoch = 4242, 0
		return resp
	case *protocol.FindCoordinatorRequest:
		resp := &protocol.FindCoordinatorResponse{}
		resp.Default()
		resp.NodeId, resp.Host, resp.Port = 1, "127.0.0.1", b.port
		for _, k := range r.CoordinatorKeys {
			resp.Coordinators = append(resp.Coordinators, protocol.FindCoordinatorResponseCoordinator{Key: k, NodeId: 1, Host: "127.0.0.1", Port: b.port})
		}
		return resp
	}
	if b.good[req.Key()] {
		return answer(req)
	}
	return nil
}
