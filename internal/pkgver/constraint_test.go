package pkgver

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestWithoutRevision(t *testing.T) {
	tests := []struct {
		scheme       Scheme
		version      string
		want         string
		wantRevision bool
	}{
		{Dpkg, "1.22.1-9+deb12u11", "1.22.1", true},
		{Dpkg, "1:9.2p1-2+deb12u3", "1:9.2p1", true},
		{Dpkg, "1.0-beta-2", "1.0-beta", true},
		{Dpkg, "1:1.22.1", "1:1.22.1", false},
		{Dpkg, " 1.0-1\t", "1.0", true},
		{RPM, "2.4.57-5.el9_3.1", "2.4.57", true},
		{RPM, "1:2.4.57", "1:2.4.57", false},
		{Pacman, "1:6.4.2-2", "1:6.4.2", true},
		{Pacman, "6.4.2", "6.4.2", false},
		{APK, "1.36.1-r2", "1.36.1", true},
		{APK, "1.0_rc1~abc-r10", "1.0_rc1~abc", true},
		{APK, "1.36.1", "1.36.1", false},
		{APK, "1.0-r", "1.0-r", false},
		{APK, "1.0-r1.1", "1.0-r1.1", false},
	}
	for _, tt := range tests {
		got, gotRevision := withoutRevision(tt.scheme, tt.version)
		if got != tt.want || gotRevision != tt.wantRevision {
			t.Errorf("withoutRevision(%s, %q) = %q, %v; want %q, %v", tt.scheme, tt.version, got, gotRevision, tt.want, tt.wantRevision)
		}
	}
}

func TestConstraintAllows(t *testing.T) {
	tests := []struct {
		name       string
		constraint string
		scheme     Scheme
		installed  string
		want       bool
	}{
		{"range_inside", ">= 1.22, < 2", Dpkg, "1.22.1-9+deb12u11", true},
		{"range_below", ">= 1.22, < 2", Dpkg, "1.18.0-6", false},
		{"range_above", ">= 1.22, < 2", Dpkg, "2.0.0-1", false},
		{"exact_with_epoch", "= 1:9.1-1", Dpkg, "1:9.1-1", true},
		{"exact_without_epoch_fails", "= 9.1-1", Dpkg, "1:9.1-1", false},
		{"bare_is_equality", "1.2-3", Dpkg, "1.2-3", true},
		{"double_equals", "== 1.2-3", Dpkg, "1.2-3", true},
		{"not_equal", "!= 1.2-3", Dpkg, "1.2-4", true},
		{"greater_strict", "> 1.22.1-9", Dpkg, "1.22.1-9+deb12u1", true},
		{"tilde_prerelease_below_release", ">= 1.0", Dpkg, "1.0~rc1-1", false},
		{"rpm_lower", "< 2.4.58", RPM, "2.4.57-5.el9", true},
		{"apk_range", ">= 1.36, < 1.37", APK, "1.36.1-r2", true},
		{"pacman_range", ">= 6.4, < 6.5", Pacman, "6.4.2-2", true},
		{"no_spaces_needed", ">=1.22,<2", Dpkg, "1.22.1-9", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConstraint(tt.constraint)
			if err != nil {
				t.Fatalf("ParseConstraint(%q): %v", tt.constraint, err)
			}
			if got := c.Allows(tt.scheme, tt.installed); got != tt.want {
				t.Errorf("%q.Allows(%s, %q) = %v, want %v", tt.constraint, tt.scheme, tt.installed, got, tt.want)
			}
		})
	}
}

