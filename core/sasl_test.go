package core

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// scriptMechanism answers a fixed script of steps.
type scriptMechanism struct {
	name  string
	steps []scriptStep
}

type scriptStep struct {
	wantChallenge string
	resp          []byte
	done          bool
	err           error
}

func (m *scriptMechanism) Name() string { return m.name }

func (m *scriptMechanism) Start(context.Context, SASLConfig) (SASLSession, error) {
	return &scriptSession{steps: m.steps}, nil
}

type scriptSession struct {
	steps []scriptStep
	i     int
}

func (s *scriptSession) Step(challenge []byte) ([]byte, bool, error) {
	st := s.steps[s.i]
	s.i++
	if string(challenge) != st.wantChallenge {
		return nil, false, errors.New("unexpected challenge " + string(challenge))
	}
	return st.resp, st.done, st.err
}

func TestRunSASL(t *testing.T) {
	t.Parallel()
	bad := errors.New("mechanism says no")
	tests := []struct {
		name    string
		steps   []scriptStep
		answers []string // the server's answer to each message sent
		sent    []string
		wantErr error
	}{
		{"one message, done with it", []scriptStep{{"", []byte("m1"), true, nil}}, []string{""}, []string{"m1"}, nil},
		{"three steps, last verifies", []scriptStep{{"", []byte("m1"), false, nil}, {"s1", []byte("m2"), false, nil}, {"s2", nil, true, nil}},
			[]string{"s1", "s2"}, []string{"m1", "m2"}, nil},
		{"error with a courtesy message", []scriptStep{{"", []byte("m1"), false, nil}, {"s1", []byte("\x01"), false, bad}},
			[]string{"s1", "ignored"}, []string{"m1", "\x01"}, bad},
		{"error without message", []scriptStep{{"", []byte("m1"), false, nil}, {"s1", nil, false, bad}},
			[]string{"s1"}, []string{"m1"}, bad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := (&scriptMechanism{"X", tt.steps}).Start(context.Background(), SASLConfig{})
			var sent []string
			err := runSASL(s, "X", func(msg []byte) ([]byte, error) {
				sent = append(sent, string(msg))
				return []byte(tt.answers[len(sent)-1]), nil
			})
			if !errors.Is(err, tt.wantErr) || strings.Join(sent, "|") != strings.Join(tt.sent, "|") {
				t.Fatalf("runSASL = %v, sent %q; want %v, %q", err, sent, tt.wantErr, tt.sent)
			}
		})
	}
}

func TestRunSASLServerError(t *testing.T) {
	t.Parallel()
	s, _ := (&scriptMechanism{"X", []scriptStep{{"", []byte("m1"), false, nil}}}).Start(context.Background(), SASLConfig{})
	broker := errors.New("SASL_AUTHENTICATION_FAILED")
	if err := runSASL(s, "X", func([]byte) ([]byte, error) { return nil, broker }); err != broker {
		t.Fatalf("err = %v", err)
	}
}

func TestRunSASLEndless(t *testing.T) {
	t.Parallel()
	steps := make([]scriptStep, maxSASLSteps)
	for i := range steps {
		steps[i] = scriptStep{"", []byte("again"), false, nil}
	}
	s, _ := (&scriptMechanism{"X", steps}).Start(context.Background(), SASLConfig{})
	err := runSASL(s, "X", func([]byte) ([]byte, error) { return nil, nil })
	if err == nil || !strings.Contains(err.Error(), "no result after") {
		t.Fatalf("err = %v", err)
	}
}

func TestSASLRegistry(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"SCRAM-SHA-512": `core: SASL mechanism "SCRAM-SHA-512" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/transport/sasl/scram"?)`,
		"plain":         `core: SASL mechanism "PLAIN" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/transport/sasl/plain"?)`,
		"OAUTHBEARER":   `core: SASL mechanism "OAUTHBEARER" is not registered (forgotten import _ "github.com/kafka3/kafka3-go/transport/sasl/oauthbearer"?)`,
		"GSSAPI":        `core: SASL mechanism "GSSAPI" is not registered: kafka3-go has no plugin for it`,
	}
	for name, want := range tests {
		// Other test files of this binary import the plugins: check the error
		// SASLMechanismByName gives for a mechanism that is not registered.
		if err := saslNotRegistered(strings.ToUpper(name)); !strings.HasPrefix(err.Error(), want) {
			t.Errorf("SASLMechanismByName(%q) = %v\nwant %s", name, err, want)
		}
	}
	if _, err := SASLMechanismByName("GSSAPI"); err == nil {
		t.Error("SASLMechanismByName(GSSAPI) found a mechanism nobody registered")
	}
	m := &scriptMechanism{name: "Test-Mech"}
	RegisterSASLMechanism(m)
	RegisterSASLMechanism(m)
	if got, err := SASLMechanismByName("test-mech"); err != nil || got != m {
		t.Fatalf("SASLMechanismByName = %v, %v", got, err)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("registering a different mechanism under a taken name did not panic")
		}
	}()
	RegisterSASLMechanism(&scriptMechanism{name: "TEST-MECH"})
}
