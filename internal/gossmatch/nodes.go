package gossmatch

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"

	"github.com/blang/semver/v4"
)

// equalNode is gomega's Equal: reflect.DeepEqual, refusing to compare nothing with nothing. bare
// marks the matcher written as a plain value rather than as equal: v.
type equalNode struct {
	want any
	bare bool
}

func (n *equalNode) eval(actual any, c *cx) outcome {
	if actual == nil && n.want == nil {
		return refuse(c.show(actual), errorf("found nothing (null), and goss refuses to compare nothing with nothing: want a value"))
	}
	if reflect.DeepEqual(actual, n.want) {
		return pass(c.show(actual))
	}
	found := c.show(actual)
	if actual != nil && n.want != nil && reflect.TypeOf(actual) != reflect.TypeOf(n.want) {
		// "found 0, want exactly 0" would puzzle: say that the types differ.
		found += " (" + typeName(actual) + ", where equal wants " + typeName(n.want) + ": it compares types too)"
	}
	return fail(found)
}

// typeName names a value's Go type in words.
func typeName(v any) string {
	switch v.(type) {
	case int, int64, uint64:
		return "a whole number"
	case float64:
		return "a float"
	case string:
		return "a string"
	case bool:
		return "a bool"
	case []string:
		return "a list of strings"
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	}
	return fmt.Sprintf("a %T", v)
}

func (n *equalNode) String() string {
	if n.bare {
		return show(n.want)
	}
	return "exactly " + show(n.want)
}

// numberNode is gomega's BeNumerically with goss's comparators: floats when either side is a
// float, else integers (gomega's other kinds of numbers never reach it here).
type numberNode struct {
	op   string // eq, gt, ge, lt, le
	want any    // a number of any Go kind, as Parse made sure
}

var numberWords = map[string]string{"eq": "", "gt": "greater than ", "ge": "at least ", "lt": "less than ", "le": "at most "}

func (n *numberNode) String() string { return numberWords[n.op] + show(n.want) }

func (n *numberNode) eval(actual any, c *cx) outcome {
	// to-numeric gives an int or a float64, and Parse takes no other operand.
	x, xInt := actual.(int)
	y, yInt := n.want.(int)
	xf, xFloat := actual.(float64)
	yf, yFloat := n.want.(float64)
	if !(xInt || xFloat) || !(yInt || yFloat) {
		return refuse(c.show(actual), errorf("%s is not a number, so it cannot be compared: want %s", c.show(actual), n))
	}
	var cmp int
	if xInt && yInt {
		cmp = compare(x, y)
	} else {
		if xInt {
			xf = float64(x)
		}
		if yInt {
			yf = float64(y)
		}
		if math.IsNaN(xf) || math.IsNaN(yf) {
			return fail(c.show(actual)) // every comparison with NaN is false
		}
		cmp = compare(xf, yf)
	}
	var ok bool
	switch n.op {
	case "eq":
		ok = cmp == 0
	case "gt":
		ok = cmp > 0
	case "ge":
		ok = cmp >= 0
	case "lt":
		ok = cmp < 0
	case "le":
		ok = cmp <= 0
	}
	return outcome{ok: ok, found: c.show(actual)}
}

