package gossfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The differential tests: every top-level file of testdata/render is loaded by Load and rendered
// by the real goss v0.4.9 (`goss render`, which prints what goss read after templates and
// includes), and the two must agree: the same resources with the same values, or both an error.
// goss's outputs are recorded in testdata/render/golden, so the comparison runs without goss;
// TestGossRenderRecorded proves the recordings are what goss prints today, when goss is here.

var (
	gossBinary = flag.String("goss", defaultGoss(),
		"the goss v0.4.9 binary the differential tests run (test/run.sh's ensure_goss builds it)")
	recordGoss = flag.Bool("record-goss", false, "record testdata/render/golden anew from the real goss")
)

const renderDir = "testdata/render"

// renderCase is one top-level gossfile of testdata/render and what goss does with it.
type renderCase struct {
	entry    string         // the gossfile, in testdata/render
	vars     string         // the vars file (--vars), relative to testdata/render
	inline   map[string]any // the inline vars (--vars-inline, as JSON)
	pins     string         // the goss behaviour the case pins
	wantErr  string         // "" when goss reads the file; else part of Load's error
	validate bool           // goss's verdict is validate's: render does not count resources
}

var renderCases = []renderCase{
	// Resource types and values.
	{entry: "all-types.yaml", pins: "every resource type with every attribute decodes to goss's Go types (YAML)"},
	{entry: "all-types.json", pins: "the same in JSON: every number a float64"},
	{entry: "yaml-scalars.yaml", pins: "yaml.v3 conversions: an int key or string attribute becomes its text, yes/on/off/y are bools for a bool attribute, 0640 is octal 416 and 0x10 is 16 for a matcher, a date stays a string, 1.0 fits an int attribute, a scalar's text fills a string list"},
	{entry: "yaml-anchors.yaml", pins: "anchors, aliases and merge keys (<<) for attributes, lists of merges (the earlier wins), whole sections"},
	{entry: "json-duplicates.json", pins: "JSON keeps the later of duplicate keys (a map merges: meta), resource type names match whatever their case, and the last such key wins"},
	{entry: "unknown-types.yaml", pins: "YAML top-level keys that are no type (File, files) are ignored"},
	{entry: "multi-document.yaml", pins: "only the first YAML document counts"},
	{entry: "multi-document-invalid.yaml", pins: "the documents after the first are not even parsed"},
	{entry: "dash-attribute.yaml", pins: `kernel-param and gossfile accept and ignore an attribute named "-"`},
	{entry: "dash-attribute-file.yaml", pins: `file refuses an attribute named "-"`, wantErr: `dash-attribute-file.yaml:2: file "/etc/x": -: file has no such attribute`},
	{entry: "unknown-attribute.yaml", pins: "an unknown attribute is an error", wantErr: `unknown-attribute.yaml:2: file "/etc/x": permissions: file has no such attribute`},
	{entry: "duplicate-resource.yaml", pins: "a key twice in one YAML mapping is an error", wantErr: `duplicate-resource.yaml:1: file: a key appears twice in one mapping, which goss v0.4.9 (yaml.v3) refuses: line 3: mapping key "/etc/x" already defined at line 2`},
	{entry: "duplicate-attribute.yaml", pins: "an attribute twice is an error", wantErr: `duplicate-attribute.yaml:2: file "/etc/x": a key appears twice in one mapping, which goss v0.4.9 (yaml.v3) refuses: line 4: mapping key "exists" already defined at line 3`},
	{entry: "duplicate-type.yaml", pins: "a resource type twice is an error", wantErr: `mapping key "file" already defined at line 1`},
	{entry: "duplicate-in-matcher.yaml", pins: "a key twice inside a matcher is an error", wantErr: `mapping key "and" already defined`},
	{entry: "null-resource.yaml", pins: `a resource without a value fails ("Could not parse resource")`, wantErr: `null-resource.yaml:2: file "/etc/x": has no attributes (null)`},
	{entry: "empty-resource.yaml", pins: "a resource of {} is a resource"},
	{entry: "empty.yaml", pins: `a file without resources fails validate ("found 0 tests")`, wantErr: "empty.yaml: no resources", validate: true},
	{entry: "not-a-mapping.yaml", pins: "a top level that is a list is an error", wantErr: "not-a-mapping.yaml: not a goss file"},
	{entry: "section-not-a-mapping.yaml", pins: "a type whose value is a list is an error", wantErr: "section-not-a-mapping.yaml:1: file: must map keys to file resources: line 1: cannot unmarshal !!seq into a mapping"},
	{entry: "resource-not-a-mapping.yaml", pins: "a resource whose value is a scalar is an error", wantErr: `resource-not-a-mapping.yaml:2: file "/etc/x": must be a mapping of attributes`},
	{entry: "bad-bool.yaml", pins: "a bool attribute refuses a word YAML 1.1 does not know", wantErr: "bad-bool.yaml:2: file \"/etc/x\": skip: cannot be read as goss reads it: line 4: cannot unmarshal !!str `maybe` into a bool (true or false)"},
	{entry: "bad-int.yaml", pins: "an int attribute refuses a word", wantErr: `bad-int.yaml:2: command "true": timeout: cannot be read`},
	{entry: "bad-list.yaml", pins: "a list attribute refuses a scalar", wantErr: `bad-list.yaml:2: http "http://localhost/": request-headers: cannot be read`},
	{entry: "json-string-typed.json", pins: "JSON gives a string attribute no number", wantErr: `json-string-typed.json:1: port "tcp:22": port: cannot be read as goss reads it: a JSON number where goss wants a string`},
	{entry: "not-json.json", pins: "a .json file is read as JSON only", wantErr: "not-json.json:1: not valid JSON"},
	{entry: "bad-extension.yml.tmpl", pins: "a top-level file must end in .yaml, .yml or .json", wantErr: `bad-extension.yml.tmpl: a gossfile's name must end in .yaml, .yml or .json (goss v0.4.9 refuses ".tmpl"`},
	{entry: "section-null.yaml", pins: "a type with no value has no resources"},
	{entry: "json-null-section.json", pins: "the same in JSON"},
	{entry: "json-null-resource.json", pins: `a JSON resource of null fails ("Could not parse resource")`, wantErr: `json-null-resource.json:1: file "/a": has no attributes (null)`},
	{entry: "yaml-scalar-keys.yaml", pins: "a key that YAML types as a bool, null or float is its text"},
	{entry: "yaml-same-text-keys.yaml", pins: "80 and \"80\" are one key to yaml.v3: an error", wantErr: `mapping key "80" already defined at line 2`},
	{entry: "json-trailing.json", pins: "text after the JSON value is an error", wantErr: "json-trailing.json:1: not valid JSON"},
	{entry: "syntax-error.yaml", pins: "invalid YAML is an error", wantErr: "syntax-error.yaml: not valid YAML: line 1: did not find expected ',' or '}'"},

	// Templates and vars.
	{entry: "templates.yaml", vars: "vars/vars.yaml", pins: "templates render before YAML with .Vars (YAML vars: ints), .Env, goss's functions, sprig's (regexMatch is goss's), comments included"},
	{entry: "templates.yaml", vars: "vars/vars.json", pins: "JSON vars: every number a float64, so eq .Vars.port 80 is an error", wantErr: "templates.yaml: template: line 35:6: at <eq .Vars.port 80>: error calling eq: incompatible types for comparison"},
	{entry: "templates.json", vars: "vars/vars.yaml", pins: "a JSON gossfile is a template too"},
	{entry: "missing-var.yaml", pins: "missingkey=error: an unknown var is an error", wantErr: `missing-var.yaml: template: line 2:10: at <.Vars.missing>: map has no entry for key "missing"`},
	{entry: "missing-var-in-comment.yaml", pins: "a YAML comment is rendered too", wantErr: `missing-var-in-comment.yaml: template: line 1:10: at <.Vars.missing>: map has no entry for key "missing"`},
	{entry: "missing-env.yaml", pins: "an unset .Env variable is an error", wantErr: `map has no entry for key "FIXTURE_UNSET"`},
	{entry: "missing-nested-var.yaml", vars: "vars/vars.yaml", pins: "missingkey=error holds in nested maps", wantErr: `map has no entry for key "c"`},
	{entry: "template-syntax-error.yaml", pins: "a template that does not parse is an error", wantErr: "template-syntax-error.yaml: not a valid template: line 4: unterminated character constant"},
	{entry: "template-unknown-field.yaml", pins: "the data has only Vars and Env", wantErr: `can't evaluate field Host`},
	{entry: "bad-regexp.yaml", pins: "findStringSubmatch with an invalid pattern is an error", wantErr: "error parsing regexp: missing closing )"},
	{entry: "bad-regexmatch.yaml", pins: "goss's regexMatch, unlike sprig's, fails on an invalid pattern", wantErr: "error parsing regexp: missing closing )"},
	{entry: "readfile-missing.yaml", pins: "readFile of a missing file is an error", wantErr: "error calling readFile"},
	{entry: "inline-vars.yaml", vars: "vars/vars.yaml", inline: map[string]any{"port": 8080, "nested": map[string]any{"c": 3}},
		pins: "inline vars replace the file's top-level keys whole, and come as JSON (a float64)"},
	{entry: "inline-vars.yaml", vars: "vars/null.json", inline: map[string]any{"port": 1, "nested": 2, "packages": 3},
		pins: "a null vars file with inline vars crashes goss", wantErr: "vars file vars/null.json is null and inline vars are set: goss v0.4.9 crashes on this"},
	{entry: "set-vars.yaml", pins: "sprig's set on .Vars reaches the files rendered after"},

	// Includes.
	{entry: "includes.yaml", pins: "includes: relative to the including file, keys sorted, matches sorted, later-loaded files replace earlier resources (an include's replace its includer's), the file attribute, skip, a file twice, an absolute path"},
	{entry: "include-json-from-yaml.yaml", pins: "an include is read in the top-level file's format, whatever its name"},
	{entry: "include-yaml-from-json.json", pins: "so YAML included by a JSON file is an error", wantErr: "inc/other.yaml:1: not valid JSON"},
	{entry: "include-no-match.yaml", pins: "an include that matches nothing is an error", wantErr: `include-no-match.yaml:4: gossfile "inc/nothing-*.yaml": inc/nothing-*.yaml matches no file`},
	{entry: "include-self.yaml", pins: "a file that includes itself fails at the depth limit", wantErr: `include-self.yaml:4: gossfile "include-self.yaml": includes itself (include-self.yaml → include-self.yaml)`},
	{entry: "include-cycle.yaml", pins: "a cycle of includes fails at the depth limit", wantErr: "includes itself (include-cycle.yaml → inc/cycle-b.yaml → include-cycle.yaml)"},
	{entry: "include-only-empty.yaml", pins: "resources are counted after includes: none is validate's error", wantErr: "include-only-empty.yaml: no resources", validate: true},
	{entry: "include-vars-attribute.yaml", pins: "a gossfile resource has no vars", wantErr: `include-vars-attribute.yaml:5: gossfile "inc/other.yaml": vars: gossfile has no such attribute`},
	{entry: "include-directory.yaml", pins: "an include that names a folder is an error", wantErr: `inc/sub: cannot read it: is a directory`},
	{entry: "include-bad-glob.yaml", pins: "an invalid glob is an error", wantErr: `gossfile "inc/[": "inc/[" is not a valid glob: syntax error in pattern`},
	{entry: "include-skip-wins.yaml", pins: "a skipped include is not even looked for"},
}

