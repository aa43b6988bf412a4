package core_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/kafka3/kafka3-go/codecs"
	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// checkExactlyOnceInOrder checks that got holds each (goroutine, index)
// value once, and each goroutine's values in increasing order per partition.
func checkExactlyOnceInOrder(t *testing.T, got map[int32][]core.Record, goroutines, perG int) {
	t.Helper()
	seen := make(map[string]bool, goroutines*perG)
	for part, recs := range got {
		last := map[int]int{}
		for _, r := range recs {
			var g, i int
			if _, err := fmt.Sscanf(string(r.Value), "g%02d-%07d", &g, &i); err != nil {
				t.Fatalf("partition %d offset %d: value %q: %v", part, r.Offset, r.Value, err)
			}
			if seen[string(r.Value)] {
				t.Fatalf("partition %d offset %d: duplicate %q", part, r.Offset, r.Value)
			}
			seen[string(r.Value)] = true
			if prev, ok := last[g]; ok && i <= prev {
				t.Fatalf("partition %d offset %d: goroutine %d's record %d after %d", part, r.Offset, g, i, prev)
			}
			last[g] = i
		}
	}
	if len(seen) != goroutines*perG {
		t.Fatalf("read %d distinct records, want %d", len(seen), goroutines*perG)
	}
}

func TestProducer100kFrom8Goroutines(t *testing.T) { // not parallel: it counts goroutines
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	const goroutines, perG = 8, 12500
	topic := kafkatest.CreateTopic(t, 8, nil)
	leaks := checkNoLeaks(t) // after CreateTopic, whose client lives until the test's end
	p, err := core.NewProducer(core.ProducerConfig{Config: core.Config{BootstrapServers: kafkatest.Brokers(t)}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxTimeout(t, 2*time.Minute)
	var wg sync.WaitGroup
	var acked, failed atomic.Int64
	var firstErr atomic.Value
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := core.Record{Topic: topic}
			for i := range perG {
				rec.Value = value(g, i) // the record is reused at once
				p.SendFunc(ctx, &rec, func(md core.RecordMetadata, err error) {
					if err != nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err)
						return
					}
					if md.Offset < 0 || md.Topic != topic {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, fmt.Errorf("bad metadata %+v", md))
						return
					}
					acked.Add(1)
				})
			}
		}()
	}
	wg.Wait()
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if failed.Load() > 0 {
		t.Fatalf("%d records failed, first: %v", failed.Load(), firstErr.Load())
	}
	if acked.Load() != goroutines*perG {
		t.Fatalf("%d acknowledged after Flush, want %d", acked.Load(), goroutines*perG)
	}
	m := p.Metrics()
	if m["record-send-total"] != goroutines*perG || m["records-per-request-avg"] <= 1 || m["batch-size-avg"] <= 0 {
		t.Errorf("metrics: %v", m)
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Send(ctx, &core.Record{Topic: topic}).Err(); !errors.Is(err, core.ErrProducerClosed) {
		t.Fatalf("Send after Close: %v, want ErrProducerClosed", err)
	}
	leaks()
	checkExactlyOnceInOrder(t, readBack(t, topic, 8, goroutines*perG), goroutines, perG)
}

func TestProducerFutureMetadataMatchesLog(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 3, nil)
	p := newTestProducer(t, core.ProducerConfig{})
	ctx := ctxTimeout(t, time.Minute)
	ts := time.UnixMilli(1700000000123)
	var futs []*core.Future
	for i := range 30 {
		r := &core.Record{Topic: topic, Key: fmt.Appendf(nil, "k%d", i), Value: fmt.Appendf(nil, "v%d", i), Timestamp: ts,
			Headers: []core.Header{{Key: "h", Value: []byte("x")}, {Key: "null"}}}
		futs = append(futs, p.Send(ctx, r))
	}
	futs = append(futs, p.Send(ctx, &core.Record{Topic: topic, Key: []byte("tomb")})) // null value
	got := readBack(t, topic, 3, len(futs))
	for i, f := range futs {
		md, err := f.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r := got[md.Partition][md.Offset]
		if r.Offset != md.Offset {
			t.Fatalf("record %d: offset %d not found", i, md.Offset)
		}
		if i == 30 {
			if r.Value != nil || string(r.Key) != "tomb" || md.SerializedValueSize != -1 {
				t.Fatalf("tombstone read back as %+v, metadata %+v", r, md)
			}
			continue
		}
		if want := fmt.Sprintf("v%d", i); string(r.Value) != want || !r.Timestamp.Equal(ts) || !md.Timestamp.Equal(ts) {
			t.Fatalf("record %d: read %q at %v, metadata %+v", i, r.Value, r.Timestamp, md)
		}
		if md.Partition != core.KeyPartition(r.Key, 3) {
			t.Fatalf("record %d with key %q in partition %d, want %d", i, r.Key, md.Partition, core.KeyPartition(r.Key, 3))
		}
		if len(r.Headers) != 2 || r.Headers[1].Value != nil || !bytes.Equal(r.Headers[0].Value, []byte("x")) {
			t.Fatalf("record %d headers %+v", i, r.Headers)
		}
	}
	parts, err := p.PartitionsFor(ctx, topic)
	if err != nil || len(parts) != 3 || parts[2].Partition != 2 || parts[0].Leader < 0 {
		t.Fatalf("PartitionsFor: %+v, %v", parts, err)
	}
}