// TestConstraintRevisionRule checks the rule of Constraint's doc comment on every scheme: a
// version without a revision stands for all of its revisions, one with a revision is exact,
// and a missing epoch is 0.
func TestConstraintRevisionRule(t *testing.T) {
	type check struct {
		constraint string
		want       bool
	}
	tests := []struct {
		scheme    Scheme
		installed string
		checks    []check
	}{
		{Dpkg, "1.22.1-9+deb12u11", []check{
			{"= 1.22.1", true}, {"<= 1.22.1", true}, {">= 1.22.1", true},
			{"< 1.22.1", false}, {"> 1.22.1", false}, {"!= 1.22.1", false},
			{"= 1.22.1-9+deb12u11", true}, {"= 1.22.1-9", false}, {"> 1.22.1-9", true},
			{"< 1.22.1-9+deb12u12", true}, {"<= 1.22.1-9+deb12u10", false},
			{"= 0:1.22.1", true}, {"= 1:1.22.1", false}, {"< 1:1.0", true},
			{"> 1.22", true}, {"< 1.22.2", true}, {"= 1.22", false},
			{"~> 1.22.1", true}, {"~> 1.22", true}, {"1.22.*", true}, {"1.22.1.*", true}, {"!= 1.22.*", false},
		}},
		{Dpkg, "1:9.2p1-2+deb12u3", []check{
			{"= 1:9.2p1", true}, {"= 9.2p1", false}, {"> 9.9", true},
			{">= 1:9.2p1-2+deb12u3", true}, {"> 1:9.2p1-2+deb12u3", false},
		}},
		{Dpkg, "1.0", []check{ // a native package: no revision
			{"= 1.0", true}, {"= 1.0-1", false}, {"< 1.0-1", true}, {"= 1.0-0", true},
		}},
		{RPM, "1.22.1-5.el9", []check{
			{"= 1.22.1", true}, {"<= 1.22.1", true}, {">= 1.22.1", true},
			{"< 1.22.1", false}, {"> 1.22.1", false}, {"!= 1.22.1", false},
			{"= 1.22.1-5.el9", true}, {"= 1.22.1-5", false}, {"> 1.22.1-5", true},
			{"< 1.22.1-5.el9_3", true}, {"= 0:1.22.1", true}, {"= 1:1.22.1", false},
			{"~> 1.22.1", true}, {"~> 1.22", true}, {"1.22.*", true}, {"1.22.1.*", true}, {"!= 1.22.*", false},
		}},
		{RPM, "1:2.4.57-5.el9", []check{
			{"= 1:2.4.57", true}, {"= 2.4.57", false}, {"> 3.0", true}, {"< 1:2.4.58", true},
		}},
		{APK, "1.22.1-r3", []check{
			{"= 1.22.1", true}, {"<= 1.22.1", true}, {">= 1.22.1", true},
			{"< 1.22.1", false}, {"> 1.22.1", false}, {"!= 1.22.1", false},
			{"= 1.22.1-r3", true}, {"= 1.22.1-r2", false}, {"> 1.22.1-r2", true},
			{"< 1.22.1-r10", true}, {"= 1.22.1-r03", true},
			{"~> 1.22.1", true}, {"~> 1.22", true}, {"1.22.*", true}, {"1.22.1.*", true}, {"!= 1.22.*", false},
		}},
		{APK, "1.0_rc1-r0", []check{
			{"= 1.0_rc1", true}, {"< 1.0", true}, {"= 1.0", false}, {">= 1.0_beta2", true},
		}},
		{Pacman, "1.22.1-2", []check{
			{"= 1.22.1", true}, {"<= 1.22.1", true}, {">= 1.22.1", true},
			{"< 1.22.1", false}, {"> 1.22.1", false}, {"!= 1.22.1", false},
			{"= 1.22.1-2", true}, {"= 1.22.1-1", false}, {"> 1.22.1-1", true},
			{"< 1.22.1-3", true}, {"= 0:1.22.1", true}, {"= 1:1.22.1", false},
			{"~> 1.22.1", true}, {"~> 1.22", true}, {"1.22.*", true}, {"1.22.1.*", true}, {"!= 1.22.*", false},
		}},
		{Pacman, "2:1.0rc1-1", []check{
			{"= 2:1.0rc1", true}, {"< 2:1.0", true}, {"> 1.0", true}, {"= 1.0rc1", false},
		}},
	}
	for _, tt := range tests {
		for _, c := range tt.checks {
			name := string(tt.scheme) + "/" + tt.installed + "/" + c.constraint
			t.Run(name, func(t *testing.T) {
				con, err := ParseConstraint(c.constraint)
				if err != nil {
					t.Fatalf("ParseConstraint(%q): %v", c.constraint, err)
				}
				if got := con.Allows(tt.scheme, tt.installed); got != c.want {
					t.Errorf("%q.Allows(%s, %q) = %v, want %v", c.constraint, tt.scheme, tt.installed, got, c.want)
				}
			})
		}
	}
}

func TestParseConstraintRejects(t *testing.T) {
	for _, bad := range []string{"", "  ", ">=", ">= 1.2 < 2", "latest", ">= ", "1.2,", "=> 1.0", ">= abc"} {
		if _, err := ParseConstraint(bad); err == nil {
			t.Errorf("ParseConstraint(%q) succeeded, want an error", bad)
		}
	}
}

