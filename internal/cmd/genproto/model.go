package main

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// api pairs the request and the response of one API key.
type api struct {
	key      int16
	name     string // "Produce"
	removed  bool   // validVersions "none": only the name is kept
	req      *message
	resp     *message
	valid    vrange // stable versions
	flexible vrange
}

// message is one request or response, resolved.
type message struct {
	name     string // "ProduceRequest"
	file     string
	request  bool
	key      int16
	valid    vrange // stable versions
	flexible vrange
	root     *structType
	structs  []*structType // nested and common structs, in definition order
}

// structType is a Go struct to generate.
type structType struct {
	goName    string
	msg       *message
	fields    []*field
	root      bool
	isDefault bool // needs an isDefault method (used as a tagged field)
}

// field kinds.
const (
	kBool = iota
	kInt8
	kInt16
	kUint16
	kInt32
	kUint32
	kInt64
	kFloat64
	kString
	kBytes
	kRecords
	kUUID
	kStruct
)

var primKinds = map[string]int{
	"bool": kBool, "int8": kInt8, "int16": kInt16, "uint16": kUint16, "int32": kInt32,
	"uint32": kUint32, "int64": kInt64, "float64": kFloat64, "string": kString,
	"bytes": kBytes, "records": kRecords, "uuid": kUUID,
}

// field is a resolved field of a struct.
type field struct {
	spec     specField
	goName   string
	kind     int
	array    bool
	st       *structType // kStruct
	stName   string      // spec name of the struct type, resolved later
	versions vrange      // present (regular or tagged), within the message's
	regular  vrange      // present and not tagged
	tagged   vrange      // present as a tagged field
	tag      int
	nullable vrange
	flexible *vrange // field-level flexibleVersions override, if any
	def      string  // the spec's default, unquoted; "" when none given
	hasDef   bool
}

// goNullable reports whether the Go type can hold null.
func (f *field) goNullable() bool { return !f.nullable.empty() }

// resolver builds messages from specs.
type resolver struct {
	version string
	structs map[string]*structType // by Go name, across all messages
}

// renames gives Go names to fields whose spec name collides with a method of
// the generated message.
var renames = map[string]string{
	"FindCoordinatorRequest.Key": "CoordinatorKey",
}

var reservedRoot = map[string]bool{
	"Key": true, "MinVersion": true, "MaxVersion": true, "IsFlexible": true, "AppendTo": true,
	"Decode": true, "Default": true, "NewResponse": true, "RequestHeaderVersion": true,
	"ResponseHeaderVersion": true, "UnknownTaggedFields": true,
}

// buildAPIs resolves every request and response spec into APIs by key.
func buildAPIs(specs []*specFile) ([]*api, error) {
	res := &resolver{structs: map[string]*structType{}}
	byKey := map[int16]*api{}
	for _, s := range specs {
		if (s.Type != "request" && s.Type != "response") || s.APIKey == nil {
			continue
		}
		key := *s.APIKey
		a := byKey[key]
		if a == nil {
			a = &api{key: key}
			byKey[key] = a
		}
		valid, err := parseVersions(s.ValidVersions)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", s.file, err)
		}
		flex, err := parseVersions(s.FlexibleVersions)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", s.file, err)
		}
		base := strings.TrimSuffix(strings.TrimSuffix(s.Name, "Request"), "Response")
		if a.name != "" && a.name != base {
			return nil, fmt.Errorf("%s: api key %d is both %s and %s", s.file, key, a.name, base)
		}
		a.name = base
		if s.Type == "request" {
			if s.LatestVersionUnstable && !valid.empty() {
				valid.hi--
			}
			a.valid, a.flexible = valid, flex.intersect(vrange{0, maxVersion})
			a.removed = valid.empty()
		}
	}
	var apis []*api
	for _, s := range specs {
		if (s.Type != "request" && s.Type != "response") || s.APIKey == nil {
			continue
		}
		a := byKey[*s.APIKey]
		if a.removed {
			continue
		}
		m, err := res.message(s, a)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", s.file, err)
		}
		if m.request {
			a.req = m
		} else {
			a.resp = m
		}
	}
	for _, a := range byKey {
		if !a.removed && (a.req == nil || a.resp == nil) {
			return nil, fmt.Errorf("api %s (%d) lacks a request or a response spec", a.name, a.key)
		}
		apis = append(apis, a)
	}
	sort.Slice(apis, func(i, j int) bool { return apis[i].key < apis[j].key })
	return apis, nil
}

