package core

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// NewTopic describes a topic to create.
type NewTopic struct {
	// Name is the topic's name. Required.
	Name string
	// Partitions is the number of partitions; 0 means the broker's
	// num.partitions. Must be 0 with Assignments.
	Partitions int32
	// ReplicationFactor is the number of replicas of each partition; 0 means
	// the broker's default.replication.factor. Must be 0 with Assignments.
	ReplicationFactor int16
	// Assignments, when set, places each partition (by index, from 0 with
	// none missing) on the listed brokers, the first being the preferred
	// leader.
	Assignments map[int32][]int32
	// Configs are topic configs such as "cleanup.policy": "compact".
	Configs map[string]string
}

// CreateTopicsOptions tune CreateTopics. The zero value creates the topics
// and returns once the controller has accepted them.
type CreateTopicsOptions struct {
	// ValidateOnly checks that the topics could be created, creating none.
	ValidateOnly bool
	// WaitForLeaders waits, within the call's context, until every partition
	// of each created topic has a leader, so that it can be produced to at
	// once. A topic still without leaders when the context ends gets that
	// error.
	WaitForLeaders bool
}

// CreateTopicResult is the outcome of creating one topic.
type CreateTopicResult struct {
	Name string
	// ID is the topic's id (zero before Kafka 2.8 or on error).
	ID [16]byte
	// Partitions and ReplicationFactor are what the topic got (-1 when the
	// broker does not say).
	Partitions        int32
	ReplicationFactor int16
	// Configs are the topic's configs as created, including defaults, when
	// the broker returns them.
	Configs map[string]string
	// Err is why the topic was not created, nil on success.
	Err error
}

// CreateTopics creates topics through the controller and returns one
// result per topic, in the order of topics. One topic failing (it exists,
// its name or config is invalid, ...) does not stop the others. The error
// is non-nil only when the request itself failed. A request that went
// unanswered is sent again (up to MaxAttempts); a topic the lost attempt
// may have created then comes back TOPIC_ALREADY_EXISTS, and its error
// says so.
func (a *Admin) CreateTopics(ctx context.Context, topics []NewTopic, opts CreateTopicsOptions) ([]CreateTopicResult, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	if err := a.needCreateTopicsDefaults(ctx, topics); err != nil {
		return nil, fmt.Errorf("core: CreateTopics: %w", err)
	}
	build := func() protocol.Request {
		req := &protocol.CreateTopicsRequest{}
		req.Default()
		req.TimeoutMs, req.ValidateOnly = a.opTimeoutMs(ctx), opts.ValidateOnly
		for _, t := range topics {
			req.Topics = append(req.Topics, creatableTopic(t))
		}
		return req
	}
	var lost error // of an attempt that went unanswered before the answer
	resp, err := a.toControllerNoting(ctx, build, func(r protocol.Response) bool {
		return slices.ContainsFunc(r.(*protocol.CreateTopicsResponse).Topics, func(t protocol.CreateTopicsResponseCreatableTopicResult) bool {
			return t.ErrorCode == kerr.NotController.Code
		})
	}, &lost)
	if err != nil {
		return nil, fmt.Errorf("core: CreateTopics: %w", err)
	}
	byName := map[string]CreateTopicResult{}
	for _, t := range resp.(*protocol.CreateTopicsResponse).Topics {
		r := createdTopic(t)
		if lost != nil && errors.Is(r.Err, kerr.TopicAlreadyExists) {
			r.Err = fmt.Errorf("%w (an earlier attempt of this call went unanswered and may have created it: %v)", r.Err, lost)
		}
		byName[t.Name] = r
	}
	out := make([]CreateTopicResult, len(topics))
	var created []CreateTopicResult
	for i, t := range topics {
		r, ok := byName[t.Name]
		if !ok {
			r = CreateTopicResult{Name: t.Name, Partitions: -1, ReplicationFactor: -1,
				Err: fmt.Errorf("core: the controller did not answer for topic %q; describe it to see whether it exists: %w", t.Name, kerr.UnknownServerError)}
		}
		out[i] = r
		if r.Err == nil && !opts.ValidateOnly {
			created = append(created, r)
		}
	}
	if opts.WaitForLeaders && len(created) > 0 {
		waitErrs := a.waitForLeaders(ctx, created)
		for i := range out {
			if err := waitErrs[out[i].Name]; err != nil && out[i].Err == nil {
				out[i].Err = err
			}
		}
	}
	return out, nil
}

