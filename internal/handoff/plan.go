package handoff

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
)

// A usage is one build that Packer makes of a source in a run: a source used by a build block,
// kept by the -only and -except of the command line. It counts the components of this plugin
// that Packer prepares for it, in the order it prepares them (packer v1.14.3,
// hcl2template/types.packer_config.go GetBuilds): the provisioners, then the post-processors,
// then the error-cleanup provisioner.
type usage struct {
	name           string   // as Packer names the build in its log: "checked.null.target", or "null.target" in a build block without a name
	after          []string // the types of the provisioners that run after its last assert provisioner and may change the instance
	provisioners   int      // assert provisioners
	postProcessors int      // assert-attestation post-processors
	cleanup        int      // an assert error-cleanup-provisioner (0 or 1)
}

// roles is the sequence of registrations Packer makes for u.
func (u usage) roles() []Role {
	var r []Role
	for range u.provisioners {
		r = append(r, Provisioner)
	}
	for range u.postProcessors {
		r = append(r, PostProcessor)
	}
	for range u.cleanup {
		r = append(r, Provisioner)
	}
	return r
}

// describe names u's components for a person: "checked.null.target (1 assert, 1 assert-attestation)".
func (u usage) describe() string {
	s := fmt.Sprintf("%s (%d assert, %d assert-attestation", u.name, u.provisioners, u.postProcessors)
	if u.cleanup > 0 {
		s += ", 1 assert error-cleanup-provisioner"
	}
	return s + ")"
}

// componentTypes are the names this plugin's provisioner and post-processor have in a template.
// Packer names a plugin's components after the last part of the address it is installed from
// (github.com/assertkit/assert: "assert" and "assert-attestation"), which it also puts in the
// binary's name (packer-plugin-assert_v0.1.0_x5.0_linux_amd64).
func componentTypes() (provisioner, postProcessor string) {
	name := "assert"
	if exe, err := os.Executable(); err == nil {
		if rest, ok := strings.CutPrefix(filepath.Base(exe), "packer-plugin-"); ok {
			if i := strings.IndexAny(rest, "_."); i >= 0 {
				rest = rest[:i]
			}
			if rest != "" {
				name = rest
			}
		}
	}
	return name, name + "-attestation"
}

// legacyJSON reports whether Packer reads template as a legacy JSON template, whose builds each
// have a name of their own (packer v1.14.3, command/cli.go GetConfigType).
func legacyJSON(template string) bool {
	if template == "-" || strings.HasSuffix(template, ".pkr.hcl") || strings.HasSuffix(template, ".pkr.json") {
		return false
	}
	fi, err := os.Stat(template)
	return err == nil && !fi.IsDir()
}

// plan reads the template of inv as Packer does and returns the builds of source b in this run
// that have an assert provisioner or an assert-attestation post-processor, in the order Packer
// prepares them. It refuses, saying why, when it cannot be sure: a template it cannot read, or
// a value it cannot evaluate without the
// template's variables, a dynamic block, an -only or -except pattern with more than * and ?.
func plan(inv Invocation, b Build) ([]usage, error) {
	if inv.Template == "-" {
		return nil, errors.New("the template was read from standard input, which the plugin cannot read")
	}
	files, err := templateFiles(inv.Template)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("the template %s holds no *.pkr.hcl or *.pkr.json file", inv.Template)
	}
	provType, ppType := componentTypes()
	p := planner{inv: inv, source: b, provType: provType, ppType: ppType}
	parser := hclparse.NewParser()
	var bodies []hcl.Body
	for _, name := range files {
		var f *hcl.File
		var diags hcl.Diagnostics
		if strings.HasSuffix(name, ".pkr.json") {
			f, diags = parser.ParseJSONFile(name)
		} else {
			f, diags = parser.ParseHCLFile(name)
		}
		if diags.HasErrors() {
			return nil, fmt.Errorf("the template file %s cannot be read: %s", name, diags.Error())
		}
		bodies = append(bodies, f.Body)
	}
	p.ctx = evalContext(inv, bodies)
	for i, body := range bodies {
		if err := p.file(body, files[i]); err != nil {
			return nil, err
		}
	}
	return p.usages, nil
}

// templateFiles are the files of a template in the order Packer reads them: a file alone, or
// the *.pkr.hcl then the *.pkr.json files of a folder, each by name (hcl2template/utils.go
// GetHCL2Files).
func templateFiles(template string) ([]string, error) {
	fi, err := os.Stat(template)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		if strings.HasSuffix(template, ".pkr.hcl") || strings.HasSuffix(template, ".pkr.json") {
			return []string{template}, nil
		}
		return nil, nil
	}
	entries, err := os.ReadDir(template)
	if err != nil {
		return nil, err
	}
	var hclFiles, jsonFiles []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := filepath.Join(template, e.Name())
		switch {
		case strings.HasSuffix(name, ".pkr.hcl"):
			hclFiles = append(hclFiles, name)
		case strings.HasSuffix(name, ".pkr.json"):
			jsonFiles = append(jsonFiles, name)
		}
	}
	return append(hclFiles, jsonFiles...), nil
}

