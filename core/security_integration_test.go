package core_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
	"github.com/kafka3/kafka3-go/transport/sasl/oauthbearer"
	_ "github.com/kafka3/kafka3-go/transport/sasl/plain"
	_ "github.com/kafka3/kafka3-go/transport/sasl/scram"
	kafkatls "github.com/kafka3/kafka3-go/transport/tls"
)

// securityCase is one way of reaching the broker securely.
type securityCase struct {
	name     string
	listener kafkatest.Listener
	protocol string
	tls      *tls.Config
	sasl     core.SASLConfig
}

func (sc securityCase) config(t *testing.T) core.Config {
	return core.Config{BootstrapServers: kafkatest.ListenerBrokers(t, sc.listener), SecurityProtocol: sc.protocol,
		TLS: sc.tls, SASL: sc.sasl, ClientID: "k3-security-" + sc.name}
}

// trustedTLS returns a TLS config trusting the broker's CA, with the client
// certificate when withCert is set.
func trustedTLS(t *testing.T, withCert bool) *tls.Config {
	t.Helper()
	o := kafkatls.Options{CAFile: kafkatest.Env(t, "KAFKA3_TLS_CA")}
	if withCert {
		o.CertFile, o.KeyFile = kafkatest.Env(t, "KAFKA3_TLS_CLIENT_CERT"), kafkatest.Env(t, "KAFKA3_TLS_CLIENT_KEY")
	}
	cfg, err := kafkatls.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestSecurityMatrix produces and consumes through the Producer and Consumer
// over every SASL mechanism on SASL_PLAINTEXT and SASL_SSL, and over SSL with
// and without a client certificate.
func TestSecurityMatrix(t *testing.T) {
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, nil)
	var cases []securityCase
	for _, l := range []struct {
		listener kafkatest.Listener
		protocol string
	}{{kafkatest.SASLPlaintext, core.SASLPlaintext}, {kafkatest.SASLSSL, core.SASLSSL}} {
		var tcfg *tls.Config
		if l.protocol == core.SASLSSL {
			tcfg = trustedTLS(t, false)
		}
		for _, mech := range []string{"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"} {
			cases = append(cases, securityCase{l.protocol + "/" + mech, l.listener, l.protocol, tcfg,
				core.SASLConfig{Mechanism: mech, Username: kafkatest.User, Password: kafkatest.Password}})
		}
		cases = append(cases, securityCase{l.protocol + "/OAUTHBEARER", l.listener, l.protocol, tcfg,
			core.SASLConfig{Mechanism: "OAUTHBEARER", TokenSource: oauthbearer.UnsecuredTokenSource(kafkatest.AdminUser, time.Hour)}})
	}
	cases = append(cases,
		securityCase{name: "SSL/server-auth", listener: kafkatest.SSL, protocol: core.SSL, tls: trustedTLS(t, false)},
		securityCase{name: "SSL/mutual-TLS", listener: kafkatest.SSL, protocol: core.SSL, tls: trustedTLS(t, true)})
	for _, sc := range cases {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			produceConsume(t, sc.config(t), topic, sc.name)
		})
	}
}