func TestProducerCodecs(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	t.Parallel()
	for _, codec := range []string{"none", "gzip", "snappy", "lz4", "zstd"} {
		t.Run(codec, func(t *testing.T) {
			t.Parallel()
			if codec == "zstd" && kafkatest.BrokerOlderThan(2, 1) {
				t.Skip("zstd needs Kafka 2.1+ (TestCompatProduceConsume checks the error)")
			}
			topic := kafkatest.CreateTopic(t, 2, nil)
			p := newTestProducer(t, core.ProducerConfig{Compression: codec, Linger: 20 * time.Millisecond})
			ctx := ctxTimeout(t, time.Minute)
			rec := core.Record{Topic: topic}
			for i := range 2000 {
				rec.Value = bytes.Repeat(value(0, i), 5)
				p.SendFunc(ctx, &rec, nil)
			}
			if err := p.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			if codec != "none" && p.Metrics()["compression-rate-avg"] >= 0.9 {
				t.Errorf("compression-rate-avg %v with %s", p.Metrics()["compression-rate-avg"], codec)
			}
			got := readBack(t, topic, 2, 2000)
			n := 0
			for _, recs := range got {
				for _, r := range recs {
					if !strings.HasPrefix(string(r.Value), "g00-") || len(r.Value) != 55 {
						t.Fatalf("bad value %q", r.Value)
					}
					n++
				}
			}
		})
	}
}

