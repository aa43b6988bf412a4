package scram

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"encoding/base64"
	"errors"
	"fmt"
)

// gs2Header announces no channel binding and no authorization identity.
const gs2Header = "n,,"

// Bounds on the server's iteration count: RFC 7677 and Kafka require at
// least 4096; the broker stores at most 16384, and the upper bound stops a
// hostile server from making the client spin.
const (
	minIterations = 4096
	maxIterations = 1 << 16
)

type state int

const (
	sendFirst state = iota
	awaitServerFirst
	awaitServerFinal
	finished
)

// session is one SCRAM exchange. The password is dropped once the keys are
// derived.
type session struct {
	m           *Mechanism
	user, pass  string
	nonce       string
	state       state
	clientFirst string // client-first-message-bare
	serverSig   []byte
}

// String hides the credentials from fmt's %v of a session.
func (s *session) String() string { return "scram session (" + s.m.name + ") for " + s.user }

// Step produces client-first, then client-final, then checks server-final
// and reports done.
func (s *session) Step(challenge []byte) ([]byte, bool, error) {
	switch s.state {
	case sendFirst:
		s.clientFirst = "n=" + escapeName(s.user) + ",r=" + s.nonce
		s.state = awaitServerFirst
		return []byte(gs2Header + s.clientFirst), false, nil
	case awaitServerFirst:
		msg, err := s.clientFinal(challenge)
		if err != nil {
			s.state = finished
			return nil, false, err
		}
		s.state = awaitServerFinal
		return msg, false, nil
	case awaitServerFinal:
		s.state = finished
		if err := s.verify(challenge); err != nil {
			return nil, false, err
		}
		return nil, true, nil
	}
	return nil, false, errors.New("scram: session stepped after it finished; start a new one")
}

// clientFinal answers server-first with the client's proof.
func (s *session) clientFinal(challenge []byte) ([]byte, error) {
	sf, err := parseServerFirst(challenge)
	if err != nil {
		return nil, s.explain(err)
	}
	if len(sf.nonce) <= len(s.nonce) || sf.nonce[:len(s.nonce)] != s.nonce {
		return nil, errors.New("scram: the broker's nonce does not extend the client's; " +
			"the peer is not a conforming SCRAM server")
	}
	if sf.iterations < minIterations || sf.iterations > maxIterations {
		return nil, fmt.Errorf("scram: the broker asks for %d iterations, outside %d..%d; "+
			"recreate the credential with kafka-configs --add-config '%s=[iterations=8192,password=...]'",
			sf.iterations, minIterations, maxIterations, s.m.name)
	}
	salted, err := pbkdf2.Key(s.m.newHash, s.pass, sf.salt, sf.iterations, s.m.newHash().Size())
	if err != nil {
		return nil, fmt.Errorf("scram: deriving the salted password: %w", err)
	}
	s.pass = ""
	withoutProof := "c=" + base64.StdEncoding.EncodeToString([]byte(gs2Header)) + ",r=" + sf.nonce
	authMessage := []byte(s.clientFirst + "," + string(challenge) + "," + withoutProof)

	clientKey := s.mac(salted, []byte("Client Key"))
	h := s.m.newHash()
	h.Write(clientKey)
	storedKey := h.Sum(nil)
	proof := s.mac(storedKey, authMessage)
	for i := range proof {
		proof[i] ^= clientKey[i]
	}
	s.serverSig = s.mac(s.mac(salted, []byte("Server Key")), authMessage)
	return []byte(withoutProof + ",p=" + base64.StdEncoding.EncodeToString(proof)), nil
}

// verify checks the server's signature in server-final.
func (s *session) verify(challenge []byte) error {
	sig, err := parseServerFinal(challenge)
	if err != nil {
		return s.explain(err)
	}
	if !hmac.Equal(sig, s.serverSig) {
		return errors.New("scram: the broker's signature is wrong: it does not hold this user's " +
			"credential, so it may not be the broker you meant to reach")
	}
	return nil
}

func (s *session) mac(key, msg []byte) []byte {
	h := hmac.New(s.m.newHash, key)
	h.Write(msg)
	return h.Sum(nil)
}

// explain adds advice to a *ServerError.
func (s *session) explain(err error) error {
	var se *ServerError
	if errors.As(err, &se) {
		return se.explain(s.m.name, s.user)
	}
	return err
}
