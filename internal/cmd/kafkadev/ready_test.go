package main

import (
	"testing"

	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// TestReadyAgainstBroker exchanges ApiVersions and Metadata with the real
// broker: the check scripts/kafka relies on must itself be right.
func TestReadyAgainstBroker(t *testing.T) {
	for _, addr := range kafkatest.Brokers(t) {
		n, err := metadataBrokers(addr)
		if err != nil {
			t.Fatalf("metadataBrokers(%s): %v", addr, err)
		}
		if n < 1 {
			t.Fatalf("metadataBrokers(%s) = %d brokers", addr, n)
		}
	}
}

func TestReadyFailsWithoutBroker(t *testing.T) {
	if err := ready([]string{"-brokers", "127.0.0.1:1", "-timeout", "300ms"}); err == nil {
		t.Fatal("ready succeeded against a closed port")
	}
}
