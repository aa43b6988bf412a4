package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// harness holds what the runs share: built binaries, the admin client that
// creates and deletes topics, payload files and the samples collected.
type harness struct {
	o        options
	tmp      string
	bins     map[string]string // Go client -> binary
	broken   map[string]string // client -> why it cannot run
	python   string
	javaE2E  string // class directory of E2ELatency
	admin    *kadm.Client
	kcl      *kgo.Client
	payloads map[int]string // size -> payload file
	floorKB  int64          // peak RSS of /bin/true under the launcher
	samples  map[key][]sample
	order    []key
}

// key names one table row: a scenario and a client.
type key struct{ scenario, client string }

// sample is one run of one client.
type sample struct {
	records int
	bytes   int64
	seconds float64
	cpu     float64 // user+system seconds of the child process
	rssKB   int64   // ru_maxrss of the child process
	p50     float64
	p99     float64
	p999    float64
	err     string
}

func newHarness(ctx context.Context, o options) (*harness, error) {
	h := &harness{o: o, bins: map[string]string{}, broken: map[string]string{}, payloads: map[int]string{}, samples: map[key][]sample{}}
	if _, err := os.Stat(filepath.Join(o.dir, "go.mod")); err != nil {
		return nil, fmt.Errorf("run from bench/compare or pass -dir: %w", err)
	}
	var err error
	if h.tmp, err = os.MkdirTemp("", "kafka3-bench-"); err != nil {
		return nil, err
	}
	h.kcl, err = kgo.NewClient(kgo.SeedBrokers(strings.Split(o.brokers, ",")...))
	if err != nil {
		return nil, err
	}
	h.admin = kadm.NewClient(h.kcl)
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := h.admin.ListBrokers(pctx); err != nil {
		return nil, fmt.Errorf("broker %s does not answer (cd /work/main && scripts/kafka start): %w", o.brokers, err)
	}
	if err := h.build("launcher", "./launcher"); err != nil {
		return nil, err
	}
	h.floorKB = h.launcherFloor()
	for _, c := range o.clients {
		var err error
		switch c {
		case "java":
			err = h.setupJava()
		case "python":
			err = h.setupPython()
		default:
			err = h.build(c, "./clients/"+c)
		}
		if err != nil {
			h.broken[c] = err.Error()
			log.Printf("%s cannot run: %v", clientNames[c], err)
		}
	}
	return h, nil
}

func (h *harness) close() {
	h.kcl.Close()
	os.RemoveAll(h.tmp)
}

func (h *harness) build(name, pkg string) error {
	bin := filepath.Join(h.tmp, name)
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = h.o.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v: %s", pkg, err, firstLines(string(out), 4))
	}
	h.bins[name] = bin
	return nil
}

// launcherFloor is the peak RSS a child inherits from the launcher: the
// lowest RSS any client can report (measured on /bin/true).
func (h *harness) launcherFloor() int64 {
	usage := filepath.Join(h.tmp, "floor.json")
	if err := exec.Command(h.bins["launcher"], usage, "true").Run(); err != nil {
		return 0
	}
	var u struct {
		MaxRSS float64 `json:"maxrss_kb"`
	}
	data, _ := os.ReadFile(usage)
	json.Unmarshal(data, &u)
	return int64(u.MaxRSS)
}

// setupPython makes the virtualenv with kafka-python and its codecs when it
// is missing: a fresh machine starts without it.
func (h *harness) setupPython() error {
	py := filepath.Join(h.o.venv, "bin", "python")
	check := func() error {
		return exec.Command(py, "-c", "import kafka, lz4, zstandard").Run()
	}
	if check() != nil {
		log.Printf("installing kafka-python into %s", h.o.venv)
		if out, err := exec.Command("python3", "-m", "venv", h.o.venv).CombinedOutput(); err != nil {
			return fmt.Errorf("python3 -m venv: %v: %s", err, firstLines(string(out), 4))
		}
		pip := exec.Command(filepath.Join(h.o.venv, "bin", "pip"), "install", "--quiet", "--disable-pip-version-check",
			"kafka-python==3.0.12", "lz4==4.4.5", "zstandard==0.25.0")
		if out, err := pip.CombinedOutput(); err != nil {
			return fmt.Errorf("pip install kafka-python: %v: %s", err, firstLines(string(out), 6))
		}
		if err := check(); err != nil {
			return fmt.Errorf("kafka-python installed but does not import: %v", err)
		}
	}
	h.python = py
	return nil
}

