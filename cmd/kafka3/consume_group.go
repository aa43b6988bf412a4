package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kafka3/kafka3-go/core"
)

// groupConsume consumes topic as a member of group: the group assigns the
// partitions, and the offsets of the records printed are committed after
// each poll and on exit, so that the next run (or another member) resumes
// after them. It starts where the group left off; without committed
// offsets at the end, or at the beginning with -from-beginning.
func groupConsume(e *env, topic, group string, s start, out *printer, maxRecords int, idle time.Duration) error {
	var cfg core.ConsumerConfig
	if err := e.configure(&cfg, &cfg.Config); err != nil {
		return err
	}
	cfg.GroupID = group
	cfg.DisableAutoCommit = true // commit only what was printed
	if s.kind == "beginning" {
		cfg.AutoOffsetReset = core.ResetEarliest
	}
	c, err := core.NewConsumer(cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Subscribe([]string{topic}, core.RebalanceListener{}); err != nil {
		return err
	}
	out.next = map[core.TopicPartition]core.OffsetAndMetadata{}
	out.commit = func(ctx context.Context) error {
		if len(out.next) == 0 {
			return nil
		}
		err := c.Commit(ctx, out.next)
		clear(out.next)
		return err
	}
	err = consumeLoop(e.ctx, c, out, maxRecords, idle)
	ctx, cancel := context.WithTimeout(context.Background(), e.g.timeout)
	defer cancel()
	if cerr := out.commit(ctx); cerr != nil {
		err = errors.Join(err, fmt.Errorf("committing offsets of group %s: %w", group, cerr))
	}
	return err
}
