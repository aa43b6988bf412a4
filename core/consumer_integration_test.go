package core_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/core/record"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// newTestConsumer returns a consumer of the PLAINTEXT listener reading from
// the beginning, closed when the test ends.
func newTestConsumer(t *testing.T, mod func(*core.ConsumerConfig)) *core.Consumer {
	t.Helper()
	cfg := core.ConsumerConfig{AutoOffsetReset: core.ResetEarliest}
	cfg.BootstrapServers = kafkatest.Brokers(t)
	cfg.FetchMaxWait = 100 * time.Millisecond
	if mod != nil {
		mod(&cfg)
	}
	c, err := core.NewConsumer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// javaConsoleProduce pipes lines into the Java console producer.
func javaConsoleProduce(t *testing.T, topic, lines string, args ...string) {
	t.Helper()
	lib := kafkatest.Env(t, "KAFKA3_KAFKA_TOOLS")
	log4j := filepath.Join(t.TempDir(), "log4j2.yaml")
	conf := "Configuration:\n  Appenders:\n    Console: { name: E, target: SYSTEM_ERR, PatternLayout: { pattern: \"%p %m%n\" } }\n" +
		"  Loggers:\n    Root: { level: WARN, AppenderRef: [ { ref: E } ] }\n"
	if err := os.WriteFile(log4j, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	class, targs := kafkatest.JavaTool("org.apache.kafka.tools.ConsoleProducer", append([]string{"--bootstrap-server", strings.Join(kafkatest.Brokers(t), ","),
		"--topic", topic, "--command-property", "linger.ms=20"}, args...)...)
	cmd := exec.CommandContext(ctx, "java", append([]string{"-Xmx512m", "-XX:TieredStopAtLevel=1",
		"-Dlog4j2.configurationFile=" + log4j, "-cp", filepath.Join(lib, "*"), class}, targs...)...)
	cmd.Stdin = strings.NewReader(lines)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ConsoleProducer: %v\n%s", err, out)
	}
}

// consumed is a record copied out of the consumer's buffers.
type consumed struct {
	offset     int64
	key, value string
}

// consumeN polls until n records arrived, failing after timeout.
func consumeN(t *testing.T, c *core.Consumer, n int, timeout time.Duration) map[int32][]consumed {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	got := map[int32][]consumed{}
	total := 0
	for total < n {
		f, err := c.Poll(ctx)
		if err != nil {
			t.Fatalf("Poll after %d of %d records: %v", total, n, err)
		}
		for _, p := range f {
			for _, r := range p.Records {
				got[p.Partition] = append(got[p.Partition], consumed{r.Offset, string(r.Key), string(r.Value)})
			}
			total += len(p.Records)
		}
	}
	if total != n {
		t.Fatalf("got %d records, want %d", total, n)
	}
	return got
}

// expectNothing checks that no record arrives within d.
func expectNothing(t *testing.T, c *core.Consumer, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if f, err := c.Poll(ctx); err == nil {
		t.Fatalf("unexpected records: %d, first %+v", f.NumRecords(), f[0].Records[0])
	} else if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Poll: %v", err)
	}
}

func allPartitions(topic string, n int32) []core.TopicPartition {
	out := make([]core.TopicPartition, n)
	for i := range out {
		out[i] = core.TopicPartition{Topic: topic, Partition: int32(i)}
	}
	return out
}

