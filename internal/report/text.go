package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

// Text is the plain-text report of run: a header naming the build, the instance, its OS, the
// plugin and when the checks started, then each check as the build log shows it (Line), then the
// summary. It has no colour codes; a control character or an invalid byte inside a value, which
// a terminal would act on or a reader could not see, is written as Go writes it (\x1b, \r, \x80),
// so that the file shows what was found, and each check stays on lines of its own.
func Text(run Run) []byte {
	run = printable(run)
	var b strings.Builder
	fmt.Fprintf(&b, "packer-plugin-assert %s report\n", orUnknown(run.Plugin, "(unknown version)"))
	fmt.Fprintf(&b, "Build:    %s\n", buildLine(run.Build))
	fmt.Fprintf(&b, "Instance: %s, %s\n", orUnknown(run.Instance.Hostname, "unknown host name"), run.Instance.OS())
	fmt.Fprintf(&b, "Started:  %s, took %s\n", timestamp(run.Started), run.Duration.Round(time.Millisecond))
	fmt.Fprintf(&b, "Verdict:  %s\n\n", run.Verdict())
	for _, r := range run.Results {
		b.WriteString(Line(r) + "\n")
	}
	if len(run.Results) == 0 {
		b.WriteString("(no checks)\n")
	}
	b.WriteString("\n" + Summary(run.Results, run.Duration) + "\n")
	return []byte(b.String())
}

// buildLine names the build for the text report: "ami.null.target (builder null, packer run
// 3f2a…)".
func buildLine(b Build) string {
	var about []string
	if b.Type != "" {
		about = append(about, "builder "+b.Type)
	}
	if b.RunUUID != "" {
		about = append(about, "packer run "+b.RunUUID)
	}
	s := suiteKey(b)
	if len(about) > 0 {
		s += " (" + strings.Join(about, ", ") + ")"
	}
	return s
}

// suiteKey names the build as Packer's own log does before each of its lines: the build block's
// name and the source, joined by a dot ("ami.null.target"), or the one of them there is. A Name
// that is the source's own name ("target", which is what Packer gives plugins as the build's
// name with HCL templates), or that holds the source already, is not repeated.
func suiteKey(b Build) string {
	switch {
	case b.Source == "" && b.Name == "":
		return "unnamed build"
	case b.Source == "":
		return b.Name
	case b.Name == "", b.Name == b.Source, strings.HasSuffix(b.Source, "."+b.Name):
		return b.Source
	case strings.HasSuffix(b.Name, "."+b.Source):
		return b.Name
	}
	return b.Name + "." + b.Source
}

func orUnknown(s, unknown string) string {
	if s == "" {
		return unknown
	}
	return s
}

// timestamp writes a time as every report does: RFC 3339, UTC, to the millisecond.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// printable returns run with every control character (but the tab) and every invalid byte in
// its values written the way Go writes them, as visibleText does. Line then lays out a result on
// lines of its own whatever its values hold.
func printable(run Run) Run { return mapRun(run, visibleText) }

// mapRun returns run with f applied to each of its strings. The results are copied: run's own
// are left as they were.
func mapRun(run Run, f func(string) string) Run {
	run.Plugin = f(run.Plugin)
	b := &run.Build
	b.Name, b.Source, b.Type, b.RunUUID = f(b.Name), f(b.Source), f(b.Type), f(b.RunUUID)
	i := &run.Instance
	i.Hostname, i.OSID, i.OSVersion = f(i.Hostname), f(i.OSID), f(i.OSVersion)
	i.OSName, i.OSFamily, i.OSErr = f(i.OSName), f(i.OSFamily), f(i.OSErr)
	each := func(list []string) []string {
		if list == nil {
			return nil
		}
		out := make([]string, len(list))
		for n, s := range list {
			out[n] = f(s)
		}
		return out
	}
	results := make([]check.Result, len(run.Results))
	for n, r := range run.Results {
		r.Block, r.Kind, r.Subject = f(r.Block), f(r.Kind), f(r.Subject)
		r.Description, r.Expectation = f(r.Description), f(r.Expectation)
		r.Problems, r.Details, r.Found = each(r.Problems), each(r.Details), each(r.Found)
		results[n] = r
	}
	if run.Results == nil {
		results = nil
	}
	run.Results = results
	return run
}

// validUTF8 writes each invalid byte of s as an escape, like \x80 for the byte 0x80, and leaves
// the rest as it is. The JSON report needs it: encoding/json would write U+FFFD for an invalid
// byte, losing it silently.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, `\x%02x`, s[0])
		} else {
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}

// visibleText writes every control character of s but the tab (C0, DEL and C1, newlines
// included), every invalid byte, and the two noncharacters U+FFFE and U+FFFF the way Go writes
// them in a quoted string: \n, \r, \x1b, \x7f, \u0085, \x80 for a lone byte 0x80. XML 1.0 forbids
// most of them, a terminal acts on some, and none can be seen: the reports show each as the
// build log's details show output. A backslash stays one backslash: values that came from
// output are escaped already (\\ for a backslash) by the check that quoted them, and the JSON
// report has every value exactly.
func visibleText(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, escaped) < 0 {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case escaped(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}

// escaped reports whether visibleText writes the character r as an escape.
func escaped(r rune) bool {
	return r < 0x20 && r != '\t' || r >= 0x7f && r <= 0x9f || r == 0xfffe || r == 0xffff
}
