package pkgver

import "strings"

// apkSuffixes are the pre- and post-release suffixes of Alpine versions in order; those before
// the empty string ("") sort before the plain release.
var apkSuffixes = map[string]int{
	"alpha": -4, "beta": -3, "pre": -2, "rc": -1,
	"cvs": 1, "svn": 2, "git": 3, "hg": 4, "p": 5,
}

// apkToken is one piece of an Alpine version: a number, a letter, a suffix or the revision.
type apkToken struct {
	class int // the order of token classes when two versions differ in shape
	num   string
	word  string
}

const (
	apkSuffixPre = iota // "1.0_rc1" sorts before "1.0"
	apkEnd
	apkRevision
	apkSuffixPost
	apkLetter
	apkNumber
)

// tokenizeAPK splits "1.36.1_rc2-r3" into numbers, letters, suffixes and the revision.
func tokenizeAPK(v string) []apkToken {
	var toks []apkToken
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case isDigit(c):
			j := i
			for j < len(v) && isDigit(v[j]) {
				j++
			}
			toks = append(toks, apkToken{class: apkNumber, num: v[i:j]})
			i = j
		case c == '_':
			j := i + 1
			for j < len(v) && isAlpha(v[j]) {
				j++
			}
			word := v[i+1 : j]
			class := apkSuffixPost
			if apkSuffixes[word] < 0 {
				class = apkSuffixPre
			}
			toks = append(toks, apkToken{class: class, word: word})
			i = j
		case c == '-' && i+1 < len(v) && v[i+1] == 'r':
			j := i + 2
			for j < len(v) && isDigit(v[j]) {
				j++
			}
			toks = append(toks, apkToken{class: apkRevision, num: v[i+2 : j]})
			i = j
		case isAlpha(c):
			toks = append(toks, apkToken{class: apkLetter, word: string(c)})
			i++
		default: // "." and anything unexpected separate tokens
			i++
		}
	}
	return toks
}

// compareAPK orders Alpine versions token by token, as apk version does.
func compareAPK(a, b string) int {
	ta, tb := tokenizeAPK(a), tokenizeAPK(b)
	for k := 0; k < len(ta) || k < len(tb); k++ {
		x, y := apkToken{class: apkEnd}, apkToken{class: apkEnd}
		if k < len(ta) {
			x = ta[k]
		}
		if k < len(tb) {
			y = tb[k]
		}
		if x.class != y.class {
			return cmpInt(x.class, y.class)
		}
		var c int
		switch x.class {
		case apkNumber, apkRevision:
			c = cmpDigits(x.num, y.num)
		case apkLetter:
			c = strings.Compare(x.word, y.word)
		case apkSuffixPre, apkSuffixPost:
			c = cmpInt(apkSuffixes[x.word], apkSuffixes[y.word])
			if c == 0 {
				c = strings.Compare(x.word, y.word)
			}
		}
		if c != 0 {
			return c
		}
	}
	return 0
}
