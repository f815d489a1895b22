// Package gossfile reads goss v0.4.9 suites (gossfiles) on the machine that runs Packer, and turns
// them into the list of resources goss would test: each with the gossfile it came from, its type,
// its key and its attributes, decoded exactly as goss decodes them.
//
// On the data path it comes first for a user who brings gossfiles: the provisioner's Prepare
// calls Load; package goss maps each Resource onto checks (facts of package probe, matchers of
// package gossmatch). Nothing here looks at the image, and nothing here judges anything.
//
// # How it matches goss
//
// The ground truth is goss v0.4.9's source; each step below names the goss function it follows,
// and the tests pin each behaviour against the real goss binary (see testdata/render/README.md).
//
//   - Templates (goss's template.go, NewTemplateFilter): every gossfile, included ones too, is a
//     Go text/template rendered before it is parsed, with missingkey=error, the data .Vars (the
//     vars) and .Env (Options.Env), all of sprig v3.3.0's TxtFuncMap, and goss's own mkSlice,
//     readFile, getEnv, regexMatch, toUpper, toLower and findStringSubmatch. Differences on
//     purpose: .Env, getEnv and sprig's env and expandenv read Options.Env (the environment of
//     the machine that runs Packer, where goss under the goss provisioner sees the image's);
//     readFile reads on that machine too, a relative path from Options.Dir (goss: from its
//     working folder, the folder the goss provisioner uploads the tests to), and every use of it,
//     like sprig's getHostByName, adds a warning.
//   - Vars (store.go, loadVars): the vars file is JSON if it parses as JSON, else YAML, and is not
//     a template. Inline vars replace the file's top-level keys whole (no deep merge); they reach
//     the templates as goss reads its --vars-inline: as JSON, so every number is a float64. Each
//     top-level gossfile renders with a fresh copy of the vars, and its includes share it (sprig's
//     set changes .Vars for the files rendered after it, as in goss).
//   - Format (store.go, getStoreFormatFromFileName): a top-level gossfile must end in .yaml,
//     .yml or .json, and that decides the format of every file it includes, whatever their names.
//     YAML is gopkg.in/yaml.v3 v3.0.1, as in goss: anchors, aliases and merge keys work, a
//     duplicate key in one mapping is an error, only the first document of a stream counts (we
//     warn about the others). JSON is encoding/json: a duplicate key silently keeps the later
//     value (we warn), and the resource types' names match whatever their letter case.
//   - Resources (resource/resource_list.go, UnmarshalYAML/UnmarshalJSON and util's
//     ValidateSections): an attribute a type does not have is an error, except "-" for
//     kernel-param and gossfile, which goss accepts and ignores (we warn); a resource with no
//     value is an error; values take the Go types of goss's structs (see types.go). A top-level
//     key that is no resource type is ignored by goss; we warn.
//   - Includes (store.go, mergeJSONData): a gossfile resource's `file`, or else its key, is a glob
//     relative to the folder of the file that names it (or absolute); keys are taken in sorted
//     order, each glob's matches in sorted order; a glob that matches nothing is an error; a
//     skipped include is not read. A file's own resources come first and each include's replace
//     those with the same type and key (a later-loaded file wins; we warn where goss logs
//     "Duplicate key detected"). Includes nest at most 49 deep (goss stops at a depth of 50); an
//     include cycle is that error at once.
//   - A top-level gossfile with no resources after its includes is an error, as goss's validate
//     fails with "found 0 tests".
//   - What goss drops without a word, we warn about: a key YAML reads as null (~) for a resource
//     or an attribute, YAML documents after the first, JSON's duplicate keys, unknown types.
//
// Where goss would hang or exhaust memory, we stop with an error instead: a gossfile or a
// readFile that is no regular file (a device, a FIFO), a rendered file beyond 64 MiB, more than
// 1000 files read for one top-level gossfile. The folder of the template is taken literally
// where goss would glob it whole, so a folder named "web [old]" works.
//
// Each top-level gossfile is a goss run of its own: resources with the same type and key in two
// of them are two resources, as they are two runs of goss.
package gossfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Options say which gossfiles to load, and with what.
type Options struct {
	// Files are the top-level gossfiles: paths or globs (filepath.Match syntax), relative to Dir
	// unless absolute. Each must end in .yaml, .yml or .json.
	Files []string
	// Dir is the folder relative paths start from: the folder of the Packer template. "" is the
	// working folder.
	Dir string
	// VarsFile is a YAML or JSON file of variables for the templates (.Vars), relative to Dir.
	VarsFile string
	// VarsInline are variables that replace the file's top-level keys of the same name.
	VarsInline map[string]any
	// Env is the environment the templates see (.Env, getEnv, env, expandenv): that of the
	// machine that runs Packer. It is passed in, never read from the process, so tests can set it.
	Env map[string]string
}

