package gossmatch

import "math"

// The tables below are the behaviour of goss v0.4.9's matchers, case by case. Each case's name
// says which goss behaviour it pins. TestMatcherTable holds our matcher to every case, and
// TestGossAgrees asks goss itself about the same cases (see oracle_test.go): a `matching`
// resource for most (an int, float64, string, bool, null, list or map, as YAML gives them),
// `interface: lo` addrs for a []string actual (goss's Go type for a list fact), and a `file`
// resource's contents for the text cases.

// loAddrs is what goss reports as the addresses of the loopback interface on a usual Linux host:
// the one []string actual that goss can be asked about without a machine of our own.
var loAddrs = []string{"127.0.0.1/8", "::1/128"}

type matchCase struct {
	name   string
	raw    any // the matcher, as goss's YAML or JSON decoder gives it
	actual any // with the Go type goss's system package gives
	want   string
	// oracle, when not empty, says why goss cannot be asked (oracleNone) or that goss's error or
	// plain failure is random and only the verdict counts (oracleVerdict).
	oracle string
}

const (
	oracleNone    = "none"
	oracleVerdict = "verdict"
)

func l(v ...any) []any { return v }

type m = map[string]any

var matchCases = []matchCase{
	// A string is to-string, then equal (resource/gomega.go; ToString is fmt's %v).
	{name: "bare_string_equals_the_same_string", raw: "foo", actual: "foo", want: "pass"},
	{name: "bare_string_differs", raw: "foo", actual: "bar", want: "fail"},
	{name: "bare_string_is_not_trimmed", raw: "foo", actual: "foo\n", want: "fail"},
	{name: "bare_string_matches_an_int_printed", raw: "42", actual: 42, want: "pass"},
	{name: "bare_string_matches_a_float_printed_by_percent_v", raw: "1e+06", actual: 1e6, want: "pass"},
	{name: "bare_string_does_not_match_a_float_as_written", raw: "1000000", actual: 1e6, want: "fail"},
	{name: "bare_string_matches_a_whole_float_without_point", raw: "42", actual: 42.0, want: "pass"},
	{name: "bare_string_matches_a_bool_printed", raw: "true", actual: true, want: "pass"},
	{name: "bare_string_matches_a_list_joined_by_newlines", raw: "a\nb", actual: l("a", "b"), want: "pass"},
	{name: "bare_string_matches_a_list_of_strings_joined_by_newlines", raw: "127.0.0.1/8\n::1/128", actual: loAddrs, want: "pass"},
	{name: "bare_string_matches_null_printed_as_nil", raw: "<nil>", actual: nil, want: "pass"},
	{name: "bare_string_matches_a_map_printed_by_go", raw: "map[a:1 b:x]", actual: m{"b": "x", "a": 1}, want: "pass"},
	{name: "bare_empty_string_matches_empty_string", raw: "", actual: "", want: "pass"},

	// A number is to-numeric, then numeric equality (BeNumerically "==").
	{name: "bare_int_matches_a_numeric_string", raw: 42, actual: "42", want: "pass"},
	{name: "bare_int_trims_white_space_of_the_string", raw: 42, actual: " 42\n", want: "pass"},
	{name: "bare_int_matches_a_float_string", raw: 42, actual: "42.0", want: "pass"},
	{name: "bare_int_matches_a_whole_float", raw: 42, actual: 42.0, want: "pass"},
	{name: "bare_float_matches_an_int", raw: 42.0, actual: 42, want: "pass"},
	{name: "bare_int_differs", raw: 3, actual: 4, want: "fail"},
	{name: "bare_float_compares_exactly", raw: 0.3, actual: "0.30000000000000004", want: "fail"},
	{name: "bare_int_refuses_a_word", raw: 42, actual: "abc", want: "error"},
	{name: "bare_int_refuses_a_number_with_a_suffix", raw: 42, actual: "42abc", want: "error"},
	{name: "bare_int_refuses_an_empty_string", raw: 42, actual: "", want: "error"},
	{name: "bare_int_refuses_hex_without_exponent", raw: 42, actual: "0x2a", want: "error"},
	{name: "bare_int_reads_a_hex_float", raw: 42, actual: "0x2.ap4", want: "pass"},
	{name: "bare_int_reads_underscores_in_a_hex_float", raw: 42, actual: "0x_2ap0", want: "pass"},
	{name: "bare_int_refuses_a_number_out_of_range", raw: 42, actual: "1e400", want: "error"},
	{name: "bare_int_refuses_a_bool", raw: 1, actual: true, want: "error"},
	{name: "bare_int_refuses_null", raw: 0, actual: nil, want: "error"},
	{name: "bare_int_refuses_a_list_of_any", raw: 42, actual: l("42"), want: "error"},
	{name: "bare_int_reads_a_list_of_strings_joined_and_refuses_it", raw: 1, actual: loAddrs, want: "error"},
	{name: "bare_int_refuses_a_uint64_from_yaml", raw: 1, actual: uint64(math.MaxUint64), want: "error"},
	{name: "bare_int_reads_infinity", raw: 1, actual: "Inf", want: "fail"},
	{name: "bare_nan_never_equals", raw: math.NaN(), actual: math.NaN(), want: "fail"},

	// A bool is equal, with no transform.
	{name: "bare_true_equals_true", raw: true, actual: true, want: "pass"},
	{name: "bare_false_differs_from_true", raw: false, actual: true, want: "fail"},
	{name: "bare_true_is_not_the_string_true", raw: true, actual: "true", want: "fail"},
	{name: "bare_true_is_not_one", raw: true, actual: 1, want: "fail"},
	{name: "bare_false_is_not_null", raw: false, actual: nil, want: "fail"},

	// equal is reflect.DeepEqual, no transform (gomega's Equal).
	{name: "equal_string", raw: m{"equal": "foo"}, actual: "foo", want: "pass"},
	{name: "equal_string_does_not_print_the_int", raw: m{"equal": "42"}, actual: 42, want: "fail"},
	{name: "equal_int_equals_int", raw: m{"equal": 42}, actual: 42, want: "pass"},
	{name: "equal_int_is_not_a_float", raw: m{"equal": 42}, actual: 42.0, want: "fail"},
	{name: "equal_list_in_order", raw: m{"equal": l("a", "b")}, actual: l("a", "b"), want: "pass"},
	{name: "equal_list_order_matters", raw: m{"equal": l("a", "b")}, actual: l("b", "a"), want: "fail"},
	{name: "equal_list_of_any_never_equals_a_list_of_strings", raw: m{"equal": l("127.0.0.1/8", "::1/128")}, actual: loAddrs, want: "fail"},
	{name: "equal_map", raw: m{"equal": m{"a": 1}}, actual: m{"a": 1}, want: "pass"},
	{name: "equal_null_refuses_null", raw: m{"equal": nil}, actual: nil, want: "error"},
	{name: "equal_null_is_not_a_string", raw: m{"equal": nil}, actual: "x", want: "fail"},
	{name: "equal_bool", raw: m{"equal": false}, actual: false, want: "pass"},

	// A list is contain-elements with no to-array (resource/gomega.go).
	{name: "list_is_a_subset", raw: l("foo"), actual: l("foo", "bar"), want: "pass"},
	{name: "list_misses_an_element", raw: l("foo", "baz"), actual: l("foo", "bar"), want: "fail"},
	{name: "list_needs_an_element_for_each_matcher", raw: l("foo", "foo"), actual: l("foo"), want: "fail"},
	{name: "list_repeats_match_repeated_elements", raw: l("foo", "foo"), actual: l("foo", "foo"), want: "pass"},
	{name: "list_refuses_a_string_as_it_does_not_split_it", raw: l("foo"), actual: "foo", want: "error"},
	{name: "list_empty_matches_any_list", raw: l(), actual: l("x"), want: "pass"},
	{name: "list_empty_matches_an_empty_list", raw: l(), actual: l(), want: "pass"},
	{name: "list_empty_still_refuses_a_string", raw: l(), actual: "x", want: "error"},
	{name: "list_element_is_read_as_a_number", raw: l(1), actual: l("1"), want: "pass"},
	{name: "list_element_error_is_no_match_not_an_error", raw: l(1), actual: l("a"), want: "fail"},
	{name: "list_finds_the_largest_matching", raw: l(m{"have-prefix": "f"}, "foo"), actual: l("foo", "fab"), want: "pass"},
	{name: "list_takes_map_values", raw: l("x"), actual: m{"a": "x"}, want: "pass"},
	{name: "list_nested_in_list", raw: l(l("a")), actual: l(l("a", "b")), want: "pass"},
	{name: "list_of_a_string_list", raw: l("127.0.0.1/8"), actual: loAddrs, want: "pass"},
	{name: "list_of_a_string_list_misses", raw: l("10.0.0.1/8"), actual: loAddrs, want: "fail"},
	{name: "list_refuses_an_int", raw: l(1), actual: 1, want: "error"},

	// contain-elements has to-array in front: a string is split at newlines.
	{name: "contain_elements_splits_a_string", raw: m{"contain-elements": l("a")}, actual: "a\nb", want: "pass"},
	{name: "contain_elements_final_newline_makes_an_empty_line", raw: m{"contain-elements": l("")}, actual: "a\n", want: "pass"},
	{name: "contain_elements_refuses_an_int", raw: m{"contain-elements": l("1")}, actual: 1, want: "error"},
	{name: "contain_elements_of_a_string_list", raw: m{"contain-elements": l("::1/128", m{"have-suffix": "/8"})}, actual: loAddrs, want: "pass"},
	{name: "contain_elements_misses", raw: m{"contain-elements": l("c")}, actual: l("a", "b"), want: "fail"},

	// contain-element has to-array; an element that cannot be compared is passed over, but is the
	// verdict when no element matches.
	{name: "contain_element_splits_a_string", raw: m{"contain-element": "b"}, actual: "a\nb", want: "pass"},
	{name: "contain_element_with_a_matcher", raw: m{"contain-element": m{"have-prefix": "b"}}, actual: l("a", "bc"), want: "pass"},
	{name: "contain_element_misses", raw: m{"contain-element": "z"}, actual: l("a"), want: "fail"},
	{name: "contain_element_reports_the_last_error_when_none_matches", raw: m{"contain-element": m{"gt": 1}}, actual: l("a", "b"), want: "error"},
	{name: "contain_element_passes_over_an_error_when_one_matches", raw: m{"contain-element": m{"gt": 1}}, actual: l("a", 5), want: "pass"},
	{name: "contain_element_refuses_an_int", raw: m{"contain-element": 1}, actual: 1, want: "error"},
	{name: "contain_element_of_map_values", raw: m{"contain-element": "x"}, actual: m{"k": "x"}, want: "pass"},
	{name: "contain_element_number_reads_each_element", raw: m{"contain-element": 2}, actual: "1\n2", want: "pass"},
	{name: "contain_element_of_an_empty_list", raw: m{"contain-element": "a"}, actual: l(), want: "fail"},

	// consist-of has no transform: every element matched by its own matcher, no matcher unused.
	{name: "consist_of_in_any_order", raw: m{"consist-of": l("a", "b")}, actual: l("b", "a"), want: "pass"},
	{name: "consist_of_with_an_extra_element", raw: m{"consist-of": l("a")}, actual: l("a", "b"), want: "fail"},
	{name: "consist_of_with_a_missing_element", raw: m{"consist-of": l("a", "b")}, actual: l("a"), want: "fail"},
	{name: "consist_of_refuses_a_string", raw: m{"consist-of": l("a", "b")}, actual: "a\nb", want: "error"},
	{name: "consist_of_empty_matches_an_empty_list", raw: m{"consist-of": l()}, actual: l(), want: "pass"},
	{name: "consist_of_empty_fails_a_list", raw: m{"consist-of": l()}, actual: l("a"), want: "fail"},
	{name: "consist_of_finds_the_largest_matching", raw: m{"consist-of": l(m{"have-prefix": "a"}, "ab")}, actual: l("ab", "ac"), want: "pass"},
	{name: "consist_of_a_string_list", raw: m{"consist-of": l(m{"have-prefix": "127."}, m{"contain-substring": ":"})}, actual: loAddrs, want: "pass"},
	{name: "consist_of_map_values", raw: m{"consist-of": l(1, 2)}, actual: m{"a": 2, "b": 1}, want: "pass"},
	{name: "consist_of_duplicates_count", raw: m{"consist-of": l("a", "a")}, actual: l("a"), want: "fail"},

	// String matchers have to-string in front.
	{name: "contain_substring_of_an_int", raw: m{"contain-substring": "2"}, actual: 42, want: "pass"},
	{name: "contain_substring_of_null_printed", raw: m{"contain-substring": "nil"}, actual: nil, want: "pass"},
	{name: "contain_substring_misses", raw: m{"contain-substring": "x"}, actual: "abc", want: "fail"},
	{name: "have_prefix_of_a_float", raw: m{"have-prefix": "4"}, actual: 42.5, want: "pass"},
	{name: "have_suffix_of_a_float", raw: m{"have-suffix": ".5"}, actual: 42.5, want: "pass"},
	{name: "have_prefix_of_a_string_list", raw: m{"have-prefix": "127.0.0.1/8\n"}, actual: loAddrs, want: "pass"},
	{name: "have_suffix_misses", raw: m{"have-suffix": "x"}, actual: "abc", want: "fail"},
	{name: "match_regexp_anchored", raw: m{"match-regexp": "^a.c$"}, actual: "abc", want: "pass"},
	{name: "match_regexp_dollar_is_the_end_of_the_text", raw: m{"match-regexp": "^a.c$"}, actual: "abc\n", want: "fail"},
	{name: "match_regexp_of_an_int", raw: m{"match-regexp": `\d{2}`}, actual: 42, want: "pass"},
	{name: "match_regexp_multiline_flag_over_a_joined_list", raw: m{"match-regexp": "(?m)^b$"}, actual: l("a", "b"), want: "pass"},
	{name: "match_regexp_without_flag_over_a_joined_list", raw: m{"match-regexp": "^b$"}, actual: l("a", "b"), want: "fail"},

	// have-len has no transform: bytes of a string, elements of a list or map.
	{name: "have_len_of_a_string", raw: m{"have-len": 3}, actual: "abc", want: "pass"},
	{name: "have_len_counts_bytes_not_characters", raw: m{"have-len": 5}, actual: "héllo", want: "fail"},
	{name: "have_len_of_a_list", raw: m{"have-len": 2}, actual: l("a", "b"), want: "pass"},
	{name: "have_len_of_a_string_list", raw: m{"have-len": 2}, actual: loAddrs, want: "pass"},
	{name: "have_len_of_a_map", raw: m{"have-len": 1}, actual: m{"a": 1}, want: "pass"},
	{name: "have_len_refuses_an_int", raw: m{"have-len": 2}, actual: 42, want: "error"},
	{name: "have_len_refuses_null", raw: m{"have-len": 0}, actual: nil, want: "error"},
	{name: "have_len_whole_float", raw: m{"have-len": 2.0}, actual: "ab", want: "pass"},

	// have-key: some key of a map matches; no transform.
	{name: "have_key", raw: m{"have-key": "a"}, actual: m{"a": 1}, want: "pass"},
	{name: "have_key_misses", raw: m{"have-key": "b"}, actual: m{"a": 1}, want: "fail"},
	{name: "have_key_refuses_a_list", raw: m{"have-key": "a"}, actual: l("a"), want: "error"},
	{name: "have_key_with_a_matcher", raw: m{"have-key": m{"have-prefix": "a"}}, actual: m{"ab": 1}, want: "pass"},
	{name: "have_key_error_on_the_only_key", raw: m{"have-key": m{"gt": 1}}, actual: m{"a": 1}, want: "error"},
	{name: "have_key_error_on_one_key_is_an_error_though_another_matches", raw: m{"have-key": m{"gt": 1}}, actual: m{"a": 1, "5": 1}, want: "error", oracle: oracleNone + ": goss walks the keys in random order and passes or errs at random"},

	// not, and, or (matchers/not.go, and.go, or.go).
	{name: "not_inverts_a_failure", raw: m{"not": "foo"}, actual: "bar", want: "pass"},
	{name: "not_inverts_a_match", raw: m{"not": "foo"}, actual: "foo", want: "fail"},
	{name: "not_keeps_an_error", raw: m{"not": m{"gt": 1}}, actual: "abc", want: "error"},
	{name: "not_of_a_list_of_a_string_list", raw: m{"not": l("10.0.0.1/8")}, actual: loAddrs, want: "pass"},
	{name: "and_all_match", raw: m{"and": l("foo", m{"have-prefix": "f"})}, actual: "foo", want: "pass"},
	{name: "and_stops_at_the_first_failure_before_an_error", raw: m{"and": l(m{"have-prefix": "x"}, m{"gt": 1})}, actual: "abc", want: "fail"},
	{name: "and_error_first", raw: m{"and": l(m{"gt": 1}, m{"have-prefix": "x"})}, actual: "abc", want: "error"},
	{name: "and_empty_passes_anything", raw: m{"and": l()}, actual: "abc", want: "pass"},
	{name: "or_one_matches", raw: m{"or": l("a", "b")}, actual: "b", want: "pass"},
	{name: "or_none_matches", raw: m{"or": l("a", "b")}, actual: "c", want: "fail"},
	{name: "or_stops_at_an_error_before_a_match", raw: m{"or": l(m{"gt": 1}, "abc")}, actual: "abc", want: "error"},
	{name: "or_stops_at_a_match_before_an_error", raw: m{"or": l("abc", m{"gt": 1})}, actual: "abc", want: "pass"},
	{name: "or_empty_fails", raw: m{"or": l()}, actual: "abc", want: "fail"},
	{name: "not_and_nested", raw: m{"not": m{"and": l(m{"have-prefix": "a"}, m{"have-suffix": "z"})}}, actual: "abc", want: "pass"},
	{name: "or_inside_consist_of", raw: m{"consist-of": l(m{"or": l("a", "b")}, "c")}, actual: l("c", "b"), want: "pass"},

	// gt, ge, lt, le have to-numeric; floats when either side is a float, else integers.
	{name: "gt_int", raw: m{"gt": 3}, actual: 4, want: "pass"},
	{name: "gt_equal_fails", raw: m{"gt": 3}, actual: 3, want: "fail"},
	{name: "ge_equal", raw: m{"ge": 3}, actual: 3, want: "pass"},
	{name: "lt_numeric_string", raw: m{"lt": 3}, actual: "2.5", want: "pass"},
	{name: "le_whole_float", raw: m{"le": 3}, actual: 3.0, want: "pass"},
	{name: "gt_float_operand_int_actual", raw: m{"gt": 2.5}, actual: 3, want: "pass"},
	{name: "gt_refuses_a_word", raw: m{"gt": 1}, actual: "abc", want: "error"},
	{name: "gt_refuses_a_bool", raw: m{"gt": 0}, actual: true, want: "error"},
	{name: "lt_refuses_a_list_of_addresses", raw: m{"lt": 1}, actual: loAddrs, want: "error"},
	{name: "ge_negative", raw: m{"ge": -5}, actual: "-4", want: "pass"},
	{name: "lt_infinity", raw: m{"lt": 1}, actual: "-Inf", want: "pass"},
	{name: "gt_nan_is_never_true", raw: m{"gt": 1}, actual: "NaN", want: "fail"},
	{name: "not_gt_nan_passes", raw: m{"not": m{"gt": 1}}, actual: "NaN", want: "pass"},

	// semver-constraint (matchers/semver_constraint.go, blang/semver v4 Parse and ParseRange).
	{name: "semver_in_range", raw: m{"semver-constraint": ">1.0.0"}, actual: "1.2.3", want: "pass"},
	{name: "semver_out_of_range", raw: m{"semver-constraint": ">1.0.0"}, actual: "0.9.0", want: "fail"},
	{name: "semver_refuses_a_v_prefix", raw: m{"semver-constraint": ">1.0.0"}, actual: "v1.2.3", want: "error"},
	{name: "semver_refuses_two_parts", raw: m{"semver-constraint": ">1.0.0"}, actual: "1.2", want: "error"},
	{name: "semver_refuses_a_debian_version", raw: m{"semver-constraint": ">1.0.0"}, actual: "1:9.1-1", want: "error"},
	{name: "semver_every_version_of_a_list", raw: m{"semver-constraint": ">1.0.0 <2.0.0 !=1.5.0"}, actual: l("1.0.1", "1.9.9"), want: "pass"},
	{name: "semver_one_version_of_a_list_out", raw: m{"semver-constraint": ">1.0.0 <2.0.0 !=1.5.0"}, actual: l("1.0.1", "1.5.0"), want: "fail"},
	{name: "semver_refuses_an_empty_list", raw: m{"semver-constraint": ">1.0.0"}, actual: l(), want: "error"},
	{name: "semver_refuses_a_number_in_a_list", raw: m{"semver-constraint": ">1.0.0"}, actual: l(1), want: "error"},
	{name: "semver_refuses_an_int", raw: m{"semver-constraint": ">1.0.0"}, actual: 2, want: "error"},
	{name: "semver_refuses_a_list_of_addresses", raw: m{"semver-constraint": ">1.0.0"}, actual: loAddrs, want: "error"},
	{name: "semver_or", raw: m{"semver-constraint": ">5.0.0 || < 1.5.0"}, actual: "1.0.1", want: "pass"},
	{name: "semver_wildcard", raw: m{"semver-constraint": "1.x"}, actual: "1.9.0", want: "pass"},
	{name: "semver_prerelease_is_below_release", raw: m{"semver-constraint": ">=1.0.0"}, actual: "1.0.0-rc.1", want: "fail"},
	{name: "semver_build_metadata_ignored", raw: m{"semver-constraint": "=1.0.0"}, actual: "1.0.0+build.5", want: "pass"},
	{name: "not_semver_keeps_the_error", raw: m{"not": m{"semver-constraint": ">1.0.0"}}, actual: "latest", want: "error"},

	// gjson: the actual value must be a string of JSON; each path must exist; numbers are float64.
	{name: "gjson_path", raw: m{"gjson": m{"a": "b"}}, actual: `{"a":"b"}`, want: "pass"},
	{name: "gjson_path_differs", raw: m{"gjson": m{"a": "b"}}, actual: `{"a":"c"}`, want: "fail"},
	{name: "gjson_refuses_invalid_json", raw: m{"gjson": m{"a": "b"}}, actual: `{"a":`, want: "error"},
	{name: "gjson_refuses_a_missing_path", raw: m{"gjson": m{"x": "b"}}, actual: `{"a":"b"}`, want: "error"},
	{name: "gjson_nested_path_with_a_comparison", raw: m{"gjson": m{"moo.count": m{"le": 25}}}, actual: `{"moo":{"count":"15"}}`, want: "pass"},
	{name: "gjson_number_is_a_float", raw: m{"gjson": m{"n": m{"equal": 15}}}, actual: `{"n":15}`, want: "fail"},
	{name: "gjson_number_with_numeric_equality", raw: m{"gjson": m{"n": 15}}, actual: `{"n":15}`, want: "pass"},
	{name: "gjson_this_has_key", raw: m{"gjson": m{"@this": m{"have-key": "foo"}}}, actual: `{"foo":1}`, want: "pass"},
	{name: "gjson_refuses_a_map_actual", raw: m{"gjson": m{"a": "b"}}, actual: m{"a": "b"}, want: "error"},
	{name: "gjson_refuses_an_int_as_it_has_no_to_string", raw: m{"gjson": m{"@this": 1}}, actual: 1, want: "error"},
	{name: "gjson_empty_passes_anything", raw: m{"gjson": m{}}, actual: 1, want: "pass"},
	{name: "gjson_array_element", raw: m{"gjson": m{"a.1": "y"}}, actual: `{"a":["x","y"]}`, want: "pass"},
	{name: "gjson_array_count", raw: m{"gjson": m{"a.#": 2}}, actual: `{"a":["x","y"]}`, want: "pass"},
	{name: "gjson_error_and_failure_in_random_order", raw: m{"gjson": m{"a": "y", "b": m{"gt": 1}}}, actual: `{"a":"x","b":"zz"}`, want: "fail", oracle: oracleVerdict},
	{name: "gjson_all_paths", raw: m{"gjson": m{"a": "x", "b": m{"gt": 1}}}, actual: `{"a":"x","b":"2"}`, want: "pass"},

	// have-patterns inside a matcher has to-string in front (matchers/have_patterns.go).
	{name: "have_patterns_over_a_string", raw: m{"have-patterns": l("foo", "!bar")}, actual: "foo\nbaz", want: "pass"},
	{name: "have_patterns_forbidden_line", raw: m{"have-patterns": l("foo", "!bar")}, actual: "foo\nbar", want: "fail"},
	{name: "have_patterns_over_an_int_printed", raw: m{"have-patterns": l("4")}, actual: 42, want: "pass"},
	{name: "have_patterns_over_a_list_joined", raw: m{"have-patterns": l("/^b$/")}, actual: l("a", "b"), want: "pass"},
	{name: "have_patterns_over_a_string_list", raw: m{"have-patterns": l("/^::1/", "!10.")}, actual: loAddrs, want: "pass"},
	{name: "have_patterns_empty_passes", raw: m{"have-patterns": l()}, actual: 42, want: "pass"},
	{name: "gt_large_ints_compare_as_integers", raw: m{"gt": 9007199254740992}, actual: 9007199254740993, want: "pass"},
	{name: "gt_large_int_read_from_a_string_compares_as_floats", raw: m{"gt": 9007199254740992}, actual: "9007199254740993", want: "fail"},
	{name: "bare_string_of_a_nested_list_printed", raw: "[a b]\nc", actual: l(l("a", "b"), "c"), want: "pass"},
	{name: "bare_string_of_negative_zero", raw: "-0", actual: math.Copysign(0, -1), want: "pass"},
	{name: "contain_element_nested", raw: m{"contain-element": m{"contain-element": "a"}}, actual: l(l("a")), want: "pass"},
	{name: "contain_element_refuses_a_uint64", raw: m{"contain-element": 1}, actual: l(uint64(math.MaxUint64)), want: "error"},
	{name: "have_key_reads_keys_as_numbers", raw: m{"have-key": 5}, actual: m{"5": 1}, want: "pass"},
	{name: "equal_float", raw: m{"equal": 2.5}, actual: 2.5, want: "pass"},
	{name: "have_len_of_an_empty_string", raw: m{"have-len": 0}, actual: "", want: "pass"},
	{name: "semver_prerelease_in_a_prerelease_range", raw: m{"semver-constraint": ">=1.0.0-alpha"}, actual: "1.0.0-beta", want: "pass"},
	{name: "semver_wildcard_le_is_below_the_next_minor", raw: m{"semver-constraint": "<=1.2.x"}, actual: "1.2.9", want: "pass"},
	{name: "semver_wildcard_le_excludes_the_next_minor", raw: m{"semver-constraint": "<=1.2.x"}, actual: "1.3.0", want: "fail"},
	{name: "consist_of_with_have_patterns_inside", raw: m{"consist-of": l(m{"have-patterns": l("a")}, "b")}, actual: l("xa", "b"), want: "pass"},
}

