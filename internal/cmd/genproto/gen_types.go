package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// gen accumulates Go source.
type gen struct{ b bytes.Buffer }

func (g *gen) p(format string, args ...any) {
	fmt.Fprintf(&g.b, format, args...)
	g.b.WriteByte('\n')
}

// versionCond returns a Go condition on `version` that holds for r within
// valid: "" when r covers valid, "false" when r is empty.
func versionCond(valid, r vrange) string {
	r = r.intersect(valid)
	switch {
	case r.empty():
		return "false"
	case r.contains(valid):
		return ""
	case r.lo == r.hi:
		return fmt.Sprintf("version == %d", r.lo)
	}
	var parts []string
	if r.lo > valid.lo {
		parts = append(parts, fmt.Sprintf("version >= %d", r.lo))
	}
	if r.hi < valid.hi {
		parts = append(parts, fmt.Sprintf("version <= %d", r.hi))
	}
	return strings.Join(parts, " && ")
}

// boolExpr turns a versionCond result into an expression.
func boolExpr(c string) string {
	switch c {
	case "":
		return "true"
	case "false":
		return "false"
	}
	return "(" + c + ")"
}

// relCond is versionCond of sub relative to the versions within where the
// code runs: "true" when sub covers within, "false" when disjoint.
func relCond(within, sub vrange) string {
	s := sub.intersect(within)
	switch {
	case s.empty():
		return "false"
	case s.contains(within):
		return "true"
	}
	return versionCond(within, s)
}

func (m *message) flexibleExpr() string {
	c := versionCond(m.valid, m.flexible)
	if c == "" {
		return "true"
	}
	return c
}

// flexExpr is the flexible-encoding expression for f's value.
func (f *field) flexExpr(m *message) string {
	if f.flexible == nil {
		return "flexible"
	}
	return boolExpr(versionCond(m.valid, f.flexible.intersect(m.flexible)))
}

var kindGo = map[int]string{
	kBool: "bool", kInt8: "int8", kInt16: "int16", kUint16: "uint16", kInt32: "int32",
	kUint32: "uint32", kInt64: "int64", kFloat64: "float64", kString: "string",
	kBytes: "[]byte", kRecords: "[]byte", kUUID: "UUID",
}

// elemType is the Go type of one value (an array's element).
func (f *field) elemType() string {
	if f.kind == kStruct {
		return f.st.goName
	}
	return kindGo[f.kind]
}

func (f *field) goType() string {
	t := f.elemType()
	switch {
	case f.array:
		return "[]" + t
	case f.goNullable() && (f.kind == kString || f.kind == kStruct):
		return "*" + t
	}
	return t
}

func (f *field) defNull() bool { return f.hasDef && f.def == "null" }

// nullDefault reports whether a nullable field's default is null.
func (f *field) nullDefault() bool { return f.defNull() || (f.kind == kRecords && !f.hasDef) }

// scalarLit is the Go literal of the default of a non-nullable scalar.
func (f *field) scalarLit() (string, error) {
	d := f.def
	if !f.hasDef || d == "null" {
		d = ""
	}
	switch f.kind {
	case kBool:
		if strings.EqualFold(d, "true") {
			return "true", nil
		}
		if d != "" && !strings.EqualFold(d, "false") {
			return "", fmt.Errorf("field %s: bad bool default %q", f.spec.Name, d)
		}
		return "false", nil
	case kInt8, kInt16, kInt32, kInt64:
		if d == "" {
			return "0", nil
		}
		bits := map[int]int{kInt8: 8, kInt16: 16, kInt32: 32, kInt64: 64}[f.kind]
		v, err := strconv.ParseInt(d, 0, bits)
		if err != nil {
			return "", fmt.Errorf("field %s: bad default %q: %v", f.spec.Name, d, err)
		}
		return strconv.FormatInt(v, 10), nil
	case kUint16, kUint32:
		if d == "" {
			return "0", nil
		}
		bits := map[int]int{kUint16: 16, kUint32: 32}[f.kind]
		v, err := strconv.ParseUint(d, 0, bits)
		if err != nil {
			return "", fmt.Errorf("field %s: bad default %q: %v", f.spec.Name, d, err)
		}
		return strconv.FormatUint(v, 10), nil
	case kFloat64:
		if d == "" {
			return "0", nil
		}
		v, err := strconv.ParseFloat(d, 64)
		if err != nil {
			return "", fmt.Errorf("field %s: bad default %q: %v", f.spec.Name, d, err)
		}
		return strconv.FormatFloat(v, 'g', -1, 64), nil
	case kString:
		return strconv.Quote(d), nil
	case kUUID:
		if d != "" {
			return "", fmt.Errorf("field %s: uuid default %q not supported", f.spec.Name, d)
		}
		return "UUID{}", nil
	}
	return "", fmt.Errorf("field %s: no scalar default", f.spec.Name)
}

// resetStmt sets x to f's default, keeping slice capacity where it can.
func (f *field) resetStmt(g *gen, x string) error {
	switch {
	case f.array:
		switch {
		case f.goNullable() && f.defNull():
			g.p("%s = nil", x)
		case f.goNullable():
			g.p("%s = resize(%s, 0)", x, x)
		default:
			g.p("%s = %s[:0]", x, x)
		}
	case f.kind == kStruct:
		switch {
		case f.goNullable() && f.nullDefault():
			g.p("%s = nil", x)
		case f.goNullable():
			g.p("if %s == nil {\n%s = new(%s)\n}\n%s.Default()", x, x, f.st.goName, x)
		default:
			g.p("%s.Default()", x)
		}
	case f.kind == kBytes || f.kind == kRecords:
		if f.goNullable() && !f.nullDefault() {
			g.p("%s = []byte{}", x)
		} else {
			g.p("%s = nil", x)
		}
	case f.kind == kString && f.goNullable():
		if f.defNull() {
			g.p("%s = nil", x)
			return nil
		}
		lit, err := f.scalarLit()
		if err != nil {
			return err
		}
		g.p("%s = strPtr(%s)", x, lit)
	default:
		lit, err := f.scalarLit()
		if err != nil {
			return err
		}
		g.p("%s = %s", x, lit)
	}
	return nil
}

