package wire

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestBrokerLanesAreIndependent(t *testing.T) {
	release := make(chan struct{})
	f := newFakeBroker(t, func(fc *fakeConn) {
		for {
			r, err := fc.readReq(1)
			if err != nil {
				return
			}
			if r.key == 1 { // a long-polling fetch
				select {
				case <-release:
				case <-time.After(5 * time.Second):
				}
			}
			fc.writeResp(r.corr, 0, r.body)
		}
	})
	b := NewBroker(f.addr(), BrokerOptions{})
	defer b.Close()
	ctx := context.Background()
	fetchDone := make(chan error, 1)
	go func() {
		_, err := b.RoundTrip(ctx, LaneFetch, &Request{Key: 1, Version: 12, HeaderVersion: 1})
		fetchDone <- err
	}()
	start := time.Now()
	for i := range 20 {
		for _, lane := range []Lane{LaneProduce, LaneGroup, LaneAdmin} {
			if _, err := b.RoundTrip(ctx, lane, &Request{Key: int16(i % 2 * 10), HeaderVersion: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("other lanes waited %v behind a fetch", d)
	}
	select {
	case err := <-fetchDone:
		t.Fatalf("fetch answered early: %v", err)
	default:
	}
	close(release)
	if err := <-fetchDone; err != nil {
		t.Fatal(err)
	}
	if n := f.accepted.Load(); n != 4 {
		t.Fatalf("%d connections for 4 lanes", n)
	}
	b.Close()
	checkLeaks(t)
}

// dialCounter is a DialFunc that records its dials and fails while failing.
type dialCounter struct {
	mu      sync.Mutex
	times   []time.Time
	failing atomic.Bool
}

func (d *dialCounter) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	d.times = append(d.times, time.Now())
	d.mu.Unlock()
	if d.failing.Load() {
		return nil, errors.New("connection refused")
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, addr)
}

func (d *dialCounter) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.times)
}

func TestBrokerReconnectBackoff(t *testing.T) {
	f := newFakeBroker(t, echo)
	var d dialCounter
	d.failing.Store(true)
	b := NewBroker(f.addr(), BrokerOptions{Dial: d.dial, ReconnectBackoff: 20 * time.Millisecond, ReconnectBackoffMax: 200 * time.Millisecond})
	defer b.Close()
	ctx := context.Background()

	// A failed dial is returned to the caller, not retried.
	_, err := b.RoundTrip(ctx, LaneAdmin, req("x"))
	if err == nil || !strings.Contains(err.Error(), "connection refused") || d.count() != 1 {
		t.Fatalf("err = %v after %d dials", err, d.count())
	}
	// In backoff, a caller whose deadline comes first fails at once, without dialing.
	short, cancel := context.WithTimeout(ctx, time.Millisecond)
	_, err = b.Conn(short, LaneProduce)
	cancel()
	if err == nil || !strings.Contains(err.Error(), "reconnect backoff") || !strings.Contains(err.Error(), "refused") || d.count() != 1 {
		t.Fatalf("err = %v after %d dials", err, d.count())
	}
	// Callers that can wait, wait for the backoff, then dial once.
	for range 6 {
		b.Conn(ctx, LaneAdmin)
	}
	d.mu.Lock()
	var gaps []time.Duration
	for i := 1; i < len(d.times); i++ {
		gaps = append(gaps, d.times[i].Sub(d.times[i-1]))
	}
	d.mu.Unlock()
	// 20ms, 40, 80, 160, 200, 200, each ±20%: never shorter (the Broker
	// waits), longer only by scheduling delays.
	want := []time.Duration{20, 40, 80, 160, 200, 200}
	for i, g := range gaps {
		w := want[i] * time.Millisecond
		if g < w*8/10 || g > w*12/10+300*time.Millisecond {
			t.Fatalf("gap %d = %v, want %v ±20%% (gaps %v)", i, g, w, gaps)
		}
	}
	// Once the broker is back, the next dial succeeds and resets the backoff.
	d.failing.Store(false)
	c, err := b.Conn(ctx, LaneAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.RoundTrip(ctx, req("back")); err != nil {
		t.Fatal(err)
	}
	b.Close()
	checkLeaks(t)
}

func TestBrokerSharesDials(t *testing.T) {
	f := newFakeBroker(t, echo)
	var d dialCounter
	b := NewBroker(f.addr(), BrokerOptions{Dial: d.dial})
	defer b.Close()
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if _, err := b.RoundTrip(context.Background(), LaneProduce, req("x")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := d.count(); n != 1 {
		t.Fatalf("%d dials for one lane", n)
	}
}

func TestBrokerRedialsAfterConnDies(t *testing.T) {
	f := newFakeBroker(t, func(fc *fakeConn) {
		r, err := fc.readReq(1)
		if err == nil {
			fc.writeResp(r.corr, 0, nil)
		} // then hang up
	})
	b := NewBroker(f.addr(), BrokerOptions{ReconnectBackoff: time.Millisecond})
	defer b.Close()
	for i := range 3 {
		c, err := b.Conn(context.Background(), LaneGroup)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.RoundTrip(context.Background(), req("x")); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		<-c.Done()
	}
	if n := f.accepted.Load(); n != 3 {
		t.Fatalf("%d dials, want 3", n)
	}
}

func TestBrokerClosesIdleConns(t *testing.T) {
	f := newFakeBroker(t, echo)
	b := NewBroker(f.addr(), BrokerOptions{ConnectionsMaxIdle: 50 * time.Millisecond})
	defer b.Close()
	c, err := b.Conn(context.Background(), LaneAdmin)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("idle conn not closed")
	}
	if _, err := b.RoundTrip(context.Background(), LaneAdmin, req("x")); err != nil {
		t.Fatal(err)
	}
	if n := f.accepted.Load(); n != 2 {
		t.Fatalf("%d dials, want 2", n)
	}
}

func TestBrokerCloseAbortsDial(t *testing.T) {
	dialing := make(chan struct{})
	hang := func(ctx context.Context, _, _ string) (net.Conn, error) {
		close(dialing)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	b := NewBroker("b:9092", BrokerOptions{Dial: hang})
	errc := make(chan error, 1)
	go func() {
		_, err := b.Conn(context.Background(), LaneFetch)
		errc <- err
	}()
	<-dialing
	within(t, time.Second, "Close", func() { b.Close() })
	if err := <-errc; err == nil {
		t.Fatal("Conn succeeded on a closed broker")
	}
	if _, err := b.Conn(context.Background(), LaneFetch); !errors.Is(err, ErrBrokerClosed) {
		t.Fatalf("after Close: %v", err)
	}
	within(t, time.Second, "second Close", func() { b.Close() })
	checkLeaks(t)
}

func TestBrokerWaitForDialHonoursContext(t *testing.T) {
	release := make(chan struct{})
	slow := func(ctx context.Context, _, _ string) (net.Conn, error) {
		<-release
		return nil, errors.New("refused")
	}
	b := NewBroker("b:9092", BrokerOptions{Dial: slow})
	defer b.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := b.Conn(ctx, LaneAdmin); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestLaneString(t *testing.T) {
	t.Parallel()
	if LaneFetch.String() != "fetch" || Lane(9).String() != "lane(9)" {
		t.Fatal(LaneFetch.String(), Lane(9).String())
	}
	b := NewBroker("b:9092", BrokerOptions{})
	defer b.Close()
	if _, err := b.Conn(context.Background(), Lane(9)); err == nil {
		t.Fatal("unknown lane accepted")
	}
}
