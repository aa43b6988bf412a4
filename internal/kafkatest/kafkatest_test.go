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
