// Package check holds the checks a template declares: what each kind of check expects, how its
// configuration is validated, which facts it needs from the image, and how those facts are judged.
//
// On the data path it sits on both sides of the probe: a Suite asks the probe package for the facts
// its checks need (a probe.Plan), and later judges the facts the probe found (probe.Facts) into
// Results for the report. Nothing here runs anything in the image.
//
// # Adding a kind of check
//
// A kind of check is one file here, KIND.go, beside the kind of fact it needs in package probe
// (see its documentation; a new check may also reuse facts that exist):
//
//  1. A struct with a doc comment on the type and on every field (packer-sdc turns them into the
//     user docs), `mapstructure` tags that read like English, Common (tagged
//     mapstructure:",squash") as its last field (description, skip and severity, which every
//     block takes), and the
//     directives `//go:generate go tool packer-sdc mapstructure-to-hcl2 -type KIND` and
//     `//go:generate go tool packer-sdc struct-markdown` at the top of the file.
//  2. Its methods of Check (Common gives Describe): Kind, the block's name; Subject; Expectation,
//     what a pass verified in words ("not installed", "mode 0644, owner root"); Validate, whose
//     errors start with the attribute (`mode: "999" is not an octal file mode (like "0644")`);
//     Gather, which asks the plan for facts and returns the judge, using judgeFound; the judge,
//     which returns an error when the fact could not be gathered, and otherwise one problem per
//     difference, worded "what is found, want what is expected"; and found, what the probe saw
//     of the subject in a few phrases for the JSON report, whatever the verdict (never a file's
//     content, a command's output, or anything the judge hides).
//  3. A table test of the judge, of found and of Validate, named for the behaviour.
//  4. A field `KIND []check.KIND` in the provisioner's Checks (Kinds finds it there), `make
//     generate`, a section in docs/provisioners/assert.mdx, a row in README.md, a place in the
//     benchmarks' mix (package benchmix), and cases in the catalog fixtures of the acceptance
//     tests (provisioner/assert/test-fixtures/catalog*).
package check

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
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
	// common holds the attributes every check takes: each kind embeds Common.
	common() *Common
	// Expectation says in words what a pass verifies, as the report's PASS line shows it:
	// "not installed", "mode 0644, owner root", "exit status 0, stdout: contains 1".
	Expectation() string
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
	// What the probe saw of the subject, in words, whatever the verdict, for the JSON report:
	// "installed, version 1.2-3 (dpkg)". Never a file's content or a command's output.
	Found []string
}

// Options are the provisioner-wide settings that checks fall back on.
type Options struct {
	CheckTimeout time.Duration // the time limit of a command that sets none of its own
}

// Status is the verdict on one check.
type Status int

// The verdicts.
const (
	Pass    Status = iota
	Fail           // the image differs from the expectation
	Error          // the facts could not be gathered, so nothing was decided
	Skipped        // the check has skip = true: nothing was looked at
)

func (s Status) String() string {
	return [...]string{"passed", "failed", "error", "skipped"}[s]
}

// A Result is the verdict on one check, with what the report needs to explain it.
type Result struct {
	Block       string // the block the check was declared in, like "file[2]"
	Kind        string
	Subject     string
	Description string
	Expectation string // what a pass verifies, in words
	Status      Status
	Problems    []string // for Fail, what differs; for Error, why nothing was decided
	Details     []string
	Found       []string // what the probe saw of the subject, in words, for the JSON report
	Probes      int      // how many probes the check was in: more than 1 when it was retried
	Warning     bool     // the check has severity "warning": if it does not pass, the build goes on
	SkipReason  string   // for Skipped, why, when it is not skip = true: "ssh_host_keys = false"
}

// Failing reports whether the result fails the build: a check that failed or could not be
// decided, and whose severity is not "warning".
func (r Result) Failing() bool { return (r.Status == Fail || r.Status == Error) && !r.Warning }

// Warned reports whether the result is a warning: a check of severity "warning" that failed or
// could not be decided.
func (r Result) Warned() bool { return (r.Status == Fail || r.Status == Error) && r.Warning }

// Name is how the report names the check: its block and subject, like "file[2] /etc/hosts".
func (r Result) Name() string { return r.Block + " " + r.Subject }

// A Declared check is a check with the name of the block it was written in, like "file[2]":
// blocks of a kind are numbered from 0 in the order they appear, as configuration problems are.
type Declared struct {
	Block string
	Check
}

// Declare names each check by its block: its kind, and its position among the checks of that
// kind.
func Declare(checks []Check) []Declared {
	declared := make([]Declared, len(checks))
	seen := map[string]int{}
	for i, c := range checks {
		if e, ok := c.(expanded); ok {
			declared[i] = Declared{e.declaredAs(), c} // one of the checks of one block (see Expander)
			continue
		}
		declared[i] = Declared{fmt.Sprintf("%s[%d]", c.Kind(), seen[c.Kind()]), c}
		seen[c.Kind()]++
	}
	return declared
}

// A Suite is a list of checks together with the plan of what to gather for them.
type Suite struct {
	checks   []Declared
	judges   []Judge
	plan     *probe.Plan
	asked    [][]probe.Request // by check, the requests it made of the plan
	instance func(*probe.Facts) Instance
}

