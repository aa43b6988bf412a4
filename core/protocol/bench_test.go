package protocol

import (
	"fmt"
	"testing"
)

var partitionCounts = []int{1, 10, 100}

func benchProduceRequest(partitions int) *ProduceRequest {
	records := make([]byte, 1024)
	parts := make([]ProduceRequestPartitionProduceData, partitions)
	for i := range parts {
		parts[i] = ProduceRequestPartitionProduceData{Index: int32(i), Records: records}
	}
	return &ProduceRequest{Acks: -1, TimeoutMs: 30000,
		TopicData: []ProduceRequestTopicProduceData{{Name: "bench-topic", PartitionData: parts}}}
}

func benchFetchResponse(partitions int, version int16) []byte {
	records := make([]byte, 1024)
	parts := make([]FetchResponsePartitionData, partitions)
	for i := range parts {
		p := &parts[i]
		p.Default()
		p.PartitionIndex, p.HighWatermark, p.LastStableOffset = int32(i), 1000, 1000
		p.AbortedTransactions = nil
		p.Records = records
	}
	resp := &FetchResponse{Responses: []FetchResponseFetchableTopicResponse{{
		Topic: "bench-topic", TopicId: UUID{1}, Partitions: parts}}}
	return resp.AppendTo(nil, version)
}

// BenchmarkProduceRequestEncode encodes into a reused buffer: no allocation
// whatever the partition count.
func BenchmarkProduceRequestEncode(b *testing.B) {
	for _, n := range partitionCounts {
		for _, v := range []int16{8, 12} {
			b.Run(fmt.Sprintf("v%d/partitions=%d", v, n), func(b *testing.B) {
				req := benchProduceRequest(n)
				dst := req.AppendTo(nil, v)
				b.SetBytes(int64(len(dst)))
				b.ReportAllocs()
				for b.Loop() {
					dst = req.AppendTo(dst[:0], v)
				}
			})
		}
	}
}

// BenchmarkFetchResponseDecode decodes a fetch response of one topic:
// into a new value (a fixed number of allocations per topic: the topics,
// the topic name and the partitions) and into a reused one.
func BenchmarkFetchResponseDecode(b *testing.B) {
	for _, n := range partitionCounts {
		for _, v := range []int16{11, 16} {
			body := benchFetchResponse(n, v)
			b.Run(fmt.Sprintf("v%d/partitions=%d/new", v, n), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					var resp FetchResponse
					if err := resp.Decode(body, v); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("v%d/partitions=%d/reused", v, n), func(b *testing.B) {
				var resp FetchResponse
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					if err := resp.Decode(body, v); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestAllocationBounds pins the allocation counts that the benchmarks show.
func TestAllocationBounds(t *testing.T) {
	for _, n := range partitionCounts {
		req := benchProduceRequest(n)
		dst := req.AppendTo(nil, 12)
		if a := testing.AllocsPerRun(20, func() { dst = req.AppendTo(dst[:0], 12) }); a != 0 {
			t.Errorf("ProduceRequest encode, %d partitions: %v allocations, want 0", n, a)
		}
		body := benchFetchResponse(n, 16)
		var reused FetchResponse
		if a := testing.AllocsPerRun(20, func() { _ = reused.Decode(body, 16) }); a > 1 {
			t.Errorf("FetchResponse decode into a reused value, %d partitions: %v allocations, want <= 1", n, a)
		}
		if a := testing.AllocsPerRun(20, func() {
			var resp FetchResponse
			_ = resp.Decode(body, 16)
		}); a > 4 {
			t.Errorf("FetchResponse decode, %d partitions: %v allocations, want <= 4", n, a)
		}
	}
}
