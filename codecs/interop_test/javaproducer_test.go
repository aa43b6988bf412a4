package interoptest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core/record"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// TestJavaProducerToDecoder produces with the Java tools, one run of each
// per codec, then fetches with a raw Fetch request and decodes every batch
// with record.Decoder and the registered codecs.
func TestJavaProducerToDecoder(t *testing.T) {
	t.Parallel()
	for _, name := range codecNames {
		t.Run(name, func(t *testing.T) {
			if name == "zstd" {
				kafkatest.SkipBrokerOlderThan(t, 2, 1, "zstd (KIP-110, Kafka 2.1)")
			}
			t.Parallel()
			t.Run("ProducerPerformance", func(t *testing.T) {
				kafkatest.SkipBrokerOlderThan(t, 3, 5, "org.apache.kafka.tools.ProducerPerformance on the tools' classpath (scripts/kafka tools uses the broker's own jars before 3.5)")
				t.Parallel()
				testProducerPerformance(t, name)
			})
			t.Run("ConsoleProducer", func(t *testing.T) {
				kafkatest.SkipBrokerOlderThan(t, 3, 2, "header parsing in the Java console producer (parse.headers, KIP-798, Kafka 3.2)")
				t.Parallel()
				testConsoleProducer(t, name)
			})
		})
	}
}

// testProducerPerformance: 2000 records without keys or headers, 200-byte
// random values of upper-case letters, in large batches.
func testProducerPerformance(t *testing.T, codec string) {
	const n, size = 2000, 200
	topic := kafkatest.CreateTopic(t, 1, nil)
	p := newPartition(t, topic)
	start := time.Now().Add(-time.Minute)
	kafkatest.Java(t, 90*time.Second, "org.apache.kafka.tools.ProducerPerformance",
		"--topic", topic, "--num-records", fmt.Sprint(n), "--record-size", fmt.Sprint(size), "--throughput", "-1",
		"--command-property", "bootstrap.servers="+bootstrap(t), "compression.type="+codec,
		"linger.ms=50", "batch.size=65536", "acks=all")

	batches := p.fetchAll(t)
	checkCodec(t, batches, codecFor(t, codec).ID())
	recs := checkOffsets(t, batches)
	if len(recs) != n {
		t.Fatalf("%d records fetched, want %d", len(recs), n)
	}
	for i := range recs {
		r := &recs[i]
		if r.Key != nil || len(r.Headers) != 0 || len(r.Value) != size || strings.Trim(string(r.Value), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			t.Fatalf("record %d: key %s, headers %s, value %s; want a null key, no headers and %d upper-case letters",
				r.Offset, show(r.Key), showHeaders(r.Headers), show(r.Value), size)
		}
		if r.TimestampType != record.CreateTime || r.Timestamp.Before(start) || r.Timestamp.After(time.Now().Add(time.Minute)) {
			t.Fatalf("record %d: timestamp %v (%v), want a CreateTime of this test", r.Offset, r.Timestamp, r.TimestampType)
		}
	}
	t.Logf("%s: %d records in %d batches", codec, len(recs), len(batches))
}

// testConsoleProducer: records with keys and headers, including null and
// empty keys, values and header values, repeated header keys and UTF-8, in
// several batches, a few of them over the codecs' block sizes.
func testConsoleProducer(t *testing.T, codec string) {
	topic := kafkatest.CreateTopic(t, 1, nil)
	p := newPartition(t, topic)
	stdin, want := consoleInput(codec, 600)
	javaWithStdin(t, 90*time.Second, stdin, "org.apache.kafka.tools.ConsoleProducer",
		"--bootstrap-server", bootstrap(t), "--topic", topic,
		"--reader-property", "parse.key=true", "--reader-property", "parse.headers=true",
		"--reader-property", "null.marker="+nullMarker,
		// Not --command-property compression.type=...: the ConsoleProducer
		// overrides it with its own --compression-codec, "none" by default
		// (and linger.ms with --timeout, 1000 by default).
		"--compression-codec", codec, "--timeout", "100")

	batches := p.fetchAll(t)
	checkCodec(t, batches, codecFor(t, codec).ID())
	recs := checkOffsets(t, batches)
	if len(recs) != len(want) {
		t.Errorf("%d records fetched, want %d", len(recs), len(want))
	}
	bad := 0
	for i := range min(len(recs), len(want)) {
		if d := diffRecord(&recs[i], &want[i]); d != "" {
			t.Errorf("record %d: %s", i, d)
			if bad++; bad == 5 {
				t.FailNow()
			}
		}
	}
	if len(batches) < 2 {
		t.Errorf("%d batch, want several (the test should cover batch boundaries)", len(batches))
	}
	largest := 0
	for _, b := range batches {
		n := 0
		for _, r := range b.records {
			n += len(r.Value)
		}
		largest = max(largest, n)
	}
	if largest < 100_000 {
		t.Errorf("largest batch holds %d bytes of values, want over 100 KB", largest)
	}
	t.Logf("%s: %d records in %d batches, the largest with %d bytes of values", codec, len(recs), len(batches), largest)
}

