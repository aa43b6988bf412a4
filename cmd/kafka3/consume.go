package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kafka3/kafka3-go/core"
)

func runConsume(e *env, args []string) error {
	fs := e.newFlagSet("consume", "", `
Consume prints the records of -topic (all its partitions, or -partition)
as they arrive: by default those produced from now on; with -from-beginning
everything; with -offset or -time from there. It stops after -max-messages
records, after -idle without a record, or on Ctrl-C.

-format text prints each value on a line, preceded by the fields -print
names, tab-separated; -format json prints one JSON object per record with
topic, partition, offset, timestamp, key, value and headers.

With -group the consumer joins that consumer group, which assigns the
partitions; it starts where the group left off (at the end, or with
-from-beginning at the beginning, when the group has no offsets yet) and
commits the offsets of the records it printed.

Values and keys are decoded by the serdes -deserializer and
-key-deserializer name (string, bytes, json, msgpack, int32, ...).`)
	topic := fs.String("topic", "", "topic to read (required)")
	partition := fs.Int("partition", -1, "read only this partition (default: all)")
	fromBeginning := fs.Bool("from-beginning", false, "start at the beginning of each partition")
	offset := fs.Int64("offset", 0, "start at this offset of each partition; negative: that many records before the end")
	at := fs.String("time", "", "start at the first record at or after this RFC 3339 time, e.g. 2024-05-01T12:00:00Z")
	group := fs.String("group", "", "consume as a member of this consumer group, committing offsets")
	maxMessages := fs.Int("max-messages", 0, "stop after this many records (default: no limit)")
	idle := fs.Duration("idle", 0, "stop after this long without a record (default: wait for ever)")
	format := fs.String("format", "text", "output format: text or json")
	fields := fs.String("print", "", "text format: fields printed before the value, comma-separated: topic,partition,offset,timestamp,key,headers")
	valSerde := fs.String("deserializer", "string", "serde of values")
	keySerde := fs.String("key-deserializer", "string", "serde of keys")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *topic == "" {
		return usagef("-topic is required")
	}
	start, err := startFrom(fs, *fromBeginning, *offset, *at)
	if err != nil {
		return err
	}
	out, err := newPrinter(e.stdout, *format, *fields, *keySerde, *valSerde)
	if err != nil {
		return err
	}
	if *group != "" {
		if *partition >= 0 || start.kind == "offset" || start.kind == "time" {
			return usagef("-group takes its partitions and offsets from the group: drop -partition, -offset and -time (or -group)")
		}
		return groupConsume(e, *topic, *group, start, out, *maxMessages, *idle)
	}
	var cfg core.ConsumerConfig
	if err := e.configure(&cfg, &cfg.Config); err != nil {
		return err
	}
	c, err := core.NewConsumer(cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := assign(e, c, *topic, int32(*partition), start); err != nil {
		return err
	}
	return consumeLoop(e.ctx, c, out, *maxMessages, *idle)
}

// start says where consume begins.
type start struct {
	kind   string // "end", "beginning", "offset", "time"
	offset int64
	time   time.Time
}

func startFrom(fs *flag.FlagSet, beginning bool, offset int64, at string) (start, error) {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	n := 0
	for _, k := range []string{"from-beginning", "offset", "time"} {
		if set[k] {
			n++
		}
	}
	if n > 1 {
		return start{}, usagef("use at most one of -from-beginning, -offset and -time")
	}
	switch {
	case beginning:
		return start{kind: "beginning"}, nil
	case set["offset"]:
		return start{kind: "offset", offset: offset}, nil
	case at != "":
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return start{}, usagef("-time: %v (want RFC 3339, such as 2024-05-01T12:00:00Z)", err)
		}
		return start{kind: "time", time: t}, nil
	}
	return start{kind: "end"}, nil
}

// assign assigns the partitions of topic (or one of them) and positions them.
func assign(e *env, c *core.Consumer, topic string, partition int32, s start) error {
	ctx, cancel := e.withTimeout()
	defer cancel()
	parts, err := c.PartitionsForTopic(ctx, topic)
	if err != nil {
		return fmt.Errorf("topic %s: %w", topic, err)
	}
	if partition >= 0 {
		if int(partition) >= len(parts) {
			return fmt.Errorf("topic %s has no partition %d (it has %d)", topic, partition, len(parts))
		}
		parts = []core.TopicPartition{{Topic: topic, Partition: partition}}
	}
	if err := c.Assign(parts...); err != nil {
		return err
	}
	switch s.kind {
	case "beginning":
		return c.SeekToBeginning()
	case "end":
		return c.SeekToEnd()
	case "time":
		times := map[core.TopicPartition]time.Time{}
		for _, tp := range parts {
			times[tp] = s.time
		}
		offs, err := c.OffsetsForTimes(ctx, times)
		if err != nil {
			return err
		}
		for _, tp := range parts {
			if o := offs[tp].Offset; o >= 0 {
				err = errors.Join(err, c.Seek(tp, o))
			} else {
				err = errors.Join(err, c.SeekToEnd(tp))
			}
		}
		return err
	}
	var base map[core.TopicPartition]int64
	if s.offset < 0 {
		if base, err = c.EndOffsets(ctx, parts...); err != nil {
			return err
		}
	}
	for _, tp := range parts {
		err = errors.Join(err, c.Seek(tp, max(base[tp]+s.offset, 0)))
	}
	return err
}

