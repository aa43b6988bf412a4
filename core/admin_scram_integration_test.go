package core_test

import (
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"testing"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// testScram is a minimal SCRAM client (RFC 5802), written from the RFC for
// these tests: the transport/sasl/scram plugin cannot be imported here,
// because package core's own tests check that it is not registered. The
// test authenticates as alice (whose credentials Kafka's Java tools
// created) before trusting it with users created through Admin.
type testScram struct {
	name string
	hash func() hash.Hash
}

var (
	testScram256 = testScram{"SCRAM-SHA-256", sha256.New}
	testScram512 = testScram{"SCRAM-SHA-512", sha512.New}
)

func (m testScram) Name() string { return m.name }

func (m testScram) Start(_ context.Context, cfg core.SASLConfig) (core.SASLSession, error) {
	nonce := make([]byte, 18)
	rand.Read(nonce)
	return &testScramSession{m: m, user: cfg.Username, password: cfg.Password, nonce: base64.RawStdEncoding.EncodeToString(nonce)}, nil
}

type testScramSession struct {
	m                     testScram
	user, password, nonce string
	step                  int
	firstBare, serverSig  string
}

func (s *testScramSession) Step(challenge []byte) ([]byte, bool, error) {
	s.step++
	switch s.step {
	case 1:
		s.firstBare = "n=" + strings.NewReplacer("=", "=3D", ",", "=2C").Replace(s.user) + ",r=" + s.nonce
		return []byte("n,," + s.firstBare), false, nil
	case 2:
		return s.final(string(challenge))
	case 3:
		if string(challenge) != "v="+s.serverSig {
			return nil, false, fmt.Errorf("testScram: bad server signature %q", challenge)
		}
		return nil, true, nil
	}
	return nil, false, errors.New("testScram: too many steps")
}

func (s *testScramSession) final(serverFirst string) ([]byte, bool, error) {
	attrs := map[string]string{}
	for _, kv := range strings.Split(serverFirst, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			attrs[k] = v
		}
	}
	salt, err := base64.StdEncoding.DecodeString(attrs["s"])
	iters, err2 := strconv.Atoi(attrs["i"])
	if err != nil || err2 != nil || !strings.HasPrefix(attrs["r"], s.nonce) {
		return nil, false, fmt.Errorf("testScram: bad server-first message %q", serverFirst)
	}
	salted, err := pbkdf2.Key(s.m.hash, s.password, salt, iters, s.m.hash().Size())
	if err != nil {
		return nil, false, err
	}
	mac := func(key []byte, msg string) []byte {
		h := hmac.New(s.m.hash, key)
		h.Write([]byte(msg))
		return h.Sum(nil)
	}
	withoutProof := "c=biws,r=" + attrs["r"]
	authMessage := s.firstBare + "," + serverFirst + "," + withoutProof
	clientKey := mac(salted, "Client Key")
	h := s.m.hash()
	h.Write(clientKey)
	proof := mac(h.Sum(nil), authMessage)
	for i := range proof {
		proof[i] ^= clientKey[i]
	}
	s.serverSig = base64.StdEncoding.EncodeToString(mac(mac(salted, "Server Key"), authMessage))
	return []byte(withoutProof + ",p=" + base64.StdEncoding.EncodeToString(proof)), false, nil
}

