package core_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/kafka3/kafka3-go/codecs/lz4"
	_ "github.com/kafka3/kafka3-go/codecs/zstd"
	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// fillTopic creates a topic of partitions partitions and produces n records
// of 100 bytes of word text with the given codec.
func fillTopic(tb testing.TB, codec string, partitions int32, n int) string {
	tb.Helper()
	topic := kafkatest.CreateTopic(tb, partitions, nil)
	p, err := core.NewProducer(core.ProducerConfig{Config: core.Config{BootstrapServers: kafkatest.Brokers(tb), Logger: quiet},
		Compression: codec})
	if err != nil {
		tb.Fatal(err)
	}
	defer p.Close(context.Background())
	words := []string{"kafka", "record", "offset", "partition", "broker", "topic", "leader", "fetch", "batch", "the", "of", "7", "ok"}
	vals := make([][]byte, 1024)
	for i := range vals {
		var v []byte
		for j := i; len(v) < 100; j = j*7 + 3 {
			v = append(v, words[j%len(words)]...)
			v = append(v, ' ')
		}
		vals[i] = v[:100]
	}
	ctx := context.Background()
	var failed atomic.Pointer[error]
	for i := range n {
		p.SendFunc(ctx, &core.Record{Topic: topic, Value: vals[i%len(vals)]}, func(_ core.RecordMetadata, err error) {
			if err != nil {
				failed.Store(&err)
			}
		})
	}
	if err := p.Flush(ctx); err != nil {
		tb.Fatal(err)
	}
	if e := failed.Load(); e != nil {
		tb.Fatal(*e)
	}
	return topic
}

// consumeAll reads n records from the beginning of topic's partitions.
func consumeAll(tb testing.TB, topic string, partitions int32, n int) {
	tb.Helper()
	c, err := core.NewConsumer(core.ConsumerConfig{Config: core.Config{BootstrapServers: kafkatest.Brokers(tb), Logger: quiet},
		AutoOffsetReset: core.ResetEarliest})
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	var tps []core.TopicPartition
	for i := range partitions {
		tps = append(tps, core.TopicPartition{Topic: topic, Partition: i})
	}
	if err := c.Assign(tps...); err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for got := 0; got < n; {
		f, err := c.Poll(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		got += f.NumRecords()
	}
}

// BenchmarkConsumeCompressed consumes 200k records of 100 B from the test
// broker per iteration, with a new consumer each time (as bench/compare
// does); with -cpuprofile it shows the consumer's decode path.
func BenchmarkConsumeCompressed(b *testing.B) {
	const n, parts = 200_000, 6
	for _, codec := range []string{"none", "lz4", "zstd"} {
		b.Run(codec, func(b *testing.B) {
			topic := fillTopic(b, codec, parts, n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				consumeAll(b, topic, parts, n)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rec/s")
		})
	}
}

// peakHeap runs f and returns the largest HeapInuse seen while it ran,
// sampled every few milliseconds.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	})
	f()
	close(stop)
	wg.Wait()
	return peak.Load()
}

// TestConsumeCompressedPeakHeap is the regression test for the consumer's
// memory blow-up on compressed topics (851 MiB peak RSS for 100k zstd
// records of 100 B in bench/compare, growing with the record count): the
// peak heap while consuming 300k records (30 MB of values) stays bounded.
func TestConsumeCompressedPeakHeap(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 0, 11, kafkatest.Idempotence)
	const n, parts = 300_000, 6
	for _, codec := range []string{"lz4", "zstd"} {
		t.Run(codec, func(t *testing.T) {
			if codec == "zstd" {
				kafkatest.SkipBrokerOlderThan(t, 2, 1, "zstd (KIP-110, Produce v7, Kafka 2.1)")
			}
			topic := fillTopic(t, codec, parts, n)
			peak := peakHeap(func() { consumeAll(t, topic, parts, n) })
			t.Logf("peak heap in use while consuming %d %s records: %d MiB", n, codec, peak>>20)
			if limit := uint64(160 << 20); peak > limit {
				t.Errorf("peak heap in use %s while consuming %d %s records of 100 B, want at most %s",
					mib(peak), n, codec, mib(limit))
			}
		})
	}
}

func mib(n uint64) string { return fmt.Sprintf("%d MiB", n>>20) }
