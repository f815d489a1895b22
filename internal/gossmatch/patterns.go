package gossmatch

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// maxLine is the longest line goss reads (matchers/have_patterns.go, maxScanTokenSize): a longer
// one stops the reading with an error.
const maxLine = 1024 * 1024

// A pattern is one of goss's line patterns (matchers/have_patterns.go):
//
//   - "/re/" and "!/re/" (starting with / or !/ and ending with /) are regular expressions (Go's
//     RE2, matched anywhere in a line, so ^ and $ are the line's ends); ! wants no line to match.
//   - Anything else is a string found anywhere in a line. A leading ! wants no line to contain
//     it. goss strips EVERY leading \, / and ! before looking (strings.TrimLeft): "\!foo" is
//     "foo" (not negated), "!!foo" is a negated "foo", and "/etc/passwd" looks for
//     "etc/passwd". No white space is trimmed.
//   - A line is what bufio.ScanLines gives: split at \n, one trailing \r dropped, no empty last
//     line after a final newline.
//   - A negated pattern that no line matches is satisfied, as is the empty pattern "" even in a
//     text with no lines; any other pattern needs a line (so "\" and "//", which match every
//     line, are missing from an empty text, and "!" is satisfied only by one).
type pattern struct {
	raw     string // as written
	inverse bool
	clean   string
	re      *regexp.Regexp // nil for a string pattern
}

func newPattern(s string) (pattern, error) {
	p := pattern{raw: s, inverse: strings.HasPrefix(s, "!")}
	if (strings.HasPrefix(s, "/") || strings.HasPrefix(s, "!/")) && strings.HasSuffix(s, "/") {
		clean := strings.TrimPrefix(s, "!")[1:]
		if clean == "" {
			// goss cuts the last byte of an empty string here, and crashes.
			return p, fmt.Errorf(`the line pattern %s makes goss crash: write "//" for a regexp that every line matches, or "/\\//" for a line containing "/"`, strconv.Quote(s))
		}
		p.clean = strings.TrimSuffix(clean, "/")
		re, err := regexp.Compile(p.clean)
		if err != nil {
			return p, fmt.Errorf("%s is not a valid regular expression (Go's RE2 syntax): %v", strconv.Quote(s), regexpError(err))
		}
		p.re = re
		return p, nil
	}
	p.clean = strings.TrimLeft(s, `\/!`)
	return p, nil
}

func (p pattern) match(line string) bool {
	if p.re != nil {
		return p.re.MatchString(line)
	}
	return strings.Contains(line, p.clean)
}

// String says what the pattern wants: `a line containing "foo"`, `no line matching /^#/`.
func (p pattern) String() string {
	switch {
	case p.raw == "":
		return "anything (the empty pattern)"
	case p.re == nil && p.clean == "" && p.inverse:
		return "no line at all"
	case p.re == nil && p.clean == "":
		return "at least one line"
	}
	what := "containing " + strconv.Quote(p.clean)
	if p.re != nil {
		what = "matching /" + p.clean + "/"
	}
	if p.inverse {
		return "no line " + what
	}
	return "a line " + what
}

// A Miss is a line pattern that a text does not satisfy.
type Miss struct {
	Pattern string // as written in the gossfile
	// Line is, for a negated pattern, the first line (from 1) that it matched; 0 for a pattern
	// that no line matched.
	Line int
	p    pattern
}

// String says what was found: `no line containing "foo"`, `line 3 matches /^#/`.
func (m Miss) String() string {
	switch {
	case m.Line > 0 && m.p.re == nil && m.p.clean == "":
		return "a line " + strconv.Itoa(m.Line)
	case m.Line > 0 && m.p.re != nil:
		return "line " + strconv.Itoa(m.Line) + " matches /" + m.p.clean + "/"
	case m.Line > 0:
		return "line " + strconv.Itoa(m.Line) + " contains " + strconv.Quote(m.p.clean)
	case m.p.re != nil:
		return "no line matching /" + m.p.clean + "/"
	case m.p.clean == "":
		return "no lines"
	}
	return "no line containing " + strconv.Quote(m.p.clean)
}

// A PatternMatcher is a list of goss line patterns, judged over a whole text the way goss's
// have-patterns does: every pattern must be satisfied.
type PatternMatcher struct {
	pats     []pattern
	warnings []string
}

// Patterns parses a list of line patterns as goss's decoder gives it ([]any of strings). Patterns
// are what goss makes of a list given to a text attribute (contents, stdout, stderr, body) and
// of have-patterns.
func Patterns(raw any) (*PatternMatcher, error) {
	var p parser
	l, ok := raw.([]any)
	if !ok {
		return nil, &ParseError{Msg: fmt.Sprintf(`line patterns are a list of strings, like ["foo", "!bar", "/^baz/"]; found %s`, kindOf(raw))}
	}
	pats := p.patterns(l, "")
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return &PatternMatcher{pats: pats, warnings: p.warnings}, nil
}

// Warnings are patterns that every line matches, though they do not look it.
func (m *PatternMatcher) Warnings() []string { return m.warnings }

// Match returns the patterns the text does not satisfy, in the order written, or an error when
// goss could not read the text (a line longer than 1 MiB before every pattern was decided).
func (m *PatternMatcher) Match(text []byte) ([]Miss, error) {
	return m.match(text)
}