// nonDefault is an expression true when x differs from f's default; it
// decides whether a tagged field is written.
func (f *field) nonDefault(x string) (string, error) {
	nullable := f.goNullable()
	switch {
	case f.array || f.kind == kBytes || f.kind == kRecords:
		switch {
		case nullable && f.nullDefault():
			return x + " != nil", nil
		case nullable:
			return fmt.Sprintf("%s == nil || len(%s) != 0", x, x), nil
		}
		return fmt.Sprintf("len(%s) != 0", x), nil
	case f.kind == kStruct:
		switch {
		case nullable && f.nullDefault():
			return x + " != nil", nil
		case nullable:
			return fmt.Sprintf("%s == nil || !%s.isDefault()", x, x), nil
		}
		return fmt.Sprintf("!%s.isDefault()", x), nil
	case f.kind == kString && nullable:
		if f.defNull() {
			return x + " != nil", nil
		}
		lit, err := f.scalarLit()
		return fmt.Sprintf("%s == nil || *%s != %s", x, x, lit), err
	case f.kind == kBool:
		lit, err := f.scalarLit()
		if lit == "true" {
			return "!" + x, err
		}
		return x, err
	case f.kind == kUUID:
		return x + " != (UUID{})", nil
	}
	lit, err := f.scalarLit()
	return x + " != " + lit, err
}

// markIsDefault flags the structs that need an isDefault method: those of
// non-nullable tagged struct fields, and the structs nested in them.
func markIsDefault(st *structType) {
	for _, f := range st.fields {
		if f.kind == kStruct && !f.array && !f.tagged.empty() && !f.goNullable() {
			setIsDefault(f.st)
		}
	}
}

func setIsDefault(st *structType) {
	if st.isDefault {
		return
	}
	st.isDefault = true
	for _, f := range st.fields {
		if f.kind == kStruct && !f.array && !(f.goNullable() && f.nullDefault()) {
			setIsDefault(f.st)
		}
	}
}

// typeDecl writes the struct type with its doc comments.
func typeDecl(g *gen, a *api, st *structType) {
	m := st.msg
	if st.root {
		kind := "response"
		if m.request {
			kind = "request"
		}
		flex := "never flexible"
		if !m.flexible.empty() {
			flex = fmt.Sprintf("flexible from version %d", m.flexible.lo)
		}
		g.p("// %s is the %s of the %s API (key %d), versions %s, %s.", st.goName, kind, a.name, a.key, m.valid, flex)
		g.p("// It is generated from %s; see the Message interface for the encoding rules.", m.file)
	} else {
		g.p("// %s is a struct of %s (%s).", st.goName, m.name, strings.TrimPrefix(st.goName, m.name))
	}
	g.p("type %s struct {", st.goName)
	for _, f := range st.fields {
		g.p("%s", fieldDoc(f))
		g.p("%s %s", f.goName, f.goType())
	}
	if !m.flexible.empty() {
		g.p("// UnknownTaggedFields are tagged fields this package does not know, kept")
		g.p("// from decoding (as sub-slices of the input) and written back by AppendTo.")
		g.p("UnknownTaggedFields TaggedFields")
	}
	g.p("}\n")
}

func fieldDoc(f *field) string {
	about := strings.TrimSpace(f.spec.About)
	if about == "" {
		about = f.spec.Name + "."
	}
	var notes []string
	if f.versions.empty() {
		notes = append(notes, "not in any supported version")
	} else {
		notes = append(notes, "versions "+f.versions.String())
	}
	if !f.nullable.empty() {
		notes = append(notes, "nullable "+f.nullable.String())
	}
	if !f.tagged.empty() {
		notes = append(notes, fmt.Sprintf("tagged %s with tag %d", f.tagged, f.tag))
	}
	if f.hasDef {
		notes = append(notes, "default "+f.def)
	}
	if f.kind == kBytes || f.kind == kRecords {
		notes = append(notes, "decoded as a sub-slice of the input")
	}
	return "// " + about + " (" + strings.Join(notes, "; ") + ")"
}

// defaultFunc writes Default and, when needed, isDefault.
func defaultFunc(g *gen, st *structType) error {
	g.p("// Default sets every field of v to its default from the specs.")
	g.p("func (v *%s) Default() {", st.goName)
	for _, f := range st.fields {
		if err := f.resetStmt(g, "v."+f.goName); err != nil {
			return err
		}
	}
	if !st.msg.flexible.empty() {
		g.p("v.UnknownTaggedFields = v.UnknownTaggedFields[:0]")
	}
	g.p("}\n")
	if !st.isDefault {
		return nil
	}
	g.p("// isDefault reports whether every field of v has its default value.")
	g.p("func (v *%s) isDefault() bool {", st.goName)
	for _, f := range st.fields {
		nd, err := f.nonDefault("v." + f.goName)
		if err != nil {
			return err
		}
		if f.kind == kStruct && !f.array && !f.goNullable() {
			nd = "!v." + f.goName + ".isDefault()"
		}
		g.p("if %s {\nreturn false\n}", nd)
	}
	if !st.msg.flexible.empty() {
		g.p("return len(v.UnknownTaggedFields) == 0")
	} else {
		g.p("return true")
	}
	g.p("}\n")
	return nil
}
