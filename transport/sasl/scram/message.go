package scram

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ServerError is a SCRAM error the broker sent in server-final ("e=...",
// RFC 5802 section 7), such as "invalid-proof" or "unknown-user". Session
// errors wrap it, so errors.As finds it.
type ServerError struct {
	// Value is the server-error-value as sent.
	Value string
}

func (e *ServerError) Error() string { return "scram: the broker reports " + strconv.Quote(e.Value) }

// explain wraps e with what to do about it.
func (e *ServerError) explain(mechanism, user string) error {
	switch e.Value {
	case "invalid-proof":
		return fmt.Errorf("%w: wrong password for user %q with %s", e, user, mechanism)
	case "unknown-user":
		return fmt.Errorf("%w: the broker has no %s credential for user %q; create one with "+
			"kafka-configs --alter --entity-type users --entity-name %s --add-config '%s=[password=...]'",
			e, mechanism, user, user, mechanism)
	case "invalid-username-encoding", "invalid-encoding":
		return fmt.Errorf("%w: the broker could not decode the client's message for user %q", e, user)
	}
	return fmt.Errorf("%w (user %q, %s)", e, user, mechanism)
}

// escapeName encodes a user name as a saslname: ',' as "=2C", '=' as "=3D".
func escapeName(name string) string {
	if !strings.ContainsAny(name, ",=") {
		return name
	}
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(name)
}

// serverFirst is the parsed server-first-message.
type serverFirst struct {
	nonce      string
	salt       []byte
	iterations int
}

// parseServerFirst parses "[m=ext,]r=nonce,s=salt,i=count[,ext...]".
func parseServerFirst(msg []byte) (serverFirst, error) {
	var sf serverFirst
	attrs := strings.Split(string(msg), ",")
	if len(attrs) < 3 {
		if v, ok := strings.CutPrefix(string(msg), "e="); ok {
			return sf, &ServerError{Value: v}
		}
		return sf, errorf("server-first", "has %d attributes, want r, s and i", len(attrs))
	}
	if strings.HasPrefix(attrs[0], "m=") {
		return sf, errors.New("scram: the broker requires a SCRAM extension this client does not know (m=); " +
			"no Kafka broker does this, check the address")
	}
	nonce, ok1 := strings.CutPrefix(attrs[0], "r=")
	salt, ok2 := strings.CutPrefix(attrs[1], "s=")
	iter, ok3 := strings.CutPrefix(attrs[2], "i=")
	if !ok1 || !ok2 || !ok3 {
		return sf, errorf("server-first", "does not start with r=, s=, i=")
	}
	if !printable(nonce) {
		return sf, errorf("server-first", "has a nonce with characters outside 0x21..0x7E or ','")
	}
	var err error
	if sf.salt, err = base64.StdEncoding.DecodeString(salt); err != nil || len(sf.salt) == 0 {
		return sf, errorf("server-first", "has a salt that is not non-empty base64")
	}
	if sf.iterations, err = strconv.Atoi(iter); err != nil || sf.iterations <= 0 || iter[0] == '+' {
		return sf, errorf("server-first", "has an iteration count that is not a positive integer")
	}
	sf.nonce = nonce
	return sf, nil
}

// parseServerFinal parses "v=signature[,ext...]" or "e=error[,ext...]" and
// returns the decoded signature, or a *ServerError.
func parseServerFinal(msg []byte) ([]byte, error) {
	first, _, _ := strings.Cut(string(msg), ",")
	if v, ok := strings.CutPrefix(first, "e="); ok {
		return nil, &ServerError{Value: v}
	}
	v, ok := strings.CutPrefix(first, "v=")
	if !ok {
		return nil, errorf("server-final", "starts with neither v= nor e=")
	}
	sig, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(sig) == 0 {
		return nil, errorf("server-final", "has a verifier that is not non-empty base64")
	}
	return sig, nil
}

// printable reports whether s is a non-empty RFC 5802 "printable": %x21-2B / %x2D-7E.
func printable(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x21 || c > 0x7e || c == ',' {
			return false
		}
	}
	return true
}

// errorf reports a malformed server message without quoting it (it could
// echo user input, and is of no use to the reader).
func errorf(which, format string, args ...any) error {
	return fmt.Errorf("scram: the broker's %s message %s; the peer is not a conforming SCRAM server", which, fmt.Sprintf(format, args...))
}