// NewSuite plans the facts that checks need.
func NewSuite(checks []Declared, o Options) *Suite {
	s := &Suite{checks: checks, plan: probe.NewPlan()}
	for _, c := range checks {
		var judge Judge
		mark := s.plan.Asked()
		if !c.common().Skip {
			judge = c.Gather(s.plan, o)
		}
		s.judges = append(s.judges, judge)
		s.asked = append(s.asked, s.plan.AskedSince(mark))
	}
	// after the checks, so that their requests come first in the script
	s.instance = gatherInstance(s.plan)
	return s
}

// Plan is what the probe must gather for the suite.
func (s *Suite) Plan() *probe.Plan { return s.plan }

// Len is the number of checks in the suite.
func (s *Suite) Len() int { return len(s.checks) }

// Waiting lists the checks that wait for a fact the probe, as far as its output so far shows,
// is still gathering (see probe.Progress).
func (s *Suite) Waiting(g *probe.Progress) []Declared {
	pending := map[probe.Request]bool{}
	for _, r := range g.Pending(s.plan) {
		pending[r] = true
	}
	var waiting []Declared
	for i, c := range s.checks {
		for _, r := range s.asked[i] {
			if pending[r] {
				waiting = append(waiting, c)
				break
			}
		}
	}
	return waiting
}

// Instance is what the probe learned of the machine itself.
func (s *Suite) Instance(f *probe.Facts) Instance { return s.instance(f) }

// Judge decides every check of the suite from the facts, in the order the checks were declared.
func (s *Suite) Judge(f *probe.Facts) []Result {
	results := make([]Result, len(s.checks))
	for i, c := range s.checks {
		r := newResult(c)
		if s.judges[i] == nil {
			r.Status, r.Probes = Skipped, 0
			results[i] = r
			continue
		}
		o := s.judges[i](f)
		r.Details, r.Found = o.Details, o.Found
		var skip *SkipError
		switch {
		case errors.As(o.Err, &skip):
			r.Status, r.SkipReason, r.Probes = Skipped, skip.Reason, 0
		case o.Err != nil:
			r.Status, r.Problems = Error, []string{o.Err.Error()}
		case len(o.Problems) > 0:
			r.Status, r.Problems = Fail, o.Problems
		}
		results[i] = r
	}
	return results
}

// newResult is a result on c, a pass until judged otherwise.
func newResult(c Declared) Result {
	return Result{Block: c.Block, Kind: c.Kind(), Subject: c.Subject(), Description: c.Describe(),
		Expectation: c.Expectation(), Probes: 1, Warning: c.common().warning(), SkipReason: c.common().skipReason}
}

// Undecided is the result of a check that no probe could decide, because the probe itself
// failed: an error with the reason (a skipped check stays skipped).
func Undecided(c Declared, err error) Result {
	r := newResult(c)
	r.Status, r.Problems = Error, []string{err.Error()}
	if c.common().Skip {
		r.Status, r.Problems, r.Probes = Skipped, nil, 0
	}
	return r
}

// judgeFact finds a check's fact in the facts the probe found and judges it.
func judgeFact[T any](fact probe.Fact[T], f *probe.Facts, judge func(T) Outcome) Outcome {
	v, err := fact.In(f)
	if err != nil {
		return Outcome{Err: err}
	}
	return judge(v)
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

// joinNonEmpty joins the parts of a sentence that are not empty with commas.
func joinNonEmpty(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ", ")
}

// A Kind is the list of blocks of one kind of check in a configuration, such as every `file`.
type Kind struct {
	Block  string  // the block's name in the template
	Checks []Check // the blocks, in the order they were written
}

// Kinds finds the kinds of check in config, a pointer to a struct: each field that is a slice of
// a check type, or of an Expander, named by its mapstructure tag, in the order of the fields.
// Adding a kind of check to a configuration is adding such a field.
func Kinds(config any) []Kind {
	v := reflect.ValueOf(config).Elem()
	var kinds []Kind
	for i := 0; i < v.NumField(); i++ {
		field, value := v.Type().Field(i), v.Field(i)
		if value.Kind() != reflect.Slice {
			continue
		}
		elem := reflect.PointerTo(field.Type.Elem())
		if !elem.Implements(checkType) && !elem.Implements(expanderType) {
			continue
		}
		kind := Kind{Block: strings.Split(field.Tag.Get("mapstructure"), ",")[0]}
		for j := 0; j < value.Len(); j++ {
			switch block := value.Index(j).Addr().Interface().(type) {
			case Expander:
				kind.Checks = append(kind.Checks, block.Expand(fmt.Sprintf("%s[%d]", kind.Block, j))...)
			case Check:
				kind.Checks = append(kind.Checks, block)
			}
		}
		kinds = append(kinds, kind)
	}
	return kinds
}

// An Expander is a block that stands for several checks, each reported on a line of its own,
// such as hygiene, whose rules are its checks. Expand returns them, given the block's name,
// like "hygiene[0]", which they keep (Declare names them by it).
type Expander interface {
	Expand(block string) []Check
}

// expanded is a check of an Expander's block, which knows the block's name.
type expanded interface {
	declaredAs() string
}

var (
	checkType    = reflect.TypeOf((*Check)(nil)).Elem()
	expanderType = reflect.TypeOf((*Expander)(nil)).Elem()
)