type textCase struct {
	name string
	raw  any // the attribute's matcher
	text string
	want string
}

var textCases = []textCase{
	// A list is line patterns over the text (resource/validate.go, matchers/have_patterns.go).
	{name: "pattern_found", raw: l("foo"), text: "foo\n", want: "pass"},
	{name: "pattern_anywhere_in_a_line", raw: l("oo"), text: "a\nfood\n", want: "pass"},
	{name: "pattern_missing", raw: l("bar"), text: "foo\n", want: "fail"},
	{name: "negated_pattern_found_fails", raw: l("!foo"), text: "foo", want: "fail"},
	{name: "negated_pattern_absent_passes", raw: l("!foo"), text: "bar", want: "pass"},
	{name: "regexp_pattern", raw: l("/^fo+$/"), text: "x\nfooo\n", want: "pass"},
	{name: "regexp_drops_a_carriage_return", raw: l("/^foo$/"), text: "foo\r\n", want: "pass"},
	{name: "regexp_keeps_a_trailing_space", raw: l("/^foo$/"), text: "foo \n", want: "fail"},
	{name: "pattern_is_not_trimmed", raw: l(" foo"), text: "foo\n", want: "fail"},
	{name: "pattern_keeps_inner_and_trailing_space", raw: l("a b "), text: "xa b y\n", want: "pass"},
	{name: "escaped_bang_is_a_plain_string", raw: l(`\!foo`), text: "foo\n", want: "pass"},
	{name: "escaped_bang_strips_the_bang_too", raw: l(`\!foo`), text: "!fo\n", want: "fail"},
	{name: "double_bang_is_one_negation", raw: l("!!foo"), text: "foo\n", want: "fail"},
	{name: "double_bang_absent", raw: l("!!foo"), text: "bar\n", want: "pass"},
	{name: "leading_slash_is_stripped", raw: l("/etc/passwd"), text: "etc/passwd\n", want: "pass"},
	{name: "leading_slashes_and_backslashes_are_stripped", raw: l(`/\/x`), text: "x\n", want: "pass"},
	{name: "regexp_with_inner_slash", raw: l("/a/b/"), text: "xa/by\n", want: "pass"},
	{name: "negated_regexp_found_on_line_2", raw: l("!/^#/"), text: "a\n#b\n", want: "fail"},
	{name: "negated_regexp_absent", raw: l("!/^#/"), text: "a\n b #\n", want: "pass"},
	{name: "escaped_regexp_is_a_plain_string", raw: l(`\/a/`), text: "a/\n", want: "pass"},
	{name: "empty_pattern_passes_an_empty_text", raw: l(""), text: "", want: "pass"},
	{name: "backslash_pattern_needs_a_line", raw: l(`\`), text: "", want: "fail"},
	{name: "backslash_pattern_matches_any_line", raw: l(`\`), text: "x", want: "pass"},
	{name: "empty_regexp_needs_a_line", raw: l("//"), text: "", want: "fail"},
	{name: "empty_regexp_matches_an_empty_line", raw: l("//"), text: "\n", want: "pass"},
	{name: "bang_alone_passes_an_empty_text", raw: l("!"), text: "", want: "pass"},
	{name: "bang_alone_fails_any_line", raw: l("!"), text: "\n", want: "fail"},
	{name: "last_line_without_newline", raw: l("b"), text: "a\nb", want: "pass"},
	{name: "carriage_return_inside_a_line", raw: l("/^a\rb$/"), text: "a\rb\n", want: "pass"},
	{name: "nul_byte_in_a_line", raw: l(`/a\x00b/`), text: "a\x00b\n", want: "pass"},
	{name: "invalid_utf8_in_a_line", raw: l("/^a.b$/"), text: "a\xffb\n", want: "pass"},
	{name: "all_patterns_must_hold", raw: l("a", "b", "!c"), text: "a\nb\nc\n", want: "fail"},
	{name: "a_line_satisfies_several_patterns", raw: l("a", "/a/", "!z"), text: "a\n", want: "pass"},
	{name: "a_line_decided_before_a_long_line", raw: l("foo"), text: "foo\n" + longLine(2<<20) + "\n", want: "pass"},
	{name: "a_long_line_stops_the_reading", raw: l("bar"), text: "foo\n" + longLine(2<<20) + "\nbar\n", want: "error"},
	{name: "longest_line_goss_reads", raw: l("b"), text: longLine(maxLine-1) + "\nb\n", want: "pass"},
	{name: "one_byte_more_is_too_long", raw: l("b"), text: longLine(maxLine) + "\nb\n", want: "error"},
	{name: "long_last_line_without_newline", raw: l("!c"), text: "b\n" + longLine(maxLine-1), want: "pass"},
	{name: "full_last_line_without_newline_is_too_long", raw: l("!c"), text: "b\n" + longLine(maxLine), want: "error"},

	// Anything else is judged against the whole text as one string.
	{name: "whole_text_string_equal", raw: "foo", text: "foo", want: "pass"},
	{name: "whole_text_string_keeps_the_newline", raw: "foo", text: "foo\n", want: "fail"},
	{name: "whole_text_number_trims", raw: 42, text: "42\n", want: "pass"},
	{name: "whole_text_substring", raw: m{"contain-substring": "oo"}, text: "foo\n", want: "pass"},
	{name: "whole_text_have_patterns", raw: m{"have-patterns": l("b", "!c")}, text: "a\nb\n", want: "pass"},
	{name: "whole_text_contain_element_splits", raw: m{"contain-element": "b"}, text: "a\nb\n", want: "pass"},
	{name: "whole_text_consist_of_refuses_a_string", raw: m{"consist-of": l("a")}, text: "a", want: "error"},
	{name: "whole_text_have_len_counts_bytes", raw: m{"have-len": 4}, text: "foo\n", want: "pass"},
	{name: "whole_text_not_empty", raw: m{"not": ""}, text: "", want: "fail"},
	{name: "whole_text_match_regexp", raw: m{"match-regexp": "(?m)^b$"}, text: "a\nb\n", want: "pass"},
	{name: "whole_text_gjson", raw: m{"gjson": m{"a": 1}}, text: `{"a": 1}`, want: "pass"},
	{name: "whole_text_have_len_of_an_empty_text", raw: m{"have-len": 0}, text: "", want: "pass"},
	{name: "whole_text_bool_never_equals_a_text", raw: true, text: "true", want: "fail"},
	{name: "duplicate_patterns", raw: l("a", "a"), text: "a\n", want: "pass"},
	{name: "crlf_line_ends_leave_no_carriage_return", raw: l(`!/\r/`), text: "a\r\nb\r\n", want: "pass"},
	{name: "only_one_carriage_return_is_dropped", raw: l(`/\r$/`), text: "a\r\r\n", want: "pass"},
}

func longLine(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a'
	}
	return string(b)
}

type parseErrorCase struct {
	name    string
	raw     any
	wantErr string // part of the message
	text    bool   // the matcher of a text attribute (ParseText)
	// What goss does with the matcher when it validates actual: "error" (fails with an error),
	// "fail", "pass", or "panic" (goss crashes); oracleNone when our YAML writer cannot put the
	// matcher to goss. goss refuses a map with a key that is not a string (yaml.v3's
	// map[any]any) with an error: `matches: {1: a}` in a matching resource gave "Syntax Error:
	// Invalid 'matcher' argument. Expected map value, but received: map[interface {}]interface {}"
	// when tried by hand with goss v0.4.9 on this machine.
	actual any
	goss   string
}

var parseErrorCases = []parseErrorCase{
	{name: "null_is_a_missing_matcher", raw: nil, wantErr: "a matcher is missing", actual: "x", goss: "error"},
	{name: "empty_map_makes_goss_panic", raw: m{}, wantErr: "an empty map is not a matcher", actual: "x", goss: "panic"},
	{name: "two_matchers_in_one_map", raw: m{"have-prefix": "a", "have-suffix": "b"}, wantErr: `found "have-prefix", "have-suffix": to want them all, write and`, actual: "ab", goss: "error"},
	{name: "unknown_matcher_with_a_suggestion", raw: m{"contains-substring": "a"}, wantErr: `"contains-substring" is not a matcher of goss; did you mean "contain-substring"?`, actual: "a", goss: "error"},
	{name: "have_key_with_value_is_not_in_goss_0_4_9", raw: m{"have-key-with-value": m{"a": 1}}, wantErr: `"have-key-with-value" is not a matcher of goss`, actual: m{"a": 1}, goss: "error"},
	{name: "have_prefix_wants_a_string", raw: m{"have-prefix": 3}, wantErr: `have-prefix: have-prefix wants a string, like have-prefix: "abc"; found a number 3`, actual: "3", goss: "error"},
	{name: "match_regexp_does_not_compile", raw: m{"match-regexp": "("}, wantErr: `match-regexp: "(" is not a valid regular expression (Go's RE2 syntax): missing closing ) in "("`, actual: "a", goss: "error"},
	{name: "match_regexp_does_not_compile_after_a_passing_or", raw: m{"or": l("a", m{"match-regexp": "("})}, wantErr: `or[1].match-regexp: "(" is not a valid`, actual: "a", goss: "pass"},
	{name: "have_len_of_a_fraction", raw: m{"have-len": 2.5}, wantErr: "have-len wants a whole number", actual: "ab", goss: "pass"},
	{name: "have_len_of_a_string", raw: m{"have-len": "2"}, wantErr: "have-len wants a whole number", actual: "ab", goss: "error"},
	{name: "have_patterns_wants_a_list", raw: m{"have-patterns": "foo"}, wantErr: "have-patterns wants a list of line patterns", actual: "foo", goss: "error"},
	{name: "have_patterns_entry_not_a_string", raw: m{"have-patterns": l(80)}, wantErr: `have-patterns[0]: a line pattern is a string, like "foo", "!foo" or "/^foo/"; found a number 80 (quote it: "80")`, actual: "80", goss: "error"},
	{name: "have_patterns_bad_regexp", raw: m{"have-patterns": l("/(/")}, wantErr: `have-patterns[0]: "/(/" is not a valid regular expression`, actual: "x", goss: "error"},
	{name: "contain_element_of_a_bool", raw: m{"contain-element": true}, wantErr: "contain-element wants one matcher, a string or a number", actual: l(true), goss: "error"},
	{name: "contain_element_of_a_list", raw: m{"contain-element": l("a")}, wantErr: "for several elements, write contain-elements", actual: l("a"), goss: "error"},
	{name: "consist_of_wants_a_list", raw: m{"consist-of": "a"}, wantErr: `consist-of wants a list of matchers`, actual: l("a"), goss: "error"},
	{name: "and_wants_a_list", raw: m{"and": "a"}, wantErr: `and wants a list of matchers`, actual: "a", goss: "error"},
	{name: "gt_wants_a_number", raw: m{"gt": "3"}, wantErr: "gt: gt wants a number, like gt: 3; found a string \"3\"", actual: 4, goss: "error"},
	{name: "gt_of_a_uint64_passes_wrongly_in_goss", raw: m{"gt": uint64(math.MaxUint64)}, wantErr: "beyond what goss reads as a number", actual: 1, goss: "pass"},
	{name: "semver_constraint_wants_a_string", raw: m{"semver-constraint": 1}, wantErr: "semver-constraint wants a string", actual: "1.0.0", goss: "error"},
	{name: "semver_constraint_does_not_parse", raw: m{"semver-constraint": "abc"}, wantErr: `"abc" is not a semver range`, actual: "1.0.0", goss: "error"},
	{name: "semver_constraint_empty", raw: m{"semver-constraint": ""}, wantErr: `"" is not a semver range`, actual: "1.0.0", goss: "error"},
	{name: "gjson_wants_a_map", raw: m{"gjson": "a"}, wantErr: "gjson wants a map of JSON paths", actual: `{"a":1}`, goss: "error"},
	{name: "errors_deep_in_a_tree_are_all_named", raw: m{"and": l(m{"not": m{"have-suffix": 1}}, m{"gjson": m{"a.b": m{}}})}, wantErr: "and[0].not.have-suffix: have-suffix wants a string", actual: "x", goss: "error"},
	{name: "a_list_element_is_null", raw: l("a", nil), wantErr: "[1]: a matcher is missing", actual: l("a"), goss: "error"},
	{name: "a_uint64_value", raw: uint64(math.MaxUint64), wantErr: "beyond what goss reads as a number", actual: 1, goss: "error"},
	{name: "a_map_with_a_number_key", raw: map[any]any{1: "a"}, wantErr: "a map whose keys are not all strings", actual: "a", goss: oracleNone},
	{name: "a_list_of_strings_no_decoder_gives", raw: []string{"a"}, wantErr: "a []string", actual: l("a"), goss: oracleNone},

	{name: "text_pattern_slash_makes_goss_panic", raw: l("/"), text: true, wantErr: `[0]: the line pattern "/" makes goss crash`, actual: "x\n", goss: "panic"},
	{name: "text_pattern_bang_slash_makes_goss_panic", raw: l("!/"), text: true, wantErr: `[0]: the line pattern "!/" makes goss crash`, actual: "x\n", goss: "panic"},
	{name: "text_pattern_bad_regexp", raw: l("a", "!/[/"), text: true, wantErr: `[1]: "!/[/" is not a valid regular expression`, actual: "x\n", goss: "error"},
	{name: "text_pattern_not_a_string", raw: l(80), text: true, wantErr: `[0]: a line pattern is a string`, actual: "80\n", goss: "error"},
	{name: "text_empty_map", raw: m{}, text: true, wantErr: "an empty map is not a matcher", actual: "x\n", goss: "panic"},
}