// TestConstraintString checks that a constraint reads back as written, blanks around it
// trimmed, whatever its form.
func TestConstraintString(t *testing.T) {
	for _, tt := range []struct{ written, want string }{
		{"  >= 1.22, < 2 ", ">= 1.22, < 2"},
		{"\t~> 1.22 ", "~> 1.22"},
		{" 1.22.*", "1.22.*"},
		{"!= 1.22.x,>=1:1.0", "!= 1.22.x,>=1:1.0"},
	} {
		c, err := ParseConstraint(tt.written)
		if err != nil {
			t.Fatalf("ParseConstraint(%q): %v", tt.written, err)
		}
		if got := c.String(); got != tt.want {
			t.Errorf("ParseConstraint(%q).String() = %q, want %q", tt.written, got, tt.want)
		}
	}
}

// An allowsCase asks whether constraint allows installed under scheme.
type allowsCase struct {
	name       string
	scheme     Scheme
	constraint string
	installed  string
	want       bool
}

func runAllowsCases(t *testing.T, cases []allowsCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(string(tt.scheme)+"/"+tt.name, func(t *testing.T) {
			c, err := ParseConstraint(tt.constraint)
			if err != nil {
				t.Fatalf("ParseConstraint(%q): %v", tt.constraint, err)
			}
			if got := c.Allows(tt.scheme, tt.installed); got != tt.want {
				t.Errorf("%q.Allows(%s, %q) = %v, want %v", tt.constraint, tt.scheme, tt.installed, got, tt.want)
			}
		})
	}
}

