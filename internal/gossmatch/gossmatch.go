// Package gossmatch holds goss's matcher language, as goss v0.4.9 parses and evaluates it, as
// data: a matcher is parsed once from what a gossfile's YAML or JSON decoder gives for one
// resource attribute, and judged on the host against the value the probe found for it.
//
// On the data path it sits between the gossfiles and the verdicts: package gossfile reads and
// renders the gossfiles into resources with raw attributes, package goss maps each attribute onto
// a fact of package probe and onto a matcher of this package, and the matcher judges the fact.
// Nothing here reads files, runs commands or knows about resources.
//
// # What goss does, and where this package follows it
//
// The ground truth is goss v0.4.9's source, and gomega v1.33.1's matchers that goss wraps:
//
//   - Parse follows resource/gomega.go, matcherToGomegaMatcher: a string is `equal` after goss's
//     to-string transform; an int or float64 is numeric equality after to-numeric; a bool is
//     exact equality; a list is contain-elements WITHOUT the to-array transform (so a string
//     actual is an error); a map holds exactly one matcher: equal, not, and, or, consist-of,
//     contain-element, contain-elements, contain-substring, have-prefix, have-suffix,
//     match-regexp, have-len, have-key, have-patterns, gt, ge, lt, le, semver-constraint and
//     gjson. Those are all the matchers of v0.4.9 (it has no have-key-with-value).
//   - The transforms follow matchers/type_conversion.go: to-string (fmt's %v; a list is joined by
//     newlines), to-numeric (int and float64 as they are, a string or []string parsed by
//     strconv.ParseFloat after trimming white space, anything else refused), to-array (a string
//     is split at newlines) and gjson. Which matcher gets which transform is in the table of
//     Parse's documentation.
//   - The comparisons follow gomega: equal is reflect.DeepEqual, so the Go type of the actual
//     value matters (an int is never equal to a float64, []any never to []string); gt, ge, lt,
//     le and numeric equality compare as floats when either side is a float, else as integers
//     (BeNumerically); contain-elements and consist-of find a largest matching between matchers
//     and elements (gomega's bipartite graph), where a matcher that cannot compare with an
//     element just does not match it; contain-element returns the last comparison error when no
//     element matches; have-len counts the bytes of a string or the elements of a list or map.
//   - Text attributes (a file's contents and its deprecated contains, a command's stdout and
//     stderr, an HTTP body and headers, matching with as-reader: those whose fact goss reads as an
//     io.Reader) follow resource/validate.go, ValidateValue: a list is goss's line patterns
//     (matchers/have_patterns.go, see Patterns), anything else is matched against the whole text
//     as a string (see ParseText). So for every other attribute a list means contain-elements;
//     goss never reads a list as consist-of or equal unless they are written.
//
// # The actual value
//
// Because equal is reflect.DeepEqual and the transforms switch on Go types, a Matcher must be given
// the actual value with the Go type goss's system package gives for the attribute: bool (exists,
// installed, running …), string (mode, owner, a kernel parameter's value …), int (uid, size,
// exit-status, mtu, an HTTP status …), []string (a user's groups, package versions, addresses,
// mount options …), and for the matching resource the decoded YAML or JSON value itself. goss
// reads the rest as text (contents, stdout, stderr, an HTTP body and its headers, one
// "Name: value" a line): see TextMatcher, which must be given the whole text (a text cut short
// could pass "!secret" wrongly). A value of any other Go type is refused with an error.
//
// Likewise raw matchers must come straight from goss's decoders: yaml.v3 gives int for a YAML
// integer (uint64 beyond int64), encoding/json gives float64 for every JSON number, and the
// difference shows: in a JSON gossfile, `uid: {equal: 0}` is never equal to the int 0.
//
// # Errors, never a wrong pass
//
// Match returns an error when the value could not be compared: a transform goss refuses (the
// string "abc" read as a number, a version that is not semver), a value of the wrong shape for the
// matcher (a string for consist-of). goss reports these as failures with an error; our report
// shows them as errors, and not keeps them errors. No path passes without the comparison having
// been made. Where goss itself passes without looking (and: [], an empty list of elements,
// have-patterns: [], gjson: {}), so do we, as the verdicts must be goss's, but Warnings says so.
//
// # Where we differ from goss on purpose
//
// Parse refuses at once what goss would only find out, or crash on, while validating: a matcher
// that is an empty map (goss panics), the line pattern "/" or "!/" (goss panics), a regular
// expression or semver range that does not compile, a gt/ge/lt/le operand that is not an int or
// float64 (goss compares a YAML integer beyond int64 as a negative number, so that 1 is greater
// than 18446744073709551615), a have-patterns entry that is not a string, and a have-len that is
// not a whole number (goss truncates 2.5 to 2). goss fails such a matcher whenever it reaches it;
// it passes one only where it never reaches it (the second matcher of an `or` whose first one
// matched) or where the quirk makes it pass. We refuse it at `packer validate` instead, naming the
// matcher and what to write.
//
// goss walks a map in Go's random order in have-key (over the map's keys) and gjson (over its
// paths): where one key cannot be compared and another matches, goss passes or errs at random. We
// decide the same way every time: have-key is an error when any key cannot be compared, and gjson
// tries its paths in sorted order (so its verdict is goss's; only error or plain failure may
// differ).
//
// # How this is tested
//
// Every case of the tables in cases_test.go names the goss behaviour it pins, and
// TestGossAgrees puts all of them to the goss v0.4.9 binary (matching resources, the loopback
// interface's addresses for a []string, file contents for texts) and wants goss's verdict, or
// judges against goss's output recorded in testdata/goss when the binary is not there.
package gossmatch

