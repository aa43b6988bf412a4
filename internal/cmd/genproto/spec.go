package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// specFile is one JSON message spec as Kafka writes it.
type specFile struct {
	APIKey                *int16      `json:"apiKey"`
	Type                  string      `json:"type"`
	Name                  string      `json:"name"`
	ValidVersions         string      `json:"validVersions"`
	FlexibleVersions      string      `json:"flexibleVersions"`
	LatestVersionUnstable bool        `json:"latestVersionUnstable"`
	Fields                []specField `json:"fields"`
	CommonStructs         []specField `json:"commonStructs"`

	file string // base name, for messages
}

// specField is a field, or a common struct (which has only Name and Fields,
// and optionally Versions).
type specField struct {
	Name             string          `json:"name"`
	Type             string          `json:"type"`
	Versions         string          `json:"versions"`
	NullableVersions string          `json:"nullableVersions"`
	TaggedVersions   string          `json:"taggedVersions"`
	FlexibleVersions string          `json:"flexibleVersions"`
	Tag              *specInt        `json:"tag"`
	Default          json.RawMessage `json:"default"`
	About            string          `json:"about"`
	Fields           []specField     `json:"fields"`
}

// specInt is an integer written as a number or, in some older specs (3.9's
// BrokerHeartbeatRequest), as a string.
type specInt int

func (n *specInt) UnmarshalJSON(b []byte) error {
	v, err := strconv.Atoi(strings.Trim(string(b), `"`))
	if err != nil {
		return fmt.Errorf("bad integer %s", b)
	}
	*n = specInt(v)
	return nil
}

// loadSpecs reads every *.json file of dir, sorted by name.
func loadSpecs(dir string) ([]*specFile, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("genproto: no *.json specs in %s", dir)
	}
	sort.Strings(paths)
	var out []*specFile
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		// Keys this generator has no use for (listeners, entityType, mapKey,
		// ignorable, zeroCopy) are ignored.
		var s specFile
		if err := json.Unmarshal([]byte(stripComments(string(raw))), &s); err != nil {
			return nil, fmt.Errorf("genproto: %s: %v", p, err)
		}
		s.file = filepath.Base(p)
		out = append(out, &s)
	}
	return out, nil
}

// stripComments removes // comments outside of JSON strings.
func stripComments(s string) string {
	var b strings.Builder
	inStr, esc := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			b.WriteByte(c)
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		if c == '"' {
			inStr = true
		}
		if c == '/' && i+1 < len(s) && s[i+1] == '/' {
			for i < len(s) && s[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// vrange is an inclusive range of versions; empty when lo > hi.
type vrange struct{ lo, hi int16 }

const maxVersion = 32767

var noVersions = vrange{1, 0}

func (v vrange) empty() bool { return v.lo > v.hi }

func (v vrange) intersect(o vrange) vrange {
	r := vrange{max(v.lo, o.lo), min(v.hi, o.hi)}
	if r.empty() {
		return noVersions
	}
	return r
}

func (v vrange) contains(o vrange) bool { return o.empty() || (v.lo <= o.lo && o.hi <= v.hi) }

// parseVersions parses "3+", "0-12", "5" or "none"; "" is none.
func parseVersions(s string) (vrange, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" || s == "none":
		return noVersions, nil
	case strings.HasSuffix(s, "+"):
		lo, err := strconv.ParseInt(s[:len(s)-1], 10, 16)
		return vrange{int16(lo), maxVersion}, err
	case strings.Contains(s, "-"):
		a, b, _ := strings.Cut(s, "-")
		lo, err1 := strconv.ParseInt(a, 10, 16)
		hi, err2 := strconv.ParseInt(b, 10, 16)
		if err1 != nil || err2 != nil {
			return noVersions, fmt.Errorf("bad versions %q", s)
		}
		return vrange{int16(lo), int16(hi)}, nil
	default:
		v, err := strconv.ParseInt(s, 10, 16)
		return vrange{int16(v), int16(v)}, err
	}
}

func (v vrange) String() string {
	switch {
	case v.empty():
		return "none"
	case v.hi == maxVersion:
		return fmt.Sprintf("%d+", v.lo)
	case v.lo == v.hi:
		return fmt.Sprint(v.lo)
	}
	return fmt.Sprintf("%d-%d", v.lo, v.hi)
}
