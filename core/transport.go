package core

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/registry"
)

// Transport dials brokers: it returns a connected byte stream to addr
// (host:port) on network ("tcp"). Plain TCP is built in (TCP) so that a
// program importing only core can connect; plugins add others, such as a
// proxy dialer, and register them with RegisterTransport.
//
// TLS is not a Transport: for the SSL and SASL_SSL security protocols the
// client wraps whatever the Transport dialled in crypto/tls using Config.TLS,
// so a proxy transport and TLS combine. A *net.Dialer is a Transport.
//
// Implementations must be safe for concurrent use and must honour ctx's
// deadline and cancellation while dialling.
type Transport interface {
	DialContext(ctx context.Context, network, addr string) (net.Conn, error)
}

// TransportFunc adapts a function to the Transport interface, as
// http.HandlerFunc does for handlers.
type TransportFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// DialContext calls f.
func (f TransportFunc) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return f(ctx, network, addr)
}

// TCP is the built-in transport and the default: a net.Dialer with TCP
// keep-alive every 30s (the dial itself is bounded by the context, which
// the client derives from Config.ConnectTimeout). It is registered as "tcp".
// Safe for concurrent use; do not modify it, make your own net.Dialer.
var TCP Transport = &net.Dialer{KeepAlive: 30 * time.Second}

// transportRegistry holds the registered transports by name.
var transportRegistry = registry.New[Transport]("transport", "github.com/kafka3/kafka3-go/transport/%s")

func init() { transportRegistry.Register("tcp", TCP) }

// RegisterTransport makes t available under name (lower case, such as
// "socks5") to TransportByName, for configurations that choose a transport
// by name. Plugins call it from init. Registering a different transport
// under a name already taken panics, naming both; registering the same one
// again is a no-op. Safe for concurrent use.
func RegisterTransport(name string, t Transport) {
	if t == nil {
		panic(fmt.Sprintf("core: RegisterTransport(%q) called with a nil transport", name))
	}
	transportRegistry.Register(strings.ToLower(name), t)
}

// TransportByName returns the transport registered under name (case
// insensitive). "" and "tcp" return TCP. An unknown name returns an error
// naming the import most likely forgotten, such as
//
//	core: transport "socks5" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/transport/socks5"?)
//
// It takes no lock and is safe for concurrent use.
func TransportByName(name string) (Transport, error) {
	if name == "" {
		return TCP, nil
	}
	return transportRegistry.Get(strings.ToLower(name))
}

// Transports lists the names of the registered transports, sorted.
func Transports() []string { return transportRegistry.Names() }

// dialTLS dials addr through t and performs a TLS client handshake on the
// connection with a copy of cfg (nil means the system's roots). It is what
// the SSL and SASL_SSL security protocols use.
//
// Defaults applied to the copy: ServerName is the host of addr when unset,
// so SNI is sent and the certificate is verified against the broker's
// host name; MinVersion is TLS 1.2 when unset. Handshake failures come back
// as errors that say which side is wrong and what to configure (see
// tlsError); they wrap the crypto/tls and crypto/x509 errors for errors.As.
//
// The returned conn embeds the *tls.Conn (ConnectionState is available);
// its Read also explains a TLS 1.3 broker's late rejection of the client
// certificate, which arrives after the handshake returned.
func dialTLS(ctx context.Context, t Transport, cfg *tls.Config, addr string) (net.Conn, error) {
	if t == nil {
		t = TCP
	}
	raw, err := t.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	conn := tls.Client(raw, tlsClientConfig(cfg, addr))
	if err := conn.HandshakeContext(ctx); err != nil {
		_ = raw.Close()
		return nil, tlsError(addr, err)
	}
	return &tlsConn{Conn: conn, addr: addr}, nil
}

