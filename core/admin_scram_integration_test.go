package core_test

import (
	"context"
	"testing"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
	_ "github.com/kafka3/kafka3-go/transport/sasl/scram"
)

// saslClient connects to the SASL_PLAINTEXT listener as user.
func saslClient(t *testing.T, mechanism, user, password string) *core.Client {
	t.Helper()
	c, err := core.NewClient(core.Config{BootstrapServers: kafkatest.ListenerBrokers(t, kafkatest.SASLPlaintext), SecurityProtocol: core.SASLPlaintext,
		SASL: core.SASLConfig{Mechanism: mechanism, Username: user, Password: password}})
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
	req.Topics = []protocol.MetadataRequestTopic{{Name: &topic}}
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
	for _, m := range []string{"SCRAM-SHA-256", "SCRAM-SHA-512"} {
		if err := topicMetadata(ctx, saslClient(t, m, kafkatest.User, kafkatest.Password), topic); err != nil {
			t.Fatalf("SCRAM fails as %s with %s: %v", kafkatest.User, m, err)
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
	for i, m := range []string{"SCRAM-SHA-256", "SCRAM-SHA-512"} {
		pw := []string{"pw-256", "pw-512"}[i]
		var err error
		eventually(func() bool { err = topicMetadata(ctx, saslClient(t, m, user, pw), topic); return err == nil })
		if err != nil {
			t.Fatalf("%s as the user created through Admin: %v", m, err)
		}
		if err := topicMetadata(ctx, saslClient(t, m, user, pw+"-wrong"), topic); err == nil {
			t.Fatalf("%s accepted a wrong password", m)
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
