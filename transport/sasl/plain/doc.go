// Package plain implements the SASL PLAIN mechanism (RFC 4616) and registers
// it with core when imported:
//
//	import _ "github.com/kafka3/kafka3-go/transport/sasl/plain"
//
// PLAIN sends the password as it is, so use it only over TLS (the SASL_SSL
// security protocol). The password never appears in errors or logs.
package plain
