// Package kafkatest gives integration tests the real Kafka broker started by
// scripts/kafka (or any cluster named in the environment), unique topic
// names, and the Java tools for interoperability checks.
//
// The broker addresses come from the environment that `scripts/kafka env`
// prints (make test sets it): KAFKA3_BROKERS for PLAINTEXT, and
// KAFKA3_SASL_PLAINTEXT_BROKERS, KAFKA3_SSL_BROKERS, KAFKA3_SASL_SSL_BROKERS
// for the secured listeners. When a variable is missing a test skips with a
// message saying how to start the broker, except under CI=true, where it
// fails: CI must never pass by skipping.
package kafkatest

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Listener names the broker listener a test needs.
type Listener string

// The listeners scripts/kafka starts.
const (
	Plaintext     Listener = "KAFKA3_BROKERS"
	SASLPlaintext Listener = "KAFKA3_SASL_PLAINTEXT_BROKERS"
	SSL           Listener = "KAFKA3_SSL_BROKERS"
	SASLSSL       Listener = "KAFKA3_SASL_SSL_BROKERS"
)

// Users and passwords that scripts/kafka creates for PLAIN and both SCRAM
// mechanisms. admin is a super user.
const (
	User          = "alice"
	Password      = "alice-secret"
	AdminUser     = "admin"
	AdminPassword = "admin-secret"
)

const howToStart = "start a broker with `scripts/kafka start && eval \"$(scripts/kafka env)\"`, or run `make test`"

// InCI reports whether the tests run under CI (CI=true), where nothing may skip
// for want of a broker.
func InCI() bool { return os.Getenv("CI") == "true" }

// Brokers returns the PLAINTEXT bootstrap addresses.
func Brokers(t testing.TB) []string { return ListenerBrokers(t, Plaintext) }

// ListenerBrokers returns the bootstrap addresses of listener l, skipping the
// test (failing it under CI) when they are not set.
func ListenerBrokers(t testing.TB, l Listener) []string {
	t.Helper()
	v := os.Getenv(string(l))
	if v == "" {
		Unavailable(t, string(l)+" is not set")
	}
	return strings.Split(v, ",")
}

// Unavailable skips the test, or fails it under CI, because something it
// needs from the environment is missing.
func Unavailable(t testing.TB, why string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s (CI=true: integration tests must not skip); %s", why, howToStart)
	}
	t.Skipf("%s; %s", why, howToStart)
}

// Env returns an environment variable set by `scripts/kafka env`, or skips
// (fails under CI) when it is missing.
func Env(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		Unavailable(t, name+" is not set")
	}
	return v
}

var unsafeChars = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// Topic returns a topic name unique to this test run, derived from the test's
// name so the broker's logs are readable. The topic is not created.
func Topic(t testing.TB) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := unsafeChars.ReplaceAllString(t.Name(), "_")
	if len(name) > 180 {
		name = name[:180]
	}
	return "k3-" + name + "-" + hex.EncodeToString(b[:])
}

// Java runs a Kafka Java tool from the KAFKA3_KAFKA_TOOLS classpath, named
// by its Kafka 4.x main class and arguments (JavaTool maps them to the test
// broker's release), and returns its standard output. It fails the test with
// the tool's output on error or after the timeout.
func Java(t testing.TB, timeout time.Duration, class string, args ...string) string {
	t.Helper()
	lib := Env(t, "KAFKA3_KAFKA_TOOLS")
	class, args = JavaTool(class, args...)
	cmd := exec.Command("java", append([]string{"-Xms128m", "-Xmx512m", "-XX:TieredStopAtLevel=1",
		"-Dlog4j2.configurationFile=" + quietLog4j(t),
		"-cp", filepath.Join(lib, "*"), class}, args...)...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatalf("java %s: %v (is Java 17+ installed?)", class, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("java %s %v: %v\nstdout:\n%s\nstderr:\n%s", class, args, err, out.String(), errOut.String())
		}
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("java %s %v: still running after %v\nstdout:\n%s\nstderr:\n%s", class, args, timeout, out.String(), errOut.String())
	}
	return out.String()
}

// quietLog4j writes a log4j2 configuration that sends the tools' logging to
// standard error at WARN, so their standard output is only their output.
func quietLog4j(t testing.TB) string {
	path := filepath.Join(t.TempDir(), "log4j2.yaml")
	conf := "Configuration:\n  Appenders:\n    Console: { name: E, target: SYSTEM_ERR, PatternLayout: { pattern: \"%p %m%n\" } }\n" +
		"  Loggers:\n    Root: { level: WARN, AppenderRef: [ { ref: E } ] }\n"
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
