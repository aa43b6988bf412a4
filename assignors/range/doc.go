// Package rangeassignor is the "range" partition assignor, compatible with
// the Java client's RangeAssignor. Importing it registers it with core:
//
//	import _ "github.com/kafka3/kafka3-go/assignors/range"
//
// The package lives at assignors/range, after the protocol name, but is named
// rangeassignor because range is a Go keyword; import it under that name (or
// any other) to use New directly.
//
// For each topic on its own, the assignor sorts the members that subscribe to
// it (static members first by group instance id, then the others by member
// id, as Java does) and gives each a contiguous range of partitions, the
// first members one more partition when the count does not divide evenly.
// Members that subscribe to the same topics therefore get the same partition
// numbers of every topic, which co-partitioned joins rely on; the price is
// imbalance when many topics each divide unevenly.
//
// Rack-aware assignment (KIP-881) is not implemented: the core.Assignor
// interface does not yet carry the replicas' racks.
package rangeassignor
