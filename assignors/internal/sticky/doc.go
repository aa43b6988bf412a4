// Package sticky is the algorithm behind the "sticky" and
// "cooperative-sticky" assignors (Java's StickyAssignor, KIP-54, and
// CooperativeStickyAssignor, KIP-429), shared here so that neither plugin
// imports the other, and the user data those assignors exchange.
//
// The assignment is, first, as balanced as the subscriptions allow and,
// second, as close to the previous assignment as that balance permits:
//
//  1. Claims. Every member's claim on a partition it owned is resolved per
//     partition: the claim of the highest generation wins and claims of
//     lower generations are discarded (KIP-341, KIP-792), so a member that
//     fell out of the group and rejoins with stale ownership does not take a
//     partition back from its newer owner. Claims on partitions that no
//     longer exist or that the member no longer subscribes to are dropped.
//  2. Fill. Partitions nobody validly owns go, most constrained first (fewest
//     eligible members), to the eligible member with the fewest partitions.
//  3. Balance. While some member X can pass a partition along a chain of
//     members, each able to take a partition from the previous one, to a
//     member with at least two fewer partitions than X, the shortest such
//     chain is applied, preferring to move partitions that go back to their
//     previous owner or that the giver did not own before. When no chain is
//     left the partition counts are balanced as well as the subscriptions
//     allow (no member's count can drop without raising another's to the
//     same level), which is at least as balanced as Java's heuristic.
//
// The cooperative variant then holds back every partition whose new member
// differs from its current owner: the owner revokes it and rejoins, and the
// next rebalance assigns it, so no partition ever has two owners.
//
// The assignment is deterministic: members are processed in member id
// order, whatever order they come in. Java compatibility is in the wire
// formats and the properties above; the exact partitions chosen may differ
// from Java's for the same input, which groups tolerate since one leader
// computes the whole assignment.
package sticky
