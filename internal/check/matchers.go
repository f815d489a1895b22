package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type Matchers
//go:generate go tool packer-sdc struct-markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"
)

// Matchers test text: a file's content, or a command's stdout or stderr.
type Matchers struct {
	// Strings that must all occur in the text.
	Contains []string `mapstructure:"contains"`
	// Strings none of which may occur in the text.
	NotContains []string `mapstructure:"not_contains"`
	// Regular expressions (RE2 syntax, as in Go) that must all match. `^` and `$` match at the
	// start and end of every line.
	Matches []string `mapstructure:"matches"`
	// Regular expressions none of which may match.
	NotMatches []string `mapstructure:"not_matches"`
}

// empty reports whether no matcher is set.
func (m Matchers) empty() bool {
	return len(m.Contains)+len(m.NotContains)+len(m.Matches)+len(m.NotMatches) == 0
}

// describe says what the matchers want of the text named what, for a PASS line: each matcher
// when there are one or two, their number when there are more.
func (m Matchers) describe(what string) string {
	var want []string
	for _, s := range m.Contains {
		want = append(want, "contains "+strconv.Quote(s))
	}
	for _, s := range m.NotContains {
		want = append(want, "does not contain "+strconv.Quote(s))
	}
	for _, p := range m.Matches {
		want = append(want, "matches /"+p+"/")
	}
	for _, p := range m.NotMatches {
		want = append(want, "does not match /"+p+"/")
	}
	switch {
	case len(want) == 0:
		return ""
	case len(want) > 2:
		return fmt.Sprintf("%s meets all %d matchers", what, len(want))
	}
	return what + " " + strings.Join(want, " and ")
}

// validate reports invalid patterns; attr is the block's name, like "content".
func (m Matchers) validate(attr string) []error {
	var errs []error
	for name, patterns := range map[string][]string{"matches": m.Matches, "not_matches": m.NotMatches} {
		for i, p := range patterns {
			if _, err := regexp.Compile(p); err != nil { // the same verdict as compile, in the user's words
				errs = append(errs, attrErrorf(fmt.Sprintf("%s.%s[%d]", attr, name, i), "%q is not a valid regular expression: %v", p, unwrapRegexp(err)))
			}
		}
	}
	return errs
}

// compiled caches patterns: a check is judged again for every retry and build, and a thousand
// checks share a handful of patterns.
var compiled sync.Map // pattern -> *regexp.Regexp

// compile compiles a pattern with ^ and $ matching at line ends.
func compile(pattern string) (*regexp.Regexp, error) {
	if re, ok := compiled.Load(pattern); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile("(?m)" + pattern)
	if err == nil {
		compiled.Store(pattern, re)
	}
	return re, err
}

func unwrapRegexp(err error) string {
	if re, ok := err.(*syntax.Error); ok {
		return fmt.Sprintf("%s in %q", re.Code, re.Expr)
	}
	return err.Error()
}

// check adds a problem for every matcher text fails; what names the text, like "content". A
// forbidden match is reported by its line number, never quoted: the text may hold secrets. It
// returns the line of the first forbidden match, or 0, so that callers do not show the text; and
// for each wanted string or pattern that is missing, the lines that come nearest to it, to show
// when nothing forbidden was found.
func (m Matchers) check(what string, text []byte, p *problems) (forbidden int, near []string) {
	found := func(line int) {
		if forbidden == 0 {
			forbidden = line
		}
	}
	var l lines
	for _, s := range m.Contains {
		if !bytes.Contains(text, []byte(s)) {
			p.addf("%s does not contain %s", what, strconv.Quote(s))
			near = append(near, l.of(text).nearest(what, strconv.Quote(s), containsLoosely(s), s)...)
		}
	}
	for _, s := range m.NotContains {
		if i := bytes.Index(text, []byte(s)); i >= 0 {
			p.addf("%s contains %s on line %d", what, strconv.Quote(s), lineNumber(text, i))
			found(lineNumber(text, i))
		}
	}
	for _, pat := range m.Matches {
		if re, err := compile(pat); err == nil && !re.Match(text) {
			p.addf("%s does not match /%s/", what, pat)
			near = append(near, l.of(text).nearest(what, "/"+pat+"/", matchesLoosely(pat), longestLiteral(pat))...)
		}
	}
	for _, pat := range m.NotMatches {
		if re, err := compile(pat); err == nil {
			if loc := re.FindIndex(text); loc != nil {
				p.addf("%s matches /%s/ on line %d", what, pat, lineNumber(text, loc[0]))
				found(lineNumber(text, loc[0]))
			}
		}
	}
	return forbidden, near
}

func lineNumber(text []byte, offset int) int { return bytes.Count(text[:offset], []byte("\n")) + 1 }