type planner struct {
	inv              Invocation
	source           Build
	provType, ppType string
	ctx              *hcl.EvalContext // the template's var and local
	usages           []usage
}

var (
	fileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "build"},
		{Type: "dynamic", LabelNames: []string{"type"}},
	}}
	buildSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "name"}, {Name: "sources"}},
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "source", LabelNames: []string{"reference"}},
			{Type: "provisioner", LabelNames: []string{"type"}},
			{Type: "error-cleanup-provisioner", LabelNames: []string{"type"}},
			{Type: "post-processor", LabelNames: []string{"type"}},
			{Type: "post-processors"},
			{Type: "dynamic", LabelNames: []string{"type"}},
		},
	}
	postProcessorsSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "post-processor", LabelNames: []string{"type"}},
		{Type: "dynamic", LabelNames: []string{"type"}},
	}}
	sourceSchema     = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "name"}}}
	componentSchema  = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "name"}, {Name: "only"}, {Name: "except"}}}
	errDynamicBlocks = errors.New("it has dynamic blocks, which the plugin does not expand")
)

// file adds the usages of p.source in one file of the template.
func (p *planner) file(body hcl.Body, name string) error {
	content, _, diags := body.PartialContent(fileSchema)
	if diags.HasErrors() {
		return fmt.Errorf("the template file %s cannot be read: %s", name, diags.Error())
	}
	for _, block := range content.Blocks {
		if block.Type == "dynamic" {
			return fmt.Errorf("the template file %s: %w", name, errDynamicBlocks)
		}
		if err := p.build(block); err != nil {
			return fmt.Errorf("the build block at %s: %w", block.DefRange, err)
		}
	}
	return nil
}

// a sourceUse is a source as a build block uses it.
type sourceUse struct {
	typ, name string // the source block's labels
	local     string // the name the build gives it, or name
	known     bool   // whether local could be evaluated
}

// build adds the usages of p.source by one build block (hcl2template/types.build.go
// decodeBuildConfig): the sources of its sources attribute, then its source blocks.
func (p *planner) build(block *hcl.Block) error {
	content, _, diags := block.Body.PartialContent(buildSchema)
	if diags.HasErrors() {
		return errors.New(diags.Error())
	}
	if mine, err := p.hasComponents(content); err != nil || !mine {
		// a build without this plugin's components registers nothing: what it builds does not matter
		return err
	}
	buildName, nameKnown := "", true
	if attr, ok := content.Attributes["name"]; ok {
		buildName, nameKnown = p.str(attr.Expr)
	}
	var uses []sourceUse
	if attr, ok := content.Attributes["sources"]; ok {
		refs, known := p.strs(attr.Expr)
		if !known {
			return fmt.Errorf("its sources (at %s) cannot be evaluated: they use a value the plugin cannot know (a variable "+
				"without a value it can find, a local that needs a function, a data source); write them out, or give the "+
				"build with assert and assert-attestation its own source list that needs no such value", attr.Expr.Range())
		}
		for _, ref := range refs {
			if typ, name, ok := sourceRef(ref); ok {
				uses = append(uses, sourceUse{typ: typ, name: name, local: name, known: true})
			}
		}
	}
	var provisioners, cleanups []*hcl.Block
	var chains [][]*hcl.Block
	for _, b := range content.Blocks {
		switch b.Type {
		case "dynamic":
			return errDynamicBlocks
		case "source":
			typ, name, ok := sourceRef(b.Labels[0])
			if !ok {
				continue
			}
			use := sourceUse{typ: typ, name: name, local: name, known: true}
			sc, _, diags := b.Body.PartialContent(sourceSchema)
			if diags.HasErrors() {
				return errors.New(diags.Error())
			}
			if attr, ok := sc.Attributes["name"]; ok {
				use.local, use.known = p.str(attr.Expr)
			}
			uses = append(uses, use)
		case "provisioner":
			provisioners = append(provisioners, b)
		case "error-cleanup-provisioner":
			cleanups = append(cleanups, b)
		case "post-processor":
			chains = append(chains, []*hcl.Block{b})
		case "post-processors":
			pc, _, diags := b.Body.PartialContent(postProcessorsSchema)
			if diags.HasErrors() {
				return errors.New(diags.Error())
			}
			for _, inner := range pc.Blocks {
				if inner.Type == "dynamic" {
					return errDynamicBlocks
				}
			}
			chains = append(chains, pc.Blocks)
		}
	}
	for _, use := range uses {
		if use.typ != p.source.Type || use.name != p.source.Name {
			continue
		}
		u, keep, err := p.usage(buildName, nameKnown, use, provisioners, cleanups, chains)
		if err != nil {
			return err
		}
		if keep && len(u.roles()) > 0 {
			p.usages = append(p.usages, u)
		}
	}
	return nil
}

