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

// Clear turns every fault mode off.
func (f *Faults) Clear() {
	f.set(func() {
		f.latency, f.bandwidth, f.stall, f.refuse = 0, 0, [2]bool{}, false
	})
}

func (f *Faults) snapshot() (latency time.Duration, bandwidth int64, refuse bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.latency, f.bandwidth, f.refuse
}

// waitOpen blocks while direction d is stalled. It returns false when done is
// closed first.
func (f *Faults) waitOpen(d Direction, done <-chan struct{}) bool {
	for {
		f.mu.Lock()
		stalled, ch := f.stall[d], f.changed
		f.mu.Unlock()
		if !stalled {
			return true
		}
		select {
		case <-ch:
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
