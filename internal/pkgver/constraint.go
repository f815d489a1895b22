package pkgver

import (
	"fmt"
	"strconv"
	"strings"
)

// A Constraint is a list of comparisons separated by commas, all of which must hold, like
// ">= 1.22, < 2", "~> 1.22" or "1.22.*". A comparison is one of:
//
//   - "= V", "== V" (the same) or V alone: the installed version equals V.
//   - "!= V", "< V", "<= V", "> V" or ">= V": the installed version compares so with V.
//   - "~> V", pessimistic, as in Packer, Terraform and Ruby: ">= V", and within the series that
//     V names without its last number. V starts with two or more numbers joined by dots; the
//     series is its epoch and those numbers but the last: "~> 1.22" allows 1.22 or later within
//     series 1, "~> 1.22.1" 1.22.1 or later within series 1.22, "~> 1:9.1" 1:9.1 or later
//     within series 1:9. What follows the numbers counts for the lower bound only: "~> 9.2p1"
//     is ">= 9.2p1" within series 9, "~> 1.22.1-3" is ">= 1.22.1-3" within series 1.22. "~> 1"
//     is refused (write "~> 1.0" or "1.*").
//   - "S.*", "S.x" or "S.X", alone or after "=" or "==": the installed version is within series
//     S ("1.22.*", "1:9.*"); after "!=", it is not. The wildcard can only be the last component,
//     and S has no revision.
//
// Series: an installed version is within series S when its epoch equals S's and its upstream
// version (without epoch and revision) is S, or starts with S and does not go on with a digit
// where S ends with one. So 1.22, 1.22.0, 1.22.1-9+deb12u11, 1.22+dfsg and 1.22~rc1 are within
// series 1.22, while 1.220, 1.23 and 1:1.22 are not. The test is textual: 01.22 is not within
// 1.22. A pre-release of the next series is outside: dpkg sorts 2~rc1 below 2, so "< 2" allows
// it, but it is not within series 1, so "~> 1.22" and "1.*" refuse it. A pre-release of S is
// within S: "1.22.*" allows 1.22~rc1, which "~> 1.22" refuses because dpkg sorts it below 1.22.
//
// Versions are compared by the rules of the image's package manager (dpkg, rpm, apk or pacman),
// with one rule added so that a version without a revision means the same everywhere:
//
//   - A version written without a revision stands for all of its revisions. The revision is
//     what follows the last hyphen in dpkg, rpm and pacman versions (the Debian revision of
//     1.22.1-9+deb12u11, the release of 1.22.1-5.el9, the pkgrel of 1.22.1-2) and the trailing
//     -rN of apk versions (1.22.1-r3). When the version in the constraint has none, the
//     installed version's revision is left out of the comparison: "= 1.22.1" allows all four
//     versions above, and so do "<= 1.22.1", ">= 1.22.1" and "~> 1.22.1", while "< 1.22.1",
//     "> 1.22.1" and "!= 1.22.1" allow none of them.
//   - A version written with a revision is compared whole, revision included, exactly as the
//     package manager compares two versions: "= 1.22.1-9" allows 1.22.1-9 but not 1.22.1-10,
//     "> 1.22.1-9" allows 1.22.1-10, and "~> 1.22.1-3" allows 1.22.1-3 or later within series
//     1.22.
//   - Epochs always count, and a version written without one has epoch 0: "= 9.1" does not allow
//     1:9.1-1; write "= 1:9.1". (apk versions have no epoch.)
//
// This is how rpm matches a dependency such as "Requires: nginx >= 1.22.1" against the
// release of an installed package.
type Constraint struct {
	text  string
	terms []term
}

// An operator relates an installed version to a wanted one.
type operator string