// With compression BatchSize counts compressed bytes (Java's batch.size):
// once the ratio estimate has settled, batches hold about BatchSize
// compressed bytes, not BatchSize of records compressed to a fraction.
func TestProducerBatchSizeCountsCompressedBytes(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	t.Parallel()
	const n, batchSize = 100000, 4096
	topic := kafkatest.CreateTopic(t, 1, nil)
	// A long linger: batches go when full, so their sizes show the limit.
	p := newTestProducer(t, core.ProducerConfig{Compression: "lz4", BatchSize: batchSize, Linger: 10 * time.Second})
	ctx := ctxTimeout(t, time.Minute)
	rec := core.Record{Topic: topic}
	for i := range n {
		rec.Value = bytes.Repeat(value(0, i), 8) // compresses to about a sixth
		p.SendFunc(ctx, &rec, func(_ core.RecordMetadata, err error) {
			if err != nil {
				t.Error(err)
			}
		})
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	m := p.Metrics()
	// BatchSize uncompressed would make ~1.4 KiB batches; the first ones
	// are that small while the estimate falls from 1.
	if m["batch-size-avg"] < 0.6*batchSize || m["batch-size-max"] > 1.2*batchSize || m["compression-rate-avg"] > 0.5 {
		t.Errorf("batch-size-avg %.0f, batch-size-max %.0f, compression-rate-avg %.2f; want avg above %d, max at most %d, rate below 0.5",
			m["batch-size-avg"], m["batch-size-max"], m["compression-rate-avg"], 6*batchSize/10, 12*batchSize/10)
	}
	got := readBack(t, topic, 1, n)
	for i, r := range got[0] {
		if !bytes.Equal(r.Value, bytes.Repeat(value(0, i), 8)) {
			t.Fatalf("offset %d: %q", i, r.Value)
		}
	}
}

func TestProducerAcks(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	t.Parallel()
	for _, acks := range []core.Acks{core.AcksNone, core.AcksLeader, core.AcksAll} {
		t.Run(fmt.Sprint(acks), func(t *testing.T) {
			t.Parallel()
			topic := kafkatest.CreateTopic(t, 2, nil)
			p := newTestProducer(t, core.ProducerConfig{Acks: acks, DisableIdempotence: acks != core.AcksAll})
			ctx := ctxTimeout(t, time.Minute)
			var last *core.Future
			for i := range 500 {
				last = p.Send(ctx, &core.Record{Topic: topic, Value: value(0, i)})
			}
			md, err := last.Get(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if (acks == core.AcksNone) != (md.Offset == -1) {
				t.Fatalf("acks %v: offset %d", acks, md.Offset)
			}
			readBack(t, topic, 2, 500)
		})
	}
}

func TestProducerLogAppendTime(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, map[string]string{"message.timestamp.type": "LogAppendTime"})
	p := newTestProducer(t, core.ProducerConfig{})
	ctx := ctxTimeout(t, time.Minute)
	before := time.Now().Add(-time.Second)
	md, err := p.SendSync(ctx, &core.Record{Topic: topic, Value: []byte("x"), Timestamp: time.UnixMilli(1e12)})
	if err != nil {
		t.Fatal(err)
	}
	if md.Timestamp.Before(before) || md.Timestamp.After(time.Now().Add(time.Second)) {
		t.Fatalf("timestamp %v, want the broker's append time", md.Timestamp)
	}
}

func TestProducerRecordTooLarge(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, map[string]string{"max.message.bytes": "2000"})
	p := newTestProducer(t, core.ProducerConfig{MaxRequestSize: 100 << 10})
	ctx := ctxTimeout(t, time.Minute)
	_, err := p.SendSync(ctx, &core.Record{Topic: topic, Value: make([]byte, 200<<10)})
	if !errors.Is(err, core.ErrRecordTooLarge) || !strings.Contains(err.Error(), "102400") {
		t.Fatalf("200 KiB record: %v, want ErrRecordTooLarge naming MaxRequestSize", err)
	}
	_, err = p.SendSync(ctx, &core.Record{Topic: topic, Value: make([]byte, 5000)})
	if !errors.Is(err, core.ErrRecordTooLarge) || !strings.Contains(err.Error(), "MESSAGE_TOO_LARGE") {
		t.Fatalf("record over max.message.bytes: %v, want ErrRecordTooLarge from the broker", err)
	}
	if _, err := p.SendSync(ctx, &core.Record{Topic: topic, Value: []byte("small")}); err != nil {
		t.Fatalf("a small record after the failure: %v", err)
	}
}

// Batches over the topic's max.message.bytes are split until they fit
// (Java's behaviour): every record arrives once and in order, with and
// without idempotence and compression; Futures and Flush wait for every
// half.
func TestProducerSplitsBatchesTheBrokerFindsTooLarge(t *testing.T) {
	t.Parallel()
	notIdempotent := core.ProducerConfig{DisableIdempotence: true, Config: core.Config{MaxInFlightRequestsPerConnection: 1}}
	lz4 := notIdempotent
	lz4.Compression = "lz4"
	for _, tc := range []struct {
		name string
		cfg  core.ProducerConfig
	}{
		{"idempotent", core.ProducerConfig{}},
		{"zstd", core.ProducerConfig{Compression: "zstd"}},
		{"not-idempotent", notIdempotent},
		// Before 0.11 the broker takes legacy message sets and checks each
		// message of an uncompressed one on its own: only a compressed set
		// (one wrapper message) is ever too large.
		{"not-idempotent-lz4", lz4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.cfg.Compression == "" {
				kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
			}
			if tc.cfg.Compression == "zstd" && kafkatest.BrokerOlderThan(2, 1) {
				t.Skip("zstd needs Kafka 2.1+")
			}
			const n = 3000
			topic := kafkatest.CreateTopic(t, 1, map[string]string{"max.message.bytes": "3000"})
			cfg := tc.cfg
			cfg.BatchSize, cfg.Linger = 64<<10, 50*time.Millisecond
			p := newTestProducer(t, cfg)
			ctx := ctxTimeout(t, time.Minute)
			futs := make([]*core.Future, n)
			for i := range futs {
				v := fmt.Appendf(nil, "%07d-%x", i, rand.Uint64()) // 24 bytes that barely compress
				futs[i] = p.Send(ctx, &core.Record{Topic: topic, Value: bytes.Repeat(v, 4)})
			}
			if err := p.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			for i, f := range futs {
				select {
				case <-f.Done():
				default:
					t.Fatalf("record %d: Future not done after Flush", i)
				}
				if md, err := f.Get(ctx); err != nil || md.Offset != int64(i) {
					t.Fatalf("record %d: offset %d, %v; want offset %d", i, md.Offset, err, i)
				}
			}
			if m := p.Metrics(); m["batch-size-max"] > 3000 || m["record-retry-total"] < n {
				t.Errorf("batch-size-max %v over max.message.bytes, or record-retry-total %v below %d (each record was in a batch split at least once)",
					m["batch-size-max"], m["record-retry-total"], n)
			}
			got := readBack(t, topic, 1, n)
			for i, r := range got[0] {
				if !bytes.HasPrefix(r.Value, fmt.Appendf(nil, "%07d-", i)) {
					t.Fatalf("offset %d: %q", i, r.Value)
				}
			}
		})
	}
}

