package reliability

import (
	"encoding/binary"
	"sync"
	"time"

	"github.com/kafka3/kafka3-go/core/protocol"
	krecord "github.com/kafka3/kafka3-go/core/record"
)

// partitionLog is the fake broker's partition t/0: a list of record
// batches, one offset each, appended by Produce (deduplicated by producer
// sequence, as a broker does for an idempotent producer) and read by Fetch.
type partitionLog struct {
	mu      sync.Mutex
	batches [][]byte // batch i holds offset i (one record)
	nextSeq int32    // the sequence the next new Produce batch must carry
	offsets []int64  // by sequence: the offset its batch was appended at
}

// len is the number of records (and batches) in l.
func (l *partitionLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.batches)
}

// fill appends n batches of one record each, whose values are value(i).
func (l *partitionLog) fill(n int, value func(i int) []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b krecord.Builder
	for i := range n {
		b.Reset()
		b.Append(&krecord.Record{Value: value(i), Timestamp: time.Now()})
		p := krecord.NoProducer()
		p.BaseOffset = int64(len(l.batches))
		batch, err := b.Batch(&p)
		if err != nil {
			return err
		}
		l.batches = append(l.batches, append([]byte(nil), batch...))
	}
	return nil
}

// Offsets in a RecordBatch v2 header.
const (
	batchBaseSequenceAt = 53
	batchCountAt        = 57
	batchHeaderLen      = 61
)

// produce appends each partition's batch, one offset per record, or
// answers with the offset it already has for a batch sent again (same
// base sequence), as a broker answers a retried idempotent batch. A batch
// with a sequence beyond the next expected is refused
// (OUT_OF_ORDER_SEQUENCE_NUMBER), as are batches this log cannot take
// (anything but one uncompressed v2 batch per partition: CORRUPT_MESSAGE).
func (l *partitionLog) produce(r *protocol.ProduceRequest) protocol.Response {
	l.mu.Lock()
	defer l.mu.Unlock()
	resp := &protocol.ProduceResponse{}
	resp.Default()
	for _, t := range r.TopicData {
		rt := protocol.ProduceResponseTopicProduceResponse{Name: t.Name, TopicId: t.TopicId}
		for _, p := range t.PartitionData {
			pr := protocol.ProduceResponsePartitionProduceResponse{}
			pr.Default()
			pr.Index = p.Index
			pr.BaseOffset, pr.ErrorCode = l.appendLocked(p.Records)
			rt.PartitionResponses = append(rt.PartitionResponses, pr)
		}
		resp.Responses = append(resp.Responses, rt)
	}
	return resp
}

// appendLocked appends one batch of records and returns its base offset,
// or an error code.
func (l *partitionLog) appendLocked(batch []byte) (int64, int16) {
	const corruptMessage, outOfOrderSequence = 2, 45
	if len(batch) < batchHeaderLen || int(binary.BigEndian.Uint32(batch[8:]))+12 != len(batch) {
		return -1, corruptMessage
	}
	seq := int32(binary.BigEndian.Uint32(batch[batchBaseSequenceAt:]))
	count := int32(binary.BigEndian.Uint32(batch[batchCountAt:]))
	switch {
	case seq < l.nextSeq:
		return l.offsets[seq], 0 // a retry of a batch already appended
	case seq > l.nextSeq:
		return -1, outOfOrderSequence
	}
	var dec krecord.Decoder
	dec.Reset("t", 0, batch)
	hdr, err := dec.Next()
	if err != nil {
		return -1, corruptMessage
	}
	recs, err := dec.AppendRecords(nil, hdr)
	if err != nil || int32(len(recs)) != count {
		return -1, corruptMessage
	}
	base := int64(len(l.batches))
	var b krecord.Builder
	for _, rec := range recs {
		b.Reset()
		b.Append(&krecord.Record{Value: rec.Value, Timestamp: rec.Timestamp})
		p := krecord.NoProducer()
		p.BaseOffset = int64(len(l.batches))
		one, err := b.Batch(&p)
		if err != nil {
			return -1, corruptMessage
		}
		l.batches = append(l.batches, append([]byte(nil), one...))
	}
	for range count {
		l.offsets = append(l.offsets, base)
	}
	l.nextSeq += count
	return base, 0
}

// fetch returns up to 20 batches from the fetch offset of partition 0, or,
// when there is none, holds the fetch up to its MaxWait (at most 200 ms)
// as a broker does and returns nothing.
func (l *partitionLog) fetch(r *protocol.FetchRequest) protocol.Response {
	l.mu.Lock()
	hw := int64(len(l.batches))
	l.mu.Unlock()
	resp := &protocol.FetchResponse{}
	resp.Default()
	held := false
	for _, t := range r.Topics {
		rt := protocol.FetchResponseFetchableTopicResponse{Topic: t.Topic, TopicId: t.TopicId}
		for _, p := range t.Partitions {
			pd := protocol.FetchResponsePartitionData{}
			pd.Default()
			pd.PartitionIndex, pd.HighWatermark, pd.LastStableOffset, pd.LogStartOffset = p.Partition, hw, hw, 0
			if p.Partition == 0 && p.FetchOffset >= 0 && p.FetchOffset < hw {
				l.mu.Lock()
				for _, b := range l.batches[p.FetchOffset:min(hw, p.FetchOffset+20)] {
					pd.Records = append(pd.Records, b...)
				}
				l.mu.Unlock()
			}
			held = held || len(pd.Records) > 0
			rt.Partitions = append(rt.Partitions, pd)
		}
		resp.Responses = append(resp.Responses, rt)
	}
	if !held {
		time.Sleep(min(time.Duration(r.MaxWaitMs)*time.Millisecond, 200*time.Millisecond))
	}
	return resp
}
