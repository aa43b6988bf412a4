package reliability

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
)

// The Admin calls of TestBadInputFromBroker: every public call, each against
// a fake that misbehaves on the API the call sends (after the Metadata,
// FindCoordinator and ApiVersions the fake answers well).

// adminCall is one Admin call: call makes it and returns the error that
// ended it, or the one of the single resource it asked about.
type adminCall struct {
	name string
	api  int16
	call func(ctx context.Context, a *core.Admin) error
}

// The API keys the Admin calls send, beyond those of badanswer_test.go.
const (
	apiDescribeGroups               int16 = 15
	apiListGroups                   int16 = 16
	apiDeleteTopics                 int16 = 20
	apiDeleteRecords                int16 = 21
	apiDescribeAcls                 int16 = 29
	apiCreateAcls                   int16 = 30
	apiDeleteAcls                   int16 = 31
	apiDescribeConfigs              int16 = 32
	apiDescribeLogDirs              int16 = 35
	apiCreatePartitions             int16 = 37
	apiDeleteGroups                 int16 = 42
	apiElectLeaders                 int16 = 43
	apiIncrementalAlterConfigs      int16 = 44
	apiOffsetDelete                 int16 = 47
	apiDescribeUserScramCredentials int16 = 50
	apiAlterUserScramCredentials    int16 = 51
	apiDescribeProducers            int16 = 61
	apiDescribeTransactions         int16 = 65
	apiListTransactions             int16 = 66
)

var (
	topicT    = core.ConfigResource{Type: core.ConfigResourceTopic, Name: "t"}
	aclFilter = core.ACLFilter{ResourceType: core.ACLResourceAny, PatternType: core.ACLPatternAny,
		Operation: core.ACLOperationAny, Permission: core.ACLPermissionAny}
	aclBinding = core.ACLBinding{ResourceType: core.ACLResourceTopic, ResourceName: "t", PatternType: core.ACLPatternLiteral,
		Principal: "User:bad", Host: "*", Operation: core.ACLOperationRead, Permission: core.ACLPermissionAllow}
	partT0 = map[string][]int32{"t": {0}}
)

// either is err, or else the error of the single resource asked about.
func either(err, item error) error {
	if err != nil {
		return err
	}
	return item
}

