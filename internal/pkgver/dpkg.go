package pkgver

import "strings"

// compareDpkg orders versions as dpkg --compare-versions does (lib/dpkg/version.c and
// parsehelp.c): epoch, then upstream version, then Debian revision (everything after the last
// hyphen), the last two with verrevcmp. An empty version sorts before every other one.
func compareDpkg(a, b string) int {
	if noneA, noneB := dpkgNone(a), dpkgNone(b); noneA || noneB {
		switch {
		case noneA && noneB:
			return 0
		case noneA:
			return -1
		}
		return 1
	}
	ea, ua, ra := parseDpkg(a)
	eb, ub, rb := parseDpkg(b)
	if c := cmpDigits(ea, eb); c != 0 {
		return c
	}
	if c := verrevcmp(ua, ub); c != 0 {
		return c
	}
	return verrevcmp(ra, rb)
}

// dpkgNone reports whether dpkg --compare-versions takes v for no version at all.
func dpkgNone(v string) bool { return v == "" || v == "<unknown>" }

// parseDpkg splits "1:2.3-4" into epoch "1" (or "0"), upstream "2.3" and revision "4" (or ""),
// trimming blanks first, as dpkg's parseversion does. dpkg rejects an epoch that is not a number;
// here such a version has no epoch, and its colon is part of the upstream version.
func parseDpkg(v string) (epoch, upstream, revision string) {
	v = strings.Trim(v, " \t")
	epoch = "0"
	if e, rest, ok := strings.Cut(v, ":"); ok && e != "" && strings.Trim(e, "0123456789") == "" {
		epoch, v = e, rest
	}
	if i := strings.LastIndexByte(v, '-'); i >= 0 {
		return epoch, v[:i], v[i+1:]
	}
	return epoch, v, ""
}

// dpkgOrder is the weight of one non-digit character: "~" sorts before everything, even the end
// of the string; letters sort before other characters. A byte above 127 weighs less than ASCII
// punctuation, as in dpkg on amd64 and i386, where C's char is signed and dpkg adds 256 to a
// negative one.
func dpkgOrder(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	c := s[i]
	switch {
	case isDigit(c):
		return 0
	case isAlpha(c):
		return int(c)
	case c == '~':
		return -1
	case c >= 0x80:
		return int(int8(c)) + 256
	default:
		return int(c) + 256
	}
}

// verrevcmp alternates between a run of non-digits, compared character by character with
// dpkgOrder, and a run of digits, compared as a number.
func verrevcmp(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for (i < len(a) && !isDigit(a[i])) || (j < len(b) && !isDigit(b[j])) {
			if c := cmpInt(dpkgOrder(a, i), dpkgOrder(b, j)); c != 0 {
				return c
			}
			i, j = i+1, j+1
		}
		si, sj := i, j
		for i < len(a) && isDigit(a[i]) {
			i++
		}
		for j < len(b) && isDigit(b[j]) {
			j++
		}
		if c := cmpDigits(a[si:i], b[sj:j]); c != 0 {
			return c
		}
	}
	return 0
}
