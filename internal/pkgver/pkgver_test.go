package pkgver

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// compareCases show each scheme's character, beside the package managers' own test data that
// TestUpstreamCases reads from testdata/. The dpkg, rpm and pacman cases are also put to the
// real tools by realtool_test.go; the apk ones follow apk-tools' src/version.c.
var compareCases = []struct {
	name   string
	scheme Scheme
	a, b   string
	want   int
}{
	{"dpkg/equal", Dpkg, "1.22.1-9+deb12u11", "1.22.1-9+deb12u11", 0},
	{"dpkg/epoch_beats_upstream", Dpkg, "1:9.1-1", "9.2-1", 1},
	{"dpkg/missing_epoch_is_zero", Dpkg, "0:1.0", "1.0", 0},
	{"dpkg/revision_breaks_tie", Dpkg, "1.22.1-9+deb12u11", "1.22.1-9+deb12u9", 1},
	{"dpkg/security_update_after_point_release", Dpkg, "1.22.1-9+deb12u1", "1.22.1-9", 1},
	{"dpkg/tilde_before_release", Dpkg, "1.0~rc1", "1.0", -1},
	{"dpkg/tilde_before_next_series", Dpkg, "2~rc1", "2", -1},
	{"dpkg/dotted_tilde_after_shorter", Dpkg, "1.22.0~rc1", "1.22", 1},
	{"dpkg/suffix_after_release", Dpkg, "1.22+dfsg", "1.22", 1},
	{"dpkg/tilde_before_tilde_tilde", Dpkg, "1.0~~", "1.0~", -1},
	{"dpkg/letters_before_symbols", Dpkg, "1.0a", "1.0+", -1},
	{"dpkg/numeric_not_lexical", Dpkg, "1.10", "1.9", 1},
	{"dpkg/leading_zeros", Dpkg, "1.002", "1.2", 0},
	{"dpkg/openssh", Dpkg, "1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u2", 1},
	{"dpkg/ubuntu", Dpkg, "2.35-0ubuntu3.6", "2.35-0ubuntu3.10", -1},
	{"dpkg/no_revision_before_revision", Dpkg, "1.0", "1.0-1", -1},
	{"dpkg/no_revision_equals_revision_0", Dpkg, "1.0", "1.0-0", 0},
	{"dpkg/hyphen_in_upstream", Dpkg, "1.0-beta-2", "1.0-beta-10", -1},
	{"dpkg/long_numbers", Dpkg, "20240101000000000000001", "20240101000000000000000", 1},
	{"dpkg/huge_epochs", Dpkg, "99999999999:1", "99999999998:2", 1},
	{"dpkg/blanks_trimmed", Dpkg, " \t0:1.0-1", "1.0-1\t ", 0},
	{"dpkg/non_ascii_before_punctuation", Dpkg, "1.0é", "1.0+", -1},
	{"dpkg/non_ascii_after_letters", Dpkg, "1.0é", "1.0z", 1},
	{"dpkg/empty_before_everything", Dpkg, "", "~", -1},
	{"dpkg/unknown_is_empty", Dpkg, "<unknown>", "", 0},
	{"rpm/equal", RPM, "2.4.57-5.el9", "2.4.57-5.el9", 0},
	{"rpm/epoch_beats_version", RPM, "1:1.0-1", "2.0-1", 1},
	{"rpm/missing_epoch_is_zero", RPM, "0:1.0-1", "1.0-1", 0},
	{"rpm/empty_epoch_is_zero", RPM, ":1.0-1", "1.0-1", 0},
	{"rpm/release", RPM, "2.4.57-5.el9_3.1", "2.4.57-5.el9", 1},
	{"rpm/release_after_last_hyphen", RPM, "1.0-2-3", "1.0-2-10", -1},
	{"rpm/no_release_before_release", RPM, "1.2", "1.2-7", -1},
	{"rpm/numeric_beats_alpha", RPM, "1.0.1", "1.0.a", 1},
	{"rpm/alpha_lexical", RPM, "1.0a", "1.0b", -1},
	{"rpm/separators_equal", RPM, "1.0.1", "1_0_1", 0},
	{"rpm/tilde_prerelease", RPM, "1.0~rc1", "1.0", -1},
	{"rpm/caret_snapshot_after", RPM, "1.0^git1", "1.0", 1},
	{"rpm/caret_before_next", RPM, "1.0^git1", "1.0.1", -1},
	{"rpm/more_segments_newer", RPM, "1.0.1", "1.0", 1},
	{"rpm/kernel", RPM, "5.14.0-362.8.1.el9_3", "5.14.0-70.13.1.el9_0", 1},
	{"pacman/epoch", Pacman, "1:1.0-1", "2.0-1", 1},
	{"pacman/pkgrel", Pacman, "6.4.2-1", "6.4.2-2", -1},
	{"pacman/alpha_after_end_is_older", Pacman, "1.0rc1", "1.0", -1},
	{"pacman/tilde_is_a_separator", Pacman, "1.0~rc1", "1.0", 1},
	{"pacman/caret_is_a_separator", Pacman, "1.0^git1", "1.0.git1", 0},
	{"pacman/release_ignored_when_one_side_lacks_it", Pacman, "1.2-7", "1.2", 0},
	{"pacman/more_separators_newer", Pacman, "2___a", "2_a", 1},
	{"pacman/dotted_alpha_after_end", Pacman, "1.5.a", "1.5", 1},
	{"pacman/trailing_separator_after_end", Pacman, "1.0.", "1.0", 1},
	{"apk/equal", APK, "1.36.1-r2", "1.36.1-r2", 0},
	{"apk/revision", APK, "1.36.1-r10", "1.36.1-r2", 1},
	{"apk/rc_before_release", APK, "1.0_rc1", "1.0", -1},
	{"apk/p_after_release", APK, "1.0_p1", "1.0", 1},
	{"apk/alpha_before_beta", APK, "1.0_alpha2", "1.0_beta1", -1},
	{"apk/letter", APK, "1.0a", "1.0b", -1},
	{"apk/numeric", APK, "1.10", "1.9", 1},
	{"apk/revision_after_bare", APK, "1.0-r1", "1.0", 1},
	{"apk/leading_zero_compares_as_string", APK, "4.09-r1", "4.5.14", -1},
	{"apk/leading_zero_string_shorter_first", APK, "8.2.0015", "8.2.002", -1},
	{"apk/initial_number_ignores_zeros", APK, "006", "6", 0},
	{"apk/commit_hash", APK, "1.0~1234-r1", "1.0~2345-r0", -1},
	{"apk/invalid_rest_before_end", APK, "1.0.", "1.0", -1},
	{"unknown_scheme_is_dpkg", Scheme("portage"), "1.0~rc1", "1.0", -1},
}

