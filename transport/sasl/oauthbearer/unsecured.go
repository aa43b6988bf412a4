package oauthbearer

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/kafka3/kafka3-go/core"
)

// UnsecuredToken returns an UNSIGNED token for principal, valid for
// lifetime: a JWT with "alg":"none" and the claims sub, iat and exp, as
// Kafka's default unsecured validator (OAuthBearerUnsecuredJws) accepts.
//
// FOR TESTS AND DEVELOPMENT ONLY. Anyone can forge such a token for any
// principal: a broker that accepts it has no authentication at all. Never
// enable the unsecured validator, or use this function, in production.
func UnsecuredToken(principal string, lifetime time.Duration) (core.Token, error) {
	return unsecuredToken(principal, lifetime, time.Now())
}

// UnsecuredTokenSource returns a token source that makes a fresh
// UnsecuredToken for every authentication. FOR TESTS AND DEVELOPMENT ONLY:
// see UnsecuredToken. Safe for concurrent use.
func UnsecuredTokenSource(principal string, lifetime time.Duration) core.TokenSource {
	return func(context.Context) (core.Token, error) { return UnsecuredToken(principal, lifetime) }
}

func unsecuredToken(principal string, lifetime time.Duration, now time.Time) (core.Token, error) {
	if principal == "" {
		return core.Token{}, errors.New("oauthbearer: UnsecuredToken needs a principal")
	}
	if lifetime < time.Second {
		return core.Token{}, errors.New("oauthbearer: UnsecuredToken needs a lifetime of at least a second")
	}
	iat := now.Unix() // whole seconds, rounded down: never in the broker's future
	exp := iat + int64(lifetime/time.Second)
	claims, err := json.Marshal(struct {
		Sub string `json:"sub"`
		Iat int64  `json:"iat"`
		Exp int64  `json:"exp"`
	}{principal, iat, exp})
	if err != nil {
		return core.Token{}, err
	}
	enc := base64.RawURLEncoding
	value := enc.EncodeToString([]byte(`{"alg":"none"}`)) + "." + enc.EncodeToString(claims) + "."
	return core.Token{Value: value, Expiry: time.Unix(exp, 0), Principal: principal}, nil
}
