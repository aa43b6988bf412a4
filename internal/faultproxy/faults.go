package faultproxy

import (
	"sync"
	"time"
)

// Direction is one way of a proxied connection.
type Direction int

const (
	// Upstream is client to broker: requests.
	Upstream Direction = iota
	// Downstream is broker to client: responses.
	Downstream
)

func (d Direction) String() string {
	if d == Upstream {
		return "upstream"
	}
	return "downstream"
}

// Faults is the switchable fault state that a Proxy, or every proxy of a
// Network, applies to its connections. The zero value is not usable; Proxy
// and Network embed one. Safe for concurrent use; a change applies at once to
// open connections (to data not yet forwarded) and to new ones.
type Faults struct {
	mu        sync.Mutex
	latency   time.Duration
	bandwidth int64 // bytes per second, per direction of each connection; 0 = unlimited
	stall     [2]bool
	refuse    bool
	corrupt   [2]Mutator
	changed   chan struct{} // closed and replaced on every change
}

func newFaults() *Faults { return &Faults{changed: make(chan struct{})} }

// set applies fn under the lock and wakes everyone waiting for a change.
func (f *Faults) set(fn func()) {
	f.mu.Lock()
	fn()
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
}

// SetLatency delays every chunk of data, in each direction, by d (one-way
// latency; a request and its response take 2d more). Data keeps flowing
// (pipelined), it is only late. 0 turns it off.
func (f *Faults) SetLatency(d time.Duration) { f.set(func() { f.latency = max(d, 0) }) }

// SetBandwidth limits each direction of each connection to bytesPerSecond.
// 0 (or less) means unlimited.
func (f *Faults) SetBandwidth(bytesPerSecond int64) {
	f.set(func() { f.bandwidth = max(bytesPerSecond, 0) })
}

// SetBlackhole stops forwarding in both directions without closing anything:
// connections stay open (and new ones are accepted) but no byte goes through,
// as when a network drops every packet. Turning it off delivers what was held
// back, as TCP would after retransmission.
func (f *Faults) SetBlackhole(on bool) { f.set(func() { f.stall = [2]bool{on, on} }) }

// SetStall stops forwarding in one direction only, silently (no FIN, no
// reset): a half-open connection where, say, requests arrive but responses
// never come back.
func (f *Faults) SetStall(d Direction, on bool) { f.set(func() { f.stall[d] = on }) }

// SetRefuse makes the proxy reset every new connection as soon as it is
// accepted, as a broker that is down would (ECONNRESET / connection refused
// for the client). Open connections are not affected; see ResetAll.
func (f *Faults) SetRefuse(on bool) { f.set(func() { f.refuse = on }) }

// SetCorrupt passes every whole Kafka frame travelling in direction d (a
// request upstream, a response downstream) through m before forwarding it,
// starting with the next frame; nil turns it off. m may change the frame in
// place (see Mutator); the frames it changes are counted in Stats.Corrupted.
// While m is set, each frame is held until it is complete.
func (f *Faults) SetCorrupt(d Direction, m Mutator) { f.set(func() { f.corrupt[d] = m }) }

// Clear turns every fault mode off.
func (f *Faults) Clear() {
	f.set(func() {
		f.latency, f.bandwidth, f.stall, f.refuse, f.corrupt = 0, 0, [2]bool{}, false, [2]Mutator{}
	})
}

// state is a snapshot of the fault modes.
type state struct {
	latency   time.Duration
	bandwidth int64
	stall     [2]bool
	refuse    bool
	corrupt   [2]Mutator
	changed   chan struct{}
}

func (f *Faults) state() state {
	if f == nil {
		return state{}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return state{f.latency, f.bandwidth, f.stall, f.refuse, f.corrupt, f.changed}
}

// layers is the fault state a connection obeys: its proxy's own Faults and,
// for a proxy of a Network, the Network's, which apply on top.
type layers [2]*Faults

// state combines the layers: the larger latency, the lower bandwidth limit,
// a stall or refusal if either has it, the proxy's own mutator first.
func (ls layers) state() state {
	a, b := ls[0].state(), ls[1].state()
	s := state{latency: max(a.latency, b.latency), refuse: a.refuse || b.refuse}
	switch {
	case a.bandwidth == 0:
		s.bandwidth = b.bandwidth
	case b.bandwidth == 0:
		s.bandwidth = a.bandwidth
	default:
		s.bandwidth = min(a.bandwidth, b.bandwidth)
	}
	for d := range 2 {
		s.stall[d] = a.stall[d] || b.stall[d]
		s.corrupt[d] = a.corrupt[d]
		if s.corrupt[d] == nil {
			s.corrupt[d] = b.corrupt[d]
		}
	}
	return s
}

// waitOpen blocks while direction d is stalled by either layer. It returns
// false when done is closed first.
func (ls layers) waitOpen(d Direction, done <-chan struct{}) bool {
	for {
		a, b := ls[0].state(), ls[1].state()
		if !a.stall[d] && !b.stall[d] {
			return true
		}
		select {
		case <-a.changed:
		case <-b.changed: // nil for a lone proxy: never ready
		case <-done:
			return false
		}
	}
}

// sleep waits for d or until done is closed; false means done.
func sleep(d time.Duration, done <-chan struct{}) bool {
	if d <= 0 {
		select {
		case <-done:
			return false
		default:
			return true
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}
