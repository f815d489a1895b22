package gossfile

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// load is Load of one gossfile of testdata/render with its case's vars.
func loadCase(t *testing.T, entry, vars string) *Suite {
	t.Helper()
	s, err := Load(Options{Files: []string{entry}, Dir: renderDir, VarsFile: vars, Env: fixtureEnv(t)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// write makes files in a new temporary folder and returns it.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestWarnings(t *testing.T) {
	for _, c := range []struct {
		name, entry, vars string
		want              []string
	}{
		{name: "a clean file has none", entry: "all-types.yaml"},
		{name: "a clean JSON file has none", entry: "all-types.json"},
		{name: "a type's name in another case is ignored by goss's YAML decoder", entry: "unknown-types.yaml", want: []string{
			`unknown-types.yaml:2: "File" is not a goss resource type, so goss ignores it and everything under it (did you mean "file"?)`,
			`unknown-types.yaml:4: "files" is not a goss resource type, so goss ignores it and everything under it (did you mean "file"?)`,
		}},
		{name: "JSON: duplicate keys keep the later, a type's name in any case counts, and replaces the section before", entry: "json-duplicates.json", want: []string{
			`json-duplicates.json:3: file "/a": attribute "exists" appears twice; goss silently keeps the later value (encoding/json allows duplicate keys): remove one`,
			`json-duplicates.json:4: file: key "/a" appears twice; goss silently keeps the later value (encoding/json allows duplicate keys): remove one`,
			`json-duplicates.json:4: file "/a": attribute "meta" appears twice; goss silently keeps the later value (encoding/json allows duplicate keys): remove one`,
			`json-duplicates.json:7: "File" names a resource type named before: goss (encoding/json) keeps only the last, so the file resources before it are dropped; merge them into one`,
			`json-duplicates.json:11: "packages" is not a goss resource type, so goss ignores it and everything under it (did you mean "package"?)`,
		}},
		{name: "only the first YAML document counts", entry: "multi-document.yaml", want: []string{
			`multi-document.yaml:3: YAML document 2 is ignored: goss reads only the first document of a file; move its resources into the first`,
		}},
		{name: "documents after the first are not even parsed", entry: "multi-document-invalid.yaml", want: []string{
			`multi-document-invalid.yaml: YAML document 2 and those after it are ignored: goss reads only the first (and it is not valid YAML: line 3: did not find expected node content)`,
		}},
		{name: `"-" is ignored where goss accepts it`, entry: "dash-attribute.yaml", want: []string{
			`dash-attribute.yaml:3: kernel-param "vm.swappiness": attribute "-" is ignored by goss; remove it`,
			`dash-attribute.yaml:7: gossfile "inc/sub/b.yaml": attribute "-" is ignored by goss; remove it`,
		}},
		{name: "null keys are dropped by goss", entry: "yaml-scalar-keys.yaml", want: []string{
			`yaml-scalar-keys.yaml:3: service: a resource whose key is null ("~") is dropped by goss without a word; quote the key or remove it`,
			`yaml-scalar-keys.yaml:4: service "1.50": an attribute whose key is null ("~") is dropped by goss without a word; quote the key or remove it`,
			`yaml-scalar-keys.yaml:4: service "1.50": an attribute whose key is null ("null") is dropped by goss without a word; quote the key or remove it`,
		}},
		{name: "a key that only holds an anchor is the idiom for defaults: no news", entry: "yaml-anchors.yaml"},
		{name: "readFile reads on the host", entry: "templates.yaml", vars: "vars/vars.yaml", want: []string{
			`templates.yaml: readFile "vars/token.txt" read vars/token.txt on the machine that runs Packer, not in the image as goss under the goss provisioner does`,
		}},
		{name: "a later-loaded resource replaces an earlier one; the same definition loaded twice is no news", entry: "includes.yaml", want: []string{
			`inc/sub/deeper/c.yaml:3: file "/etc/a": replaces the one in inc/sub/a.yaml:2 (goss keeps the later-loaded one, and warns "Duplicate key detected")`,
			`inc/sub/deeper/c.yaml:3: file "/etc/a": replaces the one in includes.yaml:4 (goss keeps the later-loaded one, and warns "Duplicate key detected")`,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := loadCase(t, c.entry, c.vars).Warnings
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// find returns the suite's resource of a type and key.
func find(t *testing.T, s *Suite, typ, id string) Resource {
	t.Helper()
	for _, r := range s.Resources {
		if r.Type == typ && r.ID == id {
			return r
		}
	}
	t.Fatalf("no %s %q among %d resources", typ, id, len(s.Resources))
	return Resource{}
}

func TestLines(t *testing.T) {
	yamlSuite := loadCase(t, "all-types.yaml", "")
	jsonSuite := loadCase(t, "all-types.json", "")
	anchors := loadCase(t, "yaml-anchors.yaml", "")
	templated := loadCase(t, "templates.yaml", "vars/vars.yaml")
	for _, c := range []struct {
		name  string
		r     Resource
		want  int
		wantF string
	}{
		{"a YAML resource's key", find(t, yamlSuite, "file", "/etc/passwd"), 3, "all-types.yaml"},
		{"another", find(t, yamlSuite, "matching", "skipped"), 154, "all-types.yaml"},
		{"a JSON resource's key", find(t, jsonSuite, "file", "/etc/passwd"), 3, "all-types.json"},
		{"a JSON resource further down", find(t, jsonSuite, "http", "health"), 228, "all-types.json"},
		{"a resource written with a merge key", find(t, anchors, "file", "/etc/hosts"), 7, "yaml-anchors.yaml"},
		{"a section merged from an anchor: where its text is", find(t, anchors, "process", "sshd"), 21, "yaml-anchors.yaml"},
		{"a section merged at the top level", find(t, anchors, "package", "curl"), 24, "yaml-anchors.yaml"},
		{"a template changed the lines: unknown", find(t, templated, "package", "curl"), 0, "templates.yaml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.r.Line != c.want || c.r.File != c.wantF {
				t.Errorf("%s:%d, want %s:%d", c.r.File, c.r.Line, c.wantF, c.want)
			}
		})
	}
	// A template that keeps the lines keeps them known.
	dir := write(t, map[string]string{"g.yaml": "package:\n  {{ .Env.PKG }}:\n    installed: true\n  wget: {installed: true}\n"})
	s, err := Load(Options{Files: []string{"g.yaml"}, Dir: dir, Env: map[string]string{"PKG": "curl"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := find(t, s, "package", "wget").Line; got != 4 {
		t.Errorf("a template that keeps lines: line %d, want 4", got)
	}
}

func TestSubjectAndGossID(t *testing.T) {
	s := loadCase(t, "all-types.yaml", "")
	for _, c := range []struct{ typ, id, subject, gossID string }{
		{"file", "/etc/passwd", "/etc/passwd", "/etc/passwd"},
		{"file", "hosts-file", "/etc/hosts", "hosts-file: /etc/hosts"},
		{"package", "web", "apache2", "web: apache2"},
		{"addr", "remote", "udp://10.0.0.1:53", "remote: udp://10.0.0.1:53"},
		{"port", "ssh-v6", "tcp6:22", "ssh-v6: tcp6:22"},
		{"service", "web", "nginx", "web: nginx"},
		{"user", "deploy", "deployer", "deploy: deployer"},
		{"group", "admins", "wheel", "admins: wheel"},
		{"command", "version", "nginx -v", "version"}, // goss's Command.ID is the key alone
		{"dns", "old-spelling", "example.com", "old-spelling: example.com"},
		{"process", "init", "systemd", "init: systemd"},
		{"kernel-param", "forwarding", "net.ipv6.conf.all.forwarding", "forwarding: net.ipv6.conf.all.forwarding"},
		{"mount", "boot", "/boot", "boot: /boot"},
		{"interface", "lo-by-name", "lo", "lo-by-name: lo"},
		{"http", "health", "https://localhost/health", "health: https://localhost/health"},
		{"matching", "numbers", "numbers", "numbers"},
	} {
		r := find(t, s, c.typ, c.id)
		if r.Subject != c.subject || r.GossID() != c.gossID {
			t.Errorf("%s %q: subject %q, goss ID %q; want %q, %q", c.typ, c.id, r.Subject, r.GossID(), c.subject, c.gossID)
		}
	}
}

func TestAttrTypes(t *testing.T) {
	// What the matchers of package goss will see: goss's decoders' types, not our guesses.
	yamlRes := find(t, loadCase(t, "yaml-scalars.yaml", ""), "file", "/etc/shadow")
	jsonRes := find(t, loadCase(t, "all-types.json", ""), "file", "/etc/passwd")
	httpRes := find(t, loadCase(t, "yaml-scalars.yaml", ""), "http", "local")
	for _, c := range []struct {
		name string
		got  any
		want any
	}{
		{"YAML octal is an int", yamlRes.Attrs["mode"], 416},
		{"YAML exponent is a float", yamlRes.Attrs["size"], 1500.0},
		{"YAML null matcher is present and nil", yamlRes.Attrs["owner"], nil},
		{"YAML quoted number stays a string", yamlRes.Attrs["group"], "0"},
		{"a string attribute takes a YAML int's text", yamlRes.Attrs["title"], "12"},
		{"JSON numbers are float64", jsonRes.Attrs["uid"], 0.0},
		{"JSON lists are []any", jsonRes.Attrs["contents"], []any{"root", "!/nologin-nobody/", "/^root:/"}},
		{"JSON objects are map[string]any", jsonRes.Attrs["size"], map[string]any{"gt": 10.0}},
		{"a list attribute is []string", httpRes.Attrs["request-headers"], []string{"1", "true"}},
		{"a bool attribute takes YAML 1.1's y", httpRes.Attrs["no-follow-redirects"], true},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: %#v, want %#v", c.name, c.got, c.want)
		}
	}
	if _, ok := yamlRes.Attrs["skip"]; ok {
		t.Errorf("an attribute the file does not set is absent, yet skip is %v", yamlRes.Attrs["skip"])
	}
}

func TestEntries(t *testing.T) {
	dir := write(t, map[string]string{
		"a.yaml":      "package:\n  curl: {installed: true}\n",
		"b.yaml":      "package:\n  curl: {installed: false}\ngossfile:\n  c.yaml: {}\n",
		"c.yaml":      "service:\n  sshd: {running: true}\n",
		"notes.txt":   "not a gossfile",
		"sub/d.yml":   "user:\n  root: {exists: true}\n",
		"empty.yaml":  "",
		"sub/e.json":  `{"group": {"root": {"exists": true}}}`,
		"sub/f.yaml~": "x",
	})
	t.Run("globs expand in order, each file once, and each is a goss run of its own", func(t *testing.T) {
		s, err := Load(Options{Files: []string{"a.yaml", "[ab].yaml", "sub/*.y*ml", "sub/*.json"}, Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range s.Resources {
			got = append(got, fmt.Sprintf("%s %s %s %v", r.Entry, r.File, r.Type+" "+r.ID, r.Attrs))
		}
		want := []string{
			"a.yaml a.yaml package curl map[installed:true]",
			"b.yaml b.yaml package curl map[installed:false]",
			"b.yaml c.yaml service sshd map[running:true]",
			"sub/d.yml sub/d.yml user root map[exists:true]",
			"sub/e.json sub/e.json group root map[exists:true]",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("a file listed and also included by another is tested twice: a warning", func(t *testing.T) {
		s, err := Load(Options{Files: []string{"b.yaml", "c.yaml"}, Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"c.yaml: it is listed as a gossfile and also included by b.yaml, so its resources are tested twice; list only b.yaml"}
		if !reflect.DeepEqual(s.Warnings, want) {
			t.Errorf("warnings %q, want %q", s.Warnings, want)
		}
	})
	t.Run("a path near Dir is written relative to it, one far from it absolute", func(t *testing.T) {
		deep := filepath.Join(dir, "sub", "x", "y", "z")
		if err := os.MkdirAll(deep, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ dir, want string }{
			{filepath.Join(dir, "sub", "x"), "../d.yml"},
			{filepath.Join(dir, "sub", "x", "y"), "../../d.yml"},
			{deep, filepath.Join(dir, "sub", "d.yml")},
		} {
			s, err := Load(Options{Files: []string{filepath.Join(dir, "sub", "d.yml")}, Dir: c.dir})
			if err != nil {
				t.Fatal(err)
			}
			if r := s.Resources[0]; r.Entry != c.want || r.File != c.want {
				t.Errorf("from %s: entry %q file %q, want %q", c.dir, r.Entry, r.File, c.want)
			}
		}
	})
	t.Run("an absolute path is written relative to Dir", func(t *testing.T) {
		s, err := Load(Options{Files: []string{filepath.Join(dir, "sub", "d.yml")}, Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if r := s.Resources[0]; r.Entry != "sub/d.yml" || r.File != "sub/d.yml" {
			t.Errorf("entry %q file %q, want sub/d.yml", r.Entry, r.File)
		}
	})
	for _, c := range []struct {
		name  string
		files []string
		want  []string
	}{
		{"none", nil, []string{"gossfiles: no gossfile given"}},
		{"an empty name", []string{""}, []string{"gossfiles[0]: empty"}},
		{"a missing file", []string{"a.yaml", "missing.yaml"}, []string{"gossfiles[1]: missing.yaml not found (relative paths start from the template's folder, " + dir + ")"}},
		{"a glob without match", []string{"*.yml"}, []string{`gossfiles[0]: "*.yml" matches no file in ` + dir}},
		{"an invalid glob", []string{"[.yaml"}, []string{`gossfiles[0]: "[.yaml" is not a valid glob: syntax error in pattern`}},
		{"a name goss refuses", []string{"notes.txt"}, []string{`notes.txt: a gossfile's name must end in .yaml, .yml or .json (goss v0.4.9 refuses ".txt"`}},
		{"a suite with no resources", []string{"empty.yaml"}, []string{"empty.yaml: no resources"}},
		{"every problem is reported, not the first", []string{"missing.yaml", "empty.yaml", "notes.txt"},
			[]string{"gossfiles[0]: missing.yaml not found", "empty.yaml: no resources", "notes.txt: a gossfile's name"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(Options{Files: c.files, Dir: dir})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nwant it to hold %q", err, w)
				}
			}
		})
	}
}

func TestErrorNamesWhere(t *testing.T) {
	_, err := Load(Options{Files: []string{"unknown-attribute.yaml"}, Dir: renderDir})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%v is no *Error", err)
	}
	want := Error{File: "unknown-attribute.yaml", Line: 2, Type: "file", ID: "/etc/x", Attr: "permissions"}
	if e.File != want.File || e.Line != want.Line || e.Type != want.Type || e.ID != want.ID || e.Attr != want.Attr {
		t.Errorf("error at %s:%d %s %q %s, want %s:%d %s %q %s", e.File, e.Line, e.Type, e.ID, e.Attr,
			want.File, want.Line, want.Type, want.ID, want.Attr)
	}
	if !strings.Contains(e.Problem, "(did you mean") && !strings.Contains(e.Problem, "file attributes: contains, contents, exists,") {
		t.Errorf("the problem lists no attributes: %s", e.Problem)
	}
	// A misspelling close to an attribute is named.
	dir := write(t, map[string]string{"g.yaml": "service:\n  sshd: {enabled: true, runlevel: [3]}\n"})
	_, err = Load(Options{Files: []string{"g.yaml"}, Dir: dir})
	if err == nil || !strings.Contains(err.Error(), `runlevel: service has no such attribute`) || !strings.Contains(err.Error(), `(did you mean "runlevels"?)`) {
		t.Errorf("error %v, want one naming runlevels", err)
	}
}

func TestEnvIsOnlyOptionsEnv(t *testing.T) {
	t.Setenv("GOSSFILE_TEST_PROCESS_ONLY", "from the process")
	dir := write(t, map[string]string{
		"env.yaml":    "package:\n  '{{ .Env.GOSSFILE_TEST_PROCESS_ONLY }}': {installed: true}\n",
		"funcs.yaml":  "package:\n  curl:\n    installed: true\n    title: '[{{ getEnv \"GOSSFILE_TEST_PROCESS_ONLY\" }}][{{ env \"GOSSFILE_TEST_PROCESS_ONLY\" }}][{{ expandenv \"$GOSSFILE_TEST_PROCESS_ONLY\" }}][{{ getEnv \"MINE\" }}]'\n",
		"mutate.yaml": "package:\n  curl:\n    installed: true\n    title: '{{ $e := .Env }}{{ $_ := set .Vars \"x\" 1 }}{{ .Env.MINE }}'\n",
	})
	env := map[string]string{"MINE": "given"}
	_, err := Load(Options{Files: []string{"env.yaml"}, Dir: dir, Env: env})
	if err == nil || !strings.Contains(err.Error(), `map has no entry for key "GOSSFILE_TEST_PROCESS_ONLY"`) {
		t.Errorf(".Env saw the process's environment: %v", err)
	}
	s, err := Load(Options{Files: []string{"funcs.yaml"}, Dir: dir, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Resources[0].Attrs["title"]; got != "[][][][given]" {
		t.Errorf("getEnv, env and expandenv saw %q, want only Options.Env", got)
	}
	if _, err := Load(Options{Files: []string{"mutate.yaml"}, Dir: dir, Env: env}); err != nil {
		t.Fatal(err)
	}
	if len(env) != 1 {
		t.Errorf("a template changed Options.Env: %v", env)
	}
}

func TestVars(t *testing.T) {
	dir := write(t, map[string]string{
		"show.yaml":    "package:\n  curl:\n    installed: true\n    title: '{{ printf \"%T %v\" .Vars.n .Vars.n }}{{ $_ := set .Vars \"n\" \"changed\" }}'\n",
		"show2.yaml":   "package:\n  wget:\n    installed: true\n    title: '{{ printf \"%T %v\" .Vars.n .Vars.n }}'\n",
		"vars.yaml":    "n: 1\n",
		"list.yaml":    "- 1\n",
		"invalid.yaml": "n: [1\n",
		"empty.yaml":   "",
	})
	load := func(vars string, inline map[string]any, files ...string) (*Suite, error) {
		return Load(Options{Files: files, Dir: dir, VarsFile: vars, VarsInline: inline})
	}
	t.Run("inline vars come as JSON, numbers as float64", func(t *testing.T) {
		s, err := load("vars.yaml", map[string]any{"n": 2}, "show.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Resources[0].Attrs["title"]; got != "float64 2" {
			t.Errorf("title %q, want float64 2", got)
		}
	})
	t.Run("each top-level file renders with fresh vars", func(t *testing.T) {
		s, err := load("vars.yaml", nil, "show.yaml", "show2.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if a, b := s.Resources[0].Attrs["title"], s.Resources[1].Attrs["title"]; a != "int 1" || b != "int 1" {
			t.Errorf("titles %q, %q: want int 1 both (set in the first file must not reach the second run)", a, b)
		}
	})
	t.Run("an empty vars file is no vars", func(t *testing.T) {
		if _, err := load("empty.yaml", map[string]any{"n": 1}, "show.yaml"); err != nil {
			t.Fatal(err)
		}
	})
	for _, c := range []struct {
		name, vars string
		inline     map[string]any
		want       string
	}{
		{"a missing vars file", "nope.yaml", nil, "gossfiles: vars file nope.yaml: cannot read it: no such file or directory"},
		{"a vars file that is a list", "list.yaml", nil, "gossfiles: vars file list.yaml must hold a mapping of names to values"},
		{"a vars file that is neither JSON nor YAML", "invalid.yaml", nil, "gossfiles: vars file invalid.yaml is neither JSON nor YAML"},
		{"inline vars JSON cannot hold", "", map[string]any{"f": func() {}}, "gossfiles: inline vars: json: unsupported type: func()"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := load(c.vars, c.inline, "show.yaml")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want %q", err, c.want)
			}
		})
	}
}

func TestDirWithGlobCharacters(t *testing.T) {
	// The template's folder is no pattern: only what the user writes is. Unescaped, the glob
	// "odd [dir]*?/*.yaml" would miss the folder itself and match the decoy beside it.
	base := write(t, map[string]string{
		"odd [dir]*?/goss.yaml":  "package:\n  curl: {installed: true}\ngossfile:\n  inc/*.yaml: {}\n",
		"odd [dir]*?/inc/x.yaml": "service:\n  sshd: {running: true}\n",
		"odd dx/goss.yaml":       "package:\n  decoy: {installed: true}\n",
		"odd dx/inc/x.yaml":      "package:\n  decoy: {installed: true}\n",
	})
	s, err := Load(Options{Files: []string{"*.yaml"}, Dir: filepath.Join(base, "odd [dir]*?")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.Resources {
		got = append(got, r.File+" "+r.ID)
	}
	if want := []string{"goss.yaml curl", "inc/x.yaml sshd"}; !reflect.DeepEqual(got, want) {
		t.Errorf("resources %q, want %q", got, want)
	}
}

// chain writes n gossfiles, each including the next.
func chain(t *testing.T, n int) string {
	files := map[string]string{}
	for i := 1; i <= n; i++ {
		text := fmt.Sprintf("package:\n  p%d: {installed: true}\n", i)
		if i < n {
			text += fmt.Sprintf("gossfile:\n  f%d.yaml: {}\n", i+1)
		}
		files[fmt.Sprintf("f%d.yaml", i)] = text
	}
	return write(t, files)
}

func TestIncludeDepth(t *testing.T) {
	// goss v0.4.9's mergeJSONData fails at depth 50 (the top-level file is depth 1): 49 files
	// in a chain render, 50 do not. TestIncludeDepthLikeGoss shows the real goss agrees.
	s, err := Load(Options{Files: []string{"f1.yaml"}, Dir: chain(t, 49)})
	if err != nil {
		t.Fatalf("49 files: %v", err)
	}
	if len(s.Resources) != 49 {
		t.Errorf("49 files: %d resources", len(s.Resources))
	}
	_, err = Load(Options{Files: []string{"f1.yaml"}, Dir: chain(t, 50)})
	if err == nil || !strings.Contains(err.Error(), "f50.yaml: included 50 deep (f1.yaml → f2.yaml → ") ||
		!strings.Contains(err.Error(), "goss v0.4.9 stops at a depth of 50; flatten the includes") {
		t.Errorf("50 files: error %v", err)
	}
}

func TestIncludeDepthLikeGoss(t *testing.T) {
	if _, err := os.Stat(*gossBinary); err != nil {
		t.Skipf("no goss v0.4.9 at %s (test/run.sh's ensure_goss builds it): %v", *gossBinary, err)
	}
	for _, n := range []int{49, 50} {
		cmd := exec.Command(*gossBinary, "-g", "f1.yaml", "render")
		cmd.Dir = chain(t, n)
		out, err := cmd.CombinedOutput()
		_, ours := Load(Options{Files: []string{"f1.yaml"}, Dir: cmd.Dir})
		if (err == nil) != (ours == nil) {
			t.Errorf("%d files: goss %v (%s), Load %v", n, err, lastLine(out), ours)
		}
	}
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

func TestIncludeFanOutIsBounded(t *testing.T) {
	// Each file includes the next one twice (two keys, one file): goss reads 2^n files.
	files := map[string]string{}
	for i := 1; i <= 40; i++ {
		files[fmt.Sprintf("f%d.yaml", i)] = fmt.Sprintf("package:\n  p: {installed: true}\ngossfile:\n  f%d.yaml: {}\n  again:\n    file: f%d.yaml\n", i+1, i+1)
	}
	files["f41.yaml"] = "package:\n  p: {installed: true}\n"
	_, err := Load(Options{Files: []string{"f1.yaml"}, Dir: write(t, files)})
	if err == nil || !strings.Contains(err.Error(), "f1.yaml reads more than 1000 gossfiles, counting each include of a file") {
		t.Errorf("error %v", err)
	}
}

func TestRenderedLinesAreSaidToBe(t *testing.T) {
	// When templates moved the lines, a decoder's line number is of the rendered text, and says so.
	dir := write(t, map[string]string{"g.yaml": "{{ range mkSlice 1 2 }}\n{{ end }}file:\n  /x:\n    skip: maybe\n"})
	_, err := Load(Options{Files: []string{"g.yaml"}, Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "g.yaml: file \"/x\": skip: cannot be read as goss reads it: rendered line 5:") {
		t.Errorf("error %v", err)
	}
}
