package core

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

// Vectors from Kafka's UtilsTest.testMurmur2, librdkafka's rdmurmur2 unit
// test (verified there against Java) and hashes of Java's Utils.murmur2
// quoted by other Java-compatible ports.
func TestMurmur2JavaVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key  string
		want int32
	}{
		{"21", -973932308},
		{"foobar", -790332482},
		{"a-little-bit-long-string", -985981536},
		{"a-little-bit-longer-string", -1486304829},
		{"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
		{"abc", 479470107},
		{"kafka", -798503068}, // 0xd067cf64
		{"1", -1993445489},
		{"12", 126087238},
		{"123", -267702483},
		{"1234", -1614185708},
		{"12345", -1188365604},
	}
	for _, tt := range tests {
		if got := Murmur2([]byte(tt.key)); got != tt.want {
			t.Errorf("Murmur2(%q) = %d, want %d", tt.key, got, tt.want)
		}
	}
	if Murmur2(nil) != Murmur2([]byte{}) {
		t.Error("Murmur2(nil) != Murmur2(empty)")
	}
}

func TestKeyPartition(t *testing.T) {
	t.Parallel()
	// toPositive(-973932308) = -973932308 + 2^31 = 1173551340.
	if got, want := KeyPartition([]byte("21"), 7), int32(1173551340%7); got != want {
		t.Errorf("KeyPartition(21, 7) = %d, want %d", got, want)
	}
	for _, key := range []string{"", "a", "foobar", "kafka", "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"} {
		h := Murmur2([]byte(key))
		for _, n := range []int32{1, 3, 12, 100} {
			got := KeyPartition([]byte(key), n)
			if want := (h & 0x7fffffff) % n; got != want || got < 0 || got >= n {
				t.Errorf("KeyPartition(%q, %d) = %d, want %d", key, n, got, want)
			}
		}
	}
}

func TestDefaultPartitionerKeyed(t *testing.T) {
	t.Parallel()
	d := NewDefaultPartitioner(100)
	p := PartitionSet{Count: 12, Available: []int32{3}} // keys ignore availability
	r := &Record{Topic: "t", Key: []byte("foobar")}
	if got, want := d.Partition(r, p), KeyPartition(r.Key, 12); got != want {
		t.Errorf("keyed: got %d, want %d", got, want)
	}
	r.Key = []byte{} // an empty key is hashed, not sticky
	if got, want := d.Partition(r, p), KeyPartition(nil, 12); got != want {
		t.Errorf("empty key: got %d, want %d", got, want)
	}
}

func TestStickySwitchesAfterBatchSize(t *testing.T) {
	t.Parallel()
	for _, part := range []Partitioner{NewStickyPartitioner(100), NewDefaultPartitioner(100)} {
		obs := part.(AppendObserver)
		r := &Record{Topic: "t"}
		p := PartitionSet{Count: 5}
		first := part.Partition(r, p)
		for range 3 { // 99 bytes: still the same partition
			if got := part.Partition(r, p); got != first {
				t.Fatalf("%T moved from %d to %d before a batch", part, first, got)
			}
			obs.OnAppend(r, first, 33)
		}
		if got := part.Partition(r, p); got != first {
			t.Fatalf("%T moved at 99 bytes", part)
		}
		obs.OnAppend(&Record{Topic: "t", Key: []byte("k")}, first, 50) // keyed: counted only by Sticky
		obs.OnAppend(r, first+1, 500)                                  // other partition: ignored
		obs.OnAppend(r, first, 1)
		if got := part.Partition(r, p); got == first {
			t.Errorf("%T stayed on %d after 100 bytes", part, first)
		}
	}
}

func TestStickyPrefersAvailable(t *testing.T) {
	t.Parallel()
	s := new(StickyPartitioner) // zero value works
	r := &Record{Topic: "t"}
	for i := range 200 {
		got := s.Partition(r, PartitionSet{Count: 10, Available: []int32{2, 7}})
		if got != 2 && got != 7 {
			t.Fatalf("call %d: partition %d is not available", i, got)
		}
		s.OnAppend(r, got, defaultBatchSize)
	}
	// The sticky partition loses its leader: switch at once.
	cur := s.Partition(r, PartitionSet{Count: 10, Available: []int32{2}})
	if cur != 2 {
		t.Fatalf("got %d, want the only available partition 2", cur)
	}
	if got := s.Partition(r, PartitionSet{Count: 10, Available: []int32{7}}); got != 7 {
		t.Errorf("got %d after 2 became unavailable, want 7", got)
	}
}

func TestStickySpreadsOverPartitions(t *testing.T) {
	t.Parallel()
	s := NewStickyPartitioner(10)
	r := &Record{Topic: "t"}
	p := PartitionSet{Count: 4}
	counts := make([]int, 4)
	prev := int32(-1)
	for range 4000 {
		got := s.Partition(r, p)
		if got == prev {
			t.Fatalf("switched to the same partition %d", got)
		}
		counts[got]++
		s.OnAppend(r, got, 10)
		prev = got
	}
	for i, c := range counts {
		if c < 800 || c > 1200 {
			t.Errorf("partition %d chosen %d times of 4000", i, c)
		}
	}
}

func TestRoundRobinPartitioner(t *testing.T) {
	t.Parallel()
	var rr RoundRobinPartitioner
	a, b := &Record{Topic: "a", Key: []byte("k")}, &Record{Topic: "b"}
	for i := range 7 {
		if got, want := rr.Partition(a, PartitionSet{Count: 3}), int32(i%3); got != want {
			t.Errorf("a call %d: got %d, want %d", i, got, want)
		}
	}
	avail := PartitionSet{Count: 10, Available: []int32{1, 5, 9}}
	for i, want := range []int32{1, 5, 9, 1} { // each topic has its own cycle
		if got := rr.Partition(b, avail); got != want {
			t.Errorf("b call %d: got %d, want %d", i, got, want)
		}
	}
}