// usage counts this plugin's components in one build of p.source, and says whether the
// command line's -only and -except keep the build.
func (p *planner) usage(buildName string, nameKnown bool, use sourceUse, provisioners, cleanups []*hcl.Block, chains [][]*hcl.Block) (usage, bool, error) {
	var u usage
	local := use.typ + "." + use.local
	u.name = local
	if buildName != "" {
		u.name = buildName + "." + local
	}
	if !use.known || !nameKnown {
		u.name = use.typ + "." + use.name + " (a name that uses a value the plugin cannot know)"
	}
	// -only, then -except, match the build's name (GetBuilds)
	if len(p.inv.Only) > 0 || len(p.inv.Except) > 0 {
		if !use.known || !nameKnown {
			return u, false, fmt.Errorf("the name of its build of %s uses a value the plugin cannot know (a variable without a "+
				"value it can find, a local that needs a function), so -only and -except cannot be matched with it", p.source)
		}
	}
	if len(p.inv.Only) > 0 {
		kept, err := anyMatch(p.inv.Only, u.name, "-only")
		if err != nil || !kept {
			return u, false, err
		}
	}
	excluded, err := anyMatch(p.inv.Except, u.name, "-except")
	if err != nil || excluded {
		return u, false, err
	}
	skips := func(b *hcl.Block) (bool, error) {
		c, _, diags := b.Body.PartialContent(componentSchema)
		if diags.HasErrors() {
			return false, errors.New(diags.Error())
		}
		_, hasOnly := c.Attributes["only"]
		_, hasExcept := c.Attributes["except"]
		if !hasOnly && !hasExcept {
			return false, nil
		}
		if !use.known {
			return false, fmt.Errorf("the %s %q at %s has only or except, and the name of its build of %s uses a value the "+
				"plugin cannot know", b.Type, b.Labels[0], b.DefRange, p.source)
		}
		skip, known := p.onlyExceptSkips(c, local)
		if !known {
			return false, fmt.Errorf("the only or except of the %s %q at %s uses a value the plugin cannot know (a variable "+
				"without a value it can find, a local that needs a function)", b.Type, b.Labels[0], b.DefRange)
		}
		return skip, nil
	}
	for _, b := range provisioners {
		skip, err := skips(b)
		if b.Labels[0] != p.provType {
			// for a warning only: one that may run counts
			if (err != nil || !skip) && !p.downloadsOnly(b) {
				u.after = append(u.after, b.Labels[0])
			}
			continue
		}
		if err != nil {
			return u, false, err
		}
		if !skip {
			u.provisioners++
			u.after = nil
		}
	}
	// a post-processor that -except names ends its chain (getCoreBuildPostProcessors); one that
	// its only or except skips does not. Only what can change the count of this plugin's
	// post-processors is evaluated.
	for _, chain := range chains {
		uncertain := "" // why the chain may have ended before this point
		for _, b := range chain {
			ours := b.Labels[0] == p.ppType
			if ours {
				skip, err := skips(b)
				if err != nil {
					return u, false, err
				}
				if skip {
					continue
				}
			} else if len(p.inv.Except) == 0 {
				continue // another post-processor ends no chain without -except
			}
			name, nameKnown := b.Labels[0], true
			c, _, _ := b.Body.PartialContent(componentSchema)
			if attr, ok := c.Attributes["name"]; ok {
				n, known := p.str(attr.Expr)
				nameKnown = known
				if known && n != "" {
					name = n
				}
			}
			if !nameKnown && len(p.inv.Except) > 0 {
				why := fmt.Sprintf("the name of the post-processor %q at %s uses a value the plugin cannot know, so -except "+
					"cannot be matched with it", b.Labels[0], b.DefRange)
				if ours {
					return u, false, errors.New(why)
				}
				uncertain = why
				continue
			}
			excluded, err := anyMatch(p.inv.Except, name, "-except")
			if err != nil {
				return u, false, err
			}
			if excluded {
				if ours {
					break
				}
				skip, err := skips(b)
				if err != nil {
					uncertain = err.Error()
					continue
				}
				if !skip {
					break
				}
				continue
			}
			if ours {
				if uncertain != "" {
					return u, false, errors.New(uncertain)
				}
				u.postProcessors++
			}
		}
	}
	for _, b := range cleanups {
		if b.Labels[0] != p.provType {
			continue
		}
		skip, err := skips(b)
		if err != nil {
			return u, false, err
		}
		if !skip {
			u.cleanup = 1
		}
	}
	return u, true, nil
}

