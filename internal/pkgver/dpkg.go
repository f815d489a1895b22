package pkgver

import "strings"

// compareDpkg orders versions as dpkg --compare-versions does: epoch, then upstream version, then
// Debian revision (everything after the last hyphen), each part with verrevcmp.
func compareDpkg(a, b string) int {
	ea, ra := splitEpoch(a)
	eb, rb := splitEpoch(b)
	if c := cmpInt(ea, eb); c != 0 {
		return c
	}
	ua, va := splitRevision(ra)
	ub, vb := splitRevision(rb)
	if c := verrevcmp(ua, ub); c != 0 {
		return c
	}
	return verrevcmp(va, vb)
}

func splitRevision(v string) (upstream, revision string) {
	if i := strings.LastIndexByte(v, '-'); i >= 0 {
		return v[:i], v[i+1:]
	}
	return v, ""
}

// dpkgOrder is the weight of one non-digit character: "~" sorts before everything, even the end
// of the string; letters sort before other characters.
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
			if i < len(a) && !isDigit(a[i]) {
				i++
			}
			if j < len(b) && !isDigit(b[j]) {
				j++
			}
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
