package assert

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	packersdk "github.com/hashicorp/packer-plugin-sdk/packer"

	"github.com/assertkit/packer-plugin-assert/internal/check"
	"github.com/assertkit/packer-plugin-assert/internal/probe"
	"github.com/assertkit/packer-plugin-assert/internal/report"
)

// The goss_files settings: first without packer (Prepare, and Provision up to the probe, in the
// fixture's folder, where packer would run), then in real packer builds against the systemd
// target, with test-fixtures/goss (TestAccGoss*: run them with
// `flock /tmp/assert-e2e.lock env ASSERT_E2E_RUN='^TestAccGossFile' test/run.sh e2e`).

const gossFixture = "test-fixtures/goss"

// gossEnv is the environment the fixture's templates read (.Env.GOSS_E2E_ENV).
const gossEnv = "from the machine that runs Packer"

// prepareGoss prepares a provisioner with raw settings in the goss fixture's folder.
func prepareGoss(t *testing.T, raw map[string]interface{}) (*Provisioner, error) {
	t.Helper()
	t.Chdir(gossFixture)
	t.Setenv("GOSS_E2E_ENV", gossEnv)
	p := &Provisioner{}
	return p, p.Prepare(raw)
}

// webSettings are the goss settings of the fixture's build.pkr.hcl.
func webSettings() map[string]interface{} {
	return map[string]interface{}{
		"goss_files":       []string{"suite/web.yaml"},
		"goss_vars":        "vars.yaml",
		"goss_vars_inline": map[string]string{"port": "80", "greeting": "from the inline vars"},
	}
}

// TestGossFilesAloneAreChecks: goss_files without any check block is a valid configuration; every
// attribute of every resource of the suite and of the files it includes is a check of kind goss,
// named goss[FILE] TYPE KEY ATTRIBUTE; the vars file, the inline vars that replace its values and
// the environment of the machine that runs Packer reach the templates.
func TestGossFilesAloneAreChecks(t *testing.T) {
	p, err := prepareGoss(t, webSettings())
	if err != nil {
		t.Fatal(err)
	}
	checks := p.config.checks()
	byName := map[string]check.Declared{}
	for _, c := range checks {
		if c.Kind() != "goss" {
			t.Errorf("%s %s is of kind %s", c.Block, c.Subject(), c.Kind())
		}
		byName[c.Block+" "+c.Subject()] = c
	}
	for _, want := range []string{
		"goss[suite/web.yaml] package nginx versions",                  // a name from goss_vars
		"goss[suite/web.yaml] port tcp:80 listening",                   // goss_vars_inline replaced 8080
		"goss[suite/web.yaml] user bob groups",                         // a range over a list of the vars file
		"goss[suite/inc/system.yaml] kernel-param kernel.ostype value", // an include, named by its own file
	} {
		if _, ok := byName[want]; !ok {
			t.Errorf("no check %q among the %d", want, len(checks))
		}
	}
	if c := byName["goss[suite/web.yaml] file /etc/legacy.conf exists"]; c.Check == nil || !check.Skips(c) {
		t.Errorf("the resource with skip: true is not a skipped check: %+v", c)
	}
	// the templates' values show in the verdicts of the matching resources, which need no image
	s := check.NewSuite(checks, check.Options{})
	f, err := probe.Parse(s.Plan(), probe.FakeOutput(s.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Judge(f) {
		switch r.Subject {
		case "matching greeting matches":
			if r.Status != check.Pass || r.Description != "from the inline vars" {
				t.Errorf("the inline vars did not replace the vars file's: %+v", r)
			}
		case "matching environment matches":
			if r.Status != check.Pass {
				t.Errorf("the environment did not reach the template: %+v", r)
			}
		}
	}
}

// TestGossProblemsAtValidate: every problem of the gossfiles is listed in the same round as those
// of the check blocks, each naming the setting, the gossfile, its line, the resource and the
// attribute.
func TestGossProblemsAtValidate(t *testing.T) {
	_, err := prepareGoss(t, map[string]interface{}{
		"goss_files": []string{"suite/broken.yaml"},
		"file":       []map[string]interface{}{{"path": "relative"}},
	})
	if err == nil {
		t.Fatal("a broken gossfile was accepted")
	}
	for _, want := range []string{
		`goss_files: suite/broken.yaml:3: file "/etc/motd": exists: is missing: goss v0.4.9 requires it`,
		`goss_files: suite/broken.yaml:6: http "http://127.0.0.1/": request-headers: is not supported`,
		`goss_files: suite/broken.yaml:10: dns "localhost": server: is not supported`,
		`file[0].path: "relative" is not absolute`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the errors do not say %q:\n%v", want, err)
		}
	}
}

// TestGossSettingsNameTheirProblems: a problem with the settings themselves names the setting as
// the template spells it, and says what to do.
func TestGossSettingsNameTheirProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  map[string]interface{}
		want string
	}{
		{"a gossfile that is not there", map[string]interface{}{"goss_files": []string{"suite/web.yaml", "nope.yaml"}},
			"goss_files[1]: nope.yaml not found"},
		{"a glob that matches nothing", map[string]interface{}{"goss_files": []string{"suite/*.yml"}}, `goss_files[0]: "suite/*.yml" matches no file`},
		{"a vars file that is not there", map[string]interface{}{"goss_files": []string{"suite/web.yaml"}, "goss_vars": "nope.yaml"},
			"goss_vars: nope.yaml: cannot read it"},
		{"a missing variable", map[string]interface{}{"goss_files": []string{"suite/web.yaml"}},
			`goss_files: suite/web.yaml: template: line 5:9: at <.Vars.web_package>: map has no entry for key "web_package"`},
		{"vars without gossfiles", map[string]interface{}{"goss_vars": "vars.yaml", "file": []map[string]interface{}{{"path": "/a"}}},
			"goss_vars: is set, but goss_files is not"},
		{"inline vars without gossfiles", map[string]interface{}{"goss_vars_inline": map[string]string{"a": "b"}, "file": []map[string]interface{}{{"path": "/a"}}},
			"goss_vars_inline: is set, but goss_files is not"},
		{"no checks at all", map[string]interface{}{}, "no checks: add at least one block of file, "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := prepareGoss(t, tc.raw)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
			if tc.name == "no checks at all" && !strings.Contains(err.Error(), "or goss_files") {
				t.Errorf("%v does not name goss_files", err)
			}
		})
	}
}

