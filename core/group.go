package core

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/cluster"
)

// This file holds the consumer-group membership engine: the state shared by
// its goroutines and the narrow interface to its host, the Consumer.
//
// Goroutines of one engine:
//   - run (group_join.go) joins, syncs, reconciles assignments and watches
//     metadata; it is the only goroutine that changes the generation, the
//     member id after a join, and the owned partitions;
//   - heartbeat (group_heartbeat.go) sends heartbeats while a generation is
//     held and checks the max poll interval;
//   - commit goroutines (group_commit.go), one per CommitAsync.
//
// The host's goroutine that polls (the user's) calls dispatch, which runs the
// rebalance callbacks there, so that users can commit inside them. The engine
// waits for those callbacks before it rejoins (eager: revoke before joining;
// cooperative: revoke, then rejoin), as Java's client does on its poll thread.

// groupTP and groupOffset are the engine's names for the Consumer's types.
type (
	groupTP     = TopicPartition
	groupOffset = OffsetAndMetadata
)

// groupEventKind says what happened to a set of partitions.
type groupEventKind uint8

const (
	// groupAssigned: the partitions are now this member's.
	groupAssigned groupEventKind = iota + 1
	// groupRevoked: the partitions are given up in an orderly way; the host
	// may still commit them in the callback.
	groupRevoked
	// groupLost: the partitions were already taken away (the member fell out
	// of the group); commits for them will fail.
	groupLost
)

func (k groupEventKind) String() string {
	switch k {
	case groupAssigned:
		return "assigned"
	case groupRevoked:
		return "revoked"
	case groupLost:
		return "lost"
	}
	return "unknown"
}

// groupEvent is an assignment change for the host to apply and report to the
// user's rebalance listener, on the polling goroutine.
type groupEvent struct {
	Kind       groupEventKind
	Partitions []groupTP // sorted; may be empty (an assignment that gives nothing new)
	acked      chan struct{}
}

// groupHost is what the engine needs from the consumer that hosts it. Its
// methods are called from the engine's goroutines and from dispatch; they
// must be safe for concurrent use and must not call back into the engine.
type groupHost interface {
	// groupPositions returns, for the given partitions (all owned ones when
	// nil), the offsets to auto-commit: the position after the last record
	// handed to the user. Partitions without a position are left out.
	groupPositions(parts []groupTP) map[groupTP]groupOffset
}

// groupConfig is the part of a ConsumerConfig the engine uses, with defaults
// applied.
type groupConfig struct {
	GroupID            string
	ConsumerProtocol   bool   // KIP-848 (GroupProtocolConsumer) instead of the classic protocol
	RemoteAssignor     string // KIP-848 server-side assignor; empty lets the broker choose
	InstanceID         string // empty for a dynamic member
	Rack               string
	Assignors          []Assignor
	SessionTimeout     time.Duration
	HeartbeatInterval  time.Duration
	RebalanceTimeout   time.Duration // Java uses max.poll.interval.ms
	MaxPollInterval    time.Duration
	RequestTimeout     time.Duration
	RetryBackoff       time.Duration
	RetryBackoffMax    time.Duration // 0: RetryBackoff, not doubled
	MetadataMaxAge     time.Duration
	AutoCommit         bool
	AutoCommitInterval time.Duration
	RequireStable      bool // read_committed: OffsetFetch waits for pending transactional commits
	AllowAutoCreate    bool
	Logger             *slog.Logger
	// OnCommit, when set, is called after every commit (explicit, async or
	// automatic) on the goroutine that committed: the commit interceptors.
	OnCommit func(ctx context.Context, start time.Time, offsets map[TopicPartition]OffsetAndMetadata, err error)
}

// nextBackoff follows a failed attempt's backoff b: doubled, up to
// RetryBackoffMax (as Config documents for every retried request).
func (c groupConfig) nextBackoff(b time.Duration) time.Duration {
	return min(2*b, max(c.RetryBackoffMax, c.RetryBackoff))
}

// groupConfigFrom derives the engine's config from a consumer config that
// has its defaults applied and has been validated.
func groupConfigFrom(c ConsumerConfig) (groupConfig, error) {
	gc := groupConfig{
		GroupID: c.GroupID, InstanceID: c.GroupInstanceID, Rack: c.ClientRack,
		Assignors:      c.Assignors,
		SessionTimeout: c.SessionTimeout, HeartbeatInterval: c.HeartbeatInterval,
		RebalanceTimeout: c.MaxPollInterval, MaxPollInterval: c.MaxPollInterval,
		RequestTimeout: c.RequestTimeout, RetryBackoff: c.RetryBackoff, RetryBackoffMax: c.RetryBackoffMax,
		MetadataMaxAge: c.MetadataMaxAge,
		AutoCommit:     !c.DisableAutoCommit, AutoCommitInterval: c.AutoCommitInterval,
		RequireStable:    c.IsolationLevel == ReadCommitted,
		AllowAutoCreate:  !c.DisableAutoTopicCreation,
		Logger:           c.Logger,
		ConsumerProtocol: c.GroupProtocol == GroupProtocolConsumer,
		RemoteAssignor:   c.RemoteAssignor,
	}
	if gc.ConsumerProtocol {
		return gc, nil // assignors run on the broker
	}
	if len(gc.Assignors) == 0 {
		for _, name := range c.AssignmentStrategy {
			a, err := AssignorByName(name)
			if err != nil {
				return gc, err
			}
			gc.Assignors = append(gc.Assignors, a)
		}
	}
	if len(gc.Assignors) == 0 {
		return gc, errors.New("core: a consumer group needs at least one partition assignor; set Assignors or AssignmentStrategy")
	}
	return gc, nil
}

