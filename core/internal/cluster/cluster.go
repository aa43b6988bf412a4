package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// Options configure a Cluster. Zero durations take the defaults of the
// client Config they come from; see core.Config.
type Options struct {
	Bootstrap []string
	Dial      wire.DialFunc
	ClientID  string
	// SoftwareName and SoftwareVersion are sent in ApiVersions v3+.
	SoftwareName, SoftwareVersion string

	MaxInFlight         int
	MaxResponseSize     int32
	ConnectTimeout      time.Duration
	RequestTimeout      time.Duration
	ReconnectBackoff    time.Duration
	ReconnectBackoffMax time.Duration
	ConnectionsMaxIdle  time.Duration
	MetadataMaxAge      time.Duration
	RetryBackoff        time.Duration

	// Authenticate, if set, runs on every new connection after ApiVersions:
	// the SASL exchange.
	Authenticate func(ctx context.Context, c *Conn) error

	// OnRoundTrip, if set, observes every request (metrics, interceptors)
	// with the id and address of the broker it went to; see
	// wire.Options.OnRoundTrip for the other arguments.
	OnRoundTrip func(node int32, addr string, key, version int16, bytesOut, bytesIn int, latency time.Duration, err error)

	Logger *slog.Logger
}

// Conn is a new connection handed to Options.Authenticate: the wire
// connection and the versions its broker supports.
type Conn struct {
	*wire.Conn
	Versions *Versions
}

// node is one broker the client talks to: a bootstrap address (negative id)
// or a broker from the metadata.
type node struct {
	id       int32
	addr     string
	broker   *wire.Broker
	versions atomic.Pointer[Versions]
}

// Cluster routes requests to brokers, negotiating versions and keeping
// metadata. Safe for concurrent use.
type Cluster struct {
	opts Options
	log  *slog.Logger

	mu     sync.Mutex
	nodes  map[int32]*node // by broker id; bootstrap seeds have ids -1, -2, ...
	closed bool

	meta      atomic.Pointer[Metadata]
	refreshMu sync.Mutex // one metadata refresh at a time

	coordMu sync.Mutex
	coords  map[coordKey]int32
}

// New returns a Cluster for the bootstrap addresses. It connects lazily.
func New(opts Options) *Cluster {
	c := &Cluster{opts: opts, log: opts.Logger, nodes: map[int32]*node{}, coords: map[coordKey]int32{}}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	for i, addr := range opts.Bootstrap {
		id := int32(-1 - i)
		c.nodes[id] = c.newNode(id, addr)
	}
	return c
}

func (c *Cluster) newNode(id int32, addr string) *node {
	n := &node{id: id, addr: addr}
	var hook func(key, version int16, out, in int, d time.Duration, err error)
	if f := c.opts.OnRoundTrip; f != nil {
		hook = func(key, version int16, out, in int, d time.Duration, err error) {
			f(id, addr, key, version, out, in, d, err)
		}
	}
	n.broker = wire.NewBroker(addr, wire.BrokerOptions{
		Dial:                c.opts.Dial,
		DialTimeout:         c.opts.ConnectTimeout,
		ReconnectBackoff:    c.opts.ReconnectBackoff,
		ReconnectBackoffMax: c.opts.ReconnectBackoffMax,
		ConnectionsMaxIdle:  c.opts.ConnectionsMaxIdle,
		Conn: wire.Options{
			ClientID:        c.opts.ClientID,
			MaxInFlight:     c.opts.MaxInFlight,
			MaxResponseSize: c.opts.MaxResponseSize,
			Logger:          c.opts.Logger,
			OnRoundTrip:     hook,
			Init:            func(ctx context.Context, conn *wire.Conn) error { return c.initConn(ctx, n, conn) },
		},
	})
	return n
}

// initConn negotiates API versions on a new connection, then authenticates.
func (c *Cluster) initConn(ctx context.Context, n *node, conn *wire.Conn) error {
	v, err := c.apiVersions(ctx, conn)
	if err != nil {
		return err
	}
	n.versions.Store(v)
	if c.opts.Authenticate != nil {
		return c.opts.Authenticate(ctx, &Conn{Conn: conn, Versions: v})
	}
	return nil
}