func TestCompare(t *testing.T) {
	for _, tt := range compareCases {
		t.Run(tt.name, func(t *testing.T) {
			if got := Compare(tt.scheme, tt.a, tt.b); got != tt.want {
				t.Errorf("Compare(%s, %q, %q) = %d, want %d", tt.scheme, tt.a, tt.b, got, tt.want)
			}
			if got := Compare(tt.scheme, tt.b, tt.a); got != -tt.want {
				t.Errorf("Compare(%s, %q, %q) = %d, want %d (antisymmetry)", tt.scheme, tt.b, tt.a, got, -tt.want)
			}
		})
	}
}

// A versionCase is one line of testdata/{dpkg,rpm,pacman}.txt: "a b want".
type versionCase struct {
	line int
	a, b string
	want int
}

func readCases(name string) ([]versionCase, error) {
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cases []versionCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 3 {
			return nil, fmt.Errorf("%s:%d: want \"a b result\", got %q", name, n, line)
		}
		want, err := strconv.Atoi(fields[2])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		cases = append(cases, versionCase{n, fields[0], fields[1], want})
	}
	return cases, sc.Err()
}

// upstreamTables names the table of the package manager's own test cases for each scheme that
// has them in the "a b want" form; apk's are in its own form (TestAPKVersionData).
var upstreamTables = map[Scheme]string{Dpkg: "dpkg.txt", RPM: "rpm.txt", Pacman: "pacman.txt"}

// TestUpstreamCases runs the package managers' own test cases; testdata/README.md says where
// each table comes from.
func TestUpstreamCases(t *testing.T) {
	for scheme, file := range upstreamTables {
		t.Run(string(scheme), func(t *testing.T) {
			cases, err := readCases(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cases {
				if got := Compare(scheme, c.a, c.b); got != c.want {
					t.Errorf("%s:%d: Compare(%s, %q, %q) = %d, want %d", file, c.line, scheme, c.a, c.b, got, c.want)
				}
				if got := Compare(scheme, c.b, c.a); got != -c.want {
					t.Errorf("%s:%d: Compare(%s, %q, %q) = %d, want %d (antisymmetry)", file, c.line, scheme, c.b, c.a, got, -c.want)
				}
			}
			t.Logf("%d cases from %s", len(cases), file)
		})
	}
}

// TestAPKVersionData runs apk-tools' test/unit/version.data as its version_test.c does. A line
// is "a op b", true when the comparison of a with b is one op allows (op is made of <, >, =
// and ~, the fuzzy prefix match), or "version", true when apk accepts it as a version; a
// leading "!" inverts either.
func TestAPKVersionData(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "apk-version.data"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	comparisons, validity := 0, 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		var ok, invert bool
		switch len(fields) {
		case 0:
			continue
		case 1:
			v, inverted := strings.CutPrefix(fields[0], "!")
			ok, invert = validAPK(v), inverted
			validity++
		case 3:
			op, inverted := strings.CutPrefix(fields[1], "!")
			fuzzy := strings.Contains(op, "~")
			ok = apkOpHolds(op, compareAPK(fields[0], fields[2], fuzzy))
			invert = inverted
			comparisons++
		default:
			t.Fatalf("apk-version.data:%d: cannot read %q", n, line)
		}
		if ok == invert {
			t.Errorf("apk-version.data:%d: %s does not hold", n, strings.TrimSpace(line))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d comparisons and %d validity cases from apk-version.data", comparisons, validity)
}

// apkOpHolds reports whether an apk operator such as "<=" or ">~" allows a comparison result.
func apkOpHolds(op string, cmp int) bool {
	return cmp < 0 && strings.Contains(op, "<") ||
		cmp > 0 && strings.Contains(op, ">") ||
		cmp == 0 && strings.ContainsAny(op, "=~")
}

func FuzzCompare(f *testing.F) {
	for _, s := range []string{"1:9.1-1", "1.0~rc1", "1.0^git1", "1.36.1_rc2-r3", "", "~~", "-r", "9999999999999999999999", "2___a", "1.0.a", "8.2.0015", "1.0~1234-r1", ":1-", "1.1.α"} {
		f.Add(s, "1.0")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, s := range []Scheme{Dpkg, RPM, APK, Pacman} {
			if Compare(s, a, b) != -Compare(s, b, a) {
				t.Errorf("%s: Compare(%q, %q) is not antisymmetric", s, a, b)
			}
			if Compare(s, a, a) != 0 {
				t.Errorf("%s: Compare(%q, itself) != 0", s, a)
			}
			if c := Compare(s, a, b); c < -1 || c > 1 {
				t.Errorf("%s: Compare(%q, %q) = %d, want -1, 0 or 1", s, a, b, c)
			}
		}
	})
}