// groupState is where the member is in the classic protocol.
type groupState uint8

const (
	groupUnjoined groupState = iota // no generation: must join
	groupJoining                    // JoinGroup or SyncGroup in flight
	groupStable                     // holds a generation and its assignment
	groupClosed
)

// groupMember is one member of a consumer group: the membership engine.
// Its methods are safe for concurrent use unless their doc says otherwise.
type groupMember struct {
	cfg  groupConfig
	cl   *cluster.Cluster
	host groupHost
	log  *slog.Logger
	// cooperative is true when every configured assignor supports the
	// cooperative protocol (KIP-429), as in Java; otherwise eager.
	cooperative bool

	ctx    context.Context // cancelled by close
	cancel context.CancelFunc
	done   sync.WaitGroup // run and heartbeat

	wake chan struct{} // buffered 1: something for run to look at

	mu          sync.Mutex
	changed     chan struct{} // closed and replaced on every state change
	state       groupState
	memberID    string
	generation  int32  // -1 when none
	protocol    string // the assignor the group chose
	leader      bool
	owned       map[groupTP]bool
	lastOwned   []groupTP // before an eager revocation, for sticky user data
	lastGen     int32     // generation of lastOwned
	topics      []string  // subscribed topic names (sorted); nil without a subscription
	pattern     *regexp.Regexp
	joinTopics  []string       // the topics of the last JoinGroup
	watch       map[string]int // leader: partition counts the assignment used
	rejoin      bool           // rejoin requested (heartbeat, revocation, subscription change)
	lost        bool           // generation lost: report partitions lost, then rejoin
	pollExpired bool           // max poll interval passed: do not rejoin until the host polls
	closing     bool           // close started: no new join rounds
	lastPoll    time.Time
	nextAuto    time.Time // next auto commit
	fatal       error     // the member cannot go on (fenced, misconfigured)
	events      []*groupEvent
	eventsReady chan struct{} // buffered 1: events are waiting for dispatch
	waitingAck  bool          // run waits for the host to dispatch an event
	dispatching bool          // the host runs a rebalance callback (dispatch)

	commits groupCommits
}

// newGroupMember returns an engine for cfg; it does nothing until subscribe.
func newGroupMember(cl *cluster.Cluster, cfg groupConfig, host groupHost) *groupMember {
	g := &groupMember{
		cfg: cfg, cl: cl, host: host, log: cfg.Logger,
		wake: make(chan struct{}, 1), changed: make(chan struct{}),
		generation: -1, lastGen: -1, owned: map[groupTP]bool{},
		eventsReady: make(chan struct{}, 1), lastPoll: time.Now(),
	}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	g.log = g.log.With("group", cfg.GroupID)
	g.cooperative = true
	for _, a := range cfg.Assignors {
		g.cooperative = g.cooperative && a.Cooperative()
	}
	g.commits.lastSeq = map[groupTP]uint64{}
	g.commits.ctx, g.commits.stop = context.WithCancel(context.Background())
	g.ctx, g.cancel = context.WithCancel(context.Background())
	if cfg.ConsumerProtocol {
		g.cooperative = true // revocations are incremental by design
		g.done.Add(1)
		go g.run848()
		return g
	}
	g.done.Add(2)
	go g.run()
	go g.heartbeatLoop()
	return g
}

// notifyLocked wakes everyone waiting for a state change. g.mu must be held.
func (g *groupMember) notifyLocked() {
	close(g.changed)
	g.changed = make(chan struct{})
}

// poke wakes the run goroutine.
func (g *groupMember) poke() {
	select {
	case g.wake <- struct{}{}:
	default:
	}
}

// subscribe sets the subscription: topic names, or a pattern matched against
// the cluster's topics. A change makes the member rejoin. Safe for
// concurrent use.
func (g *groupMember) subscribe(topics []string, pattern *regexp.Regexp) {
	topics = slices.Clone(topics)
	slices.Sort(topics)
	topics = slices.Compact(topics)
	g.mu.Lock()
	g.pattern = pattern
	if pattern != nil {
		topics = g.topics // resolved by run from metadata
		if topics == nil {
			topics = []string{}
		}
	}
	g.topics = topics
	g.rejoin = g.state != groupUnjoined
	g.notifyLocked()
	g.mu.Unlock()
	g.poke()
}

// subscribed reports whether the member has a subscription.
func (g *groupMember) subscribedLocked() bool { return g.topics != nil || g.pattern != nil }

