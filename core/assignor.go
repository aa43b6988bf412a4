package core

import (
	"fmt"
	"strings"

	"github.com/kafka3/kafka3-go/core/internal/registry"
)

// AssignorMember is one member of a consumer group as the group leader sees
// it when it computes the assignment: the member's JoinGroup subscription
// (Java's ConsumerProtocol Subscription, any version) decoded.
//
// Assignors must not modify a member or retain its slices after Assign returns.
type AssignorMember struct {
	// MemberID is the id the coordinator gave the member.
	MemberID string
	// InstanceID is the group.instance.id of a static member (KIP-345);
	// nil for a dynamic member.
	InstanceID *string
	// Topics are the topics the member subscribes to.
	Topics []string
	// UserData is the opaque data the member's assignor sent (see
	// Assignor.UserData); nil if none.
	UserData []byte
	// OwnedPartitions are the partitions the member owned when it joined
	// (subscription v1+); empty for older members and, with the eager
	// protocol, for members that revoked everything before joining.
	OwnedPartitions []AssignorPartitions
	// Generation is the generation OwnedPartitions belong to (subscription
	// v2+, KIP-792); -1 when unknown.
	Generation int32
	// Rack is the member's client.rack (subscription v3+, KIP-881); empty
	// when unknown.
	Rack string
}

// AssignorPartitions is a topic and some of its partitions.
type AssignorPartitions struct {
	Topic      string
	Partitions []int32
}

// Assignor is a partition assignment strategy of the classic consumer group
// protocol, compatible with the Java client's assignor of the same name so
// that a group can mix this client with Java, librdkafka and kafka-python
// members.
//
// Only the group leader calls Assign. Implementations must be safe for
// concurrent use and deterministic: the same input gives the same output.
type Assignor interface {
	// Name is the JoinGroup protocol name, e.g. "range", "roundrobin",
	// "sticky", "cooperative-sticky".
	Name() string
	// Cooperative reports whether the assignor supports the COOPERATIVE
	// rebalance protocol (KIP-429): it never gives a partition to a new
	// owner in the same rebalance in which another member still owns it.
	Cooperative() bool
	// UserData returns this member's subscription user data, given its
	// subscribed topics, the partitions it owned in the last generation
	// (with the eager protocol: before revoking them) and that generation
	// (-1 if none); nil for none. The result is sent as is; the assignor
	// must not retain owned.
	UserData(topics []string, owned []AssignorPartitions, generation int32) []byte
	// Assign maps each member id to its partitions, given the members and
	// the partition count of every topic that exists (topics missing from
	// partitionsPerTopic are not assigned). Every member id gets an entry,
	// possibly empty. Partitions are listed in ascending order by topic and
	// partition.
	Assign(members []AssignorMember, partitionsPerTopic map[string]int32) (map[string][]AssignorPartitions, error)
}

var assignorRegistry = registry.New[Assignor]("partition assignor", "")

// RegisterAssignor makes an assignor available by its Name, for
// configurations that name it. It is meant to be called from init; it panics
// if a different assignor is already registered under the same name.
// Safe for concurrent use.
func RegisterAssignor(a Assignor) {
	if a == nil {
		panic("core: RegisterAssignor called with a nil assignor")
	}
	assignorRegistry.Register(a.Name(), a)
}

// AssignorByName returns the assignor registered under name. It also accepts
// the Java client's class names (org.apache.kafka.clients.consumer.RangeAssignor,
// ...) so that a partition.assignment.strategy carried over from Java works.
// The error for a built-in assignor that is not registered names the import
// to add. Lookups take no lock.
func AssignorByName(name string) (Assignor, error) {
	if alias, ok := javaAssignorClasses[name]; ok {
		name = alias
	}
	if a, ok := assignorRegistry.Lookup(name); ok {
		return a, nil
	}
	return nil, assignorNotRegistered(name)
}

// assignorNotRegistered is AssignorByName's error for a name, which names
// the import to add for this module's assignors.
func assignorNotRegistered(name string) error {
	if pkg, ok := builtinAssignorPackages[name]; ok {
		return fmt.Errorf("core: partition assignor %q is not registered (forgotten import _ %q?)",
			name, "github.com/kafka3/kafka3-go/assignors/"+pkg)
	}
	return fmt.Errorf("core: partition assignor %q is not registered: register it with core.RegisterAssignor or pass it in the config (registered: %s)",
		name, strings.Join(Assignors(), ", "))
}

// Assignors lists the names of the registered assignors, sorted.
func Assignors() []string { return assignorRegistry.Names() }

// builtinAssignorPackages maps the protocol names of this module's assignors
// to their package under assignors/ (a protocol name is not always a valid
// package name).
var builtinAssignorPackages = map[string]string{
	"range":              "range",
	"roundrobin":         "roundrobin",
	"sticky":             "sticky",
	"cooperative-sticky": "cooperativesticky",
}

var javaAssignorClasses = map[string]string{
	"org.apache.kafka.clients.consumer.RangeAssignor":             "range",
	"org.apache.kafka.clients.consumer.RoundRobinAssignor":        "roundrobin",
	"org.apache.kafka.clients.consumer.StickyAssignor":            "sticky",
	"org.apache.kafka.clients.consumer.CooperativeStickyAssignor": "cooperative-sticky",
}

// ValidateAssignment checks an assignor's output: every member id is one of
// members, every partition exists in partitionsPerTopic, belongs to a topic
// its member subscribes to, and is given at most once. It does not require
// every partition to be assigned (a cooperative assignor holds back the
// partitions that must first be revoked). The group leader should call it on
// the output of an assignor it does not trust, such as a custom one.
func ValidateAssignment(members []AssignorMember, partitionsPerTopic map[string]int32, assignment map[string][]AssignorPartitions) error {
	subscribed := make(map[string]map[string]bool, len(members))
	for _, m := range members {
		topics := make(map[string]bool, len(m.Topics))
		for _, t := range m.Topics {
			topics[t] = true
		}
		subscribed[m.MemberID] = topics
	}
	type tp struct {
		topic string
		p     int32
	}
	owner := make(map[tp]string)
	for id, parts := range assignment {
		topics, ok := subscribed[id]
		if !ok {
			return fmt.Errorf("core: assignor assigned partitions to %q, which is not a member of the group", id)
		}
		for _, ps := range parts {
			n, exists := partitionsPerTopic[ps.Topic]
			if !exists || !topics[ps.Topic] {
				return fmt.Errorf("core: assignor assigned topic %q to member %q, which does not subscribe to it or it does not exist", ps.Topic, id)
			}
			for _, p := range ps.Partitions {
				if p < 0 || p >= n {
					return fmt.Errorf("core: assignor assigned %s-%d to member %q, but the topic has %d partitions", ps.Topic, p, id, n)
				}
				if prev, dup := owner[tp{ps.Topic, p}]; dup {
					return fmt.Errorf("core: assignor assigned %s-%d to both %q and %q", ps.Topic, p, prev, id)
				}
				owner[tp{ps.Topic, p}] = id
			}
		}
	}
	return nil
}
