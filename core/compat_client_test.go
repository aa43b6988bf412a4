package core_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	_ "github.com/kafka3/kafka3-go/codecs"
	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// The Producer and Consumer against every broker scripts/compat runs
// (0.10.2, 1.1, 2.8, 3.9, 4.x): on brokers older than 0.11 the producer
// writes legacy message sets (magic 1 for 0.10, magic 0 for older) and the
// consumer reads them; what an old broker cannot do fails with a clear
// error. On 3.x and 4.x these tests are quick checks of the same round trip.

// brokerVersion returns the test broker's release as CheckVersion infers it.
func brokerVersion(t *testing.T) core.BrokerVersion {
	t.Helper()
	kafkatest.Env(t, "KAFKA3_BROKERS")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, err := kafkatest.Client(t).CheckVersion(ctx)
	if err != nil {
		t.Fatalf("CheckVersion: %v", err)
	}
	return v
}

// atLeast reports whether v is release major.minor or newer.
func atLeast(v core.BrokerVersion, major, minor int) bool {
	return v.Compare(core.BrokerVersion{Major: major, Minor: minor}) >= 0
}

// before011 is a broker without RecordBatch v2, headers, idempotence and
// transactions.
func before011(v core.BrokerVersion) bool { return !atLeast(v, 0, 11) }

// compatProducer is a producer for the test broker, idempotent unless the
// broker is older than 0.11.
func compatProducer(t *testing.T, v core.BrokerVersion, mod func(*core.ProducerConfig)) *core.Producer {
	cfg := core.ProducerConfig{Linger: 5 * time.Millisecond, DisableIdempotence: before011(v)}
	cfg.DeliveryTimeout = 30 * time.Second
	if mod != nil {
		mod(&cfg)
	}
	return newTestProducer(t, cfg)
}

// TestCompatProduceConsume produces keyed, timestamped records with each
// codec and reads them back with an assigned Consumer: keys, values,
// offsets and timestamps (message format 1 and later carry them). zstd on
// a broker older than 2.1 must fail with ErrCompressionUnsupported.
func TestCompatProduceConsume(t *testing.T) {
	v := brokerVersion(t)
	for _, codec := range []string{"none", "gzip", "snappy", "lz4", "zstd"} {
		t.Run(codec, func(t *testing.T) {
			topic := kafkatest.CreateTopic(t, 1, nil)
			p := compatProducer(t, v, func(c *core.ProducerConfig) { c.Compression = codec })
			ctx := ctxTimeout(t, 60*time.Second)
			if codec == "zstd" && !atLeast(v, 2, 1) {
				_, err := p.SendSync(ctx, &core.Record{Topic: topic, Value: []byte("z")})
				if !errors.Is(err, core.ErrCompressionUnsupported) || !strings.Contains(err.Error(), "zstd") {
					t.Fatalf("zstd on Kafka %s: err = %v, want ErrCompressionUnsupported naming zstd", v, err)
				}
				t.Logf("zstd on Kafka %s: %v", v, err)
				return
			}
			const n = 200
			base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
			sendAtOffsets(ctx, t, p, topic, n, base, func(i int) string { return strings.Repeat(fmt.Sprintf("value %d ", i), 5) })
			recs := consumeAssigned(t, topic, n, nil)
			for i, r := range recs {
				wantVal := strings.Repeat(fmt.Sprintf("value %d ", i), 5)
				if r.Offset != int64(i) || string(r.Key) != fmt.Sprintf("k%d", i) || string(r.Value) != wantVal {
					t.Fatalf("record %d: offset %d key %q value %q", i, r.Offset, r.Key, r.Value)
				}
				if want := base.Add(time.Duration(i) * time.Millisecond); !r.Timestamp.Equal(want) || r.TimestampType != core.CreateTime {
					t.Fatalf("record %d: timestamp %v (%v), want %v CreateTime", i, r.Timestamp, r.TimestampType, want)
				}
			}
		})
	}
}