// downloadsOnly reports whether b is a file provisioner that copies from the instance, which
// changes nothing in it.
func (p *planner) downloadsOnly(b *hcl.Block) bool {
	if b.Labels[0] != "file" {
		return false
	}
	c, _, _ := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "direction"}}})
	if attr, ok := c.Attributes["direction"]; ok {
		d, known := p.str(attr.Expr)
		return known && d == "download"
	}
	return false
}

// hasComponents reports whether a build block has an assert provisioner, error-cleanup
// provisioner or assert-attestation post-processor; a dynamic block that makes provisioners or
// post-processors may make any, and is refused.
func (p *planner) hasComponents(content *hcl.BodyContent) (bool, error) {
	for _, b := range content.Blocks {
		switch b.Type {
		case "dynamic":
			// one that makes provisioners or post-processors may make this plugin's; another
			// (of sources, say) matters only in a build with them
			switch b.Labels[0] {
			case "provisioner", "error-cleanup-provisioner", "post-processor", "post-processors":
				return false, errDynamicBlocks
			}
		case "provisioner", "error-cleanup-provisioner":
			if b.Labels[0] == p.provType {
				return true, nil
			}
		case "post-processor":
			if b.Labels[0] == p.ppType {
				return true, nil
			}
		case "post-processors":
			pc, _, diags := b.Body.PartialContent(postProcessorsSchema)
			if diags.HasErrors() {
				return false, errors.New(diags.Error())
			}
			for _, inner := range pc.Blocks {
				if inner.Type == "dynamic" {
					return false, errDynamicBlocks
				}
				if inner.Labels[0] == p.ppType {
					return true, nil
				}
			}
		}
	}
	return false, nil
}

// onlyExceptSkips is hcl2template's OnlyExcept.Skip: only, when given, lists the sources the
// component runs for; else except lists those it skips. known is false when a list cannot be
// evaluated.
func (p *planner) onlyExceptSkips(c *hcl.BodyContent, local string) (skip, known bool) {
	if attr, ok := c.Attributes["only"]; ok {
		only, known := p.strs(attr.Expr)
		if !known {
			return false, false
		}
		if len(only) > 0 {
			for _, o := range only {
				if o == local {
					return false, true
				}
			}
			return true, true
		}
	}
	if attr, ok := c.Attributes["except"]; ok {
		except, known := p.strs(attr.Expr)
		if !known {
			return false, false
		}
		for _, e := range except {
			if e == local {
				return true, true
			}
		}
	}
	return false, true
}

// sourceRef reads a source reference, "source.type.name" or "type.name"
// (hcl2template/types.build.from.go sourceRefFromString).
func sourceRef(ref string) (typ, name string, ok bool) {
	parts := strings.Split(ref, ".")
	if len(parts) < 2 {
		return "", "", false
	}
	if len(parts) > 2 {
		parts = parts[1:]
	}
	return parts[0], parts[1], true
}

// str evaluates expr with the template's var and local; known is false when it needs a value
// the plugin cannot know, or is not a string.
func (p *planner) str(expr hcl.Expression) (string, bool) {
	v, diags := expr.Value(p.ctx)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// strs evaluates expr, a list of strings, with the template's var and local.
func (p *planner) strs(expr hcl.Expression) ([]string, bool) {
	v, diags := expr.Value(p.ctx)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() || !(v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType()) {
		return nil, false
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() || e.Type() != cty.String {
			return nil, false
		}
		out = append(out, e.AsString())
	}
	return out, true
}

// anyMatch reports whether a pattern of -only or -except matches name. Packer compiles them as
// github.com/gobwas/glob patterns without separators; the plugin matches * (any characters,
// dots too) and ? (any one character), and refuses the rest of that syntax rather than guess.
func anyMatch(patterns []string, name, flag string) (bool, error) {
	for _, pat := range patterns {
		if strings.ContainsAny(pat, `[]{}\!`) {
			return false, fmt.Errorf("the %s pattern %q uses glob syntax the plugin does not match (only * and ?)", flag, pat)
		}
		if wildcard(pat, name) {
			return true, nil
		}
	}
	return false, nil
}

// wildcard matches name with pat, where * is any run of characters and ? any one.
func wildcard(pat, name string) bool {
	p, n := []rune(pat), []rune(name)
	// the classic two-pointer match, backtracking to the last star
	pi, ni, star, mark := 0, 0, -1, 0
	for ni < len(n) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == n[ni]):
			pi++
			ni++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ni
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ni = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
