// Package check holds the checks a template declares: what each kind of check expects, how its
// configuration is validated, which facts it needs from the image, and how those facts are judged.
//
// On the data path it sits on both sides of the probe: a Suite asks the probe package for the facts
// its checks need (a probe.Plan), and later judges the facts the probe found (probe.Facts) into
// Results for the report. Nothing here runs anything in the image.
package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type File,Package,Service,Port,User,Group,Command,Matchers

import (
	"fmt"
	"time"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// A Check is one declared expectation about the image.
type Check interface {
	// Kind is the name of the check's block in the template: "file", "package", …
	Kind() string
	// Subject is what the check is about: a path, a name, "tcp/80", a command line.
	Subject() string
	// Describe is the user's description of the check, if any.
	Describe() string
	// Validate reports every problem with the check's configuration. Each error starts with the
	// attribute it is about, such as `mode: "999" is not an octal file mode`.
	Validate() []error
	// Gather adds the facts the check needs to the plan and returns the function that judges them.
	Gather(p *probe.Plan, o Options) Judge
}

// A Judge decides a check from the facts the probe found.
type Judge func(f *probe.Facts) Outcome

// An Outcome is a judge's decision: no problems is a pass.
type Outcome struct {
	Problems []string // what differs from the expectation: "mode is 0600, want 0644"
	Err      error    // the facts could not be gathered: the check is neither passed nor failed
	Details  []string // what helps to understand a failure, such as a command's output
}

// Options are the provisioner-wide settings that checks fall back on.
type Options struct {
	CheckTimeout time.Duration // the time limit of a command that sets none of its own
}

// Status is the verdict on one check.
type Status int

// The verdicts.
const (
	Pass  Status = iota
	Fail         // the image differs from the expectation
	Error        // the facts could not be gathered, so nothing was decided
)

func (s Status) String() string {
	return [...]string{"passed", "failed", "error"}[s]
}

// A Result is the verdict on one check, with what the report needs to explain it.
type Result struct {
	Kind        string
	Subject     string
	Description string
	Status      Status
	Problems    []string // for Fail, what differs; for Error, why nothing was decided
	Details     []string
}

// Name is how the report names the check: its kind and subject.
func (r Result) Name() string { return r.Kind + " " + r.Subject }

// A Suite is a list of checks together with the plan of what to gather for them.
type Suite struct {
	checks []Check
	judges []Judge
	plan   *probe.Plan
}

// NewSuite plans the facts that checks need.
func NewSuite(checks []Check, o Options) *Suite {
	s := &Suite{checks: checks, plan: probe.NewPlan()}
	for _, c := range checks {
		s.judges = append(s.judges, c.Gather(s.plan, o))
	}
	return s
}

// Plan is what the probe must gather for the suite.
func (s *Suite) Plan() *probe.Plan { return s.plan }

// Len is the number of checks in the suite.
func (s *Suite) Len() int { return len(s.checks) }

// Judge decides every check of the suite from the facts, in the order the checks were declared.
func (s *Suite) Judge(f *probe.Facts) []Result {
	results := make([]Result, len(s.checks))
	for i, c := range s.checks {
		o := s.judges[i](f)
		r := Result{Kind: c.Kind(), Subject: c.Subject(), Description: c.Describe(), Details: o.Details}
		switch {
		case o.Err != nil:
			r.Status, r.Problems = Error, []string{o.Err.Error()}
		case len(o.Problems) > 0:
			r.Status, r.Problems = Fail, o.Problems
		}
		results[i] = r
	}
	return results
}

// attrError is a configuration problem with one attribute of a check.
type attrError struct {
	attr string
	msg  string
}

func (e attrError) Error() string { return e.attr + ": " + e.msg }

func attrErrorf(attr, format string, args ...any) error {
	return attrError{attr, fmt.Sprintf(format, args...)}
}

// boolOr returns the value of a boolean attribute, or def when it was not set.
func boolOr(b config.Trilean, def bool) bool {
	if b == config.TriUnset {
		return def
	}
	return b.True()
}

// errorf makes the Err of an Outcome.
func errorf(format string, args ...any) Outcome {
	return Outcome{Err: fmt.Errorf(format, args...)}
}

// problems collects the differences between expectation and fact.
type problems []string

func (p *problems) addf(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p problems) outcome() Outcome { return Outcome{Problems: p} }

// presence checks a subject that should, or should not, be there, and reports whether its other
// expectations can be checked: only when it is there and should be.
func (p *problems) presence(want, found bool, foundUnwanted, missing string) bool {
	switch {
	case !want && found:
		p.addf("%s", foundUnwanted)
	case want && !found:
		p.addf("%s", missing)
	}
	return want && found
}

// requireName is the usual check that a subject attribute is set and holds no NUL or newline.
func requireName(attr, value string) []error {
	switch {
	case value == "":
		return []error{attrErrorf(attr, "is required")}
	case containsAny(value, "\x00\n"):
		return []error{attrErrorf(attr, "%q contains a NUL byte or a newline", value)}
	}
	return nil
}

func containsAny(s, chars string) bool {
	for i := 0; i < len(s); i++ {
		for j := 0; j < len(chars); j++ {
			if s[i] == chars[j] {
				return true
			}
		}
	}
	return false
}
