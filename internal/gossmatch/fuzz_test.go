package gossmatch

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// ints turns whole float64s into ints, as a YAML decoder would have given them, so that fuzzing
// reaches both kinds of numbers.
func ints(v any) any {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int(x)
		}
	case []any:
		for i := range x {
			x[i] = ints(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = ints(x[k])
		}
	}
	return v
}

// FuzzMatch: no matcher and no value makes the package panic, a value is never both passed and
// refused, and anything that is not a pass says why.
func FuzzMatch(f *testing.F) {
	for _, c := range matchCases {
		raw, err1 := json.Marshal(c.raw)
		actual, err2 := json.Marshal(c.actual)
		if err1 == nil && err2 == nil {
			f.Add(raw, actual, false)
		}
	}
	f.Add([]byte(`{"gjson":{"a.#(b>1)":{"have-len":1}}}`), []byte(`"{\"a\":[{\"b\":2}]}"`), true)
	f.Add([]byte(`{"semver-constraint":">=1.x !=1.2.x || <0.1.0"}`), []byte(`["1.3.0","0.0.9"]`), false)
	f.Fuzz(func(t *testing.T, rawJSON, actualJSON []byte, yamlInts bool) {
		var raw, actual any
		if json.Unmarshal(rawJSON, &raw) != nil || json.Unmarshal(actualJSON, &actual) != nil {
			return
		}
		if yamlInts {
			raw, actual = ints(raw), ints(actual)
		}
		mt, err := Parse(raw)
		if err != nil {
			if err.Error() == "" {
				t.Errorf("an empty parse error for %s", rawJSON)
			}
			return
		}
		_ = mt.String()
		for _, r := range []Result{mt.Judge(actual), mt.JudgeHidden(actual)} {
			if r.OK && r.Err != nil {
				t.Errorf("%s on %s: a pass with an error", rawJSON, actualJSON)
			}
			if !r.OK && r.String() == "" {
				t.Errorf("%s on %s: no explanation", rawJSON, actualJSON)
			}
		}
		if s, ok := actual.(string); ok {
			if tm, err := ParseText(raw); err == nil {
				r := tm.Judge([]byte(s))
				if r.OK && r.Err != nil {
					t.Errorf("%s on text %q: a pass with an error", rawJSON, s)
				}
			}
		}
	})
}

// FuzzPatterns: line patterns never panic, and a text passes exactly when nothing is missed.
func FuzzPatterns(f *testing.F) {
	for _, c := range textCases {
		if l, ok := c.raw.([]any); ok && len(c.text) < 4096 {
			var pats []string
			for _, p := range l {
				pats = append(pats, p.(string))
			}
			f.Add(strings.Join(pats, "\x1f"), []byte(c.text))
		}
	}
	f.Fuzz(func(t *testing.T, patterns string, text []byte) {
		var raw []any
		for _, p := range strings.Split(patterns, "\x1f") {
			raw = append(raw, p)
		}
		pm, err := Patterns(raw)
		if err != nil {
			return
		}
		misses, err := pm.Match(text)
		tm, _ := ParseText(raw)
		r := tm.Judge(text)
		if r.OK != (err == nil && len(misses) == 0) {
			t.Errorf("Judge %+v, Match %v %v", r, misses, err)
		}
		for _, m := range misses {
			if m.String() == "" {
				t.Errorf("a miss without words: %+v", m)
			}
		}
	})
}
