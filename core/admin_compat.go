package core

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kafka3/kafka3-go/core/internal/brokerversion"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// Calls on brokers too old for them. Every Admin request goes through
// Admin.send, which turns the cluster's UNSUPPORTED_VERSION for an API the
// broker does not serve into ErrBrokerTooOld naming the API and the first
// Kafka release that has it; a call that needs a newer version of an API
// the broker has (a filter, a field) checks it first with needVersion.

// API versions that Admin calls need for some of their options.
const (
	listOffsetsMaxTimestamp = 7 // OffsetSpecMaxTimestamp (KIP-734, Kafka 3.0)
	electLeadersTyped       = 1 // ElectionType other than preferred (KIP-460, Kafka 2.4)
	leaveGroupBatch         = 3 // members by id and instance id (KIP-345, Kafka 2.4)
	listGroupsStates        = 4 // StatesFilter (KIP-518, Kafka 2.6)
	listGroupsTypes         = 5 // TypesFilter (KIP-848, Kafka 3.8)
	createACLsPrefixed      = 1 // ResourcePatternType: PREFIXED (KIP-290, Kafka 2.0)
	listTxnsDuration        = 1 // DurationFilter (KIP-994, Kafka 3.8)
	listTxnsPattern         = 2 // TransactionalIdPattern (KIP-1152, Kafka 4.1)
	createTopicsDefaults    = 4 // -1 partitions or replication factor (KIP-464, Kafka 2.4)
)

// ErrBrokerTooOld is the error of a call that the broker cannot serve
// because it predates the API (or the API version) the call needs. The
// message names the API and the first Kafka release that has it; the
// error also matches kerr.UnsupportedVersion. Upgrade the broker, or do
// without the call.
var ErrBrokerTooOld = errors.New("core: the broker is too old for this call")

// apiRelease names the first release with API key, e.g. "Kafka 0.11.0", or
// "a newer Kafka" when the table does not know the API.
func apiRelease(key int16) string {
	if v, ok := brokerversion.Since(key); ok {
		return "Kafka " + v.String()
	}
	return "a newer Kafka"
}

// unsupportedVersion reports whether err is the cluster's refusal of a
// request whose API the broker does not serve (or not at a version this
// client speaks), as opposed to a broker's error code.
func unsupportedVersion(err error) bool { return errors.Is(err, kerr.UnsupportedVersion) }

// tooOld explains err, the failure of a request of API key, when it says
// the broker does not serve the API: the result matches ErrBrokerTooOld
// and kerr.UnsupportedVersion and names the API and its first release.
// Other errors are returned as they are.
func tooOld(key int16, err error) error {
	if err == nil || !unsupportedVersion(err) || errors.Is(err, ErrBrokerTooOld) {
		return err
	}
	return fmt.Errorf("%w: %s needs %s or newer (%w)", ErrBrokerTooOld, protocol.APIName(key), apiRelease(key), err)
}

// tooOldOn is tooOld for a request that broker id (anyBroker: any of the
// cluster's brokers) failed: only when the broker's API versions show it
// lacks the API (an UNSUPPORTED_VERSION for an API it has, at versions this
// client does not speak, stays as it is).
func (a *Admin) tooOldOn(ctx context.Context, id int32, key int16, err error) error {
	if err == nil || !unsupportedVersion(err) {
		return err
	}
	ids := []int32{id}
	if id == anyBroker {
		// A fresh Admin's first call goes to a bootstrap broker before any
		// metadata is known: look the brokers up then.
		ids, _ = a.brokerIDs(ctx)
	}
	for _, id := range ids {
		v, verr := a.cl.Versions(ctx, id)
		if verr != nil || v == nil {
			continue
		}
		if _, _, ok := v.Range(key); !ok {
			return tooOld(key, err)
		}
	}
	return err
}

// needVersion checks that broker id serves API key at version min or
// newer, which feature (e.g. "filtering by state") needs; since says which
// release brought that version. It returns nil when the broker's versions
// cannot be had (the request then reports what goes wrong). For anyBroker
// it checks the first broker of the metadata.
func (a *Admin) needVersion(ctx context.Context, id int32, key, min int16, since BrokerVersion, feature string) error {
	if id == anyBroker {
		ids, err := a.brokerIDs(ctx)
		if err != nil || len(ids) == 0 {
			return nil
		}
		id = ids[0]
	}
	v, err := a.cl.Versions(ctx, id)
	if err != nil || v == nil {
		return nil
	}
	_, hi, ok := v.Range(key)
	if !ok {
		return tooOld(key, fmt.Errorf("core: broker %d does not serve %s: %w", id, protocol.APIName(key), kerr.UnsupportedVersion))
	}
	if hi < min {
		return fmt.Errorf("%w: %s needs %s v%d, Kafka %s or newer; broker %d speaks up to v%d (%w)",
			ErrBrokerTooOld, feature, protocol.APIName(key), min, since, id, hi, kerr.UnsupportedVersion)
	}
	return nil
}

