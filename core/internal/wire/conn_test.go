package wire

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRoundTripHeaderVersions(t *testing.T) {
	for _, tc := range []struct{ hv, rhv int16 }{{0, 0}, {1, 0}, {2, 1}, {1, 1}, {-1, -1}} {
		t.Run(fmt.Sprintf("req%d_resp%d", tc.hv, tc.rhv), func(t *testing.T) {
			seen := make(chan fakeReq, 1)
			f := newFakeBroker(t, func(fc *fakeConn) {
				r, err := fc.readReq(tc.hv)
				if err != nil {
					return
				}
				seen <- r
				_ = fc.writeResp(r.corr, tc.rhv, append([]byte("re:"), r.body...))
				silent(fc)
			})
			c := mustOpen(t, f.addr(), Options{ClientID: "kafka3-test"})
			resp, err := c.RoundTrip(context.Background(), &Request{
				Key: 18, Version: 3, HeaderVersion: tc.hv, ResponseHeaderVersion: tc.rhv, Body: []byte("hello"),
			})
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Release()
			if got := string(resp.Body); got != "re:hello" {
				t.Fatalf("body %q, want re:hello", got)
			}
			r := <-seen
			if tc.hv >= 0 && (r.key != 18 || r.version != 3 || r.corr != resp.CorrelationID) {
				t.Fatalf("broker saw key %d v%d corr %d; response corr %d", r.key, r.version, r.corr, resp.CorrelationID)
			}
			if tc.hv >= 1 && r.clientID != "kafka3-test" {
				t.Fatalf("client id %q", r.clientID)
			}
		})
	}
	checkLeaks(t)
}

