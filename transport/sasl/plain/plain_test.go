package plain

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kafka3/kafka3-go/core"
)

func TestMessageBytes(t *testing.T) {
	t.Parallel()
	s, err := Mechanism.Start(context.Background(), core.SASLConfig{Username: "alice", Password: "alice-secret"})
	if err != nil {
		t.Fatal(err)
	}
	resp, done, err := s.Step(nil)
	if want := "\x00alice\x00alice-secret"; string(resp) != want || !done || err != nil {
		t.Fatalf("Step(nil) = %q, %v, %v; want %q, done", resp, done, err, want)
	}
	if resp, done, err := s.Step(nil); resp != nil || !done || err != nil {
		t.Fatalf("second Step = %q, %v, %v; want nothing, done", resp, done, err)
	}
	if text := fmt.Sprintf("%v %+v %s", s, s, s); strings.Contains(text, "alice-secret") {
		t.Fatalf("formatting a session shows the password: %s", text)
	}
}

func TestStartRejects(t *testing.T) {
	t.Parallel()
	const secret = "pa\x00ss-secret"
	for _, cfg := range []core.SASLConfig{{Password: "p"}, {Username: "u"}, {Username: "u\x00", Password: "p"}, {Username: "u", Password: secret}} {
		_, err := Mechanism.Start(context.Background(), cfg)
		if err == nil {
			t.Errorf("Start(%q) succeeded", cfg.Username)
		} else if strings.Contains(err.Error(), "ss-secret") {
			t.Errorf("error shows the password: %v", err)
		}
	}
}

func TestRegistered(t *testing.T) {
	t.Parallel()
	if m, err := core.SASLMechanismByName("PLAIN"); err != nil || m != Mechanism {
		t.Fatalf("SASLMechanismByName = %v, %v", m, err)
	}
}
