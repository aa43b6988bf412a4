package examples

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// expected maps each example (a directory of this one) to a pattern its
// output must match. Every directory with a main.go must be listed.
var expected = map[string]string{
	"assign":            `next record of .*: offset 1, value "record 1"\nthe partition's high watermark is 3`,
	"compression":       `read back and decompressed: map\[gzip:100 lz4:100 snappy:100 zstd:100\]`,
	"consumer-metrics":  `records-consumed-total\s+100\n`,
	"custom-assignor":   `member 1 was dealt partitions \[\d \d\]\nmember 2 was dealt partitions \[\d \d\]`,
	"custom-serializer": `received \{X:3 Y:4\} \(content-type text/x-point\)\n.*writes "-1,2"`,
	"flush":             `flushed 500 records in .*; the last is at offset 499`,
	"group":             `(?s)assigned \[.*(message \d\n.*){10}committed offsets add up to 10`,
	"headers-read":      `has 3 headers:\n  content-type: text/plain\n  trace-id: 4bf92f3577b34da6\n  empty: null`,
	"headers-send":      `sent with 3 headers \(\d+ bytes of headers\) at offset 0`,
	"iterate":           `(?s)(value=message \d\n.*){5}`,
	"quickstart":        `(?s)(consumed .*){10}producer metrics:.*consumer metrics:.*records-consumed-rate`,
	"transactions":      `WORD-0..WORD-9 each exactly once: true; records of the aborted transaction: 0`,
	"json":              `received order-7: order 7: \[tea cake\], total 9.50`,
	"key-partitioning":  `(?m)(^key \w+ +-> partition (\d) \(murmur2 says \d\)\n){6}`,
	"msgpack":           `received \{Sensor:t1 Value:21.5\} \(key null: true\)`,
	"producer-metrics":  `record-send-total\s+1000\n`,
	"sasl":              `authenticated as alice with SCRAM-SHA-512; the cluster runs Kafka \d`,
	"send-async":        `100 records with futures.*\n1000 records with callbacks acknowledged, 0 failed`,
	"send-wait":         `acknowledged: topic .* offset 0 at .*\nacknowledged: offset 1`,
	"string-keys":       `fr = bonjour\nde = hallo\nja = こんにちは`,
	"tls":               `sent over TLS to .* offset 0`,
}

// needs lists the listeners an example needs besides PLAINTEXT.
var needs = map[string][]kafkatest.Listener{
	"tls":  {kafkatest.SSL},
	"sasl": {kafkatest.SASLPlaintext},
}

// TestExamples builds every example once, then runs each against the real
// broker, in parallel, and checks its exit status and output.
func TestExamples(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 2, 4, "what the examples use: topics with the broker's default replication factor (CreateTopics v4, Kafka 2.4), idempotence, headers and transactions (0.11)")
	kafkatest.Brokers(t) // skip, or fail under CI, without a broker
	dirs, err := filepath.Glob("*/main.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if _, ok := expected[filepath.Dir(d)]; !ok {
			t.Errorf("example %s has no expected output in examples_test.go", filepath.Dir(d))
		}
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin+string(filepath.Separator), "./...")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./examples/...: %v\n%s", err, out)
	}
	for name, want := range expected {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, l := range needs[name] {
				kafkatest.ListenerBrokers(t, l)
			}
			if name == "tls" {
				kafkatest.Env(t, "KAFKA3_TLS_CA")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, filepath.Join(bin, name))
			cmd.Env = os.Environ()
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", name, err, out)
			}
			if !regexp.MustCompile(want).Match(out) {
				t.Errorf("%s printed:\n%s\nwant a match for %q", name, out, want)
			}
		})
	}
}
