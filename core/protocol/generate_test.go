package protocol

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
)

// TestGeneratedCodeIsCurrent regenerates the package from the specs in
// KAFKA3_SPECS_DIR (scripts/test sets it from scripts/genproto --specs-dir:
// a directory holding <KafkaVersion>/ and <KafkaOlderVersion>/, each with one
// release's *.json specs) and fails if the committed zz_*.go files differ:
// edited by hand, or a generator change that was not followed by
// scripts/genproto. Without the specs it is skipped, except in CI (CI=true),
// where it fails.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	specs := os.Getenv("KAFKA3_SPECS_DIR")
	if specs == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("KAFKA3_SPECS_DIR is not set; CI must check the generated code (export KAFKA3_SPECS_DIR=$(scripts/genproto --specs-dir))")
		}
		t.Skip("KAFKA3_SPECS_DIR is not set (export KAFKA3_SPECS_DIR=$(scripts/genproto --specs-dir))")
	}
	for _, v := range []string{KafkaVersion, KafkaOlderVersion} {
		if m, _ := filepath.Glob(filepath.Join(specs, v, "*.json")); len(m) == 0 {
			t.Fatalf("KAFKA3_SPECS_DIR=%s holds no %s/*.json; it must name the directory holding each version's specs (export KAFKA3_SPECS_DIR=$(scripts/genproto --specs-dir))", specs, v)
		}
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", "github.com/kafka3/kafka3-go/internal/cmd/genproto",
		"-specs", filepath.Join(specs, KafkaVersion), "-kafka", KafkaVersion,
		"-old-specs", filepath.Join(specs, KafkaOlderVersion), "-old-kafka", KafkaOlderVersion,
		"-out", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("genproto: %v\n%s", err, msg)
	}
	want := generatedFiles(t, out)
	have := generatedFiles(t, ".")
	for name, src := range want {
		cur, ok := have[name]
		switch {
		case !ok:
			t.Errorf("%s is missing: run scripts/genproto", name)
		case !bytes.Equal(cur, src):
			t.Errorf("%s differs from the generator's output: run scripts/genproto (never edit it by hand)", name)
		}
	}
	for name := range have {
		if _, ok := want[name]; !ok {
			t.Errorf("%s is no longer generated: run scripts/genproto", name)
		}
	}
}

func generatedFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "zz_*.go"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	files := map[string][]byte{}
	for _, p := range paths {
		if filepath.Ext(p) == ".go" && !bytes.HasSuffix([]byte(p), []byte("_test.go")) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files[filepath.Base(p)] = b
		}
	}
	if len(files) == 0 {
		t.Fatalf("no generated files in %s", dir)
	}
	return files
}