func TestProducerUnknownTopicFailsAfterMaxBlock(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	t.Parallel()
	p := newTestProducer(t, core.ProducerConfig{DisableAutoTopicCreation: true, MaxBlock: time.Second})
	start := time.Now()
	_, err := p.SendSync(context.Background(), &core.Record{Topic: kafkatest.Topic(t), Value: []byte("x")})
	if err == nil || !strings.Contains(err.Error(), "MaxBlock") || time.Since(start) > 10*time.Second {
		t.Fatalf("unknown topic: %v after %v", err, time.Since(start))
	}
}

var quiet = slog.New(slog.DiscardHandler)

func TestProducerSurvivesConnectionCuts(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	t.Parallel()
	const goroutines, perG = 4, 10000
	topic := kafkatest.CreateTopic(t, 4, nil)
	px := newProxy(t, kafkatest.Brokers(t)[0])
	p := newTestProducer(t, core.ProducerConfig{Config: core.Config{Transport: px.Transport(), Logger: quiet,
		RetryBackoff: 10 * time.Millisecond, ReconnectBackoff: 10 * time.Millisecond}, Linger: time.Millisecond, BatchSize: 4096})
	ctx := ctxTimeout(t, 2*time.Minute)
	stop := make(chan struct{})
	go func() { // cut every connection, with batches in flight, until the sends end
		for {
			select {
			case <-stop:
				return
			case <-time.After(40 * time.Millisecond):
				px.cut()
			}
		}
	}()
	var wg sync.WaitGroup
	var failed atomic.Int64
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := core.Record{Topic: topic}
			for i := range perG {
				rec.Value = value(g, i)
				p.SendFunc(ctx, &rec, func(_ core.RecordMetadata, err error) {
					if err != nil && failed.Add(1) == 1 {
						t.Errorf("record failed: %v", err)
					}
				})
				if i%500 == 0 {
					time.Sleep(5 * time.Millisecond) // spread the sends over several cuts
				}
			}
		}()
	}
	wg.Wait()
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	close(stop)
	px.mu.Lock()
	cuts := px.cuts
	px.mu.Unlock()
	if cuts < 5 || p.Metrics()["record-retry-total"] == 0 {
		t.Logf("only %d cuts, %v retries: the test proved little", cuts, p.Metrics()["record-retry-total"])
	}
	checkExactlyOnceInOrder(t, readBack(t, topic, 4, goroutines*perG), goroutines, perG)
}

