package secrets

import (
	"errors"
	"io/fs"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

// The templates and var files below are written for these tests, in the syntax packer v1.14.3
// reads (its hcl2template package); TestAccPackerProcess runs a real packer on such files.

const dir = "/home/u/proj"

// declare is a template that declares each name as a sensitive string without a default.
func declare(names ...string) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString("variable \"" + n + "\" {\n  type      = string\n  sensitive = true\n}\n")
	}
	return b.String()
}

// errFS fails to open the paths it names, as a file without read permission does.
type errFS struct {
	fs.FS
	deny map[string]error
}

func (e errFS) Open(name string) (fs.File, error) {
	if err, ok := e.deny[name]; ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return e.FS.Open(name)
}

type findCase struct {
	name     string
	args     []string // after "packer build"
	env      []string // packer's
	ownEnv   []string
	files    map[string]string // absolute path → content
	fifo     []string          // absolute paths of named pipes
	deny     []string          // absolute paths that cannot be opened
	names    []string
	userVars map[string]string
	noDir    bool   // packer's working directory is unknown
	problem  string // packer's process could not be seen

	want       []string          // Values, in any order
	unresolved map[string]string // name → a part of its reason
}

func (c findCase) lookup() Lookup {
	m := fstest.MapFS{}
	for p, content := range c.files {
		m[strings.TrimPrefix(p, "/")] = &fstest.MapFile{Data: []byte(content), Mode: 0o644}
	}
	for _, p := range c.fifo {
		m[strings.TrimPrefix(p, "/")] = &fstest.MapFile{Mode: fs.ModeNamedPipe | 0o644}
	}
	deny := map[string]error{}
	for _, p := range c.deny {
		deny[strings.TrimPrefix(p, "/")] = fs.ErrPermission
	}
	l := Lookup{
		Packer: Packer{PID: 4242, Args: append([]string{"/usr/bin/packer", "build"}, c.args...), Dir: dir, Env: c.env},
		OwnEnv: c.ownEnv,
		Files:  errFS{FS: m, deny: deny},
	}
	if c.noDir {
		l.Packer.Dir = ""
	}
	if c.problem != "" {
		l.Packer = Packer{Problem: c.problem}
	}
	return l
}

func runFind(t *testing.T, c findCase) {
	t.Helper()
	r := c.lookup().Find(c.names, c.userVars)
	got := append([]string(nil), r.Values...)
	want := append([]string(nil), c.want...)
	sort.Strings(got)
	sort.Strings(want)
	if len(want) == 0 {
		want = nil
	}
	if len(got) == 0 {
		got = nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("values:\n got %q\nwant %q", got, want)
	}
	var gotNames []string
	for n := range c.unresolved {
		gotNames = append(gotNames, n)
	}
	sort.Strings(gotNames)
	if !reflect.DeepEqual(r.Unresolved, gotNames) {
		t.Errorf("unresolved: got %q (%q), want %q", r.Unresolved, r.Reasons, gotNames)
	}
	for n, part := range c.unresolved {
		if !strings.Contains(r.Reasons[n], part) {
			t.Errorf("reason for %s: %q does not say %q", n, r.Reasons[n], part)
		}
	}
	for n, why := range r.Reasons {
		for _, v := range r.Values {
			if len(v) >= MinPiece && strings.Contains(why, v) {
				t.Errorf("reason for %s quotes the value %q: %s", n, v, why)
			}
		}
	}
	// Longest first, so that a masker masks a value that holds another whole.
	for i := 1; i < len(r.Values); i++ {
		if len(r.Values[i]) > len(r.Values[i-1]) {
			t.Errorf("values not longest first: %q", r.Values)
			break
		}
	}
}

