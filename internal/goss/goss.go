// Package goss turns the resources of goss v0.4.9 suites into checks: each attribute of each
// resource becomes one Check, which asks the probe for the facts goss would measure, converts
// them into the Go value goss's system package would have given (a mode as the string "0644", a
// port's addresses as strings like "0.0.0.0" and "::", a user's groups sorted), and judges that
// value with the attribute's matcher, parsed by package gossmatch.
//
// On the data path it sits between the gossfiles and the checks: package gossfile reads and
// renders the suites into resources; Checks maps them here; package check wraps each Check into
// a check of kind "goss", which runs in the same probe as the HCL checks.
//
// # How it follows goss
//
// The ground truth is goss v0.4.9's source: resource/*.go says which attributes a resource tests,
// in which order and under which condition (a matcher that is set; for the attributes goss reads
// as text, one that is not an empty list), and system/*.go what goss measures. Each resource's
// builder in resources.go names the goss functions it follows. Where goss's resource skips its
// other attributes once the first did not pass or measured false (shouldSkip: file, package,
// port, user, group, dns, mount, interface, http), so do these checks: when the first passed
// with false (exists: false of a file that is not there) the others are skipped, as goss skips
// them; when it did not pass, they are errors ("not checked"), so that a retry checks them again.
//
// The verdicts map onto goss's: goss's pass is Pass; its failure of a value it compared is Fail;
// its failure with an error, where it measured or compared nothing (a mount point that is not
// mounted, a kernel parameter that does not exist, a URL that gives no response, a command past
// its time limit, a string that is no number), is Error, which fails the build as well. Whatever
// the probe could not see (a missing tool, permission denied, an output cut short) is Error too:
// goss would have measured something, and which it would be is not known.
//
// # Where it differs from goss on purpose
//
//   - Problems goss finds only while validating, or never, are errors at `packer validate`,
//     each naming the gossfile, the resource and the attribute: a required matcher that is missing
//     (goss fails the resource with "Missing required attribute"), a matcher goss cannot parse, a
//     relative or ~ path (goss resolves it from its working folder or its user's home, which the
//     probe does not share), and what the probe cannot do: an HTTP request with headers, a body,
//     credentials, client certificates or a proxy; a DNS query to a named server; a UDP or
//     local-address addr; a service's runlevels outside systemd.
//   - A value that may not reflect the image is trusted only for a failure: a process not found
//     while some processes could not be seen, a name that did not resolve for a reason other than
//     not existing, a connection that failed where the resolver may be at fault. goss would
//     measure false there; a matcher that passes on that false is an error here.
//   - A command's time limit is judged in hundredths of a second, on the time the probe measures
//     in the image; the other time limits (dns, addr, http) are whole seconds in the image, a goss
//     timeout in milliseconds rounded up, with a warning.
//   - See docs/provisioners/assert.mdx, "Goss suites", for the differences of measurement (a
//     package's state, a service's enabled state, UDP sockets, the probe's own processes).
package goss

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/assertkit/packer-plugin-assert/internal/gossfile"
	"github.com/assertkit/packer-plugin-assert/internal/gossmatch"
	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// A Check is one attribute of one goss resource: what goss tests and reports as one result.
type Check struct {
	Resource gossfile.Resource
	// Attr is the attribute as written in the gossfile: "exit-status", "mode", "versions".
	Attr string

	value *gossmatch.Matcher     // the attribute's matcher, for a value
	text  *gossmatch.TextMatcher // or for a text (contents, stdout, stderr, headers, body)
	// measure asks the plan for the facts and returns what goss would have measured.
	measure measure
	// first is the resource's first attribute, when goss skips this one after it (shouldSkip).
	first *Check
}

// A measured value is what goss would have measured for an attribute, or why it cannot be told.
type measured struct {
	value any    // goss's Go value: bool, string, int or []string
	text  []byte // for an attribute goss reads as text
	// why no value could be measured: goss's own measurement fails (a mount point that is not
	// mounted, a command past its time limit), or the probe could not see what goss would
	// measure (permission denied, a missing tool). The check is an error with this.
	err string
	// the value is goss's, but the image may differ: a match is not trusted, for this reason.
	doubt string
	hide  bool     // the value may hold a secret: judged without showing it
	notes []string // details for a failure, such as a command's output
}