// operators are the operators a comparison may start with.
var operators = map[operator]bool{"=": true, "==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true, "~>": true}

// misspelt maps the operators of other tools and likely typos to the operator meant:
// "<<" and ">>" are dpkg's strict comparisons, "~=" is Python's compatible release.
var misspelt = map[string]operator{
	"=>": ">=", "=<": "<=", ">>=": ">=", "<<=": "<=", ">>": ">", "<<": "<",
	"===": "=", "!==": "!=", "<>": "!=", "=!": "!=", "!": "!=", "~=": "~>",
}

// operatorChars are the characters an operator is made of; versions start with a digit, so the
// operator of a comparison is the run of them at its start.
const operatorChars = "<>=!~^"

// term is one comparison of a constraint, like ">= 1.22".
type term struct {
	op      operator
	version string // compared with: "" for a wildcard
	series  string // the series of "~>" or of a wildcard, like "1.22" or "1:9"
}

// ParseConstraint parses a comma-separated list of comparisons, like ">= 1.22, < 2"; see
// Constraint for what each comparison allows. Its error quotes the constraint, names the part
// that is wrong and says what to write instead. It refuses an empty comparison (a comma at
// either end, or two in a row), a missing comma, an operator of another tool ("=>", "=<",
// ">>=", "<<", ">>", "===", "<>", "~=", npm's "^1.22" and "~1.22"), a wildcard that is not the
// last component, or follows an operator other than "=" and "!=", or a revision, a "*" alone,
// and "~>" before a single number.
func ParseConstraint(text string) (Constraint, error) {
	c := Constraint{text: strings.TrimSpace(text)}
	if c.text == "" {
		return c, fmt.Errorf("%q is empty: write a constraint like \">= 1.22\", or leave version out to accept any version", text)
	}
	parts := strings.Split(c.text, ",")
	var written []string
	for _, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		t, err := c.parseTerm(part)
		if err != nil {
			return Constraint{text: c.text}, err
		}
		c.terms = append(c.terms, t)
		written = append(written, part)
	}
	if len(written) < len(parts) {
		return Constraint{text: c.text}, c.commaError(parts, written)
	}
	if err := c.bareVersions(written); err != nil {
		return Constraint{text: c.text}, err
	}
	return c, nil
}

// bareVersions refuses two or more versions written without an operator: they could only all
// hold if they were the same, and "1,22" is most likely a decimal comma.
func (c Constraint) bareVersions(written []string) error {
	bare := 0
	for _, part := range written {
		if !strings.ContainsRune(operatorChars, rune(part[0])) {
			bare++
		}
	}
	switch {
	case bare < 2:
		return nil
	case bare == len(written):
		return fmt.Errorf("%q has %d versions without an operator, which can never all hold: a version uses dots, not commas (write %q), and each comparison after a comma needs an operator, like \">= 1.22, < 2\"",
			c.text, bare, strings.Join(written, "."))
	}
	return fmt.Errorf("%q has %d versions without an operator, which can never all hold: give each comparison after a comma an operator, like \">= 1.22, < 2\"", c.text, bare)
}

// commaError explains the empty comparisons among parts; written are the others.
func (c Constraint) commaError(parts, written []string) error {
	fix := strings.Join(written, ", ")
	if len(written) > 0 && !parses(fix) {
		// what is left is wrong too: say that first
		_, err := ParseConstraint(fix)
		return fmt.Errorf("%q has an empty comparison (a comma too many), and without it: %v", c.text, err)
	}
	switch {
	case len(written) == 0:
		return fmt.Errorf("%q has no comparison: write one like \">= 1.22\", or leave version out to accept any version", c.text)
	case strings.TrimSpace(parts[0]) == "":
		return fmt.Errorf("%q starts with a comma: write %q", c.text, fix)
	case strings.TrimSpace(parts[len(parts)-1]) == "":
		return fmt.Errorf("%q ends with a comma: write %q, or add a comparison after the comma", c.text, fix)
	}
	return fmt.Errorf("%q has an empty comparison between commas: write %q", c.text, fix)
}

