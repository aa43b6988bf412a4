// Package cooperativesticky is the "cooperative-sticky" partition assignor,
// compatible with the Java client's CooperativeStickyAssignor (KIP-429).
// Importing it registers it with core:
//
//	import _ "github.com/kafka3/kafka3-go/assignors/cooperativesticky"
//
// It computes the same balanced, sticky assignment as package sticky, but
// for the cooperative protocol, in which members keep their partitions while
// the group rebalances: a partition that moves to a new member is left out
// of this round's assignment, so its owner revokes it and rejoins, and the
// follow-up rebalance hands it over. No partition is ever owned by two
// members at once.
//
// Members report their owned partitions in the subscription (v1+) and their
// generation in the subscription (v2+, KIP-792) or, for older subscription
// versions, in the user data (a four-byte generation, as Java sends). Claims
// from a generation older than another member's claim on the same partition
// are discarded.
package cooperativesticky
