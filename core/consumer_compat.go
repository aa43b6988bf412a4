package core

// Consuming from old brokers. Fetch v0-3 (brokers before 0.11) answer with
// legacy message sets, which record.Decoder reads (magic 0 has no
// timestamps; compressed wrappers are unpacked with their inner offsets);
// ListOffsets, OffsetForLeaderEpoch (skipped when the broker lacks it) and
// fetch sessions (Fetch v7, Kafka 1.1) are negotiated per broker.

// fetchReadCommitted is the first Fetch version with an isolation level
// (Kafka 0.11).
const fetchReadCommitted = 4

// warnIsolation logs once per broker that read_committed is served as
// read_uncommitted by a broker older than 0.11 (Fetch below v4). That is
// the same thing there: such a broker has no transactions, so every record
// it holds is committed. Fetch goroutine only (fb is owned by it).
func (c *Consumer) warnIsolation(fb *fetchBroker, version int16) {
	if version >= fetchReadCommitted || c.cfg.IsolationLevel != ReadCommitted || fb.warnedIsolation {
		return
	}
	fb.warnedIsolation = true
	c.log.Warn("consumer: the broker predates transactions (Kafka < 0.11): read_committed reads every record, as read_uncommitted",
		"broker", fb.id, "fetch_version", version)
}