// TestGossWarningsAreSaidAtProvision: what goss would silently do differently is said in the build
// log when the provisioner runs (Prepare has no log), before the checks.
func TestGossWarningsAreSaidAtProvision(t *testing.T) {
	suite := filepath.Join(t.TempDir(), "warn.yaml")
	if err := os.WriteFile(suite, []byte("user:\n  root:\n    exists: true\n    uid: \"0\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := prepareGoss(t, map[string]interface{}{"goss_files": []string{suite}})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	ui := &packersdk.BasicUi{Reader: strings.NewReader(""), Writer: &out, ErrorWriter: &out}
	// runsNothing: the probe never starts, which is an error, after the warnings
	if err := p.Provision(context.Background(), ui, runsNothing{}, map[string]interface{}{"ConnType": "ssh"}); err == nil {
		t.Fatal("a probe that never ran passed")
	}
	log := out.String()
	warning := `WARNING: goss_files: ` + filepath.ToSlash(suite) + `:2: user "root": uid: "0" should be an integer`
	if i, j := strings.Index(log, warning), strings.Index(log, "Checking 2 assertions"); i < 0 || j < i {
		t.Errorf("the log does not say %q before the checks:\n%s", warning, log)
	}
}

// TestAccGossFile: a real packer build runs a gossfile suite with its includes, vars file, inline
// vars and the environment, beside a check block, in one probe, and every attribute passes or is
// skipped as goss would; the report names each by its gossfile, and shows meta and titles.
func TestAccGossFile(t *testing.T) {
	t.Setenv("GOSS_E2E_ENV", gossEnv)
	reportPath := filepath.Join(t.TempDir(), "report.json")
	code, out := build(t, "goss", "report="+reportPath)
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, out,
		"PASS  goss[suite/web.yaml] package nginx installed (the web server): true",
		`meta: {"team":"web","tier":1}`,
		`PASS  goss[suite/web.yaml] package nginx versions (the web server): with an element starting with "1.22"`,
		"PASS  goss[suite/web.yaml] service sshd enabled: true",
		"PASS  goss[suite/web.yaml] service sshd running: true",
		`PASS  goss[suite/web.yaml] port tcp:80 ip: containing elements ["0.0.0.0"]`,
		"PASS  goss[suite/web.yaml] port tcp6:80 ip:",
		"PASS  goss[suite/web.yaml] file /etc/nginx/nginx.conf contents:",
		"PASS  goss[suite/web.yaml] file /etc/no-such-file exists: false",
		"SKIP  goss[suite/web.yaml] file /etc/legacy.conf exists: skipped (skip: true in the gossfile)",
		"PASS  goss[suite/web.yaml] user alice groups:",
		"PASS  goss[suite/web.yaml] command nginx -t stderr:",
		"PASS  goss[suite/web.yaml] http http://127.0.0.1:80/ body:",
		"PASS  goss[suite/web.yaml] matching greeting matches (from the inline vars)",
		"PASS  goss[suite/web.yaml] matching environment matches",
		"PASS  goss[suite/inc/system.yaml] kernel-param kernel.ostype value",
		"PASS  goss[suite/inc/system.yaml] mount / usage",
		"PASS  goss[suite/inc/system.yaml] process nginx running",
		"PASS  goss[suite/inc/system.yaml] interface lo addrs",
		"PASS  goss[suite/inc/system.yaml] addr tcp://127.0.0.1:22 reachable",
		"PASS  goss[suite/inc/system.yaml] dns assert-e2e resolvable",
		"PASS  goss[suite/inc/system.yaml] dns assert-e2e addrs",
		"PASS  file[0] /etc/hostname (a check block beside the gossfiles)",
		"after-assert-ran",
	)
	mustMatch(t, out, `[0-9]+ passed, 0 failed, 0 errored, 1 skipped in`)
	mustNotContain(t, out, "FAIL ", "ERROR")

	data, err := os.ReadFile(reportPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc report.Document
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range doc.Checks {
		if c.Block == "goss[suite/web.yaml]" && c.Subject == "package nginx versions" {
			found = true
			if c.Kind != "goss" || c.Description != "the web server" || !strings.Contains(strings.Join(c.Found, " "), "1.22") {
				t.Errorf("the report's check: %+v", c)
			}
		}
	}
	if !found {
		t.Errorf("the report has no check goss[suite/web.yaml] package nginx versions")
	}
}

// TestAccGossFileFailures: attributes that do not match fail the build and say what was found
// against what was wanted; a command shows its exit status and output; what goss could not
// measure is an error; the attributes after a first one that did not pass are not checked.
func TestAccGossFileFailures(t *testing.T) {
	code, out := build(t, "goss", `goss_files=["suite/failing.yaml"]`, "report="+filepath.Join(t.TempDir(), "report.json"))
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	mustContain(t, out,
		"FAIL  goss[suite/failing.yaml] package apache2 installed: found false, want true",
		"ERROR goss[suite/failing.yaml] package apache2 versions: not checked, because installed did not pass",
		`FAIL  goss[suite/failing.yaml] file /etc/nginx/nginx.conf mode: found "0644", want "0600"`,
		`FAIL  goss[suite/failing.yaml] file /etc/nginx/nginx.conf contents:`, `contains "worker_processes"`,
		"FAIL  goss[suite/failing.yaml] command echo to-stdout; echo to-stderr >&2; exit 2 exit-status: found 2, want 0",
		"exit status 2", "stdout:", "  to-stdout", "stderr:", "  to-stderr",
		"ERROR goss[suite/failing.yaml] kernel-param kernel.no_such_parameter value: could not find the given key",
		"FAIL  goss[suite/failing.yaml] service nginx running: found true, want false",
	)
	mustNotContain(t, out, "after-assert-ran", "worker_processes auto")
}

// TestAccGossFileRefusedAtValidate: `packer validate` refuses what assert cannot check as goss
// would, before any machine starts, naming the gossfile, line, resource and attribute.
func TestAccGossFileRefusedAtValidate(t *testing.T) {
	host, key := target(t)
	code, out := packer(t, gossFixture, "validate", "-var", "host="+host, "-var", "ssh_key="+key,
		"-var", `goss_files=["suite/broken.yaml"]`, ".")
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	mustContain(t, out,
		`goss_files: suite/broken.yaml:3: file "/etc/motd": exists: is missing`,
		`goss_files: suite/broken.yaml:6: http "http://127.0.0.1/": request-headers: is not supported`,
		`goss_files: suite/broken.yaml:10: dns "localhost": server: is not supported`,
	)
}

// TestAccGossFileExample: example/goss.pkr.hcl passes against the systemd target, run from
// another folder than the template's (its gossfile is named with path.root), and writes its
// JUnit report there.
func TestAccGossFileExample(t *testing.T) {
	host, key := target(t)
	example, err := filepath.Abs("../../example/goss.pkr.hcl")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	code, out := packer(t, dir, "build", "-color=false", "-var", "host="+host, "-var", "ssh_key="+key, example)
	t.Logf("packer build example/goss.pkr.hcl: exit %d\n%s", code, out)
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	mustContain(t, out, "PASS  goss[", "goss.yaml] service sshd running: true", "PASS  file[0] /etc/hostname (a check block beside the gossfile)")
	mustNotContain(t, out, "FAIL ", "ERROR")
	if _, err := os.Stat(filepath.Join(dir, "reports", "debian12-goss.xml")); err != nil {
		t.Errorf("no JUnit report where the example writes it: %v", err)
	}
}