func (m *PatternMatcher) match(text []byte) (misses []Miss, err error) {
	defer func() {
		if p := recover(); p != nil {
			misses, err = nil, fmt.Errorf("the line patterns failed on this text, a bug in packer-plugin-assert: %v", p)
		}
	}()
	return scan(text, m.pats)
}

// String says what the patterns want, listing up to three.
func (m *PatternMatcher) String() string { return describePatterns(m.pats) }

func describePatterns(pats []pattern) string {
	switch {
	case len(pats) == 0:
		return "any text (no line patterns)"
	case len(pats) > 3:
		return fmt.Sprintf("lines meeting all %d patterns", len(pats))
	}
	parts := make([]string, len(pats))
	for i, p := range pats {
		parts[i] = p.String()
	}
	return strings.Join(parts, ", ")
}

// scan follows HavePatternsMatcher.Match: it reads lines until every pattern is decided, a
// pattern being decided by the first line it matches.
func scan(text []byte, pats []pattern) ([]Miss, error) {
	if len(pats) == 0 {
		return nil, nil
	}
	undecided := make([]int, len(pats))
	for i := range undecided {
		undecided[i] = i
	}
	found := make([]bool, len(pats))
	at := make([]int, len(pats))
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(nil, maxLine)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		k := 0
		for _, i := range undecided {
			if pats[i].match(line) {
				found[i] = !pats[i].inverse
				at[i] = n
				continue
			}
			undecided[k] = i
			k++
		}
		undecided = undecided[:k]
		if k == 0 {
			break
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d is longer than goss reads (1 MiB), so the line patterns cannot be checked", n+1)
		}
		return nil, err
	}
	for _, i := range undecided {
		found[i] = pats[i].inverse || pats[i].raw == ""
		at[i] = 0
	}
	var misses []Miss
	for i, p := range pats {
		if !found[i] {
			misses = append(misses, Miss{Pattern: p.raw, Line: at[i], p: p})
		}
	}
	return misses, nil
}

// patternsNode is have-patterns inside a matcher: goss puts to-string in front, so the actual
// value is a string by then; goss also takes a list of lines.
type patternsNode struct{ pats []pattern }

func (n *patternsNode) String() string { return describePatterns(n.pats) }

func (n *patternsNode) eval(actual any, c *cx) outcome {
	// goss also takes a reader and a []string, but puts to-string in front.
	s, ok := actual.(string)
	if !ok {
		return refuse(c.show(actual), fmt.Errorf("%s is not a text, so it cannot be compared: want %s", c.show(actual), n))
	}
	misses, err := scan([]byte(s), n.pats)
	if err != nil {
		return refuse(c.show(actual), err)
	}
	if len(misses) == 0 {
		return pass(c.show(actual))
	}
	return fail(c.show(actual) + ": " + joinMisses(misses))
}

func joinMisses(misses []Miss) string {
	parts := make([]string, len(misses))
	for i, m := range misses {
		parts[i] = m.String()
	}
	return strings.Join(parts, "; ")
}

// A TextMatcher judges an attribute that goss reads as a stream of text: a file's contents, a
// command's stdout or stderr, an HTTP body, a matching resource with as-reader. It follows
// resource/validate.go, ValidateValue: a list is line patterns; anything else is a matcher
// judged against the whole text as one string ("ok\n" does not equal "ok").
//
// Its results never show the text or any part of it, which may hold secrets: Found describes it
// by its size, and says which patterns it missed and on which line a forbidden one was found.
type TextMatcher struct {
	lines *PatternMatcher
	whole *Matcher
}

// ParseText parses the matcher of a text attribute. Use IsSet first: goss does not test a text
// attribute that is missing or an empty list.
func ParseText(raw any) (*TextMatcher, error) {
	if _, ok := raw.([]any); ok {
		p, err := Patterns(raw)
		if err != nil {
			return nil, err
		}
		return &TextMatcher{lines: p}, nil
	}
	m, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	return &TextMatcher{whole: m}, nil
}

// Match reports whether the text satisfies the matcher; err is not nil when it could not be
// compared.
func (t *TextMatcher) Match(text []byte) (bool, error) {
	r := t.Judge(text)
	return r.OK, r.Err
}

// Judge is Match with the words a report needs, none of which quote the text.
func (t *TextMatcher) Judge(text []byte) Result {
	if t.whole != nil {
		r := t.whole.JudgeHidden(string(text))
		r.Found = describeText(text)
		return r
	}
	misses, err := t.lines.match(text)
	r := Result{OK: err == nil && len(misses) == 0, Err: err, Found: describeText(text), Want: t.String()}
	if len(misses) > 0 {
		r.Found += ": " + joinMisses(misses)
	}
	return r
}

// Warnings are what parsing noticed that is likely not meant (see Matcher.Warnings).
func (t *TextMatcher) Warnings() []string {
	if t.whole != nil {
		return t.whole.Warnings()
	}
	return t.lines.Warnings()
}

// String says what the matcher wants of the text.
func (t *TextMatcher) String() string {
	if t.whole != nil {
		return t.whole.String()
	}
	return t.lines.String()
}

// describeText gives a text's size: "a text of 42 bytes in 3 lines".
func describeText(text []byte) string {
	if len(text) == 0 {
		return "an empty text"
	}
	lines := bytes.Count(text, []byte("\n"))
	if text[len(text)-1] != '\n' {
		lines++
	}
	unit := "lines"
	if lines == 1 {
		unit = "line"
	}
	return fmt.Sprintf("a text of %d bytes in %d %s", len(text), lines, unit)
}
