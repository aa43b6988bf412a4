package main

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/kafka3/kafka3-go/core"
)

func runGroups(e *env, args []string) error {
	sub := map[string]func(*env, []string) error{"list": groupsList, "describe": groupsDescribe, "lag": groupsLag}
	if len(args) == 0 || sub[args[0]] == nil {
		fmt.Fprint(e.stderr, groupsUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			return nil
		}
		return &usageError{}
	}
	return sub[args[0]](e, args[1:])
}

const groupsUsage = `Usage: kafka3 groups <list|describe|lag> [flags] [group ...]

  list       the cluster's groups with their state and type
  describe   group ...: state, assignor, members and their partitions
  lag        group ...: committed offset, end offset and lag of each partition

Run 'kafka3 groups <subcommand> -h' for the flags of each.
`

func groupsList(e *env, args []string) error {
	fs := e.newFlagSet("groups list", "", `
List prints every group the brokers coordinate: id, state, type, protocol
type (consumer, connect, or empty for groups that only commit offsets) and
coordinator.`)
	state := fs.String("state", "", "only groups in these states, comma-separated (Stable, Empty, ...)")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, ctx, done, err := e.adminCall()
	if err != nil {
		return err
	}
	defer done()
	gs, err := a.ListGroups(ctx, core.ListGroupsOptions{States: splitList(*state)})
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "GROUP\tSTATE\tTYPE\tPROTOCOL-TYPE\tCOORDINATOR")
	for _, g := range gs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", g.ID, g.State, g.Type, g.ProtocolType, g.Coordinator)
	}
	return errors.Join(tw.Flush(), err)
}

func groupsDescribe(e *env, args []string) error {
	fs := e.newFlagSet("groups describe", "group ...", `
Describe prints each group's state, protocol (the assignor of consumer
groups) and members with their client, host and assigned partitions.`)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("name the groups to describe")
	}
	a, ctx, done, err := e.adminCall()
	if err != nil {
		return err
	}
	defer done()
	var errs []error
	for _, g := range a.DescribeGroups(ctx, fs.Args()...) {
		if g.Err != nil {
			errs = append(errs, fmt.Errorf("group %s: %w", g.ID, g.Err))
			continue
		}
		proto := g.ProtocolType
		if g.Protocol != "" {
			proto += "/" + g.Protocol
		}
		fmt.Fprintf(e.stdout, "Group %s: state %s, protocol %s, coordinator %d, %d member(s)\n",
			g.ID, g.State, cmp.Or(proto, "-"), g.Coordinator, len(g.Members))
		if len(g.Members) == 0 {
			continue
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  MEMBER\tCLIENT\tHOST\tASSIGNED")
		for _, m := range g.Members {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", m.MemberID, m.ClientID, m.ClientHost, assigned(m.Assigned))
		}
		errs = append(errs, tw.Flush())
	}
	return errors.Join(errs...)
}

// assigned formats a member's partitions as topic:0,1,2 topic2:0.
func assigned(m map[string][]int32) string {
	var parts []string
	for _, t := range slices.Sorted(maps.Keys(m)) {
		ps := slices.Sorted(slices.Values(m[t]))
		s := make([]string, len(ps))
		for i, p := range ps {
			s[i] = fmt.Sprint(p)
		}
		parts = append(parts, t+":"+strings.Join(s, ","))
	}
	return strings.Join(parts, " ")
}

func groupsLag(e *env, args []string) error {
	fs := e.newFlagSet("groups lag", "group ...", `
Lag prints, for each partition a group has committed an offset for, the
committed offset, the partition's end offset and the difference: how many
records the group has yet to read.`)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("name the groups whose lag to show")
	}
	a, ctx, done, err := e.adminCall()
	if err != nil {
		return err
	}
	defer done()
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "GROUP\tTOPIC\tPARTITION\tCOMMITTED\tEND\tLAG")
	var errs []error
	for _, g := range fs.Args() {
		committed, err := a.ListGroupOffsets(ctx, g, nil)
		if err != nil {
			errs = append(errs, fmt.Errorf("group %s: %w", g, err))
			continue
		}
		specs := map[string]map[int32]core.OffsetSpec{}
		for t, ps := range committed {
			specs[t] = map[int32]core.OffsetSpec{}
			for p := range ps {
				specs[t][p] = core.OffsetSpecLatest
			}
		}
		ends := a.ListOffsets(ctx, specs, false)
		for _, row := range lagRows(committed, ends) {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", g, row.topic, row.partition, row.committed, row.end, row.lag)
		}
	}
	return errors.Join(append(errs, tw.Flush())...)
}

type lagRow struct {
	topic               string
	partition           int32
	committed, end, lag string
}

// lagRows computes the lag of each committed partition, sorted.
func lagRows(committed map[string]map[int32]core.GroupCommittedOffset, ends map[string]map[int32]core.ListedOffset) []lagRow {
	var rows []lagRow
	for t, ps := range committed {
		for p, c := range ps {
			r := lagRow{topic: t, partition: p, committed: "-", end: "-", lag: "-"}
			if c.Err == nil && c.Offset >= 0 {
				r.committed = fmt.Sprint(c.Offset)
			}
			if end := ends[t][p]; end.Err == nil {
				r.end = fmt.Sprint(end.Offset)
				if c.Err == nil && c.Offset >= 0 {
					r.lag = fmt.Sprint(max(end.Offset-c.Offset, 0))
				}
			} else {
				r.end = "(" + end.Err.Error() + ")"
			}
			rows = append(rows, r)
		}
	}
	slices.SortFunc(rows, func(a, b lagRow) int {
		return cmp.Or(strings.Compare(a.topic, b.topic), cmp.Compare(a.partition, b.partition))
	})
	return rows
}