// needListGroupsFilters checks that broker id can filter groups as opts
// asks (an older broker would ignore the filter and list every group).
func (a *Admin) needListGroupsFilters(ctx context.Context, id int32, opts ListGroupsOptions) error {
	key := (*protocol.ListGroupsRequest)(nil).Key()
	if len(opts.Types) > 0 {
		if err := a.needVersion(ctx, id, key, listGroupsTypes, BrokerVersion{Major: 3, Minor: 8}, "ListGroupsOptions.Types"); err != nil {
			return err
		}
	}
	if len(opts.States) > 0 {
		return a.needVersion(ctx, id, key, listGroupsStates, BrokerVersion{Major: 2, Minor: 6}, "ListGroupsOptions.States")
	}
	return nil
}

// needCreateTopicsDefaults checks that the controller takes the broker's
// defaults for a topic's partitions or replication factor (left 0 without
// Assignments) when some topic asks for them.
func (a *Admin) needCreateTopicsDefaults(ctx context.Context, topics []NewTopic) error {
	defaults := false
	for _, t := range topics {
		if len(t.Assignments) == 0 && (t.Partitions == 0 || t.ReplicationFactor == 0) {
			defaults = true
		}
	}
	if !defaults {
		return nil
	}
	id, err := a.controller(ctx)
	if err != nil {
		return nil // toController reports it
	}
	err = a.needVersion(ctx, id, (*protocol.CreateTopicsRequest)(nil).Key(), createTopicsDefaults, BrokerVersion{Major: 2, Minor: 4},
		"the broker's default partitions or replication factor (NewTopic.Partitions or ReplicationFactor 0)")
	if err != nil {
		return fmt.Errorf("%w; set both Partitions and ReplicationFactor", err)
	}
	return nil
}

// needListTransactionsFilters checks that broker id applies the filters
// opts asks for (an older broker would ignore them).
func (a *Admin) needListTransactionsFilters(ctx context.Context, id int32, opts ListTransactionsOptions) error {
	key := (*protocol.ListTransactionsRequest)(nil).Key()
	if opts.Pattern != "" {
		if err := a.needVersion(ctx, id, key, listTxnsPattern, BrokerVersion{Major: 4, Minor: 1}, "ListTransactionsOptions.Pattern"); err != nil {
			return err
		}
	}
	if opts.RunningLongerThan > 0 {
		return a.needVersion(ctx, id, key, listTxnsDuration, BrokerVersion{Major: 3, Minor: 8}, "ListTransactionsOptions.RunningLongerThan")
	}
	return nil
}

// needPrefixedACLs checks that the brokers take prefixed ACLs when some
// binding is one (an older broker would create a literal ACL instead).
func (a *Admin) needPrefixedACLs(ctx context.Context, bindings []ACLBinding) error {
	if !slices.ContainsFunc(bindings, func(b ACLBinding) bool { return b.PatternType == ACLPatternPrefixed }) {
		return nil
	}
	return a.needVersion(ctx, anyBroker, (*protocol.CreateAclsRequest)(nil).Key(), createACLsPrefixed, BrokerVersion{Major: 2}, "a prefixed ACL (ACLPatternPrefixed)")
}

// describeClusterFromMetadata is DescribeCluster for brokers before Kafka
// 2.8, which lack the DescribeCluster API: the same facts from Metadata.
func (a *Admin) describeClusterFromMetadata(ctx context.Context) (ClusterDescription, error) {
	m, err := a.refresh(ctx, []string{})
	if err != nil {
		return ClusterDescription{}, fmt.Errorf("core: DescribeCluster (from Metadata, the broker predates DescribeCluster): %w", err)
	}
	d := ClusterDescription{ClusterID: m.ClusterID, ControllerID: m.Controller}
	for _, id := range m.BrokerIDs() {
		b := m.Brokers[id]
		d.Brokers = append(d.Brokers, BrokerDescription{ID: b.ID, Host: b.Host, Port: b.Port, Rack: b.Rack})
	}
	slices.SortFunc(d.Brokers, func(x, y BrokerDescription) int { return int(x.ID) - int(y.ID) })
	return d, nil
}
