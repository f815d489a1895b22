package assert

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"text/tabwriter"

	"gopkg.in/yaml.v3"

	"github.com/assertkit/packer-plugin-assert/internal/report"
)

// The differential test of issue 13: goss v0.4.9 itself and assert's goss_files judge the same
// corpus of gossfiles (test-fixtures/goss-diff, described in its README.md) on the same systemd
// Debian target, and must reach the same verdict for every resource attribute.
//
//  1. goss: the harness copies the goss binary (test/run.sh's ensure_goss builds it from the Go
//     module proxy and names it in ASSERT_GOSS) and the corpus into the target over SSH, lays out
//     the corpus's data files there (gossDiffSetup), and runs `goss render` and `goss validate
//     -f json` on each gossfile in the SSH login's folder, where assert's probe runs too.
//     Everything it copied or made is removed at the end, and the test checks that it is gone.
//  2. assert: a real `packer build` of test-fixtures/goss-diff/build.pkr.hcl with goss_files = the
//     same gossfiles, the same vars and environment, continue_on_failure and a JSON report.
//  3. compare: every attribute of every resource carries the verdict goss must reach, in its
//     meta.expect (read from goss's own rendering of the file); the test requires that goss
//     reaches it (so a corpus case that does not test what it says is caught), that assert
//     reports the same attribute with the same verdict, and that neither reports anything the
//     other does not. A table lists every mismatch.
//
// # Verdicts
//
// goss reports each attribute as passed (result 0), skipped (result 2), or failed (result 1),
// and a failure either compared the value and found it different (err is null: "fail") or could
// not measure or compare it at all (err says why: a command that timed out, a file it could not
// read, a version that is not semver: "error"). goss counts both as failures; assert tells them
// apart, and its "error" is exactly goss's second kind: nothing was compared, so nothing may pass.
// So: pass is passed, fail is failed, error is error, skip is skipped. Where assert differs on
// purpose (it can see what goss cannot, or compares versions the way the distribution does),
// gossDiffDifferences lists the attribute, what assert reports instead and why; the test requires
// each listed difference to hold exactly as written, so a difference that goes away is noticed
// as well as one that appears.

// gossDiffRemote is where the harness puts goss and the corpus inside the target.
const gossDiffRemote = "/tmp/assert-goss-diff"

// gossDiffWeb is a folder the harness adds to nginx's default site, for redirects and a JSON body.
const gossDiffWeb = "/var/www/html/assert-goss-diff"

// gossDiffEnv is the environment goss and packer both get, for the corpus's .Env.
var gossDiffEnv = map[string]string{"GOSS_DIFF_ENV": "from the environment"}

// gossDiffVarsInline are goss's --vars-inline, the same as goss_vars_inline in build.pkr.hcl.
const gossDiffVarsInline = `{"overridden": "from the inline vars", "inline_only": "inline"}`

// gossDiffSetup lays out the data the file and http resources of the corpus look at, in the
// target (sh, as root). The corpus arrives with data/text.txt and data/data.json.
const gossDiffSetup = `set -eu
D=` + gossDiffRemote + `/corpus/data
chown alice:bob "$D/text.txt"
chmod 0640 "$D/text.txt"
ln -s text.txt "$D/link"
ln -s /nonexistent "$D/dangling"
mkfifo -m 0600 "$D/fifo"
mkdir -m 1750 "$D/dir"
# one line of 1.1 MB, longer than goss's line scanner takes (1 MiB)
head -c 1100000 /dev/zero | tr '\0' a >"$D/long-line"
W=` + gossDiffWeb + `
mkdir "$W"
echo "the folder's index" >"$W/index.html"
cp "$D/data.json" "$W/data.json"
`

// A gossDifference is an attribute where assert reports another verdict than goss on purpose.
type gossDifference struct {
	assert string // assert's status: passed, failed, error or skipped
	why    string
}

// gossDiffDifferences are the attributes, as "TYPE KEY ATTRIBUTE", where assert's verdict differs
// from goss's on purpose.
var gossDiffDifferences = map[string]gossDifference{}

// gossTypes are goss's resource type names in its JSON output (the Go type's name), and the key
// that names the type in a gossfile.
var gossTypes = map[string]string{
	"Addr": "addr", "Command": "command", "DNS": "dns", "File": "file", "Group": "group",
	"HTTP": "http", "Interface": "interface", "KernelParam": "kernel-param", "Matching": "matching",
	"Mount": "mount", "Package": "package", "Port": "port", "Process": "process",
	"Service": "service", "User": "user",
}

