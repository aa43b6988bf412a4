package faultproxy

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts what a proxy (or every proxy of a Network) has done.
type Stats struct {
	Accepted   int64 // client connections accepted
	Refused    int64 // connections reset at once because SetRefuse was on
	Resets     int64 // connections reset by ResetAll
	HalfCloses int64 // connection directions ended by HalfClose
	Failed     int64 // connections reset because the upstream could not be dialled
	Corrupted  int64 // frames a SetCorrupt mutator changed
}

func (s *Stats) add(o Stats) {
	s.Accepted += o.Accepted
	s.Refused += o.Refused
	s.Resets += o.Resets
	s.HalfCloses += o.HalfCloses
	s.Failed += o.Failed
	s.Corrupted += o.Corrupted
}

// Proxy listens on a loopback port and forwards every connection to one
// target address, applying its Faults (embedded: SetLatency, SetBlackhole,
// ...). A proxy of a Network also applies the Network's faults, on top of
// its own: set a fault on the Proxy (Network.Proxy(addr)) to hit one broker,
// on the Network to hit them all. Create it with New; Close it. Safe for
// concurrent use.
type Proxy struct {
	*Faults
	shared *Faults // the Network's faults, nil for a lone proxy
	target string
	ln     net.Listener
	ctx    context.Context // cancelled by Close: aborts upstream dials
	cancel context.CancelFunc

	mu     sync.Mutex
	links  map[*link]struct{}
	closed bool

	open                                                 atomic.Int64 // accepted and not yet finished
	accepted, refused, resets, halfC, failedN, corrupted atomic.Int64
	wg                                                   sync.WaitGroup
}

// New starts a proxy on 127.0.0.1:0 forwarding to target (host:port), with a
// fault state of its own.
func New(target string) (*Proxy, error) { return newProxy(target, nil) }

func newProxy(target string, shared *Faults) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Proxy{Faults: newFaults(), shared: shared, target: target, ln: ln, ctx: ctx, cancel: cancel, links: map[*link]struct{}{}}
	p.wg.Add(1)
	go p.acceptLoop()
	return p, nil
}

// Addr is the proxy's listening address (127.0.0.1:port): dial it instead of
// the target.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Target is the address the proxy forwards to.
func (p *Proxy) Target() string { return p.target }

// OpenConns is the number of client connections accepted and not yet
// finished (both sides closed and the forwarding goroutines gone).
func (p *Proxy) OpenConns() int { return int(p.open.Load()) }

// Stats returns the proxy's counters.
func (p *Proxy) Stats() Stats {
	return Stats{Accepted: p.accepted.Load(), Refused: p.refused.Load(), Resets: p.resets.Load(),
		HalfCloses: p.halfC.Load(), Failed: p.failedN.Load(), Corrupted: p.corrupted.Load()}
}

// ResetAll resets every open connection (both the client's and the
// broker's side get a TCP RST) and returns how many there were. New
// connections are accepted as usual.
func (p *Proxy) ResetAll() int {
	ls := p.openLinks()
	for _, l := range ls {
		l.abort(true)
	}
	p.resets.Add(int64(len(ls)))
	return len(ls)
}

// HalfClose ends direction d of every open connection with a FIN (the
// receiving side reads EOF) while the other direction stays open; data sent
// later in direction d is discarded. It returns how many connections it hit.
func (p *Proxy) HalfClose(d Direction) int {
	ls := p.openLinks()
	for _, l := range ls {
		l.halfClose(d)
	}
	p.halfC.Add(int64(len(ls)))
	return len(ls)
}

// Close stops listening, closes every connection and waits until all the
// proxy's goroutines have returned. It is idempotent.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		p.wg.Wait()
		return nil
	}
	p.closed = true
	p.mu.Unlock()
	p.cancel()
	err := p.ln.Close()
	for _, l := range p.openLinks() {
		l.abort(false)
	}
	p.wg.Wait()
	return err
}

func (p *Proxy) openLinks() []*link {
	p.mu.Lock()
	defer p.mu.Unlock()
	ls := make([]*link, 0, len(p.links))
	for l := range p.links {
		ls = append(ls, l)
	}
	return ls
}

func (p *Proxy) acceptLoop() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		p.accepted.Add(1)
		p.open.Add(1)
		p.wg.Add(1)
		go p.serve(c)
	}
}

