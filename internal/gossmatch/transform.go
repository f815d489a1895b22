package gossmatch

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// A transform is one of goss's transformers (matchers/type_conversion.go): it turns the actual
// value into what the next matcher compares, or refuses.
type transform interface {
	apply(v any, c *cx) (any, error)
	// note says how the compared value came from the actual one: "read as a number from …".
	note(from any, c *cx) string
}

// transformNode is goss's WithSafeTransform: the transform's refusal is an error, never a
// failure that a not could turn into a pass.
type transformNode struct {
	t    transform
	next node
}

func (n *transformNode) String() string {
	if g, ok := n.t.(gjsonPath); ok {
		return g.path + ": " + n.next.String()
	}
	return n.next.String()
}

func (n *transformNode) eval(actual any, c *cx) outcome {
	v, err := n.t.apply(actual, c)
	if err != nil {
		return refuse(c.show(actual), fmt.Errorf("%w, so it cannot be compared: want %s", err, n))
	}
	o := n.next.eval(v, c)
	// goss shows the transform only when it changed the value (WithSafeTransform, wasTransformed).
	if !reflect.DeepEqual(actual, v) {
		o.found += " (" + n.t.note(actual, c) + ")"
	}
	return o
}

// toString is goss's ToString: a list of anything is its elements printed with %v, one a line;
// anything else is printed with %v.
type toString struct{}

func (toString) apply(v any, _ *cx) (any, error) {
	switch l := v.(type) {
	case []any:
		s := make([]string, len(l))
		for i, e := range l {
			s[i] = fmt.Sprintf("%v", e)
		}
		return strings.Join(s, "\n"), nil
	case []string:
		return strings.Join(l, "\n"), nil
	}
	return fmt.Sprintf("%v", v), nil
}

func (toString) note(from any, c *cx) string { return "read as text from " + c.show(from) }

// toNumeric is goss's ToNumeric: an int or float64 as it is, a string (or []string, joined one a
// line) parsed by strconv.ParseFloat after trimming white space; anything else is refused.
type toNumeric struct{}

func (toNumeric) apply(v any, c *cx) (any, error) {
	var s string
	switch x := v.(type) {
	case float64, int:
		return x, nil
	case string:
		s = x
	case []string:
		s = strings.Join(x, "\n")
	default:
		return nil, fmt.Errorf("%s is not a number", c.show(v))
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, fmt.Errorf("%s is out of the range of a number", c.show(v))
		}
		return nil, fmt.Errorf("%s is not a number", c.show(v))
	}
	return f, nil
}

func (toNumeric) note(from any, c *cx) string { return "read as a number from " + c.show(from) }

// toArray is goss's ToArray: a string is split at every newline; anything else stays as it is.
type toArray struct{}

func (toArray) apply(v any, _ *cx) (any, error) {
	if s, ok := v.(string); ok {
		return strings.Split(s, "\n"), nil
	}
	return v, nil
}

func (toArray) note(from any, c *cx) string { return "split into lines from " + c.show(from) }

// gjsonPath is goss's Gjson transform: the actual value must be a string (goss puts no to-string
// in front) of valid JSON that has something at the path; numbers come out as float64.
type gjsonPath struct{ path string }

func (g gjsonPath) apply(v any, c *cx) (out any, err error) {
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("%s is not a string of JSON", c.show(v))
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("the JSON library failed on path %s (%v)", strconv.Quote(g.path), p)
		}
	}()
	if !gjson.Valid(s) {
		return nil, fmt.Errorf("%s is not valid JSON", c.show(v))
	}
	r := gjson.Get(s, g.path)
	if !r.Exists() {
		return nil, fmt.Errorf("the JSON has nothing at path %s", strconv.Quote(g.path))
	}
	return r.Value(), nil
}

func (g gjsonPath) note(any, *cx) string { return "at " + strconv.Quote(g.path) + " of the JSON" }