func creatableTopic(t NewTopic) protocol.CreateTopicsRequestCreatableTopic {
	c := protocol.CreateTopicsRequestCreatableTopic{Name: t.Name, NumPartitions: -1, ReplicationFactor: -1}
	if t.Partitions != 0 {
		c.NumPartitions = t.Partitions
	}
	if t.ReplicationFactor != 0 {
		c.ReplicationFactor = t.ReplicationFactor
	}
	for p, brokers := range t.Assignments {
		c.Assignments = append(c.Assignments, protocol.CreateTopicsRequestCreatableReplicaAssignment{PartitionIndex: p, BrokerIds: brokers})
	}
	sort.Slice(c.Assignments, func(i, j int) bool { return c.Assignments[i].PartitionIndex < c.Assignments[j].PartitionIndex })
	for k, v := range t.Configs {
		c.Configs = append(c.Configs, protocol.CreateTopicsRequestCreatableTopicConfig{Name: k, Value: &v})
	}
	return c
}

func createdTopic(t protocol.CreateTopicsResponseCreatableTopicResult) CreateTopicResult {
	r := CreateTopicResult{Name: t.Name, ID: t.TopicId, Partitions: t.NumPartitions, ReplicationFactor: t.ReplicationFactor,
		Err: itemErr(t.ErrorCode, t.ErrorMessage)}
	if len(t.Configs) > 0 {
		r.Configs = make(map[string]string, len(t.Configs))
		for _, c := range t.Configs {
			r.Configs[c.Name] = str(c.Value)
		}
	}
	return r
}

// waitForLeaders polls the metadata of topics until each has all its
// partitions led, and returns the error of each topic that never did.
func (a *Admin) waitForLeaders(ctx context.Context, topics []CreateTopicResult) map[string]error {
	waiting := map[string]int32{}
	for _, t := range topics {
		waiting[t.Name] = t.Partitions
	}
	var lastErr error
	for attempt := 0; len(waiting) > 0; attempt++ {
		if attempt > 0 && !a.pause(ctx, min(attempt-1, 2)) {
			break
		}
		names := make([]string, 0, len(waiting))
		for n := range waiting {
			names = append(names, n)
		}
		m, err := a.cl.Refresh(ctx, names, false)
		if err != nil {
			lastErr = err
			continue
		}
		for n, want := range waiting {
			if allLed(m, n, want) {
				delete(waiting, n)
			}
		}
	}
	errs := map[string]error{}
	for n := range waiting {
		errs[n] = fmt.Errorf("core: topic %q was created but not all its partitions have a leader yet; give the call more time: %w", n, errors.Join(ctx.Err(), lastErr))
	}
	return errs
}

// allLed reports whether topic has want partitions (any number when want
// is negative), all with a leader.
func allLed(m *cluster.Metadata, topic string, want int32) bool {
	t := m.Topics[topic]
	if t == nil || t.Err != nil || len(t.Partitions) == 0 || (want >= 0 && int32(len(t.Partitions)) != want) {
		return false
	}
	for _, p := range t.Partitions {
		if _, _, ok := m.Leader(topic, p.ID); !ok {
			return false
		}
	}
	return true
}

// DeleteTopics deletes topics through the controller and returns the error
// of each topic, nil for those deleted. The error is non-nil only when the
// request itself failed.
func (a *Admin) DeleteTopics(ctx context.Context, topics ...string) (map[string]error, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	build := func() protocol.Request {
		req := &protocol.DeleteTopicsRequest{}
		req.Default()
		req.TimeoutMs = a.opTimeoutMs(ctx)
		req.TopicNames = topics
		for i := range topics {
			req.Topics = append(req.Topics, protocol.DeleteTopicsRequestDeleteTopicState{Name: &topics[i]})
		}
		return req
	}
	resp, err := a.toController(ctx, build, func(r protocol.Response) bool {
		return slices.ContainsFunc(r.(*protocol.DeleteTopicsResponse).Responses, func(t protocol.DeleteTopicsResponseDeletableTopicResult) bool {
			return t.ErrorCode == kerr.NotController.Code
		})
	})
	if err != nil {
		return nil, fmt.Errorf("core: DeleteTopics: %w", err)
	}
	out := make(map[string]error, len(topics))
	for _, t := range resp.(*protocol.DeleteTopicsResponse).Responses {
		out[str(t.Name)] = itemErr(t.ErrorCode, t.ErrorMessage)
	}
	for _, t := range topics {
		if _, ok := out[t]; !ok {
			out[t] = fmt.Errorf("core: the controller did not answer for topic %q: %w", t, kerr.UnknownServerError)
		}
	}
	return out, nil
}

// TopicListing is a topic as ListTopics reports it.
type TopicListing struct {
	Name       string
	ID         [16]byte
	Internal   bool
	Partitions int
}

