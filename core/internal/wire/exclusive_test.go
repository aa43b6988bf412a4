package wire

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// API keys the exclusive fake treats as the exclusive exchange, as SASL
// re-authentication does.
const (
	keyHandshake    = 17
	keyAuthenticate = 36
)

// exclusiveBroker answers requests in order after a delay, and records a
// violation when a handshake arrives while responses are still owed, or when
// another request arrives between a handshake and the end of the
// authentication.
type exclusiveBroker struct {
	delay      time.Duration
	violations atomic.Int32
	exchanges  atomic.Int32
	handled    atomic.Int32
}

func (b *exclusiveBroker) handle(fc *fakeConn) {
	type answer struct {
		r     fakeReq
		delay time.Duration
	}
	out := make(chan answer, 64)
	var owed atomic.Int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		for a := range out {
			time.Sleep(a.delay)
			owed.Add(-1) // before the client can see the response
			if fc.writeResp(a.r.corr, 0, a.r.body) != nil {
				_ = fc.Close()
			}
		}
	}()
	defer func() { close(out); <-done }()
	authenticating := false
	for {
		r, err := fc.readReq(1)
		if err != nil {
			return
		}
		switch {
		case r.key == keyHandshake:
			if owed.Load() != 0 || authenticating {
				b.violations.Add(1)
			}
			authenticating = true
		case r.key == keyAuthenticate:
			if !authenticating {
				b.violations.Add(1)
			}
			if string(r.body) == "last" {
				authenticating = false
				b.exchanges.Add(1)
			}
		case authenticating:
			b.violations.Add(1)
		default:
			b.handled.Add(1)
		}
		owed.Add(1)
		d := b.delay
		if r.key == keyHandshake || r.key == keyAuthenticate {
			d = 0
		}
		out <- answer{r, d}
	}
}

// reauth runs a handshake and two authenticate round trips on c, as fn of
// Exclusive.
func reauth(c *Conn) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		for _, r := range []*Request{
			{Key: keyHandshake, Version: 1, HeaderVersion: 1, Body: []byte("PLAIN")},
			{Key: keyAuthenticate, Version: 2, HeaderVersion: 1, Body: []byte("first")},
			{Key: keyAuthenticate, Version: 2, HeaderVersion: 1, Body: []byte("last")},
		} {
			resp, err := c.RoundTrip(ctx, r)
			if err != nil {
				return err
			}
			if string(resp.Body) != string(r.Body) {
				return fmt.Errorf("answer %q to %q", resp.Body, r.Body)
			}
			resp.Release()
		}
		return nil
	}
}

