package brokerversion

import (
	"cmp"
	"strconv"
)

// Version is a Kafka release line, such as 3.9 or 0.10.2. Patch is used only
// for the 0.x releases, whose third component told releases with different
// APIs apart (0.10.0, 0.10.1, 0.10.2, 0.11.0); it is 0 for 1.0 and later,
// where API versions do not change between patch releases. The zero value
// is not a known release. Version is comparable with ==.
type Version struct {
	Major, Minor, Patch int
}

// String returns "3.9" for 1.0 and later, and "0.10.2" for the 0.x releases.
func (v Version) String() string {
	s := strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor)
	if v.Major == 0 || v.Patch != 0 {
		s += "." + strconv.Itoa(v.Patch)
	}
	return s
}

// Compare returns -1, 0 or +1 as v is older than, the same as, or newer
// than w.
func (v Version) Compare(w Version) int {
	if c := cmp.Compare(v.Major, w.Major); c != 0 {
		return c
	}
	if c := cmp.Compare(v.Minor, w.Minor); c != 0 {
		return c
	}
	return cmp.Compare(v.Patch, w.Patch)
}

// release is a known release and its probe.
type release struct {
	v Version
	p probe
}

// probe is passed by a broker that advertises API key at a maximum version
// of min or higher.
type probe struct {
	key, min int16
}

func (p probe) passes(maxVersions map[int16]int16) bool {
	max, ok := maxVersions[p.key]
	return ok && max >= p.min
}

// Guess returns the newest known release whose probe the broker passes,
// which is the release the broker is at least. maxVersions maps each API
// key the broker advertises in its ApiVersions response to its maximum
// version; Guess does not keep or modify it. APIs and versions it does not
// know are ignored, so a broker newer than every known release is reported
// as the newest known one. When no probe passes, which no real broker from
// 0.10.0 on does, it returns the oldest release, 0.10.0. Safe for
// concurrent use.
func Guess(maxVersions map[int16]int16) Version {
	for i := len(releases) - 1; i > 0; i-- {
		if releases[i].p.passes(maxVersions) {
			return releases[i].v
		}
	}
	return releases[0].v
}

// Releases returns the known releases, oldest first, from 0.10.0 to the
// newest known 4.x. The slice is a fresh copy the caller may modify.
func Releases() []Version {
	vs := make([]Version, len(releases))
	for i, r := range releases {
		vs[i] = r.v
	}
	return vs
}

// Newest returns the newest known release: what Guess answers for any
// broker at that release or later.
func Newest() Version { return releases[len(releases)-1].v }

// Since returns the first known release whose brokers serve API key (by
// default, without a feature switched on), and false for a key no known
// release serves. Safe for concurrent use.
func Since(key int16) (Version, bool) {
	v, ok := since[key]
	return v, ok
}