// assignment returns the partitions the member owns, sorted.
func (g *groupMember) assignment() []groupTP {
	g.mu.Lock()
	defer g.mu.Unlock()
	return sortedGroupTPs(g.owned)
}

// generationInfo returns the member id and generation (-1 when none).
func (g *groupMember) generationInfo() (string, int32) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.memberID, g.generation
}

// pushEvent queues an event for dispatch and returns it. g.mu must be held.
func (g *groupMember) pushEventLocked(kind groupEventKind, parts []groupTP) *groupEvent {
	ev := &groupEvent{Kind: kind, Partitions: parts, acked: make(chan struct{})}
	g.events = append(g.events, ev)
	select {
	case g.eventsReady <- struct{}{}:
	default:
	}
	return ev
}

// awaitAck waits until the host has dispatched ev, or the engine closes.
func (g *groupMember) awaitAck(ev *groupEvent) bool {
	g.mu.Lock()
	g.waitingAck = true
	g.notifyLocked()
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.waitingAck = false
		g.notifyLocked()
		g.mu.Unlock()
	}()
	select {
	case <-ev.acked:
		return true
	case <-g.ctx.Done():
		return false
	}
}

// pending reports whether events wait for dispatch.
func (g *groupMember) pending() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.events) > 0
}

// ready returns a channel that has a value when events wait for dispatch:
// a host blocked waiting for records should also wait on it and call
// dispatch.
func (g *groupMember) ready() <-chan struct{} { return g.eventsReady }

// polled records that the host polled: it restarts the max poll interval,
// lets a member that left on poll timeout rejoin, and starts an auto commit
// when one is due. Called by the host on each Poll.
func (g *groupMember) polled() {
	now := time.Now()
	g.mu.Lock()
	g.lastPoll = now
	rejoin := g.pollExpired
	g.pollExpired = false
	auto := g.cfg.AutoCommit && g.state == groupStable && len(g.owned) > 0 && !now.Before(g.nextAuto)
	if auto {
		g.nextAuto = now.Add(g.cfg.AutoCommitInterval)
	}
	g.mu.Unlock()
	if rejoin {
		g.poke()
	}
	if auto {
		if offs := g.host.groupPositions(nil); len(offs) > 0 {
			g.commitAsync(offs, func(_ map[groupTP]groupOffset, err error) {
				if err != nil {
					g.log.Warn("core: auto commit failed; the next one retries", "err", err)
				}
			})
		}
	}
}

// dispatch hands every waiting event to handle, in order, on the calling
// goroutine (the host's polling goroutine), and returns the member's fatal
// error, if any. Before a revocation it commits the positions of the revoked
// partitions when auto commit is on. handle applies the change to the host
// (stop fetching revoked partitions, start fetching assigned ones) and runs
// the user's listener. Events are acknowledged when handle returns. With a
// nil handle it only returns the fatal error.
func (g *groupMember) dispatch(ctx context.Context, handle func(groupEvent)) error {
	for {
		g.mu.Lock()
		if len(g.events) == 0 || handle == nil {
			err := g.fatal
			g.mu.Unlock()
			return err
		}
		ev := g.events[0]
		g.events = g.events[1:]
		g.mu.Unlock()
		if ev.Kind == 0 { // a wake-up for the fatal error
			close(ev.acked)
			continue
		}
		if ev.Kind == groupRevoked && g.cfg.AutoCommit && len(ev.Partitions) > 0 {
			if offs := g.host.groupPositions(ev.Partitions); len(offs) > 0 {
				if err := g.commit(ctx, offs); err != nil {
					g.log.Warn("core: auto commit before revoking partitions failed; their next owner may repeat records", "err", err)
				}
			}
		}
		g.setDispatching(true)
		handle(*ev)
		g.setDispatching(false)
		close(ev.acked)
	}
}

func (g *groupMember) setDispatching(on bool) {
	g.mu.Lock()
	g.dispatching = on
	g.notifyLocked()
	g.mu.Unlock()
}

// requestRejoin asks run to rejoin if the member still holds generation gen.
func (g *groupMember) requestRejoin(gen int32) {
	g.mu.Lock()
	if g.generation == gen && g.state == groupStable && !g.rejoin {
		g.rejoin = true
		g.notifyLocked()
	}
	g.mu.Unlock()
	g.poke()
}

// errGroupClosed is returned by calls on a closed member.
var errGroupClosed = errors.New("core: the consumer group member is closed; create a new consumer")

// sleep waits for d or until the engine closes; it reports whether d passed.
func (g *groupMember) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-g.ctx.Done():
		return false
	}
}

// sortedGroupTPs returns the keys of set in topic, partition order.
func sortedGroupTPs(set map[groupTP]bool) []groupTP {
	out := make([]groupTP, 0, len(set))
	for tp, ok := range set {
		if ok {
			out = append(out, tp)
		}
	}
	slices.SortFunc(out, compareGroupTP)
	return out
}

func compareGroupTP(a, b groupTP) int {
	if a.Topic != b.Topic {
		if a.Topic < b.Topic {
			return -1
		}
		return 1
	}
	return int(a.Partition) - int(b.Partition)
}
