package check

import (
	"strings"
	"testing"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// osFacts are what the probe would find in an os-release with these assignments.
func osFacts(kv ...string) probe.OSFacts {
	f := probe.OSFacts{Path: "/etc/os-release", Values: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Values[kv[i]] = kv[i+1]
	}
	return f
}

// The IDs, ID_LIKEs and VERSION_IDs of the os-release files of the probe's tests (modelled from
// the distributions' published files there, and this machine's, recorded).
var (
	debian12  = osFacts("PRETTY_NAME", "Debian GNU/Linux 12 (bookworm)", "ID", "debian", "VERSION_ID", "12")
	ubuntu    = osFacts("PRETTY_NAME", "Ubuntu 22.04.4 LTS", "ID", "ubuntu", "ID_LIKE", "debian", "VERSION_ID", "22.04")
	rocky     = osFacts("PRETTY_NAME", "Rocky Linux 9.3 (Blue Onyx)", "ID", "rocky", "ID_LIKE", "rhel centos fedora", "VERSION_ID", "9.3")
	rhel      = osFacts("ID", "rhel", "ID_LIKE", "fedora", "VERSION_ID", "9.6")
	centos    = osFacts("ID", "centos", "ID_LIKE", "rhel fedora", "VERSION_ID", "9")
	amazon    = osFacts("ID", "amzn", "ID_LIKE", "fedora", "VERSION_ID", "2023")
	fedora    = osFacts("ID", "fedora", "VERSION_ID", "42")
	alpine    = osFacts("ID", "alpine", "VERSION_ID", "3.19.1")
	arch      = osFacts("PRETTY_NAME", "Arch Linux", "ID", "arch", "BUILD_ID", "rolling")
	manjaro   = osFacts("ID", "manjaro", "ID_LIKE", "arch", "BUILD_ID", "rolling")
	leap      = osFacts("ID", "opensuse-leap", "ID_LIKE", "suse opensuse", "VERSION_ID", "15.5")
	sles      = osFacts("ID", "sles", "ID_LIKE", "suse", "VERSION_ID", "15.5")
	mint      = osFacts("ID", "linuxmint", "ID_LIKE", "ubuntu debian", "VERSION_ID", "21.3")
	gentoo    = osFacts("ID", "gentoo", "VERSION_ID", "2.15")
	almaNoIDL = osFacts("ID", "almalinux", "VERSION_ID", "9.4") // as if it had no ID_LIKE
)

func TestOSFamilies(t *testing.T) {
	for want, facts := range map[string][]probe.OSFacts{
		"debian": {debian12, ubuntu, mint},
		"rhel":   {rocky, rhel, centos, amazon, fedora, almaNoIDL},
		"suse":   {leap, sles},
		"alpine": {alpine},
		"arch":   {arch, manjaro},
		"gentoo": {gentoo},
		"linux":  {osFacts("VERSION_ID", "1")}, // no ID: "linux", by os-release(5)
		"x":      {osFacts("ID", "x", "ID_LIKE", "y z")},
	} {
		for _, f := range facts {
			if got := osFamily(f); got != want {
				t.Errorf("ID %q, ID_LIKE %q: family %s, want %s", f.Values["ID"], f.Values["ID_LIKE"], got, want)
			}
		}
	}
}

func TestOSJudge(t *testing.T) {
	tests := []struct {
		name  string
		check OS
		facts probe.OSFacts
		want  string
	}{
		{"debian_12", OS{Family: "debian", Version: ">= 12"}, debian12, "pass"},
		{"ubuntu_is_debian", OS{Family: "debian"}, ubuntu, "pass"},
		{"ubuntu_by_name", OS{Name: "ubuntu", Version: "22.04"}, ubuntu, "pass"},
		{"version_numbers_compare_as_numbers", OS{Name: "ubuntu", Version: "= 22.4"}, ubuntu, "pass"},
		{"series", OS{Family: "rhel", Version: "9.*"}, rocky, "pass"},
		{"pessimistic", OS{Family: "rhel", Version: "~> 9.2"}, rocky, "pass"},
		{"equals_a_major_is_not_a_series", OS{Family: "rhel", Version: "= 9"}, rocky, "version is 9.3 (VERSION_ID), want = 9 (compared as dpkg compares versions)"},
		{"nine_ten_after_nine_nine", OS{Version: "> 9.9"}, osFacts("ID", "rocky", "VERSION_ID", "9.10"), "pass"},
		{"alpine_three_parts", OS{Family: "alpine", Version: ">= 3.19, < 3.20"}, alpine, "pass"},
		{"fedora_is_rhel", OS{Family: "rhel"}, fedora, "pass"},
		{"rhel_like_fedora_is_rhel", OS{Family: "rhel", Name: "rhel"}, rhel, "pass"},
		{"amazon_is_rhel", OS{Family: "rhel", Version: ">= 2023"}, amazon, "pass"},
		{"suse", OS{Family: "suse", Version: ">= 15.5"}, sles, "pass"},
		{"leap", OS{Family: "suse", Name: "opensuse-leap"}, leap, "pass"},
		{"arch_family", OS{Family: "arch"}, manjaro, "pass"},
		{"own_family", OS{Family: "gentoo"}, gentoo, "pass"},
		{"wrong_family", OS{Family: "debian", Version: ">= 12"}, rocky,
			`family is rhel (ID rocky, ID_LIKE "rhel centos fedora"), want debian; version is 9.3 (VERSION_ID), want >= 12 (compared as dpkg compares versions)`},
		{"wrong_family_without_id_like", OS{Family: "suse"}, debian12, "family is debian (ID debian), want suse"},
		{"wrong_name", OS{Name: "ubuntu"}, debian12, "name is debian (the ID in /etc/os-release), want ubuntu"},
		{"too_old", OS{Family: "debian", Version: ">= 12"}, osFacts("ID", "debian", "VERSION_ID", "11"), "version is 11 (VERSION_ID), want >= 12 (compared as dpkg compares versions)"},
		{"no_id_is_linux", OS{Name: "ubuntu"}, osFacts("VERSION_ID", "1"), "name is linux (the ID in /etc/os-release), want ubuntu"},
		{"rolling_has_no_version", OS{Family: "arch", Version: ">= 2024"}, arch,
			`error: version: /etc/os-release has no VERSION_ID (PRETTY_NAME="Arch Linux" ID="arch"), so there is no version to check: rolling releases, such as Arch Linux or Debian testing, have none`},
		{"empty_version_id", OS{Version: ">= 1"}, osFacts("ID", "x", "VERSION_ID", ""), `error: version: /etc/os-release has no VERSION_ID (ID="x" VERSION_ID=""), so there is no version to check: rolling releases, such as Arch Linux or Debian testing, have none`},
		{"no_os_release", OS{Family: "debian"}, probe.OSFacts{Err: "the image has neither /etc/os-release nor /usr/lib/os-release (os-release(5)), so which system it is cannot be told"},
			"error: the image has neither /etc/os-release nor /usr/lib/os-release (os-release(5)), so which system it is cannot be told"},
		{"unreadable_id", OS{Name: "debian"}, probe.OSFacts{Path: "/etc/os-release", Values: map[string]string{}, Invalid: map[string]string{"ID": "a $ that is not quoted"}},
			"error: name: the ID in /etc/os-release cannot be read: it has a $ that is not quoted"},
		{"unreadable_version_id", OS{Version: ">= 12"}, probe.OSFacts{Path: "/etc/os-release", Values: map[string]string{"ID": "debian"}, Invalid: map[string]string{"VERSION_ID": "a double quote that is never closed"}},
			"error: version: the VERSION_ID in /etc/os-release cannot be read: it has a double quote that is never closed"},
		{"unreadable_id_like_matters_for_an_unknown_id", OS{Family: "debian"}, probe.OSFacts{Path: "/etc/os-release", Values: map[string]string{"ID": "pop"}, Invalid: map[string]string{"ID_LIKE": "a blank in a value that is not quoted (quote the value)"}},
			"error: family: the ID_LIKE in /etc/os-release cannot be read: it has a blank in a value that is not quoted (quote the value)"},
		{"unreadable_id_like_does_not_matter_for_a_known_id", OS{Family: "rhel"}, probe.OSFacts{Path: "/etc/os-release", Values: map[string]string{"ID": "rocky"}, Invalid: map[string]string{"ID_LIKE": "a blank in a value that is not quoted (quote the value)"}},
			"pass"},
		{"unreadable_value_that_is_not_needed", OS{Family: "debian"}, probe.OSFacts{Path: "/etc/os-release", Values: map[string]string{"ID": "debian"}, Invalid: map[string]string{"VERSION_ID": "x", "NAME": "y"}}, "pass"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// A failure shows what os-release says, so that the build log alone tells what the image is.
func TestOSFailureShowsWhatOSReleaseSays(t *testing.T) {
	o := (&OS{Family: "debian"}).judge(rocky)
	want := `/etc/os-release: PRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)" ID="rocky" ID_LIKE="rhel centos fedora" VERSION_ID="9.3"`
	if len(o.Details) != 1 || o.Details[0] != want {
		t.Errorf("details %q, want %q", o.Details, want)
	}
	if o := (&OS{Family: "rhel"}).judge(rocky); len(o.Details) != 0 {
		t.Errorf("a pass has details: %q", o.Details)
	}
}

func TestOSValidate(t *testing.T) {
	tests := []struct {
		name  string
		check OS
		want  []string
	}{
		{"family_and_version", OS{Family: "debian", Version: ">= 12"}, nil},
		{"name_only", OS{Name: "opensuse-leap"}, nil},
		{"version_only", OS{Version: "22.04"}, nil},
		{"own_family", OS{Family: "gentoo"}, nil},
		{"nothing", OS{}, []string{`family: is not set, and neither are name and version: set at least one of them (like family = "debian")`}},
		{"ansible_family", OS{Family: "RedHat"}, []string{`family: "RedHat" is not a family: write "rhel"`}},
		{"distribution_as_family", OS{Family: "ubuntu"}, []string{`family: "ubuntu" is a distribution of the family "debian": write family = "debian", or name = "ubuntu"`}},
		{"fedora_as_family", OS{Family: "fedora"}, []string{`family: "fedora" is a distribution of the family "rhel": write family = "rhel", or name = "fedora"`}},
		{"upper_case_family", OS{Family: "Debian"}, []string{`family: "Debian" is not a family, which is lower-case: write "debian"`}},
		{"family_with_blank", OS{Family: "deb ian"}, []string{`family: "deb ian" is not a family (use one of debian, rhel, suse, alpine, arch, or the ID of a distribution in none of them)`}},
		{"name_as_pretty", OS{Name: "Rocky Linux"}, []string{`name: "Rocky Linux" is not an os-release ID: write "rocky" (name is the ID of os-release, not its NAME)`}},
		{"name_upper_case", OS{Name: "Ubuntu"}, []string{`name: "Ubuntu" is not an os-release ID, which is lower-case: write "ubuntu"`}},
		{"name_odd", OS{Name: "a/b"}, []string{`name: "a/b" is not an os-release ID (lower-case letters, digits, ., _ and -, like "ubuntu" or "opensuse-leap")`}},
		{"bad_version", OS{Family: "debian", Version: ">= 12 < 13"}, []string{`version: ">= 12 < 13" has no comma between ">= 12" and "< 13": write ">= 12, < 13"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, err := range tt.check.Validate() {
				got = append(got, err.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestOSExpectation(t *testing.T) {
	for _, tt := range []struct {
		check OS
		want  string
	}{
		{OS{Family: "debian", Version: ">= 12"}, "family debian, version >= 12"},
		{OS{Name: "ubuntu", Version: " 22.04 "}, "name ubuntu, version 22.04"},
		{OS{Family: "rhel", Name: "rocky", Version: "9.*"}, "family rhel, name rocky, version 9.*"},
	} {
		if got := tt.check.Expectation(); got != tt.want {
			t.Errorf("Expectation() = %q, want %q", got, tt.want)
		}
	}
	if c := (&OS{}); c.Kind() != "os" || c.Subject() != "os-release" {
		t.Errorf("Kind %q, Subject %q", c.Kind(), c.Subject())
	}
}

// A suite of os checks reads os-release once, and the fake Debian image passes "debian >= 12".
func TestOSInASuite(t *testing.T) {
	s := NewSuite(Declare([]Check{&OS{Family: "debian", Version: ">= 12"}, &OS{Name: "ubuntu"}}), Options{})
	script, err := probe.Render(s.Plan())
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(script), "\tosrelease\n"); n != 1 {
		t.Errorf("os-release is read %d times", n)
	}
	facts, err := probe.Parse(s.Plan(), probe.FakeOutput(s.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.Judge(facts) {
		got = append(got, r.Status.String()+" "+r.Name()+" "+strings.Join(r.Problems, "; "))
	}
	want := "passed os[0] os-release \nfailed os[1] os-release name is debian (the ID in /etc/os-release), want ubuntu"
	if strings.Join(got, "\n") != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
