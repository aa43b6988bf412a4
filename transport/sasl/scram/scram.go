package scram

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"unicode/utf8"

	"github.com/kafka3/kafka3-go/core"
)

// Mechanism is one SCRAM mechanism. Its values are SHA256 and SHA512; both
// are stateless, safe for concurrent use and registered with core from init.
type Mechanism struct {
	name    string
	newHash func() hash.Hash
	nonce   func() (string, error) // replaced by tests
}

// The two SCRAM mechanisms Kafka supports.
var (
	SHA256 = &Mechanism{name: "SCRAM-SHA-256", newHash: sha256.New, nonce: randomNonce}
	SHA512 = &Mechanism{name: "SCRAM-SHA-512", newHash: sha512.New, nonce: randomNonce}
)

func init() {
	core.RegisterSASLMechanism(SHA256)
	core.RegisterSASLMechanism(SHA512)
}

// Name returns "SCRAM-SHA-256" or "SCRAM-SHA-512".
func (m *Mechanism) Name() string { return m.name }

// Start checks Username and Password of cfg and returns a session whose
// first step sends the client-first message. ctx is unused.
func (m *Mechanism) Start(_ context.Context, cfg core.SASLConfig) (core.SASLSession, error) {
	switch {
	case cfg.Username == "":
		return nil, errors.New("scram: SASL.Username (sasl.username) is empty")
	case cfg.Password == "":
		return nil, errors.New("scram: SASL.Password (sasl.password) is empty")
	case !utf8.ValidString(cfg.Username):
		return nil, errors.New("scram: SASL.Username is not valid UTF-8")
	case !utf8.ValidString(cfg.Password):
		return nil, errors.New("scram: SASL.Password is not valid UTF-8")
	}
	nonce, err := m.nonce()
	if err != nil {
		return nil, fmt.Errorf("scram: making a nonce: %w", err)
	}
	return &session{m: m, user: cfg.Username, pass: cfg.Password, nonce: nonce}, nil
}

// randomNonce returns 24 random bytes in base64: printable, without ','.
func randomNonce() (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b[:]), nil
}