// TestConstraintPessimistic checks "~> V": ">= V" under the revision rule, and within the
// series of V without its last number, on every scheme.
func TestConstraintPessimistic(t *testing.T) {
	runAllowsCases(t, []allowsCase{
		{"two_numbers/lower_bound_itself", Dpkg, "~> 1.22", "1.22", true},
		{"two_numbers/lower_bound_any_revision", Dpkg, "~> 1.22", "1.22-1", true},
		{"two_numbers/point_release", Dpkg, "~> 1.22", "1.22.1-9+deb12u11", true},
		{"two_numbers/later_minor", Dpkg, "~> 1.22", "1.99", true},
		{"two_numbers/longer_number_same_major", Dpkg, "~> 1.22", "1.220", true},
		{"two_numbers/suffix_after_release", Dpkg, "~> 1.22", "1.22+dfsg-1", true},
		{"two_numbers/dotted_prerelease_sorts_after", Dpkg, "~> 1.22", "1.22.0~rc1", true},
		{"two_numbers/below", Dpkg, "~> 1.22", "1.21.9-1", false},
		{"two_numbers/prerelease_below", Dpkg, "~> 1.22", "1.22~rc1-1", false},
		{"two_numbers/next_major", Dpkg, "~> 1.22", "2.0-1", false},
		{"two_numbers/prerelease_of_next_major", Dpkg, "~> 1.22", "2~rc1-1", false},
		{"two_numbers/dotted_prerelease_of_next_major", Dpkg, "~> 1.22", "2.0~rc1-1", false},
		{"two_numbers/major_with_more_digits", Dpkg, "~> 1.22", "10.0", false},
		{"two_numbers/other_epoch", Dpkg, "~> 1.22", "1:1.22", false},
		{"three_numbers/lower_bound_any_revision", Dpkg, "~> 1.22.1", "1.22.1-9+deb12u11", true},
		{"three_numbers/later_patch", Dpkg, "~> 1.22.1", "1.22.10", true},
		{"three_numbers/below", Dpkg, "~> 1.22.1", "1.22.0-5", false},
		{"three_numbers/shorter_is_below", Dpkg, "~> 1.22.1", "1.22", false},
		{"three_numbers/prerelease_below", Dpkg, "~> 1.22.1", "1.22.1~rc1", false},
		{"three_numbers/next_minor", Dpkg, "~> 1.22.1", "1.23", false},
		{"three_numbers/prerelease_of_next_minor", Dpkg, "~> 1.22.1", "1.23~rc1", false},
		{"three_numbers/minor_with_more_digits", Dpkg, "~> 1.22.1", "1.220", false},
		{"revision/exact", Dpkg, "~> 1.22.1-3", "1.22.1-3", true},
		{"revision/later", Dpkg, "~> 1.22.1-3", "1.22.1-10", true},
		{"revision/earlier", Dpkg, "~> 1.22.1-3", "1.22.1-2", false},
		{"revision/later_patch", Dpkg, "~> 1.22.1-3", "1.22.2-1", true},
		{"revision/next_minor", Dpkg, "~> 1.22.1-3", "1.23-1", false},
		{"epoch/same", Dpkg, "~> 1:9.1", "1:9.2p1-2+deb12u3", true},
		{"epoch/lower_bound", Dpkg, "~> 1:9.1", "1:9.1-1", true},
		{"epoch/missing", Dpkg, "~> 1:9.1", "9.5-1", false},
		{"epoch/greater", Dpkg, "~> 1:9.1", "2:9.1-1", false},
		{"epoch/next_major", Dpkg, "~> 1:9.1", "1:10.0-1", false},
		{"epoch/zero_written", Dpkg, "~> 0:1.22", "1.22.3", true},
		{"letters_count_for_lower_bound_only/inside", Dpkg, "~> 9.2p1", "9.3p1-1", true},
		{"letters_count_for_lower_bound_only/below", Dpkg, "~> 9.2p1", "9.2", false},
		{"letters_count_for_lower_bound_only/next_major", Dpkg, "~> 9.2p1", "10.0p1", false},
		{"two_numbers/release", RPM, "~> 2.4", "2.4.57-5.el9", true},
		{"two_numbers/itself", RPM, "~> 2.4", "2.4", true},
		{"two_numbers/below", RPM, "~> 2.4", "2.3.9-1", false},
		{"two_numbers/next_major", RPM, "~> 2.4", "3.0-1.el9", false},
		{"two_numbers/prerelease_of_next_major", RPM, "~> 2.4", "3.0~rc1-1", false},
		{"two_numbers/other_epoch", RPM, "~> 2.4", "1:2.4.57-5.el9", false},
		{"three_numbers/update", RPM, "~> 2.4.57", "2.4.57-5.el9_3.1", true},
		{"three_numbers/snapshot_after", RPM, "~> 2.4.57", "2.4.57^git1-1", true},
		{"three_numbers/next_minor", RPM, "~> 2.4.57", "2.5.0-1", false},
		{"three_numbers/minor_with_more_digits", RPM, "~> 2.4.57", "2.40.0-1", false},
		{"three_numbers/patch_with_more_digits_is_later", RPM, "~> 2.4.57", "2.4.570-1", true},
		{"epoch/same", RPM, "~> 1:2.4", "1:2.4.57-5.el9", true},
		{"epoch/missing", RPM, "~> 1:2.4", "2.4.57-5.el9", false},
		{"two_numbers/revision", APK, "~> 1.36", "1.36.1-r2", true},
		{"two_numbers/next_minor", APK, "~> 1.36", "1.37.0-r0", true},
		{"two_numbers/next_major", APK, "~> 1.36", "2.0-r0", false},
		{"two_numbers/prerelease_of_next_major", APK, "~> 1.36", "2.0_rc1-r0", false},
		{"two_numbers/prerelease_below", APK, "~> 1.36", "1.36_rc1-r0", false},
		{"three_numbers/revision", APK, "~> 1.36.1", "1.36.1-r2", true},
		{"three_numbers/patch_suffix_after", APK, "~> 1.36.1", "1.36.1_p1-r0", true},
		{"three_numbers/prerelease_below", APK, "~> 1.36.1", "1.36.1_rc1-r0", false},
		{"three_numbers/next_minor", APK, "~> 1.36.1", "1.37.0-r0", false},
		{"three_numbers/minor_with_more_digits", APK, "~> 1.36.1", "1.360-r0", false},
		{"revision/exact", APK, "~> 1.36.1-r2", "1.36.1-r2", true},
		{"revision/later", APK, "~> 1.36.1-r2", "1.36.1-r10", true},
		{"revision/earlier", APK, "~> 1.36.1-r2", "1.36.1-r1", false},
		{"epoch_never_matches", APK, "~> 1:1.36", "1.36.1-r2", false},
		{"two_numbers/pkgrel", Pacman, "~> 6.4", "6.4.2-2", true},
		{"two_numbers/next_minor", Pacman, "~> 6.4", "6.5-1", true},
		{"two_numbers/below", Pacman, "~> 6.4", "6.3-1", false},
		{"two_numbers/next_major", Pacman, "~> 6.4", "7.0-1", false},
		{"two_numbers/other_epoch", Pacman, "~> 6.4", "1:6.4.2-1", false},
		{"three_numbers/later_patch", Pacman, "~> 6.4.2", "6.4.10-1", true},
		{"three_numbers/next_minor", Pacman, "~> 6.4.2", "6.5-1", false},
		{"revision/later", Pacman, "~> 6.4.2-2", "6.4.2-3", true},
		{"revision/earlier", Pacman, "~> 6.4.2-2", "6.4.2-1", false},
		{"epoch/rc_sorts_below", Pacman, "~> 2:1.0", "2:1.0rc1-1", false},
		{"epoch/inside", Pacman, "~> 2:1.0", "2:1.5-1", true},
		{"caret_equivalent/inside", Dpkg, ">= 1.22.3, 1.*", "1.99-1", true},
		{"caret_equivalent/below", Dpkg, ">= 1.22.3, 1.*", "1.22.2-1", false},
		{"caret_equivalent/prerelease_of_next_major", Dpkg, ">= 1.22.3, 1.*", "2~rc1", false},
	})
}