func TestFindCommandLine(t *testing.T) {
	tpl := dir + "/build.pkr.hcl"
	for _, c := range []findCase{{
		name:  "var_forms",
		args:  []string{"-var", "token=s1", "-var=token2=s2", "--var", "token3=s3", "--var=abc=a=b=c", "build.pkr.hcl"},
		files: map[string]string{tpl: declare("token", "token2", "token3", "abc")},
		names: []string{"token", "token2", "token3", "abc"},
		want:  []string{"s1", "s2", "s3", "a=b=c"},
	}, {
		name:  "quotes_unicode_and_shell_characters_are_literal",
		args:  []string{"-var", `token="quoted value"`, "-var", "pw=pässwörd☃ $(rm -rf /) `x`", "build.pkr.hcl"},
		files: map[string]string{tpl: declare("token", "pw")},
		names: []string{"token", "pw"},
		want:  []string{`"quoted value"`, "pässwörd☃ $(rm -rf /) `x`"},
	}, {
		name:  "a_value_of_several_lines_gives_its_lines_and_its_trimmed_form",
		args:  []string{"-var", "key=  line one\r\nline two\nab\n", "build.pkr.hcl"},
		files: map[string]string{tpl: declare("key")},
		names: []string{"key"},
		want:  []string{"  line one\r\nline two\nab\n", "line one\r\nline two\nab", "  line one", "line one", "line two"},
	}, {
		name:  "last_var_wins_but_every_value_counts",
		args:  []string{"-var", "token=first", "-var", "token=second", "build.pkr.hcl"},
		files: map[string]string{tpl: declare("token")},
		names: []string{"token"},
		want:  []string{"first", "second"},
	}, {
		name:  "machine_readable_anywhere_is_not_the_template",
		args:  []string{"-var", "token=mr-secret", "build.pkr.hcl", "-machine-readable"},
		files: map[string]string{tpl: declare("token")},
		names: []string{"token"},
		want:  []string{"mr-secret"},
	}, {
		name:  "vars_of_other_names_are_not_values",
		args:  []string{"-var", "host=10.0.0.1", "-var", "token=tok-1", "build.pkr.hcl"},
		files: map[string]string{tpl: declare("token", "host")},
		names: []string{"token"},
		want:  []string{"tok-1"},
	}, {
		name: "typed_values_are_read_as_packer_reads_them",
		args: []string{"-var", "n=007", "-var", `l=["l-one", "l-two"]`, "-var", `m={ a = "m-one", b = 2.50 }`,
			"-var", "b=true", "-var", "s=[not a list]", "build.pkr.hcl"},
		files: map[string]string{tpl: `
variable "n" {
  type = number
}
variable "l" {
  type = list(string)
}
variable "m" {
  type = map(string)
}
variable "b" {
  type = bool
}
variable "s" {
  type = string
}
`},
		names: []string{"n", "l", "m", "b", "s"},
		want: []string{"007", "7", `["l-one", "l-two"]`, "l-one", "l-two", `{ a = "m-one", b = 2.50 }`, "m-one", "2.5",
			"true", "[not a list]"},
	}, {
		name:       "a_value_that_is_not_an_expression_of_its_type",
		args:       []string{"-var", `l=["unclosed`, "build.pkr.hcl"},
		files:      map[string]string{tpl: "variable \"l\" {\n  type = list(string)\n}\n"},
		names:      []string{"l"},
		want:       []string{`["unclosed`},
		unresolved: map[string]string{"l": "-var l is not an HCL expression"},
	}, {
		name:       "a_name_set_nowhere",
		args:       []string{"build.pkr.hcl"},
		files:      map[string]string{tpl: declare("token")},
		names:      []string{"token", ""},
		unresolved: map[string]string{"token": "no value found for var.token"},
	}} {
		t.Run(c.name, func(t *testing.T) { runFind(t, c) })
	}
}

