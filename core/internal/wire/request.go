package wire

import (
	"fmt"
	"math"
)

// Request is one Kafka request whose body is already encoded.
//
// A Request is only read by RoundTrip, which neither modifies nor retains it
// (nor Body) after returning, so it may be reused for the next call.
type Request struct {
	// Key is the API key (0 Produce, 1 Fetch, 3 Metadata, 18 ApiVersions...).
	Key int16
	// Version is the API version of the body.
	Version int16
	// HeaderVersion is the request header version: 0 (key, version,
	// correlation id), 1 (adds the client id) or 2 (adds an empty tagged
	// field section, for flexible versions). -1 sends Body with no header
	// at all, only the size prefix, as SASL handshake v0 tokens are sent.
	HeaderVersion int16
	// ResponseHeaderVersion is the response header version: 0 (correlation
	// id) or 1 (adds tagged fields, which are skipped). -1 means the
	// response has no header (SASL v0 tokens): it is matched by order only.
	ResponseHeaderVersion int16
	// Body is the encoded request body, after the header.
	Body []byte
	// Inserts, in increasing At order, are bytes that belong to the body
	// but are not copied into it: each Insert's Bytes goes right before
	// Body[At] (At may be len(Body)). On a TCP connection they are written
	// straight from the caller's slices (writev), which spares large
	// payloads such as record batches a copy; on other connections (TLS)
	// the frame is assembled in one buffer first. Like Body they must stay
	// unchanged until Start returns.
	Inserts []Insert
	// NoResponse says the broker sends no response (Produce with acks=0):
	// RoundTrip returns a nil *Response once the request is written.
	NoResponse bool
}

// Insert is bytes a Request's body takes by reference: see Request.Inserts.
type Insert struct {
	// At is the offset in Body before which Bytes goes.
	At int
	// Bytes is the inserted payload, owned by the caller.
	Bytes []byte
}

// bodyLen returns the length of r's body with its Inserts.
func (r *Request) bodyLen() int {
	n := len(r.Body)
	for _, in := range r.Inserts {
		n += len(in.Bytes)
	}
	return n
}

// headerLen returns the length of the request header of r.
func (r *Request) headerLen(clientID string) int {
	switch r.HeaderVersion {
	case -1:
		return 0
	case 0:
		return 8
	case 1:
		return 10 + len(clientID)
	default:
		return 11 + len(clientID)
	}
}

// check rejects requests that cannot be framed.
func (r *Request) check(clientID string) error {
	if r.HeaderVersion < -1 || r.HeaderVersion > 2 {
		return fmt.Errorf("wire: request header version %d is not -1, 0, 1 or 2; fix the caller", r.HeaderVersion)
	}
	if r.ResponseHeaderVersion < -1 || r.ResponseHeaderVersion > 1 {
		return fmt.Errorf("wire: response header version %d is not -1, 0 or 1; fix the caller", r.ResponseHeaderVersion)
	}
	at := 0
	for _, in := range r.Inserts {
		if in.At < at || in.At > len(r.Body) {
			return fmt.Errorf("wire: insert at %d is out of order or past the body's %d bytes; fix the caller", in.At, len(r.Body))
		}
		at = in.At
	}
	if n := r.headerLen(clientID) + r.bodyLen(); n > math.MaxInt32-4 || n < 0 {
		return fmt.Errorf("wire: request of %d bytes does not fit a Kafka frame; send smaller batches", n)
	}
	return nil
}

// Response is the answer to one Request.
//
// Buffer ownership: Body belongs to the caller, who may keep it as long as
// needed. Calling Release is optional: it hands Body (and the Response) back
// to a pool for the next response; after Release neither the Response nor
// Body, nor anything decoded that aliases Body, may be used.
type Response struct {
	// CorrelationID is the id RoundTrip gave the request (0 for responses
	// with header version -1).
	CorrelationID int32
	// Body holds the bytes after the response header (tagged fields of
	// header v1 are skipped).
	Body []byte
	// Size is the frame length on the wire, size prefix included.
	Size int

	p *pending
}

// Release recycles the Response and its Body. See Response for the rule.
// Calling Release on a nil Response does nothing.
func (r *Response) Release() {
	if r == nil || r.p == nil {
		return
	}
	p := r.p
	putBuf(p.bufp)
	putPending(p)
}
