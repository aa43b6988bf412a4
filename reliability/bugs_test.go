package reliability

import (
	"context"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// Regression tests for bugs the reliability suite found in core.

// TestClientRequestTimeoutWithLongerContext: Config.RequestTimeout bounds
// each request even when the caller's context allows longer (Client.Request
// used to apply it only to contexts without a deadline, so a request to a
// black-holed broker waited the caller's whole 12s instead of 2s).
func TestClientRequestTimeoutWithLongerContext(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	n := newNetwork(t)
	c, err := core.NewClient(netConfig(brokers, n)) // RequestTimeout 2s
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	topic := "any"
	if _, err := c.Request(deadline(t, 10*time.Second), metadataRequest(topic)); err != nil {
		t.Fatal(err)
	}
	n.SetBlackhole(true)
	defer n.Clear()
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Second)
	defer cancel()
	start := time.Now()
	_, err = c.Request(ctx, metadataRequest(topic))
	if d := time.Since(start); d > requestTimeout+time.Second {
		t.Errorf("Request to a black hole with RequestTimeout %v and a 12s context returned after %v: %v", requestTimeout, d.Round(time.Millisecond), err)
	}
}