func TestPipelining(t *testing.T) {
	f := newFakeBroker(t, echo)
	c := mustOpen(t, f.addr(), Options{MaxInFlight: 7})
	var wg sync.WaitGroup
	errs := make(chan error, 500)
	for i := range 500 {
		wg.Go(func() {
			want := fmt.Sprintf("request-%d", i)
			resp, err := c.RoundTrip(context.Background(), req(want))
			if err != nil {
				errs <- err
				return
			}
			if string(resp.Body) != want {
				errs <- fmt.Errorf("got %q, want %q", resp.Body, want)
			}
			resp.Release()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := c.InFlight(); n != 0 {
		t.Fatalf("InFlight %d after all responses", n)
	}
	c.Close()
	checkLeaks(t)
}

func TestMaxInFlight(t *testing.T) {
	const max = 3
	rounds := make(chan int, 10)
	f := newFakeBroker(t, func(fc *fakeConn) {
		for {
			var batch []fakeReq
			for len(batch) < max {
				r, err := fc.readReq(1)
				if err != nil {
					return
				}
				batch = append(batch, r)
			}
			// No fourth request may arrive while three are unanswered.
			fc.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
			if _, err := fc.br.Peek(1); err == nil {
				rounds <- -1
				return
			}
			fc.SetReadDeadline(time.Time{})
			rounds <- len(batch)
			for _, r := range batch {
				fc.writeResp(r.corr, 0, r.body)
			}
		}
	})
	c := mustOpen(t, f.addr(), Options{MaxInFlight: max})
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range 3 * max {
		wg.Go(func() {
			if _, err := c.RoundTrip(context.Background(), req("x")); err != nil {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	for range 3 {
		if n := <-rounds; n != max {
			t.Fatalf("broker saw more than %d requests in flight", max)
		}
	}
	if failed.Load() != 0 {
		t.Fatalf("%d requests failed", failed.Load())
	}
}

func TestWaitForSlotHonoursContext(t *testing.T) {
	f := newFakeBroker(t, silent)
	c := mustOpen(t, f.addr(), Options{MaxInFlight: 1})
	go c.RoundTrip(context.Background(), req("first"))
	for c.InFlight() == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := c.RoundTrip(ctx, req("second"))
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "in-flight slot") {
		t.Fatalf("err = %v, want a deadline waiting for a slot", err)
	}
	if c.Err() != nil {
		t.Fatalf("waiting for a slot closed the conn: %v", c.Err())
	}
}

func TestNoResponse(t *testing.T) {
	f := newFakeBroker(t, echo)
	c := mustOpen(t, f.addr(), Options{MaxInFlight: 1})
	for i := range 10 {
		acks0 := &Request{Key: 0, Version: 9, HeaderVersion: 1, Body: []byte("no answer"), NoResponse: true}
		resp, err := c.RoundTrip(context.Background(), acks0)
		if resp != nil || err != nil {
			t.Fatalf("acks=0 produce: %v, %v", resp, err)
		}
		want := fmt.Sprint("after ", i)
		resp, err = c.RoundTrip(context.Background(), req(want))
		if err != nil || string(resp.Body) != want {
			t.Fatalf("next request: %v, %v", resp, err)
		}
	}
}

func TestTimeoutClosesConnAndFailsOthers(t *testing.T) {
	f := newFakeBroker(t, silent)
	c := mustOpen(t, f.addr(), Options{})
	others := make(chan error, 3)
	for range 3 {
		go func() {
			_, err := c.RoundTrip(context.Background(), req("waits"))
			others <- err
		}()
	}
	for c.InFlight() < 3 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.RoundTrip(ctx, req("times out"))
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "waiting for the response to api key 3") {
		t.Fatalf("err = %v", err)
	}
	for range 3 {
		select {
		case err := <-others:
			if !isClosed(err) || !strings.Contains(err.Error(), "timed out") {
				t.Fatalf("other request: %v, want ErrClosed saying why", err)
			}
		case <-time.After(time.Second):
			t.Fatal("other requests not failed promptly")
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %v", d)
	}
	<-c.Done()
	if _, err := c.RoundTrip(context.Background(), req("later")); !isClosed(err) {
		t.Fatalf("request on closed conn: %v", err)
	}
	c.Close()
	checkLeaks(t)
}

// TestBrokenPeer covers what a broker (or something else on its port) can
// do wrong after reading a request: every pending request must fail
// promptly with ErrClosed, and the cause must say what happened.
func TestBrokenPeer(t *testing.T) {
	frame := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	be32 := func(v int32) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }
	for _, tc := range []struct {
		name  string
		reply func(r fakeReq) []byte
		want  error
		text  string
	}{
		{"hang up", func(fakeReq) []byte { return nil }, io.EOF, "closed the connection"},
		{"hang up mid size", func(fakeReq) []byte { return []byte{0, 0} }, io.ErrUnexpectedEOF, "middle"},
		{"hang up mid body", func(r fakeReq) []byte { return frame(be32(100), be32(r.corr), []byte("part")) }, io.ErrUnexpectedEOF, "middle"},
		{"wrong correlation id", func(r fakeReq) []byte { return frame(be32(5), be32(r.corr+1000), []byte{0}) }, ErrProtocol, "correlation id"},
		{"negative size", func(fakeReq) []byte { return be32(-1) }, ErrProtocol, "frame size of -1"},
		{"oversized", func(fakeReq) []byte { return be32(1<<20 + 1) }, ErrProtocol, "MaxResponseSize"},
		{"http", func(fakeReq) []byte { return []byte("HTTP/1.1 400 Bad Request\r\n\r\n") }, ErrProtocol, "HTTP"},
		{"tls alert", func(fakeReq) []byte { return []byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46} }, ErrProtocol, "TLS"},
		{"short header", func(fakeReq) []byte { return frame(be32(2), []byte{0, 0}) }, ErrProtocol, "shorter than its header"},
		{"bad tags", func(r fakeReq) []byte { return frame(be32(6), be32(r.corr), []byte{1, 0}) }, ErrProtocol, "varint"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeBroker(t, func(fc *fakeConn) {
				var last fakeReq
				for range 3 {
					r, err := fc.readReq(1)
					if err != nil {
						return
					}
					last = r
				}
				fc.writeRaw(tc.reply(last))
				if tc.want == io.EOF || tc.want == io.ErrUnexpectedEOF {
					return // hang up
				}
				silent(fc)
			})
			c := mustOpen(t, f.addr(), Options{MaxResponseSize: 1 << 20})
			errs := make(chan error, 3)
			for range 3 {
				go func() {
					r := req("x")
					r.ResponseHeaderVersion = 1
					_, err := c.RoundTrip(context.Background(), r)
					errs <- err
				}()
			}
			for range 3 {
				select {
				case err := <-errs:
					if !isClosed(err) || !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
						t.Fatalf("err = %v; want ErrClosed, %v and %q", err, tc.want, tc.text)
					}
				case <-time.After(2 * time.Second):
					t.Fatal("pending request not failed promptly")
				}
			}
			if !errors.Is(c.Err(), tc.want) {
				t.Fatalf("Err() = %v", c.Err())
			}
		})
	}
	checkLeaks(t)
}

func TestUnsolicitedResponse(t *testing.T) {
	f := newFakeBroker(t, func(fc *fakeConn) {
		fc.writeResp(1, 0, []byte("surprise"))
		silent(fc)
	})
	c := mustOpen(t, f.addr(), Options{})
	select {
	case <-c.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("conn not closed")
	}
	if !errors.Is(c.Err(), ErrProtocol) {
		t.Fatalf("Err() = %v", c.Err())
	}
}

func TestCloseFailsPending(t *testing.T) {
	f := newFakeBroker(t, silent)
	c := mustOpen(t, f.addr(), Options{MaxInFlight: 2})
	errs := make(chan error, 6)
	for range 6 { // 2 in flight, 4 waiting for a slot
		go func() {
			_, err := c.RoundTrip(context.Background(), req("x"))
			errs <- err
		}()
	}
	for c.InFlight() < 2 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond)
	within(t, time.Second, "Close", func() { c.Close() })
	within(t, time.Second, "second Close", func() { c.Close() })
	for range 6 {
		if err := <-errs; !isClosed(err) || !strings.Contains(err.Error(), "closed by the client") {
			t.Fatalf("err = %v", err)
		}
	}
	checkLeaks(t)
}

func TestConcurrentCloseAndRoundTrip(t *testing.T) {
	f := newFakeBroker(t, echo)
	for range 20 {
		c := mustOpen(t, f.addr(), Options{})
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				resp, err := c.RoundTrip(context.Background(), req("x"))
				if err == nil {
					resp.Release()
				} else if !isClosed(err) {
					t.Errorf("err = %v", err)
				}
				if i == 10 {
					c.Close()
				}
			})
		}
		wg.Go(func() { c.Close() })
		wg.Wait()
	}
	checkLeaks(t)
}

