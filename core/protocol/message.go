package protocol

// Message is implemented by every generated request and response type.
//
// AppendTo encodes the message body (no size prefix, no header) at the given
// version and appends it to dst. It allocates nothing beyond growing dst. The
// version must be within [MinVersion, MaxVersion]; fields that the version
// does not have are left out silently. A nullable field set to null in a
// version where it is not nullable is written as empty.
//
// Decode decodes a whole body at the given version into the message,
// overwriting every field: fields that the version lacks, and tagged fields
// that are absent, are set to their spec default. Trailing bytes after the
// body are an error (they mean that the version or the type is wrong). Bytes
// and records fields, and unknown tagged fields, are sub-slices of b: the
// decoded message retains b, which must not be modified while the message is
// in use. Decoding into a previously used message reuses the capacity of its
// slices. Errors for malformed input are *DecodeError; a version out of range
// gives an error wrapping ErrUnsupportedVersion. Malformed input never panics.
//
// A message is a plain struct: not safe for concurrent use while being
// decoded into, safe to encode from several goroutines at once.
type Message interface {
	// Key returns the API key.
	Key() int16
	// MinVersion returns the lowest version of the API in the specs.
	MinVersion() int16
	// MaxVersion returns the highest stable version of the API in the specs.
	MaxVersion() int16
	// IsFlexible reports whether version uses the flexible (compact,
	// tagged-field) encoding.
	IsFlexible(version int16) bool
	// AppendTo appends the message body encoded at version to dst.
	AppendTo(dst []byte, version int16) []byte
	// Decode decodes a whole message body encoded at version.
	Decode(b []byte, version int16) error
	// Default sets every field to its default value from the specs.
	Default()
}

// Request is a generated request type.
type Request interface {
	Message
	// NewResponse returns a new response of the same API with its defaults set.
	NewResponse() Response
	// RequestHeaderVersion returns the version of the RequestHeader that
	// precedes this request at version: 2 when the request is flexible,
	// otherwise 1 (0 for ControlledShutdown v0).
	RequestHeaderVersion(version int16) int16
}

// Response is a generated response type.
type Response interface {
	Message
	// ResponseHeaderVersion returns the version of the ResponseHeader that
	// precedes this response at version: 1 when the response is flexible,
	// otherwise 0. ApiVersionsResponse always uses 0, so that a client can
	// read it whatever version the broker answers.
	ResponseHeaderVersion(version int16) int16
}

// NewRequest returns a new request of the API key with its defaults set, or
// false when the key is unknown or the API was removed from the protocol.
func NewRequest(key int16) (Request, bool) {
	if key < 0 || int(key) >= len(apiTable) || apiTable[key].newRequest == nil {
		return nil, false
	}
	req := apiTable[key].newRequest()
	req.Default()
	return req, true
}

// APIName returns the name of the API key as in the specs, such as "Produce"
// or "ApiVersions", also for removed APIs; "Unknown(N)" for an unknown key.
func APIName(key int16) string {
	if key >= 0 && int(key) < len(apiTable) && apiTable[key].name != "" {
		return apiTable[key].name
	}
	return "Unknown(" + itoa(int(key)) + ")"
}

// APIInfo describes one API of the protocol as generated.
type APIInfo struct {
	Key  int16
	Name string
	// MinVersion and MaxVersion bound the versions that this package encodes
	// and decodes; MaxVersion is the highest stable version.
	MinVersion, MaxVersion int16
	// FlexibleFrom is the first flexible version, or -1 if none is.
	FlexibleFrom int16
}

// LookupAPI returns the description of the API key, or false when the key is
// unknown or the API was removed from the protocol.
func LookupAPI(key int16) (APIInfo, bool) {
	if key < 0 || int(key) >= len(apiTable) || apiTable[key].newRequest == nil {
		return APIInfo{}, false
	}
	return apiTable[key].info, true
}

// APIs returns every API that this package implements, by ascending key. The
// slice is new on every call.
func APIs() []APIInfo {
	var out []APIInfo
	for _, a := range apiTable {
		if a.newRequest != nil {
			out = append(out, a.info)
		}
	}
	return out
}

type apiEntry struct {
	name       string
	info       APIInfo
	newRequest func() Request
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// requestHeaderVersion and responseHeaderVersion implement the header rules
// for generated messages.
func requestHeaderVersion(key int16, flexible bool, version int16) int16 {
	switch {
	case flexible:
		return 2
	case key == 7 && version == 0: // ControlledShutdown v0
		return 0
	}
	return 1
}

func responseHeaderVersion(key int16, flexible bool) int16 {
	if flexible && key != 18 { // ApiVersions: always v0
		return 1
	}
	return 0
}
