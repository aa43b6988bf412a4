// Compression shows how to compress record batches with each codec: gzip,
// snappy, lz4 and zstd (kafka-python's compression_type='gzip'). Codecs are
// plugins: import the ones you use (here all four, through package codecs);
// the consumer needs them too, to decompress.
package main

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"time"

	_ "github.com/kafka3/kafka3-go/codecs" // gzip, snappy, lz4 and zstd
	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/examples/internal/demo"
)

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	topic, drop := demo.Topic(ctx, 1)
	defer drop()
	value := bytes.Repeat([]byte("compressible "), 100)

	codecs := core.Codecs()
	for _, codec := range codecs {
		p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config(), Compression: codec})
		if err != nil {
			return err
		}
		for range 100 {
			p.Send(ctx, &core.Record{Topic: topic, Key: []byte(codec), Value: value})
		}
		if err := p.Close(ctx); err != nil {
			return err
		}
		m := p.Metrics()
		fmt.Printf("%-6s compression-rate-avg %.3f\n", codec, m["compression-rate-avg"])
	}

	c, err := core.NewConsumer(core.ConsumerConfig{Config: demo.Config(), AutoOffsetReset: core.ResetEarliest})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Assign(core.TopicPartition{Topic: topic}); err != nil {
		return err
	}
	perCodec := map[string]int{}
	for n := 0; n < 100*len(codecs); {
		f, err := c.Poll(ctx)
		if err != nil {
			return err
		}
		for rec := range f.All() {
			if !bytes.Equal(rec.Value, value) {
				return fmt.Errorf("offset %d: value differs", rec.Offset)
			}
			perCodec[string(rec.Key)]++
			n++
		}
	}
	fmt.Printf("read back and decompressed: %v\n", perCodec)
	return nil
}
