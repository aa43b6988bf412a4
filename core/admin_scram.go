package core

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"

	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// ScramMechanism is a SCRAM mechanism a user's credentials are for.
type ScramMechanism int8

// SCRAM mechanisms, as Kafka numbers them.
const (
	ScramUnknown ScramMechanism = 0
	ScramSHA256  ScramMechanism = 1
	ScramSHA512  ScramMechanism = 2
)

// String returns the SASL name, "SCRAM-SHA-256" or "SCRAM-SHA-512".
func (m ScramMechanism) String() string {
	switch m {
	case ScramSHA256:
		return "SCRAM-SHA-256"
	case ScramSHA512:
		return "SCRAM-SHA-512"
	}
	return fmt.Sprintf("ScramMechanism(%d)", int8(m))
}

// Iteration limits the broker enforces for SCRAM credentials.
const (
	ScramMinIterations = 4096
	ScramMaxIterations = 16384
)

// ScramCredential is one mechanism's credential of a user.
type ScramCredential struct {
	Mechanism  ScramMechanism
	Iterations int32
}

// UserScramCredentials are a user's SCRAM credentials, or why they could
// not be described (RESOURCE_NOT_FOUND for a user without any).
type UserScramCredentials struct {
	Credentials []ScramCredential
	Err         error
}

// DescribeUserScramCredentials describes the SCRAM credentials of users,
// or of every user that has some when none are named. A named user without
// credentials has Err RESOURCE_NOT_FOUND. The error is non-nil only when the
// request as a whole failed.
func (a *Admin) DescribeUserScramCredentials(ctx context.Context, users ...string) (map[string]UserScramCredentials, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	req := &protocol.DescribeUserScramCredentialsRequest{}
	req.Default()
	req.Users = nil
	for _, u := range users {
		req.Users = append(req.Users, protocol.DescribeUserScramCredentialsRequestUserName{Name: u})
	}
	resp, err := a.toAny(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("core: DescribeUserScramCredentials: %w", err)
	}
	r := resp.(*protocol.DescribeUserScramCredentialsResponse)
	if err := itemErr(r.ErrorCode, r.ErrorMessage); err != nil {
		return nil, fmt.Errorf("core: DescribeUserScramCredentials: %w", err)
	}
	out := map[string]UserScramCredentials{}
	for _, u := range r.Results {
		c := UserScramCredentials{Err: itemErr(u.ErrorCode, u.ErrorMessage)}
		for _, ci := range u.CredentialInfos {
			c.Credentials = append(c.Credentials, ScramCredential{Mechanism: ScramMechanism(ci.Mechanism), Iterations: ci.Iterations})
		}
		out[u.User] = c
	}
	return out, nil
}

// ScramUpsertion creates or replaces a user's credential for a mechanism.
// The password never leaves the client: the request carries the salted
// password that SCRAM's server side stores.
type ScramUpsertion struct {
	User      string
	Mechanism ScramMechanism
	// Iterations of PBKDF2, ScramMinIterations..ScramMaxIterations; default
	// (0) 8192.
	Iterations int32
	Password   string
	// Salt is generated (32 random bytes) when nil.
	Salt []byte
}

// ScramDeletion removes a user's credential for a mechanism.
type ScramDeletion struct {
	User      string
	Mechanism ScramMechanism
}

// AlterUserScramCredentials creates, replaces and deletes SCRAM
// credentials and returns the error of each user named, nil for success
// (the first error when several changes of one user fail). Upsertions with
// invalid fields fail locally, for their user only. Kafka refuses a request
// that names a user twice, so several changes of one user (both
// mechanisms, say) go in successive requests. The error is non-nil only
// when a request itself failed.
func (a *Admin) AlterUserScramCredentials(ctx context.Context, upsertions []ScramUpsertion, deletions []ScramDeletion) (map[string]error, error) {
	ctx, cancel := a.withTimeout(ctx)
	defer cancel()
	out := map[string]error{}
	var rounds []*protocol.AlterUserScramCredentialsRequest
	seen := map[string]int{} // requests that name each user
	round := func(user string) *protocol.AlterUserScramCredentialsRequest {
		i := seen[user]
		seen[user]++
		if i == len(rounds) {
			req := &protocol.AlterUserScramCredentialsRequest{}
			req.Default()
			rounds = append(rounds, req)
		}
		return rounds[i]
	}
	for _, d := range deletions {
		req := round(d.User)
		req.Deletions = append(req.Deletions, protocol.AlterUserScramCredentialsRequestScramCredentialDeletion{Name: d.User, Mechanism: int8(d.Mechanism)})
	}
	for _, u := range upsertions {
		w, err := scramUpsertion(u)
		if err != nil {
			out[u.User] = err
			continue
		}
		req := round(u.User)
		req.Upsertions = append(req.Upsertions, w)
	}
	for _, req := range rounds {
		resp, err := a.toAny(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("core: AlterUserScramCredentials: %w", err)
		}
		for _, r := range resp.(*protocol.AlterUserScramCredentialsResponse).Results {
			if out[r.User] == nil {
				out[r.User] = itemErr(r.ErrorCode, r.ErrorMessage)
			}
		}
	}
	return out, nil
}

// scramUpsertion salts u's password as the broker's SCRAM server expects:
// SaltedPassword = Hi(password, salt, iterations), which is PBKDF2 with
// HMAC of the mechanism's hash and a key as long as the hash (RFC 5802).
func scramUpsertion(u ScramUpsertion) (protocol.AlterUserScramCredentialsRequestScramCredentialUpsertion, error) {
	w := protocol.AlterUserScramCredentialsRequestScramCredentialUpsertion{Name: u.User, Mechanism: int8(u.Mechanism), Iterations: u.Iterations, Salt: u.Salt}
	if w.Iterations == 0 {
		w.Iterations = 8192
	}
	if u.User == "" {
		return w, fmt.Errorf("core: a SCRAM upsertion needs a User: %w", kerr.UnacceptableCredential)
	}
	if w.Iterations < ScramMinIterations || w.Iterations > ScramMaxIterations {
		return w, fmt.Errorf("core: SCRAM iterations %d for user %q: use %d..%d: %w", w.Iterations, u.User, ScramMinIterations, ScramMaxIterations, kerr.UnacceptableCredential)
	}
	if u.Password == "" {
		return w, fmt.Errorf("core: SCRAM password of user %q is empty: %w", u.User, kerr.UnacceptableCredential)
	}
	if w.Salt == nil {
		w.Salt = make([]byte, 32)
		rand.Read(w.Salt)
	}
	var err error
	switch u.Mechanism {
	case ScramSHA256:
		w.SaltedPassword, err = pbkdf2.Key(sha256.New, u.Password, w.Salt, int(w.Iterations), sha256.Size)
	case ScramSHA512:
		w.SaltedPassword, err = pbkdf2.Key(sha512.New, u.Password, w.Salt, int(w.Iterations), sha512.Size)
	default:
		return w, fmt.Errorf("core: SCRAM mechanism %v of user %q: use ScramSHA256 or ScramSHA512: %w", u.Mechanism, u.User, kerr.UnsupportedSASLMechanism)
	}
	if err != nil {
		return w, fmt.Errorf("core: salting the SCRAM password of user %q: %w", u.User, err)
	}
	return w, nil
}
