package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// AdminConfig configures an Admin: the common Config plus the admin's own
// settings. The zero value of every field means its documented default.
type AdminConfig struct {
	Config

	// DefaultTimeout bounds a call whose context has no deadline, retries
	// included (Java's default.api.timeout.ms). Default 60s.
	DefaultTimeout time.Duration `prop:"default.api.timeout.ms,ms"`

	// MaxAttempts is how many times a call sends a request for an item
	// (a topic, partition, group, ...) that failed with a retriable error:
	// a lost connection, a moved leader or coordinator, a coordinator still
	// loading. The last error is reported for the item. Default 5.
	MaxAttempts int `prop:"retries"`
}

func (c AdminConfig) withDefaults() AdminConfig {
	c.Config = c.Config.withDefaults()
	def(&c.DefaultTimeout, 60*time.Second)
	def(&c.MaxAttempts, 5)
	return c
}

func (c AdminConfig) validate() error {
	errs := c.Config.validate(nil)
	errs = positive(errs, "DefaultTimeout", c.DefaultTimeout)
	if c.MaxAttempts < 1 {
		errs = append(errs, fmt.Errorf("MaxAttempts %d must be at least 1", c.MaxAttempts))
	}
	return configError(errs)
}

// Admin manages a Kafka cluster: topics, partitions, configs, consumer
// groups and their offsets, ACLs, SCRAM users, records deletion, leader
// elections, log directories, producers and transactions, in the manner of
// kafka-python's KafkaAdminClient and Java's Admin.
//
// Every method takes a context; a context without a deadline gets
// AdminConfig.DefaultTimeout. Each request goes where its API needs it: the
// controller, a group or transaction coordinator, a partition's leader, a
// given broker, or every broker, with results merged. A method that acts on
// several items reports each item's failure with that item (in a map or an
// Err field) and returns a non-nil error only when the call as a whole
// failed. Retriable failures are retried up to AdminConfig.MaxAttempts.
//
// An Admin is safe for concurrent use. Results never share memory with the
// Admin or with one another's inputs.
type Admin struct {
	cfg     AdminConfig
	cl      *cluster.Cluster
	backoff wire.Backoff
}

// NewAdmin returns an Admin for cfg. It validates cfg, reporting every
// problem at once as a *ConfigError, but does not connect until the first
// call.
func NewAdmin(cfg AdminConfig) (*Admin, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cl, err := newCluster(cfg.Config)
	if err != nil {
		return nil, err
	}
	return &Admin{cfg: cfg, cl: cl, backoff: wire.Backoff{Base: cfg.RetryBackoff, Max: cfg.RetryBackoffMax, Jitter: 0.2}}, nil
}

// Close closes the Admin's connections; calls in flight fail. Idempotent.
func (a *Admin) Close() error {
	a.cl.Close()
	return nil
}

// withTimeout applies DefaultTimeout to a context without a deadline.
func (a *Admin) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, a.cfg.DefaultTimeout)
}

// opTimeoutMs is the time a broker may spend on an operation before it
// answers (the TimeoutMs of CreateTopics and the like): what is left of ctx
// and of one request's timeout, less a margin for the answer to arrive.
func (a *Admin) opTimeoutMs(ctx context.Context) int32 {
	d := a.cfg.RequestTimeout
	if dl, ok := ctx.Deadline(); ok {
		d = min(d, time.Until(dl))
	}
	d -= d / 10
	return int32(max(d, time.Millisecond) / time.Millisecond)
}

// send sends req to broker id, or to any broker when id is anyBroker, with
// one request's timeout. A broker without req's API fails it with
// ErrBrokerTooOld (admin_compat.go).
func (a *Admin) send(ctx context.Context, id int32, req protocol.Request) (protocol.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, a.cfg.RequestTimeout)
	defer cancel()
	if id == anyBroker {
		resp, _, err := a.cl.DoAny(ctx, req)
		return resp, a.tooOldOn(ctx, anyBroker, req.Key(), err)
	}
	resp, err := a.cl.Do(ctx, id, laneFor(req.Key()), req)
	return resp, a.tooOldOn(ctx, id, req.Key(), err)
}