// tlsClientConfig returns a copy of cfg with the defaults dialTLS documents.
func tlsClientConfig(cfg *tls.Config, addr string) *tls.Config {
	var c *tls.Config
	if cfg == nil {
		c = &tls.Config{}
	} else {
		c = cfg.Clone()
	}
	if c.ServerName == "" {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			host = addr
		}
		c.ServerName = host
	}
	if c.MinVersion == 0 {
		c.MinVersion = tls.VersionTLS12
	}
	return c
}

// tlsConn is a client TLS connection whose Read explains alerts from the
// broker (a TLS 1.3 server verifies the client certificate after the
// client's handshake has returned, so a rejection shows on the first read).
type tlsConn struct {
	*tls.Conn
	addr string
}

func (c *tlsConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil {
		if e := remoteAlertError(c.addr, err); e != nil {
			err = e
		}
	}
	return n, err
}

// tlsError turns a handshake error into one that says what to do. The
// result wraps err.
func tlsError(addr string, err error) error {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		header    tls.RecordHeaderError
	)
	if errors.As(err, &unknownCA) || errors.As(err, &hostname) || errors.As(err, &invalid) {
		// The broker's certificate is refused: like a wrong password, trying
		// again cannot help, so it is an authentication failure.
		return &authError{tlsVerifyError(addr, err)}
	}
	if errors.As(err, &header) {
		return fmt.Errorf("core: TLS with %s: the broker did not answer with TLS (%w); "+
			"is it a PLAINTEXT or SASL_PLAINTEXT listener? check security.protocol and the port", addr, err)
	}
	if e := remoteAlertError(addr, err); e != nil {
		return e
	}
	return fmt.Errorf("core: TLS handshake with %s: %w", addr, err)
}

// tlsVerifyError explains why the broker's certificate was refused.
func tlsVerifyError(addr string, err error) error {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &unknownCA):
		return fmt.Errorf("core: TLS with %s: the broker's certificate is not trusted by the configured CAs (%w); "+
			"set Config.TLS.RootCAs / ssl.truststore.location to the CA that signed it", addr, err)
	case errors.As(err, &hostname):
		return fmt.Errorf("core: TLS with %s: the broker's certificate does not match the host name %q (%w); "+
			"connect with a name the certificate lists or set Config.TLS.ServerName "+
			"(ssl.endpoint.identification.algorithm=\"\" turns the check off, which is unsafe)", addr, hostname.Host, err)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return fmt.Errorf("core: TLS with %s: the broker's certificate is expired or not yet valid (%w); "+
			"renew it, or check this machine's clock", addr, err)
	}
	return fmt.Errorf("core: TLS with %s: the broker's certificate is not valid for a TLS server (%w)", addr, err)
}

// remoteAlertError explains a TLS alert sent by the broker, or returns nil
// when err is not one. crypto/tls reports a received alert as a *net.OpError
// with Op "remote error" whose text names the alert.
func remoteAlertError(addr string, err error) error {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "remote error" {
		return nil
	}
	msg := op.Err.Error()
	switch {
	case strings.Contains(msg, "certificate required"):
		return fmt.Errorf("core: TLS with %s: the broker requires a client certificate (%w); "+
			"set Config.TLS.Certificates / ssl.keystore.location", addr, err)
	case strings.Contains(msg, "certificate"): // bad, unsupported, revoked, expired, unknown CA
		return fmt.Errorf("core: TLS with %s: the broker rejected the client certificate (%w); "+
			"use one signed by a CA in the broker's ssl.truststore", addr, err)
	case strings.Contains(msg, "protocol version"):
		return fmt.Errorf("core: TLS with %s: no TLS version in common (%w); "+
			"this client needs TLS 1.2 or later unless Config.TLS.MinVersion says otherwise", addr, err)
	case strings.Contains(msg, "handshake failure"), strings.Contains(msg, "insufficient security"):
		return fmt.Errorf("core: TLS with %s: the broker refused the handshake (%w); "+
			"check ssl.cipher.suites and ssl.enabled.protocols on both sides", addr, err)
	}
	return fmt.Errorf("core: TLS with %s: the broker sent an alert (%w)", addr, err)
}
