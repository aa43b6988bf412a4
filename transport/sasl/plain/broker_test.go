package plain_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
	_ "github.com/kafka3/kafka3-go/transport/sasl/plain"
	kafkatls "github.com/kafka3/kafka3-go/transport/tls"
)

// TestRealBroker authenticates with PLAIN over the SASL_SSL listener of the
// broker that scripts/kafka runs (TLS from transport/tls), and checks that a
// wrong password fails without showing it.
func TestRealBroker(t *testing.T) {
	brokers := kafkatest.ListenerBrokers(t, kafkatest.SASLSSL)
	tlsCfg, err := kafkatls.New(kafkatls.Options{CAFile: kafkatest.Env(t, "KAFKA3_TLS_CA")})
	if err != nil {
		t.Fatal(err)
	}
	for i, password := range []string{kafkatest.Password, "wrong-" + kafkatest.Password} {
		t.Run([]string{"right", "wrong"}[i]+"-password", func(t *testing.T) {
			cl, err := core.NewClient(core.Config{BootstrapServers: brokers, SecurityProtocol: core.SASLSSL, TLS: tlsCfg,
				SASL: core.SASLConfig{Mechanism: "PLAIN", Username: kafkatest.User, Password: password}})
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			req := &protocol.MetadataRequest{}
			req.Default()
			_, err = cl.Request(ctx, req)
			switch {
			case i == 0 && err != nil:
				t.Fatal(err)
			case i == 1 && err == nil:
				t.Fatal("a wrong password was accepted")
			case i == 1 && strings.Contains(err.Error(), password):
				t.Fatalf("the error shows the password: %v", err)
			}
		})
	}
}