// A Suite is what a set of gossfiles asks goss to test.
type Suite struct {
	// Resources in a stable order: top-level gossfile by gossfile, each in the order goss loads
	// its resources (a file's own in the order written, then its includes'); a resource replaced
	// by a later-loaded one of the same type and key keeps its place.
	Resources []Resource
	// Warnings are what goss would silently ignore or do differently, each naming the file.
	Warnings []string
}

// A Resource is one resource of a gossfile, as goss decodes it.
type Resource struct {
	// Entry is the top-level gossfile whose goss run holds the resource, relative to Dir with
	// forward slashes (absolute when more than two folders above Dir).
	Entry string
	// File is the gossfile that declares the resource (Entry itself or one it includes), written
	// as Entry is.
	File string
	// Line is the line of the resource's key in File, or 0 when it is not known: when templates
	// changed the file's lines (a range, an if), or the resource came from a merge key.
	Line int
	// Type is goss's type name: file, package, addr, port, service, user, group, command, dns,
	// process, kernel-param, mount, interface, http or matching.
	Type string
	// ID is the resource's key in the gossfile, as goss keys it.
	ID string
	// Subject is what the resource is about: the attribute that names it when set (file's path,
	// command's exec, http's url, package's name, addr's address, dns's resolve, port's port,
	// user's username, group's groupname, process's comm, mount's mountpoint, and the name of
	// service, kernel-param and interface), else ID. For matching it is ID, a mere label.
	Subject string
	// Attrs are the attributes the gossfile sets, after rendering, with the Go types goss's
	// decoders give them: a matcher keeps the decoded value as it is (YAML: int, float64, string,
	// bool, nil, []any, map[string]any, map[any]any when a key is no string, time.Time for an
	// unquoted date such as 2001-12-14, and 0644 is the int 420; JSON: float64 for every number,
	// string, bool, nil, []any, map[string]any); a string,
	// bool, int or list-of-strings attribute has that Go type ([]string for the list). An
	// attribute written as null is present with its zero value (nil for a matcher).
	Attrs map[string]any
}

// GossID is the resource's name as goss reports it: "key" or, when the subject differs from
// the key, "key: subject".
func (r Resource) GossID() string {
	if r.Subject != r.ID && r.Type != "matching" && r.Type != "command" {
		return r.ID + ": " + r.Subject
	}
	return r.ID
}

// An Error is a problem that makes a gossfile unusable: goss v0.4.9 would refuse it, or assert
// cannot honour it. Its text names the file, the line when known, the resource and attribute
// when it is about one, what is wrong and what to do.
type Error struct {
	File    string // the gossfile, written as Resource.File
	Line    int    // 0 when unknown
	Type    string // the resource type, if the problem is about a resource
	ID      string // the resource's key
	Attr    string // the attribute, if the problem is about one
	Problem string
}

func (e *Error) Error() string {
	return where(e.File, e.Line, e.Type, e.ID, e.Attr) + e.Problem
}

// where is the start of an error or warning: `web.yaml:12: file "/etc/x": mode: `.
func where(file string, line int, typ, id, attr string) string {
	var b strings.Builder
	b.WriteString(file)
	if line > 0 {
		fmt.Fprintf(&b, ":%d", line)
	}
	b.WriteString(": ")
	if typ != "" {
		fmt.Fprintf(&b, "%s %q: ", typ, id)
	}
	if attr != "" {
		b.WriteString(attr + ": ")
	}
	return b.String()
}

// maxDepth is goss's mergeJSONData limit: the file at this depth of includes (the top-level
// file is depth 1) is an error.
const maxDepth = 50

// maxLoads bounds the files one top-level gossfile may read, counting a file each time it is
// included. goss has no such bound: files that each include the next ones twice would have it
// read 2^49 files, forever in effect; we stop with an error instead.
const maxLoads = 1000

