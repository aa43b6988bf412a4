package protocol

// RequestHeader precedes every request body (Kafka's RequestHeader). Version
// 0 has no ClientId and is only used by ControlledShutdown v0; version 1 adds
// ClientId; version 2 adds a tagged-field section. ClientId is always encoded
// as a classic nullable string, also in version 2, so that any broker can read
// the header of an ApiVersionsRequest. Use Request.RequestHeaderVersion to
// choose the version.
type RequestHeader struct {
	// RequestApiKey is the API key of the request.
	RequestApiKey int16
	// RequestApiVersion is the version of the request.
	RequestApiVersion int16
	// CorrelationId is echoed in the response header.
	CorrelationId int32
	// ClientId is the client id, or nil for none (version 1+).
	ClientId *string
	// UnknownTaggedFields are tagged fields kept from decoding (version 2+).
	UnknownTaggedFields TaggedFields
}

// AppendTo appends the header encoded at version (0, 1 or 2) to dst.
func (h *RequestHeader) AppendTo(dst []byte, version int16) []byte {
	dst = AppendInt16(dst, h.RequestApiKey)
	dst = AppendInt16(dst, h.RequestApiVersion)
	dst = AppendInt32(dst, h.CorrelationId)
	if version >= 1 {
		dst = AppendNullableString(dst, h.ClientId)
	}
	if version >= 2 {
		dst = AppendTaggedFields(dst, h.UnknownTaggedFields)
	}
	return dst
}

// Decode decodes a header encoded at version from the start of b and returns
// the number of bytes it took; the request body follows. Unknown tagged fields
// are sub-slices of b.
func (h *RequestHeader) Decode(b []byte, version int16) (int, error) {
	r := NewReader(b)
	h.RequestApiKey = r.Int16()
	h.RequestApiVersion = r.Int16()
	h.CorrelationId = r.Int32()
	h.ClientId = nil
	if version >= 1 {
		h.ClientId = r.NullableString()
	}
	h.UnknownTaggedFields = h.UnknownTaggedFields[:0]
	if version >= 2 {
		h.UnknownTaggedFields = r.TaggedFields(h.UnknownTaggedFields)
	}
	return r.off, headerErr(&r, "RequestHeader", version)
}

// ResponseHeader precedes every response body (Kafka's ResponseHeader).
// Version 1 adds a tagged-field section to version 0. Use
// Response.ResponseHeaderVersion to choose the version.
type ResponseHeader struct {
	// CorrelationId is the correlation id of the request answered.
	CorrelationId int32
	// UnknownTaggedFields are tagged fields kept from decoding (version 1+).
	UnknownTaggedFields TaggedFields
}

// AppendTo appends the header encoded at version (0 or 1) to dst.
func (h *ResponseHeader) AppendTo(dst []byte, version int16) []byte {
	dst = AppendInt32(dst, h.CorrelationId)
	if version >= 1 {
		dst = AppendTaggedFields(dst, h.UnknownTaggedFields)
	}
	return dst
}

// Decode decodes a header encoded at version from the start of b and returns
// the number of bytes it took; the response body follows.
func (h *ResponseHeader) Decode(b []byte, version int16) (int, error) {
	r := NewReader(b)
	h.CorrelationId = r.Int32()
	h.UnknownTaggedFields = h.UnknownTaggedFields[:0]
	if version >= 1 {
		h.UnknownTaggedFields = r.TaggedFields(h.UnknownTaggedFields)
	}
	return r.off, headerErr(&r, "ResponseHeader", version)
}

func headerErr(r *Reader, name string, version int16) error {
	if r.err == nil {
		return nil
	}
	if de, ok := r.err.(*DecodeError); ok && de.Message == "" {
		de.Message = name + " v" + itoa(int(version))
	}
	return r.err
}

// DecodeRequest decodes a whole request frame without its size prefix: the
// header, whose version it derives from the API key and version at its
// start, then the body. It is meant for fake brokers in tests. The request
// retains frame, like Decode.
func DecodeRequest(frame []byte) (RequestHeader, Request, error) {
	var h RequestHeader
	r := NewReader(frame)
	key, version := r.Int16(), r.Int16()
	if err := r.Err(); err != nil {
		return h, nil, headerErr(&r, "RequestHeader", 0)
	}
	req, ok := NewRequest(key)
	if !ok {
		return h, nil, &DecodeError{Message: "RequestHeader", Reason: "unknown API key " + itoa(int(key))}
	}
	if version < req.MinVersion() || version > req.MaxVersion() {
		return h, nil, versionErr(APIName(key)+"Request", version, req.MinVersion(), req.MaxVersion())
	}
	n, err := h.Decode(frame, req.RequestHeaderVersion(version))
	if err != nil {
		return h, nil, err
	}
	if err := req.Decode(frame[n:], version); err != nil {
		return h, nil, err
	}
	return h, req, nil
}