// sendAtOffsets sends n records to topic, which has one partition, record i
// with key "k<i>", value value(i) and timestamp base + i ms, and fails the
// test unless record i is acknowledged at offset i.
func sendAtOffsets(ctx context.Context, t *testing.T, p *core.Producer, topic string, n int, base time.Time, value func(i int) string) {
	t.Helper()
	futs := make([]*core.Future, n)
	for i := range n {
		futs[i] = p.Send(ctx, &core.Record{Topic: topic, Key: fmt.Appendf(nil, "k%d", i),
			Value: []byte(value(i)), Timestamp: base.Add(time.Duration(i) * time.Millisecond)})
	}
	for i, f := range futs {
		md, err := f.Get(ctx)
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if md.Offset != int64(i) {
			t.Fatalf("record %d acknowledged at offset %d", i, md.Offset)
		}
	}
}

// consumeAssigned reads n records of topic's partition 0 with an assigned
// Consumer from the beginning.
func consumeAssigned(t *testing.T, topic string, n int, mod func(*core.ConsumerConfig)) []core.Record {
	t.Helper()
	c := newTestConsumer(t, mod)
	if err := c.Assign(core.TopicPartition{Topic: topic, Partition: 0}); err != nil {
		t.Fatal(err)
	}
	return pollN(t, c, n)
}

// pollN polls c until it has n records (copied), failing after a minute.
func pollN(t *testing.T, c *core.Consumer, n int) []core.Record {
	t.Helper()
	ctx := ctxTimeout(t, 60*time.Second)
	var out []core.Record
	for len(out) < n {
		fs, err := c.Poll(ctx)
		if err != nil {
			t.Fatalf("Poll after %d of %d records: %v", len(out), n, err)
		}
		for r := range fs.All() {
			out = append(out, r.Clone())
		}
	}
	if len(out) != n {
		t.Fatalf("consumed %d records, want %d", len(out), n)
	}
	return out
}

