package reliability

import (
	"encoding/binary"
	"io"
	"net"
	"sync"
	"testing"
	"time"

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
	// window, when set, limits the misbehaviour on its API to some of
	// that API's requests (a fault in the middle of a session): the fake
	// processes such a request (a Produce is appended) and misbehaves
	// instead of answering, as a broker whose answer is lost. seen counts
	// each API's requests that the fake processes.
	window *faultWindow
	seen   map[int16]int
	// log is partition t/0 (see partitionLog), read by Fetch and written
	// by Produce.
	log partitionLog
	// rebalanceAt, when set, is the Heartbeat answered
	// REBALANCE_IN_PROGRESS (1-based), as a coordinator starting a
	// rebalance does; heartbeats counts them (under mu).
	rebalanceAt, heartbeats int
	// topics are the topics CreateTopics created (under mu).
	topics map[string]bool
}

// faultWindow makes the fake misbehave on requests from to until (1-based,
// until excluded) of api, and answer the others of api well.
type faultWindow struct {
	api         int16
	from, until int
}

func newBadListener(bad misbehaviour, good apiSet) (*badListener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &badListener{ln: ln, bad: bad, port: int32(ln.Addr().(*net.TCPAddr).Port),
		conns: map[net.Conn]bool{}, misdone: map[int16]int{}, good: good, seen: map[int16]int{}}
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

// checkClosed fails t (naming the scenario what) if connections of the
// client stay open for 5 s: called once the client's Close has returned.
func (b *badListener) checkClosed(t *testing.T, what string) {
	end := time.Now().Add(5 * time.Second)
	for b.open() > 0 && time.Now().Before(end) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := b.open(); n > 0 {
		t.Errorf("%s: %d connection(s) left open after Close", what, n)
	}
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
		if resp := b.handshake(req); resp != nil && !b.faulty(h.RequestApiKey) {
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

// faulty counts a request of api and reports whether it falls in the
// fault window.
func (b *badListener) faulty(api int16) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seen[api]++
	w := b.window
	return w != nil && w.api == api && b.seen[api] >= w.from && b.seen[api] < w.until
}

// setWindow limits the misbehaviour to w.
func (b *badListener) setWindow(w faultWindow) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.window = &w
}

// requests is the number of requests of api the fake has read.
func (b *badListener) requests(api int16) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.seen[api]
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
		return b.answer(req)
	}
	return nil
}
