package wire

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

func TestAppendHeader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		req  Request
		want []byte
	}{
		{"v0", Request{Key: 3, Version: 1, HeaderVersion: 0, Body: []byte{9}},
			[]byte{0, 0, 0, 9, 0, 3, 0, 1, 0, 0, 0, 42}},
		{"v1", Request{Key: 18, Version: 2, HeaderVersion: 1, Body: []byte{9}},
			[]byte{0, 0, 0, 13, 0, 18, 0, 2, 0, 0, 0, 42, 0, 2, 'i', 'd'}},
		{"v2", Request{Key: 0, Version: 9, HeaderVersion: 2, Body: []byte{9}},
			[]byte{0, 0, 0, 14, 0, 0, 0, 9, 0, 0, 0, 42, 0, 2, 'i', 'd', 0}},
		{"raw", Request{HeaderVersion: -1, Body: []byte{9}}, []byte{0, 0, 0, 1}},
	} {
		got := appendHeader([]byte("x"), &tc.req, 42, "id")
		if !bytes.Equal(got, append([]byte("x"), tc.want...)) {
			t.Errorf("%s: % x, want % x", tc.name, got[1:], tc.want)
		}
	}
}

func TestParseResponseHeader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		in      []byte
		version int16
		corr    int32
		body    string
		err     bool
	}{
		{"v0", []byte{0, 0, 0, 7, 'b'}, 0, 7, "b", false},
		{"v1 no tags", []byte{0, 0, 0, 7, 0, 'b'}, 1, 7, "b", false},
		{"v1 two tags", []byte{0, 0, 0, 7, 2, 0, 1, 'x', 5, 0, 'b'}, 1, 7, "b", false},
		{"none", []byte("b"), -1, 0, "b", false},
		{"short", []byte{0, 0, 7}, 0, 0, "", true},
		{"missing tags", []byte{0, 0, 0, 7}, 1, 0, "", true},
		{"tag overruns", []byte{0, 0, 0, 7, 1, 0, 9, 'x'}, 1, 0, "", true},
		{"endless varint", []byte{0, 0, 0, 7, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80}, 1, 0, "", true},
	} {
		corr, body, err := parseResponseHeader(tc.in, tc.version)
		if tc.err {
			if !errors.Is(err, ErrProtocol) {
				t.Errorf("%s: err = %v, want ErrProtocol", tc.name, err)
			}
			continue
		}
		if err != nil || corr != tc.corr || string(body) != tc.body {
			t.Errorf("%s: %d %q %v", tc.name, corr, body, err)
		}
	}
}

func TestReadFrame(t *testing.T) {
	t.Parallel()
	frame := func(size int32, body string) *bufio.Reader {
		b := binary.BigEndian.AppendUint32(nil, uint32(size))
		return bufio.NewReader(bytes.NewReader(append(b, body...)))
	}
	bp, err := readFrame(frame(3, "abc"), 10, "b")
	if err != nil || string(*bp) != "abc" {
		t.Fatalf("%v %v", bp, err)
	}
	if _, err := readFrame(frame(11, "abc"), 10, "b"); !errors.Is(err, ErrProtocol) {
		t.Fatalf("oversized: %v", err)
	}
	if _, err := readFrame(frame(5, "abc"), 10, "b"); err != io.ErrUnexpectedEOF {
		t.Fatalf("truncated body: %v", err)
	}
	if _, err := readFrame(bufio.NewReader(bytes.NewReader([]byte{0, 0})), 10, "b"); err != io.ErrUnexpectedEOF {
		t.Fatalf("truncated size: %v", err)
	}
	if _, err := readFrame(bufio.NewReader(bytes.NewReader(nil)), 10, "b"); err != io.EOF {
		t.Fatalf("clean EOF: %v", err)
	}
	// A huge announced frame is not allocated before its bytes arrive.
	if _, err := readFrame(frame(1<<30, "abc"), 1<<30, "b"); err != io.ErrUnexpectedEOF {
		t.Fatalf("huge truncated: %v", err)
	}
}

func TestBufPool(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 4096, 4097, 1 << 20, 1<<20 + 1, 6<<20 + 264} {
		bp := getBuf(n)
		if len(*bp) != n {
			t.Fatalf("getBuf(%d) has length %d", n, len(*bp))
		}
		if c := cap(*bp); n > 4096 && (c < n || c&(c-1) != 0) {
			t.Fatalf("getBuf(%d) has capacity %d, want a power of two (a pool class)", n, c)
		}
		putBuf(bp)
	}
}

// FuzzReadResponse feeds arbitrary bytes to the response-frame reader and
// header parser: they must return an error or a body inside the frame,
// never panic or allocate beyond the bytes present.
func FuzzReadResponse(f *testing.F) {
	f.Add([]byte{0, 0, 0, 5, 0, 0, 0, 1, 'x'}, int8(0))
	f.Add([]byte{0, 0, 0, 9, 0, 0, 0, 1, 1, 3, 2, 'a', 'b'}, int8(1))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff}, int8(0))
	f.Add([]byte("HTTP/1.1 200 OK"), int8(-1))
	f.Fuzz(func(t *testing.T, data []byte, hv int8) {
		version := int16((int(hv)%3+3)%3) - 1 // -1, 0 or 1
		br := bufio.NewReader(bytes.NewReader(data))
		for {
			bp, err := readFrame(br, 1<<16, "fuzz")
			if err != nil {
				return
			}
			_, body, err := parseResponseHeader(*bp, version)
			if err == nil && len(body) > len(*bp) {
				t.Fatalf("body of %d bytes from a frame of %d", len(body), len(*bp))
			}
			putBuf(bp)
		}
	})
}