// pause waits before retry number attempt; false when ctx ends first.
func (a *Admin) pause(ctx context.Context, attempt int) bool {
	t := time.NewTimer(a.backoff.Delay(attempt))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// retriable reports whether an item that failed with err may succeed if
// sent again, while ctx, the call's context, runs: a Kafka error marked
// retriable, or a failure to talk to the broker at all (an error carrying
// no Kafka code), a request that timed out (RequestTimeout) among them, as
// in Java's admin client.
func retriable(ctx context.Context, err error) bool {
	var f *finalError
	if err == nil || ctx.Err() != nil || errors.Is(err, cluster.ErrClosed) || errors.As(err, &f) {
		return false
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		return ke.Retriable
	}
	return !errors.Is(err, context.Canceled)
}

// finalError marks an error that fresh metadata gave, such as a partition
// that does not exist: asking again would give the same answer.
type finalError struct{ error }

func (e *finalError) Unwrap() error { return e.error }

// unanswered reports whether err is a failure to get an answer at all
// (a lost connection, a timeout of one request), as opposed to a Kafka
// error code the broker answered with.
func unanswered(err error) bool {
	var ke *kerr.Error
	return !errors.As(err, &ke) || errors.Is(err, kerr.NetworkException) || errors.Is(err, kerr.RequestTimedOut)
}

// isCoordinatorErr reports whether err says the request went to a broker
// that is not, or not yet, the coordinator: find it again and retry.
func isCoordinatorErr(err error) bool {
	return errors.Is(err, kerr.NotCoordinator) || errors.Is(err, kerr.CoordinatorNotAvailable) || errors.Is(err, kerr.CoordinatorLoadInProgress)
}

// controller returns the broker to send controller requests to: the active
// controller as the metadata names it, or any broker (which forwards them
// in KRaft clusters) when none is named.
func (a *Admin) controller(ctx context.Context) (int32, error) {
	m, err := a.cl.Refresh(ctx, []string{}, false)
	if err != nil {
		return 0, fmt.Errorf("core: finding the controller: %w", err)
	}
	if _, ok := m.Brokers[m.Controller]; !ok {
		return anyBroker, nil
	}
	return m.Controller, nil
}

// brokerIDs lists the brokers of the cluster, from fresh metadata.
func (a *Admin) brokerIDs(ctx context.Context) ([]int32, error) {
	m, err := a.refresh(ctx, []string{})
	if err != nil {
		return nil, fmt.Errorf("core: listing the brokers: %w", err)
	}
	return m.BrokerIDs(), nil
}

// toController sends what build makes to the controller and returns the
// response, retrying with a fresh controller while the response carries
// NOT_CONTROLLER for some item (reported by notController) or the request
// fails retriably.
func (a *Admin) toController(ctx context.Context, build func() protocol.Request, notController func(protocol.Response) bool) (protocol.Response, error) {
	return a.toControllerNoting(ctx, build, notController, nil)
}

// toControllerNoting is toController, setting *lost (when not nil) if an
// attempt before the answer went unanswered: the controller may have
// acted on it.
func (a *Admin) toControllerNoting(ctx context.Context, build func() protocol.Request, notController func(protocol.Response) bool, lost *error) (protocol.Response, error) {
	var lastErr error
	for attempt := 0; attempt < a.cfg.MaxAttempts; attempt++ {
		if attempt > 0 && !a.pause(ctx, attempt-1) {
			break
		}
		id, err := a.controller(ctx)
		if err == nil {
			var resp protocol.Response
			resp, err = a.send(ctx, id, build())
			if err == nil && !notController(resp) {
				return resp, nil
			}
			if err == nil {
				lastErr = kerr.NotController
				continue
			}
		}
		lastErr = keepCause(ctx, lastErr, err)
		if lost != nil && unanswered(err) {
			*lost = err
		}
		if !retriable(ctx, err) {
			break
		}
	}
	return nil, gaveUp(ctx, lastErr)
}

// toAny sends req to any broker, retrying retriable failures (the
// connection, a response that cannot be decoded, a retriable error code on
// the request as a whole) up to MaxAttempts with backoff, as the calls
// routed to a leader or coordinator do. A broker without the API
// (ErrBrokerTooOld) is not retried.
func (a *Admin) toAny(ctx context.Context, req protocol.Request) (protocol.Response, error) {
	var resp protocol.Response
	err := a.withRetries(ctx, func() (err error) {
		resp, err = a.send(ctx, anyBroker, req)
		return err
	})
	return resp, err
}

// withRetries runs try until it succeeds, up to MaxAttempts times with
// backoff while its error is retriable and not ErrBrokerTooOld, and
// returns its last error (with ctx's, when ctx ended first).
func (a *Admin) withRetries(ctx context.Context, try func() error) error {
	var lastErr error
	for attempt := 0; attempt < a.cfg.MaxAttempts; attempt++ {
		if attempt > 0 && !a.pause(ctx, attempt-1) {
			break
		}
		err := try()
		if err == nil {
			return nil
		}
		lastErr = keepCause(ctx, lastErr, err)
		if !retriable(ctx, err) || errors.Is(err, ErrBrokerTooOld) {
			break
		}
	}
	return gaveUp(ctx, lastErr)
}

// refresh returns the metadata of topics (nil: every topic; empty: the
// brokers only), retrying failures as toAny does.
func (a *Admin) refresh(ctx context.Context, topics []string) (*cluster.Metadata, error) {
	var m *cluster.Metadata
	err := a.withRetries(ctx, func() (err error) {
		m, err = a.cl.Refresh(ctx, topics, false)
		return err
	})
	return m, err
}

// ensureMetadata loads the cluster's metadata unless it has some
// (ensureMetadata of client_route.go), retrying failures as toAny does.
func (a *Admin) ensureMetadata(ctx context.Context) error {
	return a.withRetries(ctx, func() error { return ensureMetadata(ctx, a.cl) })
}

// str returns *p, or "" for nil.
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// itemErr is the error of one item of a response: its code and message.
func itemErr(code int16, msg *string) error { return kerr.WithMessage(code, msg) }
