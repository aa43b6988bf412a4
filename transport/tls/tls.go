package tls

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

// Options says where the certificates and the key are. The zero value means
// the system's CAs, no client certificate, and host-name verification.
type Options struct {
	// CAFile is a PEM file of the CA certificates that sign the brokers'
	// certificates (ssl.truststore.location, ssl_cafile). CAPEM is the same
	// inline (ssl.truststore.certificates). Both empty: the system's roots.
	CAFile string
	CAPEM  []byte

	// CertFile is a PEM file with the client certificate and its chain,
	// for brokers with ssl.client.auth (ssl.keystore.location, ssl_certfile).
	// KeyFile holds its private key (ssl_keyfile); empty means the key is in
	// CertFile, as in a Java PEM keystore. CertPEM and KeyPEM are the same
	// inline (ssl.keystore.certificate.chain, ssl.keystore.key).
	CertFile, KeyFile string
	CertPEM, KeyPEM   []byte

	// KeyPassword decrypts an encrypted private key (ssl.key.password,
	// ssl_password): PKCS#8 "ENCRYPTED PRIVATE KEY" with PBES2 (PBKDF2,
	// AES-CBC or 3DES-CBC), or legacy OpenSSL PEM encryption. Never logged.
	KeyPassword string

	// SkipHostnameVerification still verifies the broker's certificate
	// chain but not that it names the broker's host
	// (ssl.endpoint.identification.algorithm="", ssl_check_hostname=false).
	// Default false. Unsafe: any certificate the CAs signed will pass.
	SkipHostnameVerification bool
}

// New returns a TLS client config built from o, with MinVersion TLS 1.2.
// It reads the files once; the result may be shared by any number of
// connections and is safe for concurrent use once built.
func New(o Options) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if err := loadCAs(cfg, o); err != nil {
		return nil, err
	}
	if err := loadCertificate(cfg, o); err != nil {
		return nil, err
	}
	if o.SkipHostnameVerification {
		verifyChainOnly(cfg)
	}
	return cfg, nil
}

func loadCAs(cfg *tls.Config, o Options) error {
	data, src, err := read(o.CAFile, o.CAPEM, "CA")
	if err != nil || data == nil {
		return err
	}
	pool := x509.NewCertPool()
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return fmt.Errorf("tls: %s: a certificate does not parse: %w", src, err)
		}
		pool.AddCert(c)
	}
	if len(pool.Subjects()) == 0 { //nolint:staticcheck // the pool is ours, not the system's
		return fmt.Errorf("tls: %s has no PEM certificate; %s", src, notPEM)
	}
	cfg.RootCAs = pool
	return nil
}

func loadCertificate(cfg *tls.Config, o Options) error {
	certPEM, src, err := read(o.CertFile, o.CertPEM, "client certificate")
	if err != nil {
		return err
	}
	keyPEM, keySrc, err := read(o.KeyFile, o.KeyPEM, "client key")
	if err != nil {
		return err
	}
	if certPEM == nil {
		if keyPEM != nil {
			return errors.New("tls: a client key is configured without its certificate (ssl_certfile / ssl.keystore.location)")
		}
		return nil
	}
	if keyPEM == nil {
		keyPEM, keySrc = certPEM, src
	}
	key, err := parseKey(keyPEM, o.KeyPassword)
	if err != nil {
		return fmt.Errorf("tls: %s: %w", keySrc, err)
	}
	var chain []byte
	for rest := certPEM; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			chain = append(chain, pem.EncodeToMemory(b)...)
		}
	}
	if chain == nil {
		return fmt.Errorf("tls: %s has no PEM certificate; %s", src, notPEM)
	}
	pair, err := tls.X509KeyPair(chain, key)
	if err != nil {
		return fmt.Errorf("tls: the client certificate in %s and the key in %s do not make a pair: %w", src, keySrc, err)
	}
	cfg.Certificates = []tls.Certificate{pair}
	return nil
}

const notPEM = "only PEM is supported: convert a JKS or PKCS#12 store with " +
	"`keytool -importkeystore -deststoretype PKCS12` and `openssl pkcs12 -nodes`"

// read returns the inline bytes, or the file's; nil when neither is set.
func read(file string, inline []byte, what string) ([]byte, string, error) {
	if inline != nil {
		return inline, "the inline " + what, nil
	}
	if file == "" {
		return nil, "", nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, "", fmt.Errorf("tls: reading the %s: %w", what, err)
	}
	return data, file, nil
}

// verifyChainOnly turns off crypto/tls's verification, which includes the
// host name, and verifies the chain alone in VerifyConnection.
func verifyChainOnly(cfg *tls.Config) {
	roots := cfg.RootCAs
	cfg.InsecureSkipVerify = true
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("tls: the broker sent no certificate")
		}
		inter := x509.NewCertPool()
		for _, c := range cs.PeerCertificates[1:] {
			inter.AddCert(c)
		}
		_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{
			Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		})
		return err
	}
}
