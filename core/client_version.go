package core

import (
	"context"
	"fmt"

	"github.com/kafka3/kafka3-go/core/internal/brokerversion"
)

// BrokerVersion is a Kafka release as CheckVersion infers it, such as 4.4 or
// 0.10.2. It means "at least": a broker newer than this library knows is
// reported as the newest release known.
type BrokerVersion = brokerversion.Version

// CheckVersion infers the brokers' Kafka release from their ApiVersions
// responses, like kafka-python's check_version, and returns the oldest
// across the cluster's brokers, since that bounds what the cluster as a
// whole supports. It connects to every broker listed in the metadata.
func (c *Client) CheckVersion(ctx context.Context) (BrokerVersion, error) {
	if err := ensureMetadata(ctx, c.cluster); err != nil {
		return BrokerVersion{}, err
	}
	var oldest BrokerVersion
	for i, id := range c.cluster.Metadata().BrokerIDs() {
		v, err := c.BrokerVersion(ctx, id)
		if err != nil {
			return BrokerVersion{}, err
		}
		if i == 0 || v.Compare(oldest) < 0 {
			oldest = v
		}
	}
	return oldest, nil
}

// BrokerVersion infers the Kafka release of one broker, by id.
func (c *Client) BrokerVersion(ctx context.Context, brokerID int32) (BrokerVersion, error) {
	versions, err := c.APIVersions(ctx, brokerID)
	if err != nil {
		return BrokerVersion{}, err
	}
	return brokerversion.Guess(versions), nil
}

// APIVersions returns the highest version of each API (by key) that a
// broker supports, from its ApiVersions response.
func (c *Client) APIVersions(ctx context.Context, brokerID int32) (map[int16]int16, error) {
	if err := ensureMetadata(ctx, c.cluster); err != nil {
		return nil, err
	}
	v, err := c.cluster.Versions(ctx, brokerID)
	if err != nil {
		return nil, fmt.Errorf("core: asking broker %d for its API versions: %w", brokerID, err)
	}
	return v.Max(), nil
}
