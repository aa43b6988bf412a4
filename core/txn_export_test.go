package core

import "context"

// InitTransactionsV1 is InitTransactions forced to transaction protocol v1
// (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn v4), so that the v1 flow is
// tested against brokers that support v2 as well.
func InitTransactionsV1(ctx context.Context, p *Producer) error {
	p.txn.forceV1 = true
	return p.InitTransactions(ctx)
}