// quote names piece of c in an error: c alone when piece is all of it.
func (c Constraint) quote(piece string) string {
	if piece == c.text {
		return strconv.Quote(piece)
	}
	return fmt.Sprintf("%q in %q", piece, c.text)
}

// parseTerm parses part, one comparison of c, trimmed and not empty.
func (c Constraint) parseTerm(part string) (term, error) {
	end := strings.IndexFunc(part, func(r rune) bool { return !strings.ContainsRune(operatorChars, r) })
	if end < 0 {
		end = len(part)
	}
	written, v := part[:end], strings.TrimSpace(part[end:])
	op := operator(written)
	switch {
	case written == "":
		op = "="
	case written == "^" || written == "~":
		return term{}, c.npmError(part, written, v)
	case !operators[op]:
		fix, ok := misspelt[written]
		switch {
		case !ok:
			return term{}, fmt.Errorf("%s uses %q, which is not an operator: use =, !=, <, <=, >, >= or ~>", c.quote(part), written)
		case v == "":
			return term{}, fmt.Errorf("%s uses %q, which is not an operator: write %q followed by a version, like %q", c.quote(part), written, fix, string(fix)+" "+example(fix))
		}
		if fixed := string(fix) + " " + v; parses(fixed) {
			return term{}, fmt.Errorf("%s uses %q, which is not an operator: write %q", c.quote(part), written, fixed)
		}
		return term{}, fmt.Errorf("%s uses %q, which is not an operator: write %q in its place", c.quote(part), written, fix)
	}
	if v == "" {
		return term{}, fmt.Errorf("%s has no version after the operator: write one, like %q", c.quote(part), string(op)+" "+example(op))
	}
	if rest := strings.TrimLeft(v, operatorChars); len(rest) < len(v) {
		// an operator split by a blank, like "> = 1.22"
		joined := written + v[:len(v)-len(rest)]
		if fixed := joined + " " + strings.TrimSpace(rest); parses(fixed) {
			return term{}, fmt.Errorf("%s has a blank inside the operator %q: write %q", c.quote(part), part[:len(part)-len(rest)], fixed)
		}
	}
	if i := strings.IndexFunc(v, func(r rune) bool { return !isVersionChar(r) && !strings.ContainsRune(" \t<>=!*", r) }); i >= 0 {
		return term{}, fmt.Errorf("%s holds %q, which no package manager's version has: a version is made of letters, digits and . + ~ - : _ ^", c.quote(part), string([]rune(v[i:])[0]))
	}
	if i := strings.IndexAny(v, " \t<>=!"); i >= 0 {
		if head, tail := v[:i], strings.TrimSpace(v[i:]); head != "" && startsComparison(tail) {
			left := strings.TrimSpace(part[:len(part)-len(v)+i])
			if fixed := left + ", " + tail; parses(fixed) {
				return term{}, fmt.Errorf("%s has no comma between %q and %q: write %q", c.quote(part), left, tail, fixed)
			}
			return term{}, fmt.Errorf("%s has no comma between %q and %q: separate them with a comma", c.quote(part), left, tail)
		}
		return term{}, fmt.Errorf("%s is not a version: a version has no blanks, <, >, = or !; separate comparisons with commas, like \">= 1.22, < 2\"", c.quote(v))
	}
	if v == "*" {
		switch {
		case op == "!=":
			return term{}, fmt.Errorf("%s allows no version: to check that the package is not installed, write installed = false", c.quote(part))
		case part == c.text:
			return term{}, fmt.Errorf("%s accepts any version: leave version out to accept any version", c.quote(part))
		}
		return term{}, fmt.Errorf("%s accepts any version: remove it", c.quote(part))
	}
	series, wildcard := cutWildcard(v)
	if err := c.misplacedWildcard(v, series); err != nil {
		return term{}, err
	}
	if !startsWithDigit(series) {
		return term{}, fmt.Errorf("%s is not a version: a version starts with a digit, like \"1.22\"", c.quote(v))
	}
	if wildcard != "" {
		return c.wildcardTerm(part, op, series, wildcard)
	}
	if op == "~>" {
		series, ok := pessimisticSeries(v)
		if !ok {
			epoch, rest := cutEpoch(v)
			start := epoch + leadingNumbers(rest)
			return term{}, fmt.Errorf("%s has one number after \"~>\", which needs two or more: write %q (%s or later within series %s), or %q (any version within series %s)",
				c.quote(part), "~> "+start+".0", start+".0", start, start+".*", start)
		}
		return term{op: op, version: v, series: series}, nil
	}
	return term{op: op, version: v}, nil
}