import (
	"errors"
	"fmt"
	"strings"
)

// A Matcher is one resource attribute's matcher, parsed: it judges an actual value the way goss
// v0.4.9 would. A Matcher never changes once parsed and may be used by many goroutines.
type Matcher struct {
	n        node
	warnings []string
}

// Result is a matcher's verdict on one value.
type Result struct {
	// OK is true only when the value was compared and satisfies the matcher.
	OK bool
	// Err says why the value could not be compared: neither a pass nor a failure.
	Err error
	// Found says in one line what was compared and, for a failure, what is missing or extra:
	// `"bar"`, `3 (read as a number from "3\n")`, `["a", "b"], missing "c"`. Long values are
	// shortened.
	Found string
	// Want is the matcher's description, as String gives it.
	Want string
}

// String puts a failure in one line: `found "bar", want "foo"`. For an error it is the error.
func (r Result) String() string {
	switch {
	case r.Err != nil:
		return r.Err.Error()
	case r.OK:
		return "found " + r.Found + ", as wanted"
	}
	return "found " + r.Found + ", want " + r.Want
}

// Match reports whether actual satisfies the matcher; err is not nil when actual could not be
// compared with it.
func (m *Matcher) Match(actual any) (bool, error) {
	o := evaluate(m.n, actual, &cx{})
	return o.ok && o.err == nil, o.err
}

// Judge is Match with the words a report needs.
func (m *Matcher) Judge(actual any) Result {
	return m.judge(actual, &cx{})
}

// JudgeHidden is Judge for a value that may hold a secret: Found and Err describe the value (a
// string of 12 bytes, a list of 3 elements) but never show it or any part of it.
func (m *Matcher) JudgeHidden(actual any) Result {
	return m.judge(actual, &cx{hide: true})
}

func (m *Matcher) judge(actual any, c *cx) Result {
	o := evaluate(m.n, actual, c)
	return Result{OK: o.ok && o.err == nil, Err: o.err, Found: o.found, Want: m.n.String()}
}

// Warnings are what Parse noticed that is not wrong but is likely not meant: a matcher that every
// value satisfies, such as and: [] or have-patterns: []. Each starts with its path.
func (m *Matcher) Warnings() []string { return m.warnings }

// evaluate judges a value at the top of a tree: it refuses a value of a Go type that goss never
// gives (a list of int64, say: equal would then fail where goss passes, and not would turn that
// into a pass), and turns a panic into an error rather than a crash of the build.
func evaluate(n node, actual any, c *cx) (o outcome) {
	defer func() {
		if p := recover(); p != nil {
			o = outcome{err: fmt.Errorf("the matcher failed on this value, a bug in packer-plugin-assert: %v", p), found: c.show(actual)}
		}
	}()
	if err := gossType(actual); err != nil {
		return outcome{err: err, found: c.show(actual)}
	}
	return n.eval(actual, c)
}