// TestCompatFeatureErrors checks the errors for what a broker older than
// 0.11 cannot do: idempotence (the default), headers, transactions.
func TestCompatFeatureErrors(t *testing.T) {
	v := brokerVersion(t)
	if !before011(v) {
		t.Skipf("Kafka %s has headers, idempotence and transactions", v)
	}
	topic := kafkatest.CreateTopic(t, 1, nil)

	t.Run("idempotence", func(t *testing.T) {
		p := newTestProducer(t, core.ProducerConfig{})
		ctx := ctxTimeout(t, 30*time.Second)
		start := time.Now()
		_, err := p.SendSync(ctx, &core.Record{Topic: topic, Value: []byte("x")})
		if !errors.Is(err, core.ErrIdempotenceUnsupported) || !strings.Contains(err.Error(), "DisableIdempotence") {
			t.Fatalf("default producer on Kafka %s: err = %v, want ErrIdempotenceUnsupported", v, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("the error took %v", d)
		}
		// Later sends fail at once.
		if _, err := p.SendSync(ctx, &core.Record{Topic: topic, Value: []byte("y")}); !errors.Is(err, core.ErrIdempotenceUnsupported) {
			t.Errorf("second send: %v", err)
		}
		t.Logf("%v", err)
	})

	t.Run("headers", func(t *testing.T) {
		p := compatProducer(t, v, nil)
		ctx := ctxTimeout(t, 30*time.Second)
		_, err := p.SendSync(ctx, &core.Record{Topic: topic, Value: []byte("h"), Headers: []core.Header{{Key: "k", Value: []byte("v")}}})
		if !errors.Is(err, core.ErrHeadersUnsupported) {
			t.Fatalf("headers on Kafka %s: err = %v, want ErrHeadersUnsupported", v, err)
		}
		t.Logf("%v", err)
		// The producer still works for records without headers.
		if _, err := p.SendSync(ctx, &core.Record{Topic: topic, Value: []byte("plain")}); err != nil {
			t.Fatalf("record without headers: %v", err)
		}
	})

	t.Run("transactions", func(t *testing.T) {
		p := newTestProducer(t, core.ProducerConfig{TransactionalID: "compat-" + topic})
		ctx := ctxTimeout(t, 30*time.Second)
		err := p.InitTransactions(ctx)
		if !errors.Is(err, core.ErrTransactionsUnsupported) || !errors.Is(err, core.ErrTransactionFatal) ||
			!errors.Is(err, kerr.UnsupportedVersion) || !strings.Contains(err.Error(), "Kafka 0.11 or newer") {
			t.Fatalf("InitTransactions on Kafka %s: err = %v, want a fatal ErrTransactionsUnsupported saying Kafka 0.11 or newer", v, err)
		}
		t.Logf("%v", err)
	})

	t.Run("read_committed", func(t *testing.T) {
		recs := consumeAssigned(t, topic, 1, func(c *core.ConsumerConfig) { c.IsolationLevel = core.ReadCommitted })
		if string(recs[0].Value) != "plain" {
			t.Fatalf("read_committed on Kafka %s read %q", v, recs[0].Value)
		}
	})
}

// TestCompatGroupConsumer consumes in a group (JoinGroup, SyncGroup,
// OffsetCommit, OffsetFetch at whatever versions the broker has), commits,
// and checks a second member of the group resumes after the commit.
func TestCompatGroupConsumer(t *testing.T) {
	v := brokerVersion(t)
	topic := kafkatest.CreateTopic(t, 2, nil)
	p := compatProducer(t, v, nil)
	ctx := ctxTimeout(t, 2*time.Minute)
	send := func(from, to int) {
		for i := from; i < to; i++ {
			if _, err := p.SendSync(ctx, &core.Record{Topic: topic, Key: fmt.Appendf(nil, "k%d", i), Value: fmt.Appendf(nil, "v%d", i)}); err != nil {
				t.Fatalf("send %d: %v", i, err)
			}
		}
	}
	send(0, 20)
	group := "compat-" + topic
	member := func() *core.Consumer {
		return newTestConsumer(t, func(c *core.ConsumerConfig) {
			c.GroupID, c.DisableAutoCommit = group, true
			c.SessionTimeout, c.HeartbeatInterval = 10*time.Second, time.Second
		})
	}
	c1 := member()
	if err := c1.Subscribe([]string{topic}, core.RebalanceListener{}); err != nil {
		t.Fatal(err)
	}
	got := pollN(t, c1, 20)
	seen := map[string]bool{}
	for _, r := range got {
		seen[string(r.Value)] = true
	}
	if len(seen) != 20 {
		t.Fatalf("group member read %d distinct records, want 20", len(seen))
	}
	if err := c1.Commit(ctx, nil); err != nil {
		t.Fatalf("Commit on Kafka %s: %v", v, err)
	}
	committed, err := c1.Committed(ctx, core.TopicPartition{Topic: topic, Partition: 0}, core.TopicPartition{Topic: topic, Partition: 1})
	if err != nil {
		t.Fatalf("Committed: %v", err)
	}
	total := int64(0)
	for _, om := range committed {
		total += om.Offset
	}
	if total != 20 {
		t.Fatalf("committed offsets %v sum to %d, want 20", committed, total)
	}
	if err := c1.Close(); err != nil {
		t.Logf("Close: %v", err)
	}
	send(20, 25)
	c2 := member()
	if err := c2.Subscribe([]string{topic}, core.RebalanceListener{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range pollN(t, c2, 5) {
		if seen[string(r.Value)] {
			t.Fatalf("second member re-read %q: the commit was not used", r.Value)
		}
	}
}

// TestCompatKIP848Error checks that a consumer of the KIP-848 group
// protocol (GroupProtocolConsumer) on a broker that does not serve it
// (before 4.0, or 3.7-3.9 without it enabled, as scripts/kafka starts
// them: 3.9 lists ConsumerGroupHeartbeat but answers UNSUPPORTED_VERSION)
// fails its Poll with ErrBrokerTooOld naming the protocol and Kafka
// 4.0, within the request timeout rather than waiting for an assignment.
func TestCompatKIP848Error(t *testing.T) {
	v := brokerVersion(t)
	if atLeast(v, 4, 0) {
		t.Skipf("Kafka %s serves the consumer group protocol (TestGroupThreeConsumersConsumerProtocol covers it)", v)
	}
	topic := kafkatest.CreateTopic(t, 1, nil)
	c := newTestConsumer(t, func(c *core.ConsumerConfig) {
		c.GroupID, c.GroupProtocol = "compat-"+topic, core.GroupProtocolConsumer
	})
	if err := c.Subscribe([]string{topic}, core.RebalanceListener{}); err != nil {
		t.Fatal(err)
	}
	ctx := ctxTimeout(t, 60*time.Second)
	start := time.Now()
	for {
		_, err := c.Poll(ctx)
		if err == nil {
			continue
		}
		if !errors.Is(err, core.ErrBrokerTooOld) || !errors.Is(err, kerr.UnsupportedVersion) ||
			!strings.Contains(err.Error(), "KIP-848") || !strings.Contains(err.Error(), "Kafka 4.0") {
			t.Fatalf("Poll of a KIP-848 consumer on Kafka %s: err = %v, want ErrBrokerTooOld naming KIP-848 and Kafka 4.0", v, err)
		}
		t.Logf("after %v: %v", time.Since(start).Round(time.Millisecond), err)
		return
	}
}

// TestCompatMessageFormats reads message formats v0 and v1 as a broker
// stores and serves them: on a topic with message.format.version 0.9.0 or
// 0.10.0 (brokers before 3.0; from 3.0 the setting is ignored and
// everything is v2, KIP-724) the broker converts what the producer sends
// (magic 1 on 0.10, v2 batches later) to magic 0 or 1 messages and hands
// them out as stored: a raw Fetch checks the stored magic, the Consumer
// reads keys, values and offsets, and timestamps where the format has them
// (v0 has none). Each codec: lz4 in magic 0 carries the old frame checksum.
func TestCompatMessageFormats(t *testing.T) {
	v := brokerVersion(t)
	if atLeast(v, 3, 0) {
		t.Skipf("Kafka %s ignores message.format.version (KIP-724): it stores message format v2 only", v)
	}
	for _, format := range []struct {
		version string
		magic   byte
	}{{"0.9.0", 0}, {"0.10.0", 1}} {
		for _, codec := range []string{"none", "gzip", "snappy", "lz4"} {
			t.Run(fmt.Sprintf("v%d/%s", format.magic, codec), func(t *testing.T) {
				topic := kafkatest.CreateTopic(t, 1, map[string]string{"message.format.version": format.version})
				// Idempotent (and transactional) records need message format v2.
				p := compatProducer(t, v, func(c *core.ProducerConfig) { c.Compression, c.DisableIdempotence = codec, true })
				ctx := ctxTimeout(t, 60*time.Second)
				const n = 100
				base := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
				sendAtOffsets(ctx, t, p, topic, n, base, func(i int) string { return strings.Repeat(fmt.Sprintf("fmt %d ", i), 4) })
				if m := storedMagic(ctx, t, topic); m != format.magic {
					t.Fatalf("the broker serves magic %d on a topic with message.format.version %s, want %d", m, format.version, format.magic)
				}
				for i, r := range consumeAssigned(t, topic, n, nil) {
					want := strings.Repeat(fmt.Sprintf("fmt %d ", i), 4)
					if r.Offset != int64(i) || string(r.Key) != fmt.Sprintf("k%d", i) || string(r.Value) != want {
						t.Fatalf("record %d: offset %d key %q value %q", i, r.Offset, r.Key, r.Value)
					}
					wantTS := base.Add(time.Duration(i) * time.Millisecond)
					if format.magic == 0 {
						wantTS = time.Time{} // message format v0 has no timestamp
					}
					if !r.Timestamp.Equal(wantTS) {
						t.Fatalf("record %d has timestamp %v (%v), want %v", i, r.Timestamp, r.TimestampType, wantTS)
					}
				}
			})
		}
	}
}

// storedMagic fetches the first message (set) of topic's partition 0 with
// the low-level client and returns its magic byte, which sits at byte 16
// in every format (offset, size, then a v0/v1 message's CRC or a v2
// batch's partition leader epoch).
func storedMagic(ctx context.Context, t *testing.T, topic string) byte {
	t.Helper()
	fp := fetchAtZero(ctx, t, kafkatest.Client(t), topic)
	if fp.ErrorCode != 0 || len(fp.Records) < 17 {
		t.Fatalf("Fetch: error %v, %d bytes of records", kerr.ForCode(fp.ErrorCode), len(fp.Records))
	}
	return fp.Records[16]
}
