package protocol

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// unhex decodes hex written with spaces and | separators between fields.
func unhex(t *testing.T, s string) []byte {
	t.Helper()
	s = strings.NewReplacer(" ", "", "|", "", "\n", "", "\t", "").Replace(s)
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex in test: %v", err)
	}
	return b
}

func strp(s string) *string { return &s }

// The golden bytes below are derived by hand from the protocol guide
// (kafka.apache.org/protocol) and the JSON specs, field by field, not from
// this package's output, so that they check the generator against the spec.
var goldenCases = []struct {
	name    string
	msg     Message
	version int16
	hex     string
}{
	{
		// ApiVersionsRequest v3 (flexible): ClientSoftwareName and
		// ClientSoftwareVersion as COMPACT_STRING (uvarint len+1), then an
		// empty tagged-field section.
		name: "ApiVersionsRequest v3", version: 3,
		msg: &ApiVersionsRequest{ClientSoftwareName: "kafka3-go", ClientSoftwareVersion: "1.0"},
		hex: "0a 6b61666b61332d676f | 04 312e30 | 00",
	},
	{
		// MetadataRequest v12: Topics COMPACT_ARRAY of {TopicId uuid, Name
		// COMPACT_NULLABLE_STRING, tags}, AllowAutoTopicCreation,
		// IncludeTopicAuthorizedOperations (IncludeClusterAuthorizedOperations
		// is 8-10 only), tags.
		name: "MetadataRequest v12", version: 12,
		msg: &MetadataRequest{
			Topics:                 []MetadataRequestTopic{{Name: strp("foo")}},
			AllowAutoTopicCreation: true,
		},
		hex: "02 | 00000000000000000000000000000000 | 04 666f6f | 00 | 01 | 00 | 00",
	},
	{
		// MetadataRequest v12 with null Topics (all topics): compact length 0.
		name: "MetadataRequest v12 all topics", version: 12,
		msg: &MetadataRequest{AllowAutoTopicCreation: false, IncludeTopicAuthorizedOperations: true},
		hex: "00 | 00 | 01 | 00",
	},
	{
		// MetadataRequest v0: ARRAY (int32 count) of STRING (int16 length).
		name: "MetadataRequest v0", version: 0,
		msg: &MetadataRequest{Topics: []MetadataRequestTopic{{Name: strp("foo")}}},
		hex: "00000001 | 0003 666f6f",
	},
	{
		// ProduceRequest v9: TransactionalId COMPACT_NULLABLE_STRING null (0),
		// Acks int16 -1, TimeoutMs int32 30000, TopicData COMPACT_ARRAY of
		// {Name COMPACT_STRING, PartitionData COMPACT_ARRAY of {Index int32,
		// Records COMPACT_RECORDS}, tags}, tags.
		name: "ProduceRequest v9", version: 9,
		msg: &ProduceRequest{Acks: -1, TimeoutMs: 30000, TopicData: []ProduceRequestTopicProduceData{{
			Name:          "t",
			PartitionData: []ProduceRequestPartitionProduceData{{Index: 0, Records: []byte{1, 2, 3}}},
		}}},
		hex: "00 | ffff | 00007530 | 02 | 02 74 | 02 | 00000000 | 04 010203 | 00 | 00 | 00",
	},
	{
		// ProduceRequest v3: NULLABLE_STRING transactional id, ARRAY, STRING,
		// RECORDS as NULLABLE_BYTES with an int32 length; null records are -1.
		name: "ProduceRequest v3", version: 3,
		msg: &ProduceRequest{TransactionalId: strp("tx"), Acks: 1, TimeoutMs: 1000,
			TopicData: []ProduceRequestTopicProduceData{{Name: "t",
				PartitionData: []ProduceRequestPartitionProduceData{{Index: 2}}}}},
		hex: "0002 7478 | 0001 | 000003e8 | 00000001 | 0001 74 | 00000001 | 00000002 | ffffffff",
	},
	{
		// ProduceRequest v0 (protocol guide: acks timeout [topic_data];
		// topic_data => topic [data]; data => partition record_set): no
		// transactional id, which came in v3 (merged from the 3.9.1 specs);
		// the record set is BYTES with an int32 length.
		name: "ProduceRequest v0", version: 0,
		msg: &ProduceRequest{Acks: 1, TimeoutMs: 1000, TopicData: []ProduceRequestTopicProduceData{{Name: "t",
			PartitionData: []ProduceRequestPartitionProduceData{{Index: 2, Records: []byte{1, 2, 3}}}}}},
		hex: "0001 | 000003e8 | 00000001 | 0001 74 | 00000001 | 00000002 | 00000003 010203",
	},
	{
		// ProduceResponse v0 ([responses]; responses => topic
		// [partition_responses]; partition_responses => partition error_code
		// base_offset): no throttle time (v1+), no log append time (v2+).
		name: "ProduceResponse v0", version: 0,
		msg: &ProduceResponse{Responses: []ProduceResponseTopicProduceResponse{{Name: "t",
			PartitionResponses: []ProduceResponsePartitionProduceResponse{{Index: 2, ErrorCode: 0, BaseOffset: 42,
				LogAppendTimeMs: -1, LogStartOffset: -1, CurrentLeader: defaultProduceLeader()}}}}},
		hex: "00000001 | 0001 74 | 00000001 | 00000002 | 0000 | 000000000000002a",
	},
	{
		// FetchRequest v0 (replica_id max_wait_time min_bytes [topics];
		// topics => topic [partitions]; partitions => partition fetch_offset
		// max_bytes): no top-level max_bytes (v3+), no isolation level (v4+).
		name: "FetchRequest v0", version: 0,
		msg: &FetchRequest{ReplicaId: -1, MaxWaitMs: 500, MinBytes: 1, MaxBytes: 0x7fffffff,
			ReplicaState: defaultReplicaState(), SessionEpoch: -1,
			Topics: []FetchRequestFetchTopic{{Topic: "t", Partitions: []FetchRequestFetchPartition{{
				Partition: 0, CurrentLeaderEpoch: -1, FetchOffset: 5, LastFetchedEpoch: -1, LogStartOffset: -1,
				PartitionMaxBytes: 1 << 20}}}}},
		hex: "ffffffff | 000001f4 | 00000001 | 00000001 | 0001 74 | 00000001 | 00000000 | 0000000000000005 | 00100000",
	},
	{
		// FetchResponse v0 ([responses]; responses => topic [partitions];
		// partitions => partition error_code high_watermark records): no
		// throttle time (v1+).
		name: "FetchResponse v0", version: 0,
		msg: &FetchResponse{Responses: []FetchResponseFetchableTopicResponse{{Topic: "t",
			Partitions: []FetchResponsePartitionData{{PartitionIndex: 1, ErrorCode: 0, HighWatermark: 10,
				LastStableOffset: -1, LogStartOffset: -1, DivergingEpoch: defaultEpochEndOffset(),
				SnapshotId: defaultSnapshotID(), CurrentLeader: defaultLeader(), PreferredReadReplica: -1,
				Records: []byte{1, 2, 3}}}}}},
		hex: "00000001 | 0001 74 | 00000001 | 00000001 | 0000 | 000000000000000a | 00000003 010203",
	},
	{
		// ListOffsetsRequest v0 (replica_id [topics]; topics => topic
		// [partitions]; partitions => partition timestamp max_num_offsets).
		name: "ListOffsetsRequest v0", version: 0,
		msg: &ListOffsetsRequest{ReplicaId: -1, TimeoutMs: 0, Topics: []ListOffsetsRequestListOffsetsTopic{{Name: "t",
			Partitions: []ListOffsetsRequestListOffsetsPartition{{PartitionIndex: 0, CurrentLeaderEpoch: -1,
				Timestamp: -1, MaxNumOffsets: 1}}}}},
		hex: "ffffffff | 00000001 | 0001 74 | 00000001 | 00000000 | ffffffffffffffff | 00000001",
	},
	{
		// ListOffsetsResponse v0 ([responses]; responses => topic
		// [partition_responses]; partition_responses => partition error_code
		// [old_style_offsets]).
		name: "ListOffsetsResponse v0", version: 0,
		msg: &ListOffsetsResponse{Topics: []ListOffsetsResponseListOffsetsTopicResponse{{Name: "t",
			Partitions: []ListOffsetsResponseListOffsetsPartitionResponse{{PartitionIndex: 0,
				OldStyleOffsets: []int64{7}, Timestamp: -1, Offset: -1, LeaderEpoch: -1}}}}},
		hex: "00000001 | 0001 74 | 00000001 | 00000000 | 0000 | 00000001 0000000000000007",
	},
	{
		// ApiVersionsResponse v3: ErrorCode, ApiKeys COMPACT_ARRAY of {ApiKey,
		// MinVersion, MaxVersion, tags}, ThrottleTimeMs, then a tagged section
		// with one field: tag 1 (FinalizedFeaturesEpoch), size 8, int64 5.
		// SupportedFeatures (tag 0) and FinalizedFeatures (tag 2) are empty
		// and ZkMigrationReady (tag 3) false: defaults, so not written.
		name: "ApiVersionsResponse v3", version: 3,
		msg: &ApiVersionsResponse{
			ApiKeys:                []ApiVersionsResponseApiVersion{{ApiKey: 0, MinVersion: 3, MaxVersion: 12}},
			FinalizedFeaturesEpoch: 5,
		},
		hex: "0000 | 02 | 0000 0003 000c 00 | 00000000 | 01 | 01 08 0000000000000005",
	},
	{
		// ApiVersionsResponse v0: no ThrottleTimeMs, no tags.
		name: "ApiVersionsResponse v0", version: 0,
		msg: &ApiVersionsResponse{ErrorCode: 35,
			ApiKeys: []ApiVersionsResponseApiVersion{{ApiKey: 18, MinVersion: 0, MaxVersion: 4}}},
		hex: "0023 | 00000001 | 0012 0000 0004",
	},
	{
		// FetchResponse v12 partition with a tagged CurrentLeader (tag 1): a
		// struct {LeaderId int32, LeaderEpoch int32, tags} of 9 bytes.
		name: "FetchResponse v12", version: 12,
		msg: &FetchResponse{Responses: []FetchResponseFetchableTopicResponse{{Topic: "t",
			Partitions: []FetchResponsePartitionData{{PartitionIndex: 1, HighWatermark: 10, LastStableOffset: 10,
				LogStartOffset: 0, DivergingEpoch: defaultEpochEndOffset(), SnapshotId: defaultSnapshotID(),
				CurrentLeader: FetchResponseLeaderIdAndEpoch{LeaderId: 3, LeaderEpoch: 7}, PreferredReadReplica: -1}}}}},
		// ThrottleTimeMs, ErrorCode, SessionId, Responses: 1 topic "t",
		// 1 partition: index, error, hw, lso, log start, aborted null,
		// preferred replica, records null, tags {1: 9 bytes}; topic tags; tags.
		hex: "00000000 | 0000 | 00000000 | 02 | 02 74 | 02 | 00000001 | 0000 | 000000000000000a | 000000000000000a |" +
			" 0000000000000000 | 00 | ffffffff | 00 | 01 01 09 00000003 00000007 00 | 00 | 00",
	},
}

