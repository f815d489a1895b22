package gossmatch

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
)

func verdictOf(ok bool, err error) string {
	switch {
	case err != nil:
		return "error"
	case ok:
		return "pass"
	}
	return "fail"
}

func TestMatcherTable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range matchCases {
		t.Run(c.name, func(t *testing.T) {
			if seen[c.name] {
				t.Fatalf("two cases are named %s", c.name)
			}
			seen[c.name] = true
			m, err := Parse(c.raw)
			if err != nil {
				t.Fatalf("Parse(%#v): %v", c.raw, err)
			}
			ok, err := m.Match(c.actual)
			if got := verdictOf(ok, err); got != c.want {
				t.Errorf("%s against %s: %s (%v), want %s", m, show(c.actual), got, err, c.want)
			}
			// Judge agrees with Match, and a result that is not a pass explains itself.
			r := m.Judge(c.actual)
			if r.OK != ok || (r.Err == nil) != (err == nil) {
				t.Errorf("Judge = %+v, Match = %v, %v", r, ok, err)
			}
			if !r.OK && (r.Found == "" || r.Want == "") {
				t.Errorf("Judge gives no explanation: %+v", r)
			}
		})
	}
}

func TestTextTable(t *testing.T) {
	for _, c := range textCases {
		t.Run(c.name, func(t *testing.T) {
			m, err := ParseText(c.raw)
			if err != nil {
				t.Fatalf("ParseText(%#v): %v", c.raw, err)
			}
			ok, err := m.Match([]byte(c.text))
			if got := verdictOf(ok, err); got != c.want {
				t.Errorf("%s: %s (%v), want %s", m, got, err, c.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range parseErrorCases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.text {
				_, err = ParseText(c.raw)
			} else {
				_, err = Parse(c.raw)
			}
			if err == nil {
				t.Fatalf("no error for %#v", c.raw)
			}
			if !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("error %q\ndoes not contain %q", err, c.wantErr)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("%v is not a *ParseError", err)
			}
		})
	}
}

// Every problem of a matcher is reported at once, each at its own path.
func TestParseReportsEveryProblem(t *testing.T) {
	_, err := Parse(m{"and": l(m{"not": m{"have-suffix": 1}}, m{"gjson": m{"a.b": m{}}}, m{"or": l(m{"gt": "x"}, "ok")})})
	if err == nil {
		t.Fatal("no error")
	}
	var paths []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		paths = append(paths, e.(*ParseError).Path)
	}
	want := []string{"and[0].not.have-suffix", `and[1].gjson."a.b"`, "and[2].or[0].gt"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("paths %q, want %q", paths, want)
	}
}

