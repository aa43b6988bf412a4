// Package deps holds the test that enforces the direction of imports that
// DESIGN.md section 1 sets out, in the way of Go's own go/build/deps_test.go.
package deps

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/kafka3/kafka3-go"

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
	Standard   bool
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(out)
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("go list: %v", err)
	}
	return pkgs
}

func rel(path string) string { return strings.TrimPrefix(strings.TrimPrefix(path, module), "/") }

func isStd(path string) bool { return !strings.Contains(strings.SplitN(path, "/", 2)[0], ".") }

func under(path, dir string) bool { return path == dir || strings.HasPrefix(path, dir+"/") }

// plugin returns the plugin a package belongs to ("codecs/zstd"), whether it is
// an "all" parent package (codecs, assignors), and whether it is a plugin at all.
func plugin(path string) (name string, parent, ok bool) {
	for _, kind := range []string{"codecs", "assignors", "serde", "transport", "interceptors"} {
		if path == kind {
			return kind, true, true
		}
		if under(path, kind) {
			parts := strings.Split(path, "/")
			if kind == "transport" && len(parts) > 2 && parts[1] == "sasl" {
				return strings.Join(parts[:3], "/"), false, true
			}
			return strings.Join(parts[:2], "/"), false, true
		}
	}
	return "", false, false
}

// isSharedHelper reports whether path is an internal package of a plugin kind
// (e.g. assignors/internal/assign), which the plugins of that kind share.
func isSharedHelper(path string) bool {
	parts := strings.Split(path, "/")
	return len(parts) > 1 && parts[1] == "internal"
}

func TestImportDirection(t *testing.T) {
	t.Parallel()
	pkgs := listPackages(t)
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	for _, p := range pkgs {
		me := rel(p.ImportPath)
		for _, imp := range p.Imports {
			if isStd(imp) {
				continue
			}
			if err := checkImport(me, imp); err != "" {
				t.Errorf("%s imports %s: %s", me, imp, err)
			}
		}
	}
}

func checkImport(me, imp string) string {
	own := strings.HasPrefix(imp, module)
	target := rel(imp)
	switch {
	case under(me, "core/protocol") || under(me, "core/record") || under(me, "core/kerr"):
		if !own || !(under(target, "core/protocol") || under(target, "core/record") || under(target, "core/kerr")) {
			return "core/protocol, core/record and core/kerr may import only the standard library and each other"
		}
	case under(me, "core"):
		if !own || !under(target, "core") {
			return "core may import only the standard library and core/..."
		}
	}
	name, parent, isPlugin := plugin(me)
	if !isPlugin || !own {
		return ""
	}
	if isSharedHelper(target) {
		return ""
	}
	if other, _, ok := plugin(target); ok && other != name && !parent && !strings.HasPrefix(target, me+"/") {
		return "a plugin must not import another plugin (only the parent 'all' packages may)"
	}
	return ""
}

// TestCoreLinksNoPluginLibrary checks that a program importing only core
// links no compression library, no msgpack and no OpenTelemetry.
func TestCoreLinksNoPluginLibrary(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", module+"/core").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps core: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if !isStd(dep) && !strings.HasPrefix(dep, module) {
			t.Errorf("core links third-party package %s", dep)
		}
	}
}

func TestCheckImportRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		me, imp string
		bad     bool
	}{
		{"core", module + "/core/protocol", false},
		{"core", module + "/codecs/zstd", true},
		{"core/protocol", module + "/core", true},
		{"core/record", module + "/core/protocol", false},
		{"core/record", "github.com/klauspost/compress/zstd", true},
		{"codecs/zstd", module + "/core", false},
		{"codecs/zstd", "github.com/klauspost/compress/zstd", false},
		{"codecs/zstd", module + "/codecs/gzip", true},
		{"codecs", module + "/codecs/gzip", false},
		{"assignors/sticky", module + "/assignors/range", true},
		{"transport/sasl/scram", module + "/transport/tls", true},
		{"assignors/range", module + "/assignors/internal/assign", false},
	}
	for _, c := range cases {
		if got := checkImport(c.me, c.imp) != ""; got != c.bad {
			t.Errorf("checkImport(%s, %s) bad=%v, want %v", c.me, c.imp, got, c.bad)
		}
	}
}
