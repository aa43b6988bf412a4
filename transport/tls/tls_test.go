package tls

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHandshake(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	tests := []struct {
		name       string
		opts       Options
		serverName string
		clientAuth tls.ClientAuthType
		wantErr    func(error) bool
		wantCerts  int
	}{
		{name: "trusted", opts: Options{CAFile: p.caFile}, serverName: "127.0.0.1"},
		{name: "trusted by name", opts: Options{CAFile: p.caFile}, serverName: "localhost"},
		{name: "untrusted CA", opts: Options{CAFile: p.otherCAFile}, serverName: "localhost", wantErr: isUnknownAuthority},
		{name: "host-name mismatch", opts: Options{CAFile: p.caFile}, serverName: "broker.example.com", wantErr: isHostname},
		{name: "mismatch allowed", opts: Options{CAFile: p.caFile, SkipHostnameVerification: true}, serverName: "broker.example.com"},
		{name: "mismatch allowed, CA still checked", opts: Options{CAFile: p.otherCAFile, SkipHostnameVerification: true},
			serverName: "localhost", wantErr: isUnknownAuthority},
		{name: "client certificate", opts: Options{CAFile: p.caFile, CertFile: p.clientCertFile, KeyFile: p.keyFile},
			serverName: "localhost", clientAuth: tls.RequireAndVerifyClientCert, wantCerts: 1},
		{name: "client certificate missing", opts: Options{CAFile: p.caFile}, serverName: "localhost",
			clientAuth: tls.RequireAndVerifyClientCert, wantErr: func(err error) bool { return strings.Contains(err.Error(), "certificate required") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := New(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.MinVersion != tls.VersionTLS12 {
				t.Errorf("MinVersion = %x, want TLS 1.2", cfg.MinVersion)
			}
			addr, presented := p.serve(t, tt.clientAuth)
			err = handshake(cfg, addr, tt.serverName)
			if tt.wantErr != nil {
				if err == nil || !tt.wantErr(err) {
					t.Fatalf("handshake: %v, want a different error", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("handshake: %v", err)
			}
			if n := <-presented; n != tt.wantCerts {
				t.Fatalf("client presented %d certificates, want %d", n, tt.wantCerts)
			}
		})
	}
}

func isUnknownAuthority(err error) bool {
	var e x509.UnknownAuthorityError
	return errors.As(err, &e)
}

func isHostname(err error) bool {
	var e x509.HostnameError
	return errors.As(err, &e)
}

func TestEncryptedKeys(t *testing.T) {
	t.Parallel()
	want, err := os.ReadFile("testdata/key.pem")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ file, password, wantErr string }{
		{"key.pem", "", ""},
		{"key-aes256-sha256.pem", "key-secret", ""},
		{"key-aes128-sha1.pem", "key-secret", ""},
		{"key-des3-sha512.pem", "key-secret", ""},
		{"key-legacy.pem", "key-secret", ""},
		{"key-aes256-sha256.pem", "", "is encrypted: set KeyPassword"},
		{"key-aes256-sha256.pem", "wrong-secret", "wrong ssl.key.password"},
		{"key-legacy.pem", "wrong-secret", "wrong ssl.key.password"},
		{"key-pbes1.pem", "key-secret", "not PBES2"},
		{"key-scrypt.pem", "key-secret", "scrypt is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.password, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseKey(data, tt.password)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if tt.password != "" && strings.Contains(err.Error(), tt.password) {
					t.Fatalf("error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.file != "key-legacy.pem" && string(got) != string(want) {
				t.Fatalf("decrypted key differs:\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	garbage := p.write(t, "garbage.jks", []byte("\xfe\xed\xfe\xed not PEM"))
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"missing CA file", Options{CAFile: filepath.Join(p.dir, "nope.pem")}, "reading the CA"},
		{"JKS truststore", Options{CAFile: garbage}, "only PEM is supported"},
		{"key without certificate", Options{KeyFile: p.keyFile}, "without its certificate"},
		{"certificate without key", Options{CertFile: p.clientCertFile}, "no PEM private key"},
		{"key of another certificate", Options{CertFile: p.clientCertFile, KeyFile: "testdata/key.pem"}, "do not make a pair"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := New(tt.opts); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestKeyInCertificateFile(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	cert, _ := os.ReadFile(p.clientCertFile)
	key, _ := os.ReadFile(p.keyFile)
	both := p.write(t, "keystore.pem", append(key, cert...))
	cfg, err := New(Options{CertFile: both})
	if err != nil || len(cfg.Certificates) != 1 {
		t.Fatalf("New = %v, %v", cfg, err)
	}
}
