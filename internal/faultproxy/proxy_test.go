package faultproxy

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests are not parallel: they count goroutines.

// echoServer accepts connections and echoes what it reads until EOF, then
// closes. It stops (and waits for its goroutines) when the test ends.
func echoServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = io.Copy(c, c)
				_ = c.Close()
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// checkNoLeak records the goroutine count and, at cleanup (after the cleanups
// registered later, which run first), waits for it to come back.
func checkNoLeak(t *testing.T) {
	t.Helper()
	base := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(3 * time.Second)
		for runtime.NumGoroutine() > base {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Errorf("goroutines: %d before, %d after\n%s", base, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

func newProxyT(t *testing.T) *Proxy {
	t.Helper()
	p, err := New(echoServer(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// roundTrip writes msg and reads it back within timeout.
func roundTrip(c net.Conn, msg []byte, timeout time.Duration) error {
	_ = c.SetDeadline(time.Now().Add(timeout))
	defer c.SetDeadline(time.Time{})
	if _, err := c.Write(msg); err != nil {
		return err
	}
	got := make([]byte, len(msg))
	if _, err := io.ReadFull(c, got); err != nil {
		return err
	}
	if !bytes.Equal(got, msg) {
		return errors.New("echo mismatch")
	}
	return nil
}

func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestForwardAndClose(t *testing.T) {
	checkNoLeak(t)
	p := newProxyT(t)
	c := dial(t, p.Addr())
	big := bytes.Repeat([]byte("kafka"), 100_000)
	if err := roundTrip(c, big, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "one open conn", time.Second, func() bool { return p.OpenConns() == 1 })
	_ = c.Close()
	waitFor(t, "no open conn after the client closed", 2*time.Second, func() bool { return p.OpenConns() == 0 })
	if s := p.Stats(); s.Accepted != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestCloseWithOpenConnections(t *testing.T) {
	checkNoLeak(t)
	p := newProxyT(t)
	c := dial(t, p.Addr())
	if err := roundTrip(c, []byte("x"), time.Second); err != nil {
		t.Fatal(err)
	}
	p.SetBlackhole(true)
	_, _ = c.Write([]byte("held back"))
	start := time.Now()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v", d)
	}
	if n := p.OpenConns(); n != 0 {
		t.Errorf("OpenConns after Close = %d", n)
	}
	_ = c.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Error("read on a connection of a closed proxy succeeded")
	}
	if _, err := net.DialTimeout("tcp", p.Addr(), 200*time.Millisecond); err == nil {
		t.Error("dial after Close succeeded")
	}
}

func TestLatency(t *testing.T) {
	checkNoLeak(t)
	p := newProxyT(t)
	c := dial(t, p.Addr())
	p.SetLatency(60 * time.Millisecond)
	start := time.Now()
	if err := roundTrip(c, []byte("ping"), 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 120*time.Millisecond || d > time.Second {
		t.Errorf("round trip with 60ms one-way latency took %v, want about 120ms", d)
	}
	// Pipelined: ten messages in flight take about one round trip, not ten.
	start = time.Now()
	for i := 0; i < 10; i++ {
		_, _ = c.Write([]byte("0123456789"))
	}
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := io.ReadFull(c, make([]byte, 100)); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 600*time.Millisecond {
		t.Errorf("10 pipelined messages took %v: latency is not pipelined", d)
	}
	p.SetLatency(0)
	start = time.Now()
	if err := roundTrip(c, []byte("ping"), time.Second); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Errorf("round trip after clearing latency took %v", d)
	}
}

func TestBandwidth(t *testing.T) {
	checkNoLeak(t)
	p := newProxyT(t)
	c := dial(t, p.Addr())
	p.SetBandwidth(200_000) // 200 kB/s each way
	msg := bytes.Repeat([]byte{7}, 40_000)
	start := time.Now()
	if err := roundTrip(c, msg, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	// 40 kB at 200 kB/s is 200ms one way; both ways pipeline, so about 200-400ms.
	if d := time.Since(start); d < 180*time.Millisecond || d > 2*time.Second {
		t.Errorf("40 kB at 200 kB/s took %v", d)
	}
}

func isReset(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

func TestResetAll(t *testing.T) {
	checkNoLeak(t)
	p := newProxyT(t)
	c1, c2 := dial(t, p.Addr()), dial(t, p.Addr())
	for _, c := range []net.Conn{c1, c2} {
		if err := roundTrip(c, []byte("x"), time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if n := p.ResetAll(); n != 2 {
		t.Fatalf("ResetAll hit %d connections, want 2", n)
	}
	for _, c := range []net.Conn{c1, c2} {
		_ = c.SetReadDeadline(time.Now().Add(time.Second))
		_, err := c.Read(make([]byte, 1))
		if !isReset(err) {
			t.Errorf("read after ResetAll: %v, want ECONNRESET", err)
		}
	}
	waitFor(t, "no open conn", time.Second, func() bool { return p.OpenConns() == 0 })
	// New connections work.
	if err := roundTrip(dial(t, p.Addr()), []byte("again"), time.Second); err != nil {
		t.Fatal(err)
	}
	if s := p.Stats(); s.Resets != 2 {
		t.Errorf("stats %+v", s)
	}
}

func TestBlackhole(t *testing.T) {
	checkNoLeak(t)
	p := newProxyT(t)
	c := dial(t, p.Addr())
	p.SetBlackhole(true)
	err := roundTrip(c, []byte("lost?"), 200*time.Millisecond)
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("round trip in a black hole: %v, want a timeout", err)
	}
	// A new connection is accepted but nothing flows either.
	c2 := dial(t, p.Addr())
	if err := roundTrip(c2, []byte("y"), 100*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("new connection in a black hole: %v", err)
	}
	p.Clear()
	// What was held back arrives, in order, then the stream works again.
	_ = c.SetReadDeadline(time.Now().Add(time.Second))
	got := make([]byte, 5)
	if _, err := io.ReadFull(c, got); err != nil || string(got) != "lost?" {
		t.Fatalf("after clearing: %q, %v", got, err)
	}
	if err := roundTrip(c, []byte("ok"), time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestStallOneDirection(t *testing.T) {
	checkNoLeak(t)
	p := newProxyT(t)
	c := dial(t, p.Addr())
	p.SetStall(Downstream, true)
	if err := roundTrip(c, []byte("req"), 200*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("stalled downstream: %v, want a timeout", err)
	}
	// The connection is still open: nothing was closed.
	if n := p.OpenConns(); n != 1 {
		t.Errorf("OpenConns = %d", n)
	}
	p.SetStall(Downstream, false)
	_ = c.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := io.ReadFull(c, make([]byte, 3)); err != nil {
		t.Fatal(err)
	}
}

func TestHalfClose(t *testing.T) {
	checkNoLeak(t)
	p := newProxyT(t)
	c := dial(t, p.Addr())
	if err := roundTrip(c, []byte("x"), time.Second); err != nil {
		t.Fatal(err)
	}
	if n := p.HalfClose(Downstream); n != 1 {
		t.Fatalf("HalfClose hit %d", n)
	}
	_ = c.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("read after half-closing downstream: %v, want EOF", err)
	}
	// The client's direction is still open: writes succeed.
	if _, err := c.Write([]byte("still writing")); err != nil {
		t.Fatalf("write after half-closing downstream: %v", err)
	}
	_ = c.Close()
	waitFor(t, "no open conn", 2*time.Second, func() bool { return p.OpenConns() == 0 })

	// Upstream: the server reads EOF, closes, and the client then reads EOF.
	c2 := dial(t, p.Addr())
	if err := roundTrip(c2, []byte("x"), time.Second); err != nil {
		t.Fatal(err)
	}
	p.HalfClose(Upstream)
	_ = c2.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := c2.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("read after half-closing upstream: %v, want EOF", err)
	}
}

// dialAndRead connects and reads one byte; the error is the dial's (the
// reset can beat the handshake's end) or the read's.
func dialAndRead(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, err = c.Read(make([]byte, 1))
	return err
}

func TestRefuse(t *testing.T) {
	checkNoLeak(t)
	p := newProxyT(t)
	p.SetRefuse(true)
	if err := dialAndRead(p.Addr()); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read on a refused connection: %v, want a reset", err)
	}
	p.SetRefuse(false)
	if err := roundTrip(dial(t, p.Addr()), []byte("up"), time.Second); err != nil {
		t.Fatal(err)
	}
	if s := p.Stats(); s.Refused != 1 || s.Accepted != 2 {
		t.Errorf("stats %+v", s)
	}
}

func TestUnreachableTarget(t *testing.T) {
	checkNoLeak(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	_ = ln.Close()
	p, err := New(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := dialAndRead(p.Addr()); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read through a proxy to nowhere: %v, want a reset", err)
	}
}

// echoNetwork checks the test for leaked goroutines and returns two echo
// servers, a Network closed when the test ends and a context of 5 s for
// dialling through it.
func echoNetwork(t *testing.T) (a, b string, n *Network, ctx context.Context) {
	checkNoLeak(t)
	a, b = echoServer(t), echoServer(t)
	n = NewNetwork()
	t.Cleanup(func() { _ = n.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return a, b, n, ctx
}

func TestNetwork(t *testing.T) {
	a, b, n, ctx := echoNetwork(t)
	var conns []net.Conn
	for _, addr := range []string{a, b, a} {
		c, err := n.DialContext(ctx, "tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		if err := roundTrip(c, []byte(addr), time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if got := n.Targets(); len(got) != 2 {
		t.Errorf("Targets = %v", got)
	}
	waitFor(t, "3 open conns", time.Second, func() bool { return n.OpenConns() == 3 })
	// The faults are shared by every proxy.
	n.SetBlackhole(true)
	for _, c := range conns {
		if err := roundTrip(c, []byte("z"), 100*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("black hole not applied: %v", err)
		}
	}
	n.Clear()
	if got := n.ResetAll(); got != 3 {
		t.Errorf("ResetAll = %d", got)
	}
	waitFor(t, "no open conn", time.Second, func() bool { return n.OpenConns() == 0 })
	if s := n.Stats(); s.Accepted != 3 || s.Resets != 3 {
		t.Errorf("stats %+v", s)
	}
	for _, c := range conns {
		_ = c.Close()
	}
	if _, err := n.DialContext(ctx, "udp", a); err == nil {
		t.Error("udp dial succeeded")
	}
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := n.DialContext(ctx, "tcp", a); !errors.Is(err, ErrClosed) {
		t.Errorf("dial after Close: %v", err)
	}
}
