package main

import (
	"fmt"
	"slices"
	"strings"
)

// Merging an older spec set into a newer one.
//
// Kafka 4.0 removed the protocol versions older than Kafka 2.1 from its specs
// (KIP-896), but brokers 0.10 to 2.0 only speak those. The last release whose
// specs list them is 3.9. mergeSpecs takes, for every request and response
// that the newer specs still list, the versions below the newer minimum from
// the older spec:
//
//   - the valid versions become the union: the older minimum, the newer maximum
//     (an older latestVersionUnstable version is not taken);
//   - a field present in both keeps the newer spec's name, type and position,
//     and its versions (also nullable and tagged ones) below the newer minimum
//     are the older spec's;
//   - a field only in the older spec is added for the older versions, right
//     after the field that precedes it in the older spec;
//   - flexible versions, defaults and docs are the newer spec's.
//
// APIs the newer specs have removed altogether (validVersions "none": the
// ZooKeeper-era inter-broker APIs LeaderAndIsr, StopReplica, UpdateMetadata,
// ControlledShutdown) stay removed: no client sends them.
//
// Every merged message is then checked version by version: at each version
// below the newer minimum its wire layout (the regular fields in order with
// their types and nullability, nested structs likewise, and the tagged
// fields by tag) must equal the older spec's, and at every other version the
// newer spec's.

// window says which versions of a merged message come from which spec:
// lo..cut-1 from the older one, cut.. from the newer one.
type window struct{ lo, cut int16 }

func (w window) old() vrange   { return vrange{w.lo, w.cut - 1} }
func (w window) newer() vrange { return vrange{w.cut, maxVersion} }

// mergeSpecs merges older into newer, changing newer's files in place. It
// returns a line per merged message, for the log.
func mergeSpecs(newer, older []*specFile) ([]string, error) {
	type key struct {
		api int16
		typ string
	}
	olds := map[key]*specFile{}
	for _, s := range older {
		if (s.Type == "request" || s.Type == "response") && s.APIKey != nil {
			olds[key{*s.APIKey, s.Type}] = s
		}
	}
	var log []string
	for _, s := range newer {
		if (s.Type != "request" && s.Type != "response") || s.APIKey == nil {
			continue
		}
		o := olds[key{*s.APIKey, s.Type}]
		if o == nil {
			continue
		}
		nv, err := parseVersions(s.ValidVersions)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", s.file, err)
		}
		// The request says which older versions were stable (a response
		// never says latestVersionUnstable).
		oreq := olds[key{*s.APIKey, "request"}]
		if oreq == nil {
			return nil, fmt.Errorf("%s: the older specs have no request for api key %d", o.file, *s.APIKey)
		}
		ov, err := parseVersions(oreq.ValidVersions)
		if err != nil {
			return nil, fmt.Errorf("%s (older): %v", oreq.file, err)
		}
		if oreq.LatestVersionUnstable && !ov.empty() {
			ov.hi--
		}
		if nv.empty() || ov.empty() || ov.lo >= nv.lo {
			continue
		}
		if ov.hi < nv.lo-1 {
			return nil, fmt.Errorf("%s: older versions %v and newer %v leave a gap", s.file, ov, nv)
		}
		if o.Name != s.Name {
			return nil, fmt.Errorf("%s: api key %d is %s in the older specs", s.file, *s.APIKey, o.Name)
		}
		w := window{ov.lo, nv.lo}
		orig := *s
		fields, err := mergeFields(s.Name, s.Fields, o.Fields, w)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", s.file, err)
		}
		commons, err := mergeCommonStructs(s.Name, s.CommonStructs, o.CommonStructs, w)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", s.file, err)
		}
		s.Fields, s.CommonStructs = fields, commons
		s.ValidVersions = vrange{ov.lo, nv.hi}.String()
		if err := checkMerged(s, &orig, o, w, nv.hi); err != nil {
			return nil, fmt.Errorf("%s: merge check: %v", s.file, err)
		}
		log = append(log, fmt.Sprintf("%s: versions %v from the older specs, %v from the newer", s.Name, w.old(), nv))
	}
	return log, nil
}

