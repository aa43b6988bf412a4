package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
)

func runTopics(e *env, args []string) error {
	sub := map[string]func(*env, []string) error{
		"create": topicsCreate, "delete": topicsDelete, "list": topicsList, "describe": topicsDescribe,
	}
	if len(args) == 0 || sub[args[0]] == nil {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			fmt.Fprint(e.stderr, topicsUsage)
			return nil
		}
		fmt.Fprint(e.stderr, topicsUsage)
		return &usageError{}
	}
	return sub[args[0]](e, args[1:])
}

const topicsUsage = `Usage: kafka3 topics <create|delete|list|describe> [flags] [topic ...]

  create   [-partitions N] [-replication-factor R] [-topic-config k=v] topic ...
  delete   topic ...
  list     [-internal]
  describe topic ...   partitions, leaders, replicas and the topic's own configs

Run 'kafka3 topics <subcommand> -h' for the flags of each.
`

// kvFlag is a repeatable key=value flag.
type kvFlag struct{ pairs [][2]string }

func (f *kvFlag) String() string { return "" }

func (f *kvFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", s)
	}
	f.pairs = append(f.pairs, [2]string{k, v})
	return nil
}

func (f *kvFlag) Map() map[string]string {
	m := map[string]string{}
	for _, p := range f.pairs {
		m[p[0]] = p[1]
	}
	return m
}

func topicsCreate(e *env, args []string) error {
	fs := e.newFlagSet("topics create", "topic ...", `
Create creates topics and waits until every partition has a leader.`)
	partitions := fs.Int("partitions", 0, "number of partitions (default: the broker's num.partitions)")
	rf := fs.Int("replication-factor", 0, "replicas of each partition (default: the broker's default.replication.factor)")
	ifNotExists := fs.Bool("if-not-exists", false, "succeed when a topic already exists")
	var configs kvFlag
	fs.Var(&configs, "topic-config", "topic config `key=value`, such as cleanup.policy=compact (repeatable)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("name the topics to create")
	}
	a, ctx, done, err := e.adminCall()
	if err != nil {
		return err
	}
	defer done()
	var topics []core.NewTopic
	for _, n := range fs.Args() {
		topics = append(topics, core.NewTopic{Name: n, Partitions: int32(*partitions),
			ReplicationFactor: int16(*rf), Configs: configs.Map()})
	}
	res, err := a.CreateTopics(ctx, topics, core.CreateTopicsOptions{WaitForLeaders: true})
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range res {
		switch {
		case r.Err == nil:
			fmt.Fprintf(e.stdout, "created topic %s with %d partition(s), replication factor %d\n", r.Name, r.Partitions, r.ReplicationFactor)
		case *ifNotExists && errors.Is(r.Err, kerr.TopicAlreadyExists):
			fmt.Fprintf(e.stdout, "topic %s exists already\n", r.Name)
		case errors.Is(r.Err, kerr.TopicAlreadyExists):
			errs = append(errs, fmt.Errorf("topic %s: %w (add -if-not-exists to accept that)", r.Name, r.Err))
		default:
			errs = append(errs, fmt.Errorf("topic %s: %w", r.Name, r.Err))
		}
	}
	return errors.Join(errs...)
}

func topicsDelete(e *env, args []string) error {
	fs := e.newFlagSet("topics delete", "topic ...", `
Delete deletes topics and all their records.`)
	ifExists := fs.Bool("if-exists", false, "succeed when a topic does not exist")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("name the topics to delete")
	}
	a, ctx, done, err := e.adminCall()
	if err != nil {
		return err
	}
	defer done()
	res, err := a.DeleteTopics(ctx, fs.Args()...)
	if err != nil {
		return err
	}
	var errs []error
	for _, n := range fs.Args() {
		switch err := res[n]; {
		case err == nil:
			fmt.Fprintf(e.stdout, "deleted topic %s\n", n)
		case *ifExists && errors.Is(err, kerr.UnknownTopicOrPartition):
		default:
			errs = append(errs, fmt.Errorf("topic %s: %w", n, err))
		}
	}
	return errors.Join(errs...)
}

func topicsList(e *env, args []string) error {
	fs := e.newFlagSet("topics list", "", `
List prints the cluster's topics and their partition counts.`)
	internal := fs.Bool("internal", false, "include internal topics (__consumer_offsets, ...)")
	long := fs.Bool("l", false, "also print partition counts")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("list takes no arguments")
	}
	a, ctx, done, err := e.adminCall()
	if err != nil {
		return err
	}
	defer done()
	ts, err := a.ListTopics(ctx, *internal)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if *long {
			fmt.Fprintf(e.stdout, "%s\t%d\n", t.Name, t.Partitions)
		} else {
			fmt.Fprintln(e.stdout, t.Name)
		}
	}
	return nil
}

func topicsDescribe(e *env, args []string) error {
	fs := e.newFlagSet("topics describe", "topic ...", `
Describe prints the partitions of topics (leader, replicas, ISR) and the
configs set on each topic itself (not inherited from the broker).`)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("name the topics to describe")
	}
	a, ctx, done, err := e.adminCall()
	if err != nil {
		return err
	}
	defer done()
	if err := printPartitions(e, ctx, a, fs.Args()); err != nil {
		return err
	}
	var res []core.ConfigResource
	for _, n := range fs.Args() {
		res = append(res, core.ConfigResource{Type: core.ConfigResourceTopic, Name: n})
	}
	fmt.Fprintln(e.stdout)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TOPIC\tCONFIG (set on the topic)\tVALUE")
	for _, r := range a.DescribeConfigs(ctx, res, core.DescribeConfigsOptions{}) {
		if r.Err != nil {
			return fmt.Errorf("configs of %s: %w", r.Resource.Name, r.Err)
		}
		entries := slices.Clone(r.Entries)
		slices.SortFunc(entries, func(a, b core.ConfigEntry) int { return strings.Compare(a.Name, b.Name) })
		for _, c := range entries {
			if c.Source != core.ConfigSourceDynamicTopic {
				continue
			}
			v := "(sensitive)"
			if c.Value != nil {
				v = *c.Value
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Resource.Name, c.Name, v)
		}
	}
	return tw.Flush()
}
