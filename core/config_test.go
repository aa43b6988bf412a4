package core

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestConfigDefaultsAndValidation(t *testing.T) {
	t.Parallel()
	c := Config{BootstrapServers: []string{"127.0.0.1:9092"}}.withDefaults()
	if c.ClientID != "kafka3-go" || c.RequestTimeout != 30*time.Second || c.SecurityProtocol != Plaintext {
		t.Fatalf("defaults not applied: %+v", c)
	}
	if errs := c.validate(nil); len(errs) != 0 {
		t.Fatalf("valid config rejected: %v", errs)
	}
	bad := Config{BootstrapServers: []string{"nohost"}, SecurityProtocol: "sasl_ssl", RetryBackoff: -time.Second,
		ClientID: strings.Repeat("c", 32768)}.withDefaults()
	err := configError(bad.validate(nil))
	var ce *ConfigError
	if !errors.As(err, &ce) || len(ce.Problems) != 4 {
		t.Fatalf("want 4 problems listed at once, got %v", err)
	}
	for _, want := range []string{`"nohost" is not host:port`, "needs SASL.Mechanism", "RetryBackoff -1s must not be negative", "ClientID (client.id) is 32768 bytes"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestParseProperties(t *testing.T) {
	t.Parallel()
	var c Config
	err := ParseProperties(&c, map[string]string{
		"bootstrap.servers":  "a:1, b:2",
		"client_id":          "app",
		"REQUEST_TIMEOUT_MS": "1500",
		"sasl.mechanism":     "PLAIN",
		"no.such.thing":      "1",
		"retry.backoff.ms":   "soon",
	})
	if c.ClientID != "app" || c.RequestTimeout != 1500*time.Millisecond || len(c.BootstrapServers) != 2 || c.BootstrapServers[1] != "b:2" || c.SASL.Mechanism != "PLAIN" {
		t.Fatalf("parsed config = %+v", c)
	}
	if err == nil || !strings.Contains(err.Error(), `unknown property "no.such.thing"`) || !strings.Contains(err.Error(), `"retry.backoff.ms": not a whole number`) {
		t.Fatalf("error = %v", err)
	}
	if names := Properties(&c); len(names) < 10 || names[0] != "bootstrap.servers" {
		t.Fatalf("Properties = %v", names)
	}
}
