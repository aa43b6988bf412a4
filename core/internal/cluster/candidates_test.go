package cluster

import (
	"slices"
	"testing"
)

// A request to any broker tries each broker once: a bootstrap address that
// is also a known broker's is not tried again after it.
func TestCandidatesSkipSeedsOfKnownBrokers(t *testing.T) {
	t.Parallel()
	c := New(Options{Bootstrap: []string{"127.0.0.1:9092", "127.0.0.1:9093"}})
	defer c.Close()
	c.meta.Store(&Metadata{Brokers: map[int32]Broker{
		1: {ID: 1, Host: "127.0.0.1", Port: 9092},
		2: {ID: 2, Host: "127.0.0.1", Port: 9094},
	}})
	var addrs []string
	for _, n := range c.candidates() {
		addrs = append(addrs, n.addr)
	}
	slices.Sort(addrs)
	want := []string{"127.0.0.1:9092", "127.0.0.1:9093", "127.0.0.1:9094"}
	if !slices.Equal(addrs, want) {
		t.Fatalf("candidates %v, want %v: each address once", addrs, want)
	}
}
