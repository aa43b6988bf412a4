package plain_test

import (
	"context"
	"fmt"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/transport/sasl/plain"
)

// The one message PLAIN sends: authzid NUL authcid NUL password.
func Example() {
	s, _ := plain.Mechanism.Start(context.Background(), core.SASLConfig{Username: "alice", Password: "alice-secret"})
	msg, done, _ := s.Step(nil)
	fmt.Printf("%q %v\n", msg, done)
	// Output: "\x00alice\x00alice-secret" true
}
