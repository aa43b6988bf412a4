package core

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
	"github.com/kafka3/kafka3-go/core/kerr"
)

// dispatch sends items (partitions, groups, transactional ids) to the
// brokers that must handle them, one request per broker, concurrently, and
// merges the per-item results. Items that fail retriably are routed again
// and resent, up to MaxAttempts.
type dispatch[K comparable, R any] struct {
	// route picks each key's broker; keys it cannot place get an error.
	route func(ctx context.Context, keys []K) (map[int32][]K, map[K]error)
	// send sends one broker's keys and returns their results; an error
	// fails all of them.
	send func(ctx context.Context, broker int32, keys []K) (map[K]R, error)
	// errOf returns the error of a result, fail the result of an error.
	errOf func(R) error
	fail  func(error) R
	// again, when set, is told the keys about to be retried (to forget a
	// coordinator, say); metadata is refreshed before routing again anyway.
	again func(keys []K)
	// retry, when set, overrides which errors are retried.
	retry func(error) bool
}

func (d dispatch[K, R]) run(ctx context.Context, a *Admin, keys []K) map[K]R {
	out := make(map[K]R, len(keys))
	pending := keys
	for attempt := 0; len(pending) > 0; attempt++ {
		if attempt > 0 && !a.pause(ctx, attempt-1) {
			break // the pending keys keep their last error
		}
		last := attempt == a.cfg.MaxAttempts-1
		routes, errs := d.route(ctx, pending)
		for k, err := range errs {
			out[k] = d.fail(err)
		}
		d.sendAll(ctx, routes, out)
		var again []K
		for _, k := range pending {
			if err := d.errOf(out[k]); err != nil && !last && d.retriable(ctx, err) {
				again = append(again, k)
			}
		}
		if len(again) > 0 && d.again != nil {
			d.again(again)
		}
		pending = again
	}
	return out
}

func (d dispatch[K, R]) retriable(ctx context.Context, err error) bool {
	if d.retry != nil {
		return ctx.Err() == nil && d.retry(err)
	}
	return retriable(ctx, err)
}

// sendAll sends each broker's keys concurrently and stores the results.
func (d dispatch[K, R]) sendAll(ctx context.Context, routes map[int32][]K, out map[K]R) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	for broker, keys := range routes {
		wg.Go(func() {
			res, err := d.send(ctx, broker, keys)
			mu.Lock()
			defer mu.Unlock()
			for _, k := range keys {
				r, ok := res[k]
				switch {
				case err != nil:
					r = d.fail(err)
				case !ok:
					r = d.fail(fmt.Errorf("core: broker %d left %v out of its response; retry the call: %w", broker, k, kerr.UnknownServerError))
				}
				out[k] = r
			}
		})
	}
	wg.Wait()
}

// tp names a partition in the admin's internal bookkeeping.
type tp struct {
	topic     string
	partition int32
}

func (p tp) String() string { return fmt.Sprintf("%s[%d]", p.topic, p.partition) }

// flatten lists the partitions of a topic -> partitions map.
func flatten(parts map[string][]int32) []tp {
	var out []tp
	for t, ps := range parts {
		for _, p := range ps {
			out = append(out, tp{t, p})
		}
	}
	return out
}

// byTopic groups partitions by topic, keeping their order.
func byTopic(parts []tp) map[string][]int32 {
	out := map[string][]int32{}
	for _, p := range parts {
		out[p.topic] = append(out[p.topic], p.partition)
	}
	return out
}

// nest turns per-partition results into topic -> partition -> result.
func nest[R any](flat map[tp]R) map[string]map[int32]R {
	out := map[string]map[int32]R{}
	for k, r := range flat {
		m := out[k.topic]
		if m == nil {
			m = map[int32]R{}
			out[k.topic] = m
		}
		m[k.partition] = r
	}
	return out
}

// routeLeaders places partitions on their leaders, from metadata refreshed
// for their topics; a partition that does not exist or has no leader gets
// its error.
func (a *Admin) routeLeaders(ctx context.Context, parts []tp) (map[int32][]tp, map[tp]error) {
	topics := make([]string, 0, len(byTopic(parts)))
	for t := range byTopic(parts) {
		topics = append(topics, t)
	}
	errs := map[tp]error{}
	m, err := a.cl.Refresh(ctx, topics, false)
	if err != nil {
		for _, p := range parts {
			errs[p] = err
		}
		return nil, errs
	}
	routes := map[int32][]tp{}
	for _, p := range parts {
		id, err := leaderIn(m, p)
		if err != nil {
			errs[p] = err
			continue
		}
		routes[id] = append(routes[id], p)
	}
	return routes, errs
}

// leaderIn returns the leader of p in m, or why there is none; that the
// topic or partition does not exist is final, not retried.
func leaderIn(m *cluster.Metadata, p tp) (int32, error) {
	t := m.Topics[p.topic]
	switch {
	case t == nil:
		return 0, &finalError{fmt.Errorf("core: topic %q is not in the metadata: %w", p.topic, kerr.UnknownTopicOrPartition)}
	case errors.Is(t.Err, kerr.UnknownTopicOrPartition):
		return 0, &finalError{fmt.Errorf("core: topic %q does not exist: %w", p.topic, t.Err)}
	case t.Err != nil:
		return 0, t.Err
	case p.partition < 0 || int(p.partition) >= len(t.Partitions):
		return 0, &finalError{fmt.Errorf("core: topic %q has %d partitions, so %v does not exist: %w", p.topic, len(t.Partitions), p, kerr.UnknownTopicOrPartition)}
	}
	if id, _, ok := m.Leader(p.topic, p.partition); ok {
		return id, nil
	}
	if err := t.Partitions[p.partition].Err; err != nil {
		return 0, err
	}
	return 0, kerr.LeaderNotAvailable
}

// routeCoordinators places keys on their coordinators of the given kind.
func (a *Admin) routeCoordinators(kind int8) func(context.Context, []string) (map[int32][]string, map[string]error) {
	return func(ctx context.Context, keys []string) (map[int32][]string, map[string]error) {
		routes, errs := map[int32][]string{}, map[string]error{}
		for _, k := range keys {
			id, err := a.cl.Coordinator(ctx, kind, k)
			if err != nil {
				errs[k] = err
				continue
			}
			routes[id] = append(routes[id], k)
		}
		return routes, errs
	}
}

// forgetCoordinators drops cached coordinators of keys about to be retried.
func (a *Admin) forgetCoordinators(kind int8) func([]string) {
	return func(keys []string) {
		for _, k := range keys {
			a.cl.InvalidateCoordinator(kind, k)
		}
	}
}

// eachBroker runs fn on every broker in ids concurrently, retrying each
// broker's failures as toAny does, and returns the error of each broker
// that failed.
func (a *Admin) eachBroker(ctx context.Context, ids []int32, fn func(ctx context.Context, id int32) error) map[int32]error {
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := map[int32]error{}
	for _, id := range ids {
		wg.Go(func() {
			if err := a.withRetries(ctx, func() error { return fn(ctx, id) }); err != nil {
				mu.Lock()
				errs[id] = err
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errs
}
