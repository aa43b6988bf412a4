package core_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/core/record"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// newTestProducer returns a producer for the test broker, closed at the end.
func newTestProducer(t *testing.T, cfg core.ProducerConfig) *core.Producer {
	t.Helper()
	if cfg.BootstrapServers == nil {
		cfg.BootstrapServers = kafkatest.Brokers(t)
	}
	p, err := core.NewProducer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = p.Close(ctx)
	})
	return p
}

// readBack fetches every record of topic's partitions with a low-level
// client (not the Consumer), in offset order, until want records are read
// or the timeout passes.
func readBack(t *testing.T, topic string, partitions int32, want int) map[int32][]core.Record {
	t.Helper()
	c := kafkatest.Client(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	mreq := &protocol.MetadataRequest{}
	mreq.Default()
	mreq.Topics = []protocol.MetadataRequestTopic{{Name: &topic}}
	mresp, err := c.Request(ctx, mreq)
	if err != nil {
		t.Fatal(err)
	}
	mt := mresp.(*protocol.MetadataResponse).Topics[0]
	out := map[int32][]core.Record{}
	offsets := make([]int64, partitions)
	total := 0
	dec := record.Decoder{Codecs: core.CodecByID}
	for total < want && ctx.Err() == nil {
		progress := false
		for _, pm := range mt.Partitions {
			freq := &protocol.FetchRequest{}
			freq.Default()
			freq.MaxWaitMs, freq.MaxBytes = 100, 16<<20
			fp := protocol.FetchRequestFetchPartition{}
			fp.Default()
			fp.Partition, fp.FetchOffset, fp.PartitionMaxBytes = pm.PartitionIndex, offsets[pm.PartitionIndex], 8<<20
			freq.Topics = []protocol.FetchRequestFetchTopic{{Topic: topic, TopicId: mt.TopicId, Partitions: []protocol.FetchRequestFetchPartition{fp}}}
			resp, err := c.RequestTo(ctx, pm.LeaderId, freq)
			if err != nil {
				t.Fatal(err)
			}
			pd := resp.(*protocol.FetchResponse).Responses[0].Partitions[0]
			if err := kerr.ForCode(pd.ErrorCode); kerr.IsRetriable(err) {
				continue // e.g. a leader not ready right after the topic's creation
			}
			if pd.ErrorCode != 0 {
				t.Fatalf("fetch %s/%d: %v", topic, pm.PartitionIndex, kerr.ForCode(pd.ErrorCode))
			}
			dec.Reset(topic, pm.PartitionIndex, pd.Records)
			for {
				b, err := dec.Next()
				if err == io.EOF || b == nil {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				recs, err := dec.AppendRecords(nil, b)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range recs {
					if r.Offset < offsets[pm.PartitionIndex] {
						continue
					}
					out[pm.PartitionIndex] = append(out[pm.PartitionIndex], r.Clone())
					offsets[pm.PartitionIndex] = r.Offset + 1
					total++
					progress = true
				}
			}
		}
		if !progress {
			time.Sleep(50 * time.Millisecond)
		}
	}
	if total != want {
		t.Fatalf("read %d records back from %s, want %d", total, topic, want)
	}
	return out
}

// checkNoLeaks fails if goroutines started during the test are still
// running a little after it (the producer's must all be gone after Close).
func checkNoLeaks(t *testing.T) func() {
	before := runtime.NumGoroutine()
	return func() {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines before, %d after Close:\n%s", before, n, buf[:runtime.Stack(buf, true)])
		}
	}
}

// proxy is a TCP proxy to one address whose connections can all be cut
// at once, or frozen (bytes stop flowing) to black-hole the broker.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	frozen bool
	cuts   int
}

func newProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	go p.accept()
	t.Cleanup(func() { ln.Close(); p.cut() })
	return p
}

// Transport dials the proxy whatever address the client asks for.
func (p *proxy) Transport() core.Transport {
	return core.TransportFunc(func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, p.ln.Addr().String())
	})
}

func (p *proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go p.pipe(c, up)
		go p.pipe(up, c)
	}
}

func (p *proxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		for {
			p.mu.Lock()
			frozen := p.frozen
			p.mu.Unlock()
			if !frozen {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				src.Close()
				return
			}
		}
		if err != nil {
			dst.Close()
			return
		}
	}
}

// cut closes every connection through the proxy.
func (p *proxy) cut() {
	p.mu.Lock()
	conns := p.conns
	p.conns = nil
	p.cuts++
	p.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

func (p *proxy) freeze(on bool) {
	p.mu.Lock()
	p.frozen = on
	p.mu.Unlock()
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func value(g, i int) []byte { return fmt.Appendf(nil, "g%02d-%07d", g, i) }