// Load reads, renders and decodes the gossfiles as goss v0.4.9 would, and returns their
// resources. Its error joins every problem found: those with the gossfiles' names or the vars,
// and for each top-level gossfile those of the file where its loading stopped (each an *Error).
func Load(opts Options) (*Suite, error) {
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("gossfiles: the template's folder: %w", err)
	}
	l := &loader{dir: dir, env: opts.Env, seenWarning: map[string]bool{}}
	if err := l.readVars(opts.VarsFile, opts.VarsInline); err != nil {
		return nil, err
	}
	entries, errs := l.entries(opts.Files)
	suite := &Suite{}
	included := map[string]string{} // file → the entry that includes it
	for _, entry := range entries {
		resources, err := l.loadEntry(entry, included)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		suite.Resources = append(suite.Resources, resources...)
	}
	for _, entry := range entries {
		if by, ok := included[entry]; ok {
			l.warn(where(l.rel(entry), 0, "", "", "") + fmt.Sprintf(
				"it is listed as a gossfile and also included by %s, so its resources are tested twice; list only %s",
				l.rel(by), l.rel(by)))
		}
	}
	suite.Warnings = l.warnings
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return suite, nil
}

// loader holds what one Load shares between files.
type loader struct {
	dir         string
	env         map[string]string
	varsFile    string // for messages
	varsData    []byte // the vars file as read, decoded afresh for every entry
	varsFormat  format
	inline      []byte // the inline vars as JSON, as goss receives --vars-inline
	warnings    []string
	seenWarning map[string]bool
}

func (l *loader) warn(msg string) {
	if !l.seenWarning[msg] {
		l.seenWarning[msg] = true
		l.warnings = append(l.warnings, msg)
	}
}

