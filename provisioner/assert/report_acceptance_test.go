package assert

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/assertkit/packer-plugin-assert/internal/report"
)

// The value of the sensitive variable of test-fixtures/report-files.
const reportToken = "tok-5f0c1e-do-not-leak"

// The value of its sensitive variable given with -var.
const reportPin = "pin-77d1-given-with-var"

// TestAccReportFiles: a failing build of two sources leaves a JUnit, a JSON and a text report
// for each, at paths made of ${source.name}; none holds the sensitive value, which the build
// used in a command, in a content matcher and in a command's output; the quiet log lists only
// what did not pass, and the slow command is named while the probe waits for it.
func TestAccReportFiles(t *testing.T) {
	out := t.TempDir()
	code, log := build(t, "report-files", "out="+out, "pin="+reportPin)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, source := range []string{"target", "second"} {
		dir := filepath.Join(out, "images-"+source) // ${build.name}-${source.name}
		doc := readJSONReport(t, filepath.Join(dir, "assert.json"))
		if doc.Verdict != "failed" || doc.Build.Name != source || doc.Build.Type != "null" || doc.Build.RunUUID == "" || doc.Instance.OS.ID != "debian" || doc.Instance.Hostname == "" {
			t.Errorf("%s: the JSON report says verdict %q, build %+v, instance %+v", source, doc.Verdict, doc.Build, doc.Instance)
		}
		if doc.Build.Source != "null."+source {
			t.Errorf("%s: the JSON report names the source %q", source, doc.Build.Source)
		}
		if s := doc.Summary; s.Total != 6 || s.Passed != 2 || s.Failed != 2 || s.Warnings != 1 || s.Skipped != 1 {
			t.Errorf("%s: summary %+v, want 6 checks: 2 passed, 2 failed, 1 warning, 1 skipped", source, s)
		}
		junit := readFile(t, filepath.Join(dir, "assert.xml"))
		var suites struct {
			Suites []struct {
				Tests    int `xml:"tests,attr"`
				Failures int `xml:"failures,attr"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(junit, &suites); err != nil || len(suites.Suites) != 1 || suites.Suites[0].Tests != 6 || suites.Suites[0].Failures != 2 {
			t.Errorf("%s: the JUnit report reads as %+v (%v)", source, suites, err)
		}
		text := readFile(t, filepath.Join(dir, "assert.txt"))
		mustContain(t, string(text), "PASS  package[0] nginx", "FAIL  command[0]", "WARN  service[0] no-such-daemon")
		for _, f := range []string{"assert.json", "assert.xml", "assert.txt"} {
			data := readFile(t, filepath.Join(dir, f))
			for _, form := range append(secretForms(reportToken), secretForms(reportPin)...) {
				if bytes.Contains(data, []byte(form)) {
					t.Errorf("%s/%s holds the sensitive value (as %q)", source, f, form)
				}
			}
			masked := report.Masked
			if strings.HasSuffix(f, ".xml") {
				masked = "&lt;sensitive&gt;"
			}
			if !bytes.Contains(data, []byte(masked)) {
				t.Errorf("%s/%s shows no %s where the value was", source, f, report.Masked)
			}
		}
	}
	// ASSERT_SAMPLE_DIR keeps a build's log and files, for the sample in the docs
	if keep := os.Getenv("ASSERT_SAMPLE_DIR"); keep != "" {
		os.MkdirAll(keep, 0o755)
		os.WriteFile(filepath.Join(keep, "build.log"), []byte(log), 0o644)
		for _, f := range []string{"assert.json", "assert.xml", "assert.txt"} {
			os.WriteFile(filepath.Join(keep, f), readFile(t, filepath.Join(out, "images-target", f)), 0o644)
		}
	}
	if strings.Contains(log, reportToken) || strings.Contains(log, reportPin) {
		t.Error("the build log shows a sensitive value")
	}
	mustNotContain(t, log, "could not be found")
	// quiet: failures and warnings, no passes; progress names the slow command
	mustContain(t, log, "FAIL  file[0] /etc/hostname", "WARN  service[0] no-such-daemon", "(quiet = true: 3 passed or skipped checks not listed)",
		"on Debian GNU/Linux 12 (bookworm)", `waiting for command[1] "sleep 7"`)
	mustNotContain(t, log, "PASS  package[0] nginx", "SKIP  file[1]")
}

// TestAccUnwritableReport: a report file that cannot be written fails the build with a message
// that names it, after the check results; the other report is written all the same.
func TestAccUnwritableReport(t *testing.T) {
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "a-file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, log := build(t, "report-unwritable", "out="+out)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	mustContain(t, log, "PASS  package[0] nginx", "could not write a report file: report[0] (json) "+out+"/a-file/assert.json")
	if i, j := strings.Index(log, "PASS  package[0] nginx"), strings.Index(log, "could not write"); i < 0 || j < i {
		t.Error("the report error does not come after the check results")
	}
	if _, err := os.Stat(filepath.Join(out, "assert.txt")); err != nil {
		t.Errorf("the other report was not written: %v", err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readJSONReport reads a JSON report, refusing fields the Document does not know, and validates
// it against the shipped schema when a validator is installed.
func readJSONReport(t *testing.T, path string) report.Document {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(readFile(t, path)))
	dec.DisallowUnknownFields()
	var doc report.Document
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if _, err := exec.LookPath("python3"); err == nil {
		schema, _ := filepath.Abs("../../docs/report/report.schema.json")
		cmd := exec.Command("python3", "-c", "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))", path, schema)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s does not validate against %s: %v\n%s", path, schema, err, out)
		}
	}
	return doc
}

// secretForms are the ways a value could be written into a report: as it is, quoted as Go
// quotes it, and escaped for XML or JSON.
func secretForms(s string) []string {
	quoted := strconv.Quote(s)
	return []string{s, quoted[1 : len(quoted)-1]}
}

// TestAccLogInEveryMode: the report reads the same in colour and with -machine-readable: in
// colour, Packer colours whole messages (failures red), never inside a line; machine-readable
// output keeps each message whole in one ui record, its newlines escaped.
func TestAccLogInEveryMode(t *testing.T) {
	host, key := target(t)
	vars := []string{"-var", "ssh_key=" + key, "-var", "host=" + host}
	dir := filepath.Join("test-fixtures", "report")

	cmd := exec.Command("packer", append(append([]string{"build"}, vars...), ".")...)
	cmd.Dir = dir
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "PACKER_NO_COLOR=") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	out, _ := cmd.CombinedOutput()
	code, colour := cmd.ProcessState.ExitCode(), string(out)
	t.Logf("in colour: exit %d\n%s", code, colour)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	// Packer colours a whole message: neighbouring lines of one verdict go in one, red for
	// failures, the build's colour for the rest; a code starts its first line and ends its last
	if !regexp.MustCompile(`(?m)^\x1b\[1;31m==> null\.target: FAIL  file\[0\] /etc/nginx/nginx\.conf: mode is 0644, want 0600; still so after 1 retry$`).MatchString(colour) {
		t.Error("in colour, the failures do not start a red message")
	}
	if !regexp.MustCompile(`(?m)^\x1b\[[0-9;]+m==> null\.target: PASS  package\[1\] telnetd: not installed$`).MatchString(colour) {
		t.Error("in colour, the passes do not start a message of their own")
	}
	edges := regexp.MustCompile(`^(\x1b\[[0-9;]+m)?(.*?)(\x1b\[0m)?$`)
	for _, line := range strings.Split(colour, "\n") {
		if inner := edges.FindStringSubmatch(line)[2]; strings.Contains(inner, "\x1b[") {
			t.Errorf("a colour code inside a line: %q", line)
		}
	}

	code, machine := packer(t, dir, append(append([]string{"build", "-machine-readable"}, vars...), ".")...)
	t.Logf("machine-readable: exit %d\n%s", code, machine)
	if code != 1 || strings.Contains(machine, "\x1b[") {
		t.Fatalf("exit %d (want 1), or colour codes in machine-readable output", code)
	}
	// timestamp,target,type,data...: every line a record, our lines in "ui" records
	record := regexp.MustCompile(`^\d+,[^,]*,[a-z-]+,`)
	for _, line := range strings.Split(strings.TrimSpace(machine), "\n") {
		if !record.MatchString(line) {
			t.Errorf("not a machine-readable record: %q", line)
		}
	}
	mustContain(t, machine, `,ui,error,==> null.target: FAIL  file[0] /etc/nginx/nginx.conf: mode is 0644%!(PACKER_COMMA) want 0600`,
		`\n==> null.target: FAIL  file[1] /etc/nginx/nginx.conf (logs errors): content does not contain`,
		`\n==> null.target:       content%!(PACKER_COMMA) the lines nearest to`, `,ui,say,==> null.target: PASS  package[1] telnetd: not installed`)
}
