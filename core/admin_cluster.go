package core

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// BrokerDescription is one broker of the cluster.
type BrokerDescription struct {
	ID     int32
	Host   string
	Port   int32
	Rack   string // empty when none
	Fenced bool   // only reported by Kafka 4.0+ when asked for fenced brokers
}

// ClusterDescription is what DescribeCluster reports.
type ClusterDescription struct {
	ClusterID string
	// ControllerID is the active controller, or, in KRaft clusters where
	// clients cannot reach the controllers, a broker that forwards to it.
	ControllerID int32
	Brokers      []BrokerDescription // sorted by id
	// AuthorizedOperations are the operations on the cluster the caller may
	// perform; nil unless includeAuthorizedOperations was set.
	AuthorizedOperations []ACLOperation
}

// DescribeCluster describes the cluster: its id, controller and brokers.
// With includeAuthorizedOperations it also reports what the caller may do.
// Brokers before Kafka 2.8 lack the DescribeCluster API: the description
// then comes from Metadata, without AuthorizedOperations (nil).
func (a *Admin) DescribeCluster(ctx context.Context, includeAuthorizedOperations bool) (ClusterDescription, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	req := &protocol.DescribeClusterRequest{}
	req.Default()
	req.IncludeClusterAuthorizedOperations = includeAuthorizedOperations
	resp, err := a.toAny(ctx, req)
	if errors.Is(err, ErrBrokerTooOld) {
		return a.describeClusterFromMetadata(ctx)
	}
	if err != nil {
		return ClusterDescription{}, fmt.Errorf("core: DescribeCluster: %w", err)
	}
	r := resp.(*protocol.DescribeClusterResponse)
	if err := itemErr(r.ErrorCode, r.ErrorMessage); err != nil {
		return ClusterDescription{}, fmt.Errorf("core: DescribeCluster: %w", err)
	}
	d := ClusterDescription{ClusterID: r.ClusterId, ControllerID: r.ControllerId}
	for _, b := range r.Brokers {
		d.Brokers = append(d.Brokers, BrokerDescription{ID: b.BrokerId, Host: b.Host, Port: b.Port, Rack: str(b.Rack), Fenced: b.IsFenced})
	}
	sort.Slice(d.Brokers, func(i, j int) bool { return d.Brokers[i].ID < d.Brokers[j].ID })
	if includeAuthorizedOperations {
		d.AuthorizedOperations = operationsOf(r.ClusterAuthorizedOperations)
	}
	return d, nil
}

// LogDirPartition is one partition's replica in a log directory.
type LogDirPartition struct {
	// Size is the size of its log segments in bytes.
	Size int64
	// OffsetLag is how far its log end is behind the high watermark (or, for
	// a future replica, behind the current one).
	OffsetLag int64
	// Future is true for a replica being moved into this directory.
	Future bool
}

// LogDir is one log directory of a broker.
type LogDir struct {
	Path string
	// TotalBytes and UsableBytes describe its volume; -1 before Kafka 3.3.
	TotalBytes, UsableBytes int64
	// Partitions holds its replicas, by topic and partition.
	Partitions map[string]map[int32]LogDirPartition
	// Err is the directory's error, e.g. KAFKA_STORAGE_ERROR when offline.
	Err error
}

// BrokerLogDirs is one broker's answer to DescribeLogDirs.
type BrokerLogDirs struct {
	Dirs []LogDir
	Err  error // why the broker could not be asked
}

// DescribeLogDirs asks each of the given brokers (every broker when
// brokers is nil) about its log directories and the replicas in them:
// those of the given partitions, or all when partitions is nil. The result
// has one entry per broker, with the broker's error if it failed.
func (a *Admin) DescribeLogDirs(ctx context.Context, brokers []int32, partitions map[string][]int32) (map[int32]BrokerLogDirs, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	if brokers == nil {
		ids, err := a.brokerIDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("core: DescribeLogDirs: %w", err)
		}
		brokers = ids
	} else if err := a.ensureMetadata(ctx); err != nil {
		return nil, fmt.Errorf("core: DescribeLogDirs: %w", err)
	}
	out := make(map[int32]BrokerLogDirs, len(brokers))
	results := make(chan struct {
		id int32
		r  BrokerLogDirs
	}, len(brokers))
	errs := a.eachBroker(ctx, brokers, func(ctx context.Context, id int32) error {
		req := &protocol.DescribeLogDirsRequest{}
		req.Default()
		req.Topics = nil
		for topic, ps := range partitions {
			req.Topics = append(req.Topics, protocol.DescribeLogDirsRequestDescribableLogDirTopic{Topic: topic, Partitions: ps})
		}
		resp, err := a.send(ctx, id, req)
		if err != nil {
			return err
		}
		r := resp.(*protocol.DescribeLogDirsResponse)
		if err := kerr.ForCode(r.ErrorCode); err != nil {
			return err
		}
		results <- struct {
			id int32
			r  BrokerLogDirs
		}{id, BrokerLogDirs{Dirs: logDirs(r)}}
		return nil
	})
	close(results)
	for r := range results {
		out[r.id] = r.r
	}
	for id, err := range errs {
		out[id] = BrokerLogDirs{Err: fmt.Errorf("core: DescribeLogDirs of broker %d: %w", id, err)}
	}
	return out, nil
}

func logDirs(r *protocol.DescribeLogDirsResponse) []LogDir {
	var dirs []LogDir
	for _, d := range r.Results {
		dir := LogDir{Path: d.LogDir, TotalBytes: d.TotalBytes, UsableBytes: d.UsableBytes, Err: kerr.ForCode(d.ErrorCode),
			Partitions: map[string]map[int32]LogDirPartition{}}
		for _, t := range d.Topics {
			m := dir.Partitions[t.Name]
			if m == nil {
				m = map[int32]LogDirPartition{}
				dir.Partitions[t.Name] = m
			}
			for _, p := range t.Partitions {
				m[p.PartitionIndex] = LogDirPartition{Size: p.PartitionSize, OffsetLag: p.OffsetLag, Future: p.IsFutureKey}
			}
		}
		dirs = append(dirs, dir)
	}
	return dirs
}
