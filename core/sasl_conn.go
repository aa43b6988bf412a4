package core

import (
	"context"
	"fmt"
	"strings"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// saslAuthenticator returns the hook that authenticates each new connection
// for cfg's SASL protocols, or nil without SASL. The mechanism is resolved
// here, so a mechanism that is not compiled in fails at construction.
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
	return func(ctx context.Context, conn *cluster.Conn) error {
		return authenticate(ctx, conn, mech, cfg.SASL)
	}, nil
}

// authenticate runs SaslHandshake (v1: Kafka 1.0+) and then the mechanism's
// exchange in SaslAuthenticate requests. Failures are not retriable: a
// wrong password stays wrong.
func authenticate(ctx context.Context, conn *cluster.Conn, mech SASLMechanism, cfg SASLConfig) error {
	name := mech.Name()
	hs := &protocol.SaslHandshakeRequest{Mechanism: name}
	resp, err := conn.Do(ctx, hs)
	if err != nil {
		return fmt.Errorf("core: SASL handshake with %s: %w", conn.Addr(), err)
	}
	if r := resp.(*protocol.SaslHandshakeResponse); r.ErrorCode != 0 {
		if r.ErrorCode == kerr.UnsupportedSASLMechanism.Code {
			return fmt.Errorf("core: broker %s does not enable SASL mechanism %s (it offers %s): %w",
				conn.Addr(), name, strings.Join(r.Mechanisms, ", "), kerr.UnsupportedSASLMechanism)
		}
		return fmt.Errorf("core: SASL handshake with %s: %w", conn.Addr(), kerr.ForCode(r.ErrorCode))
	}
	session, err := mech.Start(ctx, cfg)
	if err != nil {
		return err
	}
	err = runSASL(session, name, func(msg []byte) ([]byte, error) {
		resp, err := conn.Do(ctx, &protocol.SaslAuthenticateRequest{AuthBytes: msg})
		if err != nil {
			return nil, err
		}
		r := resp.(*protocol.SaslAuthenticateResponse)
		if r.ErrorCode != 0 {
			return nil, kerr.WithMessage(r.ErrorCode, r.ErrorMessage)
		}
		return r.AuthBytes, nil
	})
	if err != nil {
		return fmt.Errorf("core: SASL %s authentication with %s failed (check the user name and password, and that the user exists for this mechanism): %w", name, conn.Addr(), err)
	}
	return nil
}