// Status is a goss check's verdict.
type Status int

// The verdicts.
const (
	Pass  Status = iota
	Fail         // the value was seen, and it does not match
	Error        // no value was measured, or it could not be compared: nothing was decided
	Skip         // goss skips the attribute: the resource's first attribute measured false
)

func (s Status) String() string { return [...]string{"pass", "fail", "error", "skip"}[s] }

// A Verdict is a goss check's verdict, with what the report needs.
type Verdict struct {
	Status  Status
	Problem string   // for Fail and Error, what was found against what was wanted, or why nothing was decided; for Skip, why
	Details []string // what helps to understand a failure
	Found   []string // what was measured, in words, never a secret or a text's content
	value   any      // the measured value, for the attributes after the first
}

// Subject names the check in the report, as "TYPE ID ATTRIBUTE": "file /etc/motd mode".
func (c *Check) Subject() string { return c.Resource.Type + " " + c.Resource.ID + " " + c.Attr }

// Title is the resource's goss title.
func (c *Check) Title() string {
	t, _ := c.Resource.Attrs["title"].(string)
	return t
}

// Skip reports whether the resource has skip: true.
func (c *Check) Skip() bool {
	s, _ := c.Resource.Attrs["skip"].(bool)
	return s
}

// Meta is the resource's goss meta as one line, keys sorted, like `meta: {"owner":"web"}`, or ""
// when it has none.
func (c *Check) Meta() string {
	m, ok := c.Resource.Attrs["meta"].(map[string]any)
	if !ok || len(m) == 0 {
		return ""
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(jsonable(m)); err != nil {
		return fmt.Sprintf("meta: %v", m)
	}
	return "meta: " + strings.TrimSuffix(b.String(), "\n")
}

// jsonable makes a decoded YAML value encodable as JSON: maps with keys that are no strings get
// their keys written with %v, and dates become text.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = jsonable(e)
		}
		return m
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = jsonable(e)
		}
		return l
	case time.Time:
		return x.Format(time.RFC3339Nano)
	}
	return v
}

// Expectation says what a pass verified, after the subject that names the attribute: `"0644"`,
// `a line containing "ok"`.
func (c *Check) Expectation() string {
	if c.text != nil {
		return c.text.String()
	}
	if c.value != nil {
		return c.value.String()
	}
	return ""
}

// A Judge decides a check from the facts the probe found.
type Judge func(f *probe.Facts) Verdict

// Gather asks p for the facts the check needs, the first attribute's too when the check
// depends on it, and returns the function that judges them.
func (c *Check) Gather(p *probe.Plan) Judge {
	own := c.gatherOwn(p)
	if c.first == nil {
		return own
	}
	first := c.first.gatherOwn(p)
	return func(f *probe.Facts) Verdict {
		v := first(f)
		switch {
		case v.Status == Pass && v.value == false:
			return Verdict{Status: Skip, Problem: fmt.Sprintf("goss skips it when %s is false", c.first.Attr)}
		case v.Status != Pass:
			// goss skips it too, but reporting it as skipped would let a retry that makes the
			// first attribute pass leave this one unchecked
			return Verdict{Status: Error, Problem: fmt.Sprintf("not checked, because %s did not pass (goss skips it then)", c.first.Attr)}
		}
		return own(f)
	}
}

// gatherOwn gathers and judges the check's own attribute.
func (c *Check) gatherOwn(p *probe.Plan) Judge {
	m := c.measure(p)
	return func(f *probe.Facts) Verdict { return c.judge(m(f)) }
}

// judge compares a measured value with the matcher.
func (c *Check) judge(m measured) Verdict {
	if m.err != "" {
		return Verdict{Status: Error, Problem: m.err, Details: m.notes}
	}
	var r gossmatch.Result
	switch {
	case c.text != nil:
		r = c.text.Judge(m.text)
	case m.hide:
		r = c.value.JudgeHidden(m.value)
	default:
		r = c.value.Judge(m.value)
	}
	v := Verdict{value: m.value}
	if r.Found != "" {
		v.Found = []string{r.Found}
	}
	switch {
	case r.Err != nil:
		v.Status, v.Problem = Error, r.Err.Error()
	case !r.OK:
		v.Status, v.Problem, v.Details = Fail, r.String(), m.notes
	case m.doubt != "":
		v.Status, v.Problem = Error, fmt.Sprintf("found %s, which would pass, but that may not be so in the image: %s", r.Found, m.doubt)
	}
	return v
}

