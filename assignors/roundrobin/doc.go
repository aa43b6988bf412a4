// Package roundrobin is the "roundrobin" partition assignor, compatible with
// the Java client's RoundRobinAssignor. Importing it registers it with core:
//
//	import _ "github.com/kafka3/kafka3-go/assignors/roundrobin"
//
// The assignor lists every partition of every subscribed topic, sorted by
// topic then partition, and deals them out one at a time to the members in
// a circle (static members first by group instance id, then the others by
// member id, as Java does), skipping members that do not subscribe to the
// partition's topic. When all members subscribe to the same topics the counts
// differ by at most one.
package roundrobin
