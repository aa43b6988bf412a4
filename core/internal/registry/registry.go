// Package registry is the plugin registry shared by every plugin kind in core
// (codecs, assignors, transports, SASL mechanisms, serdes).
//
// Reads take no lock: the set of registered plugins is an immutable snapshot
// replaced on every registration (copy-on-write), since registration happens
// at init time and lookups happen on hot paths.
package registry

import (
	"fmt"
	"reflect"
	"sort"
	"sync"
	"sync/atomic"
)

// Registry maps names to plugin values of one kind. The zero value is not
// usable; create one with New. Safe for concurrent use.
type Registry[T any] struct {
	kind   string // e.g. "compression codec", used in messages
	hint   string // import path pattern, e.g. "github.com/kafka3/kafka3-go/codecs/%s"
	mu     sync.Mutex
	byName atomic.Pointer[map[string]T]
}

// New returns an empty registry. kind names the plugin kind in messages;
// importHint is a fmt pattern taking the plugin name that gives the import
// path a user most likely forgot (empty for none).
func New[T any](kind, importHint string) *Registry[T] {
	r := &Registry[T]{kind: kind, hint: importHint}
	m := map[string]T{}
	r.byName.Store(&m)
	return r
}

// Register adds v under name. Registering the same name twice with a
// different value panics, naming both, as this is a programming error found
// at init. Registering the identical value again is a no-op.
func (r *Registry[T]) Register(name string, v T) {
	if name == "" {
		panic(fmt.Sprintf("core: cannot register a %s with an empty name", r.kind))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	old := *r.byName.Load()
	if prev, ok := old[name]; ok {
		if same(prev, v) {
			return
		}
		panic(fmt.Sprintf("core: %s %q registered twice: %T and %T", r.kind, name, prev, v))
	}
	next := make(map[string]T, len(old)+1)
	for k, x := range old {
		next[k] = x
	}
	next[name] = v
	r.byName.Store(&next)
}

// Lookup returns the value registered under name, without locking.
func (r *Registry[T]) Lookup(name string) (T, bool) {
	v, ok := (*r.byName.Load())[name]
	return v, ok
}

// Get is Lookup with an error in the style of database/sql that names the
// import the user most likely forgot.
func (r *Registry[T]) Get(name string) (T, error) {
	if v, ok := r.Lookup(name); ok {
		return v, nil
	}
	var zero T
	return zero, r.NotRegistered(name)
}

// NotRegistered returns the error for a name that is not registered.
func (r *Registry[T]) NotRegistered(name string) error {
	if r.hint == "" {
		return fmt.Errorf("core: %s %q is not registered", r.kind, name)
	}
	return fmt.Errorf("core: %s %q is not registered (forgotten import _ %q?)",
		r.kind, name, fmt.Sprintf(r.hint, name))
}

// Names lists the registered names in sorted order.
func (r *Registry[T]) Names() []string {
	m := *r.byName.Load()
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func same(a, b any) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if !va.IsValid() || !vb.IsValid() {
		return !va.IsValid() && !vb.IsValid()
	}
	if va.Type() != vb.Type() {
		return false
	}
	if va.Comparable() {
		return va.Equal(vb)
	}
	if va.Kind() == reflect.Func || va.Kind() == reflect.Pointer {
		return va.Pointer() == vb.Pointer()
	}
	return false
}
