package main

import (
	"testing"
)

func TestFromSpec(t *testing.T) {
	t.Parallel()
	k := int16(1)
	for _, tc := range []struct {
		name string
		s    spec
		want api
		ok   bool
	}{
		{"range", spec{APIKey: &k, ValidVersions: "4-18", Listeners: []string{"broker", "controller"}}, api{key: 1, max: 18, kr: true}, true},
		{"single", spec{APIKey: &k, ValidVersions: "0"}, api{key: 1, max: 0, zk: true}, true},
		{"unstable", spec{APIKey: &k, ValidVersions: "0-5", LatestVersionUnstable: true, Listeners: []string{"zkBroker", "broker"}}, api{key: 1, max: 4, zk: true, kr: true}, true},
		{"only unstable", spec{APIKey: &k, ValidVersions: "0", LatestVersionUnstable: true}, api{}, false},
		{"removed", spec{APIKey: &k, ValidVersions: "none"}, api{}, false},
		{"controller only", spec{APIKey: &k, ValidVersions: "0-1", Listeners: []string{"controller"}}, api{}, false},
	} {
		got, ok, err := fromSpec(tc.s)
		if err != nil || ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("%s: fromSpec = %+v, %v, %v; want %+v, %v", tc.name, got, ok, err, tc.want, tc.ok)
		}
	}
	if _, _, err := fromSpec(spec{APIKey: &k, ValidVersions: "x"}); err == nil {
		t.Error("fromSpec accepted validVersions \"x\"")
	}
}

func TestStripComments(t *testing.T) {
	t.Parallel()
	in := "// licence\n  // more\n{\n  \"apiKey\": 3 \n}\n"
	if got := string(stripComments([]byte(in))); got != "{\n  \"apiKey\": 3 \n}\n" {
		t.Errorf("stripComments = %q", got)
	}
}

func TestProbeKeys(t *testing.T) {
	t.Parallel()
	for _, k := range []int16{4, 5, 6, 7, 27, 52, 56, 58, 62, 67, 68, 71, 76} {
		for _, p := range probeKeys {
			if p == k {
				t.Errorf("probeKeys has %d, which is not a client-facing API every broker serves", k)
			}
		}
	}
	if len(probeKeys) == 0 || probeKeys[0] != 0 || probeKeys[len(probeKeys)-1] != 66 {
		t.Errorf("probeKeys = %v", probeKeys)
	}
}
