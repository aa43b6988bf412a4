package core

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// ErrAuthentication matches (with errors.Is) every error of a failed SASL
// authentication: a wrong password or unknown user
// (kerr.SASLAuthenticationFailed), a mechanism the broker does not enable
// (kerr.UnsupportedSASLMechanism), a mechanism or token source that fails.
// It is never retriable: the clients return it from the first call that
// needed the connection instead of reconnecting, since the same credentials
// would fail again. The errors also match the kerr sentinel of the broker's
// error code, and never contain a credential.
var ErrAuthentication = errors.New("core: authentication failed")

// authError marks err as an authentication failure (ErrAuthentication)
// while keeping its text and chain.
type authError struct{ err error }

func (e *authError) Error() string { return e.err.Error() }

func (e *authError) Unwrap() error { return e.err }

func (e *authError) Is(target error) bool { return target == ErrAuthentication }

// saslAuthenticator returns the hook that authenticates each new connection
// for cfg's SASL protocols, and schedules its re-authentications (KIP-368),
// or nil without SASL. The mechanism is resolved here, so a mechanism that
// is not compiled in fails at construction.
func saslAuthenticator(cfg Config) (func(context.Context, *cluster.Conn) error, error) {
	if cfg.SecurityProtocol != SASLPlaintext && cfg.SecurityProtocol != SASLSSL {
		return nil, nil
	}
	mech := cfg.SASL.Custom
	if mech == nil {
		var err error
		if mech, err = SASLMechanismByName(strings.ToUpper(cfg.SASL.Mechanism)); err != nil {
			return nil, err
		}
	}
	r := &reauthenticator{mech: mech, sasl: cfg.SASL, timeout: cfg.RequestTimeout, log: cfg.Logger}
	return func(ctx context.Context, conn *cluster.Conn) error {
		start := time.Now()
		end, err := authenticate(ctx, conn, mech, cfg.SASL)
		if err != nil {
			return err
		}
		r.schedule(conn, start, end)
		return nil
	}, nil
}

// authenticate runs SaslHandshake (v1: Kafka 1.0+) and then the mechanism's
// exchange in SaslAuthenticate requests, on a new connection or, to
// re-authenticate, inside conn's exclusive exchange. It returns when the
// session ends: the earlier of the lifetime the broker reports
// (SaslAuthenticate v1+, connections.max.reauth.ms) and the credential's
// expiry (SASLSessionExpiry), or zero for neither.
//
// A failure of the authentication itself matches ErrAuthentication and is
// not retriable: a wrong password stays wrong. A network failure is
// returned as it is (the connection closed: retriable).
func authenticate(ctx context.Context, conn *cluster.Conn, mech SASLMechanism, cfg SASLConfig) (time.Time, error) {
	name, began := mech.Name(), time.Now()
	resp, err := conn.Do(ctx, &protocol.SaslHandshakeRequest{Mechanism: name})
	if err != nil {
		return time.Time{}, fmt.Errorf("core: SASL handshake with %s: %w", conn.Addr(), err)
	}
	if r := resp.(*protocol.SaslHandshakeResponse); r.ErrorCode != 0 {
		if r.ErrorCode == kerr.UnsupportedSASLMechanism.Code {
			return time.Time{}, &authError{fmt.Errorf("core: broker %s does not enable SASL mechanism %s (it enables %s); "+
				"choose one of those in sasl.mechanism: %w",
				conn.Addr(), name, strings.Join(r.Mechanisms, ", "), kerr.UnsupportedSASLMechanism)}
		}
		return time.Time{}, &authError{fmt.Errorf("core: SASL %s handshake with %s: %w", name, conn.Addr(), kerr.ForCode(r.ErrorCode))}
	}
	session, err := mech.Start(ctx, cfg)
	if err != nil {
		if isNetworkError(ctx, err) {
			return time.Time{}, err
		}
		return time.Time{}, &authError{fmt.Errorf("core: SASL %s with %s: starting the mechanism: %w", name, conn.Addr(), err)}
	}
	var lifetime time.Duration
	err = runSASL(session, name, func(msg []byte) ([]byte, error) {
		resp, err := conn.Do(ctx, &protocol.SaslAuthenticateRequest{AuthBytes: msg})
		if err != nil {
			return nil, err
		}
		r := resp.(*protocol.SaslAuthenticateResponse)
		if r.ErrorCode != 0 {
			return nil, kerr.WithMessage(r.ErrorCode, r.ErrorMessage)
		}
		lifetime = time.Duration(r.SessionLifetimeMs) * time.Millisecond
		return r.AuthBytes, nil
	})
	if err != nil {
		if isNetworkError(ctx, err) {
			return time.Time{}, fmt.Errorf("core: SASL %s authentication with %s: %w", name, conn.Addr(), err)
		}
		return time.Time{}, &authError{fmt.Errorf("core: SASL %s authentication with %s failed "+
			"(check the user name and password, and that the user exists for this mechanism): %w", name, conn.Addr(), err)}
	}
	var end time.Time
	if lifetime > 0 {
		end = began.Add(lifetime) // no later than the broker's own reckoning
	}
	if e, ok := session.(SASLSessionExpiry); ok {
		if exp := e.Expiry(); !exp.IsZero() && (end.IsZero() || exp.Before(end)) {
			end = exp
		}
	}
	return end, nil
}

// isNetworkError reports whether err is the connection's or ctx's failure
// rather than the authentication's.
func isNetworkError(ctx context.Context, err error) bool {
	return errors.Is(err, wire.ErrClosed) || ctx.Err() != nil && errors.Is(err, ctx.Err())
}
