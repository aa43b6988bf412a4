package main

import (
	"bytes"
	"os"
	"testing"
)

// TestConfigMarkdownIsCurrent fails when CONFIG.md no longer matches the
// config structs: run `go run ./internal/cmd/configdoc > CONFIG.md`.
func TestConfigMarkdownIsCurrent(t *testing.T) {
	want, err := generate("../../../core")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../../CONFIG.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("CONFIG.md is stale: run `go run ./internal/cmd/configdoc > CONFIG.md`")
	}
	for _, s := range []string{"`linger.ms`", "`bootstrap.servers`", "`group.id`", "| `Acks` |"} {
		if !bytes.Contains(want, []byte(s)) {
			t.Errorf("reference lacks %s", s)
		}
	}
}
