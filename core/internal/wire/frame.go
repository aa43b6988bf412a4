package wire

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
)

// chunk bounds how much is allocated ahead of the bytes actually received,
// so a peer that announces a huge frame and then stalls or hangs up does not
// make us allocate all of it.
const chunk = 1 << 20

// appendHeader appends the size prefix and the request header of a frame
// whose body (not appended) is req.Body with its Inserts.
func appendHeader(dst []byte, req *Request, corr int32, clientID string) []byte {
	size := req.headerLen(clientID) + req.bodyLen()
	dst = binary.BigEndian.AppendUint32(dst, uint32(size))
	if req.HeaderVersion < 0 {
		return dst
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(req.Key))
	dst = binary.BigEndian.AppendUint16(dst, uint16(req.Version))
	dst = binary.BigEndian.AppendUint32(dst, uint32(corr))
	if req.HeaderVersion >= 1 {
		dst = binary.BigEndian.AppendUint16(dst, uint16(len(clientID)))
		dst = append(dst, clientID...)
	}
	if req.HeaderVersion >= 2 {
		dst = append(dst, 0) // no tagged fields
	}
	return dst
}

// readFrame reads one size-prefixed frame and returns its payload (without
// the prefix) in a buffer from getBuf. Sizes below zero or above max are
// protocol errors; a peer hanging up mid-frame is io.ErrUnexpectedEOF.
func readFrame(r *bufio.Reader, max int32, addr string) (*[]byte, error) {
	p, err := r.Peek(4)
	if err != nil {
		if len(p) > 0 && errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	size := int32(binary.BigEndian.Uint32(p))
	if size < 0 || size > max {
		return nil, sizeError(p, size, max, addr)
	}
	_, _ = r.Discard(4)
	return readBody(r, int(size))
}

// readBody reads n bytes into a pooled buffer (getBuf). A buffer the pool
// already holds is read into directly. Otherwise a large frame is read
// into one chunk first and only then into a buffer of its size: a peer
// that announces a huge frame must send a chunk of it before it costs more
// than a chunk, and a real one costs one buffer of its size class, not a
// series of doublings. Fetch responses (several MiB) are the large frames
// that matter: pooled, a consumer reuses a few buffers instead of
// allocating (and zeroing) one per response, and copies no first chunk.
func readBody(r io.Reader, n int) (*[]byte, error) {
	bp, start := pooledBuf(n), 0
	if bp == nil && n > chunk {
		first := getBuf(chunk)
		defer putBuf(first)
		if _, err := io.ReadFull(r, *first); err != nil {
			return nil, unexpected(err)
		}
		bp = getBuf(n)
		start = copy(*bp, *first)
	} else if bp == nil {
		bp = getBuf(n)
	}
	if _, err := io.ReadFull(r, (*bp)[start:]); err != nil {
		putBuf(bp)
		return nil, unexpected(err)
	}
	return bp, nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// sizeError explains a bad size prefix, guessing the usual culprits.
func sizeError(p []byte, size, max int32, addr string) error {
	hint := "the connection is corrupt"
	switch {
	case (p[0] == 0x15 || p[0] == 0x16) && p[1] == 0x03:
		hint = "the listener speaks TLS: configure the TLS transport"
	case string(p) == "HTTP":
		hint = "the address is an HTTP server, not a Kafka listener"
	case size > max:
		hint = "raise MaxResponseSize if responses really are this large, or check that the address is a Kafka listener"
	}
	return protoErrorf("%s sent a frame size of %d bytes (limit %d): %s", addr, size, max, hint)
}

// parseResponseHeader splits a response frame payload into the correlation
// id and the body, skipping the tagged fields of header version 1.
func parseResponseHeader(b []byte, version int16) (corr int32, body []byte, err error) {
	if version < 0 {
		return 0, b, nil
	}
	if len(b) < 4 {
		return 0, nil, protoErrorf("response of %d bytes is shorter than its header", len(b))
	}
	corr = int32(binary.BigEndian.Uint32(b))
	b = b[4:]
	if version == 0 {
		return corr, b, nil
	}
	b, err = skipTags(b)
	return corr, b, err
}

// skipTags skips a tagged field section: a count, then per field a tag, a
// size and the bytes.
func skipTags(b []byte) ([]byte, error) {
	n, b, err := uvarint(b)
	if err != nil {
		return nil, err
	}
	for ; n > 0; n-- {
		if _, b, err = uvarint(b); err != nil {
			return nil, err
		}
		var size uint64
		if size, b, err = uvarint(b); err != nil {
			return nil, err
		}
		if size > uint64(len(b)) {
			return nil, protoErrorf("response header tagged field of %d bytes overruns the frame", size)
		}
		b = b[size:]
	}
	return b, nil
}

func uvarint(b []byte) (uint64, []byte, error) {
	v, n := binary.Uvarint(b)
	if n <= 0 || n > 5 {
		return 0, nil, protoErrorf("response header has a malformed varint")
	}
	return v, b[n:], nil
}