// setupJava checks the tools jars and compiles the end-to-end latency
// program once per source version into the user's cache.
func (h *harness) setupJava() error {
	if h.o.tools == "" {
		return errors.New("no Kafka tools directory: set -tools or KAFKA3_KAFKA_TOOLS (eval \"$(scripts/kafka env)\")")
	}
	if _, err := os.Stat(h.o.tools); err != nil {
		return err
	}
	if !contains(h.o.scenarios, "e2e") {
		return nil
	}
	src := filepath.Join(h.o.dir, "java", "E2ELatency.java")
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	cache, _ := os.UserCacheDir()
	dir := filepath.Join(cache, "kafka3-go", "bench-java", hex.EncodeToString(sum[:8]))
	if _, err := os.Stat(filepath.Join(dir, "E2ELatency.class")); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		out, err := exec.Command("javac", "-cp", filepath.Join(h.o.tools, "*"), "-d", dir, src).CombinedOutput()
		if err != nil {
			return fmt.Errorf("javac E2ELatency.java: %v: %s", err, firstLines(string(out), 4))
		}
	}
	h.javaE2E = dir
	return nil
}

// payloadFile writes 1024 distinct values of n bytes, text made of a small
// vocabulary so that lz4 and zstd have something to do, one per line. Every
// client sends values from this file (Java reads it with --payload-file).
func (h *harness) payloadFile(n int) (string, error) {
	if p, ok := h.payloads[n]; ok {
		return p, nil
	}
	words := strings.Fields("kafka record offset partition broker topic leader replica consumer producer " +
		"group commit fetch batch linger ack epoch segment index log user event click view order " +
		"payment id 0 1 2 3 4 5 6 7 8 9 the a of to and in is for on with status ok error")
	r := rand.New(rand.NewPCG(1, uint64(n)))
	var buf bytes.Buffer
	for range 1024 {
		line := make([]byte, 0, n+16)
		for len(line) < n {
			line = append(line, words[r.IntN(len(words))]...)
			line = append(line, ' ')
		}
		buf.Write(line[:n])
		buf.WriteByte('\n')
	}
	p := filepath.Join(h.tmp, fmt.Sprintf("payloads-%d.txt", n))
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		return "", err
	}
	h.payloads[n] = p
	return p, nil
}

