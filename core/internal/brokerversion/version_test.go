package brokerversion

import (
	"slices"
	"testing"
)

// jarTable is one release's full API table, generated into zz_tables_test.go
// from its kafka-clients jar ("specs": the JSON message specs; "ApiKeys": the
// ApiKeys enum of jars older than the specs).
type jarTable struct {
	v        Version
	artifact string
	from     string
	apis     []jarAPI
}

// jarAPI is an API's highest version a broker advertises by default, and
// the broker modes that serve it.
type jarAPI struct {
	key, max int16
	modes    mode
}

type mode uint8

const (
	zk mode = 1 << iota // served by ZooKeeper-mode brokers (every API before listeners, in 2.8)
	kr                  // served by KRaft-mode brokers
)

// advertised builds the ApiVersions a broker of t's release in mode m would
// send: the APIs that mode serves, without those advertised only when a
// feature is enabled (client telemetry, share and streams groups), which a
// default broker may leave out.
func (t jarTable) advertised(m mode) map[int16]int16 {
	out := map[int16]int16{}
	for _, a := range t.apis {
		if a.modes&m == 0 || a.key == 71 || a.key == 72 || a.key >= 76 {
			continue
		}
		out[a.key] = a.max
	}
	return out
}

// modes lists the broker modes t's release runs in.
func (t jarTable) modes() []mode {
	var any mode
	for _, a := range t.apis {
		any |= a.modes
	}
	var ms []mode
	for _, m := range []mode{zk, kr} {
		if any&m != 0 {
			ms = append(ms, m)
		}
	}
	return ms
}

func (m mode) String() string {
	if m == zk {
		return "zk"
	}
	return "kraft"
}

// kraft34 is the one release whose brokers, in KRaft mode, advertise
// exactly what the release before them does (3.4 changed only
// ZooKeeper-mode inter-broker APIs): Guess reports such a broker as 3.3.
var kraft34 = Version{3, 4, 0}

// want is what Guess should answer for a broker of t's release in mode m.
func want(t jarTable, m mode) Version {
	if t.v == kraft34 && m == kr {
		return Version{3, 3, 0}
	}
	return t.v
}

func TestGuessEveryRelease(t *testing.T) {
	t.Parallel()
	for _, jt := range jarTables {
		for _, m := range jt.modes() {
			t.Run(jt.v.String()+"/"+m.String(), func(t *testing.T) {
				t.Parallel()
				if got, want := Guess(jt.advertised(m)), want(jt, m); got != want {
					t.Errorf("Guess(%s broker in %s mode, jar %s) = %s, want %s", jt.v, m, jt.artifact, got, want)
				}
			})
		}
	}
}

// TestProbesDistinguishConsecutiveReleases checks each probe against the
// jars: a broker of the release passes it, in every mode, and a broker of
// the release before fails it.
func TestProbesDistinguishConsecutiveReleases(t *testing.T) {
	t.Parallel()
	if len(jarTables) != len(releases) {
		t.Fatalf("%d jar tables for %d releases: regenerate with go run ./internal/cmd/genversions", len(jarTables), len(releases))
	}
	for i, r := range releases {
		if jarTables[i].v != r.v {
			t.Fatalf("jar table %d is %s, release %d is %s", i, jarTables[i].v, i, r.v)
		}
		for _, m := range jarTables[i].modes() {
			if !r.p.passes(jarTables[i].advertised(m)) && want(jarTables[i], m) == r.v {
				t.Errorf("%s broker (%s mode) fails its own probe %+v", r.v, m, r.p)
			}
		}
		if i == 0 {
			continue
		}
		for _, m := range jarTables[i-1].modes() {
			if r.p.passes(jarTables[i-1].advertised(m)) {
				t.Errorf("%s broker (%s mode) passes the probe %+v of %s", releases[i-1].v, m, r.p, r.v)
			}
		}
	}
}

