package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// writeCerts makes, once, a CA and two leaf certificates signed by it in dir:
//
//	ca.pem, ca-key.pem          the test CA (the broker's and clients' trust store)
//	broker.pem                  PKCS#8 key + certificate for 127.0.0.1/localhost (Kafka's PEM keystore)
//	client.pem, client-key.pem  a client certificate for mutual TLS (CN=client)
//	other-ca.pem                an unrelated CA, for tests of an untrusted broker certificate
func writeCerts(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "client-key.pem")); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	ca, caKey, err := newCert("kafka3-go test CA", nil, nil, true)
	if err != nil {
		return err
	}
	broker, brokerKey, err := newCert("127.0.0.1", ca, caKey, false)
	if err != nil {
		return err
	}
	client, clientKey, err := newCert("client", ca, caKey, false)
	if err != nil {
		return err
	}
	other, _, err := newCert("unrelated CA", nil, nil, true)
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"ca.pem":         certPEM(ca),
		"ca-key.pem":     keyPEM(caKey),
		"broker.pem":     append(keyPEM(brokerKey), append(certPEM(broker), certPEM(ca)...)...),
		"client.pem":     certPEM(client),
		"client-key.pem": keyPEM(clientKey),
		"other-ca.pem":   certPEM(other),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func newCert(cn string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, isCA bool) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"kafka3-go tests"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(5 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if isCA {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	} else {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
		tmpl.DNSNames = []string{"localhost"}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")}
	}
	signer, signerKey := tmpl, key
	if parent != nil {
		signer, signerKey = parent, parentKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		return nil, nil, fmt.Errorf("certificate %q: %w", cn, err)
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func keyPEM(k *ecdsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		panic(err) // cannot happen for a freshly generated P-256 key
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}