func TestHashAndManualPartitioners(t *testing.T) {
	t.Parallel()
	p := PartitionSet{Count: 6}
	r := &Record{Topic: "t", Partition: 4}
	if got, want := (HashPartitioner{}).Partition(r, p), KeyPartition(nil, 6); got != want {
		t.Errorf("hash of nil key: got %d, want %d", got, want)
	}
	r.Key = []byte("kafka")
	if got, want := (HashPartitioner{}).Partition(r, p), KeyPartition(r.Key, 6); got != want {
		t.Errorf("hash: got %d, want %d", got, want)
	}
	if got := (ManualPartitioner{}).Partition(r, p); got != 4 {
		t.Errorf("manual: got %d, want 4", got)
	}
}

func TestPartitionersConcurrent(t *testing.T) {
	t.Parallel()
	parts := []Partitioner{NewDefaultPartitioner(50), NewStickyPartitioner(50), NewRoundRobinPartitioner()}
	var wg sync.WaitGroup
	for _, part := range parts {
		for g := range 8 {
			wg.Go(func() {
				r := &Record{Topic: string(rune('a' + g%3))}
				p := PartitionSet{Count: 7, Available: []int32{0, 2, 4, 6}}
				for range 2000 {
					got := part.Partition(r, p)
					if !p.available(got) {
						t.Errorf("%T returned unavailable partition %d", part, got)
						return
					}
					if o, ok := part.(AppendObserver); ok {
						o.OnAppend(r, got, 10)
					}
				}
			})
		}
	}
	wg.Wait()
}

func TestPartitionersDoNotAllocate(t *testing.T) {
	r := &Record{Topic: "t", Key: []byte("key")}
	kl := &Record{Topic: "t"}
	p := PartitionSet{Count: 12, Available: []int32{1, 2, 3}}
	d, rr := NewDefaultPartitioner(100), NewRoundRobinPartitioner()
	d.Partition(kl, p)
	rr.Partition(r, p)
	allocs := testing.AllocsPerRun(100, func() {
		d.Partition(r, p)
		d.OnAppend(kl, d.Partition(kl, p), 30)
		rr.Partition(r, p)
		HashPartitioner{}.Partition(r, p)
	})
	if allocs != 0 {
		t.Errorf("partitioners allocate %v times per call", allocs)
	}
}

func BenchmarkMurmur2(b *testing.B) {
	key := []byte("user-1234567890-session")
	b.ReportAllocs()
	b.SetBytes(int64(len(key)))
	for b.Loop() {
		Murmur2(key)
	}
}

func BenchmarkDefaultPartitioner(b *testing.B) {
	keyed := &Record{Topic: "orders", Key: []byte("user-1234567890")}
	keyless := &Record{Topic: "orders"}
	p := PartitionSet{Count: 12}
	d := NewDefaultPartitioner(16384)
	b.Run("keyed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d.Partition(keyed, p)
		}
	})
	b.Run("keyless", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				d.OnAppend(keyless, d.Partition(keyless, p), 100)
			}
		})
	})
}

func BenchmarkRoundRobinPartitioner(b *testing.B) {
	r := &Record{Topic: "orders"}
	p := PartitionSet{Count: 12}
	rr := NewRoundRobinPartitioner()
	b.ReportAllocs()
	for b.Loop() {
		rr.Partition(r, p)
	}
}

// Keys map to partitions exactly as in Java's producer.
func ExampleKeyPartition() {
	fmt.Println(Murmur2([]byte("21")), KeyPartition([]byte("21"), 6))
	// Output: -973932308 0
}

// A producer asks the partitioner for each record and reports appends.
func ExampleDefaultPartitioner() {
	p := NewDefaultPartitioner(16384) // ProducerConfig.BatchSize
	parts := PartitionSet{Count: 6}
	keyed := &Record{Topic: "orders", Key: []byte("21")}
	fmt.Println(p.Partition(keyed, parts))

	keyless := &Record{Topic: "orders", Value: []byte("v")}
	first := p.Partition(keyless, parts)
	p.OnAppend(keyless, first, 100) // after appending it to the batch
	fmt.Println(p.Partition(keyless, parts) == first)
	// Output:
	// 0
	// true
}

func TestTopicMapKeepsEachTopicsState(t *testing.T) {
	var m topicMap[int]
	a, b := m.get("a"), m.get("b")
	*a, *b = 1, 2
	for range 2 {
		if got := m.lookup("a"); got != a || *got != 1 {
			t.Fatalf("lookup(a) = %p (%v), want %p", got, got, a)
		}
		if got := m.get("b"); got != b || *got != 2 {
			t.Fatalf("get(b) = %p, want %p", got, b)
		}
	}
	if got := m.lookup("c"); got != nil {
		t.Fatalf("lookup(c) = %v, want nil", got)
	}
}

func TestTopicMapAddRunsInitOnce(t *testing.T) {
	var m topicMap[int]
	inits := 0
	init := func(v *int) { inits++; *v = 7 }
	a := m.add("a", init)
	if again := m.add("a", init); again != a || *a != 7 || inits != 1 {
		t.Fatalf("add twice: %p then %p, value %d, %d inits; want one state set up once", a, again, *a, inits)
	}
	m.get("b")
	var names []string
	m.locked(func(topics map[string]*topicEntry[int]) {
		for name := range topics {
			names = append(names, name)
		}
	})
	if slices.Sort(names); !slices.Equal(names, []string{"a", "b"}) || len(m.snapshot()) != 2 {
		t.Fatalf("topics %v, snapshot of %d", names, len(m.snapshot()))
	}
}
