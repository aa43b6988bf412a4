package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// kafka3 runs the command in-process with stdin and returns its exit code,
// standard output and standard error.
func kafka3(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	code := run(ctx, args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// ok runs the command against the test broker and fails unless it succeeds.
func ok(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	args = append([]string{"-brokers", strings.Join(kafkatest.Brokers(t), ",")}, args...)
	code, out, errOut := kafka3(t, stdin, args...)
	if code != exitOK {
		t.Fatalf("kafka3 %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

func TestProbe(t *testing.T) {
	t.Parallel()
	out := ok(t, "", "probe")
	if !strings.Contains(out, "Kafka version: ") || !strings.Contains(out, "ApiVersions") || !strings.Contains(out, "CHOSEN") {
		t.Errorf("probe printed:\n%s", out)
	}
	if v := os.Getenv("KAFKA3_KAFKA_VERSION"); v != "" {
		major := strings.Join(strings.Split(v, ".")[:2], ".")
		if !strings.Contains(out, "Kafka version: "+major) {
			t.Errorf("probe did not report Kafka %s:\n%s", major, out)
		}
	}
}

func TestMetadata(t *testing.T) {
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 2, nil)
	out := ok(t, "", "metadata", topic)
	if !strings.Contains(out, "controller") || strings.Count(out, topic) != 2 {
		t.Errorf("metadata printed:\n%s", out)
	}
}

func TestTopicsCreateListDescribeDelete(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 2, 4, "topics created with the broker's default replication factor (CreateTopics v4, Kafka 2.4)")
	t.Parallel()
	topic := kafkatest.Topic(t)
	defer kafkatest.DeleteTopic(t, topic)
	ok(t, "", "topics", "create", "-partitions", "3", "-topic-config", "retention.ms=3600000", topic)
	if out := ok(t, "", "topics", "list", "-l"); !strings.Contains(out, topic+"\t3\n") {
		t.Errorf("topics list does not show %s with 3 partitions:\n%s", topic, out)
	}
	if out := ok(t, "", "topics", "describe", topic); !strings.Contains(out, "retention.ms") || strings.Count(out, topic) != 4 {
		t.Errorf("topics describe printed:\n%s", out)
	}
	ok(t, "", "topics", "create", "-if-not-exists", topic)
	ok(t, "", "topics", "delete", topic)
	ok(t, "", "topics", "delete", "-if-exists", topic)
	code, _, errOut := kafka3(t, "", "-brokers", kafkatest.Brokers(t)[0], "topics", "delete", topic)
	if code != exitError || !strings.Contains(errOut, "UNKNOWN_TOPIC_OR_PARTITION") {
		t.Errorf("deleting a missing topic: exit %d, stderr %s", code, errOut)
	}
}

func TestProduceConsume(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 2, 1, "zstd (KIP-110, Kafka 2.1) and headers (Kafka 0.11)")
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 3, nil)
	var in strings.Builder
	for i := range 10 {
		fmt.Fprintf(&in, "key%d:value %d\n", i, i)
	}
	ok(t, in.String(), "produce", "-topic", topic, "-key-separator", ":", "-header", "src=test", "-codec", "zstd")
	out := ok(t, "", "consume", "-topic", topic, "-from-beginning", "-max-messages", "10", "-format", "json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 10 {
		t.Fatalf("consumed %d records, want 10:\n%s", len(lines), out)
	}
	seen := map[string]bool{}
	for _, l := range lines {
		var r jsonRecord
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if r.Topic != topic || r.Headers["src"] != "test" || r.Value != "value "+strings.TrimPrefix(r.Key.(string), "key") {
			t.Errorf("unexpected record %s", l)
		}
		seen[r.Key.(string)] = true
	}
	if len(seen) != 10 {
		t.Errorf("got %d distinct keys, want 10", len(seen))
	}
	// Text format, typed values, and stopping when idle.
	ok(t, "1\n2\n3\n", "produce", "-topic", topic, "-partition", "2", "-serializer", "int32")
	out = ok(t, "", "consume", "-topic", topic, "-partition", "2", "-offset", "-3", "-idle", "2s",
		"-deserializer", "int32", "-print", "partition")
	if out != "2\t1\n2\t2\n2\t3\n" {
		t.Errorf("consume -offset -3 printed %q", out)
	}
}

func TestGroupsList(t *testing.T) {
	t.Parallel()
	out := ok(t, "", "groups", "list")
	if !strings.HasPrefix(out, "GROUP") {
		t.Errorf("groups list printed:\n%s", out)
	}
	code, _, errOut := kafka3(t, "", "-brokers", kafkatest.Brokers(t)[0], "groups", "describe", "no-such-group-"+kafkatest.Topic(t))
	if code != exitError || !strings.Contains(errOut, "GROUP_ID_NOT_FOUND") {
		t.Errorf("describing a missing group: exit %d, stderr %s", code, errOut)
	}
}

func TestBench(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 2, 4, "topics created with the broker's default replication factor (CreateTopics v4, Kafka 2.4)")
	t.Parallel()
	out := ok(t, "", "bench", "-records", "2000", "-partitions", "2")
	if !strings.Contains(out, "produce: 2000 records") || !strings.Contains(out, "consume: 2000 records") {
		t.Errorf("bench printed:\n%s", out)
	}
}

func TestConfigFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "client.properties")
	props := "# a Java client config\nbootstrap.servers=" + strings.Join(kafkatest.Brokers(t), ",") + "\nlinger.ms=1\nauto.offset.reset=earliest\n"
	if err := os.WriteFile(path, []byte(props), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := kafka3(t, "", "-config", path, "topics", "list")
	if code != exitOK {
		t.Fatalf("topics list with -config: exit %d: %s%s", code, out, errOut)
	}
	if err := os.WriteFile(path, []byte("bootstrap.servers=x:1\nno.such.property=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = kafka3(t, "", "-config", path, "topics", "list")
	if code != exitError || !strings.Contains(errOut, "no.such.property") {
		t.Errorf("unknown property: exit %d, stderr %s", code, errOut)
	}
}

func TestSASLAndTLS(t *testing.T) {
	t.Parallel()
	sasl := kafkatest.ListenerBrokers(t, kafkatest.SASLPlaintext)
	code, out, errOut := kafka3(t, "", "-brokers", sasl[0], "-sasl-mechanism", "SCRAM-SHA-512",
		"-sasl-username", kafkatest.User, "-sasl-password", kafkatest.Password, "probe")
	if code != exitOK || !strings.Contains(out, "Kafka version") {
		t.Errorf("probe over SASL: exit %d: %s%s", code, out, errOut)
	}
	ssl := kafkatest.ListenerBrokers(t, kafkatest.SSL)
	code, out, errOut = kafka3(t, "", "-brokers", ssl[0], "-tls-ca", kafkatest.Env(t, "KAFKA3_TLS_CA"), "topics", "list")
	if code != exitOK {
		t.Errorf("topics list over TLS: exit %d: %s%s", code, out, errOut)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		code int
		want string // in stderr
	}{
		{nil, exitUsage, "Commands:"},
		{[]string{"-h"}, exitOK, "Commands:"},
		{[]string{"nope"}, exitUsage, `unknown command "nope"`},
		{[]string{"probe", "-nope"}, exitUsage, "flag provided but not defined: -nope"},
		{[]string{"consume", "-h"}, exitOK, "-from-beginning"},
		{[]string{"consume"}, exitUsage, "-topic is required"},
		{[]string{"consume", "-topic", "t", "-from-beginning", "-offset", "3"}, exitUsage, "at most one of"},
		{[]string{"consume", "-topic", "t", "-time", "yesterday"}, exitUsage, "RFC 3339"},
		{[]string{"consume", "-topic", "t", "-format", "xml"}, exitUsage, "-format must be"},
		{[]string{"produce", "-topic", "t", "-serializer", "nope"}, exitUsage, "registered: "},
		{[]string{"produce", "-topic", "t", "-acks", "2"}, exitUsage, "-acks"},
		{[]string{"topics"}, exitUsage, "create"},
		{[]string{"topics", "create"}, exitUsage, "name the topics"},
		{[]string{"groups", "frobnicate"}, exitUsage, "list|describe|lag"},
		{[]string{"bench", "-mode", "x"}, exitUsage, "-mode must be"},
	}
	for _, tt := range tests {
		code, _, errOut := kafka3(t, "", tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("kafka3 %q: exit %d, want %d; stderr:\n%s\nwant it to contain %q", tt.args, code, tt.code, errOut, tt.want)
		}
	}
}

func TestHelpToStdout(t *testing.T) {
	t.Parallel()
	code, out, _ := kafka3(t, "", "help")
	if code != exitOK || !strings.Contains(out, "groups") {
		t.Errorf("kafka3 help: exit %d:\n%s", code, out)
	}
}

func TestUnreachableBrokerSaysWhatToDo(t *testing.T) {
	t.Parallel()
	code, _, errOut := kafka3(t, "", "-brokers", "127.0.0.1:1", "-timeout", "3s", "topics", "list")
	if code != exitError || !strings.Contains(errOut, "-brokers") {
		t.Errorf("unreachable broker: exit %d, stderr:\n%s", code, errOut)
	}
}

func TestGroupsLag(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 2, nil)
	ok(t, "a\nb\nc\nd\n", "produce", "-topic", topic, "-partition", "1")
	group := "lag-" + topic
	a, err := (&env{ctx: context.Background(), stderr: io.Discard, g: &globals{brokers: strings.Join(kafkatest.Brokers(t), ","), timeout: 30 * time.Second}}).admin()
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := a.AlterGroupOffsets(ctx, group, map[string]map[int32]int64{topic: {1: 1}}); err != nil {
		t.Fatal(err)
	}
	defer a.DeleteGroups(context.Background(), group)
	out := ok(t, "", "groups", "lag", group)
	if !regexp.MustCompile(group + ` +` + topic + ` +1 +1 +4 +3\n`).MatchString(out) {
		t.Errorf("groups lag printed:\n%s", out)
	}
	if out := ok(t, "", "groups", "describe", group); !strings.Contains(out, "Group "+group+": state Empty") {
		t.Errorf("groups describe printed:\n%s", out)
	}
}

func TestConsumeGroup(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 3, nil)
	ok(t, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "produce", "-topic", topic, "-partition", "0")
	group := "cli-" + topic
	first := ok(t, "", "consume", "-topic", topic, "-group", group, "-from-beginning", "-max-messages", "4")
	rest := ok(t, "", "consume", "-topic", topic, "-group", group, "-idle", "3s")
	got := strings.Fields(first + rest)
	if len(got) != 10 {
		t.Errorf("the group read %d records in two runs, want 10 exactly once:\n%s---\n%s", len(got), first, rest)
	}
	if out := ok(t, "", "groups", "lag", group); !regexp.MustCompile(` 10 +10 +0\n`).MatchString(out) {
		t.Errorf("groups lag after consuming everything:\n%s", out)
	}
	code, _, errOut := kafka3(t, "", "consume", "-topic", topic, "-group", group, "-offset", "3")
	if code != exitUsage || !strings.Contains(errOut, "-group takes") {
		t.Errorf("-group with -offset: exit %d, stderr %s", code, errOut)
	}
}
