package core_test

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/core/record"
)

// fakeBroker is a scripted one-broker cluster for the error paths a real
// broker cannot be made to take: it serves ApiVersions, Metadata (topic "t",
// one partition) and InitProducerId, and answers each Produce with the
// error code the script gives for that call (0: success).
type fakeBroker struct {
	ln     net.Listener
	script func(call int, b *record.Batch) int16

	mu      sync.Mutex
	batches []record.Batch // every Produce batch received, in order
	offset  int64
}

func newFakeBroker(t *testing.T, script func(call int, b *record.Batch) int16) *fakeBroker {
	f := &fakeBroker{script: script}
	f.ln = listenFake(t, f.answer)
	return f
}

func (f *fakeBroker) received() []record.Batch {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]record.Batch(nil), f.batches...)
}

func (f *fakeBroker) answer(req protocol.Request) protocol.Response {
	switch r := req.(type) {
	case *protocol.ApiVersionsRequest:
		resp := &protocol.ApiVersionsResponse{}
		resp.Default()
		resp.ApiKeys = []protocol.ApiVersionsResponseApiVersion{
			{ApiKey: 0, MinVersion: 3, MaxVersion: 9}, {ApiKey: 3, MinVersion: 0, MaxVersion: 12},
			{ApiKey: 18, MinVersion: 0, MaxVersion: 3}, {ApiKey: 22, MinVersion: 0, MaxVersion: 4}}
		return resp
	case *protocol.MetadataRequest:
		host, port, _ := net.SplitHostPort(f.ln.Addr().String())
		p, _ := strconv.Atoi(port)
		resp := &protocol.MetadataResponse{}
		resp.Default()
		resp.Brokers = []protocol.MetadataResponseBroker{{NodeId: 1, Host: host, Port: int32(p)}}
		resp.ControllerId = 1
		name := "t"
		resp.Topics = []protocol.MetadataResponseTopic{{Name: &name, TopicId: protocol.UUID{1},
			Partitions: []protocol.MetadataResponsePartition{{LeaderId: 1, ReplicaNodes: []int32{1}, IsrNodes: []int32{1}}}}}
		return resp
	case *protocol.InitProducerIdRequest:
		resp := &protocol.InitProducerIdResponse{}
		resp.Default()
		resp.ProducerId, resp.ProducerEpoch = 4242, 0
		return resp
	case *protocol.ProduceRequest:
		return f.produce(r)
	}
	return nil
}

func (f *fakeBroker) produce(r *protocol.ProduceRequest) protocol.Response {
	resp := &protocol.ProduceResponse{}
	resp.Default()
	for _, td := range r.TopicData {
		tr := protocol.ProduceResponseTopicProduceResponse{Name: td.Name}
		for _, pd := range td.PartitionData {
			var dec record.Decoder
			dec.Reset(td.Name, pd.Index, pd.Records)
			b, err := dec.Next()
			if err != nil {
				return nil
			}
			f.mu.Lock()
			call := len(f.batches)
			f.batches = append(f.batches, *b)
			code := f.script(call, b)
			pr := protocol.ProduceResponsePartitionProduceResponse{}
			pr.Default()
			pr.Index, pr.ErrorCode, pr.BaseOffset = pd.Index, code, -1
			if code == 0 {
				pr.BaseOffset = f.offset
				f.offset += int64(b.LastOffsetDelta) + 1
			}
			f.mu.Unlock()
			tr.PartitionResponses = append(tr.PartitionResponses, pr)
		}
		resp.Responses = append(resp.Responses, tr)
	}
	if r.Acks == 0 {
		return nil
	}
	return resp
}

func fakeProducer(t *testing.T, f *fakeBroker, cfg core.ProducerConfig) *core.Producer {
	cfg.BootstrapServers = []string{f.ln.Addr().String()}
	cfg.Logger = quiet
	cfg.RetryBackoff, cfg.RetryBackoffMax = 5*time.Millisecond, 20*time.Millisecond
	return newTestProducer(t, cfg)
}