func defaultEpochEndOffset() FetchResponseEpochEndOffset {
	var e FetchResponseEpochEndOffset
	e.Default()
	return e
}

func defaultLeader() FetchResponseLeaderIdAndEpoch {
	var l FetchResponseLeaderIdAndEpoch
	l.Default()
	return l
}

func defaultProduceLeader() ProduceResponseLeaderIdAndEpoch {
	var l ProduceResponseLeaderIdAndEpoch
	l.Default()
	return l
}

func defaultReplicaState() FetchRequestReplicaState {
	var s FetchRequestReplicaState
	s.Default()
	return s
}

func defaultSnapshotID() FetchResponseSnapshotId {
	var s FetchResponseSnapshotId
	s.Default()
	return s
}

func TestGolden(t *testing.T) {
	t.Parallel()
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			want := unhex(t, c.hex)
			got := c.msg.AppendTo(nil, c.version)
			if !bytes.Equal(got, want) {
				t.Fatalf("encoding:\n got %x\nwant %x", got, want)
			}
			out := newLike(c.msg)
			if err := out.Decode(want, c.version); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if again := out.AppendTo(nil, c.version); !bytes.Equal(again, want) {
				t.Fatalf("decode+encode:\n got %x\nwant %x", again, want)
			}
		})
	}
}

