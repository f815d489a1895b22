package secrets

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Lookup is where Find looks: what the plugin can see of packer's process, its own environment,
// and the file system. Tests build one by hand; System builds the real one.
type Lookup struct {
	// Packer is the packer process that runs the build.
	Packer Packer
	// OwnEnv is the plugin's own environment ("NAME=value"), inherited from packer: PKR_VAR_
	// variables are looked for in both, and env() in defaults is evaluated with both.
	OwnEnv []string
	// Files is the file system, rooted at "/": the file /home/u/t.pkr.hcl is "home/u/t.pkr.hcl".
	Files fs.FS
}

// maxFile is the largest template or var file read; a bigger one is reported, not read.
const maxFile = 64 << 20

// source is one place a variable's value may come from, in packer's order of precedence.
type source struct {
	// failed says why the source could not be read whole: it may set any variable.
	failed string
	// set maps each name the source sets to "" when its value was found, else to why not.
	set map[string]string
}

// finder holds the state of one Find.
type finder struct {
	l       Lookup
	names   map[string]bool
	values  valueSet
	decls   map[string]decl
	sources []*source       // weakest first
	locals  map[string]bool // the sensitive locals of the template
}

// decl is what a variable block says of a variable's type. known is false when the block was not
// seen (the template could not be read), and the value's form must then be guessed both ways.
type decl struct {
	ty    cty.Type
	known bool
}

// Find returns every value that the variables named may have in this build. userVars is
// packer_user_variables (legacy JSON templates; nil for HCL2): a name found there is resolved.
func (l Lookup) Find(names []string, userVars map[string]string) Result {
	f := &finder{l: l, names: map[string]bool{}, values: valueSet{}, decls: map[string]decl{}, locals: map[string]bool{}}
	for _, n := range nonEmpty(names) {
		f.names[n] = true
	}
	res := Result{Reasons: map[string]string{}}
	for n := range f.names {
		if v, ok := userVars[n]; ok {
			f.values.add(v)
		}
	}
	f.look()
	for n := range f.names {
		if _, ok := userVars[n]; ok {
			continue
		}
		if why := f.resolve(n); why != "" {
			res.Unresolved = append(res.Unresolved, n)
			res.Reasons[n] = why
		}
	}
	sort.Strings(res.Unresolved)
	res.Values = f.values.sorted()
	for n := range f.locals {
		res.SensitiveLocals = append(res.SensitiveLocals, n)
	}
	sort.Strings(res.SensitiveLocals)
	return res
}

// look reads every source, weakest first.
func (f *finder) look() {
	p := f.l.Packer
	if p.Problem != "" || len(p.Args) == 0 {
		why := "packer's process could not be seen: " + p.Problem
		if p.Problem == "" {
			why = "packer's command line is unknown"
		}
		// Without the command line, neither the template nor the var files are known; the
		// environment still is.
		f.sources = append(f.sources, &source{failed: why})
		f.environment()
		f.sources = append(f.sources, &source{failed: why})
		return
	}
	cmd, err := parseCommand(p.Args)
	if err != nil {
		why := "packer's command line could not be read: " + err.Error()
		f.sources = append(f.sources, &source{failed: why})
		f.environment()
		f.sources = append(f.sources, &source{failed: why})
		return
	}
	autoFiles := f.template(cmd.path)
	f.environment()
	for _, a := range autoFiles {
		f.varFile(a.name, a.err)
	}
	for _, vf := range cmd.varFiles {
		f.varFile(vf, nil)
	}
	vars := &source{set: map[string]string{}}
	for _, a := range cmd.vars {
		if f.names[a.name] {
			// The last -var of a name wins in packer (a map); each one's values count.
			vars.set[a.name] = f.raw(a.name, a.value, "-var "+a.name)
		}
	}
	f.sources = append(f.sources, vars)
}

// resolve says why the value of name in this build is not known for sure, or "".
func (f *finder) resolve(name string) string {
	for i := len(f.sources) - 1; i >= 0; i-- {
		s := f.sources[i]
		// A source read in part may set name to another value than the part shows.
		if s.failed != "" {
			return s.failed
		}
		if why, ok := s.set[name]; ok {
			return why
		}
	}
	return fmt.Sprintf("no value found for var.%s: none of -var, -var-file, auto var files, PKR_VAR_%s or a default in the template sets it", name, name)
}

// environment reads PKR_VAR_NAME from packer's environment and the plugin's own.
func (f *finder) environment() {
	s := &source{set: map[string]string{}}
	for _, env := range [][]string{f.l.Packer.Env, f.l.OwnEnv} {
		for _, kv := range env {
			k, v, ok := strings.Cut(kv, "=")
			name, isVar := strings.CutPrefix(k, "PKR_VAR_")
			if !ok || !isVar || !f.names[name] {
				continue
			}
			why := f.raw(name, v, "PKR_VAR_"+name)
			if prev, seen := s.set[name]; !seen || prev != "" {
				s.set[name] = why
			}
		}
	}
	f.sources = append(f.sources, s)
}

