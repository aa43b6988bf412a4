package kafkatest

import (
	"strings"
	"testing"
)

func TestTopicNamesAreUniqueAndLegal(t *testing.T) {
	t.Parallel()
	a, b := Topic(t), Topic(t)
	if a == b {
		t.Fatalf("Topic returned %q twice", a)
	}
	if strings.ContainsAny(a, "/ ") || !strings.HasPrefix(a, "k3-TestTopicNamesAreUniqueAndLegal-") {
		t.Fatalf("Topic = %q", a)
	}
}

func TestJavaToolFollowsRelease(t *testing.T) {
	args := []string{"--bootstrap-server", "b", "--formatter-property", "print.partition=true", "--command-property", "x=y"}
	for _, tc := range []struct{ version, class, args string }{
		{"4.4.0", "org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server b --formatter-property print.partition=true --command-property x=y"},
		{"3.9.2", "org.apache.kafka.tools.consumer.ConsoleConsumer", "--bootstrap-server b --property print.partition=true --consumer-property x=y"},
		{"2.8.2", "kafka.tools.ConsoleConsumer", "--bootstrap-server b --property print.partition=true --consumer-property x=y"},
	} {
		t.Setenv("KAFKA3_KAFKA_VERSION", tc.version)
		class, got := JavaTool("org.apache.kafka.tools.consumer.ConsoleConsumer", args...)
		if class != tc.class || strings.Join(got, " ") != tc.args {
			t.Errorf("Kafka %s: %s %v, want %s %s", tc.version, class, got, tc.class, tc.args)
		}
	}
	if strings.Join(args, " ") != "--bootstrap-server b --formatter-property print.partition=true --command-property x=y" {
		t.Errorf("JavaTool changed its argument slice: %v", args)
	}
	t.Setenv("KAFKA3_KAFKA_VERSION", "3.9.2")
	if _, got := JavaTool("org.apache.kafka.tools.ProducerPerformance", "--topic", "t", "--command-property", "a=b"); strings.Join(got, " ") != "--topic t --producer-props a=b" {
		t.Errorf("ProducerPerformance on 3.9.2: %v", got)
	}
	t.Setenv("KAFKA3_KAFKA_VERSION", "0.10.2.2")
	if !BrokerOlderThan(0, 11) || BrokerOlderThan(0, 10) {
		t.Error("BrokerOlderThan is wrong for 0.10.2.2")
	}
}
