package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type Command
//go:generate go tool packer-sdc struct-markdown

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// Command runs a command line in the image and checks its exit status and output.
type Command struct {
	// The command line, run by `sh -c` as the provisioner's user (root with `use_sudo`).
	Run string `mapstructure:"run" required:"true"`
	// The exit status the command must end with. Defaults to `0`.
	ExitStatus *int `mapstructure:"exit_status"`
	// Matchers for what the command prints on stdout. At most 1 MiB is kept.
	Stdout Matchers `mapstructure:"stdout"`
	// Matchers for what the command prints on stderr. At most 1 MiB is kept.
	Stderr Matchers `mapstructure:"stderr"`
	// How long the command may run, like `"10s"`; then it is stopped with all its child processes,
	// and the check fails. Defaults to the provisioner's `check_timeout`.
	Timeout time.Duration `mapstructure:"timeout"`
	Common  `mapstructure:",squash"`
}

// outputTail is how many lines of each output a failed command shows in the report.
const outputTail = 10

func (c *Command) Kind() string { return "command" }
func (c *Command) Subject() string {
	s := strings.Join(strings.Fields(c.Run), " ")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:57]) + "..."
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return strconv.Quote(s) // control bytes or invalid UTF-8 stay out of the build log
	}
	return `"` + s + `"`
}

func (c *Command) Expectation() string {
	return joinNonEmpty(fmt.Sprintf("exit status %d", c.exitStatus()), c.Stdout.describe("stdout"), c.Stderr.describe("stderr"))
}

func (c *Command) Validate() []error {
	var errs []error
	switch {
	case strings.TrimSpace(c.Run) == "":
		errs = append(errs, attrErrorf("run", "is required"))
	case strings.IndexByte(c.Run, 0) >= 0:
		errs = append(errs, attrErrorf("run", "contains a NUL byte"))
	}
	if c.ExitStatus != nil && (*c.ExitStatus < 0 || *c.ExitStatus > 255) {
		errs = append(errs, attrErrorf("exit_status", "%d is not an exit status (0 to 255)", *c.ExitStatus))
	}
	if c.Timeout < 0 {
		errs = append(errs, attrErrorf("timeout", "%s is negative", c.Timeout))
	}
	errs = append(errs, c.Stdout.validate("stdout")...)
	return append(errs, c.Stderr.validate("stderr")...)
}

func (c *Command) Gather(p *probe.Plan, o Options) Judge {
	limit := c.Timeout
	if limit == 0 {
		limit = o.CheckTimeout
	}
	fact := p.Command(probe.Command{Run: c.Run, Timeout: limit})
	return func(f *probe.Facts) Outcome {
		return judgeFound(fact, f, func(r probe.CommandResult) Outcome { return c.judge(r, limit) },
			func(r probe.CommandResult) []string { return c.found(r, limit) })
	}
}

func (c *Command) judge(r probe.CommandResult, limit time.Duration) Outcome {
	switch {
	case r.Err != "":
		return errorf("%s", r.Err)
	case r.OverLimit:
		return errorf("the command wrote more than %d MiB, to its output or to a file, and was stopped there "+
			"(SIGXFSZ): the probe limits what a command may write, so that a runaway command cannot fill the image's disk", probe.OutputLimit>>20)
	}
	var p problems
	switch want := c.exitStatus(); {
	case r.TimedOut:
		p.addf("timed out after %s and was stopped", limit)
	case r.ExitStatus != want:
		p.addf("exit status is %d, want %d", r.ExitStatus, want)
	}
	var details, near []string
	forbidden := false
	for _, out := range []struct {
		name      string
		m         Matchers
		text      []byte
		truncated bool
	}{
		{"stdout", c.Stdout, r.Stdout, r.StdoutTruncated},
		{"stderr", c.Stderr, r.Stderr, r.StderrTruncated},
	} {
		if !out.m.empty() && out.truncated {
			return errorf("%s: the command printed more than the %d bytes kept for matching", out.name, probe.ContentLimit)
		}
		line, closest := out.m.check(out.name, out.text, &p)
		near = append(near, closest...)
		if line > 0 {
			forbidden = true
			details = append(details, fmt.Sprintf("%s: not shown, since it holds text that not_contains or not_matches forbids (line %d)", out.name, line))
		}
	}
	o := p.outcome()
	switch {
	case len(p) == 0:
	case forbidden:
		// A forbidden match may be a secret, and the other output may hold it too: show neither.
		o.Details = append(details, "stdout and stderr are not shown: one of them holds forbidden text")
	default:
		o.Details = append(near, append(tail("stdout", r.Stdout, r.StdoutTruncated), tail("stderr", r.Stderr, r.StderrTruncated)...)...)
	}
	return o
}

func (c *Command) exitStatus() int {
	if c.ExitStatus == nil {
		return 0
	}
	return *c.ExitStatus
}

// tail returns the last lines of an output for the report, headed by its name, with control
// characters made visible.
func tail(name string, out []byte, truncated bool) []string {
	if truncated {
		name += fmt.Sprintf(" (its first %d bytes)", probe.ContentLimit)
	}
	out = bytes.TrimSuffix(out, []byte("\n"))
	if len(out) == 0 {
		return []string{name + ": (empty)"}
	}
	lines := bytes.Split(out, []byte("\n"))
	head := name + ":"
	if len(lines) > outputTail {
		head = fmt.Sprintf("%s (last %d of %d lines):", name, outputTail, len(lines))
		lines = lines[len(lines)-outputTail:]
	}
	result := []string{head}
	for _, l := range lines {
		result = append(result, "  "+visible(l))
	}
	return result
}