// gossType accepts the Go types goss's system package gives for a fact, and what its YAML and
// JSON decoders give for a matching resource's content.
func gossType(v any) error {
	switch x := v.(type) {
	case nil, bool, string, int, float64, uint64, []string:
		return nil
	case []any:
		for _, e := range x {
			if err := gossType(e); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		for _, e := range x {
			if err := gossType(e); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("a value of the Go type %T, which goss never gives, cannot be judged as goss would: a bug in packer-plugin-assert", v)
}

// String describes what the matcher wants, in words that follow "want": `"nginx"`,
// `containing "nginx"`, `greater than 3`, `not (starting with "#")`.
func (m *Matcher) String() string { return m.n.String() }

// A ParseError is one problem with a matcher as written. Path leads from the attribute to the
// matcher at fault, like `and[1].have-prefix`; it is empty for the attribute's own value.
type ParseError struct {
	Path string
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Parse reads one attribute's matcher as goss's decoder gives it (nil, string, int, float64,
// bool, []any, map[string]any; anything else is refused as goss refuses it). The error, when not
// nil, joins a *ParseError for every problem found.
//
// How goss reads each form, and the transform it puts in front of the comparison:
//
//	"text"                  to-string, then equal            (the actual 3 matches "3")
//	3, 2.5                  to-numeric, then numeric equal   ("3\n" matches 3)
//	true                    equal, no transform
//	[m1, m2]                contain-elements, no transform    (a string actual is an error)
//	equal: v                reflect.DeepEqual, no transform
//	have-prefix, have-suffix, contain-substring, match-regexp: "s"
//	                        to-string, then the string test
//	gt, ge, lt, le: n       to-numeric, then the comparison
//	contain-element: m      to-array (a string is split at newlines); m: a map, string or number
//	contain-elements: [ms]  to-array
//	consist-of: [ms]        no transform: every element matched by one matcher, and every matcher used
//	have-len: n             no transform: bytes of a string, elements of a list or map
//	have-key: m             no transform: some key of a map matches m
//	have-patterns: [s]      to-string, then line patterns (see Patterns)
//	semver-constraint: "r"  no transform: a string or a non-empty list of semver strings, all in range r
//	gjson: {path: m, …}     each path of the JSON string (no to-string) must exist and match m
//	not: m, and: [ms], or: [ms]
func Parse(raw any) (*Matcher, error) {
	var p parser
	n := p.parse(raw, "")
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return &Matcher{n: n, warnings: p.warnings}, nil
}

// IsSet reports whether goss tests an attribute it reads as text (file contents, command stdout
// and stderr, http body): goss skips one that is missing or an empty list (resource.go, isSet).
// Every other attribute is tested whenever it is not nil.
func IsSet(raw any) bool {
	if l, ok := raw.([]any); ok {
		return len(l) > 0
	}
	return raw != nil
}

// A node is one matcher of the tree Parse builds.
type node interface {
	eval(actual any, c *cx) outcome
	// String describes the matcher after "want".
	String() string
}

// An outcome is a node's verdict: ok without err is a match.
type outcome struct {
	ok    bool
	err   error
	found string
}

func fail(found string) outcome              { return outcome{found: found} }
func pass(found string) outcome              { return outcome{ok: true, found: found} }
func refuse(found string, err error) outcome { return outcome{err: err, found: found} }

// cx is what an evaluation carries down the tree: whether values may be shown.
type cx struct {
	hide bool
}

func (c *cx) show(v any) string {
	if c.hide {
		return hidden(v)
	}
	return show(v)
}

// joinDescriptions lists descriptions of submatchers, with parentheses around those that are
// themselves lists, so that "a and (b or c)" reads as meant.
func joinDescriptions(ns []node, sep string) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = n.String()
		switch n.(type) {
		case *andNode, *orNode:
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, sep)
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