// consumeLoop prints records until max records, idle time without any,
// or ctx's end.
func consumeLoop(ctx context.Context, c *core.Consumer, out *printer, maxRecords int, idle time.Duration) error {
	n := 0
	for maxRecords == 0 || n < maxRecords {
		pctx, cancel := ctx, context.CancelFunc(func() {})
		if idle > 0 {
			pctx, cancel = context.WithTimeout(ctx, idle)
		}
		fetches, err := c.Poll(pctx)
		cancel()
		if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return nil // idle
		}
		if ctx.Err() != nil {
			return nil // interrupted
		}
		for r := range fetches.All() {
			if maxRecords > 0 && n == maxRecords {
				break
			}
			if err := out.print(r); err != nil {
				return err
			}
			n++
		}
		if err != nil {
			return err
		}
		if out.commit != nil {
			if err := out.commit(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// printer writes records in the chosen format.
type printer struct {
	// next, when not nil, collects the offset after each record printed,
	// for commit (consuming in a group).
	next   map[core.TopicPartition]core.OffsetAndMetadata
	commit func(context.Context) error

	w            io.Writer
	json         bool
	fields       []string
	keys, values core.AnySerde
}

var printFields = map[string]bool{"topic": true, "partition": true, "offset": true, "timestamp": true, "key": true, "headers": true}

func newPrinter(w io.Writer, format, fields, keySerde, valSerde string) (*printer, error) {
	p := &printer{w: w}
	switch format {
	case "text":
	case "json":
		p.json = true
	default:
		return nil, usagef("-format must be text or json, not %q", format)
	}
	for _, f := range splitList(fields) {
		if !printFields[f] {
			return nil, usagef("-print: unknown field %q (want topic, partition, offset, timestamp, key or headers)", f)
		}
		p.fields = append(p.fields, f)
	}
	var err error
	if p.values, err = core.SerdeByName(valSerde); err != nil {
		return nil, usagef("-deserializer: %v", err)
	}
	if p.keys, err = core.SerdeByName(keySerde); err != nil {
		return nil, usagef("-key-deserializer: %v", err)
	}
	return p, nil
}

// jsonRecord is a record in -format json.
type jsonRecord struct {
	Topic     string            `json:"topic"`
	Partition int32             `json:"partition"`
	Offset    int64             `json:"offset"`
	Timestamp time.Time         `json:"timestamp"`
	Key       any               `json:"key"`
	Value     any               `json:"value"`
	Headers   map[string]string `json:"headers,omitempty"`
}

func (p *printer) print(r *core.Record) error {
	if p.next != nil {
		p.next[core.TopicPartition{Topic: r.Topic, Partition: r.Partition}] = core.NextOffset(r)
	}
	key, err := p.decode(p.keys, r, r.Key)
	if err != nil {
		return fmt.Errorf("%s-%d@%d: key: %w", r.Topic, r.Partition, r.Offset, err)
	}
	val, err := p.decode(p.values, r, r.Value)
	if err != nil {
		return fmt.Errorf("%s-%d@%d: value: %w", r.Topic, r.Partition, r.Offset, err)
	}
	if p.json {
		jr := jsonRecord{Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Timestamp: r.Timestamp, Key: key, Value: val}
		if len(r.Headers) > 0 {
			jr.Headers = map[string]string{}
			for _, h := range r.Headers {
				jr.Headers[h.Key] = string(h.Value)
			}
		}
		b, err := json.Marshal(jr)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(p.w, "%s\n", b)
		return err
	}
	var sb strings.Builder
	for _, f := range p.fields {
		switch f {
		case "topic":
			sb.WriteString(r.Topic)
		case "partition":
			sb.WriteString(strconv.Itoa(int(r.Partition)))
		case "offset":
			sb.WriteString(strconv.FormatInt(r.Offset, 10))
		case "timestamp":
			sb.WriteString(r.Timestamp.Format(time.RFC3339Nano))
		case "key":
			sb.WriteString(text(key))
		case "headers":
			for i, h := range r.Headers {
				if i > 0 {
					sb.WriteByte(',')
				}
				sb.WriteString(h.Key + "=" + string(h.Value))
			}
		}
		sb.WriteByte('\t')
	}
	sb.WriteString(text(val))
	sb.WriteByte('\n')
	_, err = io.WriteString(p.w, sb.String())
	return err
}

// decode deserializes data, and makes bytes that are text print as text.
func (p *printer) decode(s core.AnySerde, r *core.Record, data []byte) (any, error) {
	if data == nil {
		return nil, nil
	}
	v, err := s.DeserializeAny(r.Topic, r.Headers, data)
	if b, ok := v.([]byte); ok && utf8.Valid(b) {
		v = string(b)
	}
	return v, err
}

// text formats a decoded key or value for the text format.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return v
	case map[string]any, []any:
		b, err := json.Marshal(v)
		if err == nil {
			return string(b)
		}
	}
	return fmt.Sprint(v)
}
