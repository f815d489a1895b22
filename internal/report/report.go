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
		if pass := r.Status == check.Pass; pass != passing {
			flush()
			passing = pass
		}
		run = append(run, Line(r))
	}
	flush()
	ui.Say(Summary(results, elapsed))
}

// statusWord pads the verdict so that check names line up.
var statusWord = map[check.Status]string{check.Pass: "PASS ", check.Fail: "FAIL ", check.Error: "ERROR"}

// Line is the report of one check: its verdict, block, subject and description; for a pass what
// was verified, for a failure what was found against what was wanted; whether it took retries;
// then details on lines of their own.
func Line(r check.Result) string {
	var b strings.Builder
	b.WriteString(statusWord[r.Status] + " " + r.Name())
	if r.Description != "" {
		fmt.Fprintf(&b, " (%s)", r.Description)
	}
	switch {
	case r.Status == check.Pass && r.Expectation != "":
		b.WriteString(": " + r.Expectation)
	case len(r.Problems) > 0:
		b.WriteString(": " + strings.Join(r.Problems, "; "))
	}
	switch retries := r.Probes - 1; {
	case retries <= 0:
	case r.Status == check.Pass:
		fmt.Fprintf(&b, "; passed only on retry %d, after failing before (flaky?)", retries)
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

// Counts are how many checks had each verdict.
type Counts struct{ Passed, Failed, Errored int }

// Count tallies the verdicts.
func Count(results []check.Result) Counts {
	var c Counts
	for _, r := range results {
		switch r.Status {
		case check.Pass:
			c.Passed++
		case check.Fail:
			c.Failed++
		default:
			c.Errored++
		}
	}
	return c
}

// Summary is the closing line: the verdicts counted, and how long the checks took.
func Summary(results []check.Result, elapsed time.Duration) string {
	c := Count(results)
	return fmt.Sprintf("%d passed, %d failed, %d errored in %s", c.Passed, c.Failed, c.Errored, elapsed.Round(time.Millisecond))
}

// Err is the error that fails the build, naming the checks that did not pass; nil if all passed.
func Err(results []check.Result) error {
	var failed []check.Result
	for _, r := range results {
		if r.Status != check.Pass {
			failed = append(failed, r)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	c := Count(results)
	return fmt.Errorf("%d of %d checks did not pass (%d failed, %d errored): %s", len(failed), len(results), c.Failed, c.Errored, Names(failed))
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
