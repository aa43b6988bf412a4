// Package cluster is the client's view of a Kafka cluster: the brokers and
// their connections (through package wire), the API versions each broker
// supports, the metadata cache (topics, partitions, leaders, epochs), and
// coordinator lookups. Every client type (Producer, Consumer, Admin, Client)
// stands on one Cluster.
//
// A Cluster is safe for concurrent use. Metadata snapshots are immutable and
// read without locks.
package cluster