func TestFindVarFiles(t *testing.T) {
	tpl := dir + "/build.pkr.hcl"
	for _, c := range []findCase{{
		name: "heredocs_relative_and_absolute_paths",
		args: []string{"-var-file", "secrets/a.pkrvars.hcl", "--var-file=/etc/pkr/b.pkrvars.hcl", "build.pkr.hcl"},
		files: map[string]string{
			tpl:                            declare("token", "key"),
			dir + "/secrets/a.pkrvars.hcl": "token = <<EOT\nheredoc-secret\nEOT\nother = \"not sensitive\"\n",
			"/etc/pkr/b.pkrvars.hcl":       "key = <<-EOT\n    -----BEGIN KEY-----\n    abcdefgh\n    -----END KEY-----\n  EOT\n",
		},
		names: []string{"token", "key"},
		want: []string{"heredoc-secret\n", "heredoc-secret",
			"-----BEGIN KEY-----\nabcdefgh\n-----END KEY-----\n", "-----BEGIN KEY-----\nabcdefgh\n-----END KEY-----",
			"-----BEGIN KEY-----", "abcdefgh", "-----END KEY-----"},
	}, {
		name: "json_var_file_with_a_list",
		args: []string{"-var-file=vars.pkrvars.json", "build.pkr.hcl"},
		files: map[string]string{
			tpl:                        declare("token") + "variable \"list\" {\n  type = list(string)\n}\n",
			dir + "/vars.pkrvars.json": `{"token": "json-secret \u00e9\n", "list": ["a1b2c3", "zz"], "other": "x"}`,
		},
		names: []string{"token", "list"},
		want:  []string{"json-secret é\n", "json-secret é", "a1b2c3", "zz"},
	}, {
		name: "a_number_in_a_var_file_for_a_string_variable",
		args: []string{"-var-file=v.pkrvars.hcl", "build.pkr.hcl"},
		files: map[string]string{
			tpl:                    declare("pin"),
			dir + "/v.pkrvars.hcl": "pin = 0012.50\n",
		},
		names: []string{"pin"},
		want:  []string{"12.5"},
	}, {
		name: "an_unreadable_var_file_leaves_its_names_unresolved",
		args: []string{"-var-file=locked.pkrvars.hcl", "-var", "token=from-cmdline", "build.pkr.hcl"},
		files: map[string]string{
			tpl:                         declare("token", "key") + "variable \"pw\" {\n  default = \"pw-default\"\n}\n",
			dir + "/locked.pkrvars.hcl": "key = \"never read\"\n",
		},
		deny:  []string{dir + "/locked.pkrvars.hcl"},
		names: []string{"token", "key", "pw"},
		// -var is stronger than any var file; the default is weaker, and the file may set pw.
		want: []string{"from-cmdline", "pw-default"},
		unresolved: map[string]string{
			"key": "locked.pkrvars.hcl could not be read: permission denied",
			"pw":  "locked.pkrvars.hcl could not be read: permission denied",
		},
	}, {
		name:       "a_named_pipe_is_not_read",
		args:       []string{"-var-file=/tmp/pipe.pkrvars.hcl", "build.pkr.hcl"},
		files:      map[string]string{tpl: declare("token")},
		fifo:       []string{"/tmp/pipe.pkrvars.hcl"},
		names:      []string{"token"},
		unresolved: map[string]string{"token": "not a regular file"},
	}, {
		name: "a_var_file_that_does_not_parse",
		args: []string{"-var-file=bad.pkrvars.hcl", "build.pkr.hcl"},
		files: map[string]string{
			tpl:                      declare("token"),
			dir + "/bad.pkrvars.hcl": "token = \"half-secret\"\nkey = \"unterminated\n",
		},
		names:      []string{"token"},
		want:       []string{"half-secret"},
		unresolved: map[string]string{"token": "bad.pkrvars.hcl could not be parsed: line 2"},
	}, {
		name: "a_var_file_value_that_needs_functions",
		args: []string{"-var-file=f.pkrvars.hcl", "build.pkr.hcl"},
		files: map[string]string{
			tpl:                    declare("token"),
			dir + "/f.pkrvars.hcl": "token = upper(\"fn-secret\")\n",
		},
		names:      []string{"token"},
		unresolved: map[string]string{"token": "the value of var.token in f.pkrvars.hcl could not be evaluated"},
	}, {
		name:       "relative_paths_without_packer's_working_directory",
		args:       []string{"-var-file=v.pkrvars.hcl", "-var", "key=k-secret", "build.pkr.hcl"},
		noDir:      true,
		names:      []string{"token", "key"},
		want:       []string{"k-secret"},
		unresolved: map[string]string{"token": "packer's working directory is unknown"},
	}} {
		t.Run(c.name, func(t *testing.T) { runFind(t, c) })
	}
}