// Checks maps resources onto checks, in the order goss tests them: resource by resource, each
// attribute in goss's order. errs holds every problem that keeps a resource from being checked
// as goss would, each a *gossfile.Error naming the gossfile, the resource and the attribute;
// warnings are what is likely not meant, or done differently from goss.
func Checks(resources []gossfile.Resource) (checks []*Check, errs []error, warnings []string) {
	for _, r := range resources {
		b := &builder{r: r}
		build, ok := builders[r.Type]
		if !ok {
			b.errorf("", "goss resources of type %q cannot be checked", r.Type)
		} else {
			build(b)
			b.unchecked()
		}
		if b.skip() {
			// goss never looks at the matchers of a skipped resource: a problem with one is only
			// worth a warning
			b.warns = append(b.warns, b.errs...)
			b.errs = nil
		}
		for _, e := range b.errs {
			errs = append(errs, &gossfile.Error{File: r.File, Line: r.Line, Type: r.Type, ID: r.ID, Attr: e.attr, Problem: e.msg})
		}
		for _, w := range b.warns {
			warnings = append(warnings, (&gossfile.Error{File: r.File, Line: r.Line, Type: r.Type, ID: r.ID, Attr: w.attr, Problem: w.msg}).Error())
		}
		if len(b.errs) == 0 {
			checks = append(checks, b.checks...)
		}
	}
	return checks, errs, warnings
}

// unchecked warns of what goss silently tests nothing for: an attribute that is null (~, or no
// value at all) or an empty list and made no check, and a resource with no check at all.
func (b *builder) unchecked() {
	checked := map[string]bool{}
	for _, c := range b.checks {
		checked[c.Attr] = true
	}
	keys := make([]string, 0, len(b.r.Attrs))
	for k := range b.r.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if checked[k] || (b.r.Type == "matching" && k == "content") { // content is compared, whatever it is
			continue
		}
		switch v := b.r.Attrs[k].(type) {
		case nil:
			b.warnf(k, "is null (~, or no value): goss ignores it, so nothing is checked for it; give it a value or remove it")
		case []any:
			if len(v) == 0 {
				b.warnf(k, "is an empty list: goss tests nothing for it, so nothing is checked for it; give it a value or remove it")
			}
		}
	}
	if len(b.checks) == 0 && len(b.errs) == 0 && !b.skip() {
		b.warnf("", "has no attribute that goss tests, so nothing is checked for it (goss reports nothing for it either); add one, like %s", example(firstOf[b.r.Type]))
	}
}

// firstOf is the attribute a resource of each type is most often checked by, for a hint.
var firstOf = map[string]string{"file": "exists", "package": "installed", "service": "running", "port": "listening",
	"user": "exists", "group": "exists", "command": "exit-status", "process": "running", "kernel-param": "value",
	"mount": "exists", "http": "status", "addr": "reachable", "dns": "resolvable", "interface": "exists", "matching": "matches"}

// problem is a problem with one attribute of a resource.
type problem struct{ attr, msg string }

// builder collects the checks of one resource, and its problems.
type builder struct {
	r      gossfile.Resource
	checks []*Check
	first  *Check // the attribute the others depend on, if the type has one
	errs   []problem
	warns  []problem
}

func (b *builder) errorf(attr, format string, args ...any) {
	b.errs = append(b.errs, problem{attr, fmt.Sprintf(format, args...)})
}

func (b *builder) warnf(attr, format string, args ...any) {
	b.warns = append(b.warns, problem{attr, fmt.Sprintf(format, args...)})
}

func (b *builder) skip() bool {
	s, _ := b.r.Attrs["skip"].(bool)
	return s
}

// raw is an attribute's value as decoded, and whether goss tests it: it is there and not null.
func (b *builder) raw(attr string) (any, bool) {
	v, ok := b.r.Attrs[attr]
	return v, ok && v != nil
}