// fixtureEnv is the environment both goss and Load see.
func fixtureEnv(t *testing.T) map[string]string {
	dir, err := filepath.Abs(renderDir)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"FIXTURE_USER": "deploy", "FIXTURE_EMPTY": "", "FIXTURE_DIR": dir}
}

// name is the case's name in golden files and subtests: the entry, and its vars when they vary.
func (c renderCase) name() string {
	n := c.entry
	if c.vars != "" {
		n += "+" + filepath.Base(c.vars)
	}
	if c.inline != nil {
		n += "+inline"
	}
	return n
}

func (c renderCase) load(t *testing.T) (*Suite, error) {
	return Load(Options{Files: []string{c.entry}, Dir: renderDir, VarsFile: c.vars, VarsInline: c.inline, Env: fixtureEnv(t)})
}

// TestRenderMatchesGoss compares Load with goss's recorded render of every case.
func TestRenderMatchesGoss(t *testing.T) {
	for _, c := range renderCases {
		t.Run(c.name(), func(t *testing.T) {
			suite, err := c.load(t)
			out, outErr := os.ReadFile(filepath.Join(renderDir, "golden", c.name()+".out"))
			gossErr, gossErrErr := os.ReadFile(filepath.Join(renderDir, "golden", c.name()+".err"))
			switch {
			case outErr == nil && gossErrErr == nil, outErr != nil && gossErrErr != nil:
				t.Fatalf("want exactly one of golden/%s.out and .err (record with -record-goss)", c.name())
			case gossErrErr == nil: // goss failed
				if err == nil {
					t.Fatalf("goss fails (%s), Load does not", strings.TrimSpace(string(gossErr)))
				}
				if c.wantErr == "" || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("Load's error:\n%v\nwant it to hold %q", err, c.wantErr)
				}
			default: // goss rendered
				if err != nil {
					t.Fatalf("goss renders the file, Load fails: %v", err)
				}
				if c.wantErr != "" {
					t.Fatalf("the case wants an error, but goss renders the file")
				}
				f := formatOfTest(c.entry)
				want := parseRendered(t, out, f)
				got := parseRendered(t, renderLikeGoss(t, suite.Resources, f), f)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("Load differs from goss render.\nLoad:\n%s\ngoss:\n%s", renderLikeGoss(t, suite.Resources, f), out)
				}
			}
		})
	}
}

