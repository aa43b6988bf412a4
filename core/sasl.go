package core

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/registry"
)

// SASLMechanism is one SASL mechanism, such as "PLAIN", "SCRAM-SHA-256",
// "SCRAM-SHA-512" or "OAUTHBEARER". The mechanisms ship as plugins that
// register themselves when imported:
//
//	import _ "github.com/kafka3/kafka3-go/transport/sasl/scram" // SCRAM-SHA-256 and SCRAM-SHA-512
//
// A mechanism value can also be passed directly in the config, bypassing
// the registry (a custom mechanism, or an OAUTHBEARER one carrying its own
// token source).
//
// Implementations are safe for concurrent use: the client starts one session
// per connection and per re-authentication. Credentials never appear in the
// errors they return, nor in logs.
type SASLMechanism interface {
	// Name is the mechanism's name as the broker knows it (SaslHandshake).
	Name() string
	// Start begins one authentication with the credentials in cfg. ctx
	// bounds work done before the first message, such as fetching a token.
	Start(ctx context.Context, cfg SASLConfig) (SASLSession, error)
}

// SASLSession is the client side of one authentication exchange. It is
// used by one goroutine at a time.
//
// The connection layer drives it as runSASL does: Step(nil) gives the
// client's first message; each message is sent in a SaslAuthenticate
// request and the server's bytes are passed to the next Step, until Step
// reports done. done with a nil response means nothing more is sent; done
// with a response means the exchange is complete once the server accepts
// that last message. An error code in a SaslAuthenticate response ends the
// exchange without another Step.
//
// When Step returns an error with a non-nil response, the response is sent
// before failing, as a courtesy that lets the server end the exchange (as
// OAUTHBEARER's %x01 after a server error); the server's answer is ignored.
type SASLSession interface {
	// Step takes the server's last message (nil for the first step) and
	// returns the next client message, or done=true once the exchange is
	// complete, after verifying the server's final message where the
	// mechanism has one (SCRAM's server signature).
	Step(challenge []byte) (response []byte, done bool, err error)
}

// SASLSessionExpiry is implemented by sessions whose credential expires,
// such as an OAUTHBEARER token. The client re-authenticates (KIP-368) before
// the earlier of Expiry and the session lifetime the broker reports. A zero
// time means no expiry.
type SASLSessionExpiry interface {
	Expiry() time.Time
}

// Token is an OAuth 2 bearer token for OAUTHBEARER. Value is a credential:
// it never appears in errors or logs.
type Token struct {
	// Value is the compact serialisation of the token (a JWT for most
	// identity providers). Required.
	Value string
	// Expiry is when the token stops being valid; the client
	// re-authenticates before then. Zero means unknown, so only the
	// broker's session lifetime applies.
	Expiry time.Time
	// Principal names the token's subject, for logs and errors. Optional.
	Principal string
	// Extensions are SASL extensions (RFC 7628 section 3.1) sent with the
	// token, such as those Confluent Cloud requires (logicalCluster,
	// identityPoolId). Keys are letters only; "auth" is reserved.
	Extensions map[string]string
}

// TokenSource returns a currently valid token. It is called once per
// authentication (each connection, each re-authentication), so it should
// cache the token until shortly before it expires. It must be safe for
// concurrent use and honour ctx.
type TokenSource func(ctx context.Context) (Token, error)

// saslRegistry holds the registered mechanisms by upper-case name.
var saslRegistry = registry.New[SASLMechanism]("SASL mechanism", "")

// RegisterSASLMechanism makes m available under m.Name() (upper case) to
// SASLMechanismByName. Plugins call it from init. Registering a different
// mechanism under a name already taken panics, naming both; registering the
// same one again is a no-op. Safe for concurrent use.
func RegisterSASLMechanism(m SASLMechanism) {
	if m == nil {
		panic("core: RegisterSASLMechanism called with a nil mechanism")
	}
	saslRegistry.Register(strings.ToUpper(m.Name()), m)
}

// SASLMechanismByName returns the mechanism registered under name (case
// insensitive, as sasl.mechanism). It takes no lock. An unknown name returns
// an error naming the import most likely forgotten, such as
//
//	core: SASL mechanism "SCRAM-SHA-512" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/transport/sasl/scram"?)
func SASLMechanismByName(name string) (SASLMechanism, error) {
	name = strings.ToUpper(name)
	if m, ok := saslRegistry.Lookup(name); ok {
		return m, nil
	}
	return nil, saslNotRegistered(name)
}

// saslNotRegistered is SASLMechanismByName's error for an upper-cased name,
// naming the import to add for this module's mechanisms.
func saslNotRegistered(name string) error {
	if pkg := saslPackage(name); pkg != "" {
		return fmt.Errorf("core: SASL mechanism %q is not registered (forgotten import _ %q?)",
			name, "github.com/kafka3/kafka3-go/transport/sasl/"+pkg)
	}
	return fmt.Errorf("core: SASL mechanism %q is not registered: kafka3-go has no plugin for it; "+
		"register one with core.RegisterSASLMechanism or pass it in the config (registered: %s)",
		name, strings.Join(saslRegistry.Names(), ", "))
}

// SASLMechanisms lists the names of the registered mechanisms, sorted.
func SASLMechanisms() []string { return saslRegistry.Names() }

// saslPackage returns the plugin package that implements a mechanism.
func saslPackage(name string) string {
	switch {
	case name == "PLAIN":
		return "plain"
	case strings.HasPrefix(name, "SCRAM-"):
		return "scram"
	case name == "OAUTHBEARER":
		return "oauthbearer"
	}
	return ""
}

// runSASL drives one authentication exchange to its end. roundTrip sends a
// client message (one SaslAuthenticate request, or a raw SASL frame for the
// v0 handshake) and returns the server's answer, or an error built from the
// response's error code and message. The result is nil on success.
func runSASL(s SASLSession, mechanism string, roundTrip func(msg []byte) ([]byte, error)) error {
	var challenge []byte
	for i := 0; ; i++ {
		if i == maxSASLSteps {
			return fmt.Errorf("core: SASL %s: no result after %d steps; the broker or the mechanism misbehaves", mechanism, i)
		}
		resp, done, err := s.Step(challenge)
		if err != nil {
			if resp != nil {
				_, _ = roundTrip(resp) // let the server end the exchange; its answer adds nothing
			}
			return err
		}
		if done && resp == nil {
			return nil
		}
		challenge, err = roundTrip(resp)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// maxSASLSteps bounds an exchange; SCRAM, the longest, takes three steps.
const maxSASLSteps = 16
