package core

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"
)

// testCA issues certificates for the TLS tests.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return &testCA{c, key, pool}
}

// leaf issues a certificate for the given IPs and DNS names.
func (ca *testCA) leaf(t *testing.T, notAfter time.Time, ips []net.IP, names ...string) tls.Certificate {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "leaf"},
		NotBefore: time.Now().Add(-2 * time.Hour), NotAfter: notAfter, DNSNames: names, IPAddresses: ips,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// tlsServer accepts connections, completes the handshake and writes "k".
func tlsServer(t *testing.T, cfg *tls.Config) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				if c.(*tls.Conn).Handshake() == nil {
					c.Write([]byte("k"))
					c.Read(make([]byte, 1))
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func TestDialTLS(t *testing.T) {
	t.Parallel()
	ca, other := newTestCA(t), newTestCA(t)
	local := []net.IP{net.IPv4(127, 0, 0, 1)}
	good := ca.leaf(t, time.Now().Add(time.Hour), local)
	tests := []struct {
		name   string
		server *tls.Config
		client *tls.Config
		want   string // "" for success
	}{
		{"trusted, ServerName from the address", &tls.Config{Certificates: []tls.Certificate{good}},
			&tls.Config{RootCAs: ca.pool}, ""},
		{"untrusted", &tls.Config{Certificates: []tls.Certificate{good}},
			&tls.Config{RootCAs: other.pool}, "is not trusted by the configured CAs"},
		{"host-name mismatch", &tls.Config{Certificates: []tls.Certificate{ca.leaf(t, time.Now().Add(time.Hour), nil, "broker.example.com")}},
			&tls.Config{RootCAs: ca.pool}, `does not match the host name "127.0.0.1"`},
		{"expired", &tls.Config{Certificates: []tls.Certificate{ca.leaf(t, time.Now().Add(-time.Hour), local)}},
			&tls.Config{RootCAs: ca.pool}, "expired or not yet valid"},
		{"client certificate required", &tls.Config{Certificates: []tls.Certificate{good}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.pool},
			&tls.Config{RootCAs: ca.pool}, "requires a client certificate"},
		{"client certificate presented", &tls.Config{Certificates: []tls.Certificate{good}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.pool},
			&tls.Config{RootCAs: ca.pool, Certificates: []tls.Certificate{good}}, ""},
		{"client certificate untrusted", &tls.Config{Certificates: []tls.Certificate{good}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.pool},
			&tls.Config{RootCAs: ca.pool, Certificates: []tls.Certificate{other.leaf(t, time.Now().Add(time.Hour), local)}}, "rejected the client certificate"},
		{"TLS 1.2 server, TLS 1.3 client", &tls.Config{Certificates: []tls.Certificate{good}, MaxVersion: tls.VersionTLS12},
			&tls.Config{RootCAs: ca.pool, MinVersion: tls.VersionTLS13}, "no TLS version in common"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			addr := tlsServer(t, tt.server)
			err := dialAndRead(t, addr, tt.client)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "core: TLS with "+addr) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func dialAndRead(t *testing.T, addr string, cfg *tls.Config) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := dialTLS(ctx, nil, cfg, addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, ok := conn.(interface{ ConnectionState() tls.ConnectionState }); !ok {
		t.Errorf("%T hides ConnectionState", conn)
	}
	if cfg.ServerName != "" {
		t.Errorf("dialTLS modified the caller's config")
	}
	_, err = conn.Read(make([]byte, 1))
	return err
}

func TestDialTLSPlaintextPeer(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			c.Write([]byte("\x00\x00\x00\x10 not a TLS record at all"))
			time.Sleep(100 * time.Millisecond)
			c.Close()
		}
	}()
	_, err = dialTLS(context.Background(), TCP, nil, ln.Addr().String())
	if err == nil || !strings.Contains(err.Error(), "did not answer with TLS") {
		t.Fatalf("err = %v", err)
	}
	var header tls.RecordHeaderError
	if !errors.As(err, &header) {
		t.Fatalf("err %v does not wrap tls.RecordHeaderError", err)
	}
}

func TestDialTLSDialError(t *testing.T) {
	t.Parallel()
	failing := TransportFunc(func(context.Context, string, string) (net.Conn, error) { return nil, errors.New("no route") })
	if _, err := dialTLS(context.Background(), failing, nil, "b:9093"); err == nil || err.Error() != "no route" {
		t.Fatalf("err = %v, want the transport's error", err)
	}
}

func TestTLSClientConfigDefaults(t *testing.T) {
	t.Parallel()
	c := tlsClientConfig(nil, "broker-1.example.com:9093")
	if c.ServerName != "broker-1.example.com" || c.MinVersion != tls.VersionTLS12 || c.InsecureSkipVerify {
		t.Fatalf("config %+v", c)
	}
	c = tlsClientConfig(&tls.Config{ServerName: "lb.example.com", MinVersion: tls.VersionTLS13}, "[::1]:9093")
	if c.ServerName != "lb.example.com" || c.MinVersion != tls.VersionTLS13 {
		t.Fatalf("config %+v", c)
	}
	if c = tlsClientConfig(nil, "[::1]:9093"); c.ServerName != "::1" {
		t.Fatalf("ServerName = %q", c.ServerName)
	}
}

func TestTransportRegistry(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "tcp", "TCP"} {
		if tr, err := TransportByName(name); err != nil || tr != TCP {
			t.Errorf("TransportByName(%q) = %v, %v", name, tr, err)
		}
	}
	_, err := TransportByName("socks5")
	want := `core: transport "socks5" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/transport/socks5"?)`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	f := TransportFunc(func(context.Context, string, string) (net.Conn, error) { return nil, nil })
	RegisterTransport("test-transport-func", f)
	RegisterTransport("test-transport-func", f) // the same value again: fine
	if tr, err := TransportByName("Test-Transport-Func"); err != nil || tr == nil {
		t.Fatalf("TransportByName = %v, %v", tr, err)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("registering a different transport under a taken name did not panic")
		}
	}()
	RegisterTransport("tcp", &net.Dialer{})
}
