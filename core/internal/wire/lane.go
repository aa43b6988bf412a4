package wire

import "strconv"

// Lane selects one of a Broker's connections, so that slow requests of one
// kind never queue behind those of another: a long-polling Fetch does not
// delay a Produce or a heartbeat.
type Lane uint8

// The lanes of a Broker.
const (
	// LaneAdmin carries metadata, ApiVersions, admin requests and anything
	// without a lane of its own.
	LaneAdmin Lane = iota
	// LaneProduce carries Produce and transactional requests.
	LaneProduce
	// LaneFetch carries Fetch and ListOffsets.
	LaneFetch
	// LaneGroup carries group membership and offsets: FindCoordinator,
	// JoinGroup, SyncGroup, Heartbeat, OffsetCommit, OffsetFetch,
	// LeaveGroup, ConsumerGroupHeartbeat.
	LaneGroup

	numLanes
)

var laneNames = [numLanes]string{"admin", "produce", "fetch", "group"}

// String returns the lane's name, e.g. "fetch".
func (l Lane) String() string {
	if l < numLanes {
		return laneNames[l]
	}
	return "lane(" + strconv.Itoa(int(l)) + ")"
}
