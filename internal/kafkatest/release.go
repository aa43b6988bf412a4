package kafkatest

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// JavaTool maps a Java tool's Kafka 4.x class name and arguments to those
// of the test broker's release (KAFKA3_KAFKA_VERSION; unset means 4.x), so
// that the tests that drive Java's console tools also run under
// scripts/compat: before 4.0 ConsoleProducer is kafka.tools.ConsoleProducer
// and takes --producer-property and --property (4.x: --command-property,
// --reader-property), and --broker-list before 2.x; before 3.x
// ConsoleConsumer is kafka.tools.ConsoleConsumer, and before 4.1 it takes
// --consumer-property and --property (4.1+: --command-property,
// --formatter-property); ProducerPerformance takes --producer-props before
// 4.1 (and is not on the tools' classpath before 3.5, see scripts/kafka
// tools).
func JavaTool(class string, args ...string) (string, []string) {
	major, _ := envBrokerRelease()
	switch {
	case class == "org.apache.kafka.tools.ConsoleProducer" && major < 4:
		class = "kafka.tools.ConsoleProducer"
		renames := map[string]string{"--command-property": "--producer-property", "--reader-property": "--property"}
		if major < 2 {
			renames["--bootstrap-server"] = "--broker-list"
		}
		args = renameFlags(args, renames)
	case class == "org.apache.kafka.tools.ProducerPerformance" && BrokerOlderThan(4, 1):
		args = renameFlags(args, map[string]string{"--command-property": "--producer-props"})
	case class == "org.apache.kafka.tools.consumer.ConsoleConsumer":
		if major < 3 {
			class = "kafka.tools.ConsoleConsumer"
		}
		if BrokerOlderThan(4, 1) { // --command-property and --formatter-property came in 4.1 (KIP-1147)
			args = renameFlags(args, map[string]string{"--command-property": "--consumer-property", "--formatter-property": "--property"})
		}
	}
	return class, args
}

// renameFlags returns a copy of args with each flag named in renames
// replaced by its older name; the caller's slice is left as it was.
func renameFlags(args []string, renames map[string]string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if old, ok := renames[a]; ok {
			a = old
		}
		out[i] = a
	}
	return out
}

// envBrokerRelease returns the major and minor release of the test broker
// (KAFKA3_KAFKA_VERSION, e.g. "2.8.2"), or 99, 0 when it is not set (the
// default broker, the newest).
func envBrokerRelease() (major, minor int) {
	v := os.Getenv("KAFKA3_KAFKA_VERSION")
	parts := strings.Split(v, ".")
	if len(parts) < 2 {
		return 99, 0
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return 99, 0
	}
	return major, minor
}

// BrokerOlderThan reports whether the test broker is older than release
// major.minor (false when KAFKA3_KAFKA_VERSION is not set).
func BrokerOlderThan(major, minor int) bool {
	M, m := envBrokerRelease()
	return M < major || (M == major && m < minor)
}

// Features that brokers before a release lack, for SkipBrokerOlderThan:
// each names the feature and the release that brought it.
const (
	// Idempotence is the idempotent producer, the default (InitProducerId).
	Idempotence = "the idempotent producer, the default (InitProducerId, Kafka 0.11)"
	// Headers is record headers (RecordBatch v2).
	Headers = "record headers (RecordBatch v2, Kafka 0.11)"
	// Transactions is the transactional producer (KIP-98).
	Transactions = "transactions (KIP-98, Kafka 0.11)"
	// RecordBatchV2 is message format 2, which tests write with the
	// low-level client.
	RecordBatchV2 = "message format v2 (RecordBatch, Kafka 0.11), which the test writes with the low-level client"
	// CommitLeaderEpoch is the leader epoch stored with committed offsets.
	CommitLeaderEpoch = "leader epochs in committed offsets (KIP-320, OffsetCommit v6, Kafka 2.1)"
	// StaticMembership is group.instance.id (KIP-345).
	StaticMembership = "static group membership (KIP-345, JoinGroup v5, Kafka 2.3)"
	// CooperativeRebalancing is Java's CooperativeStickyAssignor (KIP-429).
	CooperativeRebalancing = "incremental cooperative rebalancing in the Java consumer (KIP-429, Kafka 2.4)"
	// KIP848 is the consumer group protocol (ConsumerGroupHeartbeat),
	// generally available and enabled by default from Kafka 4.0.
	KIP848 = "the consumer group protocol (KIP-848, on by default from Kafka 4.0)"
)

// SkipBrokerOlderThan skips t when the test broker (KAFKA3_KAFKA_VERSION)
// is older than release major.minor, saying that it lacks what (a feature,
// e.g. Idempotence). Where the client refuses the feature on such a
// broker, a TestCompat test in core asserts that error. Unlike Unavailable it skips under CI
// too: an old broker runs only under scripts/compat, on purpose.
func SkipBrokerOlderThan(t testing.TB, major, minor int, what string) {
	t.Helper()
	if BrokerOlderThan(major, minor) {
		t.Skipf("Kafka %s lacks %s: this test needs Kafka %d.%d or newer",
			os.Getenv("KAFKA3_KAFKA_VERSION"), what, major, minor)
	}
}
