// Package readme checks that every Go program in README.md compiles, so the
// README cannot drift from the API.
package readme

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

func TestReadmeSnippetsCompile(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlock.FindAllSubmatch(readme, -1)
	if len(blocks) == 0 {
		t.Fatal("README.md has no Go snippets")
	}
	// The snippets are built inside the module (in a directory the go
	// tool's ./... patterns skip), so they use the module's own go.mod.
	dir := filepath.Join(".", "_snippets")
	t.Cleanup(func() { os.RemoveAll(dir) })
	for i, b := range blocks {
		pkg := filepath.Join(dir, strconv.Itoa(i))
		if err := os.MkdirAll(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkg, "main.go"), b[1], 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("go", "build", "-o", os.DevNull, "./"+pkg).CombinedOutput()
		if err != nil {
			t.Errorf("README snippet %d does not compile:\n%s\n%s", i+1, out, b[1])
		}
	}
}
