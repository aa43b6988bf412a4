package tls

import (
	"crypto/tls"
	"os"
	"strings"
	"testing"
)

func TestFromProperties(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	ca, _ := os.ReadFile(p.caFile)
	tests := []struct {
		name  string
		props map[string]string
		check func(*tls.Config) bool
	}{
		{"java", map[string]string{"bootstrap.servers": "b:9093", "ssl.truststore.location": p.caFile, "ssl.truststore.type": "PEM",
			"ssl.keystore.location": p.clientCertFile, "ssl.keystore.key": mustRead(t, p.keyFile), "ssl.endpoint.identification.algorithm": "https"},
			func(c *tls.Config) bool { return c.RootCAs != nil && len(c.Certificates) == 1 && !c.InsecureSkipVerify }},
		{"python", map[string]string{"ssl_cafile": p.caFile, "ssl_certfile": p.clientCertFile, "ssl_keyfile": p.keyFile, "ssl_check_hostname": "False"},
			func(c *tls.Config) bool {
				return len(c.Certificates) == 1 && c.InsecureSkipVerify && c.VerifyConnection != nil
			}},
		{"inline CA, no host-name check", map[string]string{"ssl.truststore.certificates": string(ca), "ssl.endpoint.identification.algorithm": ""},
			func(c *tls.Config) bool { return c.RootCAs != nil && c.InsecureSkipVerify && c.VerifyConnection != nil }},
		{"protocols and suites", map[string]string{"ssl.enabled.protocols": "TLSv1.3, TLSv1.2", "ssl.protocol": "TLSv1.3",
			"ssl.cipher.suites": "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
			func(c *tls.Config) bool {
				return c.MinVersion == tls.VersionTLS12 && c.MaxVersion == tls.VersionTLS13 &&
					len(c.CipherSuites) == 1 && c.CipherSuites[0] == tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
			}},
		{"nothing", map[string]string{"linger.ms": "5"},
			func(c *tls.Config) bool {
				return c.RootCAs == nil && c.MinVersion == tls.VersionTLS12 && !c.InsecureSkipVerify
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := FromProperties(tt.props)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(cfg) {
				t.Fatalf("config %+v", cfg)
			}
		})
	}
}

func TestFromPropertiesErrors(t *testing.T) {
	t.Parallel()
	_, err := FromProperties(map[string]string{
		"ssl.truststore.type": "JKS", "ssl_crlfile": "crl.pem", "ssl.enabled.protocols": "TLSv1.1",
		"ssl.cipher.suites": "ECDHE+AESGCM", "ssl_check_hostname": "maybe", "ssl.endpoint.identification.algorithm": "ldap",
		"ssl.key.password": "very-secret-password",
	})
	if err == nil {
		t.Fatal("FromProperties accepted bad properties")
	}
	for _, want := range []string{"ssl.truststore.type=JKS", "ssl_crlfile is not supported", "TLSv1.1", "ECDHE+AESGCM", "maybe", "ldap"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "very-secret-password") {
		t.Errorf("error shows the key password: %v", err)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
