package cluster

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/kafka3/kafka3-go/core/protocol"
)

// TestAppendProduceMatchesAppendTo holds the produce encoder, which leaves
// large record batches out of the body, to the generated encoder: with the
// Inserts put back in place, the bytes must be the same at every version.
func TestAppendProduceMatchesAppendTo(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var req protocol.ProduceRequest
	for version := req.MinVersion(); version <= req.MaxVersion(); version++ {
		for round := range 20 {
			req = randomProduce(rng, round%2 == 0)
			want := req.AppendTo(nil, version)
			body, ins := appendProduce([]byte("junk")[:0], nil, &req, version)
			large := 0
			for _, pd := range allPartitions(&req) {
				if len(pd.Records) >= insertMin {
					large++
				}
			}
			if len(ins) != large {
				t.Fatalf("v%d: %d inserts for %d large batches", version, len(ins), large)
			}
			var got []byte
			at := 0
			for _, in := range ins {
				got = append(append(got, body[at:in.At]...), in.Bytes...)
				at = in.At
			}
			got = append(got, body[at:]...)
			if !bytes.Equal(got, want) {
				t.Fatalf("v%d round %d: encodings differ (%d vs %d bytes)", version, round, len(got), len(want))
			}
		}
	}
}

func randomProduce(rng *rand.Rand, txn bool) protocol.ProduceRequest {
	req := protocol.ProduceRequest{Acks: -1, TimeoutMs: 30000}
	if txn {
		id := "txn-1"
		req.TransactionalId = &id
	}
	sizes := []int{0, 1, insertMin - 1, insertMin, 5000, 70000}
	for ti := range rng.IntN(3) + 1 {
		td := protocol.ProduceRequestTopicProduceData{Name: "topic-" + string(rune('a'+ti))}
		td.TopicId[0], td.TopicId[15] = byte(ti+1), 0x7f
		for pi := range rng.IntN(4) + 1 {
			pd := protocol.ProduceRequestPartitionProduceData{Index: int32(pi)}
			if n := sizes[rng.IntN(len(sizes))]; n > 0 || rng.IntN(2) == 0 {
				pd.Records = bytes.Repeat([]byte{byte(pi + 1)}, n)
			}
			if rng.IntN(4) == 0 {
				pd.UnknownTaggedFields = protocol.TaggedFields{{Tag: 9, Data: []byte("x")}}
			}
			td.PartitionData = append(td.PartitionData, pd)
		}
		if rng.IntN(3) == 0 {
			td.UnknownTaggedFields = protocol.TaggedFields{{Tag: 5, Data: []byte("topic")}}
		}
		req.TopicData = append(req.TopicData, td)
	}
	if rng.IntN(3) == 0 {
		req.UnknownTaggedFields = protocol.TaggedFields{{Tag: 3, Data: []byte("req")}}
	}
	return req
}

func allPartitions(req *protocol.ProduceRequest) []protocol.ProduceRequestPartitionProduceData {
	var all []protocol.ProduceRequestPartitionProduceData
	for _, td := range req.TopicData {
		all = append(all, td.PartitionData...)
	}
	return all
}