func (b *builder) str(attr string) string {
	s, _ := b.r.Attrs[attr].(string)
	return s
}

func (b *builder) boolean(attr string) bool {
	v, _ := b.r.Attrs[attr].(bool)
	return v
}

func (b *builder) int(attr string) int {
	v, _ := b.r.Attrs[attr].(int)
	return v
}

// The ways an attribute is tested.
const (
	optional  = iota // when its matcher is there and not null
	required         // always: without a matcher goss fails it ("Missing required attribute")
	firstAttr        // required, and the attributes after it are skipped as goss skips them
)

// add adds the check of an attribute whose value goss compares, as goss's ValidateValue does.
func (b *builder) add(attr string, how int, measure measure) {
	raw, set := b.raw(attr)
	if !set {
		if how != optional {
			b.errorf(attr, "is missing: goss v0.4.9 requires it, and fails the %s without it (\"Missing required attribute\"); add it, like %s", b.r.Type, example(attr))
		}
		return
	}
	m, err := gossmatch.Parse(raw)
	if err != nil {
		b.errorf(attr, "%v", err)
		return
	}
	for _, w := range m.Warnings() {
		b.warnf(attr, "%s", w)
	}
	b.push(&Check{Resource: b.r, Attr: attr, value: m, measure: measure}, how)
}

// addText adds the check of an attribute goss reads as text: tested only when set and not an
// empty list (goss's isSet), a list being line patterns.
func (b *builder) addText(attr string, measure measure) {
	raw, _ := b.raw(attr)
	if !gossmatch.IsSet(raw) {
		return
	}
	m, err := gossmatch.ParseText(raw)
	if err != nil {
		b.errorf(attr, "%v", err)
		return
	}
	for _, w := range m.Warnings() {
		b.warnf(attr, "%s", w)
	}
	b.push(&Check{Resource: b.r, Attr: attr, text: m, measure: measure}, optional)
}

func (b *builder) push(c *Check, how int) {
	if how == firstAttr {
		b.first = c
	} else {
		c.first = b.first
	}
	b.checks = append(b.checks, c)
}

// example shows how a required attribute is written.
func example(attr string) string {
	switch attr {
	case "exit-status":
		return "exit-status: 0"
	case "status":
		return "status: 200"
	case "matches":
		return "matches: [...]"
	case "value":
		return `value: "1"`
	}
	return attr + ": true"
}

// atoi is goss's deprecateAtoI: a string where a number belongs is read as a float64, with a
// deprecation warning; one that is no integer makes goss crash, and is an error here.
func (b *builder) atoi(attr string) {
	s, ok := b.r.Attrs[attr].(string)
	if !ok {
		return
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		b.errorf(attr, "%q is not an integer: goss v0.4.9 crashes on it; write a number, like %s: 0", s, attr)
		return
	}
	b.warnf(attr, "%q should be an integer, not a string (goss reads it as %d, with a deprecation warning)", s, n)
	b.r.Attrs = copyAttrs(b.r.Attrs)
	b.r.Attrs[attr] = float64(n)
}

func copyAttrs(a map[string]any) map[string]any {
	c := make(map[string]any, len(a))
	for k, v := range a {
		c[k] = v
	}
	return c
}

// millis is a goss timeout attribute in milliseconds, or its default when 0 or not set (goss's
// "if Timeout == 0"). With exact, the limit is judged on the time the probe measures (a
// command's); otherwise the probe's limit is whole seconds, and a limit it rounds up, given or
// goss's default (500 ms for dns and addr), is warned of.
func (b *builder) millis(attr string, def int, exact bool) time.Duration {
	ms := b.int(attr)
	given := true
	switch {
	case ms < 0:
		b.errorf(attr, "%d is negative: give the time limit in milliseconds, like %s: %d", ms, attr, def)
		return time.Duration(def) * time.Millisecond
	case ms == 0:
		ms, given = def, false
	}
	if !exact && ms%1000 != 0 {
		what := fmt.Sprintf("%d ms", ms)
		if !given {
			what = fmt.Sprintf("goss's default time limit of %d ms", ms)
		}
		b.warnf(attr, "%s is rounded up to %d s: the probe's time limits for this are whole seconds", what, (ms+999)/1000)
	}
	return time.Duration(ms) * time.Millisecond
}

