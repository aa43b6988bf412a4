package oauthbearer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kafka3/kafka3-go/core"
)

// Mechanism is the OAUTHBEARER mechanism with its token source. Safe for
// concurrent use.
type Mechanism struct {
	source core.TokenSource
	now    func() time.Time // replaced by tests
}

// New returns an OAUTHBEARER mechanism that takes its tokens from source.
// Pass it in the client's config to bypass the registry, whose mechanism has
// no token source of its own.
func New(source core.TokenSource) *Mechanism { return &Mechanism{source: source, now: time.Now} }

// Default is the mechanism registered with core from init. It has no token
// source: Start fails until one is configured; prefer New(source).
var Default = New(nil)

func init() { core.RegisterSASLMechanism(Default) }

// Name returns "OAUTHBEARER".
func (m *Mechanism) Name() string { return "OAUTHBEARER" }

// Start fetches a token from the mechanism's source, or else from
// cfg.TokenSource (with ctx), checks it
// and returns a session whose first step sends it.
func (m *Mechanism) Start(ctx context.Context, cfg core.SASLConfig) (core.SASLSession, error) {
	source := m.source
	if source == nil {
		source = cfg.TokenSource
	}
	if source == nil {
		return nil, errors.New("oauthbearer: no token source: set SASLConfig.TokenSource, or pass oauthbearer.New(source) as SASLConfig.Custom")
	}
	tok, err := source(ctx)
	if err != nil {
		return nil, fmt.Errorf("oauthbearer: the token source failed: %w", err)
	}
	if err := m.check(tok); err != nil {
		return nil, err
	}
	return &session{tok: tok}, nil
}

// check validates tok's syntax without quoting it.
func (m *Mechanism) check(tok core.Token) error {
	if tok.Value == "" {
		return errors.New("oauthbearer: the token source returned an empty token")
	}
	if !isB64Token(tok.Value) {
		return errors.New("oauthbearer: the token has characters a bearer token cannot have " +
			"(RFC 6750 b64token: letters, digits, -._~+/ and trailing =); is it the compact JWT, without \"Bearer \"?")
	}
	if !tok.Expiry.IsZero() && !tok.Expiry.After(m.now()) {
		return fmt.Errorf("oauthbearer: the token source returned a token that expired at %s; it must refresh tokens",
			tok.Expiry.UTC().Format(time.RFC3339))
	}
	for k, v := range tok.Extensions {
		if k == "auth" || !isExtKey(k) {
			return fmt.Errorf("oauthbearer: extension key %q is invalid: letters only, and not \"auth\"", k)
		}
		if !isExtValue(v) {
			return fmt.Errorf("oauthbearer: the value of extension %q has characters other than printable ASCII, space, tab, CR and LF", k)
		}
	}
	return nil
}

// session sends the token, then ends on an empty answer or a server error.
type session struct {
	tok   core.Token
	state int // 0 send token, 1 await answer, 2 finished
}

// String hides the token from fmt's %v of a session.
func (s *session) String() string { return "oauthbearer session for " + s.tok.Principal }

// Expiry returns the token's expiry, for re-authentication (KIP-368).
func (s *session) Expiry() time.Time { return s.tok.Expiry }

// Step sends the client initial response first; an empty answer then means
// success, anything else is the server's error status, answered with %x01
// as RFC 7628 section 3.2.3 requires, together with the error.
func (s *session) Step(challenge []byte) ([]byte, bool, error) {
	switch s.state {
	case 0:
		s.state = 1
		return AppendInitialResponse(nil, s.tok), false, nil
	case 1:
		s.state = 2
		if len(challenge) == 0 {
			return nil, true, nil
		}
		return []byte{kvsep}, false, serverError(challenge, s.tok.Principal)
	}
	return nil, false, errors.New("oauthbearer: session stepped after it finished; start a new one")
}

const kvsep = 0x01

// AppendInitialResponse appends the RFC 7628 client initial response for
// tok to dst: "n,,\x01auth=Bearer <token>\x01" followed by "key=value\x01"
// per extension in key order, and a final "\x01". tok is not validated.
func AppendInitialResponse(dst []byte, tok core.Token) []byte {
	dst = append(dst, "n,,\x01auth=Bearer "...)
	dst = append(dst, tok.Value...)
	dst = append(dst, kvsep)
	keys := make([]string, 0, len(tok.Extensions))
	for k := range tok.Extensions {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		dst = append(dst, k...)
		dst = append(dst, '=')
		dst = append(dst, tok.Extensions[k]...)
		dst = append(dst, kvsep)
	}
	return append(dst, kvsep)
}

// ServerError is the error status a broker sends for a rejected token (RFC
// 7628 section 3.2.2). Session errors wrap it, so errors.As finds it.
type ServerError struct {
	Status              string `json:"status"`
	Scope               string `json:"scope,omitempty"`
	OpenIDConfiguration string `json:"openid-configuration,omitempty"`
}

func (e *ServerError) Error() string {
	msg := fmt.Sprintf("oauthbearer: the broker rejected the token: status %q", e.Status)
	if e.Scope != "" {
		msg += fmt.Sprintf(", required scope %q", e.Scope)
	}
	if e.OpenIDConfiguration != "" {
		msg += ", see " + e.OpenIDConfiguration
	}
	return msg
}

// serverError parses a server's error challenge.
func serverError(challenge []byte, principal string) error {
	var se ServerError
	if err := json.Unmarshal(challenge, &se); err != nil || se.Status == "" {
		return errors.New("oauthbearer: the broker answered with a challenge that is not an RFC 7628 error status")
	}
	who := ""
	if principal != "" {
		who = fmt.Sprintf(" for %q", principal)
	}
	return fmt.Errorf("%w%s; check the token's expiry, audience, scope and the broker's validator configuration", &se, who)
}

// isB64Token reports whether s is an RFC 6750 b64token.
func isB64Token(s string) bool {
	t := strings.TrimRight(s, "=")
	if t == "" {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~+/", c) >= 0) {
			return false
		}
	}
	return true
}

func isExtKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

func isExtValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; !(c >= 0x21 && c <= 0x7e || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			return false
		}
	}
	return true
}
