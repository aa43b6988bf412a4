package main

import (
	"context"
	"fmt"
	"slices"
	"text/tabwriter"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/protocol"
)

func runProbe(e *env, args []string) error {
	fs := e.newFlagSet("probe", "", `
Probe asks the brokers for their API versions (ApiVersions), infers the
Kafka release of the cluster (the oldest broker's, like kafka-python's
check_version) and prints, for one broker, every API with the range of
versions this client speaks, the range the broker speaks and the version
kafka3-go uses: the highest in both.`)
	broker := fs.Int("broker", -1, "id of the broker whose API versions to list (default: the first)")
	all := fs.Bool("all", false, "also list the APIs that only one side knows")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("probe takes no arguments, got %q", fs.Args())
	}
	c, err := e.client()
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := e.withTimeout()
	defer cancel()

	v, err := c.CheckVersion(ctx)
	if err != nil {
		return err
	}
	brokers, err := brokerIDs(ctx, c)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Kafka version: %s (of %d broker(s); kafka3-go %s)\n", v, len(brokers), core.Version)
	id := brokers[0].NodeId
	if *broker >= 0 {
		id = int32(*broker)
	}
	req := &protocol.ApiVersionsRequest{}
	req.Default()
	req.ClientSoftwareName, req.ClientSoftwareVersion = "kafka3-cli", core.Version
	resp, err := c.RequestTo(ctx, id, req)
	if err != nil {
		return fmt.Errorf("ApiVersions of broker %d: %w", id, err)
	}
	fmt.Fprintf(e.stdout, "API versions of broker %d:\n", id)
	return printAPIs(e, resp.(*protocol.ApiVersionsResponse).ApiKeys, *all)
}

// printAPIs prints the table of APIs: both sides' ranges and the version
// chosen.
func printAPIs(e *env, broker []protocol.ApiVersionsResponseApiVersion, all bool) error {
	byKey := map[int16]protocol.ApiVersionsResponseApiVersion{}
	for _, a := range broker {
		byKey[a.ApiKey] = a
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "API\tKEY\tCLIENT\tBROKER\tCHOSEN")
	seen := map[int16]bool{}
	for _, a := range protocol.APIs() {
		seen[a.Key] = true
		b, ok := byKey[a.Key]
		if !ok && !all {
			continue
		}
		brange, chosen := "-", "-"
		if ok {
			brange = fmt.Sprintf("%d-%d", b.MinVersion, b.MaxVersion)
			if hi := min(a.MaxVersion, b.MaxVersion); hi >= max(a.MinVersion, b.MinVersion) {
				chosen = fmt.Sprint(hi)
			} else {
				chosen = "none"
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d-%d\t%s\t%s\n", a.Name, a.Key, a.MinVersion, a.MaxVersion, brange, chosen)
	}
	if all {
		keys := slices.Sorted(func(yield func(int16) bool) {
			for k := range byKey {
				if !seen[k] && !yield(k) {
					return
				}
			}
		})
		for _, k := range keys {
			b := byKey[k]
			fmt.Fprintf(tw, "%s\t%d\t-\t%d-%d\t-\n", protocol.APIName(k), k, b.MinVersion, b.MaxVersion)
		}
	}
	return tw.Flush()
}

// client returns a low-level client configured by the global flags.
func (e *env) client() (*core.Client, error) {
	var cfg core.Config
	if err := e.configure(&cfg, &cfg); err != nil {
		return nil, err
	}
	return core.NewClient(cfg)
}

// adminCall opens an Admin for one command, with a context bounded by the
// command's -timeout; done closes both.
func (e *env) adminCall() (*core.Admin, context.Context, func(), error) {
	a, err := e.admin()
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := e.withTimeout()
	return a, ctx, func() { cancel(); _ = a.Close() }, nil
}

// admin returns an Admin configured by the global flags.
func (e *env) admin() (*core.Admin, error) {
	var cfg core.AdminConfig
	if err := e.configure(&cfg, &cfg.Config); err != nil {
		return nil, err
	}
	cfg.DefaultTimeout = e.g.timeout
	return core.NewAdmin(cfg)
}