func TestExclusiveUnderLoad(t *testing.T) {
	b := &exclusiveBroker{delay: 200 * time.Microsecond}
	f := newFakeBroker(t, b.handle)
	c := mustOpen(t, f.addr(), Options{MaxInFlight: 5})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var sent atomic.Int32
	errs := make(chan error, 16)
	for g := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body := fmt.Sprintf("g%d-%d", g, i)
				resp, err := c.RoundTrip(ctx, req(body))
				if err != nil {
					errs <- err
					return
				}
				if string(resp.Body) != body {
					errs <- fmt.Errorf("got %q for %q", resp.Body, body)
					return
				}
				resp.Release()
				sent.Add(1)
			}
		})
	}
	const rounds = 20
	for range rounds {
		time.Sleep(5 * time.Millisecond)
		if err := c.Exclusive(ctx, reauth(c)); err != nil {
			t.Fatalf("Exclusive: %v", err)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if v := b.violations.Load(); v != 0 {
		t.Fatalf("%d requests overlapped an exclusive exchange", v)
	}
	if n := b.exchanges.Load(); n != rounds {
		t.Fatalf("%d exchanges completed, want %d", n, rounds)
	}
	if sent.Load() < rounds {
		t.Fatalf("only %d requests went through around the exchanges", sent.Load())
	}
	if c.Err() != nil {
		t.Fatalf("the connection closed: %v", c.Err())
	}
}

func TestExclusiveWaitsForResponsesAndHonoursContext(t *testing.T) {
	answer := make(chan struct{})
	f := newFakeBroker(t, func(fc *fakeConn) {
		r, err := fc.readReq(1)
		if err != nil {
			return
		}
		<-answer
		_ = fc.writeResp(r.corr, 0, r.body)
		echo(fc)
	})
	c := mustOpen(t, f.addr(), Options{})
	call, err := c.Start(context.Background(), req("slow"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	called := false
	err = c.Exclusive(ctx, func(context.Context) error { called = true; return nil })
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "waiting for 1 responses") || called {
		t.Fatalf("Exclusive with a response outstanding: %v (fn called: %v)", err, called)
	}
	// The gate is open again: the connection is usable, and once the
	// response is in, an exclusive exchange runs.
	close(answer)
	resp, err := call.Wait(context.Background())
	if err != nil || string(resp.Body) != "slow" {
		t.Fatalf("the slow request: %v", err)
	}
	err = c.Exclusive(context.Background(), func(ctx context.Context) error {
		called = true
		_, err := c.RoundTrip(ctx, req("inside"))
		return err
	})
	if err != nil || !called {
		t.Fatalf("Exclusive: %v (fn called: %v)", err, called)
	}
}

func TestRequestsWaitForExclusiveHonouringTheirContext(t *testing.T) {
	f := newFakeBroker(t, echo)
	c := mustOpen(t, f.addr(), Options{})
	inside, release := make(chan struct{}), make(chan struct{})
	exDone := make(chan error, 1)
	go func() {
		exDone <- c.Exclusive(context.Background(), func(ctx context.Context) error {
			close(inside)
			<-release
			_, err := c.RoundTrip(ctx, req("mine"))
			return err
		})
	}()
	<-inside
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.RoundTrip(ctx, req("held back"))
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "exclusive exchange") {
		t.Fatalf("a request during an exclusive exchange: %v", err)
	}
	if c.Err() != nil {
		t.Fatalf("a request that gave up before being written closed the connection: %v", c.Err())
	}
	// A request that waits long enough goes through after the exchange.
	waited := make(chan error, 1)
	go func() {
		resp, err := c.RoundTrip(context.Background(), req("after"))
		if err == nil && string(resp.Body) != "after" {
			err = fmt.Errorf("got %q", resp.Body)
		}
		waited <- err
	}()
	select {
	case err := <-waited:
		t.Fatalf("a request went through during the exclusive exchange: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if err := <-exDone; err != nil {
		t.Fatal(err)
	}
	within(t, 5*time.Second, "the held-back request", func() {
		if err := <-waited; err != nil {
			t.Error(err)
		}
	})
}

func TestExclusiveOneAtATime(t *testing.T) {
	f := newFakeBroker(t, echo)
	c := mustOpen(t, f.addr(), Options{})
	var running, most atomic.Int32
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			err := c.Exclusive(context.Background(), func(ctx context.Context) error {
				n := running.Add(1)
				defer running.Add(-1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				_, err := c.RoundTrip(ctx, req("x"))
				time.Sleep(time.Millisecond)
				return err
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Fatalf("%d exclusive exchanges ran at once", most.Load())
	}
}

func TestExclusiveOnClosingConn(t *testing.T) {
	f := newFakeBroker(t, silent)
	c := mustOpen(t, f.addr(), Options{})
	if _, err := c.Start(context.Background(), req("never answered")); err != nil {
		t.Fatal(err)
	}
	exDone := make(chan error, 1)
	go func() {
		exDone <- c.Exclusive(context.Background(), func(context.Context) error { return errors.New("fn ran") })
	}()
	time.Sleep(20 * time.Millisecond)
	cause := errors.New("re-authentication failed")
	c.CloseWithError(cause)
	err := <-exDone
	if !isClosed(err) || !errors.Is(err, cause) || !errors.Is(c.Err(), cause) {
		t.Fatalf("Exclusive on a conn closed meanwhile: %v (conn: %v)", err, c.Err())
	}
	if err := c.Exclusive(context.Background(), func(context.Context) error { return nil }); !isClosed(err) {
		t.Fatalf("Exclusive on a closed conn: %v", err)
	}
}
