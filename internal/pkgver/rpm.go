package pkgver

import "strings"

// compareRPM orders versions as rpm does for [epoch:]version[-release]: epoch, then version,
// then release, each with rpmvercmp. A release is compared only when both sides have one, so
// "1.2" matches any "1.2-N", as in rpm's own dependency checks.
func compareRPM(a, b string) int {
	ea, ra := splitEpoch(a)
	eb, rb := splitEpoch(b)
	if c := cmpInt(ea, eb); c != 0 {
		return c
	}
	va, rela, hasA := strings.Cut(ra, "-")
	vb, relb, hasB := strings.Cut(rb, "-")
	if c := rpmvercmp(va, vb); c != 0 || !hasA || !hasB {
		return c
	}
	return rpmvercmp(rela, relb)
}

func isAlnum(b byte) bool { return isDigit(b) || isAlpha(b) }

// rpmvercmp compares alternating segments of digits and letters, skipping separators. "~" sorts
// before anything (pre-releases), "^" after the base version but before any further segment
// (snapshots), and a numeric segment is newer than an alphabetic one.
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
		if (i < len(a) && a[i] == '~') || (j < len(b) && b[j] == '~') {
			if i >= len(a) || a[i] != '~' {
				return 1
			}
			if j >= len(b) || b[j] != '~' {
				return -1
			}
			i, j = i+1, j+1
			continue
		}
		if (i < len(a) && a[i] == '^') || (j < len(b) && b[j] == '^') {
			switch {
			case i >= len(a):
				return -1
			case j >= len(b):
				return 1
			case a[i] != '^':
				return 1
			case b[j] != '^':
				return -1
			}
			i, j = i+1, j+1
			continue
		}
		if i >= len(a) || j >= len(b) {
			break
		}
		si, sj := i, j
		numeric := isDigit(a[i])
		seg := isAlpha
		if numeric {
			seg = isDigit
		}
		for i < len(a) && seg(a[i]) {
			i++
		}
		for j < len(b) && seg(b[j]) {
			j++
		}
		if sj == j { // b's segment is of the other type: numeric wins
			if numeric {
				return 1
			}
			return -1
		}
		var c int
		if numeric {
			c = cmpDigits(a[si:i], b[sj:j])
		} else {
			c = strings.Compare(a[si:i], b[sj:j])
		}
		if c != 0 {
			return c
		}
	}
	switch {
	case i >= len(a) && j >= len(b):
		return 0
	case i >= len(a):
		return -1
	}
	return 1
}
