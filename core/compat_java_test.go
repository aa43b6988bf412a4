package core_test

import (
	"os"
	"strconv"
	"strings"
)

// javaTool maps a Java tool's Kafka 4.x class name and arguments to those
// of the test broker's release (KAFKA3_KAFKA_VERSION; unset means 4.x), so
// that the tests that drive Java's console tools also run under
// scripts/compat: before 4.0 ConsoleProducer is kafka.tools.ConsoleProducer
// and takes --producer-property and --property (4.x: --command-property,
// --reader-property); before 3.x
// ConsoleConsumer is kafka.tools.ConsoleConsumer.
func javaTool(class string, args ...string) (string, []string) {
	major := 4
	if v := os.Getenv("KAFKA3_KAFKA_VERSION"); v != "" {
		m, _, _ := strings.Cut(v, ".")
		if n, err := strconv.Atoi(m); err == nil {
			major = n
		}
	}
	switch {
	case class == "org.apache.kafka.tools.ConsoleProducer" && major < 4:
		class = "kafka.tools.ConsoleProducer"
		args = append([]string(nil), args...)
		for i, a := range args {
			switch a {
			case "--command-property":
				args[i] = "--producer-property"
			case "--reader-property":
				args[i] = "--property"
			}
		}
	case class == "org.apache.kafka.tools.consumer.ConsoleConsumer" && major < 3:
		class = "kafka.tools.ConsoleConsumer"
	}
	return class, args
}
