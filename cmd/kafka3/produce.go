package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kafka3/kafka3-go/core"
)

func runProduce(e *env, args []string) error {
	fs := e.newFlagSet("produce", "", `
Produce reads standard input line by line and sends each line as a record
of -topic, until the end of the input; then it waits for every record to be
acknowledged and prints how many were sent. With -key-separator, the text
before the first separator of a line is the record's key.

Keys and values are encoded by the serdes named by -key-serializer and
-serializer: string (as is), bytes, json (the line is a JSON document),
msgpack (the line is JSON, sent as MessagePack), int16, int32, int64,
float32, float64, bool, uuid, or Java's names (integer, long, ...).

Example:
  printf 'k1:hello\nk2:world\n' | kafka3 produce -topic t -key-separator : -header source=cli`)
	topic := fs.String("topic", "", "topic to send to (required)")
	keySep := fs.String("key-separator", "", "split each line into key and value at the first occurrence of this string")
	var headers kvFlag
	fs.Var(&headers, "header", "header `key=value` added to every record (repeatable)")
	codec := fs.String("codec", "", "compression: none, gzip, snappy, lz4 or zstd (default none)")
	valSerde := fs.String("serializer", "string", "serde of values")
	keySerde := fs.String("key-serializer", "string", "serde of keys")
	acks := fs.String("acks", "all", "acknowledgements: all, 1 or 0 (1 and 0 turn idempotence off)")
	partition := fs.Int("partition", -1, "send every record to this partition (default: by key hash, sticky without key)")
	maxLine := fs.Int("max-line-bytes", 1<<20, "longest line accepted")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *topic == "" {
		return usagef("-topic is required")
	}
	if fs.NArg() > 0 {
		return usagef("produce reads records from standard input; unexpected arguments %q", fs.Args())
	}
	vs, err := core.SerdeByName(*valSerde)
	if err != nil {
		return usagef("-serializer: %v (registered: %s)", err, strings.Join(core.Serdes(), ", "))
	}
	ks, err := core.SerdeByName(*keySerde)
	if err != nil {
		return usagef("-key-serializer: %v (registered: %s)", err, strings.Join(core.Serdes(), ", "))
	}
	var cfg core.ProducerConfig
	if err := e.configure(&cfg, &cfg.Config); err != nil {
		return err
	}
	if err := cfg.Acks.UnmarshalText([]byte(*acks)); err != nil {
		return usagef("-acks: %v", err)
	}
	cfg.DisableIdempotence = cfg.DisableIdempotence || cfg.Acks != core.AcksAll
	if *codec != "" {
		cfg.Compression = *codec
	}
	if *partition >= 0 {
		cfg.Partitioner = core.ManualPartitioner{}
	}
	p, err := core.NewProducer(cfg)
	if err != nil {
		return err
	}
	s := sender{p: p, e: e}
	err = s.sendLines(*topic, *keySep, int32(*partition), headers.pairs, ks, vs, *maxLine)
	ctx, cancel := e.withTimeout()
	defer cancel()
	if cerr := p.Close(ctx); err == nil && cerr != nil {
		err = fmt.Errorf("waiting for acknowledgements: %w", cerr)
	}
	if err == nil {
		err = s.firstErr()
	}
	fmt.Fprintf(e.stderr, "%d record(s) sent to %s, %d failed\n", s.acked.Load(), *topic, s.failed.Load())
	return err
}

// sender sends records and counts their results.
type sender struct {
	p             *core.Producer
	e             *env
	acked, failed atomic.Int64
	mu            sync.Mutex
	err           error
}

func (s *sender) done(_ core.RecordMetadata, err error) {
	if err == nil {
		s.acked.Add(1)
		return
	}
	s.failed.Add(1)
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
}

func (s *sender) firstErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// sendLines sends each line of standard input as a record.
func (s *sender) sendLines(topic, keySep string, partition int32, headers [][2]string, ks, vs core.AnySerde, maxLine int) error {
	sc := bufio.NewScanner(s.e.stdin)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	for n := 1; sc.Scan(); n++ {
		if err := s.firstErr(); err != nil {
			return err
		}
		r := &core.Record{Topic: topic, Partition: max(partition, 0)}
		for _, h := range headers {
			r.Headers = append(r.Headers, core.Header{Key: h[0], Value: []byte(h[1])})
		}
		line := sc.Text()
		var err error
		if keySep != "" {
			k, v, ok := strings.Cut(line, keySep)
			if !ok {
				return fmt.Errorf("line %d has no key separator %q", n, keySep)
			}
			if r.Key, err = ks.SerializeAny(topic, &r.Headers, k); err != nil {
				return fmt.Errorf("line %d: key: %w", n, err)
			}
			line = v
		}
		if r.Value, err = vs.SerializeAny(topic, &r.Headers, line); err != nil {
			return fmt.Errorf("line %d: value: %w", n, err)
		}
		s.p.SendFunc(s.e.ctx, r, s.done)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("reading standard input: a line is longer than -max-line-bytes %d", maxLine)
		}
		return fmt.Errorf("reading standard input: %w", err)
	}
	return nil
}