// The words of a report: what a matcher wants, and what was found when it failed or could not
// compare.
func TestJudgeWords(t *testing.T) {
	tests := []struct {
		name   string
		raw    any
		actual any
		want   string // Result.String()
	}{
		{"bare_string", "nginx", "apache", `found "apache", want "nginx"`},
		{"transform_is_shown", 3, "4\n", `found 4 (read as a number from "4\n"), want 3`},
		{"comparison", m{"gt": 3}, 2, "found 2, want greater than 3"},
		{"not_a_number", m{"ge": 3}, "abc", `"abc" is not a number, so it cannot be compared: want at least 3`},
		{"equal_shows_exactly", m{"equal": l("a", "b")}, l("b", "a"), `found ["b", "a"], want exactly ["a", "b"]`},
		{"equal_says_when_types_differ", m{"equal": 0.0}, 0, `found 0 (a whole number, where equal wants a float: it compares types too), want exactly 0`},
		{"equal_list_types", m{"equal": l("a")}, []string{"a"}, `found ["a"] (a list of strings, where equal wants a list: it compares types too), want exactly ["a"]`},
		{"missing_elements", l("a", m{"have-prefix": "c"}), l("a", "b"), `found ["a", "b"], missing [starting with "c"], want containing elements ["a", starting with "c"]`},
		{"consist_of_missing_and_extra", m{"consist-of": l("a", "c")}, l("a", "b"), `found ["a", "b"], missing ["c"], extra ["b"], want consisting of ["a", "c"] in any order`},
		{"not_and", m{"not": m{"and": l(m{"have-prefix": "a"}, m{"have-suffix": "c"})}}, "abc", `found "abc", want not (starting with "a" and ending with "c")`},
		{"or", m{"or": l("a", m{"match-regexp": "^b"})}, "c", `found "c", want "a" or matching /^b/`},
		{"semver", m{"semver-constraint": ">=2.0.0"}, "1.2.3", `found "1.2.3", want satisfying semver ">=2.0.0"`},
		{"semver_not_a_version", m{"semver-constraint": ">=2.0.0"}, "1:2.0-1", `"1:2.0-1" is not a semantic version (like 1.2.3), so it cannot be compared: want satisfying semver ">=2.0.0"`},
		{"have_len", m{"have-len": 3}, l("a"), `found ["a"] of length 1, want of length 3`},
		{"have_key", m{"have-key": "b"}, m{"a": 1}, `found {"a": 1}, want with a key "b"`},
		{"contain_element", m{"contain-element": "c"}, "a\nb", `found ["a", "b"] (split into lines from "a\nb"), want with an element "c"`},
		{"gjson", m{"gjson": m{"a": "x", "n": m{"le": 2}}}, `{"a":"x","n":3}`, `found 3 (at "n" of the JSON), want JSON with a: "x", n: at most 2`},
		{"gjson_missing_path", m{"gjson": m{"b": "x"}}, `{"a":1}`, `the JSON has nothing at path "b", so it cannot be compared: want b: "x"`},
		{"long_values_are_shortened", "x", strings.Repeat("y", 100), `found "` + strings.Repeat("y", 80) + `…" (100 bytes), want "x"`},
		{"null_with_null", m{"equal": nil}, nil, "found nothing (null), and goss refuses to compare nothing with nothing: want a value"},
		{"have_patterns", m{"have-patterns": l("a", "!b", "/^c/")}, "b\nx", `found "b\nx": no line containing "a"; line 1 contains "b"; no line matching /^c/, want a line containing "a", no line containing "b", a line matching /^c/`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt, err := Parse(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			if got := mt.Judge(tt.actual).String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// JudgeHidden and a TextMatcher never show the value: a file's contents or a command's output may
// hold a secret.
func TestHiddenNeverShowsTheValue(t *testing.T) {
	secret := "hunter2-hunter2"
	for _, raw := range []any{"x", 3, m{"gt": 3}, m{"contain-element": m{"gt": 1}}, l("x"), m{"consist-of": l("x")},
		m{"semver-constraint": ">1.0.0"}, m{"gjson": m{"a": 1}}, m{"have-key": "a"}, m{"have-len": 1},
		m{"not": secret}, m{"have-patterns": l("x", "!2-h")}} {
		mt, err := Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, actual := range []any{secret, secret + "\n" + secret, l(secret), m{secret: secret}, []string{secret}} {
			r := mt.JudgeHidden(actual)
			if strings.Contains(r.String(), "hunter") && !strings.Contains(mt.String(), "hunter") {
				t.Errorf("%s on a secret: %s", mt, r)
			}
			if strings.Contains(r.Found, "hunter") {
				t.Errorf("%s on a secret shows it: %s", mt, r.Found)
			}
		}
	}
	for _, raw := range []any{"x", 3, m{"contain-element": m{"gt": 1}}, l("x", "!2-h"), m{"have-patterns": l("x")}} {
		tm, err := ParseText(raw)
		if err != nil {
			t.Fatal(err)
		}
		r := tm.Judge([]byte(secret + "\n" + secret + "\n"))
		if r.OK || strings.Contains(r.Found, "hunter") || (r.Err != nil && strings.Contains(r.Err.Error(), "hunter")) {
			t.Errorf("%s on a secret text: %+v", tm, r)
		}
		if !strings.Contains(r.Found, "a text of 32 bytes in 2 lines") {
			t.Errorf("%s: found %q does not give the size", tm, r.Found)
		}
	}
}

func TestPatternMisses(t *testing.T) {
	p, err := Patterns(l("foo", "!/^#/", "!bar", "/x$/", "\\", "!"))
	if err != nil {
		t.Fatal(err)
	}
	misses, err := p.Match([]byte("foo\nok\n# comment\nbar\nbar\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ms := range misses {
		got = append(got, ms.Pattern+" → "+ms.String())
	}
	// In the order written; a negated pattern at the first line it matched.
	want := []string{`!/^#/ → line 3 matches /^#/`, `!bar → line 4 contains "bar"`, `/x$/ → no line matching /x$/`, `! → a line 1`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if misses, _ := p.Match(nil); len(misses) != 3 || misses[0].String() != `no line containing "foo"` || misses[2].String() != "no lines" {
		t.Errorf("on an empty text: %v", misses)
	}
	if _, err := Patterns("foo"); err == nil || !strings.Contains(err.Error(), "line patterns are a list of strings") {
		t.Errorf("a string for patterns: %v", err)
	}
}

// goss tests a text attribute only when it is set: not null, not an empty list (resource.go,
// isSet); Parse and ParseText then never see those.
func TestIsSet(t *testing.T) {
	for _, c := range []struct {
		raw  any
		want bool
	}{{nil, false}, {l(), false}, {l("a"), true}, {"", true}, {false, true}, {m{}, true}, {0, true}} {
		if got := IsSet(c.raw); got != c.want {
			t.Errorf("IsSet(%#v) = %v, want %v", c.raw, got, c.want)
		}
	}
}

func TestDescriptions(t *testing.T) {
	tests := []struct {
		raw  any
		want string
	}{
		{"nginx", `"nginx"`},
		{3, "3"},
		{2.5, "2.5"},
		{true, "true"},
		{l("a", 1), `containing elements ["a", 1]`},
		{l(), "a list (an empty list of elements)"},
		{m{"equal": "x"}, `exactly "x"`},
		{m{"have-prefix": "a"}, `starting with "a"`},
		{m{"have-suffix": "a"}, `ending with "a"`},
		{m{"contain-substring": "a"}, `containing "a"`},
		{m{"match-regexp": "^a"}, `matching /^a/`},
		{m{"have-len": 2}, "of length 2"},
		{m{"have-key": "k"}, `with a key "k"`},
		{m{"contain-element": m{"gt": 1}}, "with an element greater than 1"},
		{m{"contain-elements": l("a")}, `containing elements ["a"]`},
		{m{"consist-of": l("a")}, `consisting of ["a"] in any order`},
		{m{"ge": 1}, "at least 1"},
		{m{"lt": 1}, "less than 1"},
		{m{"le": 1.5}, "at most 1.5"},
		{m{"not": m{"or": l("a", "b")}}, `not ("a" or "b")`},
		{m{"and": l()}, "anything (an empty and)"},
		{m{"or": l()}, "nothing (an empty or)"},
		{m{"and": l("a", m{"or": l("b", "c")})}, `"a" and ("b" or "c")`},
		{m{"semver-constraint": ">1.0.0"}, `satisfying semver ">1.0.0"`},
		{m{"gjson": m{"b": 1, "a": "x"}}, `JSON with a: "x", b: 1`},
		{m{"have-patterns": l("a", "!b", "/c/")}, `a line containing "a", no line containing "b", a line matching /c/`},
		{m{"have-patterns": l("a", "b", "c", "d")}, "lines meeting all 4 patterns"},
		{m{"have-patterns": l("", "!", `\`, "/etc/x", "!/^#/")}, "lines meeting all 5 patterns"},
	}
	for _, tt := range tests {
		mt, err := Parse(tt.raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := mt.String(); got != tt.want {
			t.Errorf("%#v: %s, want %s", tt.raw, got, tt.want)
		}
	}
	for raw, want := range map[string]string{"": "anything (the empty pattern)", "!": "no line at all", `\`: "at least one line",
		"/etc/x": `a line containing "etc/x"`, "!/^#/": "no line matching /^#/", `\!x`: `a line containing "x"`} {
		p, err := newPattern(raw)
		if err != nil {
			t.Fatal(err)
		}
		if p.String() != want {
			t.Errorf("pattern %q: %s, want %s", raw, p, want)
		}
	}
}

// JSON gossfiles give float64 for every number: a bare number still compares with an int fact,
// equal does not, as in goss.
func TestJSONNumbers(t *testing.T) {
	var raw any
	if err := json.Unmarshal([]byte(`{"and": [0, {"gt": -1}]}`), &raw); err != nil {
		t.Fatal(err)
	}
	mt, _ := Parse(raw)
	if ok, err := mt.Match(0); !ok || err != nil {
		t.Errorf("JSON 0 against the int 0: %v %v", ok, err)
	}
	_ = json.Unmarshal([]byte(`{"equal": 0}`), &raw)
	mt, _ = Parse(raw)
	if ok, err := mt.Match(0); ok || err != nil {
		t.Errorf("JSON equal: 0 against the int 0: %v %v, want a failure as in goss", ok, err)
	}
}

// Integers compare as integers, beyond the precision of a float64; anything else as floats.
func TestNumberKinds(t *testing.T) {
	for _, c := range []struct {
		op          string
		want        any
		actual      any
		wantVerdict string
	}{
		{"gt", math.MaxInt64 - 1, math.MaxInt64, "pass"},
		{"gt", float64(math.MaxInt64 - 1), math.MaxInt64, "fail"}, // both become 2^63 as floats
		{"lt", math.Inf(1), math.MaxInt64, "pass"},
		{"eq", 1, 1.0, "pass"},
		{"ge", math.NaN(), 1, "fail"},
		{"gt", 1, "2", "error"}, // to-numeric stands in front of every numeric matcher
		{"gt", 1, int64(2), "error"},
	} {
		n := &numberNode{op: c.op, want: c.want}
		o := n.eval(c.actual, &cx{})
		if got := verdictOf(o.ok, o.err); got != c.wantVerdict {
			t.Errorf("%v %s %v: %s, want %s", c.actual, c.op, c.want, got, c.wantVerdict)
		}
	}
}

// A Matcher is shared by every check that uses it; the race detector watches this.
func TestConcurrentUse(t *testing.T) {
	mt, err := Parse(m{"or": l(m{"consist-of": l("a", m{"have-prefix": "b"})}, m{"gjson": m{"x": m{"gt": 1}}})})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if ok, err := mt.Match(l("bc", "a")); !ok || err != nil {
					t.Errorf("%v %v", ok, err)
					return
				}
				_ = mt.Judge(`{"x":0}`).String()
			}
		}()
	}
	wg.Wait()
}

// A value of a Go type goss never gives is refused: with it, equal would fail where goss passes,
// and not would make that a pass.
func TestRefusesTypesGossNeverGives(t *testing.T) {
	mt, err := Parse(m{"not": m{"equal": l(1)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, actual := range []any{[]int{1}, int64(1), l(int64(1)), m{"a": []int{1}}, []byte("x"), struct{}{}} {
		ok, err := mt.Match(actual)
		if ok || err == nil || !strings.Contains(err.Error(), "which goss never gives") {
			t.Errorf("%#v: %v %v", actual, ok, err)
		}
	}
	for _, actual := range []any{nil, true, "x", 1, 1.5, uint64(1), []string{"x"}, l(l(1), m{"a": nil})} {
		if _, err := mt.Match(actual); err != nil {
			t.Errorf("%#v: %v", actual, err)
		}
	}
}

type panicNode struct{}

func (panicNode) eval(any, *cx) outcome { panic("boom") }
func (panicNode) String() string        { return "anything" }

// A bug that panics while judging is an error of that check, never a crash of the build.
func TestPanicIsAnError(t *testing.T) {
	mt := &Matcher{n: &notNode{n: panicNode{}}}
	ok, err := mt.Match("x")
	if ok || err == nil || !strings.Contains(err.Error(), "a bug in packer-plugin-assert: boom") {
		t.Errorf("%v %v", ok, err)
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		raw  any
		want string
	}{
		{l(), "an empty list wants no element: every list passes it"},
		{m{"and": l()}, "and: an empty list: every value passes it"},
		{m{"not": m{"or": l()}}, "not.or: an empty list: no value passes it"},
		{m{"contain-elements": l()}, "contain-elements: an empty list: every value passes it"},
		{m{"have-patterns": l()}, "have-patterns: no line patterns: every text passes"},
		{m{"gjson": m{}}, "gjson: no JSON paths: every value passes, even one that is not JSON"},
		{m{"have-patterns": l("a", `\`)}, `have-patterns[1]: goss strips every leading \, / and ! from "\\", which leaves nothing: every line matches it`},
		{m{"and": l("a", m{"consist-of": l()})}, ""},
	}
	for _, tt := range tests {
		mt, err := Parse(tt.raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(mt.Warnings(), "; "); got != tt.want {
			t.Errorf("%#v: %q, want %q", tt.raw, got, tt.want)
		}
	}
	tm, err := ParseText(l("ok", "/"+"/", `!\`))
	if err != nil {
		t.Fatal(err)
	}
	if w := tm.Warnings(); len(w) != 0 {
		t.Errorf("warnings %q: // is a regexp and !\\ is negated", w)
	}
	tm, _ = ParseText(l(`/\`))
	if w := tm.Warnings(); len(w) != 1 || !strings.HasPrefix(w[0], "[0]: goss strips") {
		t.Errorf("warnings %q", w)
	}
}
