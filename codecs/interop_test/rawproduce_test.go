package interoptest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core/record"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// TestBuilderToConsoleConsumer encodes batches with record.Builder and each
// codec, sends them with raw Produce requests to one partition, and reads
// them all back with one run of the Java ConsoleConsumer, whose output must
// be exactly what the records encode. It also fetches the batches back: the
// broker must have kept the compressed bytes as sent (so the Java consumer
// decompressed kafka3-go's output, not the broker's) and core/record must
// decode them to the records built.
func TestBuilderToConsoleConsumer(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 2, 1, "zstd batches, which the test writes with the low-level client (KIP-110, Kafka 2.1)")
	t.Parallel()
	topic := kafkatest.CreateTopic(t, 1, nil)
	p := newPartition(t, topic)
	rng := rand.New(rand.NewPCG(2, 3))
	base := time.Now().Truncate(time.Millisecond)

	type sent struct {
		codec string
		batch []byte
		recs  []record.Record
	}
	var batches []sent
	var want strings.Builder // the ConsoleConsumer's expected output
	total := 0
	for _, name := range codecNames {
		codec := codecFor(t, name)
		for _, recs := range [][]record.Record{smallRecords(rng, name, base), largeRecords(rng, base)} {
			var b record.Builder
			for i := range recs {
				b.Append(&recs[i])
			}
			params := record.NoProducer()
			params.Codec = codec
			batch, err := b.AppendBatch(nil, &params)
			if err != nil {
				t.Fatalf("%s: AppendBatch: %v", name, err)
			}
			offset := p.produce(t, batch)
			if offset != int64(total) {
				t.Fatalf("%s: batch written at offset %d, want %d", name, offset, total)
			}
			for i := range recs {
				recs[i].Offset = offset + int64(i)
				writeConsoleLine(&want, &recs[i])
			}
			total += len(recs)
			batches = append(batches, sent{name, batch, recs})
		}
	}

	t.Run("ConsoleConsumer", func(t *testing.T) {
		t.Parallel()
		got := kafkatest.Java(t, 90*time.Second, "org.apache.kafka.tools.consumer.ConsoleConsumer",
			"--bootstrap-server", bootstrap(t), "--topic", topic, "--partition", "0", "--offset", "earliest",
			"--max-messages", fmt.Sprint(total), "--timeout-ms", "20000",
			"--formatter-property", "print.timestamp=true", "--formatter-property", "print.offset=true",
			"--formatter-property", "print.headers=true", "--formatter-property", "print.key=true",
			"--formatter-property", "null.literal="+nullLiteral)
		if got != want.String() {
			t.Errorf("ConsoleConsumer output (%d bytes) differs from the records sent (%d bytes) at %s",
				len(got), want.Len(), firstLineDiff(got, want.String()))
		}
	})

	t.Run("FetchBack", func(t *testing.T) {
		t.Parallel()
		fetched := p.fetchAll(t)
		if len(fetched) != len(batches) {
			t.Fatalf("%d batches fetched, want %d", len(fetched), len(batches))
		}
		for i, f := range fetched {
			s := batches[i]
			if id := codecFor(t, s.codec).ID(); f.header.CodecID() != id {
				t.Errorf("batch %d: codec %s, want %s", i, record.CodecName(f.header.CodecID()), s.codec)
			}
			if !bytes.Equal(f.header.Raw[record.BatchHeaderSize:], s.batch[record.BatchHeaderSize:]) {
				t.Errorf("batch %d (%s): the broker changed the compressed records (%d bytes sent, %d fetched)",
					i, s.codec, len(s.batch)-record.BatchHeaderSize, len(f.header.Raw)-record.BatchHeaderSize)
			}
			if len(f.records) != len(s.recs) {
				t.Errorf("batch %d (%s): %d records, want %d", i, s.codec, len(f.records), len(s.recs))
				continue
			}
			for j := range f.records {
				g, w := &f.records[j], &s.recs[j]
				if d := diffRecord(g, w); d != "" || g.Offset != w.Offset || !g.Timestamp.Equal(w.Timestamp) {
					t.Errorf("batch %d (%s) record %d: offset %d (want %d), timestamp %v (want %v) %s",
						i, s.codec, j, g.Offset, w.Offset, g.Timestamp, w.Timestamp, d)
				}
			}
		}
	})
}

