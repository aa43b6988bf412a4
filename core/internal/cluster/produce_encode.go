package cluster

import (
	"github.com/kafka3/kafka3-go/core/internal/wire"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// insertMin is the size from which a partition's records are written from
// the caller's slice instead of being copied into the request body: below
// it a copy costs less than the extra piece of a vectored write.
const insertMin = 1 << 10

// appendProduce encodes req at version as req.AppendTo does, except that
// each partition's records of insertMin bytes or more are left out of dst:
// ins gets an Insert for them at their place. The other fields are few and
// small; TestAppendProduceMatchesAppendTo holds this to the generated
// encoder for every version.
func appendProduce(dst []byte, ins []wire.Insert, req *protocol.ProduceRequest, version int16) ([]byte, []wire.Insert) {
	flexible := req.IsFlexible(version)
	if version >= 3 {
		if flexible {
			dst = protocol.AppendCompactNullableString(dst, req.TransactionalId)
		} else {
			dst = protocol.AppendNullableString(dst, req.TransactionalId)
		}
	}
	dst = protocol.AppendInt16(dst, req.Acks)
	dst = protocol.AppendInt32(dst, req.TimeoutMs)
	dst = appendArrayLen(dst, len(req.TopicData), flexible)
	for i := range req.TopicData {
		td := &req.TopicData[i]
		switch {
		case version >= 13:
			dst = protocol.AppendUUID(dst, td.TopicId)
		case flexible:
			dst = protocol.AppendCompactString(dst, td.Name)
		default:
			dst = protocol.AppendString(dst, td.Name)
		}
		dst = appendArrayLen(dst, len(td.PartitionData), flexible)
		for j := range td.PartitionData {
			pd := &td.PartitionData[j]
			dst = protocol.AppendInt32(dst, pd.Index)
			dst, ins = appendRecords(dst, ins, pd.Records, flexible)
			if flexible {
				dst = protocol.AppendTaggedFields(dst, pd.UnknownTaggedFields)
			}
		}
		if flexible {
			dst = protocol.AppendTaggedFields(dst, td.UnknownTaggedFields)
		}
	}
	if flexible {
		dst = protocol.AppendTaggedFields(dst, req.UnknownTaggedFields)
	}
	return dst, ins
}

// appendRecords encodes a nullable bytes field, its bytes by reference
// from insertMin on.
func appendRecords(dst []byte, ins []wire.Insert, records []byte, flexible bool) ([]byte, []wire.Insert) {
	if records == nil || len(records) < insertMin {
		if flexible {
			return protocol.AppendCompactNullableBytes(dst, records), ins
		}
		return protocol.AppendNullableBytes(dst, records), ins
	}
	if flexible {
		dst = protocol.AppendUvarint(dst, uint64(len(records))+1)
	} else {
		dst = protocol.AppendInt32(dst, int32(len(records)))
	}
	return dst, append(ins, wire.Insert{At: len(dst), Bytes: records})
}

func appendArrayLen(dst []byte, n int, flexible bool) []byte {
	if flexible {
		return protocol.AppendCompactArrayLen(dst, n)
	}
	return protocol.AppendArrayLen(dst, n)
}
