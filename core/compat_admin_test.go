package core_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// TestCompatAdmin calls every Admin method against the test broker
// (scripts/compat runs it on 0.10.2, 1.1, 2.8, 3.9 and 4.x). Where the
// broker serves the API (at the version the call needs, as its
// ApiVersions say) the call must succeed; where it does not, it must fail
// with core.ErrBrokerTooOld naming the API and the first Kafka release that
// has it. The releases below are written out by hand, from the Kafka
// release notes and KIPs, independently of the client's own table.
func TestCompatAdmin(t *testing.T) {
	ctx := ctxTimeout(t, 3*time.Minute)
	c := kafkatest.Client(t)
	broker0, max := firstBrokerAPIs(ctx, t, c)
	version := brokerVersion(t)
	a := newAdmin(t)
	topic := kafkatest.CreateTopic(t, 2, nil)
	created, defaulted := kafkatest.Topic(t), kafkatest.Topic(t)
	group := "compat-admin-" + topic
	user := "compat-" + topic[len(topic)-8:]
	var served, refused []string

	// The first release of each API a step below needs at a version above
	// 0: a broker without the API at all is refused naming that release.
	apiFirst := map[int16]string{2: "0.10.0", 16: "0.10.0", 19: "0.10.1", 30: "0.11.0", 43: "2.2", 66: "3.0"}
	// step runs one call: key is its API, min the API version it needs,
	// since the release that brought that version.
	step := func(name string, key, min int16, since string, call func() error) {
		t.Helper()
		hi, ok := max[key]
		has := ok && hi >= min
		if !ok && min > 0 {
			since = apiFirst[key]
		}
		err := call()
		api := protocol.APIName(key)
		if has {
			if err != nil {
				t.Errorf("%s on Kafka %s (%s v%d served, up to v%d): %v", name, version, api, min, hi, err)
				return
			}
			served = append(served, name)
			return
		}
		if !errors.Is(err, core.ErrBrokerTooOld) || !errors.Is(err, kerr.UnsupportedVersion) ||
			!strings.Contains(err.Error(), api) || !strings.Contains(err.Error(), "Kafka "+since) {
			t.Errorf("%s on Kafka %s (no %s v%d): err = %v; want ErrBrokerTooOld naming %s and Kafka %s", name, version, api, min, err, api, since)
			return
		}
		refused = append(refused, name)
		t.Logf("%s on Kafka %s: %v", name, version, err)
	}
	// answered turns a broker's answer about an item (a Kafka error code)
	// into success: the call reached a broker that served it.
	answered := func(err error, want ...error) error {
		for _, w := range want {
			if errors.Is(err, w) {
				return nil
			}
		}
		return err
	}
	first := func(errs map[string]map[int32]error) error {
		for _, ps := range errs {
			for _, err := range ps {
				if err != nil {
					return err
				}
			}
		}
		return nil
	}

	// Topics.
	step("CreateTopics", 19, 0, "0.10.1", func() error {
		res, err := a.CreateTopics(ctx, []core.NewTopic{{Name: created, Partitions: 1, ReplicationFactor: 1}}, core.CreateTopicsOptions{WaitForLeaders: true})
		if err != nil {
			return err
		}
		return res[0].Err
	})
	step("CreateTopics with the broker's defaults", 19, 4, "2.4", func() error {
		res, err := a.CreateTopics(ctx, []core.NewTopic{{Name: defaulted}}, core.CreateTopicsOptions{})
		if err != nil {
			return err
		}
		return res[0].Err
	})
	step("ListTopics", 3, 0, "0.10.0", func() error {
		list, err := a.ListTopics(ctx, false)
		if err == nil && !slices.ContainsFunc(list, func(l core.TopicListing) bool { return l.Name == topic }) {
			err = fmt.Errorf("%s not listed", topic)
		}
		return err
	})
	step("DescribeTopics", 3, 0, "0.10.0", func() error {
		d, err := a.DescribeTopics(ctx, topic)
		if err == nil && (d[0].Err != nil || len(d[0].Partitions) != 2) {
			err = fmt.Errorf("described %+v", d[0])
		}
		return err
	})
	step("CreatePartitions", 37, 0, "1.0", func() error {
		res, err := a.CreatePartitions(ctx, map[string]core.NewPartitions{created: {Count: 2}}, false)
		if err != nil {
			return err
		}
		return res[created]
	})

	// Configs, cluster, log directories.
	topicRes := core.ConfigResource{Type: core.ConfigResourceTopic, Name: topic}
	step("DescribeConfigs", 32, 0, "0.11.0", func() error {
		res := a.DescribeConfigs(ctx, []core.ConfigResource{topicRes}, core.DescribeConfigsOptions{})
		if res[0].Err == nil && len(res[0].Entries) == 0 {
			return errors.New("no config entries")
		}
		return res[0].Err
	})
	step("IncrementalAlterConfigs", 44, 0, "2.3", func() error {
		return a.IncrementalAlterConfigs(ctx, map[core.ConfigResource][]core.ConfigAlteration{
			topicRes: {{Name: "retention.ms", Op: core.AlterSet, Value: "3600000"}}}, false)[topicRes]
	})
	step("DescribeCluster", 3, 0, "0.10.0", func() error { // from Metadata before 2.8
		cl, err := a.DescribeCluster(ctx, false)
		if err == nil && (len(cl.Brokers) == 0 || cl.Brokers[0].ID != broker0 || cl.Brokers[0].Port == 0) {
			err = fmt.Errorf("described %+v, want broker %d", cl, broker0)
		}
		if _, ok := max[60]; err == nil && ok && cl.ClusterID == "" {
			err = fmt.Errorf("no cluster id from DescribeCluster: %+v", cl)
		}
		return err
	})
	step("DescribeLogDirs", 35, 0, "1.0", func() error {
		dirs, err := a.DescribeLogDirs(ctx, nil, nil)
		if err == nil && len(dirs) == 0 {
			err = errors.New("no log dirs")
		}
		for _, d := range dirs {
			if err == nil {
				err = d.Err
			}
		}
		return err
	})

	// Partitions: offsets, records, leaders.
	step("ListOffsets", 2, 0, "0.10.0", func() error {
		return a.ListOffsets(ctx, map[string]map[int32]core.OffsetSpec{topic: {0: core.OffsetSpecLatest}}, false)[topic][0].Err
	})
	step("ListOffsets OffsetSpecMaxTimestamp", 2, 7, "3.0", func() error {
		return a.ListOffsets(ctx, map[string]map[int32]core.OffsetSpec{topic: {0: core.OffsetSpecMaxTimestamp}}, false)[topic][0].Err
	})
	step("DeleteRecords", 21, 0, "0.11.0", func() error {
		return a.DeleteRecords(ctx, map[string]map[int32]int64{topic: {0: 0}})[topic][0].Err
	})
	step("ElectLeaders preferred", 43, 0, "2.2", func() error {
		res, err := a.ElectLeaders(ctx, core.ElectPreferred, map[string][]int32{topic: {0}})
		if err != nil {
			return err
		}
		return answered(first(res), kerr.ElectionNotNeeded)
	})
	step("ElectLeaders unclean", 43, 1, "2.4", func() error {
		res, err := a.ElectLeaders(ctx, core.ElectUnclean, map[string][]int32{topic: {0}})
		if err != nil {
			return err
		}
		return answered(first(res), kerr.ElectionNotNeeded)
	})
	step("DescribeProducers", 61, 0, "2.8", func() error {
		return a.DescribeProducers(ctx, map[string][]int32{topic: {0}})[topic][0].Err
	})

	// Groups and their offsets (a group that only commits offsets).
	step("AlterGroupOffsets", 8, 0, "0.10.0", func() error {
		res, err := a.AlterGroupOffsets(ctx, group, map[string]map[int32]int64{topic: {0: 0, 1: 0}})
		if err != nil {
			return err
		}
		return first(res)
	})
	step("ListGroupOffsets", 9, 0, "0.10.0", func() error {
		res, err := a.ListGroupOffsets(ctx, group, nil)
		if err == nil && len(res[topic]) != 2 {
			err = fmt.Errorf("offsets %v, want partitions 0 and 1 of %s", res, topic)
		}
		return err
	})
	step("ListGroups", 16, 0, "0.10.0", func() error {
		list, err := a.ListGroups(ctx, core.ListGroupsOptions{})
		if err == nil && !slices.ContainsFunc(list, func(g core.GroupListing) bool { return g.ID == group }) {
			err = fmt.Errorf("group %s not listed in %v", group, list)
		}
		return err
	})
	step("ListGroups by state", 16, 4, "2.6", func() error {
		_, err := a.ListGroups(ctx, core.ListGroupsOptions{States: []string{"Empty"}})
		return err
	})
	step("ListGroups by type", 16, 5, "3.8", func() error {
		_, err := a.ListGroups(ctx, core.ListGroupsOptions{Types: []string{"classic"}})
		return err
	})
	step("DescribeGroups", 15, 0, "0.10.0", func() error {
		return a.DescribeGroups(ctx, group)[0].Err
	})
	step("RemoveGroupMembers", 13, 3, "2.4", func() error {
		res, err := a.RemoveGroupMembers(ctx, group, "no-such-instance")
		if err != nil {
			return answered(err, kerr.UnknownMemberID)
		}
		return answered(res["no-such-instance"], kerr.UnknownMemberID)
	})
	step("DeleteGroupOffsets", 47, 0, "2.4", func() error {
		res, err := a.DeleteGroupOffsets(ctx, group, map[string][]int32{topic: {1}})
		if err != nil {
			return err
		}
		return first(res)
	})
	step("DeleteGroups", 42, 0, "1.1", func() error {
		return a.DeleteGroups(ctx, group)[group]
	})

	// ACLs (the test brokers run an authorizer), SCRAM users.
	acl := core.ACLBinding{ResourceType: core.ACLResourceTopic, ResourceName: topic, PatternType: core.ACLPatternLiteral,
		Principal: "User:compat", Host: "*", Operation: core.ACLOperationRead, Permission: core.ACLPermissionAllow}
	filter := core.ACLFilter{ResourceType: core.ACLResourceTopic, ResourceName: topic}
	step("CreateACLs", 30, 0, "0.11.0", func() error {
		errs, err := a.CreateACLs(ctx, []core.ACLBinding{acl})
		if err != nil {
			return err
		}
		return errs[0]
	})
	step("CreateACLs prefixed", 30, 1, "2.0", func() error {
		p := acl
		p.PatternType, p.ResourceName = core.ACLPatternPrefixed, topic+"-p"
		errs, err := a.CreateACLs(ctx, []core.ACLBinding{p})
		if err != nil {
			return err
		}
		return errs[0]
	})
	step("DescribeACLs", 29, 0, "0.11.0", func() error {
		var got []core.ACLBinding
		var err error
		eventually(func() bool { got, err = a.DescribeACLs(ctx, filter); return err != nil || len(got) > 0 })
		if err == nil && len(got) != 1 {
			err = fmt.Errorf("described %v, want the one ACL created", got)
		}
		return err
	})
	step("DeleteACLs", 31, 0, "0.11.0", func() error {
		res, err := a.DeleteACLs(ctx, []core.ACLFilter{filter, {ResourceType: core.ACLResourceTopic, ResourceName: topic + "-p"}})
		if err != nil {
			return err
		}
		return res[0].Err
	})
	step("AlterUserScramCredentials", 51, 0, "2.7", func() error {
		res, err := a.AlterUserScramCredentials(ctx, []core.ScramUpsertion{{User: user, Mechanism: core.ScramSHA256, Password: "compat-secret"}}, nil)
		if err != nil {
			return err
		}
		t.Cleanup(func() {
			_, _ = a.AlterUserScramCredentials(context.Background(), nil, []core.ScramDeletion{{User: user, Mechanism: core.ScramSHA256}})
		})
		return res[user]
	})
	step("DescribeUserScramCredentials", 50, 0, "2.7", func() error {
		_, err := a.DescribeUserScramCredentials(ctx)
		return err
	})

	// Transactions (none open: the answers are about nothing).
	step("DescribeTransactions", 65, 0, "3.0", func() error {
		return answered(a.DescribeTransactions(ctx, "compat-"+topic)["compat-"+topic].Err, kerr.TransactionalIDNotFound)
	})
	step("ListTransactions", 66, 0, "3.0", func() error {
		_, err := a.ListTransactions(ctx, core.ListTransactionsOptions{})
		return err
	})
	step("ListTransactions RunningLongerThan", 66, 1, "3.8", func() error {
		_, err := a.ListTransactions(ctx, core.ListTransactionsOptions{RunningLongerThan: time.Hour})
		return err
	})
	step("ListTransactions Pattern", 66, 2, "4.1", func() error {
		_, err := a.ListTransactions(ctx, core.ListTransactionsOptions{Pattern: "compat-.*"})
		return err
	})

	step("DeleteTopics", 20, 0, "0.10.1", func() error {
		names := []string{created}
		if hi, ok := max[19]; ok && hi >= 4 {
			names = append(names, defaulted)
		}
		res, err := a.DeleteTopics(ctx, names...)
		if err != nil {
			return err
		}
		for _, n := range names {
			if res[n] != nil {
				return res[n]
			}
		}
		return nil
	})
	t.Logf("Kafka %s: served %d calls (%s); refused %d as too old (%s)", version, len(served), strings.Join(served, ", "),
		len(refused), strings.Join(refused, ", "))
}