// TestGoldenRequestFrame checks a whole ApiVersions v3 request: header v2
// (ClientId as a classic NULLABLE_STRING even though the header is flexible)
// and body, and DecodeRequest on it.
func TestGoldenRequestFrame(t *testing.T) {
	t.Parallel()
	want := unhex(t, "0012 0003 00000007 0003 636c69 00 | 0a 6b61666b61332d676f 04 312e30 00")
	req := &ApiVersionsRequest{ClientSoftwareName: "kafka3-go", ClientSoftwareVersion: "1.0"}
	h := RequestHeader{RequestApiKey: req.Key(), RequestApiVersion: 3, CorrelationId: 7, ClientId: strp("cli")}
	if hv := req.RequestHeaderVersion(3); hv != 2 {
		t.Fatalf("RequestHeaderVersion(3) = %d, want 2", hv)
	}
	got := req.AppendTo(h.AppendTo(nil, 2), 3)
	if !bytes.Equal(got, want) {
		t.Fatalf("frame:\n got %x\nwant %x", got, want)
	}
	h2, r2, err := DecodeRequest(want)
	if err != nil {
		t.Fatal(err)
	}
	if h2.CorrelationId != 7 || *h2.ClientId != "cli" || r2.(*ApiVersionsRequest).ClientSoftwareName != "kafka3-go" {
		t.Fatalf("DecodeRequest: %+v %+v", h2, r2)
	}
}