func TestProducerFakeRetriableThenSuccess(t *testing.T) {
	t.Parallel()
	f := newFakeBroker(t, func(call int, _ *record.Batch) int16 {
		if call < 3 {
			return []int16{kerr.NotLeaderOrFollower.Code, kerr.NotEnoughReplicas.Code, kerr.RequestTimedOut.Code}[call]
		}
		return 0
	})
	p := fakeProducer(t, f, core.ProducerConfig{})
	md, err := p.SendSync(ctxTimeout(t, 10*time.Second), &core.Record{Topic: "t", Value: []byte("v")})
	if err != nil || md.Offset != 0 {
		t.Fatalf("SendSync: %+v, %v", md, err)
	}
	got := f.received()
	if len(got) != 4 {
		t.Fatalf("%d attempts, want 4", len(got))
	}
	for _, b := range got {
		if b.ProducerID != 4242 || b.ProducerEpoch != 0 || b.BaseSequence != 0 {
			t.Fatalf("a retry changed the batch's identity: %+v", b)
		}
	}
	if p.Metrics()["record-retry-total"] != 3 {
		t.Fatalf("record-retry-total %v, want 3", p.Metrics()["record-retry-total"])
	}
}

func TestProducerFakeDuplicateSequenceIsSuccess(t *testing.T) {
	t.Parallel()
	f := newFakeBroker(t, func(int, *record.Batch) int16 { return kerr.DuplicateSequenceNumber.Code })
	p := fakeProducer(t, f, core.ProducerConfig{})
	md, err := p.SendSync(ctxTimeout(t, 10*time.Second), &core.Record{Topic: "t", Value: []byte("v")})
	if err != nil || md.Offset != -1 {
		t.Fatalf("DUPLICATE_SEQUENCE_NUMBER: %+v, %v; want success with offset -1", md, err)
	}
}

func TestProducerFakeOutOfOrderBumpsEpoch(t *testing.T) {
	t.Parallel()
	f := newFakeBroker(t, func(call int, b *record.Batch) int16 {
		if call == 1 { // the second batch, sent alone: a real gap
			return kerr.OutOfOrderSequenceNumber.Code
		}
		return 0
	})
	p := fakeProducer(t, f, core.ProducerConfig{})
	ctx := ctxTimeout(t, 10*time.Second)
	for i := range 2 {
		if _, err := p.SendSync(ctx, &core.Record{Topic: "t", Value: []byte{byte(i)}}); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
	}
	got := f.received()
	if len(got) != 3 {
		t.Fatalf("%d batches, want 3", len(got))
	}
	// The first batch at epoch 0 seq 0; the second at seq 1, refused; then
	// resent after the epoch bump at epoch 1 with sequences from 0 again.
	want := [][2]int32{{0, 0}, {0, 1}, {1, 0}}
	for i, b := range got {
		if int32(b.ProducerEpoch) != want[i][0] || b.BaseSequence != want[i][1] || b.ProducerID != 4242 {
			t.Fatalf("batch %d: epoch %d seq %d, want %v", i, b.ProducerEpoch, b.BaseSequence, want[i])
		}
	}
}

func TestProducerFakeUnknownProducerIDBumpsEpoch(t *testing.T) {
	t.Parallel()
	f := newFakeBroker(t, func(call int, _ *record.Batch) int16 {
		if call == 0 {
			return kerr.UnknownProducerID.Code
		}
		return 0
	})
	p := fakeProducer(t, f, core.ProducerConfig{})
	if _, err := p.SendSync(ctxTimeout(t, 10*time.Second), &core.Record{Topic: "t", Value: []byte("v")}); err != nil {
		t.Fatal(err)
	}
	if got := f.received(); len(got) != 2 || got[1].ProducerEpoch != 1 || got[1].BaseSequence != 0 {
		t.Fatalf("after UNKNOWN_PRODUCER_ID: %+v, want a resend at epoch 1, seq 0", got)
	}
}