// parses reports whether text is a constraint, to check what an error suggests writing.
func parses(text string) bool {
	_, err := ParseConstraint(text)
	return err == nil
}

// wildcardTerm checks the comparison part, "op series.wildcard".
func (c Constraint) wildcardTerm(part string, op operator, series, wildcard string) (term, error) {
	switch {
	case op == "~>" && !strings.Contains(series, "-"):
		if _, ok := pessimisticSeries(series); ok {
			return term{}, fmt.Errorf("%s has a wildcard after \"~>\", which takes none: write %q (any version within series %s), or %q (%s or later within series %s)",
				c.quote(part), series+"."+wildcard, series, "~> "+series, series, mustSeries(series))
		}
		return term{}, fmt.Errorf("%s has a wildcard after \"~>\", which takes none: write %q (any version within series %s)", c.quote(part), series+"."+wildcard, series)
	case op != "=" && op != "==" && op != "!=" && op != "~>":
		return term{}, fmt.Errorf("%s has a wildcard after %q (only = and != take one): drop it and write %q", c.quote(part), op, string(op)+" "+series)
	case strings.Contains(series, "-"):
		upstream, _, _ := strings.Cut(series, "-")
		return term{}, fmt.Errorf("%s has a wildcard after a revision: a wildcard ends the upstream version and allows every revision, like %q", c.quote(part), upstream+"."+wildcard)
	}
	return term{op: op, series: series}, nil
}

// cutWildcard splits "1.22.*" or "1.22.x" into "1.22" and the wildcard; other versions have
// none.
func cutWildcard(v string) (series, wildcard string) {
	for _, w := range []string{"*", "x", "X"} {
		if s, ok := strings.CutSuffix(v, "."+w); ok {
			return s, w
		}
	}
	return v, ""
}

// misplacedWildcard refuses a "*" left in version v after cutWildcard took the last component
// off as a wildcard, leaving series, or an "x" or "X" component of series: a wildcard can only
// be the last component.
func (c Constraint) misplacedWildcard(v, series string) error {
	if i := strings.IndexByte(series, '*'); i >= 0 {
		before := series[:i]
		if !startsWithDigit(strings.TrimSuffix(before, ".")) {
			return nil // not a version at all; said next
		}
		fix := strings.TrimSuffix(before, ".") + ".*"
		switch {
		case !parses(fix):
			return fmt.Errorf("%s has a misplaced wildcard: a wildcard can only end a version, after a dot, like \"1.22.*\"", c.quote(v))
		case series != v || strings.Contains(series[i:], "."):
			return fmt.Errorf("%s has a wildcard before its last component: a wildcard can only end a version, like %q", c.quote(v), fix)
		}
		return fmt.Errorf("%s has a wildcard that is not a component of its own: write %q", c.quote(v), fix)
	}
	components := strings.Split(series, ".")
	for i, comp := range components {
		if comp == "x" || comp == "X" {
			if i == 0 {
				return nil // not a version at all; said next
			}
			if fix := strings.Join(components[:i+1], "."); parses(fix) {
				return fmt.Errorf("%s has a wildcard before its last component: a wildcard can only end a version, like %q", c.quote(v), fix)
			}
			return fmt.Errorf("%s has a misplaced wildcard: a wildcard can only end a version, after a dot, like \"1.22.x\"", c.quote(v))
		}
	}
	return nil
}

