// TLS shows how to connect over TLS (the SSL security protocol) with a CA
// file, using the transport/tls plugin (kafka-python's security_protocol=
// 'SSL', ssl_cafile=...). It reads the TLS listener from KAFKA3_SSL_BROKERS
// and the CA from KAFKA3_TLS_CA; set KAFKA3_TLS_CLIENT_CERT and
// KAFKA3_TLS_CLIENT_KEY to present a client certificate as well.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/examples/internal/demo"
	kafkatls "github.com/kafka3/kafka3-go/transport/tls"
)

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	brokers, ca := os.Getenv("KAFKA3_SSL_BROKERS"), os.Getenv("KAFKA3_TLS_CA")
	if brokers == "" || ca == "" {
		return fmt.Errorf("set KAFKA3_SSL_BROKERS and KAFKA3_TLS_CA (eval \"$(scripts/kafka env)\")")
	}
	cfg := core.Config{BootstrapServers: strings.Split(brokers, ","), SecurityProtocol: core.SSL}
	var err error
	cfg.TLS, err = kafkatls.New(kafkatls.Options{
		CAFile:   ca,
		CertFile: os.Getenv("KAFKA3_TLS_CLIENT_CERT"), // optional
		KeyFile:  os.Getenv("KAFKA3_TLS_CLIENT_KEY"),
	})
	if err != nil {
		return err
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	topic, drop := demo.TopicWith(ctx, cfg, 1)
	defer drop()
	p, err := core.NewProducer(core.ProducerConfig{Config: cfg})
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	md, err := p.SendSync(ctx, &core.Record{Topic: topic, Value: []byte("sent over TLS")})
	if err != nil {
		return err
	}
	fmt.Printf("sent over TLS to %s partition %d offset %d\n", md.Topic, md.Partition, md.Offset)
	return nil
}