func compare[T int | float64](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// stringNode is gomega's HavePrefix, HaveSuffix, ContainSubstring and MatchRegexp. goss puts
// to-string in front of each, so the actual value is always a string by then.
type stringNode struct {
	op string
	s  string
	re *regexp.Regexp
}

func (n *stringNode) String() string {
	switch n.op {
	case "have-prefix":
		return "starting with " + show(n.s)
	case "have-suffix":
		return "ending with " + show(n.s)
	case "contain-substring":
		return "containing " + show(n.s)
	}
	return "matching /" + n.s + "/"
}

func (n *stringNode) eval(actual any, c *cx) outcome {
	// gomega also takes []byte and Stringers, but goss puts to-string in front.
	s, ok := actual.(string)
	if !ok {
		return refuse(c.show(actual), errorf("%s is not a string, so it cannot be compared: want %s", c.show(actual), n))
	}
	switch n.op {
	case "have-prefix":
		ok = strings.HasPrefix(s, n.s)
	case "have-suffix":
		ok = strings.HasSuffix(s, n.s)
	case "contain-substring":
		ok = strings.Contains(s, n.s)
	default:
		ok = n.re.MatchString(s)
	}
	return outcome{ok: ok, found: c.show(actual)}
}

// lenNode is gomega's HaveLen: the bytes of a string, the elements of a list or map.
type lenNode struct{ count int }

func (n *lenNode) String() string { return "of length " + strconv.Itoa(n.count) }

func (n *lenNode) eval(actual any, c *cx) outcome {
	if actual != nil {
		switch v := reflect.ValueOf(actual); v.Kind() {
		case reflect.Map, reflect.Array, reflect.String, reflect.Chan, reflect.Slice:
			return outcome{ok: v.Len() == n.count, found: fmt.Sprintf("%s of length %d", c.show(actual), v.Len())}
		}
	}
	return refuse(c.show(actual), errorf("%s has no length, so it cannot be compared: want a string, list or map %s", c.show(actual), n))
}

// keyNode is gomega's HaveKey: some key of a map matches. goss tries the keys in Go's random
// order and stops at the first that matches or cannot be compared; we decide the same way every
// time by making any key that cannot be compared an error.
type keyNode struct{ key node }

func (n *keyNode) String() string { return "with a key " + n.key.String() }

func (n *keyNode) eval(actual any, c *cx) outcome {
	if actual == nil || reflect.TypeOf(actual).Kind() != reflect.Map {
		return refuse(c.show(actual), errorf("%s is not a map, so it cannot be compared: want a map %s", c.show(actual), n))
	}
	v := reflect.ValueOf(actual)
	keys := v.MapKeys()
	sortValues(keys)
	found := false
	for _, k := range keys {
		o := n.key.eval(k.Interface(), c)
		if o.err != nil {
			return refuse(c.show(actual), fmt.Errorf("the key %s cannot be compared: %w", c.show(k.Interface()), o.err))
		}
		found = found || o.ok
	}
	return outcome{ok: found, found: c.show(actual)}
}

// notNode is goss's Not: an error stays an error.
type notNode struct{ n node }

func (n *notNode) String() string { return "not " + joinDescriptions([]node{n.n}, "") }

func (n *notNode) eval(actual any, c *cx) outcome {
	o := n.n.eval(actual, c)
	if o.err != nil {
		return o
	}
	return outcome{ok: !o.ok, found: o.found}
}

// andNode is goss's And: the first matcher that fails or cannot compare decides. gjson marks the
// and that goss's gjson matcher builds from its paths.
type andNode struct {
	nodes []node
	gjson bool
}

func (n *andNode) String() string {
	if n.gjson {
		parts := make([]string, len(n.nodes))
		for i, m := range n.nodes {
			parts[i] = m.String()
		}
		return "JSON with " + strings.Join(parts, ", ")
	}
	if len(n.nodes) == 0 {
		return "anything (an empty and)"
	}
	return joinDescriptions(n.nodes, " and ")
}

func (n *andNode) eval(actual any, c *cx) outcome {
	for _, m := range n.nodes {
		if o := m.eval(actual, c); !o.ok || o.err != nil {
			return o
		}
	}
	return pass(c.show(actual))
}

// orNode is goss's Or: the first matcher that matches decides, and one that cannot compare stops
// the search with its error.
type orNode struct{ nodes []node }

func (n *orNode) String() string {
	if len(n.nodes) == 0 {
		return "nothing (an empty or)"
	}
	return joinDescriptions(n.nodes, " or ")
}

func (n *orNode) eval(actual any, c *cx) outcome {
	for _, m := range n.nodes {
		o := m.eval(actual, c)
		if o.err != nil {
			return o
		}
		if o.ok {
			return o
		}
	}
	return fail(c.show(actual))
}

// semverNode is goss's BeSemverConstraint (matchers/semver_constraint.go): a version string, or a
// non-empty list of them, every one strict semver (blang/semver's Parse) and in the range.
type semverNode struct {
	text string
	r    semver.Range
}

func (n *semverNode) String() string { return "satisfying semver " + strconv.Quote(n.text) }

func (n *semverNode) eval(actual any, c *cx) outcome {
	versions, bad := semverVersions(actual, c)
	if bad != "" {
		return refuse(c.show(actual), errorf("%s, so it cannot be compared: want %s", bad, n))
	}
	for _, v := range versions {
		if !n.r(v) {
			return fail(c.show(actual))
		}
	}
	return pass(c.show(actual))
}

// semverVersions reads the versions of a string or a list of strings, or says why it cannot.
func semverVersions(actual any, c *cx) ([]semver.Version, string) {
	if s, ok := actual.(string); ok {
		v, err := semver.Parse(s)
		if err != nil {
			return nil, fmt.Sprintf("%s is not a semantic version (like 1.2.3)", c.show(s))
		}
		return []semver.Version{v}, ""
	}
	var list []string
	switch l := actual.(type) {
	case []string:
		list = l
	case []any:
		for _, e := range l {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Sprintf("%s holds %s, which is not a version string", c.show(actual), c.show(e))
			}
			list = append(list, s)
		}
	default:
		return nil, fmt.Sprintf("%s is neither a version nor a list of versions", c.show(actual))
	}
	if len(list) == 0 {
		return nil, "found no version (an empty list)"
	}
	versions := make([]semver.Version, len(list))
	for i, s := range list {
		v, err := semver.Parse(s)
		if err != nil {
			return nil, fmt.Sprintf("%s is not a semantic version (like 1.2.3)", c.show(s))
		}
		versions[i] = v
	}
	return versions, ""
}

// parseRange is blang/semver's ParseRange, which must never take the plugin down.
func parseRange(s string) (r semver.Range, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("the semver library failed on it (%v)", p)
		}
	}()
	return semver.ParseRange(s)
}

// sortValues orders map keys by how they print, so that walking a map is the same every time.
func sortValues(vs []reflect.Value) {
	sort.Slice(vs, func(i, j int) bool {
		return fmt.Sprint(vs[i].Interface()) < fmt.Sprint(vs[j].Interface())
	})
}

func regexpError(err error) string {
	if e, ok := err.(*syntax.Error); ok {
		return fmt.Sprintf("%s in %s", e.Code, strconv.Quote(e.Expr))
	}
	return err.Error()
}
