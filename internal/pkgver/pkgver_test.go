package pkgver

import "testing"

// The expected orders below were taken from each package manager's own comparison tool and
// documentation (dpkg --compare-versions, rpmdev-vercmp, apk version -t).
func TestCompare(t *testing.T) {
	tests := []struct {
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
		{"dpkg/tilde_before_tilde_tilde", Dpkg, "1.0~~", "1.0~", -1},
		{"dpkg/letters_before_symbols", Dpkg, "1.0a", "1.0+", -1},
		{"dpkg/numeric_not_lexical", Dpkg, "1.10", "1.9", 1},
		{"dpkg/leading_zeros", Dpkg, "1.002", "1.2", 0},
		{"dpkg/openssh", Dpkg, "1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u2", 1},
		{"dpkg/ubuntu", Dpkg, "2.35-0ubuntu3.6", "2.35-0ubuntu3.10", -1},
		{"dpkg/no_revision_before_revision", Dpkg, "1.0", "1.0-1", -1},
		{"dpkg/hyphen_in_upstream", Dpkg, "1.0-beta-2", "1.0-beta-10", -1},
		{"dpkg/long_numbers", Dpkg, "20240101000000000000001", "20240101000000000000000", 1},
		{"rpm/equal", RPM, "2.4.57-5.el9", "2.4.57-5.el9", 0},
		{"rpm/epoch_beats_version", RPM, "1:1.0-1", "2.0-1", 1},
		{"rpm/release", RPM, "2.4.57-5.el9_3.1", "2.4.57-5.el9", 1},
		{"rpm/numeric_beats_alpha", RPM, "1.0.1", "1.0.a", 1},
		{"rpm/alpha_lexical", RPM, "1.0a", "1.0b", -1},
		{"rpm/separators_equal", RPM, "1.0.1", "1_0_1", 0},
		{"rpm/tilde_prerelease", RPM, "1.0~rc1", "1.0", -1},
		{"rpm/caret_snapshot_after", RPM, "1.0^git1", "1.0", 1},
		{"rpm/caret_before_next", RPM, "1.0^git1", "1.0.1", -1},
		{"rpm/release_ignored_when_one_side_lacks_it", RPM, "1.2-7", "1.2", 0},
		{"rpm/more_segments_newer", RPM, "1.0.1", "1.0", 1},
		{"rpm/kernel", RPM, "5.14.0-362.8.1.el9_3", "5.14.0-70.13.1.el9_0", 1},
		{"apk/equal", APK, "1.36.1-r2", "1.36.1-r2", 0},
		{"apk/revision", APK, "1.36.1-r10", "1.36.1-r2", 1},
		{"apk/rc_before_release", APK, "1.0_rc1", "1.0", -1},
		{"apk/p_after_release", APK, "1.0_p1", "1.0", 1},
		{"apk/alpha_before_beta", APK, "1.0_alpha2", "1.0_beta1", -1},
		{"apk/letter", APK, "1.0a", "1.0b", -1},
		{"apk/numeric", APK, "1.10", "1.9", 1},
		{"apk/revision_after_bare", APK, "1.0-r1", "1.0", 1},
		{"pacman/epoch", Pacman, "1:1.0-1", "2.0-1", 1},
		{"pacman/pkgrel", Pacman, "6.4.2-1", "6.4.2-2", -1},
	}
	for _, tt := range tests {
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
		{"rpm_release_free", "= 2.4.57", RPM, "2.4.57-5.el9", true},
		{"rpm_lower", "< 2.4.58", RPM, "2.4.57-5.el9", true},
		{"apk_range", ">= 1.36, < 1.37", APK, "1.36.1-r2", true},
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

func TestParseConstraintRejects(t *testing.T) {
	for _, bad := range []string{"", "  ", ">=", ">= 1.2 < 2", "latest", ">= ", "1.2,", "=> 1.0", ">= abc"} {
		if _, err := ParseConstraint(bad); err == nil {
			t.Errorf("ParseConstraint(%q) succeeded, want an error", bad)
		}
	}
}

func FuzzCompare(f *testing.F) {
	for _, s := range []string{"1:9.1-1", "1.0~rc1", "1.0^git1", "1.36.1_rc2-r3", "", "~~", "-r", "9999999999999999999999"} {
		f.Add(s, "1.0")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, s := range []Scheme{Dpkg, RPM, APK} {
			if Compare(s, a, b) != -Compare(s, b, a) {
				t.Errorf("%s: Compare(%q, %q) is not antisymmetric", s, a, b)
			}
			if Compare(s, a, a) != 0 {
				t.Errorf("%s: Compare(%q, itself) != 0", s, a)
			}
		}
	})
}
