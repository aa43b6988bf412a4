// The test of a real broker is an external test package: kafkatest imports
// core, which imports this package.
package brokerversion_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core/internal/brokerversion"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// TestGuessRealBroker asks the broker scripts/kafka started for its API
// versions (ApiVersions v0, which every broker from 0.10.0 on answers) and
// checks that Guess names the release KAFKA3_KAFKA_VERSION says it runs.
// A broker newer than every known release must be reported as the newest.
func TestGuessRealBroker(t *testing.T) {
	t.Parallel()
	brokers := kafkatest.Brokers(t)
	running := kafkatest.Env(t, "KAFKA3_KAFKA_VERSION")
	wantV, err := releaseOf(running)
	if err != nil {
		t.Fatalf("KAFKA3_KAFKA_VERSION: %v", err)
	}
	if wantV.Compare(brokerversion.Newest()) > 0 {
		wantV = brokerversion.Newest()
	}
	maxVersions, err := apiVersions(brokers[0])
	if err != nil {
		t.Fatalf("ApiVersions from %s: %v", brokers[0], err)
	}
	if got := brokerversion.Guess(maxVersions); got != wantV {
		t.Errorf("Guess = %s for a Kafka %s broker, want %s; it advertised %v", got, running, wantV, maxVersions)
	}
}

// releaseOf maps a Kafka version such as "3.9.2" or "0.10.2.1" to the
// release line Guess reports.
func releaseOf(s string) (brokerversion.Version, error) {
	parts := strings.Split(s, ".")
	n := make([]int, 3)
	for i := 0; i < len(parts) && i < 3; i++ {
		x, err := strconv.Atoi(parts[i])
		if err != nil {
			return brokerversion.Version{}, fmt.Errorf("%q is not a Kafka version", s)
		}
		n[i] = x
	}
	if len(parts) < 2 {
		return brokerversion.Version{}, fmt.Errorf("%q is not a Kafka version", s)
	}
	if n[0] > 0 {
		n[2] = 0 // patch releases do not change APIs
	}
	return brokerversion.Version{n[0], n[1], n[2]}, nil
}

// apiVersions sends ApiVersions v0 and returns each advertised API's
// maximum version. It is hand-rolled so that this test does not depend on
// the client that will use Guess.
func apiVersions(addr string) (map[int16]int16, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return nil, err
	}
	const correlation = 42
	clientID := "brokerversion-test"
	req := binary.BigEndian.AppendUint32(nil, 0)                    // size, set below
	req = binary.BigEndian.AppendUint16(req, 18)                    // ApiVersions
	req = binary.BigEndian.AppendUint16(req, 0)                     // v0
	req = binary.BigEndian.AppendUint32(req, correlation)           // correlation id
	req = binary.BigEndian.AppendUint16(req, uint16(len(clientID))) // client id
	req = append(req, clientID...)
	binary.BigEndian.PutUint32(req, uint32(len(req)-4))
	if _, err := conn.Write(req); err != nil {
		return nil, err
	}
	var size [4]byte
	if _, err := io.ReadFull(conn, size[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(size[:])
	if n < 10 || n > 1<<20 {
		return nil, fmt.Errorf("implausible response size %d", n)
	}
	resp := make([]byte, n)
	if _, err := io.ReadFull(conn, resp); err != nil {
		return nil, err
	}
	if got := binary.BigEndian.Uint32(resp); got != correlation {
		return nil, fmt.Errorf("correlation id %d, want %d", got, correlation)
	}
	if code := int16(binary.BigEndian.Uint16(resp[4:])); code != 0 {
		return nil, fmt.Errorf("error code %d", code)
	}
	count := int(int32(binary.BigEndian.Uint32(resp[6:])))
	body := resp[10:]
	if count < 0 || len(body) < 6*count {
		return nil, errors.New("truncated ApiVersions response")
	}
	out := make(map[int16]int16, count)
	for i := range count {
		e := body[6*i:]
		out[int16(binary.BigEndian.Uint16(e))] = int16(binary.BigEndian.Uint16(e[4:]))
	}
	return out, nil
}

func TestReleaseOf(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]brokerversion.Version{
		"4.4.0": {4, 4, 0}, "3.9.2": {3, 9, 0}, "0.10.2.1": {0, 10, 2}, "0.11.0.3": {0, 11, 0}, "2.8": {2, 8, 0},
	} {
		if got, err := releaseOf(in); err != nil || got != want {
			t.Errorf("releaseOf(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "4", "x.y"} {
		if _, err := releaseOf(in); err == nil {
			t.Errorf("releaseOf(%q) succeeded", in)
		}
	}
}
