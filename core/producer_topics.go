package core

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/kerr"
)

// PartitionInfo describes one partition of a topic, as the cluster's
// metadata reports it.
type PartitionInfo struct {
	Topic     string
	Partition int32
	// Leader is the id of the partition's leader, -1 when it has none.
	Leader      int32
	LeaderEpoch int32
	Replicas    []int32
	ISR         []int32
	Offline     []int32
}

// topicState is a topic the producer sends to: its partitions' queues and
// what the partitioner sees of them, replaced whole when metadata changes.
// Once added to Producer.topics it stays.
type topicState struct {
	parts atomic.Pointer[topicParts]
	ratio compressionRatio // shared by the topic's queues
}

// topicParts is an immutable snapshot of a topic's partitions.
type topicParts struct {
	queues []*partitionQueue
	set    PartitionSet
}

// topic returns the state of topic, fetching its metadata the first time
// and waiting, for at most MaxBlock, until it exists and has partitions.
func (p *Producer) topic(ctx context.Context, topic string) (*topicState, error) {
	if ts := p.topics.lookup(topic); ts != nil {
		return ts, nil
	}
	if topic == "" {
		return nil, errors.New("core: the record has no Topic; set Record.Topic")
	}
	ctx, cancel := context.WithTimeout(ctx, p.cfg.MaxBlock)
	defer cancel()
	var last error
	for attempt := 0; ; attempt++ {
		m, err := p.cl.MetadataFor(ctx, []string{topic}, p.autoTopic)
		if err == nil {
			t := m.Topics[topic]
			switch {
			case t == nil:
				err = kerr.UnknownTopicOrPartition
			case t.Err != nil:
				err = t.Err
			case len(t.Partitions) == 0:
				err = kerr.LeaderNotAvailable
			default:
				return p.addTopic(topic, m), nil
			}
			if !kerr.IsRetriable(err) {
				return nil, fmt.Errorf("core: topic %q: %w", topic, err)
			}
		} else if errors.Is(err, ErrAuthentication) {
			return nil, fmt.Errorf("core: looking up topic %q: %w", topic, err) // the same credentials fail again
		}
		last = err
		if ctx.Err() != nil {
			break
		}
		if sleepCtx(ctx, p.backoff.Delay(attempt)) != nil {
			break
		}
	}
	hint := "check the name, create the topic, or let the broker create it (auto.create.topics.enable) with DisableAutoTopicCreation false"
	return nil, fmt.Errorf("core: topic %q is not available after waiting %v (MaxBlock, or ctx ended: %v): %w; %s",
		topic, p.cfg.MaxBlock, context.Cause(ctx), last, hint)
}

// addTopic creates the state of topic from m, or returns the existing one.
func (p *Producer) addTopic(topic string, m *cluster.Metadata) *topicState {
	return p.topics.add(topic, func(ts *topicState) {
		ts.parts.Store(buildParts(topic, &ts.ratio, nil, m.Topics[topic], m))
	})
}

// buildParts makes a snapshot of t's partitions, keeping the queues of old
// (partitions are only ever added); new queues share the topic's ratio.
func buildParts(topic string, ratio *compressionRatio, old *topicParts, t *cluster.Topic, m *cluster.Metadata) *topicParts {
	n := len(t.Partitions)
	if old != nil && len(old.queues) > n {
		n = len(old.queues)
	}
	tp := &topicParts{queues: make([]*partitionQueue, n), set: PartitionSet{Count: int32(n)}}
	for i := range tp.queues {
		if old != nil && i < len(old.queues) {
			tp.queues[i] = old.queues[i]
		} else {
			tp.queues[i] = &partitionQueue{topic: topic, partition: int32(i), lastAcked: -1, ratio: ratio}
		}
		if _, _, ok := m.Leader(topic, int32(i)); ok {
			tp.set.Available = append(tp.set.Available, int32(i))
		}
	}
	return tp
}

// updateTopics refreshes every topic's partitions from m.
func (p *Producer) updateTopics(m *cluster.Metadata) {
	p.topics.locked(func(topics map[string]*topicEntry[topicState]) {
		for name, e := range topics {
			if t := m.Topics[name]; t != nil && t.Err == nil && len(t.Partitions) > 0 {
				e.v.parts.Store(buildParts(name, &e.v.ratio, e.v.parts.Load(), t, m))
			}
		}
	})
}

// PartitionsFor returns the partitions of topic from the cluster's
// metadata, fetching it if needed (waiting at most MaxBlock, like Send).
func (p *Producer) PartitionsFor(ctx context.Context, topic string) ([]PartitionInfo, error) {
	if p.closed.Load() {
		return nil, ErrProducerClosed
	}
	if _, err := p.topic(ctx, topic); err != nil {
		return nil, err
	}
	m := p.cl.Metadata()
	t := m.Topics[topic]
	if t == nil {
		return nil, fmt.Errorf("core: topic %q: %w", topic, kerr.UnknownTopicOrPartition)
	}
	out := make([]PartitionInfo, len(t.Partitions))
	for i, pt := range t.Partitions {
		out[i] = PartitionInfo{Topic: topic, Partition: pt.ID, Leader: pt.Leader, LeaderEpoch: pt.LeaderEpoch,
			Replicas: pt.Replicas, ISR: pt.ISR, Offline: pt.Offline}
	}
	return out, nil
}

// sleepCtx sleeps for d or until ctx ends, returning ctx's error then.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
