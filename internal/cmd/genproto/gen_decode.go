package main

import "fmt"

var readFunc = map[int]string{
	kBool: "Bool", kInt8: "Int8", kInt16: "Int16", kUint16: "Uint16", kInt32: "Int32",
	kUint32: "Uint32", kInt64: "Int64", kFloat64: "Float64", kUUID: "UUID",
}

var fixedSize = map[int]int{
	kBool: 1, kInt8: 1, kInt16: 2, kUint16: 2, kInt32: 4, kUint32: 4, kInt64: 8,
	kFloat64: 8, kUUID: 16,
}

// decodeFunc writes the decode method of st.
func decodeFunc(g *gen, st *structType) error {
	m := st.msg
	g.p("func (v *%s) decode(r *Reader, version int16) {", st.goName)
	var body gen
	for _, f := range st.fields {
		x := "v." + f.goName
		cond := versionCond(m.valid, f.regular)
		if cond != "" && cond != "false" {
			body.p("if %s {", cond)
		}
		if cond != "false" {
			if err := decodeValue(&body, f, x, "r", f.flexExpr(m), relCond(f.regular, f.nullable)); err != nil {
				return err
			}
		}
		if cond != "" && cond != "false" {
			body.p("} else {")
		}
		if cond != "" {
			if err := f.resetStmt(&body, x); err != nil {
				return err
			}
		}
		if cond != "" && cond != "false" {
			body.p("}")
		}
	}
	if !m.flexible.empty() {
		body.p("v.UnknownTaggedFields = v.UnknownTaggedFields[:0]")
		body.p("if flexible {")
		if err := decodeTagged(&body, st); err != nil {
			return err
		}
		body.p("}")
	}
	withFlexible(g, m, &body)
	g.p("}\n")
	return nil
}

// decodeTagged writes the loop over a tagged-field section.
func decodeTagged(g *gen, st *structType) error {
	m := st.msg
	tagged := taggedFields(st)
	if len(tagged) == 0 {
		g.p("v.UnknownTaggedFields = r.TaggedFields(v.UnknownTaggedFields)")
		return nil
	}
	g.p("for n := r.TaggedFieldCount(); n > 0 && r.err == nil; n-- {")
	g.p("tag, data := r.TaggedField()")
	g.p("if r.err != nil {\nbreak\n}")
	g.p("switch {")
	for _, f := range tagged {
		cond := versionCond(m.valid, f.tagged)
		if cond == "false" {
			continue
		}
		if cond != "" {
			cond = " && " + cond
		}
		g.p("case tag == %d%s:", f.tag, cond)
		g.p("s := r.sub(data)\nt := &s")
		if err := decodeValue(g, f, "v."+f.goName, "t", "true", relCond(f.tagged, f.nullable)); err != nil {
			return err
		}
		g.p("r.join(t)")
	}
	g.p("default:")
	g.p("v.UnknownTaggedFields = append(v.UnknownTaggedFields, TaggedField{Tag: tag, Data: data})")
	g.p("}\n}")
	return nil
}

// decodeValue writes the statements that read x, the value of f, from the
// reader rd. nc is "true", "false" or a condition: whether the version is
// nullable.
func decodeValue(g *gen, f *field, x, rd, flex, nc string) error {
	if !f.goNullable() {
		nc = "false"
	}
	switch {
	case f.array:
		g.p("if n := %s.arrayLen(%s, %s, %d); n < 0 {", rd, flex, boolOf(nc), elemMinSize(f))
		g.p("%s = nil\n} else {", x)
		g.p("%s = resize(%s, n)", x, x)
		switch f.kind {
		case kStruct:
			g.p("for i := range %s {\n%s[i].decode(%s, version)\n}", x, x, rd)
		case kString:
			g.p("for i := range %s {\n%s[i] = %s.nonNullStr(%s)\n}", x, x, rd, flex)
		case kBytes, kRecords:
			g.p("for i := range %s {\n%s[i] = %s.nonNullByts(%s)\n}", x, x, rd, flex)
		default:
			g.p("for i := range %s {\n%s[i] = %s.%s()\n}", x, x, rd, readFunc[f.kind])
		}
		g.p("}")
	case f.kind == kString:
		if !f.goNullable() {
			g.p("%s = %s.nonNullStr(%s)", x, rd, flex)
			return nil
		}
		return nullableSwitch(g, nc,
			fmt.Sprintf("%s = %s.nullableStr(%s)", x, rd, flex),
			fmt.Sprintf("%s = %s.strPtr(%s)", x, rd, flex))
	case f.kind == kBytes || f.kind == kRecords:
		return nullableSwitch(g, nc,
			fmt.Sprintf("%s = %s.nullableByts(%s)", x, rd, flex),
			fmt.Sprintf("%s = %s.nonNullByts(%s)", x, rd, flex))
	case f.kind == kStruct:
		if !f.goNullable() {
			g.p("%s.decode(%s, version)", x, rd)
			return nil
		}
		alloc := fmt.Sprintf("if %s == nil {\n%s = new(%s)\n}\n%s.decode(%s, version)", x, x, f.st.goName, x, rd)
		return nullableSwitch(g, nc,
			fmt.Sprintf("if %s.structMarker() {\n%s\n} else {\n%s = nil\n}", rd, alloc, x),
			alloc)
	default:
		g.p("%s = %s.%s()", x, rd, readFunc[f.kind])
	}
	return nil
}

func boolOf(nc string) string {
	if nc == "true" || nc == "false" {
		return nc
	}
	return "(" + nc + ")"
}

// elemMinSize is the fewest bytes one array element of f takes.
func elemMinSize(f *field) int {
	switch f.kind {
	case kStruct:
		return structMinSize(f.st, f.versions)
	case kString, kBytes, kRecords:
		return 1
	}
	return fixedSize[f.kind]
}

// structMinSize is the fewest bytes st takes in any version of within.
func structMinSize(st *structType, within vrange) int {
	best := -1
	for v := within.lo; v <= within.hi; v++ {
		if n := structSizeAt(st, v); best < 0 || n < best {
			best = n
		}
	}
	return max(best, 1)
}

func structSizeAt(st *structType, v int16) int {
	flex := !st.msg.flexible.intersect(vrange{v, v}).empty()
	n := 0
	if flex {
		n++
	}
	in := func(r vrange) bool { return !r.intersect(vrange{v, v}).empty() }
	for _, f := range st.fields {
		if !in(f.regular) {
			continue
		}
		switch {
		case f.array || f.kind == kBytes || f.kind == kRecords:
			if flex {
				n++
			} else {
				n += 4
			}
		case f.kind == kString:
			if flex {
				n++
			} else {
				n += 2
			}
		case f.kind == kStruct:
			if in(f.nullable) {
				n++
			} else {
				n += structSizeAt(f.st, v)
			}
		default:
			n += fixedSize[f.kind]
		}
	}
	return n
}