// saslClient connects to the SASL_PLAINTEXT listener as user.
func saslClient(t *testing.T, mech testScram, user, password string) *core.Client {
	t.Helper()
	c, err := core.NewClient(core.Config{BootstrapServers: kafkatest.ListenerBrokers(t, kafkatest.SASLPlaintext), SecurityProtocol: core.SASLPlaintext,
		SASL: core.SASLConfig{Mechanism: mech.name, Custom: mech, Username: user, Password: password}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// topicMetadata asks for one topic's metadata and returns the request's
// error, or the topic's.
func topicMetadata(ctx context.Context, c *core.Client, topic string) error {
	req := &protocol.MetadataRequest{}
	req.Default()
	req.Topics = []protocol.MetadataRequestMetadataRequestTopic{{Name: &topic}}
	resp, err := c.Request(ctx, req)
	if err != nil {
		return err
	}
	return kerr.ForCode(resp.(*protocol.MetadataResponse).Topics[0].ErrorCode)
}

func TestAdminScramUsers(t *testing.T) {
	t.Parallel()
	a, ctx := newAdmin(t), adminCtx(t)
	topic := kafkatest.CreateTopic(t, 1, nil)
	for _, m := range []testScram{testScram256, testScram512} {
		if err := topicMetadata(ctx, saslClient(t, m, kafkatest.User, kafkatest.Password), topic); err != nil {
			t.Fatalf("the test's SCRAM client fails as %s with %s: %v", kafkatest.User, m.name, err)
		}
	}

	user, missing := kafkatest.Topic(t), kafkatest.Topic(t)
	res, err := a.AlterUserScramCredentials(ctx, []core.ScramUpsertion{
		{User: user, Mechanism: core.ScramSHA256, Password: "pw-256"},
		{User: user, Mechanism: core.ScramSHA512, Password: "pw-512", Iterations: 4096},
		{User: missing, Mechanism: core.ScramSHA256, Password: "x", Iterations: 10},
	}, []core.ScramDeletion{{User: "k3-nobody-" + user, Mechanism: core.ScramSHA512}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a.AlterUserScramCredentials(context.Background(), nil, []core.ScramDeletion{{User: user, Mechanism: core.ScramSHA256}, {User: user, Mechanism: core.ScramSHA512}})
	})
	wantErr(t, "upsert", res[user], nil)
	wantErr(t, "too few iterations", res[missing], kerr.UnacceptableCredential)
	wantErr(t, "delete a missing credential", res["k3-nobody-"+user], kerr.ResourceNotFound)

	// The broker sees changes once it has them from the metadata log.
	var desc map[string]core.UserScramCredentials
	eventually(func() bool {
		desc, err = a.DescribeUserScramCredentials(ctx, user, missing)
		return err != nil || len(desc[user].Credentials) == 2
	})
	if err != nil {
		t.Fatal(err)
	}
	if c := desc[user].Credentials; desc[user].Err != nil || len(c) != 2 || c[0].Iterations+c[1].Iterations != 8192+4096 {
		t.Fatalf("described %+v", desc[user])
	}
	wantErr(t, "describe a user without credentials", desc[missing].Err, kerr.ResourceNotFound)
	if all, err := a.DescribeUserScramCredentials(ctx); err != nil || len(all[kafkatest.User].Credentials) != 2 {
		t.Fatalf("describe all users: %v %v", all, err)
	}

	// The new user authenticates with each mechanism, once the broker has
	// the credential from the metadata log; a wrong password does not.
	for i, m := range []testScram{testScram256, testScram512} {
		pw := []string{"pw-256", "pw-512"}[i]
		var err error
		eventually(func() bool { err = topicMetadata(ctx, saslClient(t, m, user, pw), topic); return err == nil })
		if err != nil {
			t.Fatalf("%s as the user created through Admin: %v", m.name, err)
		}
		if err := topicMetadata(ctx, saslClient(t, m, user, pw+"-wrong"), topic); err == nil {
			t.Fatalf("%s accepted a wrong password", m.name)
		}
	}

	res, err = a.AlterUserScramCredentials(ctx, nil, []core.ScramDeletion{{User: user, Mechanism: core.ScramSHA256}, {User: user, Mechanism: core.ScramSHA512}})
	if err != nil || res[user] != nil {
		t.Fatalf("deleting the credentials: %v %v", res, err)
	}
	eventually(func() bool { desc, _ = a.DescribeUserScramCredentials(ctx, user); return desc[user].Err != nil })
	wantErr(t, "describe after deletion", desc[user].Err, kerr.ResourceNotFound)
	if core.ScramSHA512.String() != "SCRAM-SHA-512" {
		t.Fatal(core.ScramSHA512.String())
	}
}
