package core

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kafka3/kafka3-go/core/kerr"
)

// TestCompatCompressionError checks that a broker's
// UNSUPPORTED_COMPRESSION_TYPE becomes ErrCompressionUnsupported naming the
// codec and still matches the Kafka error, and that other errors pass.
func TestCompatCompressionError(t *testing.T) {
	t.Parallel()
	p := &Producer{codec: &fakeCodec{id: 4, name: "zstd"}}
	err := p.compressionError(fmt.Errorf("wrapped: %w", kerr.UnsupportedCompressionType))
	if !errors.Is(err, ErrCompressionUnsupported) || !errors.Is(err, kerr.UnsupportedCompressionType) || !strings.Contains(err.Error(), "zstd") {
		t.Errorf("compressionError = %v", err)
	}
	if err := p.compressionError(kerr.NotLeaderOrFollower); err != kerr.NotLeaderOrFollower {
		t.Errorf("other error changed: %v", err)
	}
	if _, fatal := idempotenceError(kerr.NotLeaderOrFollower); fatal {
		t.Error("NOT_LEADER_OR_FOLLOWER taken for a broker without idempotence")
	}
	if err, fatal := idempotenceError(fmt.Errorf("x: %w", kerr.UnsupportedVersion)); !fatal || !errors.Is(err, ErrIdempotenceUnsupported) {
		t.Errorf("idempotenceError(UNSUPPORTED_VERSION) = %v, %v", err, fatal)
	}
}
