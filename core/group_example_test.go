package core_test

import (
	"context"
	"log"

	_ "github.com/kafka3/kafka3-go/assignors" // range, roundrobin, sticky, cooperative-sticky
	"github.com/kafka3/kafka3-go/core"
)

// A consumer group member that processes records and commits what it
// processed when partitions are taken away, so that their next owner
// resumes exactly there.
func ExampleConsumer_Subscribe() {
	c, err := core.NewConsumer(core.ConsumerConfig{
		Config:             core.Config{BootstrapServers: []string{"localhost:9092"}},
		GroupID:            "orders-processor",
		AssignmentStrategy: []string{"cooperative-sticky"},
		DisableAutoCommit:  true,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close() // revokes (calling OnPartitionsRevoked), then leaves the group

	processed := map[core.TopicPartition]core.OffsetAndMetadata{}
	err = c.Subscribe([]string{"orders"}, core.RebalanceListener{
		// Runs inside Poll, on this goroutine: Commit is safe here.
		OnPartitionsRevoked: func(ctx context.Context, parts []core.TopicPartition) {
			offs := map[core.TopicPartition]core.OffsetAndMetadata{}
			for _, tp := range parts {
				if o, ok := processed[tp]; ok {
					offs[tp] = o
				}
				delete(processed, tp)
			}
			if err := c.Commit(ctx, offs); err != nil {
				log.Print(err)
			}
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for {
		fetches, err := c.Poll(ctx)
		if err != nil {
			log.Fatal(err)
		}
		for _, p := range fetches {
			for i := range p.Records {
				rec := &p.Records[i]
				// ... process rec ...
				processed[core.TopicPartition{Topic: p.Topic, Partition: p.Partition}] = core.NextOffset(rec)
			}
		}
		c.CommitAsync(nil, nil) // the positions; a failed one is retried by the next
	}
}