// TestConsumerJavaProduced100k: 100k keyed records from the Java console
// producer over 6 partitions are consumed exactly once each, in order per
// partition.
func TestConsumerJavaProduced100k(t *testing.T) {
	t.Parallel()
	const n = 100_000
	topic := kafkatest.CreateTopic(t, 6, nil)
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "k%d:%d\n", i, i)
	}
	javaConsoleProduce(t, topic, sb.String(), "--reader-property", "parse.key=true", "--reader-property", "key.separator=:")

	c := newTestConsumer(t, nil)
	if err := c.Assign(allPartitions(topic, 6)...); err != nil {
		t.Fatal(err)
	}
	got := consumeN(t, c, n, time.Minute)
	seen := make([]bool, n+1)
	for p, recs := range got {
		last := 0
		for i, r := range recs {
			v, err := strconv.Atoi(r.value)
			if err != nil || r.key != "k"+r.value || v < 1 || v > n {
				t.Fatalf("partition %d offset %d: key %q value %q", p, r.offset, r.key, r.value)
			}
			if seen[v] {
				t.Fatalf("value %d consumed twice", v)
			}
			seen[v] = true
			if v <= last || r.offset != int64(i) {
				t.Fatalf("partition %d: value %d at offset %d after value %d (index %d)", p, v, r.offset, last, i)
			}
			last = v
		}
	}
	if len(got) != 6 {
		t.Fatalf("records in %d partitions, want 6", len(got))
	}
	expectNothing(t, c, 300*time.Millisecond)
	ctx := context.Background()
	ends, err := c.EndOffsets(ctx, allPartitions(topic, 6)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range allPartitions(topic, 6) {
		pos, err := c.Position(ctx, tp)
		if err != nil || pos != ends[tp] || pos != int64(len(got[tp.Partition])) {
			t.Fatalf("%s: position %d (%v), end %d, consumed %d", tp, pos, err, ends[tp], len(got[tp.Partition]))
		}
		if hw, ok := c.Highwater(tp); !ok || hw != pos {
			t.Fatalf("%s: highwater %d %v, want %d", tp, hw, ok, pos)
		}
	}
	m := c.Metrics()
	if m["records-consumed-total"] != n || m["fetch-latency-avg"] <= 0 || m["fetch-size-avg"] <= 0 || m["records-per-request-avg"] <= 0 {
		t.Fatalf("metrics: %v", m)
	}
}

