package pkgver

import "strings"

// apk versions are digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}. The lexer below follows
// apk-tools 3's src/version.c token by token; apk-tools 2 (Alpine 3.22 and older) agrees on
// every case of its own test data, which apk-tools 3 kept, but orders some numbers with leading
// zeros differently.

// An apkToken is the kind of one piece of an apk version. The order matters: when two versions
// agree up to a point where their kinds differ, the one whose next token comes later in this
// list is the older, so the end sorts before a revision and an invalid rest before the end.
type apkToken int

const (
	apkInitialDigit apkToken = iota
	apkDigit
	apkLetter
	apkSuffix
	apkSuffixNo
	apkCommitHash
	apkRevisionNo
	apkEnd
	apkInvalid
)

// apkSuffixes ranks the suffixes; those below apkSuffixNone are pre-releases ("1.0_rc1" is
// before "1.0"), the rest post-releases. Any other suffix makes the version invalid.
var apkSuffixes = map[string]int{
	"alpha": 1, "beta": 2, "pre": 3, "rc": 4,
	"cvs": 6, "svn": 7, "git": 8, "hg": 9, "p": 10,
}

const apkSuffixNone = 5

// apkLexer reads one version a token at a time.
type apkLexer struct {
	rest   string
	token  apkToken
	text   string // the token's digits, letter or hash
	number uint64 // digits read as a number, wrapping as apk's uint64 does
	suffix int
}

func (l *apkLexer) first() {
	l.token = apkInitialDigit
	l.digits()
}

// digits reads a run of digits; none makes the version invalid.
func (l *apkLexer) digits() {
	i := 0
	l.number = 0
	for i < len(l.rest) && isDigit(l.rest[i]) {
		l.number = l.number*10 + uint64(l.rest[i]-'0')
		i++
	}
	l.text, l.rest = l.rest[:i], l.rest[i:]
	if i == 0 {
		l.token = apkInvalid
	}
}

// next reads the token after the current one, which also decides which tokens may follow.
func (l *apkLexer) next() {
	if l.rest == "" {
		l.token = apkEnd
		return
	}
	switch c := l.rest[0]; {
	case 'a' <= c && c <= 'z':
		if l.token > apkDigit {
			l.token = apkInvalid
			return
		}
		l.token, l.text, l.rest = apkLetter, l.rest[:1], l.rest[1:]
	case c == '.' || isDigit(c):
		if c == '.' {
			if l.token > apkDigit {
				l.token = apkInvalid
				return
			}
			l.rest = l.rest[1:]
		}
		switch l.token {
		case apkInitialDigit, apkDigit:
			l.token = apkDigit
		case apkSuffix:
			l.token = apkSuffixNo
		default:
			l.token = apkInvalid
			return
		}
		l.digits()
	case c == '_':
		if l.token > apkSuffixNo {
			l.token = apkInvalid
			return
		}
		i := 1
		for i < len(l.rest) && 'a' <= l.rest[i] && l.rest[i] <= 'z' {
			i++
		}
		suffix, ok := apkSuffixes[l.rest[1:i]]
		if !ok {
			l.token = apkInvalid
			return
		}
		l.token, l.suffix, l.rest = apkSuffix, suffix, l.rest[i:]
	case c == '~':
		if l.token >= apkCommitHash {
			l.token = apkInvalid
			return
		}
		i := 1
		for i < len(l.rest) && (isDigit(l.rest[i]) || 'a' <= l.rest[i] && l.rest[i] <= 'f') {
			i++
		}
		if i == 1 {
			l.token = apkInvalid
			return
		}
		l.token, l.text, l.rest = apkCommitHash, l.rest[1:i], l.rest[i:]
	case c == '-':
		if l.token >= apkRevisionNo || !strings.HasPrefix(l.rest, "-r") {
			l.token = apkInvalid
			return
		}
		l.token, l.rest = apkRevisionNo, l.rest[2:]
		l.digits()
	default:
		l.token = apkInvalid
	}
}

// cmp compares the current tokens of l and m, which are of the same kind.
func (l *apkLexer) cmp(m *apkLexer) int {
	switch l.token {
	case apkDigit:
		// A number after a dot with a leading zero on either side compares as a string, as
		// in Gentoo's rules: "1.09" is before "1.1", "8.2.0015" before "8.2.002".
		if l.text[0] == '0' || m.text[0] == '0' {
			return strings.Compare(l.text, m.text)
		}
		fallthrough
	case apkInitialDigit, apkSuffixNo, apkRevisionNo:
		return cmpUint(l.number, m.number)
	case apkLetter:
		return strings.Compare(l.text, m.text)
	case apkSuffix:
		return cmpInt(l.suffix, m.suffix)
	}
	return strings.Compare(l.text, m.text) // a commit hash
}

// validAPK reports whether apk-tools would accept v as a version.
func validAPK(v string) bool {
	l := apkLexer{rest: v}
	for l.first(); l.token < apkEnd; l.next() {
	}
	return l.token == apkEnd
}

// compareAPK orders versions as apk-tools' apk_version_compare does, token by token. With fuzzy,
// b matches every version it is a prefix of, token-wise ("3.6.9" matches "3.6"), as the "~"
// operator of apk does.
func compareAPK(a, b string, fuzzy bool) int {
	x, y := apkLexer{rest: a}, apkLexer{rest: b}
	x.first()
	y.first()
	for x.token == y.token && x.token < apkEnd {
		if c := x.cmp(&y); c != 0 {
			return c
		}
		x.next()
		y.next()
	}
	switch {
	case x.token == y.token, y.token == apkEnd && fuzzy:
		return 0
	case x.token == apkSuffix && x.suffix < apkSuffixNone:
		return -1
	case y.token == apkSuffix && y.suffix < apkSuffixNone:
		return 1
	}
	return -cmpInt(int(x.token), int(y.token))
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
