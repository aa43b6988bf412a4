package interoptest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/core/record"
	"github.com/kafka3/kafka3-go/internal/kafkatest"

	_ "github.com/kafka3/kafka3-go/codecs" // all four codecs, registered in core
)

// codecNames are the Kafka codecs, by their compression.type names.
var codecNames = []string{"gzip", "snappy", "lz4", "zstd"}

// codecFor returns the registered codec called name.
func codecFor(t testing.TB, name string) core.Codec {
	t.Helper()
	c, err := core.CodecByName(name)
	if err != nil || c == nil {
		t.Fatalf("codec %q: %v", name, err)
	}
	return c
}

// bootstrap returns the PLAINTEXT bootstrap servers for the Java tools.
func bootstrap(t testing.TB) string { return strings.Join(kafkatest.Brokers(t), ",") }

// javaWithStdin runs a Kafka tools main class like kafkatest.Java, feeding
// it stdin, and returns its standard output.
func javaWithStdin(t testing.TB, timeout time.Duration, stdin []byte, class string, args ...string) string {
	t.Helper()
	lib := kafkatest.Env(t, "KAFKA3_KAFKA_TOOLS")
	class, args = kafkatest.JavaTool(class, args...) // the broker's release's class and flags
	log4j := filepath.Join(t.TempDir(), "log4j2.yaml")
	conf := "Configuration:\n  Appenders:\n    Console: { name: E, target: SYSTEM_ERR, PatternLayout: { pattern: \"%p %m%n\" } }\n" +
		"  Loggers:\n    Root: { level: WARN, AppenderRef: [ { ref: E } ] }\n"
	if err := os.WriteFile(log4j, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "java", append([]string{"-Xms128m", "-Xmx512m", "-XX:TieredStopAtLevel=1",
		"-Dlog4j2.configurationFile=" + log4j, "-cp", filepath.Join(lib, "*"), class}, args...)...)
	var out, errOut bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(stdin), &out, &errOut
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("still running after %v", timeout)
		}
		t.Fatalf("java %s %v: %v\nstdout:\n%s\nstderr:\n%s", class, args, err, out.String(), errOut.String())
	}
	return out.String()
}

// topicID returns the id of topic, which Fetch v13+ and Produce v13 need.
func topicID(t testing.TB, c *core.Client, topic string) protocol.UUID {
	t.Helper()
	req := &protocol.MetadataRequest{}
	req.Default()
	req.AllowAutoTopicCreation = false
	req.Topics = []protocol.MetadataRequestTopic{{Name: &topic}}
	resp, err := c.Request(context.Background(), req)
	if err != nil {
		t.Fatalf("Metadata %s: %v", topic, err)
	}
	m := resp.(*protocol.MetadataResponse)
	if len(m.Topics) != 1 || m.Topics[0].ErrorCode != 0 || m.Topics[0].TopicId.IsZero() {
		t.Fatalf("Metadata %s: unexpected topics %+v", topic, m.Topics)
	}
	return m.Topics[0].TopicId
}

// partition names a topic partition for raw requests.
type partition struct {
	c     *core.Client
	topic string
	id    protocol.UUID
	index int32
}

// newPartition returns partition 0 of topic, with a client for it.
func newPartition(t testing.TB, topic string) *partition {
	c := kafkatest.Client(t)
	return &partition{c: c, topic: topic, id: topicID(t, c, topic)}
}