// TestConstraintWildcard checks "S.*" and "S.x": within series S, or with "!=" not.
func TestConstraintWildcard(t *testing.T) {
	runAllowsCases(t, []allowsCase{
		{"series_itself", Dpkg, "1.22.*", "1.22", true},
		{"zero_component", Dpkg, "1.22.*", "1.22.0", true},
		{"security_update", Dpkg, "1.22.*", "1.22.1-9+deb12u11", true},
		{"suffix", Dpkg, "1.22.*", "1.22+dfsg-1", true},
		{"prerelease_of_series", Dpkg, "1.22.*", "1.22~rc1-1", true},
		{"longer_number", Dpkg, "1.22.*", "1.220", false},
		{"next_series", Dpkg, "1.22.*", "1.23", false},
		{"below", Dpkg, "1.22.*", "1.21.9", false},
		{"shorter", Dpkg, "1.22.*", "1.2", false},
		{"other_epoch", Dpkg, "1.22.*", "1:1.22.1", false},
		{"not_a_suffix_match", Dpkg, "1.22.*", "11.22", false},
		{"x", Dpkg, "1.22.x", "1.22.1-9", true},
		{"capital_x", Dpkg, "1.22.X", "1.22.1-9", true},
		{"x_longer_number", Dpkg, "1.22.x", "1.220", false},
		{"equals", Dpkg, "= 1.22.*", "1.22.1-9", true},
		{"double_equals", Dpkg, "== 1.22.*", "1.23", false},
		{"not_equal/inside", Dpkg, "!= 1.22.*", "1.22.1-9", false},
		{"not_equal/next_series", Dpkg, "!= 1.22.*", "1.23", true},
		{"not_equal/longer_number", Dpkg, "!= 1.22.x", "1.220", true},
		{"major/prerelease_of_next_major", Dpkg, "1.*", "2~rc1", false},
		{"major/prerelease_of_major", Dpkg, "1.*", "1~rc1", true},
		{"major/longer_number", Dpkg, "1.*", "10.1", false},
		{"epoch/same", Dpkg, "1:9.*", "1:9.2p1-2+deb12u3", true},
		{"epoch/missing", Dpkg, "1:9.*", "9.2p1-2", false},
		{"epoch/next_major", Dpkg, "1:9.*", "1:10.0-1", false},
		{"epoch/zero_written", Dpkg, "0:1.*", "1.5", true},
		{"with_range", Dpkg, ">= 1.22.3, 1.22.*", "1.22.10", true},
		{"release", RPM, "2.4.*", "2.4.57-5.el9", true},
		{"series_itself", RPM, "2.4.*", "2.4", true},
		{"snapshot", RPM, "2.4.*", "2.4^git1", true},
		{"longer_number", RPM, "2.4.*", "2.40.1-1", false},
		{"next_series", RPM, "2.4.*", "2.5.0-1", false},
		{"other_epoch", RPM, "2.4.*", "1:2.4.57-5.el9", false},
		{"revision", APK, "1.36.*", "1.36.1-r2", true},
		{"series_itself", APK, "1.36.*", "1.36-r0", true},
		{"prerelease_of_series", APK, "1.36.*", "1.36_rc1-r0", true},
		{"longer_number", APK, "1.36.*", "1.360-r0", false},
		{"next_series", APK, "1.36.*", "1.37.0-r0", false},
		{"epoch_never_matches", APK, "1:1.36.*", "1.36.1-r2", false},
		{"pkgrel", Pacman, "6.4.*", "6.4.2-2", true},
		{"series_itself", Pacman, "6.4.*", "6.4-1", true},
		{"longer_number", Pacman, "6.4.*", "6.40-1", false},
		{"other_epoch", Pacman, "6.4.*", "1:6.4.2-1", false},
		{"epoch", Pacman, "2:1.*", "2:1.0rc1-1", true},
	})
}

