package check

import (
	"bytes"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// When a wanted string or pattern is missing from a long text, the last lines of the text rarely
// show why. The report shows instead the lines that come nearest to what was wanted: first those
// that would have matched but for letter case, spacing or a control character (a \r at the end
// of every line of a CRLF file, or of `curl -sI` headers); failing that, those that hold the
// longest start of the wanted string, or of the longest literal text in the pattern.

// nearLines is how many near lines are shown for one matcher, and nearWidth how much of each.
const (
	nearLines = 3
	nearWidth = 160
)

// nearMatchers is how many failed matchers of one text get their near lines shown: enough to
// explain a typo, few enough that a text missing a hundred strings does not flood the log.
const nearMatchers = 3

// lines splits a text into lines once, for all the matchers that need them. A final newline ends
// the last line rather than starting an empty one.
type lines struct {
	split  [][]byte
	loose  []string // each line loosened, made when first needed
	shown  int      // how many matchers have had their near lines shown
	cached bool
}

func (l *lines) of(text []byte) *lines {
	if !l.cached {
		l.split, l.cached = bytes.Split(bytes.TrimSuffix(text, []byte("\n")), []byte("\n")), true
		if len(text) == 0 {
			l.split = nil
		}
	}
	return l
}

// loosened returns line i loosened (see loosen), computing every line's once.
func (l *lines) loosened(i int) string {
	if l.loose == nil {
		l.loose = make([]string, len(l.split))
		for j, line := range l.split {
			l.loose[j] = loosen(line)
		}
	}
	return l.loose[i]
}

// nearest returns the report's lines for a missing string or pattern, named wanted: the lines
// that loose accepts, else those holding the longest start of literal. Only the first few failed
// matchers of a text get them.
func (l *lines) nearest(what, wanted string, loose func(l *lines, i int) bool, literal string) []string {
	if l.shown >= nearMatchers {
		return nil
	}
	var hits []int
	for i := range l.split {
		if loose(l, i) {
			hits = append(hits, i)
		}
	}
	if len(hits) == 0 {
		hits = l.holdingLongestStart(literal)
	}
	if len(hits) == 0 {
		return nil
	}
	l.shown++
	out := []string{fmt.Sprintf("%s, the lines nearest to %s:", what, wanted)}
	for _, i := range hits[:min(len(hits), nearLines)] {
		out = append(out, fmt.Sprintf("  %d: %s", i+1, visible(cut(l.split[i], nearWidth))))
	}
	if len(hits) > nearLines {
		out = append(out, fmt.Sprintf("  (and %d more)", len(hits)-nearLines))
	}
	return out
}

// holdingLongestStart returns the lines that hold the longest start of s found in any line, if
// that start is at least 4 bytes long (or all of a shorter s) and stops at a character boundary.
func (l *lines) holdingLongestStart(s string) []int {
	s, _, _ = strings.Cut(s, "\n")
	longest := func(n int) []int {
		var hits []int
		for i, line := range l.split {
			if bytes.Contains(line, []byte(s[:n])) {
				hits = append(hits, i)
			}
		}
		return hits
	}
	// a start that is found implies that every shorter one is found: search for the longest
	lo, hi := 0, len(s)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if len(longest(mid)) > 0 {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	for lo > 0 && lo < len(s) && !utf8.RuneStart(s[lo]) {
		lo--
	}
	if lo == 0 || lo < min(4, len(s)) {
		return nil
	}
	return longest(lo)
}

// loosen makes a line comparable to what a user most likely meant: control characters dropped,
// runs of spaces and tabs made one space, letters in lower case.
func loosen(b []byte) string {
	var out strings.Builder
	space := false
	for _, r := range string(b) {
		switch {
		case r == ' ' || r == '\t':
			space = true
			continue
		case r < ' ' || r == 0x7f:
			continue
		}
		if space && out.Len() > 0 {
			out.WriteByte(' ')
		}
		space = false
		out.WriteRune(unicode.ToLower(r))
	}
	return out.String()
}

// containsLoosely accepts a line that holds s once both are loosened.
func containsLoosely(s string) func(l *lines, i int) bool {
	want := loosen([]byte(s))
	return func(l *lines, i int) bool { return want != "" && strings.Contains(l.loosened(i), want) }
}

// matchesLoosely accepts a line that the pattern, made blind to case, matches once the line's
// control characters are dropped. A pattern that matches an empty line (like `\A\z`, wanting
// an empty output) has no lines near it: any line would do.
func matchesLoosely(pattern string) func(l *lines, i int) bool {
	re, err := regexp.Compile("(?i)" + pattern)
	if err != nil || re.MatchString("") {
		return func(*lines, int) bool { return false }
	}
	return func(l *lines, i int) bool {
		clean := bytes.Map(func(r rune) rune {
			if r < ' ' && r != '\t' || r == 0x7f {
				return -1
			}
			return r
		}, l.split[i])
		return re.Match(clean)
	}
}

// longestLiteral is the longest run of literal text in a pattern, like "Server: nginx" in
// `^Server: nginx$`; "" if the pattern has none.
func longestLiteral(pattern string) string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return ""
	}
	best := ""
	var walk func(*syntax.Regexp)
	walk = func(re *syntax.Regexp) {
		if re.Op == syntax.OpLiteral && re.Flags&syntax.FoldCase == 0 && len(string(re.Rune)) > len(best) {
			best = string(re.Rune)
		}
		for _, sub := range re.Sub {
			walk(sub)
		}
	}
	walk(re.Simplify())
	return best
}

// visible writes text for the build log with every control character, invalid byte and
// invisible formatting character escaped the way Go writes them (\r, \t, \x1b, \u202e), so that
// a line that looks right but is not shows why; a backslash is written \\, so that a line
// holding the two characters \ and r is told from one ending in a carriage return.
func visible(b []byte) string {
	var out strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&out, `\x%02x`, b[0])
		case r == '\\':
			out.WriteString(`\\`)
		case r != ' ' && !strconv.IsPrint(r):
			q := strconv.QuoteRune(r)
			out.WriteString(q[1 : len(q)-1])
		default:
			out.Write(b[:size])
		}
		b = b[size:]
	}
	return out.String()
}

// cut shortens a line to about n bytes, at a character boundary, marking the cut.
func cut(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return append(b[:n:n], "…"...)
}

// Visible is s as the report writes text from the image: see visible.
func Visible(s string) string { return visible([]byte(s)) }
