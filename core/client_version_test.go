package core_test

import (
	"strings"
	"testing"

	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// TestCheckVersion asks the real broker for its release and compares it with
// the version scripts/kafka started (KAFKA3_KAFKA_VERSION, e.g. 4.4.0 -> 4.4).
func TestCheckVersion(t *testing.T) {
	t.Parallel()
	want := kafkatest.Env(t, "KAFKA3_KAFKA_VERSION")
	c := kafkatest.Client(t)
	got, err := c.CheckVersion(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(want, got.String()+".") {
		t.Fatalf("CheckVersion = %s, but the broker is Kafka %s", got, want)
	}
	versions, err := c.APIVersions(ctxT(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := versions[18]; !ok { // ApiVersions itself
		t.Fatalf("the broker does not list ApiVersions among its APIs: %v", versions)
	}
}