// TestParseConstraintErrors checks each message a user sees at packer validate, after
// "package[0].version: ". Each quotes the constraint, names the wrong part and says what to
// write; what it says to write must parse.
func TestParseConstraintErrors(t *testing.T) {
	tests := []struct {
		name, constraint, want string
	}{
		{"empty", "  ", `"  " is empty: write a constraint like ">= 1.22", or leave version out to accept any version`},
		{"comma/only", ",", `"," has no comparison: write one like ">= 1.22", or leave version out to accept any version`},
		{"comma/trailing", ">= 1.22,", `">= 1.22," ends with a comma: write ">= 1.22", or add a comparison after the comma`},
		{"comma/trailing_after_upper_bound", "< 2,", `"< 2," ends with a comma: write "< 2", or add a comparison after the comma`},
		{"comma/leading", ", >= 1.22", `", >= 1.22" starts with a comma: write ">= 1.22"`},
		{"comma/double", ">=1.22,,<2", `">=1.22,,<2" has an empty comparison between commas: write ">=1.22, <2"`},
		{"comma/double_and_trailing", ">= 1,, < 2,", `">= 1,, < 2," ends with a comma: write ">= 1, < 2", or add a comparison after the comma`},
		{"comma/missing", ">= 1.2 < 2", `">= 1.2 < 2" has no comma between ">= 1.2" and "< 2": write ">= 1.2, < 2"`},
		{"comma/missing_without_blanks", ">=1.2<2", `">=1.2<2" has no comma between ">=1.2" and "<2": write ">=1.2, <2"`},
		{"comma/missing_before_a_word", ">= abc < 2", `">= abc < 2" has no comma between ">= abc" and "< 2": separate them with a comma`},
		{"operator/arrow", "=> 1.22", `"=> 1.22" uses "=>", which is not an operator: write ">= 1.22"`},
		{"operator/arrow_in_list", ">= 1, => 2", `"=> 2" in ">= 1, => 2" uses "=>", which is not an operator: write ">= 2"`},
		{"operator/less_arrow_without_version", "=<", `"=<" uses "=<", which is not an operator: write "<=" followed by a version, like "<= 2"`},
		{"operator/doubled_greater_equal", ">>= 1", `">>= 1" uses ">>=", which is not an operator: write ">= 1"`},
		{"operator/dpkg_strictly_less", "<< 2", `"<< 2" uses "<<", which is not an operator: write "< 2"`},
		{"operator/dpkg_strictly_greater", ">> 1.22", `">> 1.22" uses ">>", which is not an operator: write "> 1.22"`},
		{"operator/triple_equals", "===1.2", `"===1.2" uses "===", which is not an operator: write "= 1.2"`},
		{"operator/angle_not_equal", "<> 1.2", `"<> 1.2" uses "<>", which is not an operator: write "!= 1.2"`},
		{"operator/python_compatible_release", "~= 1.22", `"~= 1.22" uses "~=", which is not an operator: write "~> 1.22"`},
		{"operator/typo_before_a_word", "!A0", `"!A0" uses "!", which is not an operator: write "!=" in its place`},
		{"operator/typo_before_a_wildcard", "=> 1.22.*", `"=> 1.22.*" uses "=>", which is not an operator: write ">=" in its place`},
		{"operator/unknown", "=~ 1", `"=~ 1" uses "=~", which is not an operator: use =, !=, <, <=, >, >= or ~>`},
		{"operator/no_version", ">=", `">=" has no version after the operator: write one, like ">= 1.22"`},
		{"operator/no_version_in_list", ">= 1.22, <", `"<" in ">= 1.22, <" has no version after the operator: write one, like "< 2"`},
		{"npm/caret", "^1.22", `"^1.22" uses npm's caret, which is not supported: write "~> 1.22", or ">= 1.22, < 2"`},
		{"npm/caret_major", "^1", `"^1" uses npm's caret, which is not supported: write "1.*", or ">= 1, < 2"`},
		{"npm/caret_patch", "^1.22.3", `"^1.22.3" uses npm's caret, which is not supported: write ">= 1.22.3, 1.*", or ">= 1.22.3, < 2"`},
		{"npm/caret_zero_major", "^0.2.3", `"^0.2.3" uses npm's caret, which is not supported: write "~> 0.2.3", or ">= 0.2.3, < 0.3"`},
		{"npm/caret_zero_minor", "^0.0.3", `"^0.0.3" uses npm's caret, which is not supported: write "0.0.3.*", or ">= 0.0.3, < 0.0.4"`},
		{"npm/caret_carry", "^1.99.9", `"^1.99.9" uses npm's caret, which is not supported: write ">= 1.99.9, 1.*", or ">= 1.99.9, < 2"`},
		{"npm/caret_nine", "^9.1", `"^9.1" uses npm's caret, which is not supported: write "~> 9.1", or ">= 9.1, < 10"`},
		{"npm/caret_not_numbers", "^1.22rc1", `"^1.22rc1" uses npm's caret, which is not supported: write "~>" (like "~> 1.22") or a range (like ">= 1.22, < 2")`},
		{"npm/tilde_minor", "~1.22", `"~1.22" uses npm's tilde, which is not supported: write "1.22.*", or ">= 1.22, < 1.23"`},
		{"npm/tilde_patch", "~1.22.3", `"~1.22.3" uses npm's tilde, which is not supported: write "~> 1.22.3", or ">= 1.22.3, < 1.23"`},
		{"pessimistic/one_number", "~> 1", `"~> 1" has one number after "~>", which needs two or more: write "~> 1.0" (1.0 or later within series 1), or "1.*" (any version within series 1)`},
		{"pessimistic/one_number_with_epoch", "~> 1:9", `"~> 1:9" has one number after "~>", which needs two or more: write "~> 1:9.0" (1:9.0 or later within series 1:9), or "1:9.*" (any version within series 1:9)`},
		{"pessimistic/one_number_then_letters", "~> 1rc1", `"~> 1rc1" has one number after "~>", which needs two or more: write "~> 1.0" (1.0 or later within series 1), or "1.*" (any version within series 1)`},
		{"pessimistic/wildcard", "~> 1.22.*", `"~> 1.22.*" has a wildcard after "~>", which takes none: write "1.22.*" (any version within series 1.22), or "~> 1.22" (1.22 or later within series 1)`},
		{"pessimistic/wildcard_major", "~> 1.*", `"~> 1.*" has a wildcard after "~>", which takes none: write "1.*" (any version within series 1)`},
		{"wildcard/after_greater_equal", ">= 1.22.*", `">= 1.22.*" has a wildcard after ">=" (only = and != take one): drop it and write ">= 1.22"`},
		{"wildcard/x_after_less", "< 1.22.x", `"< 1.22.x" has a wildcard after "<" (only = and != take one): drop it and write "< 1.22"`},
		{"wildcard/in_the_middle", "1.*.3", `"1.*.3" has a wildcard before its last component: a wildcard can only end a version, like "1.*"`},
		{"wildcard/x_in_the_middle", "= 1.x.3", `"1.x.3" in "= 1.x.3" has a wildcard before its last component: a wildcard can only end a version, like "1.x"`},
		{"wildcard/two", "1.*.*", `"1.*.*" has a wildcard before its last component: a wildcard can only end a version, like "1.*"`},
		{"wildcard/glued", "1.22*", `"1.22*" has a wildcard that is not a component of its own: write "1.22.*"`},
		{"wildcard/after_revision", "1.22-1.*", `"1.22-1.*" has a wildcard after a revision: a wildcard ends the upstream version and allows every revision, like "1.22.*"`},
		{"wildcard/after_revision_and_pessimistic", "~> 1.22-1.*", `"~> 1.22-1.*" has a wildcard after a revision: a wildcard ends the upstream version and allows every revision, like "1.22.*"`},
		{"wildcard/revision_after_greater_equal", ">= 1.22-1.*", `">= 1.22-1.*" has a wildcard after ">=" (only = and != take one): drop it and write ">= 1.22-1"`},
		{"wildcard/in_the_middle_after_revision", "1-2.*.3", `"1-2.*.3" has a misplaced wildcard: a wildcard can only end a version, after a dot, like "1.22.*"`},
		{"wildcard/alone", "*", `"*" accepts any version: leave version out to accept any version`},
		{"wildcard/alone_after_equals", "= *", `"= *" accepts any version: leave version out to accept any version`},
		{"wildcard/alone_in_list", ">= 1, *", `"*" in ">= 1, *" accepts any version: remove it`},
		{"wildcard/alone_not_equal", "!= *", `"!= *" allows no version: to check that the package is not installed, write installed = false`},
		{"version/word", "latest", `"latest" is not a version: a version starts with a digit, like "1.22"`},
		{"version/word_after_operator", ">= abc", `"abc" in ">= abc" is not a version: a version starts with a digit, like "1.22"`},
		{"version/word_in_list", ">= 1, latest", `"latest" in ">= 1, latest" is not a version: a version starts with a digit, like "1.22"`},
		{"version/epoch_not_a_number", "abc:1.0", `"abc:1.0" is not a version: a version starts with a digit, like "1.22"`},
		{"version/blank_inside", ">= 1.2 2", `"1.2 2" in ">= 1.2 2" is not a version: a version has no blanks, <, >, = or !; separate comparisons with commas, like ">= 1.22, < 2"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConstraint(tt.constraint)
			if err == nil {
				t.Fatalf("ParseConstraint(%q) succeeded, want %s", tt.constraint, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ParseConstraint(%q):\n got  %s\n want %s", tt.constraint, err, tt.want)
			}
			for _, fix := range suggestions(err.Error()) {
				if _, err := ParseConstraint(fix); err != nil {
					t.Errorf("the message suggests %q, which does not parse: %v", fix, err)
				}
			}
		})
	}
}

// suggestionRE finds what a message says to write: a quoted constraint after "write " or
// ", or ".
var suggestionRE = regexp.MustCompile(`(?:write |, or )("(?:[^"\\]|\\.)*")`)

// suggestions returns what message says to write, except a bare operator ("~>", ">=").
func suggestions(message string) []string {
	var fixes []string
	for _, m := range suggestionRE.FindAllStringSubmatch(message, -1) {
		fix, err := strconv.Unquote(m[1])
		if err == nil && strings.ContainsAny(fix, "0123456789") {
			fixes = append(fixes, fix)
		}
	}
	return fixes
}

// FuzzParseConstraint checks that any text either parses, and reads back as written, or is
// refused with a message that quotes it and suggests only what parses.
func FuzzParseConstraint(f *testing.F) {
	for _, s := range []string{">= 1.22, < 2", "~> 1.22.1-3", "1:9.*", "!= 1.22.x", "^0.0.3", "=> 1", ">= 1,,", "1.*.3", "~> 1", "* ", ">=1.2<2", "1.22-1.*", "~1.2", "\t,", "1-2.*.3", "~> 1-2.x", "!A0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := ParseConstraint(text)
		trimmed := strings.TrimSpace(text)
		if err != nil {
			if !strings.Contains(err.Error(), strconv.Quote(trimmed)) && trimmed != "" {
				t.Errorf("ParseConstraint(%q): %q does not quote the constraint", text, err)
			}
			for _, fix := range suggestions(err.Error()) {
				if _, err2 := ParseConstraint(fix); err2 != nil {
					t.Errorf("ParseConstraint(%q): %q suggests %q, which does not parse: %v", text, err, fix, err2)
				}
			}
			return
		}
		if c.String() != trimmed {
			t.Errorf("ParseConstraint(%q).String() = %q", text, c.String())
		}
		for _, s := range []Scheme{Dpkg, RPM, APK, Pacman} {
			c.Allows(s, "1:1.22.1-9+deb12u11")
		}
	})
}

// TestParseConstraintRefusesStrayCharacters: characters no version has, an operator split by a
// blank, and versions joined by a comma (a decimal comma) are refused at validate, with the fix.
func TestParseConstraintRefusesStrayCharacters(t *testing.T) {
	for text, want := range map[string]string{
		">= 1.22;":     `">= 1.22;" holds ";", which no package manager's version has: a version is made of letters, digits and . + ~ - : _ ^`,
		">= 1.22;< 2":  `">= 1.22;< 2" holds ";", which no package manager's version has: a version is made of letters, digits and . + ~ - : _ ^`,
		"> = 1.22":     `"> = 1.22" has a blank inside the operator "> =": write ">= 1.22"`,
		"1,22":         `"1,22" has 2 versions without an operator, which can never all hold: a version uses dots, not commas (write "1.22"), and each comparison after a comma needs an operator, like ">= 1.22, < 2"`,
		">= 1, 2, 3":   `">= 1, 2, 3" has 2 versions without an operator, which can never all hold: give each comparison after a comma an operator, like ">= 1.22, < 2"`,
		"= 1.22 (lts)": `"= 1.22 (lts)" holds "(", which no package manager's version has: a version is made of letters, digits and . + ~ - : _ ^`,
	} {
		_, err := ParseConstraint(text)
		if err == nil || err.Error() != want {
			t.Errorf("ParseConstraint(%q):\n got %v\nwant %s", text, err, want)
		}
	}
	for _, ok := range []string{"1.0.2^20230101git1", "2.36_p1-r0", "1:9.2p1-2+deb12u3", ">= 1.22, < 2", "1.22"} {
		if _, err := ParseConstraint(ok); err != nil {
			t.Errorf("ParseConstraint(%q): %v", ok, err)
		}
	}
}