// gossNameAttrs are the attributes that name a resource's subject when its key does not; goss's
// resource-id is then "KEY: NAME" (resource/*.go, ID).
var gossNameAttrs = map[string]string{
	"addr": "address", "dns": "resolve", "file": "path", "group": "groupname", "http": "url",
	"interface": "name", "kernel-param": "name", "mount": "mountpoint", "package": "name",
	"port": "port", "process": "comm", "service": "name", "user": "username",
}

// gossProperties are goss's property names in its JSON output that differ from the attribute's
// name in a gossfile (resource/*.go, Validate).
var gossProperties = map[string]string{
	"file linkedto": "linked-to", "package version": "versions",
	"http Headers": "headers", "http Body": "body",
}

// A gossAttr names one attribute of one resource, as the naming contract of assert's report has
// it: the check's subject is "TYPE KEY ATTRIBUTE".
type gossAttr struct{ typ, key, attr string }

func (a gossAttr) String() string { return a.typ + " " + a.key + " " + a.attr }

// A gossCase is one attribute of the corpus: what its meta.expect says, and what goss and assert
// made of it.
type gossCase struct {
	entry   string // the top-level gossfile goss ran
	expect  string // pass, fail, error or skip
	goss    string // the same words; "" when goss did not report it
	gossErr string // goss's err
	gossSay string // goss's summary line
	title   string // goss's title
	meta    bool   // the resource has meta beyond expect
	assert  *report.CheckOutcome
}

func TestAccGossDiff(t *testing.T) {
	target(t)
	gossBin := os.Getenv("ASSERT_GOSS")
	if gossBin == "" {
		t.Fatal("ASSERT_GOSS is not set: test/run.sh e2e builds goss v0.4.9 and names it there")
	}
	corpus := filepath.Join("test-fixtures", "goss-diff")
	entries := gossDiffEntries(t, corpus)

	// 1. goss, inside the target
	gossDiffUpload(t, gossBin, corpus)
	cases := map[gossAttr]*gossCase{}
	for _, entry := range entries {
		gossDiffRun(t, entry, cases)
	}

	// 2. assert, in a real packer build
	var doc report.Document
	if rec := os.Getenv("ASSERT_GOSS_DIFF_RECORDED"); rec != "" { // TEMPORARY, until goss_files lands
		if err := json.Unmarshal(readFile(t, rec), &doc); err != nil {
			t.Fatal(err)
		}
	} else {
		doc = gossDiffBuild(t, entries)
	}

	// 3. compare
	gossDiffCompare(t, cases, doc)
}

// gossDiffEntries are the corpus's top-level gossfiles, relative to the corpus: *.yaml and *.json.
func gossDiffEntries(t *testing.T, corpus string) []string {
	var entries []string
	for _, pattern := range []string{"*.yaml", "*.json"} {
		m, err := filepath.Glob(filepath.Join(corpus, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			entries = append(entries, filepath.Base(f))
		}
	}
	sort.Strings(entries)
	if len(entries) < 10 {
		t.Fatalf("the corpus in %s has %d gossfiles: %v", corpus, len(entries), entries)
	}
	return entries
}

// gossDiffUpload copies goss and the corpus into the target, lays out the data, and removes all
// of it when the test ends.
func gossDiffUpload(t *testing.T, gossBin, corpus string) {
	var archive bytes.Buffer
	tw := tar.NewWriter(&archive)
	add := func(name string, mode int64, data []byte) {
		hdr := &tar.Header{Name: name, Mode: mode, Size: int64(len(data)), Uname: "root", Gname: "root", Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	add("goss", 0o755, readFile(t, gossBin))
	err := filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return nil // source.pkr.hcl, a symlink, is for packer only
		}
		rel, _ := filepath.Rel(corpus, p)
		add(path.Join("corpus", filepath.ToSlash(rel)), 0o644, readFile(t, p))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		out, _, code := gossDiffSSH(t, "rm -rf "+gossDiffRemote+" "+gossDiffWeb+
			"; ls -d "+gossDiffRemote+" "+gossDiffWeb+" 2>/dev/null; pgrep -x goss || true", nil)
		if code != 0 || strings.TrimSpace(out) != "" {
			t.Errorf("the harness left something in the target (exit %d): %s", code, out)
		}
	})
	for _, step := range []struct {
		what, command string
		stdin         io.Reader
	}{
		{"copy goss and the corpus", "rm -rf " + gossDiffRemote + " && mkdir -p " + gossDiffRemote + " && tar -xf - -C " + gossDiffRemote, &archive},
		{"lay out the data", gossDiffSetup, nil},
	} {
		if out, errOut, code := gossDiffSSH(t, step.command, step.stdin); code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", step.what, code, out, errOut)
		}
	}
}

