package registry

import (
	"strings"
	"testing"
)

type plugin struct{ n int }

func TestRegisterLookup(t *testing.T) {
	t.Parallel()
	r := New[*plugin]("widget", "example.com/widgets/%s")
	p := &plugin{1}
	r.Register("a", p)
	r.Register("a", p) // identical value: no-op
	if got, ok := r.Lookup("a"); !ok || got != p {
		t.Fatalf("Lookup(a) = %v, %v", got, ok)
	}
	_, err := r.Get("b")
	if err == nil || !strings.Contains(err.Error(), `widget "b" is not registered (forgotten import _ "example.com/widgets/b"?)`) {
		t.Fatalf("Get(b) error = %v", err)
	}
	if names := r.Names(); len(names) != 1 || names[0] != "a" {
		t.Fatalf("Names = %v", names)
	}
}

func TestRegisterTwicePanicsNamingBoth(t *testing.T) {
	t.Parallel()
	r := New[any]("widget", "")
	r.Register("a", &plugin{1})
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, `widget "a" registered twice`) || !strings.Contains(msg, "*registry.plugin and string") {
			t.Fatalf("panic = %q", msg)
		}
	}()
	r.Register("a", "other")
	t.Fatal("no panic")
}
