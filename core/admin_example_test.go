package core_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/kafka3/kafka3-go/core"
)

// ExampleAdmin creates a topic, waiting until it can be produced to, and
// reports each topic's outcome on its own.
func ExampleAdmin() {
	admin, err := core.NewAdmin(core.AdminConfig{Config: core.Config{BootstrapServers: []string{"localhost:9092"}}})
	if err != nil {
		log.Fatal(err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	results, err := admin.CreateTopics(ctx, []core.NewTopic{
		{Name: "orders", Partitions: 6, ReplicationFactor: 3, Configs: map[string]string{"min.insync.replicas": "2"}},
		{Name: "audit", Partitions: 1},
	}, core.CreateTopicsOptions{WaitForLeaders: true})
	if err != nil {
		log.Fatal(err) // the request itself failed
	}
	for _, r := range results {
		if r.Err != nil {
			fmt.Printf("%s: %v\n", r.Name, r.Err) // e.g. TOPIC_ALREADY_EXISTS
			continue
		}
		fmt.Printf("%s: %d partitions\n", r.Name, r.Partitions)
	}
}
