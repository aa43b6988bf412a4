package core

// ConsumerGroupMetadata identifies a consumer group member to
// Producer.SendOffsetsToTransaction, so that the group coordinator refuses
// offsets from a member that was fenced or fell out of the group (KIP-447):
// a zombie cannot commit a transaction's offsets over its successor's.
type ConsumerGroupMetadata struct {
	GroupID string
	// GenerationID is the group's generation (the member epoch with
	// GroupProtocolConsumer); -1 when unknown.
	GenerationID int32
	// MemberID is the member's id; empty when unknown.
	MemberID string
	// GroupInstanceID is the static member's id (KIP-345); empty when dynamic.
	GroupInstanceID string
}

// GroupMetadata returns the consumer's group membership, for
// Producer.SendOffsetsToTransaction: call it after the Poll whose records
// the transaction processes (the generation changes with rebalances). With
// partitions assigned by hand (no Subscribe) the generation is -1 and the
// member id empty, and the coordinator checks neither. Without a GroupID it
// is the zero value. Safe for concurrent use.
func (c *Consumer) GroupMetadata() ConsumerGroupMetadata {
	if c.grp == nil {
		return ConsumerGroupMetadata{GenerationID: -1}
	}
	g := c.grp.g
	md := ConsumerGroupMetadata{GroupID: g.cfg.GroupID, GenerationID: -1, GroupInstanceID: g.cfg.InstanceID}
	if c.subscribed() {
		g.mu.Lock()
		md.GenerationID, md.MemberID = g.generation, g.memberID
		g.mu.Unlock()
	}
	return md
}
