package core_test

import (
	"slices"
	"testing"
	"time"

	"github.com/kafka3/kafka3-go/core"
	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
)

// initProducerID gets a producer id, for a transactional id when txn is
// not empty (which the coordinator then knows, in state Empty). Retriable
// errors are retried for 30s: a broker that just started (scripts/compat)
// answers COORDINATOR_NOT_AVAILABLE or COORDINATOR_LOAD_IN_PROGRESS while
// it creates and loads its transaction state.
func initProducerID(t *testing.T, txn string) (int64, int16) {
	t.Helper()
	ctx := adminCtx(t)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		req := &protocol.InitProducerIdRequest{}
		req.Default()
		req.TransactionTimeoutMs, req.TransactionalId = 30000, nil
		if txn != "" {
			req.TransactionalId = &txn
		}
		resp, err := kafkatest.Client(t).Request(ctx, req)
		if err == nil {
			r := resp.(*protocol.InitProducerIdResponse)
			if r.ErrorCode == 0 {
				return r.ProducerId, r.ProducerEpoch
			}
			err = kerr.ForCode(r.ErrorCode)
		}
		if !kerr.IsRetriable(err) || time.Now().After(deadline) {
			t.Fatalf("InitProducerId: %v", err)
		}
	}
}

func TestAdminProducersAndTransactions(t *testing.T) {
	kafkatest.SkipBrokerOlderThan(t, 3, 0, "DescribeTransactions and ListTransactions (KIP-664, Kafka 3.0)")
	t.Parallel()
	a, ctx := newAdmin(t), adminCtx(t)
	topic := kafkatest.CreateTopic(t, 2, nil)
	pid, epoch := initProducerID(t, "")
	produce(t, topic, 0, 3, pid, epoch)

	prod := a.DescribeProducers(ctx, map[string][]int32{topic: {0, 1, 4}})
	if p := prod[topic][0]; p.Err != nil || len(p.Producers) != 1 || p.Producers[0].ProducerID != pid || p.Producers[0].LastSequence != 2 {
		t.Fatalf("producers of partition 0: %+v", p)
	}
	if p := prod[topic][1]; p.Err != nil || len(p.Producers) != 0 {
		t.Fatalf("producers of partition 1: %+v", p)
	}
	wantErr(t, "producers of partition 4", prod[topic][4].Err, kerr.UnknownTopicOrPartition)

	txn, missing := kafkatest.Topic(t), kafkatest.Topic(t)
	txnPID, _ := initProducerID(t, txn)
	desc := a.DescribeTransactions(ctx, txn, missing)
	if d := desc[txn]; d.Err != nil || d.State != "Empty" || d.ProducerID != txnPID || d.Timeout != 30*time.Second || !d.Started.IsZero() {
		t.Fatalf("DescribeTransactions(%s) = %+v", txn, d)
	}
	wantErr(t, "describe a missing transactional id", desc[missing].Err, kerr.TransactionalIDNotFound)

	list, err := a.ListTransactions(ctx, core.ListTransactionsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(list, func(l core.TransactionListing) bool { return l.TransactionalID == txn }); i < 0 || list[i].ProducerID != txnPID || list[i].State != "Empty" {
		t.Fatalf("ListTransactions lacks %s: %+v", txn, list)
	}
	ongoing := core.ListTransactionsOptions{States: []string{"Ongoing"}}
	if !kafkatest.BrokerOlderThan(4, 1) { // the Pattern filter (ListTransactions v2, KIP-1152) came in 4.1
		ongoing.Pattern = txn
	}
	list, err = a.ListTransactions(ctx, ongoing)
	if err != nil || slices.ContainsFunc(list, func(l core.TransactionListing) bool { return l.TransactionalID == txn }) ||
		(ongoing.Pattern != "" && len(list) != 0) {
		t.Fatalf("ListTransactions(%+v) = %v, %v", ongoing, list, err)
	}
	list, err = a.ListTransactions(ctx, core.ListTransactionsOptions{ProducerIDs: []int64{txnPID}})
	if err != nil || len(list) != 1 {
		t.Fatalf("ListTransactions(producer %d) = %v, %v", txnPID, list, err)
	}
}
