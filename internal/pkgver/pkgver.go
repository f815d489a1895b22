// Package pkgver compares package versions the way distribution package managers do, and checks
// them against constraints such as ">= 1.22, < 2".
//
// Semantic versioning does not describe distribution versions: "1:9.1-1", "1.22.1-9+deb12u11",
// "2.4.57-5.el9_3.1" or "1.36.1-r2" carry epochs, revisions and suffixes that semver either rejects
// or orders wrongly. Each Scheme here follows its package manager's own algorithm (dpkg's
// verrevcmp, rpm's rpmvercmp, apk's version tokenizer), so a constraint means what the image's
// package manager would mean by it.
package pkgver

import (
	"fmt"
	"strings"
)

// A Scheme is a package manager's version ordering.
type Scheme string

// The schemes, named for the package manager whose rules they follow.
const (
	Dpkg   Scheme = "dpkg"   // Debian, Ubuntu
	RPM    Scheme = "rpm"    // RHEL family, Fedora, SUSE
	APK    Scheme = "apk"    // Alpine
	Pacman Scheme = "pacman" // Arch; alpm_pkg_vercmp is rpmvercmp on epoch:version-release
)

// Compare returns -1, 0 or +1 as version a sorts before, equal to or after b under scheme s.
func Compare(s Scheme, a, b string) int {
	switch s {
	case RPM, Pacman:
		return compareRPM(a, b)
	case APK:
		return compareAPK(a, b)
	default:
		return compareDpkg(a, b)
	}
}

// An operator relates an installed version to a wanted one.
type operator string

var operators = []operator{">=", "<=", "!=", "==", ">", "<", "="} // longest first, for parsing

// term is one comparison of a constraint, like ">= 1.22".
type term struct {
	op      operator
	version string
}

// A Constraint is a conjunction of comparisons, written ">= 1.22, < 2" or "= 1:9.1-1".
// A bare version ("1.2-3") means equality.
type Constraint struct {
	text  string
	terms []term
}

// ParseConstraint parses a comma-separated list of comparisons.
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
		if !t.op.holds(Compare(s, installed, t.version)) {
			return false
		}
	}
	return len(c.terms) > 0
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

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
func isAlpha(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

// splitEpoch splits "1:2.3" into 1 and "2.3"; a missing or unreadable epoch is 0.
func splitEpoch(v string) (int, string) {
	i := strings.IndexByte(v, ':')
	if i < 0 {
		return 0, v
	}
	n := 0
	for _, r := range v[:i] {
		if r < '0' || r > '9' {
			return 0, v
		}
		if n < 1<<30 {
			n = n*10 + int(r-'0')
		}
	}
	return n, v[i+1:]
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpDigits compares two runs of decimal digits of any length as numbers.
func cmpDigits(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if c := cmpInt(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