// autoFile is an *.auto.pkrvars.* file of the template's folder, or why the folder could not be
// listed (name is then the folder).
type autoFile struct {
	name string
	err  error
}

// template reads the variable blocks of the template (a file or a folder), adds the defaults
// source, and returns the folder's auto var files, which packer loads only for a folder.
func (f *finder) template(tpl string) []autoFile {
	defaults := &source{set: map[string]string{}}
	f.sources = append(f.sources, defaults)
	if tpl == "-" {
		defaults.failed = "the template was read from standard input, which the plugin cannot see"
		return nil
	}
	full, err := f.l.abs(tpl)
	if err != nil {
		defaults.failed = fmt.Sprintf("the template %s could not be found: %v", tpl, err)
		return []autoFile{{name: tpl, err: err}}
	}
	info, err := fs.Stat(f.l.Files, full)
	if err != nil {
		defaults.failed = fmt.Sprintf("the template %s could not be read: %v", tpl, cause(err))
		return []autoFile{{name: tpl, err: err}}
	}
	if !info.IsDir() {
		// A legacy JSON template (not *.pkr.json) has no variable blocks; its values come in
		// packer_user_variables.
		if strings.HasSuffix(tpl, ".pkr.hcl") || strings.HasSuffix(tpl, ".pkr.json") {
			f.declarations(tpl, defaults)
		}
		return nil
	}
	entries, err := fs.ReadDir(f.l.Files, full)
	if err != nil {
		defaults.failed = fmt.Sprintf("the template folder %s could not be listed: %v", tpl, cause(err))
		return []autoFile{{name: tpl, err: err}}
	}
	var hclAuto, jsonAuto []autoFile
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := filepath.Join(tpl, e.Name())
		switch {
		case strings.HasSuffix(name, ".pkr.hcl"), strings.HasSuffix(name, ".pkr.json"):
			f.declarations(name, defaults)
		case strings.HasSuffix(name, ".auto.pkrvars.hcl"):
			hclAuto = append(hclAuto, autoFile{name: name})
		case strings.HasSuffix(name, ".auto.pkrvars.json"):
			jsonAuto = append(jsonAuto, autoFile{name: name})
		}
	}
	return append(hclAuto, jsonAuto...)
}

// declarations reads the variable blocks of one template file into f.decls and the defaults.
func (f *finder) declarations(name string, defaults *source) {
	file, why := f.parse(name)
	if file == nil {
		defaults.failed = why
		return
	}
	if why != "" {
		// A file packer could parse and this package cannot may declare any variable.
		defaults.failed = why
	}
	f.readDeclarations(file, name, defaults)
}

// varFile reads one var file, a source of its own.
func (f *finder) varFile(name string, listErr error) {
	s := &source{set: map[string]string{}}
	f.sources = append(f.sources, s)
	if listErr != nil {
		s.failed = fmt.Sprintf("the auto var files of %s could not be listed: %v", name, cause(listErr))
		return
	}
	file, why := f.parse(name)
	if why != "" {
		s.failed = why
	}
	if file != nil {
		f.readAssignments(file, name, s)
	}
}

// parse reads and parses an HCL or JSON file (by its extension, as packer chooses); the file is
// nil when nothing could be read, and why is set when it could not be read or parsed whole.
func (f *finder) parse(name string) (*hcl.File, string) {
	full, err := f.l.abs(name)
	if err != nil {
		return nil, fmt.Sprintf("%s could not be found: %v", name, err)
	}
	src, err := f.l.read(full)
	if err != nil {
		return nil, fmt.Sprintf("%s could not be read: %v", name, err)
	}
	return parseHCL(src, name)
}

// abs resolves a path of packer's command line against packer's working directory, and returns
// it as a path of f.Files.
func (l Lookup) abs(name string) (string, error) {
	p := filepath.ToSlash(name)
	if !path.IsAbs(p) {
		if l.Packer.Dir == "" {
			return "", errors.New("it is relative and packer's working directory is unknown")
		}
		p = path.Join(filepath.ToSlash(l.Packer.Dir), p)
	}
	p = strings.TrimPrefix(path.Clean(p), "/")
	if p == "" {
		p = "."
	}
	return p, nil
}

// read reads a regular file of l.Files. Anything else (a FIFO, a device) is refused: packer has
// already read it, and reading it again could block or read something else.
func (l Lookup) read(full string) ([]byte, error) {
	if l.Files == nil {
		return nil, errors.New("no file system to read")
	}
	info, err := fs.Stat(l.Files, full)
	if err != nil {
		return nil, cause(err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", info.Mode().Type())
	}
	if info.Size() > maxFile {
		return nil, fmt.Errorf("larger than %d MiB", maxFile>>20)
	}
	b, err := fs.ReadFile(l.Files, full)
	if err != nil {
		return nil, cause(err)
	}
	return b, nil
}

// cause drops the path that io/fs errors repeat (a path of Files, without its leading slash).
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
