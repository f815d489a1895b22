// Package pkgver compares package versions the way distribution package managers do, and checks
// them against constraints such as ">= 1.22, < 2".
//
// It sits between the facts the probe gathers (the installed versions of a package) and the
// verdict of a package check: the check parses the user's constraint once with ParseConstraint
// and asks Constraint.Allows about each installed version, under the Scheme of the image's
// package manager.
//
// Semantic versioning does not describe distribution versions: "1:9.1-1", "1.22.1-9+deb12u11",
// "2.4.57-5.el9_3.1" or "1.36.1-r2" carry epochs, revisions and suffixes that semver either rejects
// or orders wrongly. Compare follows each package manager's own algorithm (dpkg's verrevcmp, rpm's
// rpmverCmp, pacman's alpm_pkg_vercmp, apk's version lexer) and is checked against their own test
// data under testdata/. Constraint adds one rule on top, about versions written without a
// revision; see Constraint.
package pkgver

import "strings"

// A Scheme is a package manager's version ordering.
type Scheme string

// The schemes, named for the package manager whose rules they follow.
const (
	Dpkg   Scheme = "dpkg"   // Debian, Ubuntu: dpkg --compare-versions
	RPM    Scheme = "rpm"    // RHEL family, Fedora, SUSE: rpm.vercmp (rpmverCmp)
	APK    Scheme = "apk"    // Alpine: apk version -t (apk-tools 3)
	Pacman Scheme = "pacman" // Arch: vercmp (alpm_pkg_vercmp)
)

// Compare returns -1, 0 or +1 as version a sorts before, equal to or after b under scheme s, as
// the package manager's own comparison does, quirks included: rpm and pacman ignore separators
// ("1.0" equals "1_0"), pacman compares a release only when both versions have one ("1.2" equals
// "1.2-7"), and an unknown scheme compares as dpkg.
func Compare(s Scheme, a, b string) int {
	switch s {
	case RPM:
		return compareRPM(a, b)
	case Pacman:
		return comparePacman(a, b)
	case APK:
		return compareAPK(a, b, false)
	default:
		return compareDpkg(a, b)
	}
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
func isAlpha(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }
func isAlnum(b byte) bool { return isDigit(b) || isAlpha(b) }

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
