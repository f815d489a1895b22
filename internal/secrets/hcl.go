package secrets

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// parseHCL parses a file as packer does: JSON when its name ends in ".json", HCL native syntax
// when it ends in ".hcl". The file may be partial; why is set when it has errors.
func parseHCL(src []byte, name string) (*hcl.File, string) {
	var file *hcl.File
	var diags hcl.Diagnostics
	switch {
	case strings.HasSuffix(name, ".json"):
		file, diags = hcljson.Parse(src, name)
	case strings.HasSuffix(name, ".hcl"):
		file, diags = hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	default:
		return nil, fmt.Sprintf("%s is neither .hcl nor .json, so its format is unknown", name)
	}
	if diags.HasErrors() {
		return file, fmt.Sprintf("%s could not be parsed: %s", name, summary(diags))
	}
	return file, ""
}

// summary describes diagnostics by position and summary only: a diagnostic's detail may quote
// the source, which may hold a secret.
func summary(diags hcl.Diagnostics) string {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if d.Subject != nil {
			return fmt.Sprintf("line %d, column %d: %s", d.Subject.Start.Line, d.Subject.Start.Column, d.Summary)
		}
		return d.Summary
	}
	return "unknown error"
}

var (
	templateSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "variable", LabelNames: []string{"name"}}, {Type: "local", LabelNames: []string{"name"}}}}
	localSchema    = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "sensitive"}}}
	variableSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "type"}, {Name: "default"}}}
)

// readDeclarations reads the variable blocks of a template file: each sensitive variable's type,
// and its default, evaluated as packer evaluates it, with env() and nothing else.
func (f *finder) readDeclarations(file *hcl.File, name string, defaults *source) {
	content, _, diags := file.Body.PartialContent(templateSchema)
	if diags.HasErrors() && defaults.failed == "" {
		defaults.failed = fmt.Sprintf("%s could not be read: %s", name, summary(diags))
	}
	if content == nil {
		return
	}
	for _, block := range content.Blocks {
		if block.Type == "local" && len(block.Labels) == 1 {
			f.readLocal(block)
			continue
		}
		if len(block.Labels) != 1 || !f.names[block.Labels[0]] {
			continue
		}
		v := block.Labels[0]
		attrs, _, diags := block.Body.PartialContent(variableSchema)
		if diags.HasErrors() || attrs == nil {
			defaults.set[v] = fmt.Sprintf("the variable block of var.%s in %s could not be read: %s", v, name, summary(diags))
			continue
		}
		d := decl{ty: cty.DynamicPseudoType, known: true}
		if t, ok := attrs.Attributes["type"]; ok {
			ty, diags := typeexpr.Type(t.Expr)
			if diags.HasErrors() {
				d.known = false
			} else {
				d.ty = ty
			}
		}
		def, ok := attrs.Attributes["default"]
		if !ok {
			f.decls[v] = d
			continue
		}
		// env() reads packer's environment; the plugin's own is inherited from it. Evaluate with
		// each, so that a difference between the two never hides a value.
		why := ""
		for i, env := range [][]string{f.l.Packer.Env, f.l.OwnEnv} {
			if env == nil && i == 0 {
				continue
			}
			val, diags := def.Expr.Value(&hcl.EvalContext{Functions: map[string]function.Function{"env": envFunc(env)}})
			if diags.HasErrors() {
				why = fmt.Sprintf("the default of var.%s in %s could not be evaluated: %s", v, name, summary(diags))
				continue
			}
			f.addValue(val, d)
			// Without a type, packer takes the default's, unless it is {} or [].
			if _, typed := attrs.Attributes["type"]; !typed && d.known && !val.Type().Equals(cty.EmptyObject) && !val.Type().Equals(cty.EmptyTuple) {
				d.ty = val.Type()
			}
		}
		f.decls[v] = d
		defaults.set[v] = why
	}
}

// readAssignments reads the NAME = value lines of a var file; packer evaluates them with no
// variables and no functions.
func (f *finder) readAssignments(file *hcl.File, name string, s *source) {
	attrs, diags := file.Body.JustAttributes()
	if diags.HasErrors() && s.failed == "" {
		s.failed = fmt.Sprintf("%s could not be read: %s", name, summary(diags))
	}
	for v, attr := range attrs {
		if !f.names[v] {
			continue
		}
		val, diags := attr.Expr.Value(nil)
		if diags.HasErrors() {
			s.set[v] = fmt.Sprintf("the value of var.%s in %s could not be evaluated: %s", v, name, summary(diags))
			continue
		}
		f.addValue(val, f.decls[v])
		s.set[v] = ""
	}
}

// raw reads a value given as a string, by -var or PKR_VAR_NAME: packer takes it literally when
// the variable's type is string, number or absent, and as an HCL expression otherwise. When the
// type is unknown, it is read both ways. what names the source for a reason.
func (f *finder) raw(name, value, what string) string {
	f.values.add(value)
	d, declared := f.decls[name]
	literal := func(ty cty.Type) bool {
		return ty == cty.String || ty == cty.Number || ty == cty.NilType || ty == cty.DynamicPseudoType
	}
	if declared && d.known && literal(d.ty) {
		if d.ty == cty.Number {
			// "007" is the number 7, which is what an interpolation prints.
			if n, err := convert.Convert(cty.StringVal(value), cty.Number); err == nil {
				f.addValue(n, decl{})
			}
		}
		return ""
	}
	expr, diags := hclsyntax.ParseExpression([]byte(value), "<value for var."+name+">", hcl.InitialPos)
	if !diags.HasErrors() {
		var val cty.Value
		val, diags = expr.Value(nil)
		if !diags.HasErrors() {
			f.addValue(val, d)
			return ""
		}
	}
	if declared && d.known {
		return fmt.Sprintf("the value of %s is not an HCL expression that can be evaluated: %s", what, summary(diags))
	}
	// The type is unknown: the literal string, added above, is the value if it is not an
	// expression.
	return ""
}

// addValue adds every primitive inside v, as it is and converted to the variable's type.
func (f *finder) addValue(v cty.Value, d decl) {
	f.leaves(v)
	if d.known && d.ty != cty.NilType && d.ty != cty.DynamicPseudoType {
		if conv, err := convert.Convert(v, d.ty); err == nil {
			f.leaves(conv)
		}
	}
}

// leaves adds every known primitive inside v as an interpolation prints it.
func (f *finder) leaves(v cty.Value) {
	_ = cty.Walk(v, func(_ cty.Path, n cty.Value) (bool, error) {
		if n.IsMarked() {
			n, _ = n.Unmark()
		}
		if !n.IsKnown() || n.IsNull() || !n.Type().IsPrimitiveType() {
			return true, nil
		}
		if s, err := convert.Convert(n, cty.String); err == nil && s.IsKnown() && !s.IsNull() {
			f.values.add(s.AsString())
		}
		return true, nil
	})
}

// envFunc is packer's env(): the value of a variable of env, or "" when it is not set. The first
// of several definitions wins, as in Go's os.Getenv.
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

// readLocal notes a `local "name"` block with sensitive = true (or a sensitive that cannot be
// evaluated without Packer, which may be true).
func (f *finder) readLocal(block *hcl.Block) {
	attrs, _, _ := block.Body.PartialContent(localSchema)
	if attrs == nil {
		return
	}
	a, ok := attrs.Attributes["sensitive"]
	if !ok {
		return
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.Bool || v.True() {
		f.locals[block.Labels[0]] = true
	}
}
