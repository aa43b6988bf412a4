// Package reliability holds kafka3-go's reliability suite (issue 14), as
// tests: the Client, the idempotent Producer and the Consumer under network
// faults injected by internal/faultproxy (latency, bandwidth limits, resets,
// black holes, half-open connections, refused connections), their resource
// bounds (heap while a consumer is slow, goroutines and connections after
// Close), and, on a 3-broker cluster of its own, broker crashes (kill -9),
// controller crashes and leader moves while producing and consuming.
//
// The short version runs in `make test` (go test ./reliability/). The long
// version, with more records, more faults and the broker faults, runs with
// `make reliability`, which starts its own 3-node cluster; see RELIABILITY.md
// for the switches (RELIABILITY_LONG, KAFKA3_REL_STATE, KAFKA3_REL_BROKERS)
// and the figures measured.
//
// Every test checks the records it reads back against what it sent, with a
// ledger: nothing acknowledged is lost, nothing is duplicated, and each
// sender's records keep their order within each partition.
package reliability