func (p *Proxy) serve(c net.Conn) {
	defer p.wg.Done()
	defer p.open.Add(-1)
	if (layers{p.Faults, p.shared}).state().refuse {
		p.refused.Add(1)
		reset(c)
		return
	}
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	var d net.Dialer
	s, err := d.DialContext(ctx, "tcp", p.target)
	cancel()
	if err != nil {
		p.failedN.Add(1)
		reset(c)
		return
	}
	l := &link{f: layers{p.Faults, p.shared}, corrupted: &p.corrupted, conns: [2]net.Conn{c, s}, done: make(chan struct{})}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		_ = c.Close()
		_ = s.Close()
		return
	}
	p.links[l] = struct{}{}
	p.mu.Unlock()
	l.run()
	p.mu.Lock()
	delete(p.links, l)
	p.mu.Unlock()
}

// reset closes c with SO_LINGER 0, so the peer gets a RST rather than a FIN.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

func closeWrite(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
		return
	}
	_ = c.Close()
}

// link is one proxied connection: conns[0] is the client's side, conns[1]
// the broker's. Direction d reads conns[d] and writes conns[1-d].
type link struct {
	f         layers
	corrupted *atomic.Int64
	conns     [2]net.Conn
	done      chan struct{}
	once      sync.Once

	mu     sync.Mutex
	halfed [2]bool // direction ended by HalfClose: discard its data
}

type chunk struct {
	data []byte
	due  time.Time
}

// run forwards both directions and returns when the link is finished.
func (l *link) run() {
	var wg sync.WaitGroup
	for d := Upstream; d <= Downstream; d++ {
		ch := make(chan chunk, 64)
		wg.Add(2)
		go func() { defer wg.Done(); l.read(d, ch) }()
		go func() { defer wg.Done(); l.write(d, ch) }()
	}
	wg.Wait()
	l.abort(false) // both directions ended: close what is left
}

// abort closes both sides once (with a reset when rst) and stops forwarding.
func (l *link) abort(rst bool) {
	l.once.Do(func() {
		close(l.done)
		for _, c := range l.conns {
			if rst {
				reset(c)
			} else {
				_ = c.Close()
			}
		}
	})
}

func (l *link) halfClose(d Direction) {
	l.mu.Lock()
	already := l.halfed[d]
	l.halfed[d] = true
	l.mu.Unlock()
	if !already {
		closeWrite(l.conns[1-d])
	}
}

// read reads direction d's source into ch, stamping each chunk with the time
// it is due, and closes ch on EOF. A read error other than EOF aborts the link.
// It follows the Kafka frames of the direction, so that a SetCorrupt
// mutator, from the frame after it is set, gets each frame whole.
func (l *link) read(d Direction, ch chan<- chunk) {
	defer close(ch)
	src := l.conns[d]
	var fr framer
	for {
		buf := make([]byte, 32<<10)
		n, err := src.Read(buf)
		if n > 0 {
			st := l.f.state()
			m := st.corrupt[d]
			due := time.Now().Add(st.latency)
			ok := fr.feed(buf[:n], m, func(b []byte) bool {
				select {
				case ch <- chunk{data: b, due: due}:
					return true
				case <-l.done:
					return false
				}
			}, func() { l.corrupted.Add(1) })
			if !ok {
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				// A reset (or any failure) on one side: pass it on as a reset.
				l.abort(true)
			}
			return
		}
	}
}

// write delivers direction d's chunks when due, while the direction is not
// stalled, within the bandwidth limit; at EOF it half-closes the destination.
func (l *link) write(d Direction, ch <-chan chunk) {
	dst := l.conns[1-d]
	for c := range ch {
		if !sleep(time.Until(c.due), l.done) || !l.f.waitOpen(d, l.done) {
			return
		}
		l.mu.Lock()
		discard := l.halfed[d]
		l.mu.Unlock()
		if discard {
			continue
		}
		if err := l.send(dst, c.data); err != nil {
			l.abort(true)
			return
		}
	}
	select {
	case <-l.done:
		return
	default:
	}
	l.mu.Lock()
	already := l.halfed[d]
	l.mu.Unlock()
	if !already {
		closeWrite(dst)
	}
}

// send writes data to dst, in slices of 1/50 s when the bandwidth is limited.
func (l *link) send(dst net.Conn, data []byte) error {
	for len(data) > 0 {
		bw := l.f.state().bandwidth
		if bw <= 0 {
			_, err := dst.Write(data)
			return err
		}
		n := int(min(int64(len(data)), max(bw/50, 1)))
		if _, err := dst.Write(data[:n]); err != nil {
			return err
		}
		data = data[n:]
		if !sleep(time.Duration(int64(n)*int64(time.Second)/bw), l.done) {
			return net.ErrClosed
		}
	}
	return nil
}
