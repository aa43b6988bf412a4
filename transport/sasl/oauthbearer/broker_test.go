package oauthbearer_test

import (
	"context"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
	"github.com/kafka3/kafka3-go/transport/sasl/oauthbearer"
)

// TestRealBroker authenticates with OAUTHBEARER over the SASL_PLAINTEXT
// listener of the broker scripts/kafka runs, whose default validator accepts
// unsecured JWTs: once with the token source in the config, once with a
// mechanism value carrying its own source.
func TestRealBroker(t *testing.T) {
	brokers := kafkatest.ListenerBrokers(t, kafkatest.SASLPlaintext)
	source := oauthbearer.UnsecuredTokenSource(kafkatest.User, time.Hour)
	configs := map[string]core.SASLConfig{
		"token-source": {Mechanism: "OAUTHBEARER", TokenSource: source},
		"custom":       {Custom: oauthbearer.New(source)},
	}
	for name, sasl := range configs {
		t.Run(name, func(t *testing.T) {
			cl, err := core.NewClient(core.Config{BootstrapServers: brokers, SecurityProtocol: core.SASLPlaintext, SASL: sasl})
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			req := &protocol.MetadataRequest{}
			req.Default()
			if _, err := cl.Request(ctx, req); err != nil {
				t.Fatal(err)
			}
		})
	}
}
