package gossfile

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// TestTypesMatchGossSource reads goss v0.4.9's own source from the module cache and checks
// resourceTypes against it: every resource type of GossConfig, every attribute of its struct
// with the same Go type, omitempty and order, and which types accept "-".
func TestTypesMatchGossSource(t *testing.T) {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skipf("go env GOMODCACHE: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "github.com", "goss-org", "goss@v0.4.9")
	fset := token.NewFileSet()
	parse := func(path string) *ast.File {
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Skipf("goss v0.4.9's source is not in the module cache (GOFLAGS=-mod=mod go mod download github.com/goss-org/goss@v0.4.9): %v", err)
		}
		return f
	}
	structs := map[string]*ast.StructType{}
	collect := func(f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			if ts, ok := n.(*ast.TypeSpec); ok {
				if st, ok := ts.Type.(*ast.StructType); ok {
					structs[ts.Name.Name] = st
				}
			}
			return true
		})
	}
	collect(parse(filepath.Join(dir, "goss_config.go")))
	files, _ := filepath.Glob(filepath.Join(dir, "resource", "*.go"))
	for _, path := range files {
		if !strings.HasSuffix(path, "_test.go") && !strings.HasSuffix(path, "_genny.go") {
			collect(parse(path))
		}
	}

	// GossConfig's fields name every type: `resource.FileMap` with the tag "file".
	seen := map[string]bool{}
	for _, field := range structs["GossConfig"].Fields.List {
		name, _ := jsonTag(t, field)
		sel, ok := field.Type.(*ast.SelectorExpr)
		if !ok {
			t.Fatalf("GossConfig.%s: unexpected type", field.Names[0].Name)
		}
		goStruct := strings.TrimSuffix(sel.Sel.Name, "Map")
		seen[name] = true
		ours := typeByName(name)
		if ours == nil {
			t.Errorf("goss has resource type %q, resourceTypes does not", name)
			continue
		}
		st := structs[goStruct]
		if st == nil {
			t.Fatalf("no struct %s in goss's resource package", goStruct)
		}
		var want []attr
		dash := false
		for _, f := range st.Fields.List {
			tag, omit := jsonTag(t, f)
			exported := ast.IsExported(f.Names[0].Name)
			if tag == "-" {
				dash = dash || exported
				continue
			}
			want = append(want, attr{name: tag, kind: kindOf(t, goStruct, f.Type), omitEmpty: omit})
		}
		if !reflect.DeepEqual(ours.attrs, want) {
			t.Errorf("%s: resourceTypes has\n%+v\ngoss's %s has\n%+v", name, ours.attrs, goStruct, want)
		}
		if ours.ignoresDash != dash {
			t.Errorf(`%s: ignoresDash is %v, but goss's %s has an exported field tagged "-": %v`, name, ours.ignoresDash, goStruct, dash)
		}
		if ours.subject != "" {
			if _, ok := ours.attr(ours.subject); !ok {
				t.Errorf("%s: subject %q is no attribute", name, ours.subject)
			}
		}
	}
	for _, ours := range resourceTypes {
		if !seen[ours.name] {
			t.Errorf("resourceTypes has %q, goss's GossConfig does not", ours.name)
		}
	}
}

// jsonTag is a field's json tag name and whether it says omitempty; its yaml tag must agree.
func jsonTag(t *testing.T, f *ast.Field) (string, bool) {
	t.Helper()
	raw, err := strconv.Unquote(f.Tag.Value)
	if err != nil {
		t.Fatal(err)
	}
	tag := reflect.StructTag(raw)
	if tag.Get("json") != tag.Get("yaml") {
		t.Errorf("field %s: json tag %q and yaml tag %q differ", f.Names[0].Name, tag.Get("json"), tag.Get("yaml"))
	}
	name, opts, _ := strings.Cut(tag.Get("json"), ",")
	return name, opts == "omitempty"
}

func kindOf(t *testing.T, structName string, e ast.Expr) kind {
	switch x := e.(type) {
	case *ast.Ident:
		switch x.Name {
		case "matcher", "any":
			return matcherKind
		case "string":
			return stringKind
		case "bool":
			return boolKind
		case "int":
			return intKind
		case "meta":
			return metaKind
		}
	case *ast.ArrayType:
		if id, ok := x.Elt.(*ast.Ident); ok && id.Name == "string" {
			return stringsKind
		}
	}
	t.Fatalf("%s: a field of a type the table does not know: %#v", structName, e)
	return 0
}