// TestRenderCasesCoverTestdata makes every top-level file of testdata/render a case.
func TestRenderCasesCoverTestdata(t *testing.T) {
	entries, err := os.ReadDir(renderDir)
	if err != nil {
		t.Fatal(err)
	}
	cased := map[string]bool{}
	for _, c := range renderCases {
		cased[c.entry] = true
	}
	for _, e := range entries {
		if !e.IsDir() && e.Name() != "README.md" && !cased[e.Name()] {
			t.Errorf("testdata/render/%s is no case of renderCases", e.Name())
		}
	}
}

// TestGossRenderRecorded runs the real goss on every case and compares what it prints with the
// recordings, or records them anew with -record-goss.
func TestGossRenderRecorded(t *testing.T) {
	if _, err := os.Stat(*gossBinary); err != nil {
		t.Skipf("no goss v0.4.9 at %s (test/run.sh's ensure_goss builds it): %v", *gossBinary, err)
	}
	for _, c := range renderCases {
		t.Run(c.name(), func(t *testing.T) {
			stdout, stderr, code := runGoss(t, c)
			outPath := filepath.Join(renderDir, "golden", c.name()+".out")
			errPath := filepath.Join(renderDir, "golden", c.name()+".err")
			logPath := filepath.Join(renderDir, "golden", c.name()+".log")
			var wantOut, wantErr, wantLog []byte
			if code == 0 {
				wantOut = stdout
				if len(stderr) > 0 {
					wantLog = stderr
				}
			} else {
				wantErr = []byte(fmt.Sprintf("exit status %d\n%s%s", code, stdout, stderr))
			}
			for _, g := range []struct {
				path string
				want []byte
			}{{outPath, wantOut}, {errPath, wantErr}, {logPath, wantLog}} {
				if *recordGoss {
					if g.want == nil {
						_ = os.Remove(g.path)
					} else if err := os.WriteFile(g.path, g.want, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				got, err := os.ReadFile(g.path)
				if g.want == nil && err == nil {
					t.Errorf("%s is recorded, but goss prints nothing there now", g.path)
				} else if g.want != nil && !bytes.Equal(got, g.want) {
					t.Errorf("%s differs from what goss prints now:\n%s\n(record with -record-goss)", g.path, g.want)
				}
			}
		})
	}
}

// timestamp is the start of a line of goss's log.
var timestamp = regexp.MustCompile(`(?m)^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d `)

// runGoss runs `goss -g ENTRY [--vars F] [--vars-inline JSON] render` (validate for the cases
// that need it) in testdata/render, with fixtureEnv as its whole environment.
func runGoss(t *testing.T, c renderCase) (stdout, stderr []byte, code int) {
	args := []string{"-g", c.entry}
	if c.vars != "" {
		args = append(args, "--vars", c.vars)
	}
	if c.inline != nil {
		b, err := json.Marshal(c.inline)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, "--vars-inline", string(b))
	}
	if c.validate {
		args = append(args, "validate", "--format", "silent")
	} else {
		args = append(args, "render")
	}
	cmd := exec.Command(*gossBinary, args...)
	cmd.Dir = renderDir
	for k, v := range fixtureEnv(t) {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	stderrText := timestamp.ReplaceAll(errOut.Bytes(), nil)
	// A crash's stack trace names goroutines and addresses that vary: keep its first line.
	if i := bytes.Index(stderrText, []byte("\ngoroutine ")); i >= 0 {
		stderrText = append(stderrText[:i+1:i+1], []byte("[stack trace left out]\n")...)
	}
	return out.Bytes(), stderrText, cmd.ProcessState.ExitCode()
}

func formatOfTest(entry string) format {
	if strings.HasSuffix(entry, ".json") {
		return jsonFormat
	}
	return yamlFormat
}

// renderLikeGoss prints resources as goss's render prints its GossConfig: each type's section
// keyed by resource key, each resource with goss's struct fields, those tagged omitempty left
// out when empty, the others printed even when unset.
func renderLikeGoss(t *testing.T, resources []Resource, f format) []byte {
	t.Helper()
	doc := map[string]map[string]map[string]any{}
	for _, r := range resources {
		typ := typeByName(r.Type)
		res := map[string]any{}
		for _, a := range typ.attrs {
			v, ok := r.Attrs[a.name]
			if !ok {
				v = reflect.Zero(a.kind.goType()).Interface()
			}
			if a.omitEmpty && isEmpty(a.kind, v) {
				continue
			}
			res[a.name] = v
		}
		if doc[r.Type] == nil {
			doc[r.Type] = map[string]map[string]any{}
		}
		doc[r.Type][r.ID] = res
	}
	var b []byte
	var err error
	if f == jsonFormat {
		b, err = json.MarshalIndent(doc, "", "    ")
	} else {
		b, err = yaml.Marshal(doc)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// isEmpty is omitempty's test for goss's field types: a nil matcher (whatever a non-nil one
// holds), "", false, 0, an empty list or map.
func isEmpty(k kind, v any) bool {
	if v == nil || k == matcherKind {
		return v == nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map, reflect.Slice:
		return rv.Len() == 0
	case reflect.String:
		return rv.Len() == 0
	case reflect.Bool:
		return !rv.Bool()
	case reflect.Int:
		return rv.Int() == 0
	}
	return false
}

func parseRendered(t *testing.T, b []byte, f format) any {
	t.Helper()
	var v any
	var err error
	if f == jsonFormat {
		err = json.Unmarshal(b, &v)
	} else {
		err = yaml.Unmarshal(b, &v)
	}
	if err != nil {
		t.Fatalf("cannot parse rendered output: %v\n%s", err, b)
	}
	return v
}

// defaultGoss is the goss binary test/run.sh names in ASSERT_GOSS, or the one its default cache holds.
func defaultGoss() string {
	if g := os.Getenv("ASSERT_GOSS"); g != "" {
		return g
	}
	return "/var/cache/packer-plugin-assert/bin/goss-v0.4.9"
}
