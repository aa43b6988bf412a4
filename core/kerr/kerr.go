package kerr

import (
	"errors"
	"strconv"
)

// Error is a Kafka protocol error code: its number, its Java name (such as
// UNKNOWN_TOPIC_OR_PARTITION), this package's description of it and whether
// Java's client treats it as retriable (its exception extends
// RetriableException).
//
// Every known code has one sentinel *Error (UnknownTopicOrPartition, ...),
// which ForCode returns, so errors.Is(err, kerr.NotCoordinator) works by
// identity. An *Error carrying a broker's message (from WithMessage) is a
// copy that still matches its sentinel with errors.Is, through Is.
//
// Errors must not be modified: sentinels are shared by every goroutine.
type Error struct {
	// Code is the error code sent on the wire.
	Code int16
	// Name is Java's name of the code, e.g. "NOT_COORDINATOR".
	Name string
	// Message says what the code means and, where the user can do
	// something about it, what (this package's words, not Kafka's).
	Message string
	// Retriable reports whether the request may succeed if retried, as
	// Java's client decides (after refreshing metadata, finding the
	// coordinator again, or waiting).
	Retriable bool
	// BrokerMessage is the error message the broker sent with this
	// occurrence of the code, if any, as sent; always empty in sentinels.
	BrokerMessage string
}

// Error returns "kafka: NAME (code): description", followed by the broker's
// message in parentheses when there is one.
func (e *Error) Error() string {
	s := "kafka: " + e.Name + " (" + strconv.Itoa(int(e.Code)) + "): " + e.Message
	if e.BrokerMessage != "" {
		s += " (broker: " + e.BrokerMessage + ")"
	}
	return s
}

// ErrorType returns e's Name, for OpenTelemetry's error.type attribute: it
// has low cardinality and is the same across Kafka clients.
func (e *Error) ErrorType() string { return e.Name }

// Is reports whether target is an *Error with the same code, so that
// errors.Is matches copies made by WithMessage and unknown codes (two
// ForCode(9999) results) as well as the sentinels themselves.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && t.Code == e.Code
}

// Known reports whether e's code is one this package knows: false for the
// errors ForCode makes for codes newer than this package.
func (e *Error) Known() bool {
	s := sentinel(e.Code)
	return s != nil && s.Name == e.Name
}

// UnknownName is the Name of the errors ForCode returns for codes this
// package does not know (most likely added by a newer Kafka).
const UnknownName = "UNKNOWN_ERROR_CODE"

// ForCode returns the error for a response's error code: nil for 0 (NONE),
// the sentinel for a known code, and for an unknown code a new *Error named
// UnknownName that is not retriable (as Java's client does). It does not
// allocate for known codes and is safe for concurrent use.
func ForCode(code int16) error {
	if code == 0 {
		return nil
	}
	if s := sentinel(code); s != nil {
		return s
	}
	return unknown(code)
}

// WithMessage is ForCode for a response that also carries an error message
// (a nullable string on the wire): when msg is not nil and not empty, it
// returns a copy of the sentinel with BrokerMessage set, which errors.Is
// still matches to the sentinel. It returns nil for code 0 whatever msg says.
//
// The broker's message is kept whenever there is one, because it often
// names the specific topic, setting or record at fault. Brokers frequently
// send Kafka's generic description of the code instead; Error then shows it
// after this package's own Message, which is a little repetitive but never
// loses what the broker said, and needs no copy of Kafka's texts here.
func WithMessage(code int16, msg *string) error {
	if code == 0 {
		return nil
	}
	s := sentinel(code)
	if s == nil {
		s = unknown(code)
	}
	if msg == nil || *msg == "" {
		return s
	}
	c := *s
	c.BrokerMessage = *msg
	return &c
}

// IsRetriable reports whether err, or an error it wraps, is a Kafka error
// marked Retriable. It returns false for nil and for errors that carry no
// Kafka error code.
func IsRetriable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Retriable
}

// Code returns the Kafka error code in err's chain: 0 for nil, and -1
// (UNKNOWN_SERVER_ERROR) for an error that carries no Kafka code.
func Code(err error) int16 {
	if err == nil {
		return 0
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return UnknownServerError.Code
}

// All returns the sentinels of every known code, in code order, in a new
// slice the caller owns. The *Error values are shared and must not be modified.
func All() []*Error { return append([]*Error(nil), all[:]...) }

func unknown(code int16) *Error {
	return &Error{
		Code:    code,
		Name:    UnknownName,
		Message: "Error code " + strconv.Itoa(int(code)) + " is not known to this version of kafka3-go, probably because Kafka added it later; a newer kafka3-go will name it.",
	}
}

// byCode indexes the sentinels by code + 1 (code -1 at index 0).
var byCode = func() []*Error {
	t := make([]*Error, int(all[len(all)-1].Code)+2)
	for _, e := range all {
		if t[e.Code+1] != nil {
			panic("kerr: code " + strconv.Itoa(int(e.Code)) + " listed twice")
		}
		t[e.Code+1] = e
	}
	return t
}()

func sentinel(code int16) *Error {
	if i := int(code) + 1; i >= 0 && i < len(byCode) {
		return byCode[i]
	}
	return nil
}
