package handoff

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// The names, sources and filters of a template's builds may use its input variables and
// locals. The plugin evaluates them as Packer does (packer v1.14.3, hcl2template/parser.go
// and types.variables.go), each variable's value taken from the strongest of, weakest first:
// its default (evaluated with env(), the one function Packer allows there), PKR_VAR_NAME, the
// *.auto.pkrvars.hcl then *.auto.pkrvars.json files of the template's folder (a folder
// only), each -var-file, each -var. Locals are evaluated with the variables and each other,
// without functions. A value the plugin cannot find or evaluate is unknown: an expression
// that needs it is unknown too, and the plan refuses only when such an expression decides
// which builds, or which of their components, there are.

// declared is what a variable block says.
type declared struct {
	ty    cty.Type // cty.DynamicPseudoType when it has no type
	value cty.Value
}

var (
	varsSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "variables"},
		{Type: "locals"},
		{Type: "local", LabelNames: []string{"name"}},
	}}
	variableSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "type"}, {Name: "default"}}}
	localSchema    = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "expression"}}}
)

// evalContext is the context in which the plan evaluates expressions of the template: var and
// local, with unknown values where the plugin cannot know them.
func evalContext(inv Invocation, bodies []hcl.Body) *hcl.EvalContext {
	env := os.Environ()
	vars := map[string]*declared{}
	locals := map[string]hcl.Expression{}
	envCtx := &hcl.EvalContext{Functions: map[string]function.Function{"env": envFunc(env)}}
	for _, body := range bodies {
		content, _, _ := body.PartialContent(varsSchema)
		if content == nil {
			continue
		}
		for _, block := range content.Blocks {
			switch block.Type {
			case "variable":
				d := &declared{ty: cty.DynamicPseudoType, value: cty.DynamicVal}
				attrs, _, diags := block.Body.PartialContent(variableSchema)
				if diags.HasErrors() || attrs == nil {
					vars[block.Labels[0]] = d
					continue
				}
				if t, ok := attrs.Attributes["type"]; ok {
					if ty, diags := typeexpr.Type(t.Expr); !diags.HasErrors() {
						d.ty = ty
					}
				}
				if def, ok := attrs.Attributes["default"]; ok {
					if v, diags := def.Expr.Value(envCtx); !diags.HasErrors() {
						d.value = typed(v, d.ty)
					}
				}
				vars[block.Labels[0]] = d
			case "variables":
				attrs, _ := block.Body.JustAttributes()
				for name, attr := range attrs {
					d := &declared{ty: cty.DynamicPseudoType, value: cty.DynamicVal}
					if v, diags := attr.Expr.Value(envCtx); !diags.HasErrors() {
						d.value = v
					}
					vars[name] = d
				}
			case "locals":
				attrs, _ := block.Body.JustAttributes()
				for name, attr := range attrs {
					locals[name] = attr.Expr
				}
			case "local":
				attrs, _, _ := block.Body.PartialContent(localSchema)
				if attrs != nil {
					if a, ok := attrs.Attributes["expression"]; ok {
						locals[block.Labels[0]] = a.Expr
					}
				}
			}
		}
	}
	// PKR_VAR_NAME, then the var files, then -var: each stronger than the one before
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if name, ok := strings.CutPrefix(k, "PKR_VAR_"); ok {
			if d := vars[name]; d != nil {
				d.value = fromString(v, d.ty)
			}
		}
	}
	for _, name := range varFiles(inv) {
		setFromFile(vars, name)
	}
	for _, kv := range inv.Vars {
		if name, v, ok := strings.Cut(kv, "="); ok {
			if d := vars[name]; d != nil {
				d.value = fromString(v, d.ty)
			}
		}
	}
	varVals := map[string]cty.Value{}
	for name, d := range vars {
		varVals[name] = d.value
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(varVals)}}
	// locals may use each other: evaluate them until no more become known
	localVals := map[string]cty.Value{}
	for name := range locals {
		localVals[name] = cty.DynamicVal
	}
	for range len(locals) + 1 {
		ctx.Variables["local"] = cty.ObjectVal(localVals)
		progress := false
		for name, expr := range locals {
			if localVals[name].IsWhollyKnown() {
				continue
			}
			if v, diags := expr.Value(ctx); !diags.HasErrors() && v.IsWhollyKnown() {
				localVals[name] = v
				progress = true
			}
		}
		if !progress {
			break
		}
	}
	ctx.Variables["local"] = cty.ObjectVal(localVals)
	return ctx
}

// varFiles are the variable files Packer reads, weakest first: the folder's auto var files
// (*.auto.pkrvars.hcl, then *.auto.pkrvars.json, each by name), then each -var-file.
func varFiles(inv Invocation) []string {
	var files []string
	if fi, err := os.Stat(inv.Template); err == nil && fi.IsDir() {
		for _, ext := range []string{".auto.pkrvars.hcl", ".auto.pkrvars.json"} {
			entries, _ := os.ReadDir(inv.Template)
			for _, e := range entries {
				if !e.IsDir() && strings.HasSuffix(e.Name(), ext) {
					files = append(files, filepath.Join(inv.Template, e.Name()))
				}
			}
		}
	}
	for _, vf := range inv.VarFiles {
		if !filepath.IsAbs(vf) {
			vf = filepath.Join(inv.Dir, vf)
		}
		files = append(files, vf)
	}
	return files
}

// setFromFile sets the variables a var file assigns; a file that cannot be read makes every
// variable unknown, since it may set any.
func setFromFile(vars map[string]*declared, name string) {
	var f *hcl.File
	var diags hcl.Diagnostics
	parser := hclparse.NewParser()
	if strings.HasSuffix(name, ".json") {
		f, diags = parser.ParseJSONFile(name)
	} else {
		f, diags = parser.ParseHCLFile(name)
	}
	var attrs hcl.Attributes
	if !diags.HasErrors() {
		attrs, diags = f.Body.JustAttributes()
	}
	if diags.HasErrors() {
		for _, d := range vars {
			d.value = cty.DynamicVal
		}
		return
	}
	for n, attr := range attrs {
		d := vars[n]
		if d == nil {
			continue
		}
		if v, diags := attr.Expr.Value(nil); !diags.HasErrors() {
			d.value = typed(v, d.ty)
		} else {
			d.value = cty.DynamicVal
		}
	}
}

// fromString is a value given as a string (-var, PKR_VAR_): literal for a string, a number or
// no type, an HCL expression otherwise.
func fromString(s string, ty cty.Type) cty.Value {
	if ty == cty.String || ty == cty.Number || ty == cty.DynamicPseudoType {
		return typed(cty.StringVal(s), ty)
	}
	expr, diags := hclsyntax.ParseExpression([]byte(s), "<value>", hcl.InitialPos)
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	return typed(v, ty)
}

// typed converts v to the variable's type; a value that does not convert is unknown.
func typed(v cty.Value, ty cty.Type) cty.Value {
	if ty == cty.DynamicPseudoType {
		return v
	}
	c, err := convert.Convert(v, ty)
	if err != nil {
		return cty.DynamicVal
	}
	return c
}

// envFunc is packer's env(): the value of an environment variable, or "".
func envFunc(env []string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "key", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			key := args[0].AsString()
			for _, kv := range env {
				if k, v, ok := strings.Cut(kv, "="); ok && k == key {
					return cty.StringVal(v), nil
				}
			}
			return cty.StringVal(""), nil
		},
	})
}
