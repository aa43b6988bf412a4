package wire

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeBroker is a scripted Kafka listener on 127.0.0.1: each accepted
// connection runs handle on its own goroutine. It exists to produce the
// failures a real broker cannot.
type fakeBroker struct {
	ln       net.Listener
	handle   func(fc *fakeConn)
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    []net.Conn
	accepted atomic.Int32
}

func newFakeBroker(t testing.TB, handle func(fc *fakeConn)) *fakeBroker {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeBroker{ln: ln, handle: handle}
	f.wg.Add(1)
	go f.accept()
	t.Cleanup(f.close)
	return f
}

func (f *fakeBroker) addr() string { return f.ln.Addr().String() }

func (f *fakeBroker) accept() {
	defer f.wg.Done()
	for {
		nc, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.accepted.Add(1)
		f.mu.Lock()
		f.conns = append(f.conns, nc)
		f.mu.Unlock()
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			defer nc.Close()
			f.handle(&fakeConn{Conn: nc, br: bufio.NewReader(nc)})
		}()
	}
}

func (f *fakeBroker) close() {
	f.ln.Close()
	f.mu.Lock()
	for _, c := range f.conns {
		c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
}

// fakeConn is the broker's side of one connection.
type fakeConn struct {
	net.Conn
	br *bufio.Reader
	wm sync.Mutex
}

// fakeReq is a request as the fake broker parsed it.
type fakeReq struct {
	key, version int16
	corr         int32
	clientID     string
	body         []byte
}

// readReq reads a request with header version hv (-1: no header).
func (fc *fakeConn) readReq(hv int16) (fakeReq, error) {
	var r fakeReq
	var size int32
	if err := binary.Read(fc.br, binary.BigEndian, &size); err != nil {
		return r, err
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(fc.br, b); err != nil {
		return r, err
	}
	if hv < 0 {
		r.body = b
		return r, nil
	}
	r.key = int16(binary.BigEndian.Uint16(b))
	r.version = int16(binary.BigEndian.Uint16(b[2:]))
	r.corr = int32(binary.BigEndian.Uint32(b[4:]))
	b = b[8:]
	if hv >= 1 {
		n := int(binary.BigEndian.Uint16(b))
		r.clientID, b = string(b[2:2+n]), b[2+n:]
	}
	if hv >= 2 {
		if b[0] != 0 {
			return r, fmt.Errorf("tagged fields %d, want 0", b[0])
		}
		b = b[1:]
	}
	r.body = b
	return r, nil
}

// writeResp writes a response with header version hv; v1 carries a tagged
// field that the client must skip.
func (fc *fakeConn) writeResp(corr int32, hv int16, body []byte) error {
	var hdr []byte
	if hv >= 0 {
		hdr = binary.BigEndian.AppendUint32(hdr, uint32(corr))
	}
	if hv == 1 {
		hdr = append(hdr, 1, 7, 3, 'a', 'b', 'c') // one field: tag 7, 3 bytes
	}
	frame := binary.BigEndian.AppendUint32(nil, uint32(len(hdr)+len(body)))
	frame = append(append(frame, hdr...), body...)
	return fc.writeRaw(frame)
}

func (fc *fakeConn) writeRaw(b []byte) error {
	fc.wm.Lock()
	defer fc.wm.Unlock()
	_, err := fc.Write(b)
	return err
}

// echo answers every header-v1 request with its body, in header v0.
func echo(fc *fakeConn) {
	for {
		r, err := fc.readReq(1)
		if err != nil {
			return
		}
		if r.key == 0 && len(r.body) > 0 && r.body[0] == 'n' { // acks=0
			continue
		}
		if fc.writeResp(r.corr, 0, r.body) != nil {
			return
		}
	}
}

// silent reads requests and never answers.
func silent(fc *fakeConn) { _, _ = io.Copy(io.Discard, fc) }

func mustOpen(t testing.TB, addr string, opts Options) *Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := Open(ctx, nil, addr, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func req(body string) *Request {
	return &Request{Key: 3, Version: 1, HeaderVersion: 1, Body: []byte(body)}
}

// within fails t unless f returns within d.
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s did not finish within %v", what, d)
	}
}

// wireGoroutines lists the goroutines running code of this package outside
// its tests: readers, dials, timers.
func wireGoroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		for _, line := range strings.Split(g, "\n") {
			line = strings.TrimSpace(line)
			if strings.Contains(line, "/core/internal/wire/") && !strings.Contains(line, "_test.go") {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

// checkLeaks fails t if goroutines of the package remain after a while.
// Only for tests that do not run in parallel.
func checkLeaks(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		gs := wireGoroutines()
		if len(gs) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left behind:\n%s", len(gs), strings.Join(gs, "\n\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		deadline := time.Now().Add(5 * time.Second)
		for len(wireGoroutines()) > 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if gs := wireGoroutines(); len(gs) > 0 {
			fmt.Fprintf(os.Stderr, "goroutines left behind:\n%s\n", strings.Join(gs, "\n\n"))
			code = 1
		}
	}
	os.Exit(code)
}

func isClosed(err error) bool { return errors.Is(err, ErrClosed) }