// startsComparison reports whether s starts with an operator, as the second of two comparisons
// written without a comma between them does.
func startsComparison(s string) bool {
	return s != "" && (strings.ContainsRune("<>=!^", rune(s[0])) || strings.HasPrefix(s, "~>") ||
		len(s) > 1 && s[0] == '~' && isDigit(s[1]))
}

// example is a version to show after op in an error.
func example(op operator) string {
	if op == "<" || op == "<=" {
		return "2"
	}
	return "1.22"
}

// npmError refuses npm's "^v" or "~v" (op), written in part, with what to write for the same
// range.
func (c Constraint) npmError(part, op, v string) error {
	name := "npm's caret"
	if op == "~" {
		name = "npm's tilde"
	}
	same, within, ok := npmEquivalent(op, v)
	if !ok {
		return fmt.Errorf("%s uses %s, which is not supported: write \"~>\" (like \"~> 1.22\") or a range (like \">= 1.22, < 2\")", c.quote(part), name)
	}
	return fmt.Errorf("%s uses %s, which is not supported: write %q, or %q", c.quote(part), name, same, within)
}

// npmEquivalent returns the constraint that allows what npm's "^v" or "~v" (op) allows, and a
// range that does nearly so, when v is numbers joined by dots. npm keeps the numbers up to the
// first one that is not 0 for "^", and the first two for "~"; the versions allowed are from v
// on within that series.
func npmEquivalent(op, v string) (same, within string, ok bool) {
	numbers := strings.Split(v, ".")
	for _, n := range numbers {
		if n == "" || strings.Trim(n, "0123456789") != "" {
			return "", "", false
		}
	}
	kept := min(2, len(numbers))
	if op == "^" {
		kept = len(numbers)
		for i, n := range numbers {
			if strings.TrimLeft(n, "0") != "" {
				kept = i + 1
				break
			}
		}
	}
	series := strings.Join(numbers[:kept], ".")
	switch {
	case kept == len(numbers):
		same = series + ".*"
	case kept+1 == len(numbers):
		same = "~> " + v
	default:
		same = ">= " + v + ", " + series + ".*"
	}
	next := append([]string{}, numbers[:kept]...)
	next[kept-1] = increment(next[kept-1])
	return same, ">= " + v + ", < " + strings.Join(next, "."), true
}

// increment adds 1 to a number written in decimal digits, of any length.
func increment(n string) string {
	b := []byte(n)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}

// pessimisticSeries returns the series "~> v" keeps to: the numbers joined by dots at the start
// of v, without the last one, after v's epoch ("1.22" for "1.22.1-3", "1:9" for "1:9.1p1"), and
// false when v does not start with two numbers.
func pessimisticSeries(v string) (string, bool) {
	epoch, rest := cutEpoch(v)
	numbers := leadingNumbers(rest)
	i := strings.LastIndexByte(numbers, '.')
	if i < 0 {
		return "", false
	}
	return epoch + numbers[:i], true
}

// mustSeries is pessimisticSeries for a v known to have one.
func mustSeries(v string) string {
	s, _ := pessimisticSeries(v)
	return s
}

// cutEpoch splits "1:9.1" into "1:" and "9.1"; a version without an epoch has "".
func cutEpoch(v string) (epoch, rest string) {
	if e, r, ok := strings.Cut(v, ":"); ok && e != "" && strings.Trim(e, "0123456789") == "" {
		return e + ":", r
	}
	return "", v
}