// name checks the attribute (or key) that names what a resource is about: a name the probe can
// carry to the image.
func (b *builder) name(what string) string {
	s := b.r.Subject
	attr := subjectAttr[b.r.Type]
	if _, set := b.r.Attrs[attr]; !set {
		attr = ""
	}
	switch {
	case s == "":
		b.errorf(attr, "the %s is empty: name it", what)
	case strings.ContainsAny(s, "\x00\n"):
		b.errorf(attr, "the %s %q holds a NUL byte or a newline, which the probe cannot carry", what, s)
	}
	return s
}

// subjectAttr is the attribute that names what each type of resource is about, when set.
var subjectAttr = map[string]string{"file": "path", "package": "name", "addr": "address", "port": "port",
	"service": "name", "user": "username", "group": "groupname", "command": "exec", "dns": "resolve",
	"process": "comm", "kernel-param": "name", "mount": "mountpoint", "interface": "name", "http": "url"}

// A measure asks a plan for the facts of an attribute, and returns what goss would have
// measured from the facts the probe found.
type measure = func(p *probe.Plan) func(f *probe.Facts) measured

// from measures with one fact: ask gets its handle from the plan, conv converts the fact.
func from[T any](ask func(*probe.Plan) probe.Fact[T], conv func(T) measured) measure {
	return func(p *probe.Plan) func(*probe.Facts) measured {
		h := ask(p)
		return func(f *probe.Facts) measured {
			v, err := h.In(f)
			if err != nil {
				return measured{err: err.Error()}
			}
			return conv(v)
		}
	}
}

// from2 measures with two facts.
func from2[T, U any](askT func(*probe.Plan) probe.Fact[T], askU func(*probe.Plan) probe.Fact[U], conv func(T, U) measured) measure {
	return func(p *probe.Plan) func(*probe.Facts) measured {
		ht, hu := askT(p), askU(p)
		return func(f *probe.Facts) measured {
			t, err := ht.In(f)
			if err != nil {
				return measured{err: err.Error()}
			}
			u, err := hu.In(f)
			if err != nil {
				return measured{err: err.Error()}
			}
			return conv(t, u)
		}
	}
}

// fixed measures without looking at the image: goss's value is known beforehand.
func fixed(m measured) measure {
	return func(*probe.Plan) func(*probe.Facts) measured { return func(*probe.Facts) measured { return m } }
}

// valueOf is a measured value.
func valueOf(v any) measured { return measured{value: v} }

// textOf is a measured text.
func textOf(b []byte) measured { return measured{text: b} }

// planMemo remembers one fact handle per plan, for facts that a plan would otherwise gather once
// per request (commands): the attributes of one resource share one run, as in goss. It holds the
// plan it was made for, so that plan cannot be freed and its address taken by another.
type planMemo[T any] struct {
	mu   sync.Mutex
	plan *probe.Plan
	h    probe.Fact[T]
}

func (m *planMemo[T]) get(p *probe.Plan, ask func() probe.Fact[T]) probe.Fact[T] {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.plan != p {
		m.plan, m.h = p, ask()
	}
	return m.h
}

// sortedStrings returns a sorted copy.
func sortedStrings(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

// outputTail is how many lines of a command's output a failure shows.
const outputTail = 10

// tail returns the last lines of an output for the report, headed by its name.
func tail(name string, out []byte) []string {
	out = bytes.TrimSuffix(out, []byte("\n"))
	if len(out) == 0 {
		return []string{name + ": (empty)"}
	}
	lines := strings.Split(string(out), "\n")
	head := name + ":"
	if len(lines) > outputTail {
		head = fmt.Sprintf("%s (last %d of %d lines):", name, outputTail, len(lines))
		lines = lines[len(lines)-outputTail:]
	}
	shown := []string{head}
	for _, l := range lines {
		shown = append(shown, "  "+visible(l))
	}
	return shown
}

// visible quotes a line that holds control characters or invalid UTF-8, so that it cannot
// change the build log.
func visible(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != '\t' }) < 0 {
		return s
	}
	return strconv.Quote(s)
}
