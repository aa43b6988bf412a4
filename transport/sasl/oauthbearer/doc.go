// Package oauthbearer implements the SASL OAUTHBEARER mechanism (RFC 7628,
// KIP-255) and registers it with core when imported:
//
//	import _ "github.com/kafka3/kafka3-go/transport/sasl/oauthbearer"
//
// The client sends a bearer token obtained from a core.TokenSource (from your
// identity provider); the broker validates it. A session reports the
// token's expiry (core.SASLSessionExpiry) so that the client re-authenticates
// with a fresh token before it runs out (KIP-368).
//
// Tokens are credentials: they never appear in errors or logs.
//
// For tests and development against a broker with Kafka's default unsecured
// validator, UnsecuredTokenSource makes unsigned tokens.
package oauthbearer
