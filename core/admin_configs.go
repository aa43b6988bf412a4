package core

import (
	"context"
	"fmt"

	"github.com/kafka3/kafka3-go/core/protocol"
)

// ConfigResourceType is the kind of thing a config belongs to.
type ConfigResourceType int8

// Config resource types, as Kafka numbers them.
const (
	ConfigResourceUnknown       ConfigResourceType = 0
	ConfigResourceTopic         ConfigResourceType = 2
	ConfigResourceBroker        ConfigResourceType = 4
	ConfigResourceBrokerLogger  ConfigResourceType = 8
	ConfigResourceClientMetrics ConfigResourceType = 16
	ConfigResourceGroup         ConfigResourceType = 32
)

// String returns Kafka's name of t, such as "TOPIC".
func (t ConfigResourceType) String() string {
	switch t {
	case ConfigResourceUnknown:
		return "UNKNOWN"
	case ConfigResourceTopic:
		return "TOPIC"
	case ConfigResourceBroker:
		return "BROKER"
	case ConfigResourceBrokerLogger:
		return "BROKER_LOGGER"
	case ConfigResourceClientMetrics:
		return "CLIENT_METRICS"
	case ConfigResourceGroup:
		return "GROUP"
	}
	return fmt.Sprintf("ConfigResourceType(%d)", int8(t))
}

// ConfigResource names a thing with configs: a topic by name, a broker by
// its id in decimal ("1"; "" for the cluster-wide broker defaults), a
// group by its id.
type ConfigResource struct {
	Type ConfigResourceType
	Name string
}

// String returns "TYPE:name".
func (r ConfigResource) String() string { return r.Type.String() + ":" + r.Name }

// ConfigSource says where a config's value comes from.
type ConfigSource int8

// Config sources, as Kafka numbers them.
const (
	ConfigSourceUnknown              ConfigSource = 0
	ConfigSourceDynamicTopic         ConfigSource = 1
	ConfigSourceDynamicBroker        ConfigSource = 2
	ConfigSourceDynamicDefaultBroker ConfigSource = 3
	ConfigSourceStaticBroker         ConfigSource = 4
	ConfigSourceDefault              ConfigSource = 5
	ConfigSourceDynamicBrokerLogger  ConfigSource = 6
	ConfigSourceClientMetrics        ConfigSource = 7
	ConfigSourceGroup                ConfigSource = 8
)

var configSourceNames = [...]string{"UNKNOWN", "DYNAMIC_TOPIC_CONFIG", "DYNAMIC_BROKER_CONFIG", "DYNAMIC_DEFAULT_BROKER_CONFIG",
	"STATIC_BROKER_CONFIG", "DEFAULT_CONFIG", "DYNAMIC_BROKER_LOGGER_CONFIG", "CLIENT_METRICS_CONFIG", "GROUP_CONFIG"}

// String returns Java's name of s, such as "DYNAMIC_TOPIC_CONFIG".
func (s ConfigSource) String() string {
	if s >= 0 && int(s) < len(configSourceNames) {
		return configSourceNames[s]
	}
	return fmt.Sprintf("ConfigSource(%d)", int8(s))
}

// ConfigSynonym is one of the places a config's value may come from, in
// order of precedence.
type ConfigSynonym struct {
	Name   string
	Value  *string
	Source ConfigSource
}

// ConfigEntry is one config of a resource.
type ConfigEntry struct {
	Name string
	// Value is nil for a sensitive config or one without a value.
	Value     *string
	ReadOnly  bool
	Sensitive bool
	Source    ConfigSource
	// Synonyms are set when DescribeConfigsOptions.Synonyms asks for them.
	Synonyms []ConfigSynonym
	// Documentation is set when DescribeConfigsOptions.Documentation asks.
	Documentation string
}

// ConfigResult is the configs of one resource, or why they are missing.
type ConfigResult struct {
	Resource ConfigResource
	Entries  []ConfigEntry
	Err      error
}

// DescribeConfigsOptions tune DescribeConfigs.
type DescribeConfigsOptions struct {
	// Names, when set, limits each resource's entries to these configs.
	Names []string
	// Synonyms and Documentation ask for each entry's synonyms and doc.
	Synonyms, Documentation bool
}

// DescribeConfigs returns the configs of resources, one result per
// resource in the order given. A broker's configs are asked of that broker;
// everything else of any broker. A resource that does not exist has its Err
// set and does not hide the others.
func (a *Admin) DescribeConfigs(ctx context.Context, resources []ConfigResource, opts DescribeConfigsOptions) []ConfigResult {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	d := dispatch[ConfigResource, ConfigResult]{
		route: a.routeConfigs,
		send: func(ctx context.Context, broker int32, keys []ConfigResource) (map[ConfigResource]ConfigResult, error) {
			req := &protocol.DescribeConfigsRequest{}
			req.Default()
			req.IncludeSynonyms, req.IncludeDocumentation = opts.Synonyms, opts.Documentation
			for _, k := range keys {
				req.Resources = append(req.Resources, protocol.DescribeConfigsRequestDescribeConfigsResource{ResourceType: int8(k.Type), ResourceName: k.Name, ConfigurationKeys: opts.Names})
			}
			resp, err := a.send(ctx, broker, req)
			if err != nil {
				return nil, err
			}
			out := map[ConfigResource]ConfigResult{}
			for _, r := range resp.(*protocol.DescribeConfigsResponse).Results {
				res := ConfigResource{ConfigResourceType(r.ResourceType), r.ResourceName}
				out[res] = ConfigResult{Resource: res, Entries: configEntries(r.Configs), Err: itemErr(r.ErrorCode, r.ErrorMessage)}
			}
			return out, nil
		},
		errOf: func(r ConfigResult) error { return r.Err },
		fail:  func(err error) ConfigResult { return ConfigResult{Err: err} },
		retry: unanswered,
	}
	res := d.run(ctx, a, resources)
	out := make([]ConfigResult, len(resources))
	for i, r := range resources {
		out[i] = res[r]
		out[i].Resource = r
	}
	return out
}

