// Command compare benchmarks kafka3-go against franz-go, sarama,
// segmentio/kafka-go, the Java client and kafka-python on one local broker,
// with equal settings, and prints one Markdown table per scenario.
//
// Every client runs in a process of its own (a small binary per Go client,
// the JVM for Java, the interpreter for Python), so the CPU time and peak RSS
// that getrusage reports for that child are the client's alone.
//
// Run it from bench/compare (make bench does):
//
//	go run . -sizes 100000x100 -compression none,lz4,zstd -runs 3
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

type options struct {
	brokers      string
	tools        string
	clients      []string
	scenarios    []string
	sizes        []size
	compressions []string
	runs         int
	partitions   int
	linger       time.Duration
	batchSize    int
	bufferBytes  int
	freshValues  bool
	rate         int
	e2eDuration  time.Duration
	e2eWarmup    time.Duration
	warmFor      time.Duration
	e2eSize      int
	e2eCodec     string
	childTimeout time.Duration
	venv         string
	javaHeap     string
	out          string
	dir          string
}

type size struct{ n, bytes int }

func (s size) String() string { return fmt.Sprintf("%d × %d B", s.n, s.bytes) }

var allClients = []string{"kafka3", "franz", "sarama", "segmentio", "java", "python"}

// clientNames are the names shown in the tables.
var clientNames = map[string]string{
	"kafka3":    "kafka3-go",
	"franz":     "franz-go",
	"sarama":    "sarama",
	"segmentio": "segmentio/kafka-go",
	"java":      "Java (kafka-clients)",
	"python":    "kafka-python",
}

func main() {
	log.SetFlags(log.Ltime)
	log.SetPrefix("compare: ")
	o := parseFlags()
	ctx := context.Background()
	h, err := newHarness(ctx, o)
	if err != nil {
		log.Fatal(err)
	}
	defer h.close()
	started := time.Now()
	h.warmUp(ctx)
	h.runAll(ctx)
	report := h.report(started, time.Since(started))
	fmt.Print(report)
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(report), 0o644); err != nil {
			log.Fatal(err)
		}
		log.Printf("report written to %s", o.out)
	}
}

func parseFlags() options {
	var o options
	home, _ := os.UserHomeDir()
	var clients, scenarios, sizes, codecs string
	flag.StringVar(&o.brokers, "brokers", os.Getenv("KAFKA3_BROKERS"), "bootstrap servers (default $KAFKA3_BROKERS)")
	flag.StringVar(&o.tools, "tools", os.Getenv("KAFKA3_KAFKA_TOOLS"), "directory of the Kafka tools jars (default $KAFKA3_KAFKA_TOOLS)")
	flag.StringVar(&clients, "clients", strings.Join(allClients, ","), "clients to run")
	flag.StringVar(&scenarios, "scenarios", "produce,consume,e2e", "scenarios to run")
	flag.StringVar(&sizes, "sizes", "100000x100", "comma-separated RECORDSxBYTES for produce and consume (the issue's: 1000000x100,200000x1000)")
	flag.StringVar(&codecs, "compression", "none,lz4,zstd", "compression codecs for produce and consume")
	flag.IntVar(&o.runs, "runs", 3, "runs of each client per scenario; medians are reported")
	flag.IntVar(&o.partitions, "partitions", 6, "partitions of each (fresh) topic")
	flag.DurationVar(&o.linger, "linger", 5*time.Millisecond, "producer linger (linger.ms)")
	flag.IntVar(&o.batchSize, "batch-size", 16384, "producer batch size per partition (batch.size)")
	flag.IntVar(&o.bufferBytes, "buffer-bytes", 32<<20, "producer buffer memory (buffer.memory)")
	flag.BoolVar(&o.freshValues, "fresh-values", false, "produce: the Go clients send a new copy of the payload as each record's value, as a program encoding each record does, instead of the shared payloads (Java and Python copy values into their buffers either way)")
	flag.IntVar(&o.rate, "rate", 2000, "e2e: records per second")
	flag.DurationVar(&o.e2eDuration, "e2e-duration", 10*time.Second, "e2e: how long to produce at -rate")
	flag.DurationVar(&o.e2eWarmup, "e2e-warmup", 2*time.Second, "e2e: leading time at -rate whose records are left out of the percentiles")
	flag.IntVar(&o.e2eSize, "e2e-size", 100, "e2e: bytes per record")
	flag.DurationVar(&o.warmFor, "warmup", 20*time.Second, "before the first scenario, produce and consume 1M records of 100 B, unmeasured, until this much time has passed, so that the broker's JIT has compiled its hot paths (0: none)")
	flag.StringVar(&o.e2eCodec, "e2e-compression", "none", "e2e: compression codec")
	flag.DurationVar(&o.childTimeout, "child-timeout", 10*time.Minute, "timeout of one client run")
	flag.StringVar(&o.venv, "venv", filepath.Join(home, ".cache", "kafka3-go", "bench-venv"), "virtualenv for kafka-python (created when missing)")
	flag.StringVar(&o.javaHeap, "java-heap", "512M", "-Xmx of the Java client (the Kafka perf scripts' own)")
	flag.StringVar(&o.out, "o", "", "also write the report to this file")
	flag.StringVar(&o.dir, "dir", ".", "the bench/compare directory")
	flag.Parse()
	o.clients = split(clients)
	o.scenarios = split(scenarios)
	o.compressions = split(codecs)
	for _, c := range o.clients {
		if _, ok := clientNames[c]; !ok {
			log.Fatalf("unknown client %q (have %s)", c, strings.Join(allClients, ", "))
		}
	}
	for _, s := range split(sizes) {
		n, b, ok := strings.Cut(s, "x")
		ni, err1 := strconv.Atoi(n)
		bi, err2 := strconv.Atoi(b)
		if !ok || err1 != nil || err2 != nil || ni <= 0 || bi < 8 {
			log.Fatalf("bad -sizes entry %q: want RECORDSxBYTES, BYTES >= 8", s)
		}
		o.sizes = append(o.sizes, size{ni, bi})
	}
	if o.brokers == "" {
		log.Fatal("no broker: set -brokers or KAFKA3_BROKERS (eval \"$(scripts/kafka env)\")")
	}
	if o.runs < 1 {
		o.runs = 1
	}
	return o
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func commandOutput(name string, args ...string) string {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