func TestWriteToBlackHole(t *testing.T) {
	block := make(chan struct{})
	f := newFakeBroker(t, func(fc *fakeConn) { <-block }) // never reads
	defer close(block)
	big := &Request{Key: 0, Version: 9, HeaderVersion: 1, Body: make([]byte, 64<<20)}
	for _, tc := range []struct {
		name string
		opts Options
		ctx  func() (context.Context, context.CancelFunc)
	}{
		{"ctx deadline", Options{}, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 100*time.Millisecond)
		}},
		{"write timeout", Options{WriteTimeout: 100 * time.Millisecond}, func() (context.Context, context.CancelFunc) {
			return context.Background(), func() {}
		}},
		{"cancel", Options{}, func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			return ctx, cancel
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustOpen(t, f.addr(), tc.opts)
			ctx, cancel := tc.ctx()
			defer cancel()
			start := time.Now()
			_, err := c.RoundTrip(ctx, big)
			if !isClosed(err) || !strings.Contains(err.Error(), "writing api key 0") {
				t.Fatalf("err = %v", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("write blocked %v", d)
			}
			if c.Err() == nil {
				t.Fatal("conn still open after a failed write")
			}
		})
	}
}

func TestLargeRequestAndResponse(t *testing.T) {
	f := newFakeBroker(t, echo)
	c := mustOpen(t, f.addr(), Options{})
	body := bytes.Repeat([]byte("0123456789abcdef"), 300_000) // 4.8 MB: writev and chunked read
	resp, err := c.RoundTrip(context.Background(), &Request{Key: 1, Version: 4, HeaderVersion: 1, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resp.Body, body) {
		t.Fatal("large body corrupted")
	}
	if resp.Size != len(body)+8 {
		t.Fatalf("Size %d", resp.Size)
	}
	resp.Release()
}

func TestInitHook(t *testing.T) {
	f := newFakeBroker(t, echo)
	ctx := context.Background()
	var got string
	c, err := Open(ctx, nil, f.addr(), Options{Init: func(ctx context.Context, c *Conn) error {
		resp, err := c.RoundTrip(ctx, &Request{Key: 18, HeaderVersion: 1, Body: []byte("api versions")})
		if err == nil {
			got = string(resp.Body)
		}
		return err
	}})
	if err != nil || got != "api versions" {
		t.Fatalf("Open: %v, init saw %q", err, got)
	}
	c.Close()

	_, err = Open(ctx, nil, f.addr(), Options{Init: func(context.Context, *Conn) error {
		return errors.New("sasl: bad password")
	}})
	if err == nil || !strings.Contains(err.Error(), "sasl: bad password") {
		t.Fatalf("Open with failing Init: %v", err)
	}
	checkLeaks(t)
}

func TestOnRoundTrip(t *testing.T) {
	f := newFakeBroker(t, echo)
	type call struct {
		key, version int16
		out, in      int
		err          error
	}
	var calls []call
	c := mustOpen(t, f.addr(), Options{ClientID: "id", OnRoundTrip: func(key, version int16, out, in int, d time.Duration, err error) {
		calls = append(calls, call{key, version, out, in, err})
		if d <= 0 {
			t.Errorf("latency %v", d)
		}
		panic("interceptor bug")
	}})
	if _, err := c.RoundTrip(context.Background(), req("12345")); err != nil {
		t.Fatal(err)
	}
	// out: 4 size + 8 header + 2+2 client id + 5 body; in: 4 size + 4 corr + 5 body.
	if want := (call{3, 1, 21, 13, nil}); len(calls) != 1 || calls[0] != want {
		t.Fatalf("calls %+v, want %+v", calls, want)
	}
}

func TestRequestChecks(t *testing.T) {
	t.Parallel()
	for _, r := range []*Request{
		{HeaderVersion: 3},
		{HeaderVersion: -2},
		{ResponseHeaderVersion: 2},
		{ResponseHeaderVersion: -2},
		{Body: []byte("ab"), Inserts: []Insert{{At: 3}}},
		{Body: []byte("ab"), Inserts: []Insert{{At: 2}, {At: 1}}},
		{Body: []byte("ab"), Inserts: []Insert{{At: -1}}},
	} {
		if err := r.check(""); err == nil || !strings.HasPrefix(err.Error(), "wire: ") {
			t.Errorf("%+v: err = %v", r, err)
		}
	}
	if _, err := Open(context.Background(), nil, "127.0.0.1:1", Options{ClientID: strings.Repeat("x", 1<<15)}); err == nil {
		t.Error("Open accepted a client id of 32768 bytes")
	}
}

func TestDialError(t *testing.T) {
	t.Parallel()
	dial := func(context.Context, string, string) (net.Conn, error) { return nil, errors.New("no route") }
	_, err := Open(context.Background(), dial, "b1:9092", Options{})
	if err == nil || !strings.Contains(err.Error(), "wire: dial b1:9092: no route") {
		t.Fatalf("err = %v", err)
	}
}

func TestIdleTracking(t *testing.T) {
	f := newFakeBroker(t, echo)
	c := mustOpen(t, f.addr(), Options{})
	before := c.LastUsed()
	time.Sleep(5 * time.Millisecond)
	if _, err := c.RoundTrip(context.Background(), req("x")); err != nil {
		t.Fatal(err)
	}
	if !c.LastUsed().After(before) {
		t.Fatal("LastUsed not advanced by a round trip")
	}
	if c.Addr() != f.addr() {
		t.Fatal("Addr")
	}
}

// TestStartKeepsOrder starts requests one after another from one goroutine
// and waits for them from others: the broker must see them in start order.
func TestStartKeepsOrder(t *testing.T) {
	seen := make(chan string, 200)
	f := newFakeBroker(t, func(fc *fakeConn) {
		for {
			r, err := fc.readReq(1)
			if err != nil {
				return
			}
			seen <- string(r.body)
			if err := fc.writeResp(r.corr, 0, r.body); err != nil {
				return
			}
		}
	})
	c := mustOpen(t, f.addr(), Options{MaxInFlight: 5})
	var wg sync.WaitGroup
	for i := range 200 {
		call, err := c.Start(context.Background(), req(fmt.Sprintf("request-%03d", i)))
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			resp, err := call.Wait(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			resp.Release()
		})
	}
	wg.Wait()
	for i := range 200 {
		if got, want := <-seen, fmt.Sprintf("request-%03d", i); got != want {
			t.Fatalf("broker saw %s, want %s", got, want)
		}
	}
	c.Close()
	checkLeaks(t)
}

