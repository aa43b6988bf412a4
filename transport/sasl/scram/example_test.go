package scram_test

import (
	"fmt"

	"github.com/kafka3/kafka3-go/core"
	_ "github.com/kafka3/kafka3-go/transport/sasl/scram"
)

// Importing the package is enough: the config names the mechanism.
func Example() {
	cfg := core.Config{
		BootstrapServers: []string{"broker:9092"},
		SecurityProtocol: core.SASLSSL,
		SASL:             core.SASLConfig{Mechanism: "SCRAM-SHA-512", Username: "alice", Password: "alice-secret"},
	}
	m, err := core.SASLMechanismByName(cfg.SASL.Mechanism)
	fmt.Println(m.Name(), err)
	// Output: SCRAM-SHA-512 <nil>
}