// mergeCommonStructs merges common structs by name; older-only ones are
// added for the older versions.
func mergeCommonStructs(path string, nf, of []specField, w window) ([]specField, error) {
	out := make([]specField, 0, len(nf))
	seen := map[string]bool{}
	for _, n := range nf {
		seen[n.Name] = true
		i := slices.IndexFunc(of, func(o specField) bool { return o.Name == n.Name })
		if i < 0 {
			n.Fields = clipFields(n.Fields, w.newer())
			out = append(out, n)
			continue
		}
		fields, err := mergeFields(path+"."+n.Name, n.Fields, of[i].Fields, w)
		if err != nil {
			return nil, err
		}
		n.Fields = fields
		out = append(out, n)
	}
	for _, o := range of {
		if !seen[o.Name] {
			o.Fields = clipFields(o.Fields, w.old())
			out = append(out, o)
		}
	}
	return out, nil
}

// mergeFields merges the fields of one struct.
func mergeFields(path string, nf, of []specField, w window) ([]specField, error) {
	out := make([]specField, 0, len(nf)+len(of))
	inNew := map[string]bool{}
	for _, n := range nf {
		inNew[n.Name] = true
		i := slices.IndexFunc(of, func(o specField) bool { return o.Name == n.Name })
		if i < 0 {
			// Only in the newer spec: it cannot be on the wire of an older
			// version (the older spec would list it).
			c, ok := clipField(n, w.newer())
			if !ok {
				return nil, fmt.Errorf("field %s.%s: no versions left", path, n.Name)
			}
			out = append(out, c)
			continue
		}
		m, err := mergeField(path, n, of[i], w)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	// Older-only fields go right after the field preceding them in the older
	// spec (or first), so the older versions keep their order.
	for i, o := range of {
		if inNew[o.Name] {
			continue
		}
		c, ok := clipField(o, w.old())
		if !ok {
			continue // not in the older versions this merge takes
		}
		at := 0
		if i > 0 {
			at = slices.IndexFunc(out, func(f specField) bool { return f.Name == of[i-1].Name }) + 1
			if at == 0 {
				// The preceding field had no older versions and was
				// dropped; follow the one before it.
				for j := i - 1; j >= 0 && at == 0; j-- {
					at = slices.IndexFunc(out, func(f specField) bool { return f.Name == of[j].Name }) + 1
				}
			}
		}
		out = slices.Insert(out, at, c)
		inNew[o.Name] = true
	}
	return out, nil
}

// mergeField merges a field present in both specs.
func mergeField(path string, n, o specField, w window) (specField, error) {
	name := path + "." + n.Name
	nt, na := strings.CutPrefix(n.Type, "[]")
	ot, oa := strings.CutPrefix(o.Type, "[]")
	if na != oa || (isPrim(nt) || isPrim(ot)) && nt != ot {
		return n, fmt.Errorf("field %s: type %s, older %s", name, n.Type, o.Type)
	}
	m := n
	var err error
	for _, p := range []struct {
		dst    *string
		nv, ov string
	}{
		{&m.Versions, n.Versions, o.Versions},
		{&m.NullableVersions, n.NullableVersions, o.NullableVersions},
		{&m.TaggedVersions, n.TaggedVersions, o.TaggedVersions},
	} {
		if *p.dst, err = unionVersions(name, p.nv, p.ov, w); err != nil {
			return n, err
		}
	}
	if n.Tag == nil && o.Tag != nil && m.TaggedVersions != "" {
		m.Tag = o.Tag
	}
	if n.Tag != nil && o.Tag != nil && *n.Tag != *o.Tag {
		return n, fmt.Errorf("field %s: tag %d, older %d", name, *n.Tag, *o.Tag)
	}
	if len(n.Fields) > 0 || len(o.Fields) > 0 {
		if m.Fields, err = mergeFields(name, n.Fields, o.Fields, w); err != nil {
			return n, err
		}
	}
	return m, nil
}

// unionVersions joins a newer and an older version set: the older one below
// w.cut, the newer one from it.
func unionVersions(name, ns, os string, w window) (string, error) {
	nv, err := parseVersions(ns)
	if err != nil {
		return "", fmt.Errorf("field %s: %v", name, err)
	}
	ov, err := parseVersions(os)
	if err != nil {
		return "", fmt.Errorf("field %s: older: %v", name, err)
	}
	lo, hi := ov.intersect(w.old()), nv.intersect(w.newer())
	switch {
	case lo.empty() && hi.empty():
		return "", nil
	case lo.empty():
		return hi.String(), nil
	case hi.empty():
		return lo.String(), nil
	case lo.hi+1 < hi.lo:
		return "", fmt.Errorf("field %s: versions %v and %v leave a gap", name, lo, hi)
	}
	return vrange{lo.lo, hi.hi}.String(), nil
}

// clipField restricts a field and its nested fields to r; false when the
// field has no version left.
func clipField(f specField, r vrange) (specField, bool) {
	clip := func(s string) string {
		v, err := parseVersions(s)
		if err != nil {
			return s // reported by the resolver
		}
		if v = v.intersect(r); v.empty() {
			return ""
		}
		return v.String()
	}
	f.Versions = clip(f.Versions)
	if f.Versions == "" {
		return f, false
	}
	f.NullableVersions = clip(f.NullableVersions)
	f.TaggedVersions = clip(f.TaggedVersions)
	if f.TaggedVersions == "" {
		f.Tag = nil
	}
	f.Fields = clipFields(f.Fields, r)
	return f, true
}

func clipFields(fs []specField, r vrange) []specField {
	var out []specField
	for _, f := range fs {
		if c, ok := clipField(f, r); ok {
			out = append(out, c)
		}
	}
	return out
}

func isPrim(t string) bool { _, ok := primKinds[t]; return ok }

// checkMerged compares the wire layout of merged with newer's at versions
// w.cut..hi and with older's below w.cut.
func checkMerged(merged, newer, older *specFile, w window, hi int16) error {
	mc, nc, oc := commonMap(merged), commonMap(newer), commonMap(older)
	for v := w.lo; v <= hi; v++ {
		src, sc, which := newer, nc, "newer"
		if v < w.cut {
			src, sc, which = older, oc, "older"
		}
		got := layout(merged.Fields, mc, v)
		want := layout(src.Fields, sc, v)
		if got != want {
			return fmt.Errorf("version %d differs from the %s spec:\n merged %s\n %s  %s", v, which, got, which, want)
		}
	}
	return nil
}

func commonMap(s *specFile) map[string][]specField {
	m := map[string][]specField{}
	for _, c := range s.CommonStructs {
		m[c.Name] = c.Fields
	}
	return m
}

// layout describes what fields are on the wire at version v, in order:
// "type name?" for regular fields ("?" when nullable), nested structs in
// braces, and then the tagged fields sorted by tag.
func layout(fs []specField, common map[string][]specField, v int16) string {
	has := func(s string) bool {
		r, err := parseVersions(s)
		return err == nil && r.lo <= v && v <= r.hi
	}
	var b strings.Builder
	var tagged []string
	for _, f := range fs {
		if !has(f.Versions) {
			continue
		}
		t, arr := strings.CutPrefix(f.Type, "[]")
		var d strings.Builder
		if arr {
			d.WriteString("[]")
		}
		if isPrim(t) {
			d.WriteString(t)
		} else {
			sub := f.Fields
			if len(sub) == 0 {
				sub = common[t]
			}
			d.WriteString("{" + layout(sub, common, v) + "}")
		}
		d.WriteString(" " + f.Name)
		if has(f.NullableVersions) {
			d.WriteString("?")
		}
		if has(f.TaggedVersions) && f.Tag != nil {
			tagged = append(tagged, fmt.Sprintf("%05d:%s", *f.Tag, d.String()))
			continue
		}
		b.WriteString(d.String() + "; ")
	}
	slices.Sort(tagged)
	if len(tagged) > 0 {
		b.WriteString("tagged: " + strings.Join(tagged, ", "))
	}
	return b.String()
}
