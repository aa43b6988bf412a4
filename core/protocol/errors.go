package protocol

import (
	"errors"
	"strconv"
)

// DecodeError reports input that is not a valid encoding. Every error that a
// Reader or a generated Decode method returns for malformed input is a
// *DecodeError.
type DecodeError struct {
	// Message names what was being decoded, such as "FetchResponse v16" or
	// "RequestHeader v2"; it is empty for a bare Reader.
	Message string
	// Offset is the byte offset in the input where the problem was found.
	Offset int
	// Reason says what was malformed.
	Reason string
}

// Error implements error.
func (e *DecodeError) Error() string {
	s := "protocol: "
	if e.Message != "" {
		s += e.Message + ": "
	}
	return s + e.Reason + " at offset " + strconv.Itoa(e.Offset)
}

// ErrUnsupportedVersion is wrapped by the error of Decode when asked for a
// version that the message does not have.
var ErrUnsupportedVersion = errors.New("protocol: unsupported version")

// decodeErr finishes a Decode: it names the message on r's error and reports
// trailing bytes, which mean that the version or the message type is wrong.
func decodeErr(r *Reader, name string, version int16) error {
	if r.err == nil && r.off != len(r.b) {
		r.failf("%d trailing bytes", len(r.b)-r.off)
	}
	if r.err == nil {
		return nil
	}
	if de, ok := r.err.(*DecodeError); ok && de.Message == "" {
		de.Message = name + " v" + strconv.Itoa(int(version))
	}
	return r.err
}

// versionErr is the error of a Decode for a version out of range.
func versionErr(name string, version, minV, maxV int16) error {
	return &versionError{name, version, minV, maxV}
}

type versionError struct {
	name              string
	version, min, max int16
}

func (e *versionError) Error() string {
	return "protocol: " + e.name + " has no version " + strconv.Itoa(int(e.version)) +
		" (supported: " + strconv.Itoa(int(e.min)) + "-" + strconv.Itoa(int(e.max)) + ")"
}

func (e *versionError) Unwrap() error { return ErrUnsupportedVersion }