// TestConsumerUnknownCodec: a zstd batch read without the zstd codec stops
// the partition at that batch with an error naming the import; Seek skips it.
func TestConsumerUnknownCodec(t *testing.T) {
	t.Parallel()
	if kafkatest.BrokerOlderThan(2, 1) {
		t.Skip("the test writes zstd, which needs Kafka 2.1+")
	}
	topic := kafkatest.CreateTopic(t, 1, nil)
	javaConsoleProduce(t, topic, "a\nb\n", "--sync")
	javaConsoleProduce(t, topic, "z1\nz2\nz3\n", "--compression-codec", "zstd")
	javaConsoleProduce(t, topic, "c\n", "--sync")

	c := newTestConsumer(t, func(cfg *core.ConsumerConfig) {
		cfg.Codecs = func(id int8) core.Codec { return nil } // nothing imported
	})
	tp := core.TopicPartition{Topic: topic, Partition: 0}
	if err := c.Assign(tp); err != nil {
		t.Fatal(err)
	}
	got := consumeN(t, c, 2, 30*time.Second)
	if got[0][0].value != "a" || got[0][1].value != "b" {
		t.Fatalf("got %+v", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.Poll(ctx)
	var fe *core.FetchError
	if !errors.As(err, &fe) || !errors.Is(err, record.ErrCodecNotRegistered) || fe.Offset != 2 ||
		!strings.Contains(err.Error(), `"github.com/kafka3/kafka3-go/codecs/zstd"`) || !strings.Contains(err.Error(), topic) {
		t.Fatalf("Poll = %v, want a *FetchError at offset 2 naming the zstd import", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("the error took %v", time.Since(start))
	}
	t.Log(err)
	if _, err2 := c.Poll(ctx); !errors.As(err2, &fe) {
		t.Fatalf("second Poll = %v, want the error again", err2)
	}
	if pos, _ := c.Position(ctx, tp); pos != 2 {
		t.Fatalf("position %d, want 2", pos)
	}
	if err := c.Seek(tp, 5); err != nil {
		t.Fatal(err)
	}
	if got := consumeN(t, c, 1, 10*time.Second); got[0][0].value != "c" || got[0][0].offset != 5 {
		t.Fatalf("after Seek: %+v", got)
	}
}

// TestConsumerCloseInterruptsPoll: Close ends a Poll waiting for records.
func TestConsumerCloseInterruptsPoll(t *testing.T) {
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, nil)
	c := newTestConsumer(t, nil)
	if err := c.Assign(core.TopicPartition{Topic: topic}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.Poll(context.Background())
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, core.ErrConsumerClosed) {
			t.Fatalf("Poll = %v, want ErrConsumerClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Poll still blocked 5s after Close")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Close took %v", d)
	}
	for range c.Records(context.Background()) {
		t.Fatal("Records yielded after Close")
	}
}

// TestConsumerResetNone: without a position and with ResetNone, Poll names
// the partitions.
func TestConsumerResetNone(t *testing.T) {
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 2, nil)
	c := newTestConsumer(t, func(cfg *core.ConsumerConfig) { cfg.AutoOffsetReset = core.ResetNone })
	if err := c.Assign(allPartitions(topic, 2)...); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.Poll(ctx)
	var ne *core.NoOffsetError
	if !errors.As(err, &ne) || len(ne.Partitions) != 2 || !strings.Contains(err.Error(), topic+"-1") {
		t.Fatalf("Poll = %v, want a NoOffsetError naming both partitions", err)
	}
	if err := c.SeekToBeginning(); err != nil {
		t.Fatal(err)
	}
	expectNothing(t, c, 300*time.Millisecond)
}

// TestConsumerDenseCompressedBatches reads batches whose records compress
// far below 8 bytes each, so the record count taken from the batch headers
// (a size hint bounded by the compressed length) is lower than what the
// batches hold: a partition's records span several chunks and every record
// still arrives once, in order.
func TestConsumerDenseCompressedBatches(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	t.Parallel()
	const n = 5000
	topic := kafkatest.CreateTopic(t, 1, nil)
	p := newTestProducer(t, core.ProducerConfig{Compression: "gzip", Linger: time.Second, BatchSize: 4096})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for range n {
		p.Send(ctx, &core.Record{Topic: topic, Partition: 0})
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	c := newTestConsumer(t, nil)
	if err := c.Assign(allPartitions(topic, 1)...); err != nil {
		t.Fatal(err)
	}
	for i, r := range consumeN(t, c, n, time.Minute)[0] {
		if r.offset != int64(i) {
			t.Fatalf("record %d has offset %d", i, r.offset)
		}
	}
}

// TestConsumerCloseDropsFetchSessions: Close asks each broker to drop the
// consumer's fetch session. Afterwards an incremental Fetch in that session
// is answered FETCH_SESSION_ID_NOT_FOUND; while the consumer is open the
// same Fetch finds the session (INVALID_FETCH_SESSION_EPOCH, as its epoch
// is not the next one), which shows the check can tell the two apart.
func TestConsumerCloseDropsFetchSessions(t *testing.T) {
	t.Parallel()
	kafkatest.SkipBrokerOlderThan(t, 1, 1, "incremental fetch sessions (KIP-227)")
	topic := kafkatest.CreateTopic(t, 1, nil)
	p := newTestProducer(t, core.ProducerConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := p.Send(ctx, &core.Record{Topic: topic, Value: []byte("v")}).Get(ctx); err != nil {
		t.Fatal(err)
	}
	c := newTestConsumer(t, nil)
	if err := c.Assign(allPartitions(topic, 1)...); err != nil {
		t.Fatal(err)
	}
	consumeN(t, c, 1, time.Minute)
	var broker, session int32
	for deadline := time.Now().Add(30 * time.Second); session == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the consumer holds no fetch session after 30s (the broker should create one on the first full fetch)")
		}
		for id, s := range core.ConsumerTestFetchSessions(c) {
			broker, session = id, s
		}
	}
	fetchInSession := func() int16 {
		req := &protocol.FetchRequest{}
		req.Default()
		req.SessionId, req.SessionEpoch, req.MaxWaitMs = session, 1<<30, 0
		resp, err := kafkatest.Client(t).RequestTo(ctx, broker, req)
		if err != nil {
			t.Fatalf("Fetch in session %d: %v", session, err)
		}
		return resp.(*protocol.FetchResponse).ErrorCode
	}
	if code := fetchInSession(); code != kerr.InvalidFetchSessionEpoch.Code {
		t.Fatalf("while the consumer is open, a Fetch in its session got error code %d, want %d (INVALID_FETCH_SESSION_EPOCH)", code, kerr.InvalidFetchSessionEpoch.Code)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if code := fetchInSession(); code != kerr.FetchSessionIDNotFound.Code {
		t.Fatalf("after Close, a Fetch in the consumer's session got error code %d, want %d (FETCH_SESSION_ID_NOT_FOUND)", code, kerr.FetchSessionIDNotFound.Code)
	}
}