// ListTopics returns the cluster's topics sorted by name; internal topics
// (__consumer_offsets, __transaction_state, ...) only when internal is set.
func (a *Admin) ListTopics(ctx context.Context, internal bool) ([]TopicListing, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	m, err := a.refresh(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("core: ListTopics: %w", err)
	}
	var out []TopicListing
	for _, t := range m.Topics {
		if t.Err == nil && (internal || !t.Internal) {
			out = append(out, TopicListing{Name: t.Name, ID: t.ID, Internal: t.Internal, Partitions: len(t.Partitions)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// TopicDescription describes one topic and its partitions.
type TopicDescription struct {
	Name       string
	ID         [16]byte
	Internal   bool
	Partitions []PartitionDescription // by partition index
	// Err is why the topic could not be described, such as
	// UNKNOWN_TOPIC_OR_PARTITION; the other fields are then empty.
	Err error
}

// PartitionDescription describes one partition: its leader and replicas.
type PartitionDescription struct {
	Partition   int32
	Leader      int32 // -1 when it has none
	LeaderEpoch int32 // -1 when unknown
	Replicas    []int32
	ISR         []int32
	Offline     []int32
	Err         error // e.g. LEADER_NOT_AVAILABLE
}

// DescribeTopics returns a description of each topic, in the order given;
// a topic that does not exist has its Err set.
func (a *Admin) DescribeTopics(ctx context.Context, topics ...string) ([]TopicDescription, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	m, err := a.refresh(ctx, topics)
	if err != nil {
		return nil, fmt.Errorf("core: DescribeTopics: %w", err)
	}
	out := make([]TopicDescription, len(topics))
	for i, name := range topics {
		t := m.Topics[name]
		if t == nil {
			out[i] = TopicDescription{Name: name, Err: fmt.Errorf("core: the broker did not describe topic %q: %w", name, kerr.UnknownTopicOrPartition)}
			continue
		}
		d := TopicDescription{Name: name, ID: t.ID, Internal: t.Internal, Err: t.Err}
		for _, p := range t.Partitions {
			d.Partitions = append(d.Partitions, PartitionDescription{
				Partition: p.ID, Leader: p.Leader, LeaderEpoch: p.LeaderEpoch,
				Replicas: slices.Clone(p.Replicas), ISR: slices.Clone(p.ISR), Offline: slices.Clone(p.Offline), Err: p.Err,
			})
		}
		out[i] = d
	}
	return out, nil
}

// NewPartitions says how many partitions a topic should have after
// CreatePartitions, and optionally where the new ones go.
type NewPartitions struct {
	// Count is the topic's new total number of partitions.
	Count int32
	// Assignments, when set, lists the replicas of each new partition, in
	// order (one entry per partition added).
	Assignments [][]int32
}

// CreatePartitions raises the partition counts of topics through the
// controller and returns the error of each topic, nil for success. With
// validateOnly nothing changes. The error is non-nil only when the request
// itself failed.
func (a *Admin) CreatePartitions(ctx context.Context, topics map[string]NewPartitions, validateOnly bool) (map[string]error, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	build := func() protocol.Request {
		req := &protocol.CreatePartitionsRequest{}
		req.Default()
		req.TimeoutMs, req.ValidateOnly = a.opTimeoutMs(ctx), validateOnly
		for name, np := range topics {
			t := protocol.CreatePartitionsRequestCreatePartitionsTopic{Name: name, Count: np.Count}
			for _, brokers := range np.Assignments {
				t.Assignments = append(t.Assignments, protocol.CreatePartitionsRequestCreatePartitionsAssignment{BrokerIds: brokers})
			}
			req.Topics = append(req.Topics, t)
		}
		return req
	}
	resp, err := a.toController(ctx, build, func(r protocol.Response) bool {
		return slices.ContainsFunc(r.(*protocol.CreatePartitionsResponse).Results, func(t protocol.CreatePartitionsResponseCreatePartitionsTopicResult) bool {
			return t.ErrorCode == kerr.NotController.Code
		})
	})
	if err != nil {
		return nil, fmt.Errorf("core: CreatePartitions: %w", err)
	}
	out := make(map[string]error, len(topics))
	for _, t := range resp.(*protocol.CreatePartitionsResponse).Results {
		out[t.Name] = itemErr(t.ErrorCode, t.ErrorMessage)
	}
	for name := range topics {
		if _, ok := out[name]; !ok {
			out[name] = fmt.Errorf("core: the controller did not answer for topic %q: %w", name, kerr.UnknownServerError)
		}
	}
	return out, nil
}
