package core

import (
	"context"
	"fmt"
	"net"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// Version is this library's version, sent to brokers in ApiVersions.
const Version = "0.1.0"

// Client is the low-level protocol client: it sends any Kafka request to the
// right broker at the highest version both sides speak, and reports the
// broker's version. The Producer, Consumer and Admin are built on the same
// machinery. Safe for concurrent use.
type Client struct {
	cfg     Config
	cluster *cluster.Cluster
}

// NewClient returns a Client for cfg. It validates cfg (all problems at
// once, as a *ConfigError) but does not connect until the first request.
func NewClient(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if err := configError(cfg.validate(nil)); err != nil {
		return nil, err
	}
	cl, err := newCluster(cfg)
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, cluster: cl}, nil
}

// newCluster builds the connection machinery every client shares, for a
// Client or an Admin.
func newCluster(cfg Config) (*cluster.Cluster, error) {
	ics, err := newInterceptors(cfg, ClientInfo{Kind: "client"})
	if err != nil {
		return nil, err
	}
	return newClusterWith(cfg, ics)
}

// newClusterWith is newCluster with the client's interceptors, whose
// BrokerInterceptors observe every request.
func newClusterWith(cfg Config, ics *interceptors) (*cluster.Cluster, error) {
	auth, err := saslAuthenticator(cfg)
	if err != nil {
		return nil, err
	}
	return cluster.New(cluster.Options{
		Bootstrap:           cfg.BootstrapServers,
		Dial:                dialer(cfg),
		ClientID:            cfg.ClientID,
		SoftwareName:        "kafka3-go",
		SoftwareVersion:     Version,
		MaxInFlight:         cfg.MaxInFlightRequestsPerConnection,
		MaxResponseSize:     cfg.MaxResponseSize,
		ConnectTimeout:      cfg.ConnectTimeout,
		RequestTimeout:      cfg.RequestTimeout,
		ReconnectBackoff:    cfg.ReconnectBackoff,
		ReconnectBackoffMax: cfg.ReconnectBackoffMax,
		ConnectionsMaxIdle:  cfg.ConnectionsMaxIdle,
		MetadataMaxAge:      cfg.MetadataMaxAge,
		RetryBackoff:        cfg.RetryBackoff,
		Authenticate:        auth,
		OnRoundTrip:         ics.roundTripHook(),
		Logger:              cfg.Logger,
	}), nil
}

// dialer returns the dial function for cfg's transport and security protocol.
func dialer(cfg Config) wire.DialFunc {
	t := cfg.Transport
	if t == nil {
		t = TCP
	}
	if cfg.SecurityProtocol == SSL || cfg.SecurityProtocol == SASLSSL {
		return func(ctx context.Context, _, addr string) (net.Conn, error) {
			return dialTLS(ctx, t, cfg.TLS, addr)
		}
	}
	return t.DialContext
}

// Request sends req to the broker that must handle it and returns the
// decoded response (nil for a Produce with acks 0):
//   - group APIs go to the group's coordinator, transaction APIs to the
//     transaction coordinator;
//   - topic administration (CreateTopics, DeleteTopics, CreatePartitions,
//     ElectLeaders, partition reassignments) goes to the controller;
//   - partition APIs (Produce, Fetch, ListOffsets, DeleteRecords,
//     OffsetForLeaderEpoch) go to the leader of their partitions, which must
//     all have the same leader (split the request otherwise, or use RequestTo);
//   - DescribeConfigs and IncrementalAlterConfigs of a broker resource go to
//     that broker;
//   - everything else goes to any broker.
//
// Request does not retry and does not interpret error codes in the response.
// Build requests with Default() first: a literal leaves fields whose spec
// default is not Go's zero value (such as -1 for "none") at zero.
func (c *Client) Request(ctx context.Context, req protocol.Request) (protocol.Response, error) {
	id, err := route(ctx, c.cluster, req)
	if err != nil {
		return nil, err
	}
	if id == anyBroker {
		resp, _, err := c.cluster.DoAny(ctx, req)
		return resp, err
	}
	return c.cluster.Do(ctx, id, laneFor(req.Key()), req)
}

// RequestTo sends req to the broker with the given id, as listed in the
// cluster's metadata.
func (c *Client) RequestTo(ctx context.Context, brokerID int32, req protocol.Request) (protocol.Response, error) {
	if err := ensureMetadata(ctx, c.cluster); err != nil {
		return nil, err
	}
	return c.cluster.Do(ctx, brokerID, laneFor(req.Key()), req)
}

// Close closes every connection; requests in flight fail. Idempotent.
func (c *Client) Close() error {
	c.cluster.Close()
	return nil
}

// laneFor keeps produce, fetch and group traffic on their own connections.
func laneFor(key int16) wire.Lane {
	switch key {
	case 0:
		return wire.LaneProduce
	case 1:
		return wire.LaneFetch
	case 8, 9, 11, 12, 13, 14, 68:
		return wire.LaneGroup
	}
	return wire.LaneAdmin
}

// errSplitRequest is returned for partition requests spanning leaders.
func errSplitRequest(api string, a, b int32) error {
	return fmt.Errorf("core: the %s request has partitions led by brokers %d and %d; send one request per leader (Client.RequestTo) or use the Producer, Consumer or Admin", api, a, b)
}