var adminCalls = []adminCall{
	{"CreateTopics", apiCreateTopics, func(ctx context.Context, a *core.Admin) error {
		_, err := a.CreateTopics(ctx, []core.NewTopic{{Name: "new", Partitions: 1, ReplicationFactor: 1}}, core.CreateTopicsOptions{})
		return err
	}},
	{"DeleteTopics", apiDeleteTopics, func(ctx context.Context, a *core.Admin) error {
		errs, err := a.DeleteTopics(ctx, "t")
		return either(err, errs["t"])
	}},
	{"ListTopics", apiMetadata, func(ctx context.Context, a *core.Admin) error {
		_, err := a.ListTopics(ctx, false)
		return err
	}},
	{"DescribeTopics", apiMetadata, func(ctx context.Context, a *core.Admin) error {
		_, err := a.DescribeTopics(ctx, "t")
		return err
	}},
	{"CreatePartitions", apiCreatePartitions, func(ctx context.Context, a *core.Admin) error {
		errs, err := a.CreatePartitions(ctx, map[string]core.NewPartitions{"t": {Count: 2}}, false)
		return either(err, errs["t"])
	}},
	{"ListOffsets", apiListOffsets, func(ctx context.Context, a *core.Admin) error {
		return a.ListOffsets(ctx, map[string]map[int32]core.OffsetSpec{"t": {0: core.OffsetSpecLatest}}, false)["t"][0].Err
	}},
	{"DeleteRecords", apiDeleteRecords, func(ctx context.Context, a *core.Admin) error {
		return a.DeleteRecords(ctx, map[string]map[int32]int64{"t": {0: 1}})["t"][0].Err
	}},
	{"DescribeProducers", apiDescribeProducers, func(ctx context.Context, a *core.Admin) error {
		return a.DescribeProducers(ctx, partT0)["t"][0].Err
	}},
	{"ElectLeaders", apiElectLeaders, func(ctx context.Context, a *core.Admin) error {
		errs, err := a.ElectLeaders(ctx, core.ElectPreferred, partT0)
		return either(err, errs["t"][0])
	}},
	{"DescribeCluster", apiDescribeCluster, func(ctx context.Context, a *core.Admin) error {
		_, err := a.DescribeCluster(ctx, false)
		return err
	}},
	{"DescribeLogDirs", apiDescribeLogDirs, func(ctx context.Context, a *core.Admin) error {
		dirs, err := a.DescribeLogDirs(ctx, []int32{1}, nil)
		return either(err, dirs[1].Err)
	}},
	{"DescribeConfigs", apiDescribeConfigs, func(ctx context.Context, a *core.Admin) error {
		res := a.DescribeConfigs(ctx, []core.ConfigResource{topicT}, core.DescribeConfigsOptions{})
		if len(res) != 1 {
			return fmt.Errorf("%d results for one resource", len(res))
		}
		return res[0].Err
	}},
	{"IncrementalAlterConfigs", apiIncrementalAlterConfigs, func(ctx context.Context, a *core.Admin) error {
		return a.IncrementalAlterConfigs(ctx, map[core.ConfigResource][]core.ConfigAlteration{
			topicT: {{Name: "retention.ms", Op: core.AlterSet, Value: "1000"}}}, false)[topicT]
	}},
	{"DescribeACLs", apiDescribeAcls, func(ctx context.Context, a *core.Admin) error {
		_, err := a.DescribeACLs(ctx, aclFilter)
		return err
	}},
	{"CreateACLs", apiCreateAcls, func(ctx context.Context, a *core.Admin) error {
		errs, err := a.CreateACLs(ctx, []core.ACLBinding{aclBinding})
		if err == nil && len(errs) == 1 {
			err = errs[0]
		}
		return err
	}},
	{"DeleteACLs", apiDeleteAcls, func(ctx context.Context, a *core.Admin) error {
		res, err := a.DeleteACLs(ctx, []core.ACLFilter{aclFilter})
		if err == nil && len(res) == 1 {
			err = res[0].Err
		}
		return err
	}},
	{"ListGroups", apiListGroups, func(ctx context.Context, a *core.Admin) error {
		_, err := a.ListGroups(ctx, core.ListGroupsOptions{})
		return err
	}},
	{"DescribeGroups", apiDescribeGroups, func(ctx context.Context, a *core.Admin) error {
		res := a.DescribeGroups(ctx, "g")
		if len(res) != 1 {
			return fmt.Errorf("%d results for one group", len(res))
		}
		return res[0].Err
	}},
	{"DeleteGroups", apiDeleteGroups, func(ctx context.Context, a *core.Admin) error {
		return a.DeleteGroups(ctx, "g")["g"]
	}},
	{"RemoveGroupMembers", apiLeaveGroup, func(ctx context.Context, a *core.Admin) error {
		errs, err := a.RemoveGroupMembers(ctx, "g", "instance-1")
		return either(err, errs["instance-1"])
	}},
	{"ListGroupOffsets", apiOffsetFetch, func(ctx context.Context, a *core.Admin) error {
		res, err := a.ListGroupOffsets(ctx, "g", partT0)
		return either(err, res["t"][0].Err)
	}},
	{"AlterGroupOffsets", apiOffsetCommit, func(ctx context.Context, a *core.Admin) error {
		errs, err := a.AlterGroupOffsets(ctx, "g", map[string]map[int32]int64{"t": {0: 1}})
		return either(err, errs["t"][0])
	}},
	{"DeleteGroupOffsets", apiOffsetDelete, func(ctx context.Context, a *core.Admin) error {
		errs, err := a.DeleteGroupOffsets(ctx, "g", partT0)
		return either(err, errs["t"][0])
	}},
	{"DescribeTransactions", apiDescribeTransactions, func(ctx context.Context, a *core.Admin) error {
		return a.DescribeTransactions(ctx, "tx")["tx"].Err
	}},
	{"ListTransactions", apiListTransactions, func(ctx context.Context, a *core.Admin) error {
		_, err := a.ListTransactions(ctx, core.ListTransactionsOptions{})
		return err
	}},
	{"DescribeUserScramCredentials", apiDescribeUserScramCredentials, func(ctx context.Context, a *core.Admin) error {
		res, err := a.DescribeUserScramCredentials(ctx, "u")
		return either(err, res["u"].Err)
	}},
	{"AlterUserScramCredentials", apiAlterUserScramCredentials, func(ctx context.Context, a *core.Admin) error {
		errs, err := a.AlterUserScramCredentials(ctx, nil, []core.ScramDeletion{{User: "u", Mechanism: core.ScramSHA256}})
		return either(err, errs["u"])
	}},
}

// adminClients are the Admin calls as badClients: each makes MaxAttempts
// (3) attempts, and ends within its DefaultTimeout with the fault's error.
func adminClients() []badClient {
	var out []badClient
	for _, ac := range adminCalls {
		out = append(out, badClient{name: "Admin." + ac.name, api: ac.api, attempts: 3,
			run: func(t *testing.T, addr string, logs *logRecorder, want []string) (error, string) {
				a, err := badAdmin(addr, logs)
				if err != nil {
					t.Error(err) // not Fatal: this runs on its own goroutine
					return err, "setup failed"
				}
				defer a.Close()
				var rerr error
				d := within(t, "Admin."+ac.name, badCallBound, func() { rerr = ac.call(context.Background(), a) })
				return rerr, fmt.Sprintf("after %v", d.Round(10*time.Millisecond))
			}})
	}
	return out
}
