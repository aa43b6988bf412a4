// Package scram implements the SASL mechanisms SCRAM-SHA-256 and
// SCRAM-SHA-512 (RFC 5802, RFC 7677) and registers both with core when
// imported:
//
//	import _ "github.com/kafka3/kafka3-go/transport/sasl/scram"
//
// The client proves it knows the password without sending it, and checks the
// broker's signature, so a broker that does not hold the credential cannot
// pass as the real one. Channel binding is not used ("n,," header), as with
// Kafka's own clients.
//
// Names and passwords are used as UTF-8 bytes without SASLprep (RFC 4013)
// normalisation, exactly as the Java client and the broker compute
// credentials; a user name's ',' and '=' are escaped as "=2C" and "=3D".
// The password never appears in errors or logs.
package scram
