package kerr

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// TestMessageStyle keeps every description short and plain: one or two
// sentences, starting with a capital letter and ending with a full stop.
func TestMessageStyle(t *testing.T) {
	t.Parallel()
	sentenceEnd := regexp.MustCompile(`[.!?] `)
	for _, e := range All() {
		m := e.Message
		switch {
		case len(m) > 220:
			t.Errorf("%s: message of %d bytes, keep it under 220: %q", e.Name, len(m), m)
		case !unicode.IsUpper(rune(m[0])) || !strings.HasSuffix(m, "."):
			t.Errorf("%s: message must start with a capital and end with a full stop: %q", e.Name, m)
		case len(sentenceEnd.FindAllString(m, -1)) > 1:
			t.Errorf("%s: more than two sentences: %q", e.Name, m)
		case strings.Contains(m, "  ") || strings.ContainsAny(m, "\n\t"):
			t.Errorf("%s: stray whitespace: %q", e.Name, m)
		}
	}
}

// goRef matches a Go name in a message: Type.Field, Type.Field.Field, or a
// lone identifier with an inner capital (MaxRequestSize, AcksAll).
var goRef = regexp.MustCompile(`\b[A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)+\b|\b[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*\b`)

// TestMessagesNameRealSettings checks that every Go name a message gives as
// a hint (ProducerConfig.MaxRequestSize, Config.SASL.Mechanism, AcksAll)
// exists in package core, so that a renamed setting cannot leave a stale
// hint behind. It reads core's source, since kerr may not import core.
func TestMessagesNameRealSettings(t *testing.T) {
	t.Parallel()
	api := parseCore(t)
	checked := 0
	for _, e := range All() {
		for _, ref := range goRef.FindAllString(e.Message, -1) {
			checked++
			if !api.resolves(ref) {
				t.Errorf("%s: the message names %s, which package core does not have: %q", e.Name, ref, e.Message)
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d Go names found in the messages; the pattern or the messages changed", checked)
	}
}

// coreAPI is what the messages may name: core's exported top-level names,
// and for each struct type its fields with their type names.
type coreAPI struct {
	names   map[string]bool
	structs map[string]map[string]string // type -> field -> field's type name
	embeds  map[string][]string          // type -> embedded struct types
}

func parseCore(t *testing.T) *coreAPI {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no source of package core next to kerr: %v", err)
	}
	api := &coreAPI{names: map[string]bool{}, structs: map[string]map[string]string{}, embeds: map[string][]string{}}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					api.names[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							api.names[n.Name] = true
						}
					case *ast.TypeSpec:
						api.names[s.Name.Name] = true
						if st, ok := s.Type.(*ast.StructType); ok {
							api.addStruct(s.Name.Name, st)
						}
					}
				}
			}
		}
	}
	return api
}

func (a *coreAPI) addStruct(name string, st *ast.StructType) {
	fields := map[string]string{}
	for _, f := range st.Fields.List {
		typ := ""
		switch x := f.Type.(type) {
		case *ast.Ident:
			typ = x.Name
		case *ast.StarExpr:
			if id, ok := x.X.(*ast.Ident); ok {
				typ = id.Name
			}
		}
		if len(f.Names) == 0 && typ != "" {
			a.embeds[name] = append(a.embeds[name], typ)
			fields[typ] = typ
		}
		for _, n := range f.Names {
			fields[n.Name] = typ
		}
	}
	a.structs[name] = fields
}

// field returns the type name of typ's field (or promoted field) f.
func (a *coreAPI) field(typ, f string) (string, bool) {
	if ft, ok := a.structs[typ][f]; ok {
		return ft, true
	}
	for _, e := range a.embeds[typ] {
		if ft, ok := a.field(e, f); ok {
			return ft, true
		}
	}
	return "", false
}

// resolves reports whether ref (Name, or Type.Field.Field...) exists; a lone
// name may also be a field of one of the config structs.
func (a *coreAPI) resolves(ref string) bool {
	parts := strings.Split(ref, ".")
	if len(parts) == 1 {
		if a.names[ref] {
			return true
		}
		for _, s := range []string{"Config", "ProducerConfig", "ConsumerConfig", "AdminConfig"} {
			if _, ok := a.field(s, ref); ok {
				return true
			}
		}
		return false
	}
	typ := parts[0]
	if _, ok := a.structs[typ]; !ok {
		return false
	}
	for _, f := range parts[1:] {
		ft, ok := a.field(typ, f)
		if !ok {
			return false
		}
		typ = ft
	}
	return true
}
