// Custom-assignor shows a partition assignor of your own: Dealer (in
// dealer.go) implements core.Assignor, is registered by name with
// core.RegisterAssignor, and two consumers of one group choose it with
// AssignmentStrategy (kafka-python's partition_assignment_strategy). Every
// member of a group must offer the assignor the group uses.
package main

import (
	"context"
	"fmt"
	"log"
	"slices"
	"sync"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/examples/internal/demo"
)

func init() { core.RegisterAssignor(Dealer{}) }

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	topic, drop := demo.Topic(ctx, 4)
	defer drop()

	group := "dealer-" + topic
	members := make([]*core.Consumer, 2)
	for i := range members {
		c, err := core.NewConsumer(core.ConsumerConfig{
			Config:             demo.Config(),
			GroupID:            group,
			AssignmentStrategy: []string{"dealer"}, // or Assignors: []core.Assignor{Dealer{}}
		})
		if err != nil {
			return err
		}
		defer c.Close()
		if err := c.Subscribe([]string{topic}, core.RebalanceListener{}); err != nil {
			return err
		}
		members[i] = c
	}

	// Members must poll to take part in the group: poll in the background
	// until both hold two partitions.
	pollCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, c := range members {
		wg.Go(func() {
			for pollCtx.Err() == nil {
				_, _ = c.Poll(pollCtx)
			}
		})
	}
	for len(members[0].Assignment()) != 2 || len(members[1].Assignment()) != 2 {
		if ctx.Err() != nil {
			stop()
			wg.Wait()
			return fmt.Errorf("the group did not settle: %v and %v", members[0].Assignment(), members[1].Assignment())
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	wg.Wait()
	for i, c := range members {
		parts := c.Assignment()
		slices.SortFunc(parts, func(a, b core.TopicPartition) int { return int(a.Partition - b.Partition) })
		ps := make([]int32, len(parts))
		for j, tp := range parts {
			ps[j] = tp.Partition
		}
		fmt.Printf("member %d was dealt partitions %v\n", i+1, ps)
	}
	return nil
}
