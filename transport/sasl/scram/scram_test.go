package scram

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strings"
	"testing"

	"github.com/kafka3/kafka3-go/core"
)

// withNonce returns a copy of m whose sessions use nonce.
func withNonce(m *Mechanism, nonce string) *Mechanism {
	c := *m
	c.nonce = func() (string, error) { return nonce, nil }
	return &c
}

func step(t *testing.T, s core.SASLSession, challenge string) (string, bool) {
	t.Helper()
	resp, done, err := s.Step([]byte(challenge))
	if err != nil {
		t.Fatalf("Step(%q): %v", challenge, err)
	}
	return string(resp), done
}

// TestRFC7677Vector reproduces the SCRAM-SHA-256 exchange of RFC 7677 section 3.
func TestRFC7677Vector(t *testing.T) {
	t.Parallel()
	m := withNonce(SHA256, "rOprNGfwEbeRWgbNEkqO")
	s, err := m.Start(context.Background(), core.SASLConfig{Username: "user", Password: "pencil"})
	if err != nil {
		t.Fatal(err)
	}
	resp, _, err := s.Step(nil)
	if err != nil || string(resp) != "n,,n=user,r=rOprNGfwEbeRWgbNEkqO" {
		t.Fatalf("client-first = %q, %v", resp, err)
	}
	got, done := step(t, s, "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
	want := "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
	if got != want || done {
		t.Fatalf("client-final = %q, done %v; want %q", got, done, want)
	}
	got, done = step(t, s, "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
	if got != "" || !done {
		t.Fatalf("after server-final: %q, done %v; want nothing more and done", got, done)
	}
	if _, _, err := s.Step(nil); err == nil {
		t.Fatal("a finished session accepted another step")
	}
}

func TestWrongServerSignature(t *testing.T) {
	t.Parallel()
	s, _ := withNonce(SHA256, "rOprNGfwEbeRWgbNEkqO").Start(context.Background(), core.SASLConfig{Username: "user", Password: "pencil"})
	step(t, s, "")
	step(t, s, "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
	_, done, err := s.Step([]byte("v=" + base64.StdEncoding.EncodeToString(make([]byte, 32))))
	if err == nil || done || !strings.Contains(err.Error(), "signature is wrong") {
		t.Fatalf("Step = done %v, %v; want a signature error", done, err)
	}
}

// server is a minimal SCRAM server holding one credential.
type server struct {
	newHash              func() hash.Hash
	user                 string
	salt                 []byte
	iterations           int
	storedKey, serverKey []byte
	clientFirstBare      string
	serverFirst          string
}

func newServer(newHash func() hash.Hash, user, password string, iterations int) *server {
	s := &server{newHash: newHash, user: user, salt: []byte("NaCl-and-pepper"), iterations: iterations}
	salted, _ := pbkdf2.Key(newHash, password, s.salt, iterations, newHash().Size())
	clientKey := s.mac(salted, "Client Key")
	h := newHash()
	h.Write(clientKey)
	s.storedKey = h.Sum(nil)
	s.serverKey = s.mac(salted, "Server Key")
	return s
}

func (s *server) mac(key []byte, msg string) []byte {
	h := hmac.New(s.newHash, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

func (s *server) first(msg string) (string, error) {
	bare, ok := strings.CutPrefix(msg, "n,,")
	if !ok {
		return "", errors.New("no gs2 header")
	}
	attrs := strings.Split(bare, ",")
	if len(attrs) != 2 || attrs[0] != "n="+escapeName(s.user) {
		return "e=unknown-user", nil
	}
	s.clientFirstBare = bare
	s.serverFirst = fmt.Sprintf("%s-server-nonce,s=%s,i=%d", attrs[1], base64.StdEncoding.EncodeToString(s.salt), s.iterations)
	return s.serverFirst, nil
}

func (s *server) final(msg string) string {
	withoutProof, proofB64, ok := strings.Cut(msg, ",p=")
	if !ok {
		return "e=invalid-encoding"
	}
	proof, _ := base64.StdEncoding.DecodeString(proofB64)
	auth := s.clientFirstBare + "," + s.serverFirst + "," + withoutProof
	sig := s.mac(s.storedKey, auth)
	if len(proof) != len(sig) {
		return "e=invalid-proof"
	}
	for i := range sig {
		sig[i] ^= proof[i]
	}
	h := s.newHash()
	h.Write(sig)
	if !bytes.Equal(h.Sum(nil), s.storedKey) {
		return "e=invalid-proof"
	}
	return "v=" + base64.StdEncoding.EncodeToString(s.mac(s.serverKey, auth))
}

// exchange runs a whole authentication of cfg against srv.
func exchange(m *Mechanism, srv *server, cfg core.SASLConfig) error {
	s, err := m.Start(context.Background(), cfg)
	if err != nil {
		return err
	}
	first, _, err := s.Step(nil)
	if err != nil {
		return err
	}
	sf, err := srv.first(string(first))
	if err != nil {
		return err
	}
	final, _, err := s.Step([]byte(sf))
	if err != nil {
		return err
	}
	resp, done, err := s.Step([]byte(srv.final(string(final))))
	if err == nil && (!done || resp != nil) {
		return fmt.Errorf("after server-final: done %v, response %q", done, resp)
	}
	return err
}

func TestRoundTripSHA512(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, user, password, tryPassword string
		wantErr                           string
	}{
		{"ok", "alice", "alice-secret", "alice-secret", ""},
		{"escaped name", "a,b=c", "pässwörd ✓", "pässwörd ✓", ""},
		{"wrong password", "alice", "alice-secret", "not-the-secret", "wrong password for user \"alice\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(SHA512.newHash, tt.user, tt.password, 4096)
			err := exchange(SHA512, srv, core.SASLConfig{Username: tt.user, Password: tt.tryPassword})
			if tt.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				var se *ServerError
				if !errors.As(err, &se) || se.Value != "invalid-proof" {
					t.Fatalf("err %v does not wrap ServerError invalid-proof", err)
				}
				if strings.Contains(err.Error(), tt.tryPassword) {
					t.Fatalf("error reveals the password: %v", err)
				}
			}
		})
	}
}

func TestEscapeName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"user": "user", "a,b": "a=2Cb", "a=b": "a=3Db", "=,": "=3D=2C"} {
		if got := escapeName(in); got != want {
			t.Errorf("escapeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBadServerFirst(t *testing.T) {
	t.Parallel()
	const secret = "hunter2-secret"
	tests := []struct{ name, msg, want string }{
		{"foreign nonce", "r=other-nonce,s=c2FsdA==,i=4096", "does not extend"},
		{"same nonce", "r=cnonce,s=c2FsdA==,i=4096", "does not extend"},
		{"few iterations", "r=cnonce+s,s=c2FsdA==,i=1000", "1000 iterations"},
		{"many iterations", "r=cnonce+s,s=c2FsdA==,i=100000000", "100000000 iterations"},
		{"bad salt", "r=cnonce+s,s=***,i=4096", "salt"},
		{"empty salt", "r=cnonce+s,s=,i=4096", "salt"},
		{"bad count", "r=cnonce+s,s=c2FsdA==,i=x", "iteration count"},
		{"mandatory ext", "m=x,r=cnonce+s,s=c2FsdA==,i=4096", "extension"},
		{"short", "r=cnonce+s", "attributes"},
		{"error", "e=unknown-user", "no SCRAM-SHA-256 credential for user"},
		{"disorder", "s=c2FsdA==,r=cnonce+s,i=4096", "r=, s=, i="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := withNonce(SHA256, "cnonce").Start(context.Background(), core.SASLConfig{Username: "u", Password: secret})
			s.Step(nil)
			_, _, err := s.Step([]byte(tt.msg))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(fmt.Sprintf("%v %+v", s, s), secret) {
				t.Fatalf("the password leaks: %v", err)
			}
		})
	}
}

func TestStartRejects(t *testing.T) {
	t.Parallel()
	for _, cfg := range []core.SASLConfig{{Password: "p"}, {Username: "u"}, {Username: "u", Password: "\xff"}} {
		if _, err := SHA256.Start(context.Background(), cfg); err == nil {
			t.Errorf("Start(%+v) succeeded", cfg)
		}
	}
}

func TestRegistered(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"SCRAM-SHA-256", "scram-sha-512"} {
		if m, err := core.SASLMechanismByName(name); err != nil || !strings.EqualFold(m.Name(), name) {
			t.Errorf("SASLMechanismByName(%q) = %v, %v", name, m, err)
		}
	}
}

func TestNonceIsRandomAndPrintable(t *testing.T) {
	t.Parallel()
	a, _ := randomNonce()
	b, _ := randomNonce()
	if a == b || !printable(a) || len(a) < 24 {
		t.Fatalf("nonces %q, %q", a, b)
	}
}