func TestProducerFlushAndCloseRespectContexts(t *testing.T) { // not parallel: it counts goroutines
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	topic := kafkatest.CreateTopic(t, 1, nil)
	px := newProxy(t, kafkatest.Brokers(t)[0])
	leaks := checkNoLeaks(t)
	p, err := core.NewProducer(core.ProducerConfig{Config: core.Config{BootstrapServers: kafkatest.Brokers(t), Transport: px.Transport(), Logger: quiet}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxTimeout(t, time.Minute)
	if _, err := p.SendSync(ctx, &core.Record{Topic: topic, Value: []byte("warm")}); err != nil {
		t.Fatal(err)
	}
	px.freeze(true) // the broker is now a black hole
	var futs []*core.Future
	for i := range 100 {
		futs = append(futs, p.Send(ctx, &core.Record{Topic: topic, Value: value(0, i)}))
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := p.Flush(short); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("Flush on a black hole: %v after %v", err, time.Since(start))
	}
	short2, cancel2 := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel2()
	start = time.Now()
	if err := p.Close(short2); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 3*time.Second {
		t.Fatalf("Close on a black hole: %v after %v", err, time.Since(start))
	}
	for _, f := range futs {
		if _, err := f.Get(ctx); !errors.Is(err, core.ErrProducerClosed) {
			t.Fatalf("record left when Close gave up: %v, want ErrProducerClosed", err)
		}
	}
	px.freeze(false)
	px.cut()
	leaks()
}

// TestProducerKeyedPartitionsMatchJava sends the same keys with this
// producer and with Java's console producer and checks that both put each
// key in the same partition, the one KeyPartition computes.
func TestProducerKeyedPartitionsMatchJava(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	t.Parallel()
	const parts, keys = 7, 300
	topic := kafkatest.CreateTopic(t, parts, nil)
	p := newTestProducer(t, core.ProducerConfig{})
	ctx := ctxTimeout(t, 2*time.Minute)
	var lines strings.Builder
	for i := range keys {
		k := fmt.Sprintf("key-%d-%x", i, i*7919)
		p.SendFunc(ctx, &core.Record{Topic: topic, Key: []byte(k), Value: []byte("go")}, nil)
		fmt.Fprintf(&lines, "%s:java\n", k)
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	javaStdin(t, lines.String(), "org.apache.kafka.tools.ConsoleProducer", "--bootstrap-server", kafkatest.Brokers(t)[0],
		"--topic", topic, "--property", "parse.key=true", "--property", "key.separator=:")
	got := readBack(t, topic, parts, 2*keys)
	where := map[string]map[string]int32{}
	for part, recs := range got {
		for _, r := range recs {
			if where[string(r.Key)] == nil {
				where[string(r.Key)] = map[string]int32{}
			}
			where[string(r.Key)][string(r.Value)] = part
		}
	}
	for k, w := range where {
		if w["go"] != w["java"] || w["go"] != core.KeyPartition([]byte(k), parts) {
			t.Fatalf("key %q: this producer chose %d, Java %d, KeyPartition %d", k, w["go"], w["java"], core.KeyPartition([]byte(k), parts))
		}
	}
}

// javaStdin runs a Kafka Java tool with stdin, like kafkatest.Java.
func javaStdin(t *testing.T, stdin, class string, args ...string) {
	t.Helper()
	lib := kafkatest.Env(t, "KAFKA3_KAFKA_TOOLS")
	class, args = kafkatest.JavaTool(class, args...)
	cmd := exec.Command("java", append([]string{"-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", filepath.Join(lib, "*"), class}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("java %s: %v\n%s", class, err, out)
	}
}

// The producer sends each request at a Produce version that carries its
// batches as they were encoded; a broker that answers ApiVersions with
// less (replaced by an older one meanwhile) fails the request before
// anything is written, and the batches are encoded again on the retry.
func TestProducerSendsAtVersionsThatCarryItsBatches(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		codec           string
		version, lo, hi int16
	}{
		{"none", 9, 3, 13}, {"zstd", 9, 7, 13}, {"lz4", 2, 2, 2}, {"lz4", 1, 0, 1}, {"none", 0, 0, 1},
	} {
		p, err := core.NewProducer(core.ProducerConfig{Config: core.Config{BootstrapServers: []string{"x:1"}}, Compression: tc.codec, DisableIdempotence: true})
		if err != nil {
			t.Fatal(err)
		}
		if lo, hi := core.VersionsFor(p, tc.version, 13); lo != tc.lo || hi != tc.hi {
			t.Errorf("%s batches encoded for Produce v%d: sent at v%d..v%d, want v%d..v%d", tc.codec, tc.version, lo, hi, tc.lo, tc.hi)
		}
		p.Close(context.Background())
	}

	p := newTestProducer(t, core.ProducerConfig{})
	ctx := ctxTimeout(t, 30*time.Second)
	parts, err := p.PartitionsFor(ctx, kafkatest.CreateTopic(t, 1, nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := core.SendEmptyProduce(ctx, p, parts[0].Leader, 0, 99); err != nil {
		t.Fatalf("an empty Produce at any version: %v", err)
	}
	if err := core.SendEmptyProduce(ctx, p, parts[0].Leader, 99, 99); err == nil || !strings.Contains(err.Error(), "below the v99 the batches were encoded for") {
		t.Fatalf("an empty Produce at v99 only: %v, want an error naming the versions", err)
	}
}
