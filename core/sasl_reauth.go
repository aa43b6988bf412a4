package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
)

// reauthenticator re-authenticates SASL connections before their session
// ends (KIP-368), as Java's client does: at a random point between 85% and
// 95% of the session, on the same connection, alone on it
// (wire.Conn.Exclusive: requests wait while it runs, and it waits for the
// responses in flight, since the broker accepts no other request during
// the exchange). The session ends at the earlier of the lifetime the broker
// reports in SaslAuthenticate v1+ (connections.max.reauth.ms, or a token's
// remaining validity) and the credential's own expiry
// (SASLSessionExpiry: an OAUTHBEARER token), so a token source is asked
// for a fresh token in time.
//
// One goroutine per connection waits for the next re-authentication; it
// exits when the connection closes. A failed re-authentication closes the
// connection, saying why; the next request opens a new connection, whose
// authentication reports a lasting failure (ErrAuthentication) to the
// caller.
type reauthenticator struct {
	mech    SASLMechanism
	sasl    SASLConfig
	timeout time.Duration // bounds one re-authentication, waiting for in-flight responses included
	log     *slog.Logger
}

// reauthDisabled turns re-authentication off, for the test that proves the
// broker ends sessions without it.
var reauthDisabled atomic.Bool

// schedule starts conn's re-authentication loop when its session ends.
func (r *reauthenticator) schedule(conn *cluster.Conn, start, end time.Time) {
	if end.IsZero() || reauthDisabled.Load() {
		return
	}
	go r.loop(conn, start, end)
}

func (r *reauthenticator) loop(conn *cluster.Conn, start, end time.Time) {
	t := time.NewTimer(reauthDelay(start, end))
	defer t.Stop()
	for {
		select {
		case <-conn.Done():
			return
		case <-t.C:
		}
		start = time.Now()
		next, err := r.reauthenticate(conn)
		if err != nil {
			if !errors.Is(err, ErrAuthentication) && conn.Err() != nil {
				return // closed meanwhile, for its own reason
			}
			// The broker closes the connection after a rejected
			// re-authentication, often before this does: the log says why.
			r.logger().Warn("core: SASL re-authentication failed; closing the connection",
				"addr", conn.Addr(), "mechanism", r.mech.Name(), "err", err)
			// The cause keeps the text but not the chain: the requests this
			// fails are retriable on a new connection, which authenticates
			// afresh and reports a lasting failure (ErrAuthentication) there.
			_ = conn.CloseWithError(fmt.Errorf("core: SASL %s re-authentication (KIP-368) with %s failed, "+
				"so the connection is closed before the broker's session ends: %v", r.mech.Name(), conn.Addr(), err))
			return
		}
		r.logger().Debug("core: SASL re-authenticated", "addr", conn.Addr(), "mechanism", r.mech.Name(),
			"took", time.Since(start), "session_ends", next)
		if next.IsZero() {
			return
		}
		t.Reset(reauthDelay(start, next))
	}
}

// reauthenticate runs SaslHandshake and SaslAuthenticate again on conn,
// alone on it, and returns when the new session ends.
func (r *reauthenticator) reauthenticate(conn *cluster.Conn) (time.Time, error) {
	timeout := r.timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var end time.Time
	err := conn.Exclusive(ctx, func(ctx context.Context) error {
		var err error
		end, err = authenticate(ctx, conn, r.mech, r.sasl)
		return err
	})
	return end, err
}

func (r *reauthenticator) logger() *slog.Logger {
	if r.log == nil {
		return slog.Default()
	}
	return r.log
}

// reauthDelay returns how long from now to wait before re-authenticating a
// session that began at start and ends at end: until a random point between
// 85% and 95% of it (Java's window, which spreads the re-authentications of
// many connections), and at least 100ms, so a credential that is already
// expired does not make the loop spin.
func reauthDelay(start, end time.Time) time.Duration {
	at := start.Add(time.Duration(float64(end.Sub(start)) * (0.85 + 0.1*rand.Float64())))
	return max(time.Until(at), 100*time.Millisecond)
}
