package pkgver

import (
	"fmt"
	"strings"
)

// A Constraint is a list of comparisons separated by commas, all of which must hold, like
// ">= 1.22, < 2" or "= 1:9.1-1". The operators are =, == (the same), !=, <, <=, > and >=; a
// version alone means =.
//
// Versions are compared by the rules of the image's package manager (dpkg, rpm, apk or pacman),
// with one rule added so that a version without a revision means the same everywhere:
//
//   - A version written without a revision stands for all of its revisions. The revision is
//     what follows the last hyphen in dpkg, rpm and pacman versions (the Debian revision of
//     1.22.1-9+deb12u11, the release of 1.22.1-5.el9, the pkgrel of 1.22.1-2) and the trailing
//     -rN of apk versions (1.22.1-r3). When the version in the constraint has none, the
//     installed version's revision is left out of the comparison: "= 1.22.1" allows all four
//     versions above, and so do "<= 1.22.1" and ">= 1.22.1", while "< 1.22.1", "> 1.22.1" and
//     "!= 1.22.1" allow none of them.
//   - A version written with a revision is compared whole, revision included, exactly as the
//     package manager compares two versions: "= 1.22.1-9" allows 1.22.1-9 but not 1.22.1-10,
//     and "> 1.22.1-9" allows 1.22.1-10.
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

var operators = []operator{">=", "<=", "!=", "==", ">", "<", "="} // longest first, for parsing

// term is one comparison of a constraint, like ">= 1.22".
type term struct {
	op      operator
	version string
}

// ParseConstraint parses a comma-separated list of comparisons, like ">= 1.22, < 2". See
// Constraint for what a comparison allows.
func ParseConstraint(text string) (Constraint, error) {
	c := Constraint{text: strings.TrimSpace(text)}
	if c.text == "" {
		return c, fmt.Errorf("empty version constraint")
	}
	for _, part := range strings.Split(c.text, ",") {
		t, err := parseTerm(strings.TrimSpace(part))
		if err != nil {
			return c, err
		}
		c.terms = append(c.terms, t)
	}
	return c, nil
}

func parseTerm(s string) (term, error) {
	t := term{op: "="}
	for _, op := range operators {
		if strings.HasPrefix(s, string(op)) {
			t.op = op
			s = strings.TrimSpace(s[len(op):])
			break
		}
	}
	switch {
	case s == "":
		return t, fmt.Errorf("comparison %q has no version (write it like \">= 1.22\")", string(t.op))
	case strings.ContainsAny(s, " \t<>=!"):
		return t, fmt.Errorf("%q is not a version (separate comparisons with commas, like \">= 1.22, < 2\")", s)
	case !startsWithDigit(s):
		return t, fmt.Errorf("version %q does not start with a digit", s)
	}
	t.version = s
	return t, nil
}

func startsWithDigit(s string) bool {
	if i := strings.IndexByte(s, ':'); i >= 0 { // an epoch
		s = s[i+1:]
	}
	return s != "" && isDigit(s[0])
}

// String returns the constraint as written.
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
	if _, hasRevision := withoutRevision(s, t.version); !hasRevision {
		installed, _ = withoutRevision(s, installed)
	}
	return t.op.holds(Compare(s, installed, t.version))
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
