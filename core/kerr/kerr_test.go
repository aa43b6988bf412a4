package kerr

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Facts from Kafka's Errors enum and the retriability column of the
// protocol guide's error table (which Java derives from RetriableException).
func TestKnownCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code      int16
		sentinel  *Error
		name      string
		retriable bool
	}{
		{-1, UnknownServerError, "UNKNOWN_SERVER_ERROR", false},
		{1, OffsetOutOfRange, "OFFSET_OUT_OF_RANGE", false},
		{2, CorruptMessage, "CORRUPT_MESSAGE", true},
		{3, UnknownTopicOrPartition, "UNKNOWN_TOPIC_OR_PARTITION", true},
		{6, NotLeaderOrFollower, "NOT_LEADER_OR_FOLLOWER", true},
		{7, RequestTimedOut, "REQUEST_TIMED_OUT", true},
		{8, BrokerNotAvailable, "BROKER_NOT_AVAILABLE", false},
		{9, ReplicaNotAvailable, "REPLICA_NOT_AVAILABLE", true},
		{10, MessageTooLarge, "MESSAGE_TOO_LARGE", false},
		{16, NotCoordinator, "NOT_COORDINATOR", true},
		{25, UnknownMemberID, "UNKNOWN_MEMBER_ID", false},
		{27, RebalanceInProgress, "REBALANCE_IN_PROGRESS", false},
		{29, TopicAuthorizationFailed, "TOPIC_AUTHORIZATION_FAILED", false},
		{35, UnsupportedVersion, "UNSUPPORTED_VERSION", false},
		{36, TopicAlreadyExists, "TOPIC_ALREADY_EXISTS", false},
		{41, NotController, "NOT_CONTROLLER", true},
		{47, InvalidProducerEpoch, "INVALID_PRODUCER_EPOCH", false},
		{51, ConcurrentTransactions, "CONCURRENT_TRANSACTIONS", true},
		{56, KafkaStorageError, "KAFKA_STORAGE_ERROR", true},
		{58, SASLAuthenticationFailed, "SASL_AUTHENTICATION_FAILED", false},
		{74, FencedLeaderEpoch, "FENCED_LEADER_EPOCH", true},
		{79, MemberIDRequired, "MEMBER_ID_REQUIRED", false},
		{89, ThrottlingQuotaExceeded, "THROTTLING_QUOTA_EXCEEDED", true},
		{90, ProducerFenced, "PRODUCER_FENCED", false},
		{100, UnknownTopicID, "UNKNOWN_TOPIC_ID", true},
		{110, FencedMemberEpoch, "FENCED_MEMBER_EPOCH", false},
		{120, TransactionAbortable, "TRANSACTION_ABORTABLE", false},
		{128, InvalidRegularExpression, "INVALID_REGULAR_EXPRESSION", false},
		{129, RebootstrapRequired, "REBOOTSTRAP_REQUIRED", false},
		{133, ShareSessionLimitReached, "SHARE_SESSION_LIMIT_REACHED", true},
		{134, GroupDeletionFailed, "GROUP_DELETION_FAILED", false},
		{135, StreamsTopologyDescriptionUpdateFailed, "STREAMS_TOPOLOGY_DESCRIPTION_UPDATE_FAILED", false},
		{136, ControllerIDNotRegistered, "CONTROLLER_ID_NOT_REGISTERED", false},
	}
	for _, tt := range tests {
		err := ForCode(tt.code)
		if err != error(tt.sentinel) {
			t.Errorf("ForCode(%d) = %v, want the sentinel %s", tt.code, err, tt.name)
			continue
		}
		e := err.(*Error)
		if e.Code != tt.code || e.Name != tt.name || e.ErrorType() != tt.name || e.Retriable != tt.retriable {
			t.Errorf("code %d: got %+v, want name %s retriable %v", tt.code, e, tt.name, tt.retriable)
		}
		if IsRetriable(fmt.Errorf("wrapped: %w", err)) != tt.retriable || !e.Known() {
			t.Errorf("code %d: IsRetriable or Known wrong through wrapping", tt.code)
		}
	}
}

