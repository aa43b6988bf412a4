// Package demo holds the set-up the examples share, so that each example
// shows only its use case: where the broker is, and a fresh topic to play
// with, deleted when the example ends.
package demo

import (
	"cmp"
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/kafka3/kafka3-go/core"
)

// Config returns a client config for the broker named by $KAFKA3_BROKERS
// (default 127.0.0.1:9092).
func Config() core.Config {
	return core.Config{BootstrapServers: strings.Split(cmp.Or(os.Getenv("KAFKA3_BROKERS"), "127.0.0.1:9092"), ",")}
}

// Topic creates a topic with a unique name and the given number of
// partitions through an Admin, and returns its name and a function that
// deletes it. It exits the program if the topic cannot be created.
func Topic(ctx context.Context, partitions int32) (string, func()) {
	return TopicWith(ctx, Config(), partitions)
}

// TopicWith is Topic on the cluster cfg names.
func TopicWith(ctx context.Context, cfg core.Config, partitions int32) (string, func()) {
	admin, err := core.NewAdmin(core.AdminConfig{Config: cfg})
	if err != nil {
		log.Fatal(err)
	}
	name := fmt.Sprintf("example-%s-%d", strings.ReplaceAll(os.Args[0][strings.LastIndexAny(os.Args[0], `/\`)+1:], ".", "-"), time.Now().UnixNano())
	res, err := admin.CreateTopics(ctx, []core.NewTopic{{Name: name, Partitions: partitions}},
		core.CreateTopicsOptions{WaitForLeaders: true})
	if err == nil {
		err = res[0].Err
	}
	if err != nil {
		log.Fatalf("creating topic %s: %v", name, err)
	}
	return name, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := admin.DeleteTopics(ctx, name); err != nil {
			log.Printf("deleting topic %s: %v", name, err)
		}
		admin.Close()
	}
}
