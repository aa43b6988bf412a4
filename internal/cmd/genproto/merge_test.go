package main

import (
	"encoding/json"
	"github.com/kafka3/kafka3-go/internal/kafkatest"
	"path/filepath"
	"strings"
	"testing"
)

func specOf(t *testing.T, js string) *specFile {
	t.Helper()
	var s specFile
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		t.Fatal(err)
	}
	s.file = s.Name + ".json"
	return &s
}

func names(fs []specField) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name+"="+f.Versions)
	}
	return strings.Join(out, " ")
}

// TestMergeSpecs merges a made-up older spec into a newer one that dropped
// its versions 0-1: fields only in the older spec come back for those
// versions in their place, shared fields widen, newer-only fields stay.
func TestMergeSpecs(t *testing.T) {
	t.Parallel()
	newer := []*specFile{
		specOf(t, `{"apiKey": 1, "type": "request", "name": "XRequest", "validVersions": "2-4", "flexibleVersions": "4+", "fields": [
			{"name": "A", "type": "int16", "versions": "0+"},
			{"name": "Items", "type": "[]Item", "versions": "0+", "fields": [
				{"name": "X", "type": "int32", "versions": "0+"},
				{"name": "Z", "type": "int64", "versions": "3+"}]},
			{"name": "Throttle", "type": "int32", "versions": "0+"},
			{"name": "Tx", "type": "string", "versions": "3+", "nullableVersions": "3+"}]}`),
		specOf(t, `{"apiKey": 1, "type": "response", "name": "XResponse", "validVersions": "2-4", "flexibleVersions": "4+", "fields": [
			{"name": "E", "type": "int16", "versions": "0+"}]}`),
	}
	older := []*specFile{
		specOf(t, `{"apiKey": 1, "type": "request", "name": "XRequest", "validVersions": "0-3", "flexibleVersions": "none", "fields": [
			{"name": "A", "type": "int16", "versions": "0+"},
			{"name": "B", "type": "string", "versions": "0-1", "nullableVersions": "1"},
			{"name": "Items", "type": "[]Item", "versions": "0+", "fields": [
				{"name": "X", "type": "int32", "versions": "0+"},
				{"name": "Y", "type": "int8", "versions": "0"},
				{"name": "Z", "type": "int64", "versions": "3+"}]},
			{"name": "Throttle", "type": "int32", "versions": "1+"},
			{"name": "Tx", "type": "string", "versions": "3+", "nullableVersions": "3+"}]}`),
		specOf(t, `{"apiKey": 1, "type": "response", "name": "XResponse", "validVersions": "0-3", "fields": [
			{"name": "E", "type": "int16", "versions": "0+"}]}`),
	}
	log, err := mergeSpecs(newer, older)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 {
		t.Errorf("log: %q", log)
	}
	req := newer[0]
	if req.ValidVersions != "0-4" || newer[1].ValidVersions != "0-4" {
		t.Errorf("valid versions %s, %s; want 0-4", req.ValidVersions, newer[1].ValidVersions)
	}
	if got, want := names(req.Fields), "A=0+ B=0-1 Items=0+ Throttle=1+ Tx=3+"; got != want {
		t.Errorf("fields %s, want %s", got, want)
	}
	if got, want := names(req.Fields[2].Fields), "X=0+ Y=0 Z=3+"; got != want {
		t.Errorf("item fields %s, want %s", got, want)
	}
	if req.Fields[1].NullableVersions != "1" || req.FlexibleVersions != "4+" {
		t.Errorf("B nullable %q, flexible %q", req.Fields[1].NullableVersions, req.FlexibleVersions)
	}
	// The merged spec generates, and v0 has the older layout.
	if _, err := buildAPIs(newer); err != nil {
		t.Fatal(err)
	}
	if got, want := layout(req.Fields, nil, 0), "int16 A; string B; []{int32 X; int8 Y; } Items; "; got != want {
		t.Errorf("v0 layout %q, want %q", got, want)
	}
}

func TestMergeSpecsSkipsAndRejects(t *testing.T) {
	t.Parallel()
	pair := func(newValid, oldValid, oldField, unstable string) ([]*specFile, []*specFile) {
		n := []*specFile{
			specOf(t, `{"apiKey": 1, "type": "request", "name": "XRequest", "validVersions": "`+newValid+`", "fields": [{"name": "A", "type": "int16", "versions": "0+"}]}`),
			specOf(t, `{"apiKey": 1, "type": "response", "name": "XResponse", "validVersions": "`+newValid+`", "fields": []}`),
		}
		o := []*specFile{
			specOf(t, `{"apiKey": 1, "type": "request", "name": "XRequest", "validVersions": "`+oldValid+`", "latestVersionUnstable": `+unstable+`, "fields": [`+oldField+`]}`),
			specOf(t, `{"apiKey": 1, "type": "response", "name": "XResponse", "validVersions": "`+oldValid+`", "fields": []}`),
		}
		return n, o
	}
	a := `{"name": "A", "type": "int16", "versions": "0+"}`
	// An unstable older version is not taken; nor is anything when the
	// newer specs already start as low, or removed the API.
	for _, c := range [][4]string{{"1", "0", a, "true"}, {"0-2", "0-1", a, "false"}, {"none", "0-1", a, "false"}} {
		n, o := pair(c[0], c[1], c[2], c[3])
		if log, err := mergeSpecs(n, o); err != nil || len(log) != 0 || n[0].ValidVersions != c[0] {
			t.Errorf("%v: merged %q, %v, valid %s", c, log, err, n[0].ValidVersions)
		}
	}
	for _, c := range [][4]string{
		{"3-4", "0-1", a, "false"}, // a gap between the two
		{"2-4", "0-2", `{"name": "A", "type": "int32", "versions": "0+"}`, "false"}, // type changed
	} {
		n, o := pair(c[0], c[1], c[2], c[3])
		if _, err := mergeSpecs(n, o); err == nil {
			t.Errorf("%v: merged without error", c)
		}
	}
}

// TestRealSpecs builds every API from the specs scripts/genproto fetched:
// KAFKA3_SPECS_DIR holds one directory per Kafka version.
func TestRealSpecs(t *testing.T) {
	dir := kafkatest.Env(t, "KAFKA3_SPECS_DIR") // skips locally, fails under CI
	newer, err := loadSpecs(filepath.Join(dir, "4.4.0"))
	if err != nil {
		t.Fatal(err)
	}
	older, err := loadSpecs(filepath.Join(dir, "3.9.1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mergeSpecs(newer, older); err != nil {
		t.Fatal(err)
	}
	apis, err := buildAPIs(newer)
	if err != nil {
		t.Fatal(err)
	}
	if len(apis) < 80 {
		t.Errorf("only %d APIs", len(apis))
	}
	for _, a := range apis {
		if (a.key == 0 || a.key == 1 || a.key == 2) && a.valid.lo != 0 {
			t.Errorf("%s starts at version %d after the merge, want 0", a.name, a.valid.lo)
		}
	}
}
