package core

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"
)

// Config is the part of the configuration every client shares: where the
// cluster is, how to reach it and how patiently. It is embedded in
// ProducerConfig, ConsumerConfig and AdminConfig.
//
// The zero value of every field means its documented default, so a config
// literal needs only BootstrapServers. The `prop` tag of a field names the
// Java / kafka-python property it corresponds to; ParseProperties fills a
// config from such names.
type Config struct {
	// BootstrapServers lists host:port addresses used to discover the cluster.
	// Required. Only one needs to answer.
	BootstrapServers []string `prop:"bootstrap.servers"`

	// ClientID is sent with every request, for the broker's logs and quotas.
	// Default "kafka3-go".
	ClientID string `prop:"client.id"`

	// ClientRack is the rack the client runs in; a consumer with a rack fetches
	// from the closest replica (KIP-392) when the broker allows it. Default none.
	ClientRack string `prop:"client.rack"`

	// RequestTimeout bounds how long the client waits for a response to a
	// request before failing it and closing the connection. Default 30s.
	RequestTimeout time.Duration `prop:"request.timeout.ms,ms"`

	// ConnectTimeout bounds dialling and setting up one connection (TCP, TLS,
	// ApiVersions and SASL). Default 10s.
	ConnectTimeout time.Duration `prop:"socket.connection.setup.timeout.ms,ms"`

	// MetadataMaxAge is how old cached metadata may get before it is refreshed
	// even without an error prompting it. Default 5m.
	MetadataMaxAge time.Duration `prop:"metadata.max.age.ms,ms"`

	// RetryBackoff is the first pause before retrying a failed request; it
	// doubles with jitter up to RetryBackoffMax. Default 100ms.
	RetryBackoff time.Duration `prop:"retry.backoff.ms,ms"`
	// RetryBackoffMax caps the retry backoff. Default 1s.
	RetryBackoffMax time.Duration `prop:"retry.backoff.max.ms,ms"`

	// ReconnectBackoff is the first pause before reconnecting to a broker; it
	// doubles with jitter up to ReconnectBackoffMax. Default 50ms.
	ReconnectBackoff time.Duration `prop:"reconnect.backoff.ms,ms"`
	// ReconnectBackoffMax caps the reconnect backoff. Default 1s.
	ReconnectBackoffMax time.Duration `prop:"reconnect.backoff.max.ms,ms"`

	// ConnectionsMaxIdle closes connections unused for this long. Default 9m.
	ConnectionsMaxIdle time.Duration `prop:"connections.max.idle.ms,ms"`

	// MaxInFlightRequestsPerConnection caps the requests sent on one connection
	// without their responses yet. Default 5, which is also the most an
	// idempotent producer may use while keeping order.
	MaxInFlightRequestsPerConnection int `prop:"max.in.flight.requests.per.connection"`

	// MaxResponseSize rejects a response whose size prefix is larger, guarding
	// against garbage from a misbehaving peer. Default 100 MiB.
	MaxResponseSize int32 `prop:"socket.max.response.bytes"`

	// SecurityProtocol is PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL.
	SecurityProtocol string `prop:"security.protocol"`

	// Transport dials brokers: plain TCP (TCP) by default; a proxy or a
	// custom dialer otherwise. TLS is layered on top by the SSL protocols.
	Transport Transport

	// TLS configures the SSL and SASL_SSL protocols. nil with an SSL protocol
	// means the system's roots and host-name verification.
	TLS *tls.Config

	// SASL configures the SASL_PLAINTEXT and SASL_SSL protocols.
	SASL SASLConfig

	// Interceptors observe the client: each implements one or more of the
	// interceptor interfaces (SendInterceptor, ConsumeInterceptor,
	// BrokerInterceptor, ...; see Interceptor), such as the OpenTelemetry
	// plugin interceptors/otel. They run in this order. Default none, which
	// costs nothing.
	Interceptors []Interceptor

	// Logger receives the client's logs. Default: slog.Default() at the
	// levels the application configured; nothing is logged per record.
	Logger *slog.Logger
}