// nullLiteral is what the ConsoleConsumer prints for a null key, value or
// header value.
const nullLiteral = "<null>"

// writeConsoleLine appends the line the ConsoleConsumer's default formatter
// prints for r with print.timestamp, print.offset, print.headers and
// print.key, tab-separated. It writes keys and values as raw bytes.
func writeConsoleLine(w *strings.Builder, r *record.Record) {
	field := func(b []byte) string {
		if b == nil {
			return nullLiteral
		}
		return string(b)
	}
	fmt.Fprintf(w, "CreateTime:%d\tOffset:%d\t", r.Timestamp.UnixMilli(), r.Offset)
	if len(r.Headers) == 0 {
		w.WriteString("NO_HEADERS")
	}
	for i, h := range r.Headers {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(h.Key + ":" + field(h.Value))
	}
	fmt.Fprintf(w, "\t%s\t%s\n", field(r.Key), field(r.Value))
}

// smallRecords returns records covering the edge cases: null and empty keys,
// values and header values, no headers, repeated and UTF-8 header keys, and
// every byte value except tab and newline (the formatter's separators).
func smallRecords(rng *rand.Rand, codec string, base time.Time) []record.Record {
	var binary []byte
	for c := range 256 {
		if c != '\t' && c != '\n' {
			binary = append(binary, byte(c))
		}
	}
	recs := make([]record.Record, 60)
	for i := range recs {
		r := &recs[i]
		r.Timestamp = base.Add(time.Duration(i) * time.Millisecond)
		switch i % 6 {
		case 0:
			r.Key = nil
		case 1:
			r.Key = []byte{}
		default:
			r.Key = fmt.Appendf(nil, "k-%s-%d", codec, i)
		}
		switch i % 8 {
		case 3:
			r.Value = nil
		case 5:
			r.Value = []byte{}
		case 7:
			r.Value = binary
		default:
			r.Value = []byte(strings.Repeat(fmt.Sprintf("value %d of %s, ünïcödé 日本 🙂; ", i, codec), 1+rng.IntN(20)))
		}
		if i%4 != 0 {
			r.Headers = []record.Header{{Key: "seq", Value: fmt.Appendf(nil, "%d", i)}, {Key: "codec", Value: []byte(codec)}}
			if i%3 == 0 {
				r.Headers = append(r.Headers, record.Header{Key: "null"}, record.Header{Key: "empty", Value: []byte{}})
			}
			if i%5 == 0 {
				r.Headers = append(r.Headers, record.Header{Key: "ключ", Value: []byte("значение")}, record.Header{Key: "seq", Value: []byte("again")})
			}
		}
	}
	return recs
}

// largeRecords returns a batch bigger than the codecs' block sizes (64 KiB
// for lz4 frames, 32 KiB for xerial snappy chunks): a 150 KB compressible
// value, a 70 KB value of random letters, and a small record.
func largeRecords(rng *rand.Rand, base time.Time) []record.Record {
	words := []string{"alpha ", "beta ", "gamma ", "delta ", "epsilon ", "zeta ", "eta ", "theta "}
	var text []byte
	for len(text) < 150_000 {
		text = append(text, words[rng.IntN(len(words))]...)
	}
	noise := make([]byte, 70_000)
	for i := range noise {
		noise[i] = byte('!' + rng.IntN('~'-'!'+1))
	}
	ts := base.Add(time.Second)
	return []record.Record{
		{Timestamp: ts, Key: []byte("text"), Value: text, Headers: []record.Header{{Key: "kind", Value: []byte("text")}}},
		{Timestamp: ts.Add(time.Millisecond), Key: []byte("noise"), Value: noise},
		{Timestamp: ts.Add(-time.Millisecond), Key: []byte("small"), Value: []byte("after the large ones")},
	}
}
