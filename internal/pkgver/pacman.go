package pkgver

// comparePacman orders [epoch:]version[-release] strings as pacman's alpm_pkg_vercmp does
// (lib/libalpm/version.c, what vercmp prints): epoch (missing is 0), then version, then release,
// each with alpmvercmp; the release counts only when both versions have one, so "1.2" equals
// "1.2-7".
func comparePacman(a, b string) int {
	if a == b {
		return 0
	}
	ea, va, ra, hasA := parseEVR(a)
	eb, vb, rb, hasB := parseEVR(b)
	if c := alpmvercmp(ea, eb); c != 0 {
		return c
	}
	if c := alpmvercmp(va, vb); c != 0 || !hasA || !hasB {
		return c
	}
	return alpmvercmp(ra, rb)
}

// alpmvercmp is pacman's copy of an older rpmvercmp, with pacman's own rules: "~" and "^" are
// plain separators, more separators before a segment make it newer ("2___a" is after "2_a"),
// and a trailing letter segment sorts before the end ("1.0rc" is before "1.0") while a trailing
// numeric one, or one after a separator, sorts after it ("1.0.a" is after "1.0").
func alpmvercmp(a, b string) int {
	if a == b {
		return 0
	}
	i, j := 0, 0   // the next unread byte
	pi, pj := 0, 0 // the end of the last segment, where the separators began
	for i < len(a) && j < len(b) {
		for i < len(a) && !isAlnum(a[i]) {
			i++
		}
		for j < len(b) && !isAlnum(b[j]) {
			j++
		}
		if i == len(a) || j == len(b) {
			break
		}
		if c := cmpInt(i-pi, j-pj); c != 0 {
			return c
		}
		segA, segB, numeric := segments(a[i:], b[j:])
		if segB == "" { // b's segment is of the other kind: numeric wins
			if numeric {
				return 1
			}
			return -1
		}
		if c := cmpSegments(segA, segB, numeric); c != 0 {
			return c
		}
		i, j = i+len(segA), j+len(segB)
		pi, pj = i, j
	}
	switch {
	case i == len(a) && j == len(b):
		return 0
	case i == len(a) && !isAlpha(b[j]), i < len(a) && isAlpha(a[i]):
		return -1
	}
	return 1
}
