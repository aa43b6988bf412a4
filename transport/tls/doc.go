// Package tls builds the *crypto/tls.Config for Kafka's SSL and SASL_SSL
// security protocols from PEM files, or from the Java / kafka-python
// property names (ssl.truststore.location, ssl_cafile, ...), so that a
// client's TLS settings can be carried over from other clients.
//
// The package is named after its folder, as every package of this module;
// a file that also imports crypto/tls names one of them:
//
//	import kafkatls "github.com/kafka3/kafka3-go/transport/tls"
//
//	cfg.SecurityProtocol = core.SSL
//	cfg.TLS, err = kafkatls.New(kafkatls.Options{CAFile: "ca.pem"})
//
// The configs it returns require TLS 1.2 or later and verify the broker's
// certificate and host name, unless told otherwise. The client (core) fills
// in ServerName from each broker's address, so leave it empty to reach
// several brokers with one config.
//
// Key passwords never appear in errors or logs.
package tls
