// Package sticky is the "sticky" partition assignor, compatible with the
// Java client's StickyAssignor (KIP-54). Importing it registers it with core:
//
//	import _ "github.com/kafka3/kafka3-go/assignors/sticky"
//
// It balances partitions across members as evenly as their subscriptions
// allow, members with different subscriptions included, and otherwise keeps
// every partition with the member that had it, so that a rebalance moves as
// few partitions as it can. It uses the eager protocol: members revoke all
// their partitions before joining, and tell the leader what they had in
// their subscription user data (Java's StickyAssignorUserData v1: previous
// assignment and generation, KIP-341). A member without decodable user data
// is taken at its subscription's owned partitions and generation.
//
// For the cooperative protocol use package cooperativesticky, which runs
// the same algorithm.
package sticky
