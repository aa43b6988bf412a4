package main

import (
	"cmp"
	"context"
	"fmt"
	"log"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// runAll runs every scenario; within a run the clients take turns, in an
// order that rotates from run to run, so that drift on a shared machine
// spreads over all of them.
func (h *harness) runAll(ctx context.Context) {
	stamp := time.Now().Format("150405")
	for _, sc := range h.o.scenarios {
		switch sc {
		case "produce", "consume":
			for _, sz := range h.o.sizes {
				for _, codec := range h.o.compressions {
					h.runSized(ctx, sc, sz, codec, stamp)
				}
			}
		case "e2e":
			h.runE2E(ctx, stamp)
		default:
			log.Printf("unknown scenario %q skipped", sc)
		}
	}
}

// warmUp produces and consumes 1M records with the first Go client,
// unmeasured, over and over until o.warmFor has passed, taking the codecs
// in turn (the broker decompresses batches to validate them): a broker
// started just before would otherwise serve the first runs with code its
// JIT has not compiled yet (the first runs went at half the later speed).
func (h *harness) warmUp(ctx context.Context) {
	if h.o.warmFor <= 0 {
		return
	}
	client := ""
	for _, c := range h.o.clients {
		if _, ok := h.bins[c]; ok && h.broken[c] == "" {
			client = c
			break
		}
	}
	payloads, err := h.payloadFile(100)
	if client == "" || err != nil {
		log.Printf("warm-up skipped: no Go client to run it (%v)", err)
		return
	}
	start, rounds := time.Now(), 0
	for time.Since(start) < h.o.warmFor {
		codecs := h.o.compressions
		if len(codecs) == 0 {
			codecs = []string{"none"}
		}
		j := job{records: 1000000, size: 100, codec: codecs[rounds%len(codecs)], payloads: payloads,
			topic: fmt.Sprintf("bench-warmup-%s-%d", start.Format("150405"), rounds)}
		if err := h.freshTopic(ctx, j.topic); err != nil {
			log.Printf("warm-up stopped: %v", err)
			return
		}
		for _, mode := range []string{"produce", "consume"} {
			j.mode = mode
			if s := h.run(ctx, client, j); s.err != "" {
				log.Printf("warm-up %s with %s failed (the runs go on): %s", mode, client, s.err)
				h.deleteTopic(ctx, j.topic)
				return
			}
		}
		h.deleteTopic(ctx, j.topic)
		rounds++
	}
	log.Printf("warm-up: %d rounds of 1M records produced and consumed with %s in %v", rounds, clientNames[client], time.Since(start).Round(time.Second))
}

func (h *harness) runSized(ctx context.Context, sc string, sz size, codec, stamp string) {
	label := fmt.Sprintf("%s %s, %s", sc, sz, codec)
	payloads, err := h.payloadFile(sz.bytes)
	if err != nil {
		log.Printf("%s: %v", label, err)
		return
	}
	j := job{mode: sc, records: sz.n, size: sz.bytes, codec: codec, payloads: payloads}
	if sc == "consume" {
		j.topic = fmt.Sprintf("bench-consume-%d-%d-%s-%s", sz.n, sz.bytes, codec, stamp)
		log.Printf("%s: filling %s", label, j.topic)
		if err := h.freshTopic(ctx, j.topic); err != nil {
			log.Printf("%s: %v", label, err)
			return
		}
		defer h.deleteTopic(ctx, j.topic)
		if err := h.fill(ctx, j.topic, sz.n, payloads, codec); err != nil {
			log.Printf("%s: fill: %v", label, err)
			return
		}
	}
	for r := range h.o.runs {
		for _, c := range rotate(h.o.clients, r) {
			if sc == "produce" {
				j.topic = fmt.Sprintf("bench-produce-%s-%d-%d-%s-%s-%d", c, sz.n, sz.bytes, codec, stamp, r)
				if err := h.freshTopic(ctx, j.topic); err != nil {
					h.add(label, c, sample{err: err.Error()})
					continue
				}
			}
			s := h.run(ctx, c, j)
			if sc == "produce" {
				h.deleteTopic(ctx, j.topic)
			}
			h.add(label, c, s)
		}
	}
}

func (h *harness) runE2E(ctx context.Context, stamp string) {
	warm := int(float64(h.o.rate) * h.o.e2eWarmup.Seconds())
	n := warm + int(float64(h.o.rate)*h.o.e2eDuration.Seconds())
	label := fmt.Sprintf("e2e %d/s × %s, %d B, %s", h.o.rate, h.o.e2eDuration, h.o.e2eSize, h.o.e2eCodec)
	j := job{mode: "e2e", records: n, size: h.o.e2eSize, codec: h.o.e2eCodec, warmup: warm}
	for r := range h.o.runs {
		for _, c := range rotate(h.o.clients, r) {
			j.topic = fmt.Sprintf("bench-e2e-%s-%s-%d", c, stamp, r)
			if err := h.freshTopic(ctx, j.topic); err != nil {
				h.add(label, c, sample{err: err.Error()})
				continue
			}
			s := h.run(ctx, c, j)
			h.deleteTopic(ctx, j.topic)
			h.add(label, c, s)
		}
	}
}

func rotate(list []string, r int) []string {
	k := r % len(list)
	return append(slices.Clone(list[k:]), list[:k]...)
}

func (h *harness) add(label, client string, s sample) {
	k := key{label, client}
	if _, ok := h.samples[k]; !ok {
		h.order = append(h.order, k)
	}
	h.samples[k] = append(h.samples[k], s)
	if s.err != "" {
		log.Printf("%-32s %-20s FAILED: %s", label, clientNames[client], s.err)
		return
	}
	if s.p50 > 0 {
		log.Printf("%-32s %-20s p50 %.2f ms  p99 %.2f ms  cpu %.2fs  rss %d MiB", label, clientNames[client], s.p50, s.p99, s.cpu, s.rssKB>>10)
		return
	}
	log.Printf("%-32s %-20s %10.0f rec/s %7.1f MB/s  cpu %.2fs  rss %d MiB", label, clientNames[client],
		float64(s.records)/s.seconds, float64(s.bytes)/s.seconds/1e6, s.cpu, s.rssKB>>10)
}

// stats are the medians of one row's successful runs.
type stats struct {
	ok                      int
	recPerSec, mbPerSec     float64
	cpuPerM, rssMiB         float64
	p50, p99, p999          float64
	err                     string
	runs                    int
	minRecPerSec, maxRecSec float64
}

func summarize(ss []sample) stats {
	st := stats{runs: len(ss)}
	var rec, mb, cpu, rss, p50, p99, p999 []float64
	for _, s := range ss {
		if s.err != "" {
			st.err = s.err
			continue
		}
		st.ok++
		rec = append(rec, float64(s.records)/s.seconds)
		mb = append(mb, float64(s.bytes)/s.seconds/1e6)
		cpu = append(cpu, s.cpu/float64(s.records)*1e6)
		rss = append(rss, float64(s.rssKB)/1024)
		p50, p99, p999 = append(p50, s.p50), append(p99, s.p99), append(p999, s.p999)
	}
	if st.ok == 0 {
		return st
	}
	st.recPerSec, st.mbPerSec, st.cpuPerM, st.rssMiB = median(rec), median(mb), median(cpu), median(rss)
	st.p50, st.p99, st.p999 = median(p50), median(p99), median(p999)
	st.minRecPerSec, st.maxRecSec = slices.Min(rec), slices.Max(rec)
	return st
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// ratio is kafka3-go's value divided by this client's, the form of the
// issue's goals (throughput ≥ 1.2× franz-go's, CPU ≤ 0.8×, RSS ≤ 1.0×).
func ratio(k3, other float64, ok bool) string {
	if !ok || other == 0 || k3 == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", k3/other)
}

func (h *harness) report(started time.Time, took time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Results of %s\n\n", started.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "Command (in bench/compare): `go run . %s` (took %s)\n\n", strings.Join(os.Args[1:], " "), took.Round(time.Second))
	b.WriteString(machine(h.o))
	fmt.Fprintf(&b, "Settings for every client: acks=all, idempotence on where the client has it, linger %s, "+
		"batch size %d B per partition, buffer %d MiB, records without keys, one broker, a fresh topic of %d partitions "+
		"(replication 1) per produce and e2e run. %d run(s) per client and scenario; the tables show medians.\n\n",
		h.o.linger, h.o.batchSize, h.o.bufferBytes>>20, h.o.partitions, h.o.runs)
	if h.o.freshValues {
		b.WriteString("Values (-fresh-values): the Go clients send a new copy of a payload as each record's value; " +
			"Java and Python copy values into their buffers either way.\n\n")
	}
	fmt.Fprintf(&b, "CPU and peak RSS are the client process's own (getrusage through a small launcher; "+
		"the lowest peak RSS a process can show under it, /bin/true's, is %d MiB here). "+
		"CPU includes process start-up (the JVM's especially).\n\n", (h.floorKB+512)>>10)
	b.WriteString("Ratios are kafka3-go's value ÷ the client's: for rec/s above 1 means kafka3-go is faster; " +
		"for CPU and RSS below 1 means kafka3-go uses less.\n\n")

	var labels []string
	for _, k := range h.order {
		if !slices.Contains(labels, k.scenario) {
			labels = append(labels, k.scenario)
		}
	}
	for _, label := range labels {
		k3 := summarize(h.samples[key{label, "kafka3"}])
		e2e := strings.HasPrefix(label, "e2e")
		fmt.Fprintf(&b, "### %s\n\n", label)
		if e2e {
			b.WriteString("| client | p50 ms | p99 ms | p99.9 ms | CPU s / M rec | peak RSS MiB | p99 ratio | CPU ratio | RSS ratio | runs ok |\n")
			b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
		} else {
			b.WriteString("| client | records/s | MB/s | CPU s / M rec | peak RSS MiB | rec/s ratio | CPU ratio | RSS ratio | runs ok |\n")
			b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
		}
		for _, c := range h.o.clients {
			ss, ok := h.samples[key{label, c}]
			if !ok {
				continue
			}
			st := summarize(ss)
			if st.ok == 0 {
				fmt.Fprintf(&b, "| %s | failed: %s |\n", clientNames[c], oneLine(st.err))
				continue
			}
			k3ok := k3.ok > 0
			if e2e {
				fmt.Fprintf(&b, "| %s | %.2f | %.2f | %.2f | %.2f | %.0f | %s | %s | %s | %d/%d |\n", clientNames[c],
					st.p50, st.p99, st.p999, st.cpuPerM, st.rssMiB,
					ratio(k3.p99, st.p99, k3ok), ratio(k3.cpuPerM, st.cpuPerM, k3ok), ratio(k3.rssMiB, st.rssMiB, k3ok), st.ok, st.runs)
			} else {
				fmt.Fprintf(&b, "| %s | %.0f | %.1f | %.2f | %.0f | %s | %s | %s | %d/%d |\n", clientNames[c],
					st.recPerSec, st.mbPerSec, st.cpuPerM, st.rssMiB,
					ratio(k3.recPerSec, st.recPerSec, k3ok), ratio(k3.cpuPerM, st.cpuPerM, k3ok), ratio(k3.rssMiB, st.rssMiB, k3ok), st.ok, st.runs)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "|", "/")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// machine describes where the numbers come from.
func machine(o options) string {
	cpu, mem := "?", "?"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(data), "MemTotal: %d kB", &kb); err == nil {
			mem = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	java := firstLines(commandOutput("java", "-version"), 1)
	py := ""
	if out, err := exec.Command(o.venv+"/bin/python", "-c", "import kafka, sys; print(sys.version.split()[0], kafka.__version__)").Output(); err == nil {
		f := strings.Fields(string(out))
		if len(f) == 2 {
			py = fmt.Sprintf("Python %s, kafka-python %s", f[0], f[1])
		}
	}
	goVer := commandOutput("go", "env", "GOVERSION")
	rev := commandOutput("git", "-C", o.dir, "rev-parse", "--short", "HEAD")
	if rev == "" {
		rev = "unknown"
	} else if commandOutput("git", "-C", o.dir, "status", "--porcelain", "--", "../../core", "../../codecs") != "" {
		rev += " plus uncommitted changes in core/ or codecs/"
	}
	return fmt.Sprintf("kafka3-go at %s. Machine: %d CPUs (%s), %s memory, %s; Go %s; %s; %s; broker Kafka %s (JIT: %s) at %s (same machine).\n\n",
		rev, runtime.NumCPU(), cpu, mem, strings.TrimSpace(commandOutput("uname", "-sr")), goVer, java, py,
		os.Getenv("KAFKA3_KAFKA_VERSION"), cmp.Or(os.Getenv("KAFKA3_KAFKA_JIT"), "unknown"), o.brokers)
}
