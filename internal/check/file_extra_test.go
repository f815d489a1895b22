package check

import (
	"strings"
	"testing"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// The digests of "hello\n", as sha256sum and sha512sum print them.
const (
	helloSHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
	helloSHA512 = "e7c22b994c59d9cf2b48e549b1e24666636045930d3da7c1acb299d1c3b7f931f94aae41edda2c2b207a36e10f8bcb8d45223e54878f5b316e7ce3b6bc019629"
	emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

func TestFileSizeDigestAndLinkTargetJudge(t *testing.T) {
	hello := probe.FileFacts{Exists: true, Type: "file", Resolved: "file", Mode: 0o644, Owner: "root", Group: "root", Size: 6,
		Digest: map[string]string{"sha256": helloSHA256, "sha512": helloSHA512}}
	secret := hello
	secret.Mode = 0o600
	link := probe.FileFacts{Exists: true, Type: "symlink", Resolved: "file", LinkTarget: "../usr/lib/os-release", Mode: 0o644, Size: 267}
	dangling := probe.FileFacts{Exists: true, Type: "symlink", LinkTarget: "nowhere", Dangling: true}
	dir := probe.FileFacts{Exists: true, Type: "directory", Resolved: "directory", Mode: 0o755, Size: 4096}
	tests := []struct {
		name  string
		check File
		facts probe.FileFacts
		want  string
	}{
		{"size_exact", File{Path: "/x", Size: "6"}, hello, "pass"},
		{"size_exact_differs", File{Path: "/x", Size: "7"}, hello, "size is 6 bytes, want 7 bytes"},
		{"size_not_empty", File{Path: "/x", Size: "> 0"}, hello, "pass"},
		{"size_empty", File{Path: "/x", Size: "> 0"}, probe.FileFacts{Exists: true, Type: "file", Resolved: "file"}, "size is 0 bytes, want > 0"},
		{"size_range", File{Path: "/x", Size: ">= 1KiB, < 1MiB"}, hello, "size is 6 bytes, want >= 1KiB, < 1MiB"},
		{"size_of_what_a_symlink_points_to", File{Path: "/etc/os-release", Size: "267"}, link, "pass"},
		{"size_of_a_directory_as_stat_says", File{Path: "/d", Size: "4096"}, dir, "pass"},
		{"size_of_a_dangling_symlink", File{Path: "/x", Size: "> 0"}, dangling, `is a symlink to "nowhere", which does not exist`},
		{"sha256", File{Path: "/x", SHA256: helloSHA256}, hello, "pass"},
		{"sha256_any_case", File{Path: "/x", SHA256: strings.ToUpper(helloSHA256)}, hello, "pass"},
		{"sha512", File{Path: "/x", SHA512: helloSHA512}, hello, "pass"},
		{"both_digests", File{Path: "/x", SHA256: helloSHA256, SHA512: helloSHA512}, hello, "pass"},
		{"sha256_differs", File{Path: "/x", SHA256: emptySHA256}, hello, "sha256 is " + helloSHA256 + ", want " + emptySHA256},
		{"sha256_of_a_secret_is_not_shown", File{Path: "/x", SHA256: emptySHA256}, secret,
			"sha256 differs from the one wanted (the digest found is not shown, since not everyone may read the file (mode 0600) and it may hold secrets)"},
		{"sha256_of_a_symlink_to_a_file", File{Path: "/l", SHA256: helloSHA256}, func() probe.FileFacts {
			f := hello
			f.Type, f.LinkTarget = "symlink", "x"
			return f
		}(), "pass"},
		{"sha256_of_a_directory_is_an_error", File{Path: "/d", SHA256: helloSHA256}, dir,
			"error: sha256: the path is not a regular file but a directory, which has no digest"},
		{"sha256_of_a_dangling_symlink", File{Path: "/x", SHA256: helloSHA256}, dangling, `is a symlink to "nowhere", which does not exist`},
		{"sha256_missing_file", File{Path: "/x", SHA256: helloSHA256}, probe.FileFacts{}, "does not exist"},
		{"sha256_unreadable", File{Path: "/x", SHA256: helloSHA256}, probe.FileFacts{Exists: true, Type: "file", Resolved: "file",
			DigestErr: map[string]string{"sha256": "permission denied: the probe's user cannot read this file (use_sudo = true may help)"}},
			"error: sha256: permission denied: the probe's user cannot read this file (use_sudo = true may help)"},
		{"sha512_no_tool", File{Path: "/x", SHA512: helloSHA512}, probe.FileFacts{Exists: true, Type: "file", Resolved: "file",
			DigestErr: map[string]string{"sha512": "the image has no sha512sum (GNU coreutils and busybox have one), so the digest cannot be computed"}},
			"error: sha512: the image has no sha512sum (GNU coreutils and busybox have one), so the digest cannot be computed"},
		{"sha256_not_computed_is_an_error", File{Path: "/x", SHA256: helloSHA256}, probe.FileFacts{Exists: true, Type: "file", Resolved: "file"},
			"error: sha256: the probe did not compute the digest"},
		{"sha256_error_wins_over_other_differences", File{Path: "/x", Mode: "0600", SHA256: helloSHA256}, probe.FileFacts{Exists: true, Type: "file", Resolved: "file", Mode: 0o644},
			"error: sha256: the probe did not compute the digest"},
		{"link_target", File{Path: "/etc/os-release", LinkTarget: "../usr/lib/os-release"}, link, "pass"},
		{"link_target_is_not_resolved", File{Path: "/etc/os-release", LinkTarget: "/usr/lib/os-release"}, link,
			`link target is "../usr/lib/os-release", want "/usr/lib/os-release"`},
		{"link_target_of_a_file", File{Path: "/x", LinkTarget: "y"}, hello, "is a file, not a symlink"},
		{"link_target_of_a_directory", File{Path: "/d", LinkTarget: "y"}, dir, "is a directory, not a symlink"},
		{"link_target_of_a_dangling_symlink", File{Path: "/x", LinkTarget: "nowhere"}, dangling, "pass"},
		{"link_target_of_a_dangling_symlink_differs", File{Path: "/x", LinkTarget: "elsewhere"}, dangling, `link target is "nowhere", want "elsewhere"`},
		{"link_target_with_newline", File{Path: "/x", LinkTarget: "a\nb"}, probe.FileFacts{Exists: true, Type: "symlink", Resolved: "file", LinkTarget: "a\nb"}, "pass"},
		{"link_target_unreadable", File{Path: "/x", LinkTarget: "y"}, probe.FileFacts{Exists: true, Type: "symlink", Resolved: "file",
			LinkErr: "readlink(1) cannot say where the symlink points: sh: 1: readlink: not found"},
			"error: link_target: readlink(1) cannot say where the symlink points: sh: 1: readlink: not found"},
		{"link_target_missing_path", File{Path: "/x", LinkTarget: "y"}, probe.FileFacts{}, "does not exist"},
		{"link_target_stat_error", File{Path: "/x", LinkTarget: "y"}, probe.FileFacts{Err: "permission denied"}, "error: permission denied"},
		{"several", File{Path: "/etc/os-release", LinkTarget: "x", Size: "< 10", Mode: "0600"}, link,
			`link target is "../usr/lib/os-release", want "x"; mode is 0644, want 0600; size is 267 bytes, want < 10`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestFileSizeDigestAndLinkTargetValidate(t *testing.T) {
	tests := []struct {
		name  string
		check File
		want  []string
	}{
		{"all_good", File{Path: "/x", Size: ">= 1KiB, < 1 MiB", SHA256: strings.ToUpper(helloSHA256), SHA512: helloSHA512}, nil},
		{"size_number", File{Path: "/x", Size: "1234"}, nil},
		{"size_with_operators", File{Path: "/x", Size: "!= 0, == 5, <= 9, > 1, < 10"}, nil},
		{"link_target_with_type", File{Path: "/x", Type: "symlink", LinkTarget: "../y"}, nil},
		{"sha256_of_a_symlink_type", File{Path: "/x", Type: "symlink", SHA256: helloSHA256}, nil},
		{"size_empty_comparison", File{Path: "/x", Size: "> 0,"}, []string{`size: "> 0," has an empty comparison (a comma too many): write comparisons joined by commas, like ">= 1KiB, < 1MiB"`}},
		{"size_blank", File{Path: "/x", Size: " "}, []string{`size: " " is empty: write a number of bytes, like "1234", or a comparison, like "> 0"`}},
		{"size_word", File{Path: "/x", Size: "big"}, []string{`size: "big": "big" is not a size: write a whole number of bytes, like "1234", or one with KiB, MiB, GiB or TiB (powers of 1024), like "4KiB"`}},
		{"size_fraction", File{Path: "/x", Size: "1.5MiB"}, []string{`size: "1.5MiB": "1.5MiB" is not a size: write a whole number of bytes, like "1234", or one with KiB, MiB, GiB or TiB (powers of 1024), like "4KiB"`}},
		{"size_ambiguous_unit", File{Path: "/x", Size: "< 1M"}, []string{`size: "< 1M": "1M" has the unit "M", which could mean 1000000 or 1048576: write "1MiB" for 1048576 bytes, or the number of bytes`}},
		{"size_ambiguous_unit_kb", File{Path: "/x", Size: "> 4kB"}, []string{`size: "> 4kB": "4kB" has the unit "kB", which could mean 1000 or 1024: write "4KiB" for 4096 bytes, or the number of bytes`}},
		{"size_negative", File{Path: "/x", Size: "> -1"}, []string{`size: "> -1": "-1" is negative, and no size is`}},
		{"size_too_big", File{Path: "/x", Size: "99999999999999999999"}, []string{`size: "99999999999999999999": "99999999999999999999" is too big for a size`}},
		{"size_unit_too_big", File{Path: "/x", Size: "99999999TiB"}, []string{`size: "99999999TiB": "99999999TiB" is too big for a size`}},
		{"size_misspelt_operator", File{Path: "/x", Size: "=> 10"}, []string{`size: "=> 10" uses "=>", which is not an operator: write ">= 10"`}},
		{"size_pessimistic", File{Path: "/x", Size: "~> 10"}, []string{`size: "~> 10" uses "~>", which is not an operator: use =, !=, <, <=, > or >=`}},
		{"size_part_named", File{Path: "/x", Size: "> 0, < x"}, []string{`size: "< x" in "> 0, < x": "x" is not a size: write a whole number of bytes, like "1234", or one with KiB, MiB, GiB or TiB (powers of 1024), like "4KiB"`}},
		{"sha256_short", File{Path: "/x", SHA256: "abc"}, []string{`sha256: "abc" is 3 hexadecimal characters, not the 64 of a SHA-256 digest (sha256sum prints it)`}},
		{"sha256_given_sha512", File{Path: "/x", SHA256: helloSHA512}, []string{`sha256: "` + helloSHA512 + `" is 128 hexadecimal characters, not the 64 of a SHA-256 digest (sha256sum prints it)`}},
		{"sha256_not_hex", File{Path: "/x", SHA256: strings.Repeat("z", 64)}, []string{`sha256: "` + strings.Repeat("z", 64) + `" is not a SHA-256 digest: write the 64 hexadecimal characters that sha256sum prints`}},
		{"sha256_line_pasted", File{Path: "/x", SHA256: helloSHA256 + "  /etc/x"}, []string{`sha256: "` + helloSHA256 + `  /etc/x" holds more than the digest (a line of sha256sum?): write "` + helloSHA256 + `"`}},
		{"sha256_prefixed", File{Path: "/x", SHA256: "sha256:" + helloSHA256}, []string{`sha256: "sha256:` + helloSHA256 + `" starts with "sha256:": write the digest alone, "` + helloSHA256 + `"`}},
		{"sha512_short", File{Path: "/x", SHA512: helloSHA256}, []string{`sha512: "` + helloSHA256 + `" is 64 hexadecimal characters, not the 128 of a SHA-512 digest (sha512sum prints it)`}},
		{"sha256_of_a_directory", File{Path: "/x", Type: "directory", SHA256: helloSHA256}, []string{`sha256: cannot be checked of a directory (type = "directory"): only a regular file has a digest`}},
		{"link_target_of_a_file_type", File{Path: "/x", Type: "file", LinkTarget: "y"}, []string{`link_target: needs a symlink, but type is "file": write type = "symlink", or leave type out`}},
		{"link_target_nul", File{Path: "/x", LinkTarget: "a\x00b"}, []string{`link_target: "a\x00b" contains a NUL byte, which no symlink holds`}},
		{"absent_with_the_new_attributes", File{Path: "/x", Exists: no, Size: "0", SHA256: helloSHA256, LinkTarget: "y"}, []string{"exists: is false, so size, sha256 and link_target cannot be checked"}},
		{"absent_with_old_and_new", File{Path: "/x", Exists: no, Mode: "0644", SHA512: helloSHA512}, []string{"exists: is false, so type, mode, owner, group and content cannot be checked", "exists: is false, so sha512 cannot be checked"}},
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

func TestSizeConstraintAllows(t *testing.T) {
	for _, tt := range []struct {
		constraint string
		allowed    []int64
		refused    []int64
	}{
		{"1234", []int64{1234}, []int64{0, 1233, 1235}},
		{"= 1234", []int64{1234}, []int64{1233}},
		{"== 1KiB", []int64{1024}, []int64{1000}},
		{"> 0", []int64{1, 1 << 40}, []int64{0}},
		{">= 1KiB, < 1MiB", []int64{1024, 1<<20 - 1}, []int64{1023, 1 << 20}},
		{"!= 0", []int64{1}, []int64{0}},
		{"<= 4 KiB", []int64{0, 4096}, []int64{4097}},
		{"2GiB", []int64{2 << 30}, []int64{2e9}},
		{"1TiB", []int64{1 << 40}, nil},
		{"10B", []int64{10}, nil},
	} {
		c, err := parseSize(tt.constraint)
		if err != nil {
			t.Errorf("%q: %v", tt.constraint, err)
			continue
		}
		for _, n := range tt.allowed {
			if !c.allows(n) {
				t.Errorf("%q refuses %d", tt.constraint, n)
			}
		}
		for _, n := range tt.refused {
			if c.allows(n) {
				t.Errorf("%q allows %d", tt.constraint, n)
			}
		}
	}
}

func TestFileSizeDigestAndLinkTargetExpectation(t *testing.T) {
	for _, tt := range []struct {
		check File
		want  string
	}{
		{File{Path: "/x", Size: "1234"}, "size 1234 bytes"},
		{File{Path: "/x", Size: " > 0 "}, "size > 0"},
		{File{Path: "/x", SHA256: strings.ToUpper(helloSHA256)}, "sha256 5891b5b522d5…"},
		{File{Path: "/x", Mode: "0644", SHA512: helloSHA512}, "mode 0644, sha512 e7c22b994c59…"},
		{File{Path: "/etc/os-release", LinkTarget: "../usr/lib/os-release"}, `is a symlink to "../usr/lib/os-release"`},
		{File{Path: "/etc/os-release", Type: "symlink", LinkTarget: "../usr/lib/os-release", Size: "> 0"}, `is a symlink to "../usr/lib/os-release", size > 0`},
		{File{Path: "/x", SHA256: "abc"}, "exists"}, // invalid: Validate says so
	} {
		if got := tt.check.Expectation(); got != tt.want {
			t.Errorf("%+v: Expectation() = %q, want %q", tt.check, got, tt.want)
		}
	}
}

// A file check with digests asks the probe for them, once per algorithm and file, and a check
// without asks for none; the fake image's files pass a digest of the fake content.
func TestFileDigestsAreGathered(t *testing.T) {
	fake := "7496417AA02D03735870E48593CDF4E8BF77DF9DF4DC6E680C51628998887C0A" // of the fake content, "x = 1\ndebug = false\n"
	checks := []Check{
		&File{Path: "/etc/a", SHA256: fake},
		&File{Path: "/etc/a", SHA512: helloSHA512},
		&File{Path: "/etc/b", LinkTarget: "x", Size: "12"},
	}
	s := NewSuite(Declare(checks), Options{})
	script, err := probe.Render(s.Plan())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[ -f '/etc/a' ] && set -- \"$@\" '/etc/a'\n\tfd sha256 0", "[ -f '/etc/a' ] && set -- \"$@\" '/etc/a'\n\tfd sha512 0"} {
		if strings.Count(string(script), want) != 1 {
			t.Errorf("the script does not ask once: %q", want)
		}
	}
	if strings.Contains(string(script), "'/etc/b' ] && set") {
		t.Error("a digest is asked of /etc/b")
	}
	facts, err := probe.Parse(s.Plan(), probe.FakeOutput(s.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.Judge(facts) {
		got = append(got, r.Status.String()+" "+strings.Join(r.Problems, "; "))
	}
	want := []string{
		"passed ",
		"failed sha512 is 4f24fd357eb74e45a8638742e374fbea7b8c6a9863356d63af42800d7ffbbc93a0a221615f5291ffe1112b89a62bc97f74aae99f16d562ebe9c71d3fa91a9dbc, want " + helloSHA512,
		"failed is a file, not a symlink",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
