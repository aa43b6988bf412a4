package faultproxy

import (
	"context"
	"errors"
	"net"
	"sort"
	"sync"
)

// ErrClosed is returned by Network.DialContext after Close.
var ErrClosed = errors.New("faultproxy: network closed")

// Network routes every connection a client dials through a proxy for the
// dialled address, created on first use; all its proxies apply the embedded
// Faults (every broker), and each its own (one broker: see Proxy). Its DialContext makes it a core.Transport (set it as
// core.Config.Transport), so faults reach all of a client's connections, to
// the bootstrap servers and to every broker metadata names. Create it with
// NewNetwork; Close it. Safe for concurrent use.
type Network struct {
	*Faults

	mu      sync.Mutex
	proxies map[string]*Proxy
	closed  bool
	dialer  net.Dialer
}

// NewNetwork returns a Network with no fault on.
func NewNetwork() *Network {
	return &Network{Faults: newFaults(), proxies: map[string]*Proxy{}}
}

// DialContext dials addr through its proxy: the connection the caller gets
// is to the proxy, which forwards to addr. network must be a TCP network.
func (n *Network) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("faultproxy: only TCP is proxied")}
	}
	p, err := n.Proxy(addr)
	if err != nil {
		return nil, err
	}
	return n.dialer.DialContext(ctx, "tcp", p.Addr())
}

// Proxy returns the proxy forwarding to addr, starting it if needed. Faults
// set on it apply to the connections to addr only.
func (n *Network) Proxy(addr string) (*Proxy, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return nil, ErrClosed
	}
	if p := n.proxies[addr]; p != nil {
		return p, nil
	}
	p, err := newProxy(addr, n.Faults)
	if err != nil {
		return nil, err
	}
	n.proxies[addr] = p
	return p, nil
}

// Targets lists the addresses the network has proxied, sorted.
func (n *Network) Targets() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]string, 0, len(n.proxies))
	for a := range n.proxies {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

func (n *Network) all() []*Proxy {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]*Proxy, 0, len(n.proxies))
	for _, p := range n.proxies {
		out = append(out, p)
	}
	return out
}

// ResetAll resets every open connection of every proxy; it returns how many.
func (n *Network) ResetAll() int {
	total := 0
	for _, p := range n.all() {
		total += p.ResetAll()
	}
	return total
}

// HalfClose ends direction d of every open connection of every proxy with a
// FIN; it returns how many connections it hit.
func (n *Network) HalfClose(d Direction) int {
	total := 0
	for _, p := range n.all() {
		total += p.HalfClose(d)
	}
	return total
}

// ClearAll turns every fault mode off: the Network's (Clear) and each
// proxy's own.
func (n *Network) ClearAll() {
	n.Clear()
	for _, p := range n.all() {
		p.Clear()
	}
}

// OpenConns is the number of client connections open through any proxy.
func (n *Network) OpenConns() int {
	total := 0
	for _, p := range n.all() {
		total += p.OpenConns()
	}
	return total
}

// Stats sums the counters of every proxy.
func (n *Network) Stats() Stats {
	var s Stats
	for _, p := range n.all() {
		s.add(p.Stats())
	}
	return s
}

// Close closes every proxy and waits for their goroutines; later dials fail
// with ErrClosed. It is idempotent.
func (n *Network) Close() error {
	n.mu.Lock()
	n.closed = true
	n.mu.Unlock()
	var errs []error
	for _, p := range n.all() {
		if err := p.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
