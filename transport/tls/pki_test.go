package tls

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// pki is a throw-away set of CAs and certificates written as PEM files.
type pki struct {
	dir                     string
	caFile, otherCAFile     string
	serverCert              tls.Certificate
	clientCertFile, keyFile string
	caPool                  *x509.CertPool
}

type issuer struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func newPKI(t *testing.T) *pki {
	t.Helper()
	p := &pki{dir: t.TempDir()}
	ca := makeCA(t, "kafka3 test CA")
	other := makeCA(t, "some other CA")
	p.caFile = p.write(t, "ca.pem", certPEM(ca.cert))
	p.otherCAFile = p.write(t, "other-ca.pem", certPEM(other.cert))
	p.caPool = x509.NewCertPool()
	p.caPool.AddCert(ca.cert)

	srv, srvKey := makeLeaf(t, ca, "broker", x509.ExtKeyUsageServerAuth)
	p.serverCert = tls.Certificate{Certificate: [][]byte{srv.Raw}, PrivateKey: srvKey}

	cli, cliKey := makeLeaf(t, ca, "client", x509.ExtKeyUsageClientAuth)
	der, err := x509.MarshalPKCS8PrivateKey(cliKey)
	if err != nil {
		t.Fatal(err)
	}
	p.clientCertFile = p.write(t, "client.pem", certPEM(cli))
	p.keyFile = p.write(t, "client-key.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	return p
}

func (p *pki) write(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

var serial atomic.Int64

func template(cn string) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber: big.NewInt(serial.Add(1)),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
}

func makeCA(t *testing.T, cn string) issuer {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := template(cn)
	tpl.IsCA, tpl.BasicConstraintsValid = true, true
	tpl.KeyUsage = x509.KeyUsageCertSign
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return issuer{c, key}
}

// makeLeaf issues a certificate for localhost and 127.0.0.1.
func makeLeaf(t *testing.T, ca issuer, cn string, usage x509.ExtKeyUsage) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tpl := template(cn)
	tpl.DNSNames = []string{"localhost"}
	tpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	tpl.KeyUsage = x509.KeyUsageDigitalSignature
	tpl.ExtKeyUsage = []x509.ExtKeyUsage{usage}
	der, err := x509.CreateCertificate(rand.Reader, tpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c, key
}

// serve runs a TLS server for one connection and reports how many
// certificates the client presented (or -1 when the handshake failed).
func (p *pki) serve(t *testing.T, clientAuth tls.ClientAuthType) (addr string, presented <-chan int) {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{p.serverCert}, ClientAuth: clientAuth, ClientCAs: p.caPool,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ch := make(chan int, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			ch <- -1
			return
		}
		defer c.Close()
		tc := c.(*tls.Conn)
		tc.SetDeadline(time.Now().Add(5 * time.Second))
		if err := tc.Handshake(); err != nil {
			ch <- -1
			return
		}
		ch <- len(tc.ConnectionState().PeerCertificates)
		tc.Write([]byte("k"))
	}()
	return ln.Addr().String(), ch
}

// handshake connects to addr as core does, with ServerName serverName
// unless cfg sets one, then reads one byte.
func handshake(cfg *tls.Config, addr, serverName string) error {
	return dial(cfg, addr, serverName, true)
}

// handshakeOnly is handshake without the read.
func handshakeOnly(cfg *tls.Config, addr, serverName string) error {
	return dial(cfg, addr, serverName, false)
}

func dial(cfg *tls.Config, addr, serverName string, read bool) error {
	c := cfg.Clone()
	if c.ServerName == "" {
		c.ServerName = serverName
	}
	raw, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetDeadline(time.Now().Add(5 * time.Second))
	conn := tls.Client(raw, c)
	if err := conn.Handshake(); err != nil || !read {
		return err
	}
	_, err = conn.Read(make([]byte, 1))
	return err
}
