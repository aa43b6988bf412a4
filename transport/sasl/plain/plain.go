package plain

import (
	"context"
	"errors"
	"strings"

	"github.com/kafka3/kafka3-go/core"
)

// Mechanism is the PLAIN mechanism. It takes Username and Password from
// core.SASLConfig and sends no authorization identity (the broker then
// authorizes as Username). It is stateless and safe for concurrent use; it
// is registered with core from init.
var Mechanism core.SASLMechanism = mechanism{}

func init() { core.RegisterSASLMechanism(Mechanism) }

type mechanism struct{}

// Name returns "PLAIN".
func (mechanism) Name() string { return "PLAIN" }

// Start checks the credentials and returns a session whose first step sends
// them. ctx is unused.
func (mechanism) Start(_ context.Context, cfg core.SASLConfig) (core.SASLSession, error) {
	switch {
	case cfg.Username == "":
		return nil, errors.New("plain: SASL.Username (sasl.username) is empty")
	case cfg.Password == "":
		return nil, errors.New("plain: SASL.Password (sasl.password) is empty")
	case strings.IndexByte(cfg.Username, 0) >= 0:
		return nil, errors.New("plain: SASL.Username contains a NUL byte, which PLAIN cannot carry")
	case strings.IndexByte(cfg.Password, 0) >= 0:
		return nil, errors.New("plain: SASL.Password contains a NUL byte, which PLAIN cannot carry")
	}
	return &session{user: cfg.Username, pass: cfg.Password}, nil
}

// session sends authzid NUL authcid NUL passwd, with an empty authzid.
type session struct {
	user, pass string
	sent       bool
}

// Step returns the one message, with done=true: the exchange is complete
// when the broker accepts it.
func (s *session) Step(challenge []byte) ([]byte, bool, error) {
	if s.sent {
		return nil, true, nil
	}
	s.sent = true
	msg := make([]byte, 0, 2+len(s.user)+len(s.pass))
	msg = append(msg, 0)
	msg = append(msg, s.user...)
	msg = append(msg, 0)
	msg = append(msg, s.pass...)
	return msg, true, nil
}

// String hides the credentials from fmt's %v of a session.
func (s *session) String() string { return "plain session for " + s.user }
