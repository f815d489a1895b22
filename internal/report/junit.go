package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

// JUnit is the JUnit XML report of run, for the test reports of CI systems (Jenkins, GitLab, the
// GitHub Actions test reporters). It validates against the Jenkins JUnit schema (junit-4.xsd of
// Jenkins' xunit model, the strictest one that CI tools publish that knows <skipped>), and
// docs/report/README.md says how each part maps and why:
//
//   - <testsuites> holds one <testsuite> for the run, named "assert: " and the build as Packer's
//     source built ("assert: null.target"), with the real duration of the checks, the
//     timestamp they started, the instance's host name, and <properties> named as the JSON
//     report's fields (instance.os.pretty_name, plugin.version, build.run_uuid, verdict, …).
//   - Each check is a <testcase> named by its block and subject, and its description where given
//     ("file[1] /etc/shadow (no world access)"); its classname is the build and the kind
//     ("null.target.file"), so that Jenkins shows the source as the package and the kind as
//     the class. Its time is 0: one probe gathers every fact at once, so no check has a time of
//     its own; the suite has the real time.
//   - A check that failed has a <failure>, one that could not be decided an <error>, each with
//     the problems as its message and the build log's lines for it (details included) as its
//     text. A skipped check is <skipped>, and so is a check of severity "warning" that did not
//     pass, whose text starts with WARN and says it does not fail the build: CI systems show a
//     skipped test with its text, without failing the report, and hide a passed test's output.
//     A passed check has what it verified in <system-out>.
//
// Every value is escaped; a control character, which XML 1.0 forbids, is written the way Go
// writes it (\x1b), as the Text report does.
func JUnit(run Run) ([]byte, error) {
	run = printable(run)
	key := suiteKey(run.Build)
	seconds := strconv.FormatFloat(run.Duration.Round(time.Millisecond).Seconds(), 'f', 3, 64)
	held := map[string]int{}
	for _, r := range run.Results {
		held[element(r)]++
	}
	tests, failures, errors := strconv.Itoa(len(run.Results)), strconv.Itoa(held["failure"]), strconv.Itoa(held["error"])

	var x xmlWriter
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.open(0, "testsuites", "name", "packer-plugin-assert", "tests", tests, "failures", failures, "errors", errors, "time", seconds)
	suite := []string{"name", "assert: " + key, "tests", tests, "failures", failures, "errors", errors,
		"skipped", strconv.Itoa(held["skipped"]), "time", seconds, "timestamp", timestamp(run.Started)}
	if run.Instance.Hostname != "" {
		suite = append(suite, "hostname", run.Instance.Hostname)
	}
	x.open(1, "testsuite", suite...)
	x.open(2, "properties")
	for _, p := range properties(run, Count(run.Results)) {
		x.empty(3, "property", "name", p[0], "value", p[1])
	}
	x.close(2, "properties")
	for _, r := range run.Results {
		testcase(&x, key, r)
	}
	x.element(2, "system-out", Summary(run.Results, run.Duration))
	x.close(1, "testsuite")
	x.close(0, "testsuites")
	return []byte(x.String()), nil
}

// element is the element that a check's testcase holds: "failure", "error", "skipped" (a skipped
// check, or a warning) or "system-out" (a pass). A verdict this package does not know is an
// error, never a pass.
func element(r check.Result) string {
	switch {
	case r.Warned(), r.Status == check.Skipped:
		return "skipped"
	case r.Status == check.Fail:
		return "failure"
	case r.Status == check.Pass:
		return "system-out"
	}
	return "error"
}