// gossDiffRun runs goss on one top-level gossfile in the target: render, for the expectations
// (as goss itself reads the file, includes and templates done), then validate.
func gossDiffRun(t *testing.T, entry string, cases map[gossAttr]*gossCase) {
	gossCmd := ""
	for k, v := range gossDiffEnv {
		gossCmd += k + "=" + gossDiffQuote(v) + " "
	}
	gossCmd += gossDiffRemote + "/goss -g " + gossDiffQuote(gossDiffRemote+"/corpus/"+entry) +
		" --vars " + gossDiffRemote + "/corpus/vars/vars.yaml --vars-inline " + gossDiffQuote(gossDiffVarsInline)
	// no cd: goss runs in the SSH login's folder, where assert's probe runs
	rendered, errOut, code := gossDiffSSH(t, gossCmd+" render", nil)
	if code != 0 {
		t.Fatalf("goss render %s: exit %d\n%s", entry, code, errOut)
	}
	resources := gossDiffExpectations(t, entry, rendered, cases)

	out, errOut, code := gossDiffSSH(t, gossCmd+" validate -f json", nil)
	if code != 0 && code != 1 { // 1: some attribute failed
		t.Fatalf("goss validate %s: exit %d\n%s%s", entry, code, out, errOut)
	}
	var results struct {
		Results []struct {
			Type     string         `json:"resource-type"`
			ID       string         `json:"resource-id"`
			Property string         `json:"property"`
			Result   int            `json:"result"`
			Err      *string        `json:"err"`
			Title    string         `json:"title"`
			Meta     map[string]any `json:"meta"`
			Summary  string         `json:"summary-line-compact"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("goss validate %s -f json: %v\n%s", entry, err, out)
	}
	for _, r := range results.Results {
		typ, ok := gossTypes[r.Type]
		if !ok {
			t.Errorf("%s: goss reports a resource type the harness does not know: %q (%s)", entry, r.Type, r.Summary)
			continue
		}
		res, ok := resources[typ+"\x00"+r.ID]
		if !ok {
			t.Errorf("%s: goss reports %s %q, which its rendering does not have", entry, typ, r.ID)
			continue
		}
		attr := r.Property
		if a, ok := gossProperties[typ+" "+attr]; ok {
			attr = a
		}
		if typ == "dns" && attr == "resolvable" && res.attrs["resolvable"] == nil && res.attrs["resolveable"] != nil {
			attr = "resolveable" // goss reads the old spelling into resolvable
		}
		c := cases[gossAttr{typ, res.key, attr}]
		if c == nil {
			t.Errorf("%s: goss reports %s %s %s, which has no meta.expect", entry, typ, res.key, attr)
			continue
		}
		if c.goss != "" {
			t.Errorf("%s: goss reports %s %s %s twice", entry, typ, res.key, attr)
		}
		switch {
		case r.Result == 0:
			c.goss = "pass"
		case r.Result == 2:
			c.goss = "skip"
		case r.Result == 1 && r.Err != nil:
			c.goss, c.gossErr = "error", *r.Err
		case r.Result == 1:
			c.goss = "fail"
		default:
			t.Errorf("%s: goss reports %s %s %s with result %d", entry, typ, res.key, attr, r.Result)
		}
		c.gossSay, c.title = r.Summary, r.Title
		c.meta = len(r.Meta) > 1
	}
}

// A gossDiffResource is a resource of goss's rendering.
type gossDiffResource struct {
	key   string
	attrs map[string]any
}

// gossDiffExpectations reads goss's rendering of a gossfile: each resource's meta.expect becomes
// the cases of its attributes. It returns the resources by type and goss's resource-id.
func gossDiffExpectations(t *testing.T, entry, rendered string, cases map[gossAttr]*gossCase) map[string]gossDiffResource {
	var doc map[string]map[string]map[string]any
	if err := yaml.Unmarshal([]byte(rendered), &doc); err != nil {
		t.Fatalf("goss render %s: %v\n%s", entry, err, rendered)
	}
	byID := map[string]gossDiffResource{}
	for typ, resources := range doc {
		for key, attrs := range resources {
			id := key
			if name, ok := attrs[gossNameAttrs[typ]].(string); ok && name != "" && name != key {
				id = key + ": " + name
			}
			byID[typ+"\x00"+id] = gossDiffResource{key, attrs}
			meta, _ := attrs["meta"].(map[string]any)
			expect, ok := meta["expect"].(map[string]any)
			if !ok || len(expect) == 0 {
				t.Errorf("%s: %s %s has no meta.expect: say what goss must find for each attribute", entry, typ, key)
				continue
			}
			for attr, v := range expect {
				a := gossAttr{typ, key, attr}
				if old := cases[a]; old != nil {
					t.Errorf("%s and %s both have %s: each attribute must be in the corpus once", old.entry, entry, a)
					continue
				}
				verdict, _ := v.(string)
				switch verdict {
				case "pass", "fail", "error", "skip":
				default:
					t.Errorf("%s: %s: meta.expect says %v; say pass, fail, error or skip", entry, a, v)
				}
				if _, ok := attrs[attr]; !ok {
					t.Errorf("%s: %s: meta.expect names an attribute the resource does not set", entry, a)
				}
				cases[a] = &gossCase{entry: entry, expect: verdict}
			}
		}
	}
	return byID
}

// gossDiffBuild runs the packer build over the corpus and reads its JSON report.
func gossDiffBuild(t *testing.T, entries []string) report.Document {
	for k, v := range gossDiffEnv {
		t.Setenv(k, v)
	}
	files, _ := json.Marshal(entries)
	reportPath := filepath.Join(t.TempDir(), "assert.json")
	code, out := build(t, "goss-diff", "goss_files="+string(files), "report="+reportPath)
	if code != 0 {
		t.Fatalf("packer build: exit %d, want 0 (continue_on_failure)\n%s", code, out)
	}
	return readJSONReport(t, reportPath)
}

// gossDiffCompare holds goss's verdicts, assert's and the corpus's side by side, and lists every
// mismatch in one table.
func gossDiffCompare(t *testing.T, cases map[gossAttr]*gossCase, doc report.Document) {
	var problems [][]string // gossfile, attribute, corpus, goss, assert, what is wrong
	for i := range doc.Checks {
		ch := &doc.Checks[i]
		a, file, ok := gossDiffParseCheck(ch)
		if !ok {
			problems = append(problems, []string{"", ch.Block + " " + ch.Subject, "", "", ch.Status,
				"assert reports a check that is not of kind goss, or not named goss[FILE] TYPE KEY ATTRIBUTE"})
			continue
		}
		c := cases[a]
		if c == nil {
			problems = append(problems, []string{file, a.String(), "", "", ch.Status, "assert reports an attribute the corpus and goss do not have"})
			continue
		}
		if c.assert != nil {
			problems = append(problems, []string{file, a.String(), "", "", ch.Status, "assert reports it twice"})
		}
		c.assert = ch
		if file != c.entry && !(c.entry == "gossfile.yaml" && strings.HasPrefix(file, "include/")) {
			problems = append(problems, []string{file, a.String(), "", "", ch.Status, "assert names another gossfile than " + c.entry})
		}
	}

	attrs := make([]gossAttr, 0, len(cases))
	for a := range cases {
		attrs = append(attrs, a)
	}
	sort.Slice(attrs, func(i, j int) bool {
		if cases[attrs[i]].entry != cases[attrs[j]].entry {
			return cases[attrs[i]].entry < cases[attrs[j]].entry
		}
		return attrs[i].String() < attrs[j].String()
	})
	counts := map[string]int{}
	for _, a := range attrs {
		c := cases[a]
		status := ""
		if c.assert != nil {
			status = c.assert.Status
		}
		row := func(why string) {
			problems = append(problems, []string{c.entry, a.String(), c.expect, c.goss, status, why})
		}
		if c.goss != c.expect {
			what := "goss does not reach the verdict the corpus says"
			if c.goss == "" {
				what = "goss does not report it"
			} else if c.gossErr != "" {
				what += " (goss: " + c.gossErr + ")"
			}
			row(what)
		}
		if c.goss == "" {
			continue
		}
		want, why := map[string]string{"pass": "passed", "fail": "failed", "error": "error", "skip": "skipped"}[c.goss], ""
		if d, ok := gossDiffDifferences[a.String()]; ok {
			want, why = d.assert, d.why
		}
		switch {
		case c.assert == nil:
			row("assert does not report it")
			continue
		case status != want && why != "":
			row("assert should differ from goss as documented (" + want + ": " + why + "), but reports " + status)
		case status != want:
			row("assert differs from goss")
		}
		if c.assert.Description != c.title {
			row(fmt.Sprintf("assert's description %q is not goss's title %q", c.assert.Description, c.title))
		}
		if c.meta && !gossDiffHasMeta(c.assert.Details) {
			row("assert's details do not show the resource's meta")
		}
		counts[c.goss+" "+status]++
	}
	for name := range gossDiffDifferences {
		found := false
		for _, a := range attrs {
			found = found || a.String() == name
		}
		if !found {
			problems = append(problems, []string{"", name, "", "", "", "a documented difference names an attribute the corpus does not have"})
		}
	}
	if doc.Summary.Total != len(doc.Checks) {
		t.Errorf("the report's summary counts %d checks, and lists %d", doc.Summary.Total, len(doc.Checks))
	}

	var tally []string
	for k, n := range counts {
		tally = append(tally, fmt.Sprintf("%s: %d", k, n))
	}
	sort.Strings(tally)
	t.Logf("%d attributes compared (goss's verdict, then assert's): %s", len(attrs), strings.Join(tally, ", "))
	if len(problems) > 0 {
		var b strings.Builder
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "GOSSFILE\tTYPE KEY ATTRIBUTE\tCORPUS\tGOSS\tASSERT\tPROBLEM")
		for _, p := range problems {
			fmt.Fprintln(tw, strings.Join(p, "\t"))
		}
		tw.Flush()
		t.Errorf("%d mismatches between the corpus, goss and assert:\n%s", len(problems), b.String())
		for _, a := range attrs {
			if c := cases[a]; c.gossSay != "" && c.goss != c.expect {
				t.Logf("goss says: %s", c.gossSay)
			}
		}
	}
	if len(attrs) < 200 {
		t.Errorf("the corpus has only %d attributes", len(attrs))
	}
}

// gossDiffParseCheck reads a check of assert's report by the naming contract: kind goss, block
// goss[FILE], subject "TYPE KEY ATTRIBUTE" (a key may hold spaces; a type and an attribute never do).
func gossDiffParseCheck(ch *report.CheckOutcome) (gossAttr, string, bool) {
	file, ok := strings.CutPrefix(ch.Block, "goss[")
	if !ok || ch.Kind != "goss" || !strings.HasSuffix(file, "]") {
		return gossAttr{}, "", false
	}
	i, j := strings.IndexByte(ch.Subject, ' '), strings.LastIndexByte(ch.Subject, ' ')
	if i <= 0 || j <= i+1 {
		return gossAttr{}, "", false
	}
	return gossAttr{ch.Subject[:i], ch.Subject[i+1 : j], ch.Subject[j+1:]}, strings.TrimSuffix(file, "]"), true
}

// gossDiffHasMeta says whether a check's details show goss's meta.
func gossDiffHasMeta(details []string) bool {
	for _, d := range details {
		if strings.HasPrefix(d, "meta: ") {
			return true
		}
	}
	return false
}

// gossDiffSSH runs a command in the target as root and returns its stdout, its stderr and its
// exit status; a connection that fails is fatal.
func gossDiffSSH(t *testing.T, command string, stdin io.Reader) (string, string, int) {
	t.Helper()
	host, key := target(t)
	cmd := exec.Command("ssh", "-i", key, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "root@"+host, command)
	var stdout, stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() != 255: // 255: ssh itself failed
		return stdout.String(), stderr.String(), exit.ExitCode()
	case err != nil:
		t.Fatalf("ssh %s: %v\n%s", command, err, stderr.String())
	}
	return stdout.String(), stderr.String(), 0
}

// gossDiffQuote quotes a word for sh.
func gossDiffQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
