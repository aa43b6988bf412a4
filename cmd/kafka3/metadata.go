package main

import (
	"context"
	"fmt"
	"slices"
	"text/tabwriter"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/protocol"
)

func runMetadata(e *env, args []string) error {
	fs := e.newFlagSet("metadata", "[topic ...]", `
Metadata prints the cluster's id, its brokers and controller, and for each
topic (all of them, or those named) its partitions with their leader,
replicas and in-sync replicas.`)
	internal := fs.Bool("internal", false, "include internal topics (__consumer_offsets, ...)")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, ctx, done, err := e.adminCall()
	if err != nil {
		return err
	}
	defer done()

	cl, err := a.DescribeCluster(ctx, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Cluster %s, controller %d\n\n", cl.ClusterID, cl.ControllerID)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BROKER\tHOST\tRACK")
	for _, b := range cl.Brokers {
		fmt.Fprintf(tw, "%d\t%s:%d\t%s\n", b.ID, b.Host, b.Port, b.Rack)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	names := fs.Args()
	if len(names) == 0 {
		if names, err = topicNames(ctx, a, *internal); err != nil {
			return err
		}
	}
	if len(names) == 0 {
		fmt.Fprintln(e.stdout, "\nNo topics.")
		return nil
	}
	fmt.Fprintln(e.stdout)
	return printPartitions(e, ctx, a, names)
}

// printPartitions prints a table of the partitions of topics.
func printPartitions(e *env, ctx context.Context, a *core.Admin, topics []string) error {
	descs, err := a.DescribeTopics(ctx, topics...)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TOPIC\tPARTITION\tLEADER\tREPLICAS\tISR")
	var failed error
	for _, d := range descs {
		if d.Err != nil {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t- (%v)\n", d.Name, d.Err)
			failed = fmt.Errorf("topic %s: %w", d.Name, d.Err)
			continue
		}
		for _, p := range d.Partitions {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%v\t%v\n", d.Name, p.Partition, p.Leader, p.Replicas, p.ISR)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return failed
}

// topicNames lists the cluster's topics.
func topicNames(ctx context.Context, a *core.Admin, internal bool) ([]string, error) {
	ts, err := a.ListTopics(ctx, internal)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name
	}
	return names, nil
}

// brokerIDs returns the cluster's brokers, sorted by id, from a Metadata
// request for no topics.
func brokerIDs(ctx context.Context, c *core.Client) ([]protocol.MetadataResponseBroker, error) {
	req := &protocol.MetadataRequest{}
	req.Default()
	req.Topics = []protocol.MetadataRequestTopic{}
	resp, err := c.Request(ctx, req)
	if err != nil {
		return nil, err
	}
	bs := resp.(*protocol.MetadataResponse).Brokers
	if len(bs) == 0 {
		return nil, fmt.Errorf("the cluster lists no brokers")
	}
	slices.SortFunc(bs, func(a, b protocol.MetadataResponseBroker) int { return int(a.NodeId - b.NodeId) })
	return bs, nil
}