func configEntries(cs []protocol.DescribeConfigsResponseDescribeConfigsResourceResult) []ConfigEntry {
	out := make([]ConfigEntry, 0, len(cs))
	for _, c := range cs {
		e := ConfigEntry{Name: c.Name, Value: c.Value, ReadOnly: c.ReadOnly, Sensitive: c.IsSensitive,
			Source: ConfigSource(c.ConfigSource), Documentation: str(c.Documentation)}
		for _, s := range c.Synonyms {
			e.Synonyms = append(e.Synonyms, ConfigSynonym{Name: s.Name, Value: s.Value, Source: ConfigSource(s.Source)})
		}
		out = append(out, e)
	}
	return out
}

// routeConfigs sends a broker's (or broker logger's) resource to that
// broker, and every other resource to any broker.
func (a *Admin) routeConfigs(ctx context.Context, keys []ConfigResource) (map[int32][]ConfigResource, map[ConfigResource]error) {
	routes, errs := map[int32][]ConfigResource{}, map[ConfigResource]error{}
	if err := ensureMetadata(ctx, a.cl); err != nil {
		for _, k := range keys {
			errs[k] = err
		}
		return nil, errs
	}
	for _, k := range keys {
		id, ok := brokerResource(int8(k.Type), k.Name)
		if !ok {
			id = anyBroker
		}
		routes[id] = append(routes[id], k)
	}
	return routes, errs
}

// AlterOp is an operation of IncrementalAlterConfigs.
type AlterOp int8

// Operations of IncrementalAlterConfigs.
const (
	// AlterSet sets the config to the value.
	AlterSet AlterOp = 0
	// AlterDelete removes the config, restoring its default.
	AlterDelete AlterOp = 1
	// AlterAppend adds the value to a list config.
	AlterAppend AlterOp = 2
	// AlterSubtract removes the value from a list config.
	AlterSubtract AlterOp = 3
)

// String returns "SET", "DELETE", "APPEND" or "SUBTRACT".
func (o AlterOp) String() string {
	if o >= 0 && o <= 3 {
		return [...]string{"SET", "DELETE", "APPEND", "SUBTRACT"}[o]
	}
	return fmt.Sprintf("AlterOp(%d)", int8(o))
}

// ConfigAlteration is one change to a config.
type ConfigAlteration struct {
	Name  string
	Op    AlterOp
	Value string // ignored by AlterDelete
}

// IncrementalAlterConfigs changes the given configs of each resource,
// leaving the others as they are, and returns the error of each resource,
// nil for success. A broker's configs are changed through that broker.
// With validateOnly nothing changes.
func (a *Admin) IncrementalAlterConfigs(ctx context.Context, changes map[ConfigResource][]ConfigAlteration, validateOnly bool) map[ConfigResource]error {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	d := dispatch[ConfigResource, error]{
		route: a.routeConfigs,
		send: func(ctx context.Context, broker int32, keys []ConfigResource) (map[ConfigResource]error, error) {
			req := &protocol.IncrementalAlterConfigsRequest{}
			req.Default()
			req.ValidateOnly = validateOnly
			for _, k := range keys {
				r := protocol.IncrementalAlterConfigsRequestAlterConfigsResource{ResourceType: int8(k.Type), ResourceName: k.Name}
				for _, c := range changes[k] {
					v := &c.Value
					if c.Op == AlterDelete {
						v = nil
					}
					r.Configs = append(r.Configs, protocol.IncrementalAlterConfigsRequestAlterableConfig{Name: c.Name, ConfigOperation: int8(c.Op), Value: v})
				}
				req.Resources = append(req.Resources, r)
			}
			resp, err := a.send(ctx, broker, req)
			if err != nil {
				return nil, err
			}
			out := map[ConfigResource]error{}
			for _, r := range resp.(*protocol.IncrementalAlterConfigsResponse).Responses {
				out[ConfigResource{ConfigResourceType(r.ResourceType), r.ResourceName}] = itemErr(r.ErrorCode, r.ErrorMessage)
			}
			return out, nil
		},
		errOf: func(err error) error { return err },
		fail:  func(err error) error { return err },
		retry: unanswered,
	}
	keys := make([]ConfigResource, 0, len(changes))
	for k := range changes {
		keys = append(keys, k)
	}
	return d.run(ctx, a, keys)
}
