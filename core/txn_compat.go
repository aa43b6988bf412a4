package core

import (
	"errors"
	"fmt"

	"github.com/kafka3/kafka3-go/core/kerr"
)

// Transactions and KIP-848 groups on brokers too old for them.

// ErrTransactionsUnsupported is the cause of the fatal *TxnError that
// InitTransactions returns when the brokers predate Kafka 0.11, which
// brought transactions (KIP-98) and the InitProducerId API. It also
// matches ErrBrokerTooOld and kerr.UnsupportedVersion. Upgrade the
// brokers, or produce without ProducerConfig.TransactionalID.
var ErrTransactionsUnsupported = errors.New("core: transactions need Kafka 0.11 or newer (KIP-98, InitProducerId); the broker is older: upgrade it, or produce without ProducerConfig.TransactionalID")

// txnSupportError explains a transactional call's UNSUPPORTED_VERSION from
// a broker that lacks the transactional APIs; other errors pass as they are.
func txnSupportError(err error) error {
	if err == nil || !errors.Is(err, kerr.UnsupportedVersion) || errors.Is(err, ErrTransactionsUnsupported) {
		return err
	}
	return fmt.Errorf("%w (%w: %w)", ErrTransactionsUnsupported, ErrBrokerTooOld, err)
}

// kip848Error explains the failure of a KIP-848 group member
// (GroupProtocolConsumer) whose broker does not serve the consumer group
// protocol: it names the protocol and Kafka 4.0; other errors pass.
func kip848Error(err error) error {
	if err == nil || !errors.Is(err, kerr.UnsupportedVersion) || errors.Is(err, ErrBrokerTooOld) {
		return err
	}
	return fmt.Errorf("%w: GroupProtocolConsumer (KIP-848, ConsumerGroupHeartbeat) needs Kafka 4.0 or newer "+
		"(3.7 to 3.9 only with the broker's group.coordinator.rebalance.protocols including consumer); use GroupProtocolClassic: %w",
		ErrBrokerTooOld, err)
}