// freshTopic deletes and creates the topic and waits until every partition
// has a leader.
func (h *harness) freshTopic(ctx context.Context, topic string) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	h.deleteTopic(ctx, topic)
	resp, err := h.admin.CreateTopics(ctx, int32(h.o.partitions), 1, nil, topic)
	if err == nil {
		err = resp.Error()
	}
	if err != nil {
		return fmt.Errorf("create topic %s: %w", topic, err)
	}
	for ctx.Err() == nil {
		md, err := h.admin.Metadata(ctx, topic)
		if err == nil {
			if td, ok := md.Topics[topic]; ok && td.Err == nil && len(td.Partitions) == h.o.partitions {
				ready := true
				for _, p := range td.Partitions {
					ready = ready && p.Leader >= 0 && p.Err == nil
				}
				if ready {
					// A leader in the metadata can precede the partition being
					// ready on the broker by a moment; some clients do not retry.
					time.Sleep(500 * time.Millisecond)
					return nil
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("topic %s has no leaders: %w", topic, ctx.Err())
}

func (h *harness) deleteTopic(ctx context.Context, topic string) {
	resp, err := h.admin.DeleteTopics(ctx, topic)
	if err == nil {
		if r, ok := resp[topic]; ok && r.Err == nil {
			time.Sleep(200 * time.Millisecond) // let the deletion settle before re-creating
		}
	}
}

// fill writes n records from the payload file with the codec, for the
// consume scenario. franz-go writes them; the consumers are measured.
func (h *harness) fill(ctx context.Context, topic string, n int, payloads, codec string) error {
	data, err := os.ReadFile(payloads)
	if err != nil {
		return err
	}
	vals := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	c := kgo.NoCompression()
	switch codec {
	case "lz4":
		c = kgo.Lz4Compression()
	case "zstd":
		c = kgo.ZstdCompression()
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(h.o.brokers, ",")...), kgo.DefaultProduceTopic(topic),
		kgo.ProducerBatchCompression(c), kgo.ProducerLinger(5*time.Millisecond), kgo.ProducerBatchMaxBytes(int32(h.o.batchSize)))
	if err != nil {
		return err
	}
	defer cl.Close()
	var firstErr error
	for i := range n {
		cl.Produce(ctx, &kgo.Record{Value: vals[i%len(vals)]}, func(_ *kgo.Record, err error) {
			if err != nil && firstErr == nil {
				firstErr = err
			}
		})
	}
	if err := cl.Flush(ctx); err != nil {
		return err
	}
	return firstErr
}

// job is one run of one client.
type job struct {
	mode     string // produce, consume, e2e
	topic    string
	records  int
	size     int
	codec    string
	payloads string
	warmup   int
}

// run runs one client in its own process and returns its sample.
func (h *harness) run(ctx context.Context, client string, j job) sample {
	if why, ok := h.broken[client]; ok {
		return sample{err: why}
	}
	ctx, cancel := context.WithTimeout(ctx, h.o.childTimeout)
	defer cancel()
	var argv []string
	switch client {
	case "java":
		argv = h.javaArgs(j)
	case "python":
		argv = append([]string{h.python, filepath.Join(h.o.dir, "python", "kafka_python_bench.py")}, h.commonArgs(j)...)
	default:
		argv = append([]string{h.bins[client]}, h.commonArgs(j)...)
	}
	usage := filepath.Join(h.tmp, "usage.json")
	os.Remove(usage)
	cmd := exec.CommandContext(ctx, h.bins["launcher"], append([]string{usage}, argv...)...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	var s sample
	var u struct {
		CPU    float64 `json:"cpu_s"`
		MaxRSS float64 `json:"maxrss_kb"`
	}
	if data, rerr := os.ReadFile(usage); rerr == nil && json.Unmarshal(data, &u) == nil {
		s.cpu, s.rssKB = u.CPU, int64(u.MaxRSS)
	} else if err == nil {
		err = fmt.Errorf("launcher wrote no usage: %v", rerr)
	}
	if err != nil {
		s.err = fmt.Sprintf("%v: %s", err, lastLines(stderr.String()+stdout.String(), 3))
		return s
	}
	var perr error
	if client == "java" {
		perr = parseJava(j.mode, stdout.String(), &s)
	} else {
		perr = parseJSON(stdout.String(), &s)
	}
	if perr != nil {
		s.err = fmt.Sprintf("%v: %s", perr, lastLines(stderr.String()+stdout.String(), 3))
	}
	return s
}

func (h *harness) commonArgs(j job) []string {
	args := []string{
		"-mode", j.mode,
		"-brokers", h.o.brokers,
		"-topic", j.topic,
		"-partitions", fmt.Sprint(h.o.partitions),
		"-records", fmt.Sprint(j.records),
		"-size", fmt.Sprint(j.size),
		"-payloads", j.payloads,
		"-compression", j.codec,
		"-linger", h.o.linger.String(),
		"-batch-size", fmt.Sprint(h.o.batchSize),
		"-buffer-bytes", fmt.Sprint(h.o.bufferBytes),
		"-rate", fmt.Sprint(h.o.rate),
		"-warmup", fmt.Sprint(j.warmup),
		"-timeout", h.o.childTimeout.String(),
	}
	if h.o.freshValues {
		args = append(args, "-fresh-values")
	}
	return args
}

// producerProps are the Java client's producer settings, equal to the others'.
func (h *harness) producerProps(codec string) []string {
	return []string{
		"bootstrap.servers=" + h.o.brokers,
		"acks=all",
		"enable.idempotence=true",
		fmt.Sprintf("linger.ms=%d", h.o.linger.Milliseconds()),
		fmt.Sprintf("batch.size=%d", h.o.batchSize),
		fmt.Sprintf("buffer.memory=%d", h.o.bufferBytes),
		"compression.type=" + codec,
		"client.id=bench-java",
	}
}

func (h *harness) javaArgs(j job) []string {
	cp := filepath.Join(h.o.tools, "*")
	args := []string{"java", "-Xmx" + h.o.javaHeap}
	switch j.mode {
	case "produce":
		args = append(args, "-cp", cp, "org.apache.kafka.tools.ProducerPerformance",
			"--topic", j.topic, "--num-records", fmt.Sprint(j.records), "--throughput", "-1",
			"--payload-file", j.payloads, "--producer-props")
		args = append(args, h.producerProps(j.codec)...)
	case "consume":
		args = append(args, "-cp", cp, "org.apache.kafka.tools.ConsumerPerformance",
			"--bootstrap-server", h.o.brokers, "--topic", j.topic, "--messages", fmt.Sprint(j.records),
			"--group", "bench-java-"+j.topic+fmt.Sprint(time.Now().UnixNano()), "--timeout", "60000")
	case "e2e":
		args = append(args, "-cp", h.javaE2E+string(os.PathListSeparator)+cp, "E2ELatency",
			h.o.brokers, j.topic, fmt.Sprint(h.o.partitions), fmt.Sprint(j.records), fmt.Sprint(j.size),
			fmt.Sprint(h.o.rate), fmt.Sprint(j.warmup))
		args = append(args, h.producerProps(j.codec)...)
	}
	return args
}

func parseJSON(out string, s *sample) error {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var r struct {
		Records int     `json:"records"`
		Bytes   int64   `json:"bytes"`
		Seconds float64 `json:"seconds"`
		P50     float64 `json:"p50_ms"`
		P99     float64 `json:"p99_ms"`
		P999    float64 `json:"p999_ms"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &r); err != nil {
		return fmt.Errorf("no result line: %w", err)
	}
	if r.Seconds <= 0 || r.Records <= 0 {
		return errors.New("empty result")
	}
	s.records, s.bytes, s.seconds, s.p50, s.p99, s.p999 = r.Records, r.Bytes, r.Seconds, r.P50, r.P99, r.P999
	return nil
}

// parseJava reads ProducerPerformance's summary line, ConsumerPerformance's
// CSV, or E2ELatency's JSON line.
func parseJava(mode, out string, s *sample) error {
	switch mode {
	case "e2e":
		return parseJSON(out, s)
	case "produce":
		// "100000 records sent, 51948.1 records/sec (4.95 MB/sec), 42.1 ms avg latency, ..."
		for _, line := range strings.Split(out, "\n") {
			if !strings.Contains(line, "records sent,") || !strings.Contains(line, "50th") {
				continue
			}
			var n int
			var rate, mbs float64
			if _, err := fmt.Sscanf(line, "%d records sent, %f records/sec (%f MB/sec)", &n, &rate, &mbs); err != nil {
				return fmt.Errorf("ProducerPerformance summary %q: %w", line, err)
			}
			s.records, s.seconds = n, float64(n)/rate
			s.bytes = int64(mbs * 1024 * 1024 * s.seconds)
			return nil
		}
		return errors.New("no ProducerPerformance summary")
	default:
		// header "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg,
		// nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec"
		lines := strings.Split(strings.TrimSpace(out), "\n")
		for i, line := range lines {
			if !strings.HasPrefix(line, "start.time") || i+1 >= len(lines) {
				continue
			}
			names := strings.Split(line, ",")
			vals := strings.Split(lines[i+1], ",")
			col := map[string]string{}
			for k, n := range names {
				if k < len(vals) {
					col[strings.TrimSpace(n)] = strings.TrimSpace(vals[k])
				}
			}
			var mb, ms float64
			var n int
			_, e1 := fmt.Sscan(col["data.consumed.in.MB"], &mb)
			_, e2 := fmt.Sscan(col["data.consumed.in.nMsg"], &n)
			_, e3 := fmt.Sscan(col["fetch.time.ms"], &ms)
			if err := errors.Join(e1, e2, e3); err != nil {
				return fmt.Errorf("ConsumerPerformance line %q: %w", lines[i+1], err)
			}
			if ms <= 0 || n <= 0 {
				return fmt.Errorf("ConsumerPerformance consumed nothing: %q", lines[i+1])
			}
			s.records, s.seconds, s.bytes = n, ms/1000, int64(mb*1024*1024)
			return nil
		}
		return errors.New("no ConsumerPerformance result")
	}
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[:min(n, len(lines))], " | ")
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " | ")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
