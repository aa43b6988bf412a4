package scram_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
	_ "github.com/kafka3/kafka3-go/transport/sasl/scram"
)

// TestRealBroker authenticates with both mechanisms against the SASL
// listeners of the broker that scripts/kafka runs, and checks that a wrong
// password fails without showing it.
func TestRealBroker(t *testing.T) {
	brokers := kafkatest.ListenerBrokers(t, kafkatest.SASLPlaintext)
	for _, mech := range []string{"SCRAM-SHA-256", "SCRAM-SHA-512"} {
		for i, password := range []string{kafkatest.Password, "wrong-" + kafkatest.Password} {
			t.Run(mech+"/"+[]string{"right", "wrong"}[i]+"-password", func(t *testing.T) {
				err := metadata(t, core.Config{BootstrapServers: brokers, SecurityProtocol: core.SASLPlaintext,
					SASL: core.SASLConfig{Mechanism: mech, Username: kafkatest.User, Password: password}})
				if password == kafkatest.Password {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				if err == nil {
					t.Fatal("a wrong password was accepted")
				}
				if strings.Contains(err.Error(), password) {
					t.Fatalf("the error shows the password: %v", err)
				}
				t.Logf("wrong password: %v", err)
			})
		}
	}
}

func metadata(t *testing.T, cfg core.Config) error {
	t.Helper()
	cl, err := core.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req := &protocol.MetadataRequest{}
	req.Default()
	_, err = cl.Request(ctx, req)
	return err
}