// produce sends one encoded batch with acks=-1 and returns the offset the
// broker assigned to its first record.
func (p *partition) produce(t testing.TB, batch []byte) int64 {
	t.Helper()
	req := &protocol.ProduceRequest{}
	req.Default()
	req.Acks = -1
	req.TimeoutMs = 30000
	req.TopicData = []protocol.ProduceRequestTopicProduceData{{
		Name: p.topic, TopicId: p.id, // the client picks the version: fill both
		PartitionData: []protocol.ProduceRequestPartitionProduceData{{Index: p.index, Records: batch}},
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := p.c.Request(ctx, req)
	if err != nil {
		t.Fatalf("Produce to %s: %v", p.topic, err)
	}
	r := resp.(*protocol.ProduceResponse)
	if len(r.Responses) != 1 || len(r.Responses[0].PartitionResponses) != 1 {
		t.Fatalf("Produce to %s: unexpected response %+v", p.topic, r)
	}
	pr := r.Responses[0].PartitionResponses[0]
	if pr.ErrorCode != 0 {
		t.Fatalf("Produce to %s: %v (record errors %+v)", p.topic, kerr.WithMessage(pr.ErrorCode, pr.ErrorMessage), pr.RecordErrors)
	}
	return pr.BaseOffset
}

// fetch returns the records bytes of one Fetch from offset, and the high
// watermark.
func (p *partition) fetch(t testing.TB, offset int64) ([]byte, int64) {
	t.Helper()
	req := &protocol.FetchRequest{}
	req.Default()
	req.MaxWaitMs = 500
	req.MinBytes = 1
	req.MaxBytes = 8 << 20
	fp := protocol.FetchRequestFetchPartition{}
	fp.Default()
	fp.Partition = p.index
	fp.FetchOffset = offset
	fp.PartitionMaxBytes = 4 << 20
	req.Topics = []protocol.FetchRequestFetchTopic{{
		Topic: p.topic, TopicId: p.id, // the client picks the version: fill both
		Partitions: []protocol.FetchRequestFetchPartition{fp},
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := p.c.Request(ctx, req)
	if err != nil {
		t.Fatalf("Fetch %s at %d: %v", p.topic, offset, err)
	}
	r := resp.(*protocol.FetchResponse)
	if r.ErrorCode != 0 {
		t.Fatalf("Fetch %s at %d: %v", p.topic, offset, kerr.ForCode(r.ErrorCode))
	}
	if len(r.Responses) != 1 || len(r.Responses[0].Partitions) != 1 {
		t.Fatalf("Fetch %s at %d: unexpected response %+v", p.topic, offset, r)
	}
	pd := r.Responses[0].Partitions[0]
	if pd.ErrorCode != 0 {
		t.Fatalf("Fetch %s at %d: %v", p.topic, offset, kerr.ForCode(pd.ErrorCode))
	}
	return pd.Records, pd.HighWatermark
}

// fetchedBatch is a batch read back from the broker, its records cloned.
type fetchedBatch struct {
	header  record.Batch // Raw and the records alias the fetch response
	records []record.Record
}

// fetchAll fetches the partition from offset 0 to its high watermark and
// decodes every batch with the registered codecs. Any decoding error fails
// the test.
func (p *partition) fetchAll(t testing.TB) []fetchedBatch {
	t.Helper()
	d := record.Decoder{Codecs: core.CodecByID}
	var out []fetchedBatch
	var recs []record.Record
	for offset, hwm := int64(0), int64(1); offset < hwm; {
		data, h := p.fetch(t, offset)
		hwm = h
		d.Reset(p.topic, p.index, data)
		progressed := false
		for {
			b, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("decoding %s at %d: %v", p.topic, offset, err)
			}
			if recs, err = d.AppendRecords(recs[:0], b); err != nil {
				t.Fatalf("decoding %s at %d: %v", p.topic, b.BaseOffset, err)
			}
			fb := fetchedBatch{header: *b}
			for i := range recs {
				fb.records = append(fb.records, recs[i].Clone())
			}
			out = append(out, fb)
			offset = b.LastOffset() + 1
			progressed = true
		}
		if !progressed && offset < hwm {
			t.Fatalf("fetch %s at %d (high watermark %d) returned no complete batch (%d bytes)", p.topic, offset, hwm, len(data))
		}
	}
	return out
}

// checkOffsets checks that the batches hold consecutive offsets from 0 and
// returns their records.
func checkOffsets(t testing.TB, batches []fetchedBatch) []record.Record {
	t.Helper()
	var all []record.Record
	next := int64(0)
	for _, b := range batches {
		if b.header.BaseOffset != next {
			t.Errorf("batch base offset %d, want %d", b.header.BaseOffset, next)
		}
		if int(b.header.NumRecords) != len(b.records) || int(b.header.LastOffsetDelta)+1 != len(b.records) {
			t.Errorf("batch at %d: %d records decoded, header says %d records, last offset delta %d",
				b.header.BaseOffset, len(b.records), b.header.NumRecords, b.header.LastOffsetDelta)
		}
		for _, r := range b.records {
			if r.Offset != next {
				t.Fatalf("record offset %d, want %d", r.Offset, next)
			}
			next++
			all = append(all, r)
		}
	}
	return all
}

// sameBytes reports whether a and b are equal, telling null (nil) from empty.
func sameBytes(a, b []byte) bool { return (a == nil) == (b == nil) && bytes.Equal(a, b) }

// diffRecord describes how got differs from want in key, value and headers,
// or returns "".
func diffRecord(got, want *record.Record) string {
	var diffs []string
	if !sameBytes(got.Key, want.Key) {
		diffs = append(diffs, fmt.Sprintf("key %s, want %s", show(got.Key), show(want.Key)))
	}
	if !sameBytes(got.Value, want.Value) {
		diffs = append(diffs, fmt.Sprintf("value %s, want %s", show(got.Value), show(want.Value)))
	}
	if len(got.Headers) != len(want.Headers) {
		diffs = append(diffs, fmt.Sprintf("headers %s, want %s", showHeaders(got.Headers), showHeaders(want.Headers)))
	} else {
		for i := range got.Headers {
			g, w := got.Headers[i], want.Headers[i]
			if g.Key != w.Key || !sameBytes(g.Value, w.Value) {
				diffs = append(diffs, fmt.Sprintf("headers %s, want %s", showHeaders(got.Headers), showHeaders(want.Headers)))
				break
			}
		}
	}
	return strings.Join(diffs, "; ")
}

func show(b []byte) string {
	if b == nil {
		return "null"
	}
	if len(b) > 64 {
		return fmt.Sprintf("%q... (%d bytes)", b[:64], len(b))
	}
	return fmt.Sprintf("%q", b)
}

func showHeaders(hs []record.Header) string {
	parts := make([]string, len(hs))
	for i, h := range hs {
		parts[i] = fmt.Sprintf("%q=%s", h.Key, show(h.Value))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// firstLineDiff returns a description of the first line where got and want
// differ, or "".
func firstLineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d (of %d, want %d):\n got: %s\nwant: %s", i+1, len(g), len(w), clip(gl), clip(wl))
		}
	}
	return ""
}

func clip(s string) string {
	if len(s) > 300 {
		return fmt.Sprintf("%q... (%d bytes)", s[:300], len(s))
	}
	return fmt.Sprintf("%q", s)
}
