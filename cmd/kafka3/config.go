package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/kafka3/kafka3-go/core"
	kafkatls "github.com/kafka3/kafka3-go/transport/tls"
)

// defaultBrokers is used when neither -brokers, the -config file nor
// $KAFKA3_BROKERS name any.
const defaultBrokers = "127.0.0.1:9092"

// globals are the flags every command accepts: where the cluster is and how
// to reach it.
type globals struct {
	brokers          string
	configFile       string
	securityProtocol string
	saslMechanism    string
	saslUsername     string
	saslPassword     string
	tlsCA            string
	tlsCert          string
	tlsKey           string
	tlsSkipVerify    bool
	timeout          time.Duration
	verbose          bool
}

// register adds the global flags to fs. Every command's flag set has them
// too, bound to the same variables, so they may come before or after the
// command name; their defaults are the current values, so that parsing a
// command's flags keeps those given before it.
func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.brokers, "brokers", g.brokers, "bootstrap servers, comma-separated (default $KAFKA3_BROKERS, else "+defaultBrokers+")")
	fs.StringVar(&g.configFile, "config", g.configFile, "a .properties file of Java / kafka-python client properties (bootstrap.servers, security.protocol, ssl.truststore.location, linger.ms, ...)")
	fs.StringVar(&g.securityProtocol, "security-protocol", g.securityProtocol, "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (default: SSL with -tls-* flags, SASL_* with -sasl-mechanism)")
	fs.StringVar(&g.saslMechanism, "sasl-mechanism", g.saslMechanism, "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER")
	fs.StringVar(&g.saslUsername, "sasl-username", g.saslUsername, "SASL user name")
	fs.Var(secret{&g.saslPassword}, "sasl-password", "SASL password (default $KAFKA3_SASL_PASSWORD)")
	fs.StringVar(&g.tlsCA, "tls-ca", g.tlsCA, "PEM file of the CA certificates that signed the brokers' certificates")
	fs.StringVar(&g.tlsCert, "tls-cert", g.tlsCert, "PEM file of the client certificate, for brokers that require one")
	fs.StringVar(&g.tlsKey, "tls-key", g.tlsKey, "PEM file of the client certificate's key (default: in -tls-cert)")
	fs.BoolVar(&g.tlsSkipVerify, "tls-skip-hostname-verification", g.tlsSkipVerify, "do not check that the brokers' certificates name their hosts (unsafe)")
	fs.DurationVar(&g.timeout, "timeout", g.timeout, "bound on each request to the cluster, retries included")
	fs.BoolVar(&g.verbose, "v", g.verbose, "log the client's activity to standard error")
}

// secret is a string flag whose value help never shows.
type secret struct{ p *string }

func (s secret) String() string { return "" }

func (s secret) Set(v string) error { *s.p = v; return nil }

// configure fills cfg, a *core.ProducerConfig, *core.ConsumerConfig,
// *core.AdminConfig or *core.Config whose common part is common, from the
// -config file and then the flags, which take precedence.
func (e *env) configure(cfg any, common *core.Config) error {
	g := e.g
	props, err := readProperties(g.configFile)
	if err != nil {
		return err
	}
	general, ssl := splitProperties(props)
	if err := parseFor(cfg, general); err != nil {
		return err
	}
	if g.brokers != "" {
		common.BootstrapServers = splitList(g.brokers)
	}
	if len(common.BootstrapServers) == 0 {
		common.BootstrapServers = splitList(cmp.Or(os.Getenv("KAFKA3_BROKERS"), defaultBrokers))
	}
	if common.ClientID == "" {
		common.ClientID = "kafka3-cli"
	}
	level := slog.LevelError
	if g.verbose {
		level = slog.LevelDebug
	}
	common.Logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	if err := g.security(common, ssl); err != nil {
		return err
	}
	return nil
}