// SASLConfig names a SASL mechanism and its credentials. Credentials never
// appear in logs, errors or metrics.
type SASLConfig struct {
	// Mechanism is PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER; its
	// plugin package must be imported. Required with a SASL protocol.
	Mechanism string `prop:"sasl.mechanism"`
	// Username is the user for PLAIN and SCRAM.
	Username string `prop:"sasl.username"`
	// Password is the user's password for PLAIN and SCRAM. It never appears
	// in logs, errors or metrics.
	Password string `prop:"sasl.password"`
	// TokenSource supplies OAUTHBEARER tokens; it is called for every
	// authentication, so it may refresh them.
	TokenSource TokenSource
	// Custom, when set, is the mechanism used, instead of looking Mechanism
	// up among the registered ones: a custom mechanism, or one configured in
	// code such as oauthbearer.New(source).
	Custom SASLMechanism
}

// Security protocols accepted by Config.SecurityProtocol.
const (
	Plaintext     = "PLAINTEXT"
	SSL           = "SSL"
	SASLPlaintext = "SASL_PLAINTEXT"
	SASLSSL       = "SASL_SSL"
)

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults() Config {
	def(&c.ClientID, "kafka3-go")
	def(&c.RequestTimeout, 30*time.Second)
	def(&c.ConnectTimeout, 10*time.Second)
	def(&c.MetadataMaxAge, 5*time.Minute)
	def(&c.RetryBackoff, 100*time.Millisecond)
	def(&c.RetryBackoffMax, time.Second)
	def(&c.ReconnectBackoff, 50*time.Millisecond)
	def(&c.ReconnectBackoffMax, time.Second)
	def(&c.ConnectionsMaxIdle, 9*time.Minute)
	def(&c.MaxInFlightRequestsPerConnection, 5)
	def(&c.MaxResponseSize, 100<<20)
	def(&c.SecurityProtocol, Plaintext)
	c.SecurityProtocol = strings.ToUpper(c.SecurityProtocol)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// validate appends the problems of c (already defaulted) to errs.
func (c Config) validate(errs []error) []error {
	if len(c.BootstrapServers) == 0 {
		errs = append(errs, errors.New("BootstrapServers (bootstrap.servers) is empty: name at least one host:port"))
	}
	for _, s := range c.BootstrapServers {
		if i := strings.LastIndexByte(s, ':'); i <= 0 || i == len(s)-1 {
			errs = append(errs, fmt.Errorf("bootstrap server %q is not host:port", s))
		}
	}
	switch c.SecurityProtocol {
	case Plaintext, SSL:
	case SASLPlaintext, SASLSSL:
		if c.SASL.Mechanism == "" && c.SASL.Custom == nil {
			errs = append(errs, fmt.Errorf("security protocol %s needs SASL.Mechanism (sasl.mechanism)", c.SecurityProtocol))
		}
	default:
		errs = append(errs, fmt.Errorf("SecurityProtocol %q is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL", c.SecurityProtocol))
	}
	errs = positive(errs, "RequestTimeout", c.RequestTimeout)
	errs = positive(errs, "ConnectTimeout", c.ConnectTimeout)
	errs = positive(errs, "RetryBackoff", c.RetryBackoff)
	errs = positive(errs, "ReconnectBackoff", c.ReconnectBackoff)
	if c.RetryBackoffMax < c.RetryBackoff {
		errs = append(errs, fmt.Errorf("RetryBackoffMax %v is less than RetryBackoff %v", c.RetryBackoffMax, c.RetryBackoff))
	}
	if c.MaxInFlightRequestsPerConnection < 1 {
		errs = append(errs, fmt.Errorf("MaxInFlightRequestsPerConnection %d must be at least 1", c.MaxInFlightRequestsPerConnection))
	}
	if len(c.ClientID) > math.MaxInt16 {
		errs = append(errs, fmt.Errorf("ClientID (client.id) is %d bytes; every request header carries it in at most 32767", len(c.ClientID)))
	}
	return errs
}

// ConfigError lists every problem found in a configuration at once.
type ConfigError struct {
	Problems []error
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("core: invalid configuration")
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems, for errors.Is and errors.As.
func (e *ConfigError) Unwrap() []error { return e.Problems }

func configError(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return &ConfigError{Problems: errs}
}

func def[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}

func positive(errs []error, name string, d time.Duration) []error {
	if d < 0 {
		errs = append(errs, fmt.Errorf("%s %v must not be negative", name, d))
	}
	return errs
}