// properties are the run's facts for the testsuite, named as the JSON report names them.
func properties(run Run, c Counts) [][2]string {
	p := [][2]string{
		{"plugin.name", "packer-plugin-assert"},
		{"plugin.version", run.Plugin},
		{"build.name", run.Build.Name},
		{"build.source", run.Build.Source},
		{"build.type", run.Build.Type},
		{"build.run_uuid", run.Build.RunUUID},
		{"instance.hostname", run.Instance.Hostname},
		{"instance.os.id", run.Instance.OSID},
		{"instance.os.version_id", run.Instance.OSVersion},
		{"instance.os.pretty_name", run.Instance.OSName},
		{"instance.os.family", run.Instance.OSFamily},
	}
	if run.Instance.OSErr != "" {
		p = append(p, [2]string{"instance.os.error", run.Instance.OSErr})
	}
	return append(p,
		[2]string{"started", timestamp(run.Started)},
		[2]string{"duration_seconds", strconv.FormatFloat(run.Duration.Round(time.Millisecond).Seconds(), 'f', -1, 64)},
		[2]string{"verdict", run.Verdict()},
		[2]string{"summary.total", strconv.Itoa(len(run.Results))},
		[2]string{"summary.passed", strconv.Itoa(c.Passed)},
		[2]string{"summary.failed", strconv.Itoa(c.Failed)},
		[2]string{"summary.errored", strconv.Itoa(c.Errored)},
		[2]string{"summary.warnings", strconv.Itoa(c.Warnings)},
		[2]string{"summary.skipped", strconv.Itoa(c.Skipped)},
	)
}

// testcase writes one check.
func testcase(x *xmlWriter, key string, r check.Result) {
	name := r.Name()
	if r.Description != "" {
		name += " (" + r.Description + ")"
	}
	x.open(2, "testcase", "name", name, "classname", key+"."+r.Kind, "time", "0.000")
	line := Line(r)
	switch element(r) {
	case "skipped":
		if r.Warned() {
			line += "\n(severity \"warning\": this check did not pass, and does not fail the build)"
		}
		x.element(3, "skipped", line)
	case "failure":
		x.element(3, "failure", line, "message", strings.Join(r.Problems, "; "))
	case "system-out":
		x.element(3, "system-out", line)
	default:
		message := "could not be checked: " + strings.Join(r.Problems, "; ")
		if r.Status != check.Error {
			message = fmt.Sprintf("the verdict %d is unknown (a bug in packer-plugin-assert)", r.Status)
		}
		x.element(3, "error", line, "message", message)
	}
	x.close(2, "testcase")
}

// xmlWriter writes indented XML whose every value it escapes.
type xmlWriter struct{ strings.Builder }

func (x *xmlWriter) raw(s string) { x.WriteString(s) }

// start writes "<name a="v" …", indented by depth.
func (x *xmlWriter) start(depth int, name string, attrs []string) {
	x.WriteString(strings.Repeat("  ", depth) + "<" + name)
	for i := 0; i+1 < len(attrs); i += 2 {
		fmt.Fprintf(x, ` %s="%s"`, attrs[i], escapeXML(attrs[i+1], true))
	}
}

func (x *xmlWriter) open(depth int, name string, attrs ...string) {
	x.start(depth, name, attrs)
	x.WriteString(">\n")
}

func (x *xmlWriter) empty(depth int, name string, attrs ...string) {
	x.start(depth, name, attrs)
	x.WriteString("/>\n")
}

func (x *xmlWriter) close(depth int, name string) {
	x.WriteString(strings.Repeat("  ", depth) + "</" + name + ">\n")
}

// element writes an element holding text.
func (x *xmlWriter) element(depth int, name, text string, attrs ...string) {
	x.start(depth, name, attrs)
	x.WriteString(">" + escapeXML(text, false) + "</" + name + ">\n")
}

// escapeXML escapes text for XML character data, or for an attribute value, where a tab or a
// newline is written as a character reference, since a parser would turn it into a space. It
// expects printable text (see printable), whose newlines are the report's own; any other
// control character or invalid byte, which XML 1.0 forbids, is written as visibleText writes it.
func escapeXML(s string, attr bool) string {
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\t' && attr:
			b.WriteString("&#9;")
		case r == '\n' && attr:
			b.WriteString("&#10;")
		case r == '\n':
			b.WriteByte('\n')
		default:
			b.WriteString(visibleText(s[:size]))
		}
		s = s[size:]
	}
	return b.String()
}