// checkCodec checks that every batch is compressed with codec id.
func checkCodec(t *testing.T, batches []fetchedBatch, id int8) {
	t.Helper()
	if len(batches) == 0 {
		t.Fatal("no batches fetched")
	}
	for _, b := range batches {
		if b.header.Magic != 2 || b.header.CodecID() != id {
			t.Fatalf("batch at offset %d: magic %d, codec %s, want magic 2 and %s",
				b.header.BaseOffset, b.header.Magic, record.CodecName(b.header.CodecID()), record.CodecName(id))
		}
	}
}

// nullMarker is the ConsoleProducer's null.marker: a field equal to it is null.
const nullMarker = "<NULL>"

// consoleInput returns n lines for the ConsoleProducer (parse.headers and
// parse.key, default separators: "h1:v1,h2:v2<TAB>key<TAB>value") and the
// records they stand for. The ConsoleProducer needs at least one header per
// line; values contain neither tabs nor newlines.
func consoleInput(codec string, n int) ([]byte, []record.Record) {
	rng := rand.New(rand.NewPCG(4, uint64(len(codec))))
	words := []string{"kafka", "batch", "record", "offset", "zstd", "lz4", "snappy", "gzip",
		"héllo", "日本語", "Ünïcödé", "🙂", "a,b:c", "x=y", "{\"json\":[1,2,3]}", "  spaced  "}
	text := func(maxWords int) string {
		var sb strings.Builder
		for range rng.IntN(maxWords + 1) {
			sb.WriteString(words[rng.IntN(len(words))])
			sb.WriteByte(' ')
		}
		return sb.String()
	}
	var in strings.Builder
	want := make([]record.Record, n)
	for i := range n {
		r := &want[i]
		hs := []string{fmt.Sprintf("seq:%d", i), "codec:" + codec}
		r.Headers = []record.Header{{Key: "seq", Value: fmt.Appendf(nil, "%d", i)}, {Key: "codec", Value: []byte(codec)}}
		if i%5 == 0 {
			hs = append(hs, "empty:")
			r.Headers = append(r.Headers, record.Header{Key: "empty", Value: []byte{}})
		}
		if i%7 == 0 {
			hs = append(hs, "nullh:"+nullMarker)
			r.Headers = append(r.Headers, record.Header{Key: "nullh"})
		}
		if i%11 == 0 {
			hs = append(hs, "ключ:значение", "seq:dup")
			r.Headers = append(r.Headers, record.Header{Key: "ключ", Value: []byte("значение")},
				record.Header{Key: "seq", Value: []byte("dup")})
		}
		key := fmt.Sprintf("key-%d-%s", i%37, text(2))
		switch {
		case i%9 == 4:
			key, r.Key = nullMarker, nil
		case i%23 == 5:
			key, r.Key = "", []byte{}
		default:
			r.Key = []byte(key)
		}
		value := text(60)
		switch {
		case i%150 == 77: // over 64 KiB: several lz4 blocks and snappy chunks
			for len(value) < 100_000 {
				value += text(60)
			}
			r.Value = []byte(value)
		case i%13 == 6:
			value, r.Value = nullMarker, nil
		case i%17 == 8:
			value, r.Value = "", []byte{}
		default:
			r.Value = []byte(value)
		}
		fmt.Fprintf(&in, "%s\t%s\t%s\n", strings.Join(hs, ","), key, value)
	}
	return []byte(in.String()), want
}