// produceConsume sends three records tagged with tag and reads them back
// from the partition with a Consumer using Assign.
func produceConsume(t *testing.T, cfg core.Config, topic, tag string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	p, err := core.NewProducer(core.ProducerConfig{Config: cfg, Linger: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	first := int64(-1)
	for i := range 3 {
		md, err := p.SendSync(ctx, &core.Record{Topic: topic, Partition: 0, Value: fmt.Appendf(nil, "%s-%d", tag, i)})
		if err != nil {
			t.Fatalf("SendSync: %v", err)
		}
		if first < 0 {
			first = md.Offset
		}
	}
	c, err := core.NewConsumer(core.ConsumerConfig{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tp := core.TopicPartition{Topic: topic, Partition: 0}
	if err := c.Assign(tp); err != nil {
		t.Fatal(err)
	}
	if err := c.Seek(tp, first); err != nil {
		t.Fatal(err)
	}
	var got []string
	for len(got) < 3 {
		fs, err := c.Poll(ctx)
		if err != nil {
			t.Fatalf("Poll after %d records: %v", len(got), err)
		}
		for r := range fs.All() {
			if strings.HasPrefix(string(r.Value), tag+"-") {
				got = append(got, string(r.Value))
			}
		}
	}
	for i, v := range got {
		if want := fmt.Sprintf("%s-%d", tag, i); v != want {
			t.Fatalf("record %d = %q, want %q", i, v, want)
		}
	}
}

// otherMechanism is a mechanism the broker does not enable.
type otherMechanism struct{}

func (otherMechanism) Name() string { return "GSSAPI" }
func (otherMechanism) Start(context.Context, core.SASLConfig) (core.SASLSession, error) {
	return nil, errors.New("never started: the broker refuses the handshake first")
}

// firstUse is one client call that must surface a security failure.
type firstUse struct {
	name string
	call func(ctx context.Context, cfg core.Config) error
}

var firstUses = []firstUse{
	{"producer-SendSync", func(ctx context.Context, cfg core.Config) error {
		p, err := core.NewProducer(core.ProducerConfig{Config: cfg, Linger: -1})
		if err != nil {
			return err
		}
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			_ = p.Close(ctx)
		}()
		_, err = p.SendSync(ctx, &core.Record{Topic: "k3-security-never-created", Value: []byte("x")})
		return err
	}},
	{"consumer-Poll", func(ctx context.Context, cfg core.Config) error {
		c, err := core.NewConsumer(core.ConsumerConfig{Config: cfg})
		if err != nil {
			return err
		}
		defer c.Close()
		if err := c.Assign(core.TopicPartition{Topic: "k3-security-never-created", Partition: 0}); err != nil {
			return err
		}
		_, err = c.Poll(ctx)
		return err
	}},
	{"admin-ListTopics", func(ctx context.Context, cfg core.Config) error {
		a, err := core.NewAdmin(core.AdminConfig{Config: cfg})
		if err != nil {
			return err
		}
		defer a.Close()
		_, err = a.ListTopics(ctx, false)
		return err
	}},
}

// TestSecurityFailures checks that each misconfiguration fails the first
// call of a producer, a consumer and an admin promptly, with a distinct error
// that says what is wrong, and never shows a credential.
func TestSecurityFailures(t *testing.T) {
	t.Parallel()
	const secret = "wrong-alice-secret-3f9a"
	ca := kafkatest.Env(t, "KAFKA3_TLS_CA")
	otherCA, err := kafkatls.New(kafkatls.Options{CAFile: filepath.Join(filepath.Dir(ca), "other-ca.pem")})
	if err != nil {
		t.Fatal(err)
	}
	wrongHost := trustedTLS(t, false)
	wrongHost.ServerName = "wrong.example"
	isKafka := func(want *kerr.Error, substr ...string) func(t *testing.T, err error) {
		return func(t *testing.T, err error) {
			t.Helper()
			if !errors.Is(err, want) {
				t.Fatalf("error %q is not %s", err, want.Name)
			}
			if !errors.Is(err, core.ErrAuthentication) {
				t.Fatalf("error %q does not match core.ErrAuthentication", err)
			}
			for _, s := range substr {
				if !strings.Contains(err.Error(), s) {
					t.Fatalf("error %q does not mention %q", err, s)
				}
			}
		}
	}
	isTLS := func(target any, substr string) func(t *testing.T, err error) {
		return func(t *testing.T, err error) {
			t.Helper()
			// A target of its own: the subtests run in parallel.
			mine := reflect.New(reflect.TypeOf(target).Elem()).Interface()
			if !errors.As(err, mine) || !strings.Contains(err.Error(), substr) {
				t.Fatalf("error %q is not a %T saying %q", err, target, substr)
			}
		}
	}
	tests := []struct {
		name  string
		sc    securityCase
		check func(t *testing.T, err error)
	}{
		{"wrong-password/PLAIN", securityCase{listener: kafkatest.SASLPlaintext, protocol: core.SASLPlaintext,
			sasl: core.SASLConfig{Mechanism: "PLAIN", Username: kafkatest.User, Password: secret}},
			isKafka(kerr.SASLAuthenticationFailed, "SASL PLAIN", "SASL_AUTHENTICATION_FAILED")},
		{"wrong-password/SCRAM-SHA-256", securityCase{listener: kafkatest.SASLPlaintext, protocol: core.SASLPlaintext,
			sasl: core.SASLConfig{Mechanism: "SCRAM-SHA-256", Username: kafkatest.User, Password: secret}},
			isKafka(kerr.SASLAuthenticationFailed, "SASL SCRAM-SHA-256", "SASL_AUTHENTICATION_FAILED")},
		{"wrong-password/SCRAM-SHA-512-over-TLS", securityCase{listener: kafkatest.SASLSSL, protocol: core.SASLSSL,
			tls: trustedTLS(t, false), sasl: core.SASLConfig{Mechanism: "SCRAM-SHA-512", Username: kafkatest.User, Password: secret}},
			isKafka(kerr.SASLAuthenticationFailed, "SASL SCRAM-SHA-512", "SASL_AUTHENTICATION_FAILED")},
		{"unknown-user/SCRAM-SHA-256", securityCase{listener: kafkatest.SASLPlaintext, protocol: core.SASLPlaintext,
			sasl: core.SASLConfig{Mechanism: "SCRAM-SHA-256", Username: "nobody-3f9a", Password: secret}},
			isKafka(kerr.SASLAuthenticationFailed, "SASL SCRAM-SHA-256")},
		{"mechanism-not-enabled", securityCase{listener: kafkatest.SASLPlaintext, protocol: core.SASLPlaintext,
			sasl: core.SASLConfig{Custom: otherMechanism{}, Username: kafkatest.User, Password: secret}},
			isKafka(kerr.UnsupportedSASLMechanism, "does not enable SASL mechanism GSSAPI", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER")},
		{"untrusted-certificate", securityCase{listener: kafkatest.SSL, protocol: core.SSL, tls: otherCA},
			isTLS(new(x509.UnknownAuthorityError), "not trusted by the configured CAs")},
		{"host-name-mismatch", securityCase{listener: kafkatest.SSL, protocol: core.SSL, tls: wrongHost},
			isTLS(new(x509.HostnameError), `does not match the host name "wrong.example"`)},
	}
	// All at once, not limited by -parallel: most of them wait for the
	// retry bugs' deadline.
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, tt := range tests {
		for _, use := range firstUses {
			wg.Go(func() {
				t.Run(tt.name+"/"+use.name, func(t *testing.T) {
					cfg := tt.sc.config(t)
					const prompt = 3 * time.Second // a real broker rejects in well under a second
					ctx, cancel := context.WithTimeout(context.Background(), prompt+500*time.Millisecond)
					defer cancel()
					start := time.Now()
					err := use.call(ctx, cfg)
					took := time.Since(start)
					if err == nil {
						t.Fatal("the call succeeded")
					}
					if strings.Contains(err.Error(), secret) {
						t.Fatalf("the error shows the password: %v", err)
					}
					if took > prompt {
						t.Fatalf("the call took %v (retrying?) before failing with: %v", took.Round(time.Millisecond), err)
					}
					if strings.Contains(err.Error(), secret) {
						t.Fatalf("the error shows the password: %v", err)
					}
					tt.check(t, err)
				})
			})
		}
	}
}

// TestSecurityConstructionErrors checks that a mechanism that is not
// compiled in fails at construction, naming the mechanism.
func TestSecurityConstructionErrors(t *testing.T) {
	t.Parallel()
	cfg := core.Config{BootstrapServers: []string{"127.0.0.1:1"}, SecurityProtocol: core.SASLPlaintext,
		SASL: core.SASLConfig{Mechanism: "GSSAPI", Username: "u", Password: "constructed-secret"}}
	check := func(what string, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), `SASL mechanism "GSSAPI" is not registered`) ||
			strings.Contains(err.Error(), "constructed-secret") {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err := core.NewProducer(core.ProducerConfig{Config: cfg})
	check("NewProducer", err)
	_, err = core.NewConsumer(core.ConsumerConfig{Config: cfg})
	check("NewConsumer", err)
	_, err = core.NewAdmin(core.AdminConfig{Config: cfg})
	check("NewAdmin", err)
}

// reauthListener is the SASL_PLAINTEXT listener of scripts/kafka whose
// sessions last 3 seconds (connections.max.reauth.ms=3000).
const reauthListener kafkatest.Listener = "KAFKA3_SASL_REAUTH_BROKERS"

// logCounter counts log messages, keeping the attributes of some.
type logCounter struct {
	mu     sync.Mutex
	counts map[string]int
	notes  []string
}

func newLogCounter() *logCounter { return &logCounter{counts: map[string]int{}} }

func (h *logCounter) Enabled(context.Context, slog.Level) bool { return true }
func (h *logCounter) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logCounter) WithGroup(string) slog.Handler            { return h }

func (h *logCounter) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counts[r.Message]++
	if r.Level >= slog.LevelWarn || r.Message == "wire: connection closed" {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s", r.Level, r.Message)
		r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
		h.notes = append(h.notes, b.String())
	}
	return nil
}

func (h *logCounter) count(msg string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.counts[msg]
}

func (h *logCounter) String() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return strings.Join(h.notes, "\n")
}

// TestSASLReauthentication checks KIP-368 against a listener whose sessions
// last 3 seconds: first that the broker does close a connection that does
// not re-authenticate (so the rest of the test would catch a client that
// does not), then that producers and consumers work continuously across
// several re-authentications of each connection, without any connection
// being closed. Not parallel: its first part turns re-authentication off.
func TestSASLReauthentication(t *testing.T) {
	brokers := kafkatest.ListenerBrokers(t, reauthListener)
	plain := core.SASLConfig{Mechanism: "PLAIN", Username: kafkatest.User, Password: kafkatest.Password}
	t.Run("broker-closes-without-reauthentication", func(t *testing.T) {
		core.SetReauthDisabled(true)
		defer core.SetReauthDisabled(false)
		for _, on := range []bool{false, true} {
			if on {
				core.SetReauthDisabled(false)
			}
			cl, err := core.NewClient(core.Config{BootstrapServers: brokers, SecurityProtocol: core.SASLPlaintext, SASL: plain})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			req := &protocol.MetadataRequest{}
			req.Default()
			_, err1 := cl.Request(ctx, req)
			time.Sleep(3500 * time.Millisecond) // past the 3s session
			_, err2 := cl.Request(ctx, req)
			cancel()
			cl.Close()
			if err1 != nil {
				t.Fatalf("re-authentication %v: first request: %v", on, err1)
			}
			switch {
			case !on && !errors.Is(err2, wire.ErrClosed):
				t.Fatalf("without re-authentication, a request after the session's end: %v; want the broker to close the connection "+
					"(is connections.max.reauth.ms set on the listener?)", err2)
			case on && err2 != nil:
				t.Fatalf("with re-authentication, a request after the first session's end: %v", err2)
			}
		}
	})
	oauth := func(lifetime time.Duration) core.SASLConfig {
		return core.SASLConfig{Mechanism: "OAUTHBEARER", TokenSource: oauthbearer.UnsecuredTokenSource(kafkatest.AdminUser, lifetime)}
	}
	cases := []struct {
		name     string
		listener kafkatest.Listener
		sasl     core.SASLConfig
	}{
		{"PLAIN", reauthListener, plain},
		{"SCRAM-SHA-512", reauthListener, core.SASLConfig{Mechanism: "SCRAM-SHA-512", Username: kafkatest.User, Password: kafkatest.Password}},
		{"OAUTHBEARER", reauthListener, oauth(time.Hour)},
		// No session lifetime from the broker: the token's expiry alone
		// drives re-authentication, with a fresh token each time.
		{"OAUTHBEARER-token-expiry", kafkatest.SASLPlaintext, oauth(4 * time.Second)},
	}
	// All at once, not limited by -parallel, to keep the test short.
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() {
		t.Run("failed-reauthentication-closes-the-connection", func(t *testing.T) {
			testFailedReauthentication(t, brokers)
		})
	})
	for _, tc := range cases {
		wg.Go(func() {
			t.Run(tc.name, func(t *testing.T) {
				logs := newLogCounter()
				cfg := core.Config{BootstrapServers: kafkatest.ListenerBrokers(t, tc.listener), SecurityProtocol: core.SASLPlaintext,
					SASL: tc.sasl, Logger: slog.New(logs)}
				produceConsumeFor(t, cfg, 10*time.Second)
				opened, closed, reauths := logs.count("wire: connection open"), logs.count("wire: connection closed"), logs.count("core: SASL re-authenticated")
				t.Logf("%d connections, %d re-authentications, %d closed", opened, reauths, closed)
				if closed != 0 || opened == 0 || reauths < 2*opened {
					t.Fatalf("%d connections opened, %d closed before the clients' Close, %d re-authentications (want at least 2 per connection); logs:\n%s",
						opened, closed, reauths, logs)
				}
			})
		})
	}
}

// produceConsumeFor sends a record every few milliseconds for d while a
// consumer reads them back, and checks that every send succeeds and every
// record arrives in order. It returns before closing the clients.
func produceConsumeFor(t *testing.T, cfg core.Config, d time.Duration) {
	topic := kafkatest.CreateTopic(t, 1, nil)
	ctx, cancel := context.WithTimeout(context.Background(), d+15*time.Second)
	defer cancel()
	p, err := core.NewProducer(core.ProducerConfig{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close(context.Background()) })
	c, err := core.NewConsumer(core.ConsumerConfig{Config: cfg, FetchMaxWait: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	tp := core.TopicPartition{Topic: topic, Partition: 0}
	if err := c.Assign(tp); err != nil {
		t.Fatal(err)
	}
	if err := c.Seek(tp, 0); err != nil {
		t.Fatal(err)
	}
	sent := make(chan int, 1)
	go func() {
		n := 0
		defer func() { sent <- n }()
		for end := time.Now().Add(d); time.Now().Before(end); n++ {
			if _, err := p.SendSync(ctx, &core.Record{Topic: topic, Partition: 0, Value: fmt.Appendf(nil, "%d", n)}); err != nil {
				t.Errorf("SendSync of record %d after %v: %v", n, time.Since(end.Add(-d)).Round(time.Millisecond), err)
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	total, next := -1, 0
	for total < 0 || next < total {
		select {
		case total = <-sent:
		default:
		}
		pctx, pcancel := context.WithTimeout(ctx, time.Second)
		fs, err := c.Poll(pctx)
		pcancel()
		if err != nil && (ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded)) {
			t.Fatalf("Poll after %d records: %v", next, err)
		}
		for r := range fs.All() {
			if string(r.Value) != fmt.Sprint(next) {
				t.Fatalf("record at offset %d is %q, want %d", r.Offset, r.Value, next)
			}
			next++
		}
	}
	if total < 100 {
		t.Fatalf("only %d records sent in %v", total, d)
	}
}

// passwordChange is PLAIN whose password turns wrong after the first
// authentication, as when a user's password is changed on the broker.
type passwordChange struct {
	core.SASLMechanism
	starts atomic.Int32
}

func (m *passwordChange) Start(ctx context.Context, cfg core.SASLConfig) (core.SASLSession, error) {
	if m.starts.Add(1) > 1 {
		cfg.Password = "changed-secret-3f9a"
	}
	return m.SASLMechanism.Start(ctx, cfg)
}

// testFailedReauthentication checks that a re-authentication that fails
// closes the connection saying why, and that the next request, on a new
// connection, fails with ErrAuthentication.
func testFailedReauthentication(t *testing.T, brokers []string) {
	plain, err := core.SASLMechanismByName("PLAIN")
	if err != nil {
		t.Fatal(err)
	}
	logs := newLogCounter()
	cl, err := core.NewClient(core.Config{BootstrapServers: brokers, SecurityProtocol: core.SASLPlaintext, Logger: slog.New(logs),
		SASL: core.SASLConfig{Custom: &passwordChange{SASLMechanism: plain}, Username: kafkatest.User, Password: kafkatest.Password}})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := &protocol.MetadataRequest{}
	req.Default()
	if _, err := cl.Request(ctx, req); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(4 * time.Second); logs.count("core: SASL re-authentication failed; closing the connection") == 0 ||
		logs.count("wire: connection closed") == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the connection stayed open after its re-authentication was due; logs:\n%s", logs)
		}
	}
	for _, want := range []string{"core: SASL re-authentication failed; closing the connection", "SASL_AUTHENTICATION_FAILED",
		"SASL PLAIN authentication with " + brokers[0] + " failed"} {
		if !strings.Contains(logs.String(), want) {
			t.Fatalf("the logs do not say %q:\n%s", want, logs)
		}
	}
	_, err = cl.Request(ctx, req)
	if !errors.Is(err, core.ErrAuthentication) || !errors.Is(err, kerr.SASLAuthenticationFailed) ||
		strings.Contains(err.Error(), "changed-secret-3f9a") || strings.Contains(logs.String(), "changed-secret-3f9a") {
		t.Fatalf("the request after a failed re-authentication: %v", err)
	}
}