func TestFindTemplate(t *testing.T) {
	for _, c := range []findCase{{
		name: "folder_with_hcl_json_and_auto_var_files",
		args: []string{"."},
		files: map[string]string{
			dir + "/a.pkr.hcl":  declare("token") + "variable \"dflt\" {\n  default   = \"default-secret\"\n  sensitive = true\n}\n",
			dir + "/b.pkr.json": `{"variable": {"jv": {"type": "string", "default": "json-default", "sensitive": true}, "other": {"default": "x"}}}`,
			// packer loads auto var files, HCL first, then JSON: the last one sets jv.
			dir + "/1.auto.pkrvars.hcl":  "token = \"auto-hcl\"\njv = \"auto-jv-hcl\"\n",
			dir + "/0.auto.pkrvars.json": `{"jv": "auto-jv-json"}`,
			// Not an auto file: packer does not read it.
			dir + "/x.pkrvars.hcl":          "token = \"never-loaded\"\n",
			dir + "/sub/c.pkr.hcl":          "variable \"token\" {\n  default = \"in-a-subfolder\"\n}\n",
			dir + "/notes.auto.pkrvars.txt": "token = \"no\"\n",
		},
		names: []string{"token", "dflt", "jv"},
		want:  []string{"auto-hcl", "default-secret", "json-default", "auto-jv-hcl", "auto-jv-json"},
	}, {
		name: "a_single_file_template_loads_no_auto_var_files",
		args: []string{"a.pkr.hcl"},
		files: map[string]string{
			dir + "/a.pkr.hcl":          "variable \"token\" {\n  default = \"the-default\"\n}\n",
			dir + "/1.auto.pkrvars.hcl": "token = \"not-loaded\"\n",
		},
		names: []string{"token"},
		want:  []string{"the-default"},
	}, {
		name: "defaults_of_every_type",
		args: []string{"/abs/t.pkr.hcl"},
		files: map[string]string{"/abs/t.pkr.hcl": `
variable "num" {
  type    = string
  default = 1.50
}
variable "flag" {
  default = true
}
variable "list" {
  type    = list(string)
  default = ["li-one", "li-two"]
}
variable "obj" {
  default = {
    user = "admin-user"
    pass = { inner = "nested-pass", n = 42 }
    none = null
  }
}
variable "set" {
  type    = set(number)
  default = [3, 1]
}
variable "hd" {
  default = <<EOT
  multi
    line-secret
EOT
}
`},
		names: []string{"num", "flag", "list", "obj", "set", "hd"},
		want: []string{"1.5", "true", "li-one", "li-two", "admin-user", "nested-pass", "42", "3", "1",
			"  multi\n    line-secret\n", "multi\n    line-secret", "  multi", "multi", "    line-secret", "line-secret"},
	}, {
		name: "env_in_a_default_from_packer's_and_the_plugin's_environment",
		args: []string{"t.pkr.hcl"},
		env:  []string{"HOME=/root", "VAULT_TOKEN=packer-env-token", "VAULT_TOKEN=second-ignored"},
		// The plugin's environment is inherited from packer; if it ever differs, both count.
		ownEnv: []string{"VAULT_TOKEN=own-env-token"},
		files: map[string]string{dir + "/t.pkr.hcl": `
variable "tok" {
  default   = env("VAULT_TOKEN")
  sensitive = true
}
variable "unset" {
  default = "${env("NOT_SET")}suffix-secret"
}
`},
		names: []string{"tok", "unset"},
		want:  []string{"packer-env-token", "own-env-token", "suffix-secret"},
	}, {
		name: "a_default_that_cannot_be_evaluated_is_unresolved_unless_overridden",
		args: []string{"-var", "b=b-cmdline", "t.pkr.hcl"},
		files: map[string]string{dir + "/t.pkr.hcl": `
variable "a" {
  default = upper("fn-secret")
}
variable "b" {
  default = file("/etc/secret")
}
`},
		names:      []string{"a", "b"},
		want:       []string{"b-cmdline"},
		unresolved: map[string]string{"a": "the default of var.a in t.pkr.hcl could not be evaluated: line 3, column 13: Call to unknown function"},
	}, {
		name: "a_template_file_that_does_not_parse_may_declare_anything",
		args: []string{"."},
		files: map[string]string{
			dir + "/a.pkr.hcl": "variable \"token\" {\n  default = \"ok-default\"\n}\n",
			dir + "/b.pkr.hcl": "variable \"key\" {\n  default = \n",
		},
		names: []string{"token", "key"},
		want:  []string{"ok-default"},
		unresolved: map[string]string{
			"token": "b.pkr.hcl could not be parsed",
			"key":   "b.pkr.hcl could not be parsed",
		},
	}, {
		name: "an_unreadable_template_folder",
		args: []string{"-var", "token=t-cmdline", "tpl"},
		files: map[string]string{
			dir + "/tpl/a.pkr.hcl": declare("token", "key"),
		},
		deny:  []string{dir + "/tpl"},
		names: []string{"token", "key"},
		want:  []string{"t-cmdline"},
		unresolved: map[string]string{
			// The folder's auto var files are unknown too, and they are stronger than defaults.
			"key": "could not be listed: permission denied",
		},
	}, {
		name:  "a_template_from_standard_input",
		args:  []string{"-var", "token=t-stdin", "-"},
		names: []string{"token", "key"},
		want:  []string{"t-stdin"},
		unresolved: map[string]string{
			"key": "standard input",
		},
	}, {
		name:     "legacy_json_template_values_come_from_packer_user_variables",
		args:     []string{"-var", "other=o-cmdline", "legacy.json"},
		files:    map[string]string{dir + "/legacy.json": `{"variables": {"pw": "x"}, "sensitive-variables": ["pw"]}`},
		names:    []string{"pw", "other"},
		userVars: map[string]string{"pw": "legacy-secret", "host": "not-sensitive"},
		want:     []string{"legacy-secret", "o-cmdline"},
	}} {
		t.Run(c.name, func(t *testing.T) { runFind(t, c) })
	}
}