func TestProducerFakeDeliveryTimeout(t *testing.T) {
	t.Parallel()
	f := newFakeBroker(t, func(int, *record.Batch) int16 { return kerr.NotEnoughReplicas.Code })
	p := fakeProducer(t, f, core.ProducerConfig{DeliveryTimeout: 300 * time.Millisecond})
	start := time.Now()
	_, err := p.SendSync(ctxTimeout(t, 10*time.Second), &core.Record{Topic: "t", Value: []byte("v")})
	if err == nil || !errors.Is(err, kerr.NotEnoughReplicas) || !strings.Contains(err.Error(), "DeliveryTimeout") {
		t.Fatalf("err %v, want a delivery timeout naming NOT_ENOUGH_REPLICAS", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("failed after %v, DeliveryTimeout is 300ms", d)
	}
}

func TestProducerFakeFatalErrorFailsAtOnce(t *testing.T) {
	t.Parallel()
	f := newFakeBroker(t, func(int, *record.Batch) int16 { return kerr.InvalidRecord.Code })
	p := fakeProducer(t, f, core.ProducerConfig{})
	_, err := p.SendSync(ctxTimeout(t, 10*time.Second), &core.Record{Topic: "t", Value: []byte("v")})
	if !errors.Is(err, kerr.InvalidRecord) || len(f.received()) != 1 {
		t.Fatalf("err %v after %d attempts, want INVALID_RECORD after 1", err, len(f.received()))
	}
}

func TestProducerFakeAcksZero(t *testing.T) {
	t.Parallel()
	f := newFakeBroker(t, func(int, *record.Batch) int16 { return 0 })
	p := fakeProducer(t, f, core.ProducerConfig{Acks: core.AcksNone, DisableIdempotence: true})
	md, err := p.SendSync(ctxTimeout(t, 10*time.Second), &core.Record{Topic: "t", Value: []byte("v")})
	if err != nil || md.Offset != -1 {
		t.Fatalf("acks=0: %+v, %v", md, err)
	}
	for start := time.Now(); len(f.received()) == 0 && time.Since(start) < 5*time.Second; {
		time.Sleep(5 * time.Millisecond) // acks=0: done once written, maybe before the broker read it
	}
	if b := f.received(); len(b) != 1 || b[0].ProducerID != -1 || b[0].BaseSequence != -1 {
		t.Fatalf("acks=0 batches %+v, want one without producer id", b)
	}
}

func TestNewProducerListsAllProblems(t *testing.T) {
	t.Parallel()
	_, err := core.NewProducer(core.ProducerConfig{Acks: core.AcksLeader, Compression: "nope", BatchSize: -1})
	var ce *core.ConfigError
	if !errors.As(err, &ce) || len(ce.Problems) < 4 {
		t.Fatalf("err %v, want a ConfigError with every problem", err)
	}
	for _, cfg := range []core.ProducerConfig{
		{TransactionalID: "tx", DisableIdempotence: true},
		{TransactionalID: "tx", Acks: core.AcksLeader},
		{TransactionalID: "tx", TransactionTimeout: -time.Second},
		{BatchSize: 64 << 20}, // over the default BufferMemory
	} {
		cfg.BootstrapServers = []string{"x:1"}
		if _, err := core.NewProducer(cfg); !errors.As(err, &ce) {
			t.Fatalf("config %+v: %v, want a ConfigError", cfg, err)
		}
	}
	p, err := core.NewProducer(core.ProducerConfig{Config: core.Config{BootstrapServers: []string{"x:1"}}, TransactionalID: "tx"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctxTimeout(t, 10*time.Second))
	if st, _ := p.TransactionState(); st != core.TxnUninitialized {
		t.Fatalf("new transactional producer in state %v", st)
	}
}