// apiVersions asks at this client's highest ApiVersions version; a broker
// that does not know it answers UNSUPPORTED_VERSION with its own range in a
// v0 body, and the request is repeated at the broker's highest version.
func (c *Cluster) apiVersions(ctx context.Context, conn *wire.Conn) (*Versions, error) {
	req := &protocol.ApiVersionsRequest{ClientSoftwareName: c.opts.SoftwareName, ClientSoftwareVersion: c.opts.SoftwareVersion}
	req.Default()
	req.ClientSoftwareName, req.ClientSoftwareVersion = c.opts.SoftwareName, c.opts.SoftwareVersion
	version := req.MaxVersion()
	for attempt := 0; attempt < 2; attempt++ {
		resp := &protocol.ApiVersionsResponse{}
		body, err := roundTrip(ctx, conn, req, version)
		if err != nil {
			return nil, fmt.Errorf("cluster: ApiVersions with %s: %w (a broker older than 0.10 closes the connection here)", conn.Addr(), err)
		}
		if err := resp.Decode(body, version); err != nil && version > 0 {
			// UNSUPPORTED_VERSION comes back as a v0 body.
			if err0 := resp.Decode(body, 0); err0 != nil {
				return nil, fmt.Errorf("cluster: ApiVersions response from %s: %w", conn.Addr(), err)
			}
		} else if err != nil {
			return nil, fmt.Errorf("cluster: ApiVersions response from %s: %w", conn.Addr(), err)
		}
		if resp.ErrorCode == 0 {
			return newVersions(resp), nil
		}
		if resp.ErrorCode != kerr.UnsupportedVersion.Code {
			return nil, fmt.Errorf("cluster: ApiVersions with %s: %w", conn.Addr(), kerr.ForCode(resp.ErrorCode))
		}
		_, hi, ok := newVersions(resp).Range(req.Key())
		if !ok {
			// Brokers before 2.4 answer with an empty list: v0 is the one
			// version every broker since 0.10 speaks.
			hi, ok = 0, version > 0
		}
		if !ok || hi >= version {
			break
		}
		version = hi
	}
	return nil, fmt.Errorf("cluster: broker %s and this client share no ApiVersions version: %w", conn.Addr(), kerr.UnsupportedVersion)
}

// roundTrip encodes req at version, sends it on conn and returns the body of
// the response.
func roundTrip(ctx context.Context, conn *wire.Conn, req protocol.Request, version int16) ([]byte, error) {
	wreq, err := wireRequest(req, version, nil)
	if err != nil {
		return nil, err
	}
	resp, err := conn.RoundTrip(ctx, wreq)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// wireRequest encodes req at version into buf. It fails, sending nothing,
// when a non-flexible version cannot carry one of req's strings.
func wireRequest(req protocol.Request, version int16, buf []byte) (*wire.Request, error) {
	if err := checkStrings(req, version); err != nil {
		return nil, err
	}
	return &wire.Request{
		Key:                   req.Key(),
		Version:               version,
		HeaderVersion:         req.RequestHeaderVersion(version),
		ResponseHeaderVersion: req.NewResponse().ResponseHeaderVersion(version),
		Body:                  req.AppendTo(buf[:0], version),
		NoResponse:            noResponse(req),
	}, nil
}

// checkStrings fails for a string of req that version would cut: at a
// non-flexible version (request header v0 or v1) strings carry at most
// 32767 bytes.
func checkStrings(req protocol.Request, version int16) error {
	if req.RequestHeaderVersion(version) >= 2 {
		return nil
	}
	if err := protocol.CheckStrings(req); err != nil {
		return fmt.Errorf("cluster: %s v%d: %w", protocol.APIName(req.Key()), version, err)
	}
	return nil
}

// noResponse reports whether the broker will not answer req: a Produce with acks=0.
func noResponse(req protocol.Request) bool {
	p, ok := req.(*protocol.ProduceRequest)
	return ok && p.Acks == 0
}

// ErrClosed is returned by a Cluster used after Close.
var ErrClosed = errors.New("cluster: client closed")

// nodeByID returns the node of a broker id, creating it from the metadata.
func (c *Cluster) nodeByID(id int32) (*node, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	if n := c.nodes[id]; n != nil {
		return n, nil
	}
	if m := c.meta.Load(); m != nil {
		if b, ok := m.Brokers[id]; ok {
			n := c.newNode(id, b.Addr())
			c.nodes[id] = n
			return n, nil
		}
	}
	return nil, fmt.Errorf("cluster: broker %d is not in the metadata; refresh it and retry: %w", id, kerr.BrokerNotAvailable)
}

// Do sends req to broker id on lane, at the highest version both sides
// support, and returns the decoded response, waiting at most the client's
// RequestTimeout (or less if ctx ends sooner; see requestContext). It does
// not retry. For a Produce with
// acks=0 the response is nil.
func (c *Cluster) Do(ctx context.Context, id int32, lane wire.Lane, req protocol.Request) (protocol.Response, error) {
	n, err := c.nodeByID(id)
	if err != nil {
		return nil, err
	}
	return c.doNode(ctx, n, lane, req, req.MaxVersion())
}

// doNode is Do on node n, at a version no higher than maxVersion.
func (c *Cluster) doNode(ctx context.Context, n *node, lane wire.Lane, req protocol.Request, maxVersion int16) (protocol.Response, error) {
	ctx, cancel := c.requestContext(ctx, req.Key())
	defer cancel()
	conn, err := n.broker.Conn(ctx, lane)
	if err != nil {
		return nil, err
	}
	version, err := n.versions.Load().PickUpTo(req, maxVersion, n.addr)
	if err != nil {
		return nil, err
	}
	wreq, err := wireRequest(req, version, nil)
	if err != nil {
		return nil, err
	}
	wresp, err := conn.RoundTrip(ctx, wreq)
	if err != nil {
		return nil, fmt.Errorf("%s to %s: %w", protocol.APIName(req.Key()), n.addr, err)
	}
	if wreq.NoResponse {
		return nil, nil
	}
	resp := req.NewResponse()
	if err := resp.Decode(wresp.Body, version); err != nil {
		return nil, fmt.Errorf("cluster: %s v%d response from %s: %w", protocol.APIName(req.Key()), version, n.addr, err)
	}
	return resp, nil
}

// joinGroupKey is the API key of JoinGroup, whose response waits for the
// whole rebalance.
const joinGroupKey = 11

// requestContext bounds one request by the client's RequestTimeout, as
// Java's request.timeout.ms does, whatever longer deadline ctx has; ctx's
// own deadline still applies when it is sooner. JoinGroup is the exception:
// the broker holds it for up to the rebalance timeout, so the caller's ctx
// alone bounds it.
func (c *Cluster) requestContext(ctx context.Context, key int16) (context.Context, context.CancelFunc) {
	if key == joinGroupKey || c.opts.RequestTimeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, c.opts.RequestTimeout)
}