func TestFindEnvironment(t *testing.T) {
	tpl := dir + "/t.pkr.hcl"
	for _, c := range []findCase{{
		name:  "from_packer's_environment",
		args:  []string{"t.pkr.hcl"},
		env:   []string{"PKR_VAR_token=env-secret", "PKR_VAR_other=x", "PKR_VAR_=", "PKR_VAR_noequals"},
		files: map[string]string{tpl: declare("token")},
		names: []string{"token"},
		want:  []string{"env-secret"},
	}, {
		name:   "from_the_plugin's_own_environment_when_packer's_is_unknown",
		args:   []string{"t.pkr.hcl"},
		ownEnv: []string{"PKR_VAR_token=own-secret"},
		files:  map[string]string{tpl: declare("token")},
		names:  []string{"token"},
		want:   []string{"own-secret"},
	}, {
		name:  "a_list_typed_variable_reads_an_expression",
		args:  []string{"t.pkr.hcl"},
		env:   []string{`PKR_VAR_keys=["k-one","k-two"]`},
		files: map[string]string{tpl: "variable \"keys\" {\n  type = list(string)\n}\n"},
		names: []string{"keys"},
		want:  []string{`["k-one","k-two"]`, "k-one", "k-two"},
	}, {
		name: "env_is_stronger_than_a_default_and_weaker_than_auto_files",
		args: []string{"."},
		env:  []string{"PKR_VAR_a=env-a", "PKR_VAR_b=env-b"},
		files: map[string]string{
			dir + "/t.pkr.hcl":          "variable \"a\" {\n  default = upper(\"x\")\n}\nvariable \"b\" {\n  type = string\n}\n",
			dir + "/z.auto.pkrvars.hcl": "b = \"auto-b\"\n",
		},
		names: []string{"a", "b"},
		want:  []string{"env-a", "env-b", "auto-b"},
	}, {
		name:     "packer_unseen",
		problem:  "the command line of process 1 could not be read: permission denied",
		ownEnv:   []string{"PKR_VAR_token=still-found"},
		names:    []string{"token", "pw"},
		userVars: map[string]string{"pw": "user-var"},
		want:     []string{"still-found", "user-var"},
		unresolved: map[string]string{
			"token": "packer's process could not be seen: the command line of process 1 could not be read: permission denied",
		},
	}} {
		t.Run(c.name, func(t *testing.T) { runFind(t, c) })
	}
}

func TestFindWithoutCommandLine(t *testing.T) {
	l := Lookup{Packer: Packer{Args: []string{"packer", "validate", "t.pkr.hcl"}}, OwnEnv: []string{`PKR_VAR_x=["a1","a2"]`}}
	r := l.Find([]string{"x"}, nil)
	// Without the template the type is unknown: the value is read both as a string and as HCL.
	if want := []string{`["a1","a2"]`, "a1", "a2"}; !reflect.DeepEqual(r.Values, want) {
		t.Errorf("values %q, want %q", r.Values, want)
	}
	if !reflect.DeepEqual(r.Unresolved, []string{"x"}) || !strings.Contains(r.Reasons["x"], "not a packer build") {
		t.Errorf("unresolved %q %q", r.Unresolved, r.Reasons)
	}
}

