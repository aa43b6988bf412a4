package tls

import (
	"net"
	"path/filepath"
	"testing"

	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// TestRealBroker handshakes with the SSL listener of the broker that
// scripts/kafka runs, whose certificate is signed by KAFKA3_TLS_CA.
func TestRealBroker(t *testing.T) {
	addr := kafkatest.ListenerBrokers(t, kafkatest.SSL)[0]
	ca := kafkatest.Env(t, "KAFKA3_TLS_CA")
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		opts    Options
		wantErr func(error) bool
	}{
		{"trusted CA", Options{CAFile: ca}, nil},
		{"with client certificate", Options{CAFile: ca,
			CertFile: kafkatest.Env(t, "KAFKA3_TLS_CLIENT_CERT"), KeyFile: kafkatest.Env(t, "KAFKA3_TLS_CLIENT_KEY")}, nil},
		{"other CA", Options{CAFile: filepath.Join(filepath.Dir(ca), "other-ca.pem")}, isUnknownAuthority},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := New(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			err = handshakeOnly(cfg, addr, host)
			if tt.wantErr == nil && err != nil {
				t.Fatalf("handshake with %s: %v", addr, err)
			}
			if tt.wantErr != nil && (err == nil || !tt.wantErr(err)) {
				t.Fatalf("handshake with %s: %v, want a different error", addr, err)
			}
		})
	}
}