func TestTableIsComplete(t *testing.T) {
	t.Parallel()
	es := All()
	if len(es) != 137 { // -1 and 1..136, Kafka 4.4.0
		t.Fatalf("All has %d codes, want 137", len(es))
	}
	names := map[string]bool{}
	for i, e := range es {
		want := int16(i)
		if i == 0 {
			want = -1
		}
		if e.Code != want || e.Message == "" || names[e.Name] || e.BrokerMessage != "" {
			t.Errorf("entry %d: %+v (duplicate name %v)", i, e, names[e.Name])
		}
		names[e.Name] = true
	}
	es[0] = nil // All returns a copy
	if All()[0] != UnknownServerError {
		t.Error("All shares its slice with the package")
	}
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	want := "kafka: UNKNOWN_TOPIC_OR_PARTITION (3): The broker has no such topic or partition: it does not exist, is still being created, or lives on another broker. Check the name or create the topic."
	if got := UnknownTopicOrPartition.Error(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestForCodeNoneAndUnknown(t *testing.T) {
	t.Parallel()
	if err := ForCode(0); err != nil {
		t.Errorf("ForCode(0) = %v, want nil", err)
	}
	for _, code := range []int16{-2, 137, 9999, -32768, 32767} {
		err := ForCode(code)
		var e *Error
		if !errors.As(err, &e) || e.Code != code || e.Name != UnknownName || e.Retriable || e.Known() {
			t.Errorf("ForCode(%d) = %#v", code, err)
			continue
		}
		if !strings.Contains(err.Error(), fmt.Sprint(code)) {
			t.Errorf("ForCode(%d).Error() = %q does not name the code", code, err)
		}
		if !errors.Is(err, ForCode(code)) || errors.Is(err, UnknownServerError) {
			t.Errorf("ForCode(%d): errors.Is by code is wrong", code)
		}
	}
}

func TestWithMessage(t *testing.T) {
	t.Parallel()
	msg := "Topic replication factor must be 3"
	err := WithMessage(44, &msg)
	if !errors.Is(err, PolicyViolation) || errors.Is(err, InvalidConfig) {
		t.Errorf("errors.Is does not match the sentinel: %v", err)
	}
	if err == error(PolicyViolation) || PolicyViolation.BrokerMessage != "" {
		t.Error("WithMessage modified or returned the shared sentinel")
	}
	want := "kafka: POLICY_VIOLATION (44): " + PolicyViolation.Message + " (broker: " + msg + ")"
	if err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
	empty := ""
	for _, m := range []*string{nil, &empty} {
		if got := WithMessage(44, m); got != error(PolicyViolation) {
			t.Errorf("WithMessage(44, %v) = %v, want the sentinel", m, got)
		}
	}
	// Any other message is kept, even one that repeats a description.
	same := PolicyViolation.Message
	if e, ok := WithMessage(44, &same).(*Error); !ok || e == PolicyViolation || e.BrokerMessage != same {
		t.Errorf("WithMessage(44, its own Message) = %#v, want a copy carrying the message", e)
	}
	if WithMessage(0, &msg) != nil {
		t.Error("WithMessage(0, msg) != nil")
	}
	if e := WithMessage(4242, &msg).(*Error); e.Name != UnknownName || e.BrokerMessage != msg {
		t.Errorf("unknown code with message: %+v", e)
	}
}

func TestCodeAndIsRetriable(t *testing.T) {
	t.Parallel()
	if Code(nil) != 0 || Code(errors.New("x")) != -1 || Code(fmt.Errorf("a: %w", NotCoordinator)) != 16 {
		t.Error("Code is wrong")
	}
	if IsRetriable(nil) || IsRetriable(errors.New("x")) || IsRetriable(ProducerFenced) {
		t.Error("IsRetriable is true for a non-retriable error")
	}
}

func TestForCodeDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = ForCode(3) }); n != 0 {
		t.Errorf("ForCode allocates %v times", n)
	}
}