// TestCompatAdminFirstCall makes each call the first of a fresh Admin,
// which sends it to a bootstrap broker before any metadata is known: on a
// broker without the call's API it must still fail with ErrBrokerTooOld
// (DescribeUserScramCredentials before 2.7), and DescribeCluster must still
// answer from Metadata (before 2.8), as the CLI's metadata command needs.
func TestCompatAdminFirstCall(t *testing.T) {
	ctx := ctxTimeout(t, time.Minute)
	c := kafkatest.Client(t)
	_, max := firstBrokerAPIs(ctx, t, c)
	cl, err := newAdmin(t).DescribeCluster(ctx, false)
	if err != nil || len(cl.Brokers) == 0 || cl.Brokers[0].Port == 0 {
		t.Errorf("DescribeCluster as a fresh Admin's first call: %+v, %v", cl, err)
	}
	_, err = newAdmin(t).DescribeUserScramCredentials(ctx)
	if _, ok := max[50]; ok {
		if err != nil {
			t.Errorf("DescribeUserScramCredentials as a fresh Admin's first call: %v", err)
		}
	} else if !errors.Is(err, core.ErrBrokerTooOld) || !strings.Contains(err.Error(), "2.7") {
		t.Errorf("DescribeUserScramCredentials on a broker without it, as a fresh Admin's first call: %v, want ErrBrokerTooOld naming Kafka 2.7", err)
	}
}