// wrappedConn hides the *net.TCPConn under it, as a TLS or SASL layer does.
type wrappedConn struct{ net.Conn }

func TestInsertsAreWrittenInPlace(t *testing.T) {
	f := newFakeBroker(t, echo)
	big := bytes.Repeat([]byte("batch-"), 20_000)
	r := &Request{Key: 0, Version: 9, HeaderVersion: 1, Body: []byte("head|mid|tail"), Inserts: []Insert{
		{At: 0, Bytes: []byte("<0>")},
		{At: 5, Bytes: big},
		{At: 5, Bytes: nil},
		{At: 5, Bytes: []byte("<5b>")},
		{At: 9, Bytes: []byte("<9>")},
		{At: 13, Bytes: []byte("<end>")},
	}}
	want := "<0>head|" + string(big) + "<5b>mid|<9>tail<end>"
	dials := map[string]DialFunc{
		"tcp": nil,
		"wrapped": func(ctx context.Context, network, addr string) (net.Conn, error) {
			nc, err := defaultDialer.DialContext(ctx, network, addr)
			return wrappedConn{nc}, err
		},
	}
	for name, dial := range dials {
		t.Run(name, func(t *testing.T) {
			c, err := Open(context.Background(), dial, f.addr(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if c.vectored != (name == "tcp") {
				t.Fatalf("vectored = %v", c.vectored)
			}
			for range 3 { // the Conn's scratch slices are reused
				resp, err := c.RoundTrip(context.Background(), r)
				if err != nil {
					t.Fatal(err)
				}
				if string(resp.Body) != want {
					t.Fatalf("the broker got %d bytes, want %d in order", len(resp.Body), len(want))
				}
				resp.Release()
			}
			for _, p := range c.iov[:cap(c.iov)] {
				if p != nil {
					t.Fatal("the Conn still references a written request's bytes")
				}
			}
		})
	}
}
