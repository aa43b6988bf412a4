// SASL shows how to authenticate with SASL/SCRAM-SHA-512 over the
// SASL_PLAINTEXT security protocol, using the transport/sasl/scram plugin
// (kafka-python's security_protocol='SASL_PLAINTEXT',
// sasl_mechanism='SCRAM-SHA-512'). It reads the listener from
// KAFKA3_SASL_PLAINTEXT_BROKERS; the user is alice, password alice-secret
// (or KAFKA3_SASL_USERNAME and KAFKA3_SASL_PASSWORD). In production use
// SASL_SSL, which also sets Config.TLS.
package main

import (
	"cmp"
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/kafka3/kafka3-go/core"
	_ "github.com/kafka3/kafka3-go/transport/sasl/scram" // SCRAM-SHA-256 and SCRAM-SHA-512
)

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	brokers := os.Getenv("KAFKA3_SASL_PLAINTEXT_BROKERS")
	if brokers == "" {
		return fmt.Errorf("set KAFKA3_SASL_PLAINTEXT_BROKERS (eval \"$(scripts/kafka env)\")")
	}
	cfg := core.Config{
		BootstrapServers: strings.Split(brokers, ","),
		SecurityProtocol: core.SASLPlaintext,
		SASL: core.SASLConfig{
			Mechanism: "SCRAM-SHA-512",
			Username:  cmp.Or(os.Getenv("KAFKA3_SASL_USERNAME"), "alice"),
			Password:  cmp.Or(os.Getenv("KAFKA3_SASL_PASSWORD"), "alice-secret"),
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := core.NewClient(cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	v, err := c.CheckVersion(ctx) // connects and authenticates
	if err != nil {
		return err
	}
	fmt.Printf("authenticated as %s with %s; the cluster runs Kafka %s\n", cfg.SASL.Username, cfg.SASL.Mechanism, v)
	return nil
}