func TestFindNoNames(t *testing.T) {
	r := Find(nil, map[string]string{"a": "b"})
	if len(r.Values) != 0 || len(r.Unresolved) != 0 {
		t.Errorf("no names gave %+v", r)
	}
	values, unresolved := Values([]string{""}, nil)
	if len(values) != 0 || len(unresolved) != 0 {
		t.Errorf("an empty name gave %q %q", values, unresolved)
	}
}

func TestValueSet(t *testing.T) {
	s := valueSet{}
	for _, v := range []string{"", "   ", "\n\t", "abc", "x\ny", "ab\r\ncd\r\n", " pad "} {
		s.add(v)
	}
	// "pad" and the lines of "x\ny" are pieces shorter than MinPiece.
	want := []string{"ab\r\ncd\r\n", "ab\r\ncd", " pad ", "abc", "x\ny"}
	if got := s.sorted(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCause(t *testing.T) {
	err := cause(&fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist})
	if !errors.Is(err, fs.ErrNotExist) || strings.Contains(err.Error(), "open") {
		t.Errorf("cause kept the path: %v", err)
	}
}

// FuzzFind: no template, var file or -var value makes Find panic, and every value it returns is
// one a masker can use.
func FuzzFind(f *testing.F) {
	f.Add("variable \"a\" {\n  type = list(string)\n  default = [\"x\"]\n}\n", "a = <<EOT\nv\nEOT\n", `{"a": [1, {"b": null}]}`, `["q"]`)
	f.Add(`{"variable": {"a": {"type": "map(string)", "default": {"k": "v"}}}}`, "a = {k = 1}", "{", "${env(\"X\")}")
	f.Add("variable \"a\" {\n  default = env(\"A\")\n}\n", "a = env(\"A\")", "[]", "")
	f.Fuzz(func(t *testing.T, tpl, hclVars, jsonVars, cmdValue string) {
		c := findCase{
			args:   []string{"-var-file=v.pkrvars.hcl", "-var-file=v.pkrvars.json", "-var", "a=" + cmdValue, "."},
			env:    []string{"PKR_VAR_a=" + cmdValue, "A=" + jsonVars},
			ownEnv: []string{"PKR_VAR_b=" + hclVars},
			files: map[string]string{
				dir + "/t.pkr.hcl":          tpl,
				dir + "/t.pkr.json":         jsonVars,
				dir + "/v.pkrvars.hcl":      hclVars,
				dir + "/v.pkrvars.json":     jsonVars,
				dir + "/a.auto.pkrvars.hcl": tpl,
			},
		}
		r := c.lookup().Find([]string{"a", "b"}, nil)
		for _, v := range r.Values {
			if strings.TrimSpace(v) == "" {
				t.Errorf("a blank value %q", v)
			}
		}
		if cmdValue != "" && strings.TrimSpace(cmdValue) != "" && !contains(r.Values, cmdValue) {
			t.Errorf("the -var value %q is not among %q", cmdValue, r.Values)
		}
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestSensitiveLocalsAreNamed: the template's sensitive locals, whose values only Packer can
// evaluate, are named so that the user can be told to list them; a local that is not sensitive,
// or the locals block (never sensitive), is not.
func TestSensitiveLocalsAreNamed(t *testing.T) {
	c := findCase{args: []string{"."}, files: map[string]string{
		dir + "/a.pkr.hcl": `
local "token" {
  expression = vault("secret/data/x", "token")
  sensitive  = true
}
local "plain" {
  expression = "x"
  sensitive  = false
}
local "maybe" {
  expression = "y"
  sensitive  = var.hide
}
locals { open = "z" }
`,
	}}
	r := c.lookup().Find(nil, nil)
	if want := []string{"maybe", "token"}; !reflect.DeepEqual(r.SensitiveLocals, want) {
		t.Errorf("sensitive locals %q, want %q", r.SensitiveLocals, want)
	}
}