func TestHeaderVersions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		key, version, reqHeader, respHeader int16
	}{
		{18, 0, 1, 0}, {18, 3, 2, 0}, {18, 4, 2, 0}, // ApiVersions responses always v0
		{3, 8, 1, 0}, {3, 9, 2, 1}, // Metadata flexible from 9
		{0, 8, 1, 0}, {0, 9, 2, 1},
		{1, 11, 1, 0}, {1, 12, 2, 1},
		{17, 1, 1, 0}, // SaslHandshake never flexible
	}
	for _, c := range cases {
		req, ok := NewRequest(c.key)
		if !ok {
			t.Fatalf("NewRequest(%d) failed", c.key)
		}
		if got := req.RequestHeaderVersion(c.version); got != c.reqHeader {
			t.Errorf("%s v%d: request header %d, want %d", APIName(c.key), c.version, got, c.reqHeader)
		}
		if got := req.NewResponse().ResponseHeaderVersion(c.version); got != c.respHeader {
			t.Errorf("%s v%d: response header %d, want %d", APIName(c.key), c.version, got, c.respHeader)
		}
	}
	if requestHeaderVersion(7, false, 0) != 0 {
		t.Error("ControlledShutdown v0 must use request header v0")
	}
}

func TestAPITable(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		key      int16
		name     string
		min, max int16
	}{
		// Versions below 4.4.0's minimum come from the 3.9.1 specs (KIP-896).
		{0, "Produce", 0, 13}, {1, "Fetch", 0, 18}, {2, "ListOffsets", 0, 11}, {3, "Metadata", 0, 13},
		{8, "OffsetCommit", 0, 10}, {9, "OffsetFetch", 0, 10}, {19, "CreateTopics", 0, 7},
		{20, "DeleteTopics", 0, 6}, {18, "ApiVersions", 0, 5},
		{22, "InitProducerId", 0, 5},      // InitProducerId v6 is unstable in 4.4.0
		{76, "ShareGroupHeartbeat", 1, 1}, // v0 was unstable in 3.9.1: not merged
	} {
		info, ok := LookupAPI(c.key)
		if !ok || info.Name != c.name || info.MinVersion != c.min || info.MaxVersion != c.max || APIName(c.key) != c.name {
			t.Errorf("LookupAPI(%d) = %+v, %v; want %s %d-%d", c.key, info, ok, c.name, c.min, c.max)
		}
	}
	if APIName(7) != "ControlledShutdown" {
		t.Errorf("APIName(7) = %q", APIName(7))
	}
	if _, ok := NewRequest(7); ok {
		t.Error("NewRequest(7): ControlledShutdown was removed and has no versions")
	}
	if APIName(-1) != "Unknown(-1)" || APIName(32000) != "Unknown(32000)" {
		t.Error("APIName of unknown keys")
	}
	if _, ok := NewRequest(32000); ok {
		t.Error("NewRequest(32000) succeeded")
	}
	for _, a := range APIs() {
		req, _ := NewRequest(a.Key)
		if req.Key() != a.Key || req.NewResponse().Key() != a.Key || req.MaxVersion() != req.NewResponse().MaxVersion() {
			t.Errorf("%s: keys or versions disagree", a.Name)
		}
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	req, _ := NewRequest(1)
	f := req.(*FetchRequest)
	if f.ReplicaId != -1 || f.MaxBytes != 0x7fffffff || f.IsolationLevel != 0 || f.SessionEpoch != -1 ||
		f.ClusterId != nil || f.ReplicaState.ReplicaEpoch != -1 || f.RackId != "" {
		t.Errorf("FetchRequest defaults: %+v", f)
	}
	var m MetadataRequest
	m.Default()
	if !m.AllowAutoTopicCreation || m.Topics == nil || len(m.Topics) != 0 {
		t.Errorf("MetadataRequest defaults: %+v (Topics must be empty, not null)", m)
	}
}
