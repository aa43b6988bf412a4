package oauthbearer_test

import (
	"context"
	"fmt"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/transport/sasl/oauthbearer"
)

// A mechanism with its own token source; here unsigned tokens for a
// development broker with Kafka's unsecured validator (never in production).
func Example() {
	m := oauthbearer.New(oauthbearer.UnsecuredTokenSource("admin", time.Hour))
	s, err := m.Start(context.Background(), core.SASLConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	expiry := s.(core.SASLSessionExpiry).Expiry()
	fmt.Println(m.Name(), time.Until(expiry).Round(time.Hour))
	// Output: OAUTHBEARER 1h0m0s
}
