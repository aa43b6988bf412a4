package cluster

import (
	"errors"
	"strings"
	"testing"

	"github.com/kafka3/kafka3-go/core/protocol"
)

// A string a non-flexible version would cut fails the request before
// anything is sent; a flexible version carries it.
func TestRequestsRefuseStringsTooLongForTheVersion(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("v", 40000)
	req := &protocol.CreateTopicsRequest{Topics: []protocol.CreateTopicsRequestCreatableTopic{
		{Name: "t", NumPartitions: 1, ReplicationFactor: 1,
			Configs: []protocol.CreateTopicsRequestCreatableTopicConfig{{Name: "x", Value: &long}}}}}
	var tooLong *protocol.StringTooLongError
	if _, err := wireRequest(req, 4, nil); !errors.As(err, &tooLong) || !strings.Contains(err.Error(), "CreateTopics v4") {
		t.Fatalf("CreateTopics v4 with a 40000-byte config value: %v, want a StringTooLongError naming the request", err)
	}
	if w, err := wireRequest(req, 5, nil); err != nil || len(w.Body) < len(long) {
		t.Fatalf("CreateTopics v5 (flexible): %v", err)
	}
	produce := &protocol.ProduceRequest{TransactionalId: &long, Acks: -1}
	if err := checkStrings(produce, 8); !errors.As(err, &tooLong) {
		t.Fatalf("Produce v8 with a 40000-byte transactional id: %v, want a StringTooLongError", err)
	}
	if err := checkStrings(produce, 9); err != nil {
		t.Fatalf("Produce v9 (flexible): %v", err)
	}
}