// TestMonotonic checks that a broker of each release passes the probes of
// every older release (but 3.4's, a ZooKeeper-mode API, in KRaft mode), so
// that the answer never goes back as brokers get newer, and fails those of
// every newer one.
func TestMonotonic(t *testing.T) {
	t.Parallel()
	var prev Version
	for i, jt := range jarTables {
		for _, m := range jt.modes() {
			adv := jt.advertised(m)
			for j, r := range releases {
				passes := r.p.passes(adv)
				switch {
				case j <= i && !passes && !(m == kr && r.v == kraft34): // 3.4's probe is a ZooKeeper-mode API
					t.Errorf("%s broker (%s) fails the probe of older %s", jt.v, m, r.v)
				case j > i && passes:
					t.Errorf("%s broker (%s) passes the probe of newer %s", jt.v, m, r.v)
				}
			}
			if got := Guess(adv); got.Compare(prev) < 0 {
				t.Errorf("%s broker (%s) guessed %s, older than %s for an older broker", jt.v, m, got, prev)
			}
		}
		prev = Guess(jt.advertised(jt.modes()[0]))
	}
}

// TestGuessNewerBroker: a broker newer than every known release (new APIs,
// higher versions) is reported as the newest known release, which it is at
// least.
func TestGuessNewerBroker(t *testing.T) {
	t.Parallel()
	newest := jarTables[len(jarTables)-1].advertised(kr)
	future := map[int16]int16{}
	for k, v := range newest {
		future[k] = v + 1
	}
	future[200] = 3
	future[-1] = 7
	for name, adv := range map[string]map[int16]int16{"newest": newest, "future": future} {
		if got := Guess(adv); got != Newest() {
			t.Errorf("%s: Guess = %s, want %s", name, got, Newest())
		}
	}
	if Newest() != releases[len(releases)-1].v || Newest() != (Version{4, 4, 0}) {
		t.Errorf("Newest() = %s", Newest())
	}
}

// TestGuessDegenerate: with no probe passing (not a real broker), Guess
// falls back to the oldest release rather than failing.
func TestGuessDegenerate(t *testing.T) {
	t.Parallel()
	for _, adv := range []map[int16]int16{nil, {}, {18: 0}, {99: 1}} {
		if got := Guess(adv); got != (Version{0, 10, 0}) {
			t.Errorf("Guess(%v) = %s, want 0.10.0", adv, got)
		}
	}
}

// TestGuessRealBrokerCaptures checks Guess against ApiVersions responses of
// real brokers, independent of the jars. Source: the captures in
// kafka-python's kafka/protocol/broker_api_versions.py (dpkp/kafka-python),
// "copied from brokers via api_versions_response": the ZooKeeper-mode 2.7
// broker (no KRaft APIs 52-55) and the KRaft 4.0 broker (no
// ZooKeeper APIs, no telemetry 71-72) advertise less than their jars.
func TestGuessRealBrokerCaptures(t *testing.T) {
	t.Parallel()
	zk27 := map[int16]int16{0: 8, 1: 12, 2: 5, 3: 9, 4: 4, 5: 3, 6: 6, 7: 3, 8: 8, 9: 7, 10: 3, 11: 7, 12: 4, 13: 4,
		14: 5, 15: 5, 16: 4, 17: 1, 18: 3, 19: 6, 20: 5, 21: 2, 22: 4, 23: 3, 24: 2, 25: 2, 26: 2, 27: 0, 28: 3,
		29: 2, 30: 2, 31: 2, 32: 3, 33: 1, 34: 1, 35: 2, 36: 2, 37: 3, 38: 2, 39: 2, 40: 2, 41: 2, 42: 2, 43: 2,
		44: 1, 45: 0, 46: 0, 47: 0, 48: 0, 49: 0, 50: 0, 51: 0, 56: 0, 57: 0}
	kraft40 := map[int16]int16{0: 12, 1: 17, 2: 10, 3: 13, 8: 9, 9: 9, 10: 6, 11: 9, 12: 4, 13: 5, 14: 5, 15: 6,
		16: 5, 17: 1, 18: 4, 19: 7, 20: 6, 21: 2, 22: 5, 23: 4, 24: 5, 25: 4, 26: 5, 27: 1, 28: 5, 29: 3, 30: 3,
		31: 3, 32: 4, 33: 2, 34: 2, 35: 4, 36: 2, 37: 3, 38: 3, 39: 2, 40: 2, 41: 3, 42: 2, 43: 2, 44: 1, 45: 0,
		46: 0, 47: 0, 48: 1, 49: 1, 50: 0, 51: 0, 55: 2, 57: 2, 60: 2, 61: 0, 64: 0, 65: 0, 66: 1, 68: 1, 69: 1,
		74: 0, 75: 0, 80: 0, 81: 0}
	for _, tc := range []struct {
		adv  map[int16]int16
		want Version
	}{{zk27, Version{2, 7, 0}}, {kraft40, Version{4, 0, 0}}} {
		if got := Guess(tc.adv); got != tc.want {
			t.Errorf("Guess = %s, want %s", got, tc.want)
		}
	}
}

