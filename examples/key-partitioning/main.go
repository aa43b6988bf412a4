// Key-partitioning shows that records with the same key go to the same
// partition: the default partitioner hashes keys with murmur2 exactly as the
// Java client does, so Go and Java producers agree (kafka-python's
// producer.send(topic, key=b'foo', value=b'bar')).
package main

import (
	"context"
	"fmt"
	"log"
	"time"

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
	const partitions = 6
	topic, drop := demo.Topic(ctx, partitions)
	defer drop()

	p, err := core.NewProducer(core.ProducerConfig{Config: demo.Config()})
	if err != nil {
		return err
	}
	defer p.Close(ctx)
	for _, user := range []string{"alice", "bob", "carol", "alice", "bob", "alice"} {
		md, err := p.SendSync(ctx, &core.Record{Topic: topic, Key: []byte(user), Value: []byte("clicked")})
		if err != nil {
			return err
		}
		want := core.KeyPartition([]byte(user), partitions)
		fmt.Printf("key %-5s -> partition %d (murmur2 says %d)\n", user, md.Partition, want)
		if md.Partition != want {
			return fmt.Errorf("key %s went to partition %d, want %d", user, md.Partition, want)
		}
	}
	return nil
}
