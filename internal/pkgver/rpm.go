package pkgver

import "strings"

// compareRPM orders [epoch:]version[-release] strings as rpm's rpmverCmp does (rpmio/rpmver.cc,
// what rpm.vercmp in rpm's Lua answers): epoch (missing is 0), then version, then release, each
// with rpmvercmp. A version without a release sorts before the same version with one.
func compareRPM(a, b string) int {
	ea, va, ra, hasA := parseEVR(a)
	eb, vb, rb, hasB := parseEVR(b)
	if c := rpmvercmp(ea, eb); c != 0 {
		return c
	}
	if c := rpmvercmp(va, vb); c != 0 {
		return c
	}
	switch {
	case hasA && hasB:
		return rpmvercmp(ra, rb)
	case hasA:
		return 1
	case hasB:
		return -1
	}
	return 0
}

// parseEVR splits [epoch:]version[-release] as rpm's and pacman's parseEVR do: the epoch is the
// leading digits before a colon ("0" when there is no colon or no digits), the
// release follows the last hyphen.
func parseEVR(v string) (epoch, version, release string, hasRelease bool) {
	epoch, version = "0", v
	i := 0
	for i < len(v) && isDigit(v[i]) {
		i++
	}
	if i < len(v) && v[i] == ':' {
		epoch, version = v[:i], v[i+1:]
		if epoch == "" {
			epoch = "0"
		}
	}
	if i := strings.LastIndexByte(version, '-'); i >= 0 {
		return epoch, version[:i], version[i+1:], true
	}
	return epoch, version, "", false
}

// rpmvercmp is rpm's (rpmio/rpmvercmp.cc): it compares alternating segments of digits and ASCII
// letters, skipping any other characters as separators. A numeric segment is newer than an
// alphabetic one, "~" sorts before anything, even the end (pre-releases), and "^" after the end
// but before any further segment (snapshots).
func rpmvercmp(a, b string) int {
	if a == b {
		return 0
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for i < len(a) && !isAlnum(a[i]) && a[i] != '~' && a[i] != '^' {
			i++
		}
		for j < len(b) && !isAlnum(b[j]) && b[j] != '~' && b[j] != '^' {
			j++
		}
		if at(a, i) == '~' || at(b, j) == '~' {
			if at(a, i) != '~' {
				return 1
			}
			if at(b, j) != '~' {
				return -1
			}
			i, j = i+1, j+1
			continue
		}
		if at(a, i) == '^' || at(b, j) == '^' {
			switch {
			case i == len(a):
				return -1
			case j == len(b):
				return 1
			case a[i] != '^':
				return 1
			case b[j] != '^':
				return -1
			}
			i, j = i+1, j+1
			continue
		}
		if i == len(a) || j == len(b) {
			break
		}
		segA, segB, numeric := segments(a[i:], b[j:])
		i, j = i+len(segA), j+len(segB)
		if segB == "" { // b's segment is of the other kind: numeric wins
			if numeric {
				return 1
			}
			return -1
		}
		if c := cmpSegments(segA, segB, numeric); c != 0 {
			return c
		}
	}
	switch {
	case i == len(a) && j == len(b):
		return 0
	case i == len(a):
		return -1
	}
	return 1
}

// at returns s[i], or 0 past the end, as reading a C string does.
func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

// segments returns the run of digits, or of letters, that a starts with (numeric tells which),
// and the run of the same kind that b starts with, which may be empty.
func segments(a, b string) (segA, segB string, numeric bool) {
	numeric = isDigit(a[0])
	kind := isAlpha
	if numeric {
		kind = isDigit
	}
	i, j := 0, 0
	for i < len(a) && kind(a[i]) {
		i++
	}
	for j < len(b) && kind(b[j]) {
		j++
	}
	return a[:i], b[:j], numeric
}

// cmpSegments compares two segments of the same kind: digits as numbers of any length, letters
// as bytes.
func cmpSegments(a, b string, numeric bool) int {
	if numeric {
		return cmpDigits(a, b)
	}
	return strings.Compare(a, b)
}
