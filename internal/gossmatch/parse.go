package gossmatch

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// parser turns a raw matcher into a node tree, collecting every problem on the way. It follows
// goss's resource/gomega.go, matcherToGomegaMatcher and sliceToGomega.
type parser struct {
	errs     []error
	warnings []string
}

// names are the matchers goss v0.4.9 knows, for the message about an unknown one.
var names = []string{"equal", "not", "and", "or", "consist-of", "contain-element", "contain-elements",
	"contain-substring", "have-prefix", "have-suffix", "match-regexp", "have-len", "have-key",
	"have-patterns", "gt", "ge", "lt", "le", "semver-constraint", "gjson"}

func (p *parser) errorf(path, format string, args ...any) node {
	p.errs = append(p.errs, &ParseError{Path: path, Msg: fmt.Sprintf(format, args...)})
	return nil
}

func (p *parser) warnf(path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if path != "" {
		msg = path + ": " + msg
	}
	p.warnings = append(p.warnings, msg)
}

func member(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (p *parser) parse(raw any, path string) node {
	switch v := raw.(type) {
	case string:
		return &transformNode{t: toString{}, next: &equalNode{want: v, bare: true}}
	case int, float64:
		return &transformNode{t: toNumeric{}, next: &numberNode{op: "eq", want: v}}
	case bool:
		return &equalNode{want: v, bare: true}
	case []any:
		if len(v) == 0 {
			p.warnf(path, "an empty list wants no element: every list passes it")
		}
		return &elementsNode{elems: p.list(v, path)}
	case nil:
		return p.errorf(path, `a matcher is missing: write a value (like "nginx", 3 or true) or a matcher (like contain-substring: "nginx")`)
	case map[string]any:
		return p.matcher(v, path)
	}
	return p.errorf(path, "%s is not a matcher: write a string, a number, true or false, a list, or a map of one matcher (goss refuses it too)", kindOf(raw))
}

// list parses the elements of a list of matchers.
func (p *parser) list(l []any, path string) []node {
	nodes := make([]node, len(l))
	for i, e := range l {
		nodes[i] = p.parse(e, fmt.Sprintf("%s[%d]", path, i))
	}
	return nodes
}

func (p *parser) matcher(m map[string]any, path string) node {
	switch len(m) {
	case 0:
		// goss panics on an empty map (it takes the first of no keys).
		return p.errorf(path, `an empty map is not a matcher: write one matcher, like {have-prefix: "abc"}`)
	case 1:
	default:
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return p.errorf(path, "only one matcher may be written in one map, found %s: to want them all, write and: [{%s: …}, {%s: …}]",
			quoteAll(keys), keys[0], keys[1])
	}
	var name string
	var value any
	for name, value = range m {
	}
	at := member(path, name)
	switch name {
	case "equal":
		return &equalNode{want: value}
	case "have-prefix", "have-suffix", "contain-substring", "match-regexp":
		s, ok := value.(string)
		if !ok {
			return p.errorf(at, `%s wants a string, like %s: "abc"; found %s`, name, name, kindOf(value))
		}
		n := &stringNode{op: name, s: s}
		if name == "match-regexp" {
			re, err := regexp.Compile(s)
			if err != nil {
				// goss fails the check with this error whenever it is reached.
				return p.errorf(at, "%s is not a valid regular expression (Go's RE2 syntax): %v", strconv.Quote(s), regexpError(err))
			}
			n.re = re
		}
		return &transformNode{t: toString{}, next: n}
	case "have-len":
		var count int
		switch n := value.(type) {
		case int:
			count = n
		case float64:
			// goss truncates 2.5 to 2; a length can never be 2.5, so we refuse it.
			if n != math.Trunc(n) || n < math.MinInt32 || n > math.MaxInt32 {
				return p.errorf(at, "have-len wants a whole number, like have-len: 3; found %s", kindOf(value))
			}
			count = int(n)
		default:
			return p.errorf(at, "have-len wants a whole number, like have-len: 3; found %s", kindOf(value))
		}
		return &lenNode{count: count}
	case "have-patterns":
		l, ok := value.([]any)
		if !ok {
			return p.errorf(at, `have-patterns wants a list of line patterns, like have-patterns: ["foo", "!bar", "/^baz/"]; found %s`, kindOf(value))
		}
		pats := p.patterns(l, at)
		if len(l) == 0 {
			p.warnf(at, "no line patterns: every text passes")
		}
		return &transformNode{t: toString{}, next: &patternsNode{pats: pats}}
	case "have-key":
		return &keyNode{key: p.parse(value, at)}
	case "contain-element":
		switch value.(type) {
		case map[string]any, string, float64, int:
		default:
			return p.errorf(at, `contain-element wants one matcher, a string or a number, like contain-element: {have-prefix: "a"}; found %s (for several elements, write contain-elements: [...])`, kindOf(value))
		}
		return &transformNode{t: toArray{}, next: &elementNode{elem: p.parse(value, at)}}
	case "contain-elements", "consist-of", "and", "or":
		l, ok := value.([]any)
		if !ok {
			return p.errorf(at, "%s wants a list of matchers, like %s: [\"a\", {have-prefix: \"b\"}]; found %s", name, name, kindOf(value))
		}
		nodes := p.list(l, at)
		switch {
		case len(l) > 0:
		case name == "and", name == "contain-elements":
			p.warnf(at, "an empty list: every value passes it")
		case name == "or":
			p.warnf(at, "an empty list: no value passes it")
		}
		switch name {
		case "contain-elements":
			return &transformNode{t: toArray{}, next: &elementsNode{elems: nodes, written: true}}
		case "consist-of":
			return &consistNode{elems: nodes}
		case "and":
			return &andNode{nodes: nodes}
		}
		return &orNode{nodes: nodes}
	case "not":
		return &notNode{n: p.parse(value, at)}
	case "gt", "ge", "lt", "le":
		switch value.(type) {
		case int, float64:
		default:
			// goss fails the check with "Expected a number" whenever it reaches a value that is
			// not a number, and compares a uint64 (a YAML integer beyond int64) as a negative
			// int64, so that 1 is greater than 18446744073709551615.
			return p.errorf(at, "%s wants a number, like %s: 3; found %s", name, name, kindOf(value))
		}
		return &transformNode{t: toNumeric{}, next: &numberNode{op: name, want: value}}
	case "semver-constraint":
		s, ok := value.(string)
		if !ok {
			return p.errorf(at, `semver-constraint wants a string, like semver-constraint: ">=1.2.0 <2.0.0"; found %s`, kindOf(value))
		}
		r, err := parseRange(s)
		if err != nil {
			// goss fails the check with this error whenever it is reached.
			return p.errorf(at, `%s is not a semver range (like ">=1.2.0 <2.0.0" or "<1.0.0 || >=2.1.0"): %v`, strconv.Quote(s), err)
		}
		return &semverNode{text: s, r: r}
	case "gjson":
		m, ok := value.(map[string]any)
		if !ok {
			return p.errorf(at, `gjson wants a map of JSON paths to matchers, like gjson: {"a.b": "c"}; found %s`, kindOf(value))
		}
		paths := make([]string, 0, len(m))
		for k := range m {
			paths = append(paths, k)
		}
		sort.Strings(paths)
		if len(paths) == 0 {
			p.warnf(at, "no JSON paths: every value passes, even one that is not JSON")
		}
		n := &andNode{gjson: true}
		for _, k := range paths {
			n.nodes = append(n.nodes, &transformNode{t: gjsonPath{path: k}, next: p.parse(m[k], member(at, strconv.Quote(k)))})
		}
		return n
	}
	msg := fmt.Sprintf("%s is not a matcher of goss", strconv.Quote(name))
	if near := nearest(name, names); near != "" {
		msg += "; did you mean " + strconv.Quote(near) + "?"
	}
	return p.errorf(path, "%s (the matchers are %s)", msg, strings.Join(names, ", "))
}

// patterns parses line patterns, refusing what goss would fail or crash on whenever it read them.
func (p *parser) patterns(l []any, path string) []pattern {
	pats := make([]pattern, 0, len(l))
	for i, e := range l {
		at := fmt.Sprintf("%s[%d]", path, i)
		s, ok := e.(string)
		if !ok {
			p.errorf(at, "a line pattern is a string, like \"foo\", \"!foo\" or \"/^foo/\"; found %s (quote it: %s)", kindOf(e), strconv.Quote(fmt.Sprint(e)))
			continue
		}
		pat, err := newPattern(s)
		if err != nil {
			p.errorf(at, "%v", err)
			continue
		}
		if !pat.inverse && pat.re == nil && pat.clean == "" && s != "" {
			p.warnf(at, "goss strips every leading \\, / and ! from %s, which leaves nothing: every line matches it", strconv.Quote(s))
		}
		pats = append(pats, pat)
	}
	return pats
}

// isNumber is gomega's test for a number: any Go integer or float kind.
func isNumber(v any) bool {
	if v == nil {
		return false
	}
	k := reflect.TypeOf(v).Kind()
	return reflect.Int <= k && k <= reflect.Float64
}

// kindOf names a raw value and shows it, for messages: `a string "3"`, `a number 3`.
func kindOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing (null)"
	case string:
		return "a string " + show(x)
	case bool:
		return "a bool " + show(x)
	case int, float64:
		return "a number " + show(x)
	case int64, uint64:
		return fmt.Sprintf("the number %v, beyond what goss reads as a number", x)
	case []any:
		return "a list " + show(x)
	case map[string]any:
		return "a map " + show(x)
	}
	if reflect.TypeOf(v).Kind() == reflect.Map {
		return "a map whose keys are not all strings " + show(v)
	}
	return fmt.Sprintf("a %T %s", v, show(v))
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// nearest is the name closest to a misspelt one, or "" when none is close: a difference of at most
// a third of the name's length.
func nearest(name string, candidates []string) string {
	best, bestDist := "", len(name)/3+1
	for _, c := range candidates {
		if d := distance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance of two strings, byte by byte.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