// rel writes a path as the user finds it: relative to the template's folder with forward
// slashes (up to two folders up, as in ../../shared/goss.yaml), else absolute.
func (l *loader) rel(path string) string {
	r, err := filepath.Rel(l.dir, path)
	if err != nil || strings.HasPrefix(filepath.ToSlash(r), "../../../") || r == "../../.." {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(r)
}

// entries expands the top-level gossfiles' paths and globs, in order, each file once.
func (l *loader) entries(patterns []string) ([]string, []error) {
	var files []string
	var errs []error
	seen := map[string]bool{}
	if len(patterns) == 0 {
		return nil, []error{errors.New("gossfiles: no gossfile given: name at least one")}
	}
	for i, p := range patterns {
		if p == "" {
			errs = append(errs, fmt.Errorf("gossfiles[%d]: empty: name a gossfile or a glob", i))
			continue
		}
		matches, err := filepath.Glob(join(l.dir, p))
		if err != nil {
			errs = append(errs, fmt.Errorf("gossfiles[%d]: %q is not a valid glob: %v", i, p, err))
			continue
		}
		if len(matches) == 0 {
			if hasMeta(p) {
				errs = append(errs, fmt.Errorf("gossfiles[%d]: %q matches no file in %s", i, p, l.dir))
			} else {
				errs = append(errs, fmt.Errorf("gossfiles[%d]: %s not found (relative paths start from the template's folder, %s)", i, p, l.dir))
			}
			continue
		}
		for _, m := range matches {
			if !seen[m] {
				seen[m] = true
				files = append(files, m)
			}
		}
	}
	return files, errs
}

// join joins a folder and a glob, with the folder's own glob characters escaped, so that only
// the user's pattern is a pattern. (goss globs the joined path whole; its folder, where the goss
// provisioner uploads the tests, holds none.) An absolute pattern stays as it is.
func join(dir, pattern string) string {
	if filepath.IsAbs(pattern) {
		return filepath.Clean(pattern)
	}
	var b strings.Builder
	for _, r := range dir {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return filepath.Join(b.String(), pattern)
}

func hasMeta(p string) bool { return strings.ContainsAny(p, `*?[\`) }

// loadEntry loads one top-level gossfile with everything it includes, merged as goss merges.
func (l *loader) loadEntry(path string, included map[string]string) ([]Resource, error) {
	f, err := formatOf(path)
	if err != nil {
		return nil, &Error{File: l.rel(path), Problem: err.Error()}
	}
	vars, err := l.vars()
	if err != nil {
		return nil, err
	}
	e := &entryLoad{loader: l, entry: path, format: f, vars: vars, included: included}
	list, err := e.load(path, []string{path})
	if err != nil {
		return nil, err
	}
	if len(list.order) == 0 {
		return nil, &Error{File: l.rel(path), Problem: "no resources, counting those of the files it includes: " +
			"goss v0.4.9 fails such a suite (\"found 0 tests\"); add a resource or remove the file from the gossfiles"}
	}
	return list.resources(), nil
}

// entryLoad is the loading of one top-level gossfile: one goss run.
type entryLoad struct {
	*loader
	entry    string
	format   format
	vars     map[string]any // shared by every file of the entry, as goss shares its TmplVars
	included map[string]string
	loads    int // files read so far, for maxLoads
}

// merged is an ordered set of resources keyed by type and key.
type merged struct {
	order []string
	byKey map[string]Resource
}

func (m *merged) put(r Resource) (old Resource, replaced bool) {
	if m.byKey == nil {
		m.byKey = map[string]Resource{}
	}
	k := r.Type + "\x00" + r.ID
	old, replaced = m.byKey[k]
	if !replaced {
		m.order = append(m.order, k)
	}
	m.byKey[k] = r
	return old, replaced
}

func (m *merged) resources() []Resource {
	out := make([]Resource, len(m.order))
	for i, k := range m.order {
		out[i] = m.byKey[k]
	}
	return out
}

// load reads one gossfile at the end of the include chain and merges its includes into its own
// resources, as goss's mergeJSONData does.
func (e *entryLoad) load(path string, chain []string) (*merged, error) {
	rel := e.rel(path)
	if e.loads++; e.loads > maxLoads {
		return nil, &Error{File: rel, Problem: fmt.Sprintf(
			"%s reads more than %d gossfiles, counting each include of a file: goss would go on for ever; include each file once",
			e.rel(e.entry), maxLoads)}
	}
	// Only a regular file: goss would read a device or a FIFO for ever, and hang Packer.
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() && !info.IsDir() {
		return nil, &Error{File: rel, Problem: "not a regular file: name a gossfile"}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: rel, Problem: fmt.Sprintf("cannot read it: %v", pathless(err))}
	}
	rendered, err := e.render(rel, data)
	if err != nil {
		return nil, err
	}
	doc, err := decode(e.loader, rel, data, rendered, e.format)
	if err != nil {
		return nil, err
	}
	if len(chain) >= maxDepth {
		return nil, &Error{File: rel, Problem: fmt.Sprintf(
			"included %d deep (%s): goss v0.4.9 stops at a depth of %d; flatten the includes",
			len(chain), e.chainText(chain), maxDepth)}
	}
	out := &merged{}
	for _, r := range doc.resources {
		r.Entry = e.rel(e.entry)
		out.put(r)
	}
	// goss takes the includes in the sorted order of their keys.
	includes := doc.includes
	sort.Slice(includes, func(i, j int) bool { return includes[i].ID < includes[j].ID })
	for _, inc := range includes {
		if skip, _ := inc.Attrs["skip"].(bool); skip {
			continue
		}
		pattern := inc.Subject
		matches, err := filepath.Glob(join(filepath.Dir(path), pattern))
		if err != nil {
			return nil, &Error{File: rel, Line: inc.Line, Type: "gossfile", ID: inc.ID,
				Problem: fmt.Sprintf("%q is not a valid glob: %v", pattern, err)}
		}
		if len(matches) == 0 {
			return nil, &Error{File: rel, Line: inc.Line, Type: "gossfile", ID: inc.ID, Problem: fmt.Sprintf(
				"%s matches no file (a relative include starts from the folder of %s): goss v0.4.9 fails the suite; fix the path or set skip: true",
				e.rel(join(filepath.Dir(path), pattern)), rel)}
		}
		for _, match := range matches {
			for _, c := range chain {
				if c == match {
					return nil, &Error{File: rel, Line: inc.Line, Type: "gossfile", ID: inc.ID, Problem: fmt.Sprintf(
						"includes itself (%s): goss v0.4.9 fails the suite at a depth of %d; break the cycle",
						e.chainText(append(chain, match)), maxDepth)}
				}
			}
			if match != e.entry {
				if _, ok := e.included[match]; !ok {
					e.included[match] = e.entry
				}
			}
			sub, err := e.load(match, append(chain[:len(chain):len(chain)], match))
			if err != nil {
				return nil, err
			}
			for _, r := range sub.resources() {
				if old, replaced := out.put(r); replaced && (old.File != r.File || old.Line != r.Line) {
					e.warn(where(r.File, r.Line, r.Type, r.ID, "") + fmt.Sprintf(
						"replaces the one in %s (goss keeps the later-loaded one, and warns \"Duplicate key detected\")",
						location(old.File, old.Line)))
				}
			}
		}
	}
	return out, nil
}

func location(file string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}

func (l *loader) chainText(chain []string) string {
	names := make([]string, len(chain))
	for i, c := range chain {
		names[i] = l.rel(c)
	}
	return strings.Join(names, " → ")
}

// pathless drops the path from an *os.PathError, which the message names already.
func pathless(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
