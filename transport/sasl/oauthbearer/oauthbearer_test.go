package oauthbearer

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
)

const secretToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2VjcmV0LXNpZ25hdHVyZQ"

func source(tok core.Token) core.TokenSource {
	return func(context.Context) (core.Token, error) { return tok, nil }
}

func TestInitialResponseBytes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tok  core.Token
		want string
	}{
		{"plain", core.Token{Value: "abc.def.ghi"}, "n,,\x01auth=Bearer abc.def.ghi\x01\x01"},
		{"extensions in key order", core.Token{Value: "t0k=", Extensions: map[string]string{"logicalCluster": "lkc-1", "identityPoolId": "pool 2"}},
			"n,,\x01auth=Bearer t0k=\x01identityPoolId=pool 2\x01logicalCluster=lkc-1\x01\x01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := New(source(tt.tok)).Start(context.Background(), core.SASLConfig{})
			if err != nil {
				t.Fatal(err)
			}
			resp, done, err := s.Step(nil)
			if err != nil || done || string(resp) != tt.want {
				t.Fatalf("Step(nil) = %q, %v, %v; want %q", resp, done, err, tt.want)
			}
			resp, done, err = s.Step([]byte{})
			if err != nil || !done || resp != nil {
				t.Fatalf("Step(empty) = %q, %v, %v; want done", resp, done, err)
			}
		})
	}
}

func TestServerErrorChallenge(t *testing.T) {
	t.Parallel()
	exp := time.Now().Add(time.Hour)
	s, err := New(source(core.Token{Value: secretToken, Expiry: exp, Principal: "alice"})).Start(context.Background(), core.SASLConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.(core.SASLSessionExpiry).Expiry(); !got.Equal(exp) {
		t.Fatalf("Expiry = %v, want %v", got, exp)
	}
	s.Step(nil)
	resp, done, err := s.Step([]byte(`{"status":"invalid_token","scope":"kafka"}`))
	if string(resp) != "\x01" || done {
		t.Fatalf("response to the error = %q, done %v; want %%x01", resp, done)
	}
	var se *ServerError
	if !errors.As(err, &se) || se.Status != "invalid_token" || se.Scope != "kafka" {
		t.Fatalf("err = %v, want a ServerError invalid_token", err)
	}
	if !strings.Contains(err.Error(), `"alice"`) {
		t.Fatalf("err %q does not name the principal", err)
	}
	assertNoSecret(t, err, s)

	_, _, err = s.Step([]byte("garbage"))
	if err == nil {
		t.Fatal("a finished session accepted another step")
	}
}

func TestMalformedChallenge(t *testing.T) {
	t.Parallel()
	s, _ := New(source(core.Token{Value: secretToken})).Start(context.Background(), core.SASLConfig{})
	s.Step(nil)
	resp, _, err := s.Step([]byte("not json " + secretToken))
	if string(resp) != "\x01" || err == nil || !strings.Contains(err.Error(), "not an RFC 7628 error status") {
		t.Fatalf("Step = %q, %v", resp, err)
	}
	assertNoSecret(t, err, s)
}

func TestStartRejects(t *testing.T) {
	t.Parallel()
	past := time.Now().Add(-time.Minute)
	tests := []struct {
		name string
		m    *Mechanism
		want string
	}{
		{"no source", Default, "no token source"},
		{"source fails", New(func(context.Context) (core.Token, error) { return core.Token{}, errors.New("idp down") }), "idp down"},
		{"empty", New(source(core.Token{})), "empty token"},
		{"bearer prefix", New(source(core.Token{Value: "Bearer " + secretToken})), "b64token"},
		{"expired", New(source(core.Token{Value: secretToken, Expiry: past})), "expired at"},
		{"auth extension", New(source(core.Token{Value: secretToken, Extensions: map[string]string{"auth": "x"}})), `"auth"`},
		{"bad key", New(source(core.Token{Value: secretToken, Extensions: map[string]string{"a1": "x"}})), `"a1"`},
		{"bad value", New(source(core.Token{Value: secretToken, Extensions: map[string]string{"k": "\x01"}})), `"k"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.m.Start(context.Background(), core.SASLConfig{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			assertNoSecret(t, err, nil)
		})
	}
}

func TestUnsecuredToken(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 600_000_000)
	tok, err := unsecuredToken("admin", time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok.Value, ".")
	if len(parts) != 3 || parts[2] != "" {
		t.Fatalf("token %q is not header.claims.", tok.Value)
	}
	header, _ := base64.RawURLEncoding.DecodeString(parts[0])
	claims, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var c map[string]any
	if err := json.Unmarshal(claims, &c); err != nil {
		t.Fatal(err)
	}
	if string(header) != `{"alg":"none"}` || c["sub"] != "admin" || c["iat"] != float64(1_700_000_000) || c["exp"] != float64(1_700_003_600) {
		t.Fatalf("header %s claims %s", header, claims)
	}
	if tok.Principal != "admin" || !tok.Expiry.Equal(time.Unix(1_700_003_600, 0)) {
		t.Fatalf("token %+v", tok)
	}
	if _, err := New(UnsecuredTokenSource("admin", time.Minute)).Start(context.Background(), core.SASLConfig{}); err != nil {
		t.Fatal(err)
	}
	if _, err := UnsecuredToken("", time.Hour); err == nil {
		t.Fatal("UnsecuredToken accepted an empty principal")
	}
}

func TestRegistered(t *testing.T) {
	t.Parallel()
	if m, err := core.SASLMechanismByName("oauthbearer"); err != nil || m != core.SASLMechanism(Default) {
		t.Fatalf("SASLMechanismByName = %v, %v", m, err)
	}
}

func assertNoSecret(t *testing.T, err error, s core.SASLSession) {
	t.Helper()
	text := fmt.Sprint(err)
	if s != nil {
		text += fmt.Sprintf(" %v %+v %s", s, s, s)
	}
	if strings.Contains(text, secretToken) || strings.Contains(text, "c2VjcmV0LXNpZ25hdHVyZQ") {
		t.Fatalf("the token leaks: %s", text)
	}
}