// message resolves one spec.
func (res *resolver) message(s *specFile, a *api) (*message, error) {
	m := &message{name: s.Name, file: s.file, request: s.Type == "request", key: a.key,
		valid: a.valid, flexible: a.flexible.intersect(a.valid)}
	byName := map[string]*structType{}
	var defs []func() error
	// define registers a struct type named msg+name with its spec fields;
	// its fields are resolved after every struct of the message is known.
	var define func(name string, fields []specField, root bool) (*structType, error)
	define = func(name string, fields []specField, root bool) (*structType, error) {
		goName := m.name + name
		if strings.HasPrefix(name, m.name) {
			goName = name // the spec names it MetadataResponseBroker: no stutter
		}
		if root {
			goName = m.name
		}
		if _, dup := res.structs[goName]; dup {
			return nil, fmt.Errorf("struct type %s defined twice", goName)
		}
		st := &structType{goName: goName, msg: m, root: root}
		res.structs[goName] = st
		if !root {
			byName[name] = st
			m.structs = append(m.structs, st)
		}
		for _, sf := range fields {
			f, err := res.field(m, sf, root)
			if err != nil {
				return nil, err
			}
			st.fields = append(st.fields, f)
			if len(sf.Fields) > 0 {
				if _, err := define(f.stName, sf.Fields, false); err != nil {
					return nil, err
				}
			}
		}
		defs = append(defs, func() error {
			for _, f := range st.fields {
				if f.kind == kStruct {
					f.st = byName[f.stName]
					if f.st == nil {
						return fmt.Errorf("field %s: unknown struct type %s", f.spec.Name, f.stName)
					}
				}
			}
			return nil
		})
		return st, nil
	}
	for _, cs := range s.CommonStructs {
		if _, err := define(cs.Name, cs.Fields, false); err != nil {
			return nil, err
		}
	}
	root, err := define("", s.Fields, true)
	if err != nil {
		return nil, err
	}
	m.root = root
	for _, d := range defs {
		if err := d(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// field resolves one field's type, versions and name.
func (res *resolver) field(m *message, sf specField, root bool) (*field, error) {
	f := &field{spec: sf, goName: goCase(sf.Name), tag: -1}
	if root {
		if n, ok := renames[m.name+"."+sf.Name]; ok {
			f.goName = n
		} else if reservedRoot[f.goName] {
			return nil, fmt.Errorf("field %s collides with a method; add it to renames", sf.Name)
		}
	}
	t := sf.Type
	if strings.HasPrefix(t, "[]") {
		f.array = true
		t = t[2:]
	}
	if k, ok := primKinds[t]; ok {
		f.kind = k
		if len(sf.Fields) > 0 {
			return nil, fmt.Errorf("field %s: primitive type with fields", sf.Name)
		}
	} else if t != "" && unicode.IsUpper(rune(t[0])) {
		f.kind, f.stName = kStruct, t
	} else {
		return nil, fmt.Errorf("field %s: unknown type %q", sf.Name, sf.Type)
	}
	var err error
	var ranges [3]vrange
	for i, s := range []string{sf.Versions, sf.NullableVersions, sf.TaggedVersions} {
		if ranges[i], err = parseVersions(s); err != nil {
			return nil, fmt.Errorf("field %s: %v", sf.Name, err)
		}
	}
	f.versions = ranges[0].intersect(m.valid)
	f.nullable = ranges[1].intersect(f.versions)
	f.tagged = ranges[2].intersect(f.versions)
	f.regular = f.versions
	if !f.tagged.empty() {
		if sf.Tag == nil {
			return nil, fmt.Errorf("field %s: taggedVersions without tag", sf.Name)
		}
		f.tag = int(*sf.Tag)
		if f.tagged.hi != f.versions.hi {
			return nil, fmt.Errorf("field %s: tagged versions must run to the last version", sf.Name)
		}
		f.regular = vrange{f.versions.lo, f.tagged.lo - 1}.intersect(f.versions)
		if !m.flexible.contains(f.tagged) {
			return nil, fmt.Errorf("field %s: tagged in non-flexible versions", sf.Name)
		}
	}
	if sf.FlexibleVersions != "" {
		fv, err := parseVersions(sf.FlexibleVersions)
		if err != nil {
			return nil, fmt.Errorf("field %s: %v", sf.Name, err)
		}
		f.flexible = &fv
	}
	if len(sf.Default) > 0 {
		f.hasDef = true
		f.def = strings.Trim(string(sf.Default), `"`)
	}
	if (f.kind == kBool || f.kind == kUUID || f.kind == kFloat64 || (f.kind >= kInt8 && f.kind <= kInt64)) &&
		!f.array && !f.nullable.empty() {
		return nil, fmt.Errorf("field %s: nullable %s", sf.Name, sf.Type)
	}
	return f, nil
}

// goCase makes a spec name an exported Go name.
func goCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// snake turns "ApiVersions" into "api_versions".
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
