package main

import (
	"fmt"
	"sort"
	"strings"
)

var appendFunc = map[int]string{
	kBool: "AppendBool", kInt8: "AppendInt8", kInt16: "AppendInt16", kUint16: "AppendUint16",
	kInt32: "AppendInt32", kUint32: "AppendUint32", kInt64: "AppendInt64",
	kFloat64: "AppendFloat64", kUUID: "AppendUUID",
}

// withFlexible prepends the declaration of `flexible` to body when it uses it.
func withFlexible(g *gen, m *message, body *gen) {
	if strings.Contains(body.b.String(), "flexible") {
		g.p("flexible := %s", m.flexibleExpr())
	}
	g.b.Write(body.b.Bytes())
}

// ifCond wraps the statements that emit writes in `if cond {}` unless cond
// is "" (always).
func ifCond(g *gen, cond string, emit func() error) error {
	if cond == "false" {
		return nil
	}
	if cond != "" {
		g.p("if %s {", cond)
	}
	if err := emit(); err != nil {
		return err
	}
	if cond != "" {
		g.p("}")
	}
	return nil
}

// encodeFunc writes the appendTo method of st.
func encodeFunc(g *gen, st *structType) error {
	m := st.msg
	g.p("func (v *%s) appendTo(dst []byte, version int16) []byte {", st.goName)
	var body gen
	for _, f := range st.fields {
		if f.regular.empty() {
			continue
		}
		err := ifCond(&body, versionCond(m.valid, f.regular), func() error {
			return encodeValue(&body, f, "v."+f.goName, f.flexExpr(m), relCond(f.regular, f.nullable))
		})
		if err != nil {
			return err
		}
	}
	if !m.flexible.empty() {
		body.p("if flexible {")
		if err := encodeTagged(&body, st); err != nil {
			return err
		}
		body.p("}")
	}
	withFlexible(g, m, &body)
	g.p("return dst\n}\n")
	return nil
}

// taggedFields returns st's tagged fields by tag.
func taggedFields(st *structType) []*field {
	var out []*field
	for _, f := range st.fields {
		if !f.tagged.empty() {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].tag < out[j].tag })
	return out
}

// encodeTagged writes the tagged-field section, merging known fields with
// the unknown ones by tag.
func encodeTagged(g *gen, st *structType) error {
	m := st.msg
	tagged := taggedFields(st)
	if len(tagged) == 0 {
		g.p("dst = AppendTaggedFields(dst, v.UnknownTaggedFields)")
		return nil
	}
	g.p("n := len(v.UnknownTaggedFields)")
	for i, f := range tagged {
		nd, err := f.nonDefault("v." + f.goName)
		if err != nil {
			return err
		}
		cond := versionCond(m.valid, f.tagged)
		switch cond {
		case "":
			g.p("t%d := %s", i, nd)
		case "false":
			g.p("t%d := false", i)
		default:
			g.p("t%d := %s && (%s)", i, cond, nd)
		}
		g.p("if t%d {\nn++\n}", i)
	}
	g.p("dst = AppendUvarint(dst, uint64(n))")
	g.p("u := v.UnknownTaggedFields")
	for i, f := range tagged {
		g.p("if t%d {", i)
		g.p("dst, u = appendRawTagsBefore(dst, u, %d)", f.tag)
		g.p("var mark int")
		g.p("dst, mark = beginTagged(dst, %d)", f.tag)
		if err := encodeValue(g, f, "v."+f.goName, "true", relCond(f.tagged, f.nullable)); err != nil {
			return err
		}
		g.p("dst = endTagged(dst, mark)")
		g.p("}")
	}
	g.p("dst = appendRawTags(dst, u)")
	return nil
}

// encodeValue writes the statements that append x, the value of f. nc is
// "true", "false" or a condition: whether the version is nullable.
func encodeValue(g *gen, f *field, x, flex, nc string) error {
	if !f.goNullable() {
		nc = "false"
	}
	switch {
	case f.array:
		switch nc {
		case "false":
			g.p("dst = appendLen(dst, len(%s), %s)", x, flex)
		case "true":
			g.p("dst = appendNullableLen(dst, len(%s), %s == nil, %s)", x, x, flex)
		default:
			g.p("dst = appendNullableLen(dst, len(%s), %s == nil && %s, %s)", x, x, nc, flex)
		}
		switch f.kind {
		case kStruct:
			g.p("for i := range %s {\ndst = %s[i].appendTo(dst, version)\n}", x, x)
		case kString:
			g.p("for _, e := range %s {\ndst = appendStr(dst, e, %s)\n}", x, flex)
		case kBytes, kRecords:
			g.p("for _, e := range %s {\ndst = appendByts(dst, e, %s)\n}", x, flex)
		default:
			g.p("for _, e := range %s {\ndst = %s(dst, e)\n}", x, appendFunc[f.kind])
		}
	case f.kind == kString:
		return nullableSwitch(g, nc,
			fmt.Sprintf("dst = appendNullableStr(dst, %s, %s)", x, flex),
			fmt.Sprintf("dst = appendStr(dst, %s, %s)", derefStr(f, x), flex))
	case f.kind == kBytes || f.kind == kRecords:
		return nullableSwitch(g, nc,
			fmt.Sprintf("dst = appendNullableByts(dst, %s, %s)", x, flex),
			fmt.Sprintf("dst = appendByts(dst, %s, %s)", x, flex))
	case f.kind == kStruct:
		if !f.goNullable() {
			g.p("dst = %s.appendTo(dst, version)", x)
			return nil
		}
		return nullableSwitch(g, nc,
			fmt.Sprintf("dst = appendStructMarker(dst, %s != nil)\nif %s != nil {\ndst = %s.appendTo(dst, version)\n}", x, x, x),
			fmt.Sprintf("if %s != nil {\ndst = %s.appendTo(dst, version)\n} else {\nvar d %s\nd.Default()\ndst = d.appendTo(dst, version)\n}", x, x, f.st.goName))
	default:
		g.p("dst = %s(dst, %s)", appendFunc[f.kind], x)
	}
	return nil
}

func derefStr(f *field, x string) string {
	if f.goNullable() {
		return "derefStr(" + x + ")"
	}
	return x
}

// nullableSwitch writes ifNull when nc holds, orElse otherwise.
func nullableSwitch(g *gen, nc, ifNull, orElse string) error {
	switch nc {
	case "true":
		g.p("%s", ifNull)
	case "false":
		g.p("%s", orElse)
	default:
		g.p("if %s {\n%s\n} else {\n%s\n}", nc, ifNull, orElse)
	}
	return nil
}
