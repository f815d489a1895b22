// Package report turns verdicts into what the user reads: a line per check in the build log, a
// summary line, and the error that fails the build.
//
// It is the last step of the data path and knows only check.Result: nothing of SSH, shell or HCL.
package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

// UI is the part of Packer's packersdk.Ui the report writes to.
type UI interface {
	Say(string)
	Error(string)
}

// Lines writes a line per check to ui, failures and errors with ui.Error so that they stand out,
// followed by a summary line. Neighbouring lines of the same kind go in one call: every call
// crosses from the plugin to Packer, and a thousand of them would cost more than the checks.
func Lines(ui UI, results []check.Result, elapsed time.Duration) {
	lines(ui, results, func(check.Result) bool { return true })
	ui.Say(Summary(results, elapsed))
}

// Log writes the report of run to the build log: a line per check, then the summary, which
// names the instance the checks ran in. With quiet, only the checks that did not pass (failures,
// errors and warnings) have lines, and the summary says how many were left out.
func Log(ui UI, run Run, quiet bool) {
	shown := func(r check.Result) bool { return !quiet || r.Failing() || r.Warned() }
	lines(ui, run.Results, shown)
	summary := Summary(run.Results, run.Duration) + ", on " + run.Instance.OS()
	if run.Instance.Hostname != "" {
		summary += ", host " + run.Instance.Hostname
	}
	if hidden := len(run.Results) - count(run.Results, shown); hidden > 0 {
		summary += fmt.Sprintf(" (quiet = true: %d passed or skipped %s not listed)", hidden, plural(hidden, "check", "checks"))
	}
	ui.Say(summary)
}

func count(results []check.Result, keep func(check.Result) bool) int {
	n := 0
	for _, r := range results {
		if keep(r) {
			n++
		}
	}
	return n
}

// lines writes the line of each result that keep keeps.
func lines(ui UI, results []check.Result, keep func(check.Result) bool) {
	var run []string
	passing := true
	flush := func() {
		switch {
		case len(run) == 0:
		case passing:
			ui.Say(strings.Join(run, "\n"))
		default:
			ui.Error(strings.Join(run, "\n"))
		}
		run = run[:0]
	}
	for _, r := range results {
		if !keep(r) {
			continue
		}
		if pass := !r.Failing() && !r.Warned(); pass != passing {
			flush()
			passing = pass
		}
		run = append(run, Line(r))
	}
	flush()
}

// statusWord pads the verdict so that check names line up.
var statusWord = map[check.Status]string{check.Pass: "PASS ", check.Fail: "FAIL ", check.Error: "ERROR", check.Skipped: "SKIP "}

// word is the verdict as the line starts with it: a check of severity "warning" that did not
// pass is a WARN, whether it failed or could not be decided.
func word(r check.Result) string {
	if r.Warned() {
		return "WARN "
	}
	return statusWord[r.Status]
}

// Line is the report of one check: its verdict, block, subject and description; for a pass what
// was verified, for a failure what was found against what was wanted; whether it took retries;
// then details on lines of their own.
func Line(r check.Result) string {
	var b strings.Builder
	b.WriteString(word(r) + " " + r.Name())
	if r.Description != "" {
		fmt.Fprintf(&b, " (%s)", r.Description)
	}
	switch {
	case r.Status == check.Pass && r.Expectation != "":
		b.WriteString(": " + r.Expectation)
	case r.Status == check.Skipped && r.SkipReason != "":
		b.WriteString(": skipped (" + r.SkipReason + ")")
	case r.Status == check.Skipped:
		b.WriteString(": skipped (skip = true)")
	case r.Warned() && r.Status == check.Error:
		b.WriteString(": could not be checked: " + strings.Join(r.Problems, "; "))
	case len(r.Problems) > 0:
		b.WriteString(": " + strings.Join(r.Problems, "; "))
	}
	switch retries := r.Probes - 1; {
	case retries <= 0:
	case r.Status == check.Pass:
		fmt.Fprintf(&b, "; passed only on retry %d: it did not pass the first probe (slow to come up, or flaky)", retries)
	default:
		fmt.Fprintf(&b, "; still so after %d %s", retries, plural(retries, "retry", "retries"))
	}
	for _, d := range r.Details {
		b.WriteString("\n      " + d)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Counts are how many checks had each verdict. Checks of severity "warning" that did not pass
// count as warnings only.
type Counts struct{ Passed, Failed, Errored, Warnings, Skipped int }

// Count tallies the verdicts.
func Count(results []check.Result) Counts {
	var c Counts
	for _, r := range results {
		switch {
		case r.Warned():
			c.Warnings++
		case r.Status == check.Pass:
			c.Passed++
		case r.Status == check.Fail:
			c.Failed++
		case r.Status == check.Error:
			c.Errored++
		case r.Status == check.Skipped:
			c.Skipped++
		}
	}
	return c
}

// Summary is the closing line: the verdicts counted, and how long the checks took. Warnings and
// skipped checks are counted when there are any.
func Summary(results []check.Result, elapsed time.Duration) string {
	c := Count(results)
	s := fmt.Sprintf("%d passed, %d failed, %d errored", c.Passed, c.Failed, c.Errored)
	if c.Warnings > 0 {
		s += fmt.Sprintf(", %d %s", c.Warnings, plural(c.Warnings, "warning", "warnings"))
	}
	if c.Skipped > 0 {
		s += fmt.Sprintf(", %d skipped", c.Skipped)
	}
	return s + " in " + elapsed.Round(time.Millisecond).String()
}

// Err is the error that fails the build, naming the checks that did not pass; nil if all passed.
func Err(results []check.Result) error {
	var failed []check.Result
	for _, r := range results {
		if r.Failing() {
			failed = append(failed, r)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	c := Count(results)
	warnings := ""
	if c.Warnings > 0 {
		warnings = fmt.Sprintf("; %d %s did not pass either, and do not fail the build", c.Warnings, plural(c.Warnings, "warning", "warnings"))
	}
	return fmt.Errorf("%d of %d checks did not pass (%d failed, %d errored%s): %s", len(failed), len(results), c.Failed, c.Errored, warnings, Names(failed))
}

// Names lists the names of results for a line of the log, the first ten of them.
func Names(results []check.Result) string {
	const shown = 10
	var names []string
	for _, r := range results[:min(len(results), shown)] {
		names = append(names, r.Name())
	}
	list := strings.Join(names, ", ")
	if len(results) > shown {
		list += fmt.Sprintf(" and %d more", len(results)-shown)
	}
	return list
}