// Versions returns the API versions of broker id, connecting if needed.
func (c *Cluster) Versions(ctx context.Context, id int32) (*Versions, error) {
	n, err := c.nodeByID(id)
	if err != nil {
		return nil, err
	}
	if v := n.versions.Load(); v != nil {
		return v, nil
	}
	if _, err := n.broker.Conn(ctx, wire.LaneAdmin); err != nil {
		return nil, err
	}
	return n.versions.Load(), nil
}

// DoAny sends req to any reachable broker, trying each known one (brokers
// from the metadata first, then the bootstrap addresses) until one answers.
// It returns the response and the id of the broker that answered.
func (c *Cluster) DoAny(ctx context.Context, req protocol.Request) (protocol.Response, int32, error) {
	var errs []error
	for _, n := range c.candidates() {
		resp, err := c.doNode(ctx, n, wire.LaneAdmin, req, req.MaxVersion())
		if err == nil {
			return resp, n.id, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil || errors.Is(err, kerr.UnsupportedVersion) {
			break
		}
	}
	if len(errs) == 0 {
		return nil, 0, ErrClosed
	}
	return nil, 0, fmt.Errorf("cluster: no broker answered %s: %w", protocol.APIName(req.Key()), errors.Join(errs...))
}

// candidates lists the nodes to try for a request to any broker: known
// brokers in random order, then bootstrap seeds in random order, leaving out
// a seed at the address of a known broker (asking the same broker twice in
// one round only doubles the load of a failure).
func (c *Cluster) candidates() []*node {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	var brokers, seeds []*node
	known := map[string]bool{}
	m := c.meta.Load()
	if m != nil {
		for id := range m.Brokers {
			n := c.nodes[id]
			if n == nil {
				n = c.newNode(id, m.Brokers[id].Addr())
				c.nodes[id] = n
			}
			brokers = append(brokers, n)
			known[n.addr] = true
		}
	}
	for id, n := range c.nodes {
		if id < 0 && !known[n.addr] {
			seeds = append(seeds, n)
		}
	}
	rand.Shuffle(len(brokers), func(i, j int) { brokers[i], brokers[j] = brokers[j], brokers[i] })
	rand.Shuffle(len(seeds), func(i, j int) { seeds[i], seeds[j] = seeds[j], seeds[i] })
	return append(brokers, seeds...)
}

// Close closes every connection. Requests in flight fail.
func (c *Cluster) Close() {
	c.mu.Lock()
	nodes := c.nodes
	c.nodes, c.closed = map[int32]*node{}, true
	c.mu.Unlock()
	for _, n := range nodes {
		_ = n.broker.Close()
	}
}

// Do sends req on this connection at the highest common version and returns
// the decoded response: for exchanges that must happen on one particular
// connection, such as SASL.
func (c *Conn) Do(ctx context.Context, req protocol.Request) (protocol.Response, error) {
	version, err := c.Versions.Pick(req, c.Addr())
	if err != nil {
		return nil, err
	}
	body, err := roundTrip(ctx, c.Conn, req, version)
	if err != nil {
		return nil, err
	}
	resp := req.NewResponse()
	if err := resp.Decode(body, version); err != nil {
		return nil, fmt.Errorf("cluster: %s v%d response from %s: %w", protocol.APIName(req.Key()), version, c.Addr(), err)
	}
	return resp, nil
}