func TestReleases(t *testing.T) {
	t.Parallel()
	rs := Releases()
	if len(rs) != len(releases) || rs[0] != (Version{0, 10, 0}) || rs[len(rs)-1] != Newest() {
		t.Fatalf("Releases() = %v", rs)
	}
	if !slices.IsSortedFunc(rs, Version.Compare) {
		t.Errorf("Releases() not ascending: %v", rs)
	}
	for i := 1; i < len(rs); i++ {
		if rs[i-1].Compare(rs[i]) >= 0 {
			t.Errorf("Releases()[%d] = %s is not older than %s", i-1, rs[i-1], rs[i])
		}
	}
	rs[0] = Version{}
	if Releases()[0] != (Version{0, 10, 0}) {
		t.Error("Releases() shares its slice")
	}
}

func TestVersionString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		v    Version
		want string
	}{
		{Version{0, 10, 0}, "0.10.0"}, {Version{0, 10, 2}, "0.10.2"}, {Version{0, 11, 0}, "0.11.0"},
		{Version{1, 0, 0}, "1.0"}, {Version{3, 9, 0}, "3.9"}, {Version{4, 4, 0}, "4.4"}, {Version{3, 9, 2}, "3.9.2"},
	} {
		if got := tc.v.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestVersionCompare(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b Version
		want int
	}{
		{Version{0, 10, 2}, Version{0, 11, 0}, -1}, {Version{0, 11, 0}, Version{1, 0, 0}, -1},
		{Version{3, 9, 0}, Version{3, 10, 0}, -1}, {Version{4, 0, 0}, Version{3, 9, 0}, 1},
		{Version{2, 8, 0}, Version{2, 8, 0}, 0}, {Version{0, 10, 1}, Version{0, 10, 0}, 1},
	} {
		if got := tc.a.Compare(tc.b); got != tc.want {
			t.Errorf("%s.Compare(%s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func BenchmarkGuess(b *testing.B) {
	adv := jarTables[len(jarTables)-1].advertised(kr)
	b.ReportAllocs()
	for b.Loop() {
		Guess(adv)
	}
}

// TestSinceMatchesTables: Since names, for every API of every release's
// table, the first release whose table lists it.
func TestSinceMatchesTables(t *testing.T) {
	t.Parallel()
	first := map[int16]Version{}
	for _, jt := range jarTables {
		for _, a := range jt.apis {
			if _, ok := first[a.key]; !ok {
				first[a.key] = jt.v
			}
		}
	}
	if len(first) != len(since) {
		t.Errorf("since has %d keys, the tables %d", len(since), len(first))
	}
	for key, want := range first {
		if got, ok := Since(key); !ok || got != want {
			t.Errorf("Since(%d) = %v, %v; want %v", key, got, ok, want)
		}
	}
	if _, ok := Since(-1); ok {
		t.Error("Since(-1) reports a release")
	}
}
