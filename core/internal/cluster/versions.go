package cluster

import (
	"fmt"

	"github.com/kafka3/kafka3-go/core/kerr"
	"github.com/kafka3/kafka3-go/core/protocol"
)

// Versions is the range of versions a broker supports for each API, from
// its ApiVersions response. Immutable once built.
type Versions struct {
	ranges map[int16][2]int16
	// Raw is the broker's response, for CheckVersion and the CLI's probe.
	Raw *protocol.ApiVersionsResponse
}

func newVersions(resp *protocol.ApiVersionsResponse) *Versions {
	v := &Versions{ranges: make(map[int16][2]int16, len(resp.ApiKeys)), Raw: resp}
	for _, k := range resp.ApiKeys {
		v.ranges[k.ApiKey] = [2]int16{k.MinVersion, k.MaxVersion}
	}
	return v
}

// Range returns the broker's versions of API key, and false when the broker
// does not support the API.
func (v *Versions) Range(key int16) (lo, hi int16, ok bool) {
	r, ok := v.ranges[key]
	return r[0], r[1], ok
}

// Max returns the broker's highest version of each API, by key.
func (v *Versions) Max() map[int16]int16 {
	out := make(map[int16]int16, len(v.ranges))
	for k, r := range v.ranges {
		out[k] = r[1]
	}
	return out
}

// Pick returns the version to send req at: the highest version both this
// client and the broker support, or an error that says the two do not meet.
func (v *Versions) Pick(req protocol.Message, addr string) (int16, error) {
	return v.PickUpTo(req, req.MaxVersion(), addr)
}

// PickUpTo is Pick with this client's versions of req capped at
// maxVersion, for requests whose newer versions need what the caller lacks
// (topic ids, a transaction protocol).
func (v *Versions) PickUpTo(req protocol.Message, maxVersion int16, addr string) (int16, error) {
	key := req.Key()
	lo, hi, ok := v.Range(key)
	if !ok {
		return 0, fmt.Errorf("cluster: broker %s does not support the %s API (key %d); it is too old or does not serve it: %w",
			addr, protocol.APIName(key), key, kerr.UnsupportedVersion)
	}
	top := min(maxVersion, req.MaxVersion())
	version := min(hi, top)
	if version < lo || version < req.MinVersion() {
		return 0, fmt.Errorf("cluster: no common version of %s: this client speaks %d..%d, broker %s %d..%d: %w",
			protocol.APIName(key), req.MinVersion(), top, addr, lo, hi, kerr.UnsupportedVersion)
	}
	return version, nil
}