// leadingNumbers returns the numbers joined by dots at the start of v: "1.22" of "1.22+dfsg",
// "9.2" of "9.2p1", "1" of "1..2".
func leadingNumbers(v string) string {
	end := 0
	for i := 0; i < len(v); i++ {
		switch {
		case isDigit(v[i]):
			end = i + 1
		case v[i] == '.' && i > 0 && isDigit(v[i-1]) && i+1 < len(v) && isDigit(v[i+1]):
		default:
			return v[:end]
		}
	}
	return v[:end]
}

// startsWithDigit reports whether s starts with a digit after its epoch, if it has one.
func startsWithDigit(s string) bool {
	_, s = cutEpoch(s)
	return s != "" && isDigit(s[0])
}

// String returns the constraint as written, without the blanks around it.
func (c Constraint) String() string { return c.text }

// Allows reports whether installed satisfies every comparison of c under scheme s.
func (c Constraint) Allows(s Scheme, installed string) bool {
	for _, t := range c.terms {
		if !t.allows(s, installed) {
			return false
		}
	}
	return len(c.terms) > 0
}

func (t term) allows(s Scheme, installed string) bool {
	switch {
	case t.op == "~>":
		return term{op: ">=", version: t.version}.allows(s, installed) && withinSeries(s, installed, t.series)
	case t.series != "": // a wildcard
		return withinSeries(s, installed, t.series) == (t.op != "!=")
	}
	if _, hasRevision := withoutRevision(s, t.version); !hasRevision {
		installed, _ = withoutRevision(s, installed)
	}
	return t.op.holds(Compare(s, installed, t.version))
}

// withinSeries reports whether installed is within series, as Constraint defines it: the same
// epoch, and an upstream version that is series or goes on from it without extending its last
// number.
func withinSeries(s Scheme, installed, series string) bool {
	epoch, upstream := epochUpstream(s, installed)
	wantEpoch, prefix := epochUpstream(s, series)
	rest, ok := strings.CutPrefix(upstream, prefix)
	if !ok || cmpDigits(epoch, wantEpoch) != 0 {
		return false
	}
	return rest == "" || !isDigit(rest[0]) || prefix == "" || !isDigit(prefix[len(prefix)-1])
}

// epochUpstream splits v the way the package manager of scheme s does into its epoch ("0" when
// it has none) and its upstream version, without the revision.
func epochUpstream(s Scheme, v string) (epoch, upstream string) {
	switch s {
	case APK:
		upstream, _ = withoutRevision(s, v)
		return "0", upstream
	case RPM, Pacman:
		epoch, upstream, _, _ = parseEVR(v)
		return epoch, upstream
	default:
		epoch, upstream, _ = parseDpkg(v)
		return epoch, upstream
	}
}

// withoutRevision returns v without its revision (dpkg), release (rpm, pacman) or "-rN" (apk),
// split off where the package manager splits it, and whether v had one.
func withoutRevision(s Scheme, v string) (string, bool) {
	switch s {
	case APK:
		// apk's lexer accepts "-r" followed by digits only at the very end of a version.
		i := strings.LastIndex(v, "-r")
		if i < 0 || i+2 == len(v) || strings.TrimLeft(v[i+2:], "0123456789") != "" {
			return v, false
		}
		return v[:i], true
	case Dpkg:
		v = strings.Trim(v, " \t") // as dpkg's parseversion does
	}
	// dpkg, rpm and pacman split the revision or release off at the last hyphen (an epoch has
	// none: it is digits).
	i := strings.LastIndexByte(v, '-')
	if i < 0 {
		return v, false
	}
	return v[:i], true
}

func (op operator) holds(cmp int) bool {
	switch op {
	case ">=":
		return cmp >= 0
	case "<=":
		return cmp <= 0
	case ">":
		return cmp > 0
	case "<":
		return cmp < 0
	case "!=":
		return cmp != 0
	default:
		return cmp == 0
	}
}

// isVersionChar reports whether r may appear in a version of dpkg, rpm, apk or pacman.
func isVersionChar(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || strings.ContainsRune(".+~-:_^", r)
}
