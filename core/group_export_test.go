package core

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"time"
)

// This file exports the group membership engine to the tests of package
// core_test (which may import internal/kafkatest, unlike package core's).

// GroupTP is a partition, for tests.
type GroupTP = groupTP

// GroupOffset is an offset to commit, for tests.
type GroupOffset = groupOffset

// GroupTestEvent is an assignment change a test member saw.
type GroupTestEvent struct {
	Kind       string // assigned, revoked, lost
	Partitions []GroupTP
	At         time.Time
}

// GroupTestMember is a group member on a fake host: it "consumes" nothing,
// polls every 50ms on its own goroutine, and records its events.
type GroupTestMember struct {
	g      *groupMember
	cancel context.CancelFunc
	done   chan struct{}
	paused chan bool

	// OnRevoked, if set, runs inside the revoke callback (on the polling
	// goroutine), like a user's OnPartitionsRevoked.
	OnRevoked func(parts []GroupTP)

	mu        sync.Mutex
	owned     map[groupTP]bool
	events    []GroupTestEvent
	positions map[groupTP]groupOffset
	fatal     error
}

// NewGroupTestMember starts a member of cfg.GroupID on a fake host.
func NewGroupTestMember(cfg ConsumerConfig) (*GroupTestMember, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	gc, err := groupConfigFrom(cfg)
	if err != nil {
		return nil, err
	}
	cl, err := newCluster(cfg.Config)
	if err != nil {
		return nil, err
	}
	m := &GroupTestMember{owned: map[groupTP]bool{}, positions: map[groupTP]groupOffset{}, done: make(chan struct{}), paused: make(chan bool)}
	m.g = newGroupMember(cl, gc, m)
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	go m.pollLoop(ctx)
	return m, nil
}

func (m *GroupTestMember) groupPositions(parts []groupTP) map[groupTP]groupOffset {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[groupTP]groupOffset{}
	for tp, o := range m.positions {
		if (parts == nil && m.owned[tp]) || slices.Contains(parts, tp) {
			out[tp] = o
		}
	}
	return out
}

// SetPosition sets the position that auto commit commits for a partition.
func (m *GroupTestMember) SetPosition(tp GroupTP, offset int64) {
	m.mu.Lock()
	m.positions[tp] = groupOffset{Offset: offset, LeaderEpoch: -1}
	m.mu.Unlock()
}

func (m *GroupTestMember) pollLoop(ctx context.Context) {
	defer close(m.done)
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	paused := false
	for {
		if !paused {
			m.g.polled()
			if err := m.g.dispatch(ctx, m.handle); err != nil {
				m.mu.Lock()
				m.fatal = err
				m.mu.Unlock()
			}
		}
		select {
		case <-ctx.Done():
			return
		case paused = <-m.paused:
		case <-m.g.ready():
		case <-t.C:
		}
	}
}

// Pause stops (true) or resumes (false) polling, to test MaxPollInterval.
func (m *GroupTestMember) Pause(p bool) { m.paused <- p }

func (m *GroupTestMember) handle(ev groupEvent) {
	if ev.Kind == groupRevoked && m.OnRevoked != nil {
		m.OnRevoked(ev.Partitions)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, tp := range ev.Partitions {
		m.owned[tp] = ev.Kind == groupAssigned
	}
	m.events = append(m.events, GroupTestEvent{Kind: ev.Kind.String(), Partitions: ev.Partitions, At: time.Now()})
}

// Subscribe subscribes to topics.
func (m *GroupTestMember) Subscribe(topics ...string) { m.g.subscribe(topics, nil) }

// SubscribePattern subscribes to the topics matching re.
func (m *GroupTestMember) SubscribePattern(re *regexp.Regexp) { m.g.subscribe(nil, re) }

// Owned returns the partitions the host owns (after its callbacks).
func (m *GroupTestMember) Owned() []GroupTP {
	m.mu.Lock()
	defer m.mu.Unlock()
	return sortedGroupTPs(m.owned)
}

// Events returns the events seen so far.
func (m *GroupTestMember) Events() []GroupTestEvent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.events)
}

// Generation returns the member id and generation.
func (m *GroupTestMember) Generation() (string, int32) { return m.g.generationInfo() }

// Fatal returns the member's fatal error, if any.
func (m *GroupTestMember) Fatal() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.fatal
}

// Commit commits offsets synchronously.
func (m *GroupTestMember) Commit(ctx context.Context, offs map[GroupTP]GroupOffset) error {
	return m.g.commit(ctx, offs)
}

// CommitAsync commits offsets asynchronously and returns the result on a channel.
func (m *GroupTestMember) CommitAsync(offs map[GroupTP]GroupOffset) <-chan error {
	ch := make(chan error, 1)
	m.g.commitAsync(offs, func(_ map[groupTP]groupOffset, err error) { ch <- err })
	return ch
}

// Committed fetches committed offsets.
func (m *GroupTestMember) Committed(ctx context.Context, parts []GroupTP) (map[GroupTP]GroupOffset, error) {
	return m.g.committed(ctx, parts)
}

// Close leaves the group (LeaveGroup unless static) after revoking.
func (m *GroupTestMember) Close(ctx context.Context) error {
	m.cancel()
	<-m.done
	err := m.g.close(ctx, m.handle)
	m.g.cl.Close()
	return err
}

// Abandon stops the member as if its process died: no LeaveGroup.
func (m *GroupTestMember) Abandon() {
	m.cancel()
	<-m.done
	m.g.abandon()
	m.g.cl.Close()
}

// String describes the member for test logs.
func (m *GroupTestMember) String() string {
	id, gen := m.Generation()
	return fmt.Sprintf("%s(gen %d, %d owned)", id, gen, len(m.Owned()))
}