// security applies the security flags to cfg.
func (g *globals) security(cfg *core.Config, ssl map[string]string) error {
	if g.saslMechanism != "" {
		cfg.SASL.Mechanism = g.saslMechanism
	}
	if g.saslUsername != "" {
		cfg.SASL.Username = g.saslUsername
	}
	if g.saslPassword != "" {
		cfg.SASL.Password = g.saslPassword
	} else if cfg.SASL.Password == "" {
		cfg.SASL.Password = os.Getenv("KAFKA3_SASL_PASSWORD")
	}
	tlsFlags := g.tlsCA != "" || g.tlsCert != "" || g.tlsKey != "" || g.tlsSkipVerify
	switch {
	case g.securityProtocol != "":
		cfg.SecurityProtocol = strings.ToUpper(g.securityProtocol)
	case cfg.SecurityProtocol != "":
	case cfg.SASL.Mechanism != "" && (tlsFlags || len(ssl) > 0):
		cfg.SecurityProtocol = core.SASLSSL
	case cfg.SASL.Mechanism != "":
		cfg.SecurityProtocol = core.SASLPlaintext
	case tlsFlags || len(ssl) > 0:
		cfg.SecurityProtocol = core.SSL
	}
	if cfg.SecurityProtocol != core.SSL && cfg.SecurityProtocol != core.SASLSSL {
		return nil
	}
	var err error
	if tlsFlags {
		cfg.TLS, err = kafkatls.New(kafkatls.Options{CAFile: g.tlsCA, CertFile: g.tlsCert, KeyFile: g.tlsKey,
			SkipHostnameVerification: g.tlsSkipVerify})
	} else if len(ssl) > 0 {
		cfg.TLS, err = kafkatls.FromProperties(ssl)
	}
	return err
}

// configTypes are the config types whose properties a -config file may set.
var configTypes = []any{&core.ProducerConfig{}, &core.ConsumerConfig{}, &core.AdminConfig{}}

// parseFor sets the fields of cfg from props, skipping properties that
// belong to another kind of client (a file shared by producer and consumer)
// and reporting those that no client knows.
func parseFor(cfg any, props map[string]string) error {
	mine := known(cfg)
	use := map[string]string{}
	var unknown []string
	for k, v := range props {
		n := normalize(k)
		switch {
		case mine[n]:
			use[k] = v
		case !knownAnywhere(n):
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("unknown properties in the -config file: %s (see the property names of core.ProducerConfig, ConsumerConfig and AdminConfig)", strings.Join(unknown, ", "))
	}
	if err := core.ParseProperties(cfg, use); err != nil {
		return fmt.Errorf("-config file: %w", err)
	}
	return nil
}

func known(cfg any) map[string]bool {
	m := map[string]bool{}
	for _, p := range core.Properties(cfg) {
		m[normalize(p)] = true
	}
	return m
}

func knownAnywhere(n string) bool {
	for _, c := range configTypes {
		if known(c)[n] {
			return true
		}
	}
	return false
}

// normalize spells a property name as core does: bootstrap_servers and
// BOOTSTRAP.SERVERS are bootstrap.servers.
func normalize(k string) string {
	return strings.ToLower(strings.NewReplacer("_", ".", "-", ".").Replace(strings.TrimSpace(k)))
}

// splitProperties separates the ssl.* properties, which transport/tls
// reads, from the others.
func splitProperties(props map[string]string) (general, ssl map[string]string) {
	general, ssl = map[string]string{}, map[string]string{}
	for k, v := range props {
		if strings.HasPrefix(normalize(k), "ssl.") {
			ssl[k] = v
		} else {
			general[k] = v
		}
	}
	return general, ssl
}

// readProperties reads a Java .properties file: key=value or key: value
// lines, # and ! comments. An empty path gives no properties.
func readProperties(path string) (map[string]string, error) {
	props := map[string]string{}
	if path == "" {
		return props, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("-config: %w", err)
	}
	defer f.Close()
	return props, parseProperties(f, props, path)
}

func parseProperties(r io.Reader, props map[string]string, name string) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		i := strings.IndexAny(line, "=:")
		if i < 0 {
			return fmt.Errorf("%s:%d: want key=value, got %q", name, n, line)
		}
		props[strings.TrimSpace(line[:i])] = strings.TrimSpace(line[i+1:])
	}
	return sc.Err()
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// withTimeout bounds one call to the cluster by -timeout.
func (e *env) withTimeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(e.ctx, e.g.timeout)
}

// hint adds what to do to errors whose cause is common and clear.
func hint(err error) error {
	var ce *core.ConfigError
	var ne net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("%w\n(is Kafka running there? name the brokers with -brokers host:port, $KAFKA3_BROKERS or bootstrap.servers in -config)", err)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("%w\n(no answer in time: check -brokers and -security-protocol, or raise -timeout)", err)
	case errors.As(err, &ce):
		return fmt.Errorf("%w\n(fix the -config file or the flags)", err)
	}
	return err
}
