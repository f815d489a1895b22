package gossmatch

import (
	"reflect"
	"strings"
)

// isCollection is gomega's test for what its collection matchers take: a list or a map.
func isCollection(v any) bool {
	if v == nil {
		return false
	}
	switch reflect.TypeOf(v).Kind() {
	case reflect.Array, reflect.Slice, reflect.Map:
		return true
	}
	return false
}

// valuesOf is gomega's valuesOf: the elements of a list, or the values of a map (ordered by their
// keys, so that a report reads the same every time; no verdict depends on the order).
func valuesOf(v any) []any {
	rv := reflect.ValueOf(v)
	var out []any
	if rv.Kind() == reflect.Map {
		keys := rv.MapKeys()
		sortValues(keys)
		for _, k := range keys {
			out = append(out, rv.MapIndex(k).Interface())
		}
		return out
	}
	for i := 0; i < rv.Len(); i++ {
		out = append(out, rv.Index(i).Interface())
	}
	return out
}

func describeList(ns []node) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = n.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// elementNode is gomega's ContainElement: some element matches. An element that cannot be
// compared is passed over, but when no element matches, the last such error is the verdict.
type elementNode struct{ elem node }

func (n *elementNode) String() string { return "with an element " + n.elem.String() }

func (n *elementNode) eval(actual any, c *cx) outcome {
	if !isCollection(actual) {
		return refuse(c.show(actual), errorf("%s is not a list, so it cannot be compared: want a list %s", c.show(actual), n))
	}
	var last error
	for _, v := range valuesOf(actual) {
		o := n.elem.eval(v, c)
		if o.err != nil {
			last = o.err
			continue
		}
		if o.ok {
			return pass(c.show(actual))
		}
	}
	if last != nil {
		return refuse(c.show(actual), last)
	}
	return fail(c.show(actual))
}

// elementsNode is gomega's ContainElements: every matcher matches an element of its own. written
// tells contain-elements: [...] (behind to-array) from a plain list (no transform).
type elementsNode struct {
	elems   []node
	written bool
}

func (n *elementsNode) String() string {
	if len(n.elems) == 0 {
		return "a list (an empty list of elements)"
	}
	return "containing elements " + describeList(n.elems)
}

func (n *elementsNode) eval(actual any, c *cx) outcome {
	if !isCollection(actual) {
		return refuse(c.show(actual), errorf("%s is not a list, so it cannot be compared: want a list %s", c.show(actual), n))
	}
	values := valuesOf(actual)
	byMatcher, _ := largestMatching(n.elems, values, c)
	var missing []node
	for i, v := range byMatcher {
		if v < 0 {
			missing = append(missing, n.elems[i])
		}
	}
	if len(missing) == 0 {
		return pass(c.show(actual))
	}
	return fail(c.show(actual) + ", missing " + describeList(missing))
}

// consistNode is gomega's ConsistOf: the matchers and the elements pair off, each matcher with an
// element it matches, with none left over on either side.
type consistNode struct{ elems []node }

func (n *consistNode) String() string {
	return "consisting of " + describeList(n.elems) + " in any order"
}

func (n *consistNode) eval(actual any, c *cx) outcome {
	if !isCollection(actual) {
		return refuse(c.show(actual), errorf("%s is not a list, so it cannot be compared: want a list %s", c.show(actual), n))
	}
	values := valuesOf(actual)
	byMatcher, byValue := largestMatching(n.elems, values, c)
	var missing []node
	for i, v := range byMatcher {
		if v < 0 {
			missing = append(missing, n.elems[i])
		}
	}
	var extra []any
	for j, m := range byValue {
		if m < 0 {
			extra = append(extra, values[j])
		}
	}
	if len(missing) == 0 && len(extra) == 0 {
		return pass(c.show(actual))
	}
	found := c.show(actual)
	if len(missing) > 0 {
		found += ", missing " + describeList(missing)
	}
	if len(extra) > 0 {
		found += ", extra " + c.show(extra)
	}
	return fail(found)
}

// largestMatching pairs matchers with values they match, as many pairs as can be (gomega builds a
// bipartite graph and takes its largest matching; any largest matching has the same size, which is
// all a verdict depends on). A matcher that cannot compare with a value does not match it, as in
// gomega's neighbours. It returns, for each matcher, the index of its value or -1, and for each
// value, the index of its matcher or -1.
func largestMatching(matchers []node, values []any, c *cx) (byMatcher, byValue []int) {
	edges := make([][]int, len(matchers))
	for i, m := range matchers {
		for j, v := range values {
			if o := m.eval(v, c); o.ok && o.err == nil {
				edges[i] = append(edges[i], j)
			}
		}
	}
	byMatcher = make([]int, len(matchers))
	byValue = make([]int, len(values))
	for i := range byMatcher {
		byMatcher[i] = -1
	}
	for j := range byValue {
		byValue[j] = -1
	}
	// Kuhn's algorithm: for each matcher, look for a path that frees a value for it.
	for i := range matchers {
		seen := make([]bool, len(values))
		var augment func(i int) bool
		augment = func(i int) bool {
			for _, j := range edges[i] {
				if seen[j] {
					continue
				}
				seen[j] = true
				if byValue[j] < 0 || augment(byValue[j]) {
					byMatcher[i], byValue[j] = j, i
					return true
				}
			}
			return false
		}
		augment(i)
	}
	return byMatcher, byValue
}
