package probe

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// osRecords are the records of osrelease for the files in order ("etc", then "lib"), each from a
// recorded fixture of head: its stdout, stderr and exit status.
func osRecords(t *testing.T, fixtures ...string) records {
	t.Helper()
	r := records{}
	for i, fixture := range fixtures {
		id := osReleaseFiles[i].id
		out, stderr, status := recorded(t, fixture)
		r[key{"osrelease.status", id}] = []byte(status)
		r[key{"osrelease.file", id}] = []byte(out)
		r[key{"osrelease.err", id}] = []byte(stderr)
	}
	return r
}

func osOf(t *testing.T, r records) OSFacts {
	t.Helper()
	p := NewPlan()
	h := p.OS()
	return get(t, parsed(p, r), h)
}

// The host's own os-release, read by GNU's and busybox's head, and what head says of a file
// that is missing, a dangling symlink and a file the probe's user may not read: only the
// missing ones make way for /usr/lib/os-release, as os-release(5) says.
func TestOSReleaseFromRealHead(t *testing.T) {
	tests := []struct {
		name     string
		fixtures []string
		want     string // "PATH ID VERSION_ID" or "error: …"
	}{
		{"etc", []string{"os-release-etc"}, "/etc/os-release debian 12"},
		{"etc_busybox", []string{"os-release-etc-busybox"}, "/etc/os-release debian 12"},
		{"missing_falls_back", []string{"os-release-missing", "os-release-usr-lib"}, "/usr/lib/os-release debian 12"},
		{"missing_busybox_falls_back", []string{"os-release-missing-busybox", "os-release-usr-lib"}, "/usr/lib/os-release debian 12"},
		{"dangling_symlink_is_missing", []string{"os-release-dangling", "os-release-usr-lib"}, "/usr/lib/os-release debian 12"},
		{"unreadable_is_an_error_not_a_fall_back", []string{"os-release-unreadable", "os-release-usr-lib"},
			"error: permission denied: the probe's user cannot read /etc/os-release (use_sudo = true may help)"},
		{"unreadable_busybox", []string{"os-release-unreadable-busybox", "os-release-usr-lib"},
			"error: permission denied: the probe's user cannot read /etc/os-release (use_sudo = true may help)"},
		{"neither", []string{"os-release-missing", "os-release-missing"},
			"error: the image has neither /etc/os-release nor /usr/lib/os-release (os-release(5)), so which system it is cannot be told"},
		{"fall_back_unreadable", []string{"os-release-missing", "os-release-unreadable"},
			"error: permission denied: the probe's user cannot read /usr/lib/os-release (use_sudo = true may help)"},
		{"fall_back_not_tried", []string{"os-release-missing"}, "error: the probe did not read /usr/lib/os-release"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := osVerdict(osOf(t, osRecords(t, tt.fixtures...))); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func osVerdict(f OSFacts) string {
	if f.Err != "" {
		return "error: " + f.Err
	}
	return f.Path + " " + f.Values["ID"] + " " + f.Values["VERSION_ID"]
}

// Ways the probe's records could look seen when they are not: each is an error.
func TestOSReleaseThatWasNotSeenIsAnError(t *testing.T) {
	debian, _, _ := recorded(t, "os-release-etc")
	tests := []struct {
		name string
		r    records
		want string
	}{
		{"no_records", records{}, "the probe did not read /etc/os-release"},
		{"not_a_regular_file", recs("osrelease.notfile", "etc", ""), "/etc/os-release is not a regular file, so it was not read"},
		{"head_missing", recs("osrelease.status", "etc", "127", "osrelease.file", "etc", "", "osrelease.err", "etc", "sh: 1: head: not found\n"),
			"cannot read /etc/os-release (head exited with 127): sh: 1: head: not found"},
		{"input_output_error", recs("osrelease.status", "etc", "1", "osrelease.file", "etc", "", "osrelease.err", "etc", "head: error reading '/etc/os-release': Input/output error\n"),
			"cannot read /etc/os-release (head exited with 1): head: error reading '/etc/os-release': Input/output error"},
		{"content_lost", recs("osrelease.status", "etc", "0"), "the probe did not keep what it read of /etc/os-release"},
		{"empty", recs("osrelease.status", "etc", "0", "osrelease.file", "etc", ""), "/etc/os-release holds no assignments: it is empty, or not an os-release file"},
		{"only_comments", recs("osrelease.status", "etc", "0", "osrelease.file", "etc", "# nothing\n\n"), "/etc/os-release holds no assignments: it is empty, or not an os-release file"},
		{"too_big", recs("osrelease.status", "etc", "0", "osrelease.file", "etc", debian+strings.Repeat("#\n", osReleaseLimit)),
			"/etc/os-release holds more than 65536 bytes, which no os-release file does"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := osOf(t, tt.r); got.Err != tt.want {
				t.Errorf("got  %q\nwant %q (facts %+v)", got.Err, tt.want, got)
			}
		})
	}
}

// osReleaseModels are os-release files of other distributions, modelled (not recorded: this
// machine runs none of them) from their published contents: Ubuntu 22.04 (its base-files, as
// in the ubuntu:22.04 image), Rocky Linux 9.3, RHEL 9.6, CentOS Stream 9, Amazon Linux 2023,
// Fedora 42 and Alpine (as collected in python-distro's tests/resources/distros), Alpine 3.19
// (alpine-release's os-release, as in the alpine:3.19 image), Arch Linux (the filesystem
// package's os-release; the archlinux container image adds a VERSION_ID of its build date,
// which plain Arch has not), Manjaro, openSUSE Leap 15.5 and SLES 15 SP5 (as shown by
// `cat /etc/os-release` in SUSE's and openSUSE's documentation and the registry.suse.com/suse/sle15:15.5 image).
var osReleaseModels = map[string]string{
	"ubuntu-22.04": `PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.4 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=jammy
`,
	"rocky-9": `NAME="Rocky Linux"
VERSION="9.3 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.3"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"
ANSI_COLOR="0;32"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:rocky:rocky:9::baseos"
HOME_URL="https://rockylinux.org/"
BUG_REPORT_URL="https://bugs.rockylinux.org/"
SUPPORT_END="2032-05-31"
ROCKY_SUPPORT_PRODUCT="Rocky-Linux-9"
ROCKY_SUPPORT_PRODUCT_VERSION="9.3"
REDHAT_SUPPORT_PRODUCT="Rocky Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="9.3"
`,
	"rhel-9": `NAME="Red Hat Enterprise Linux"
VERSION="9.6 (Plow)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="9.6"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Red Hat Enterprise Linux 9.6 (Plow)"
ANSI_COLOR="0;31"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"
HOME_URL="https://www.redhat.com/"
DOCUMENTATION_URL="https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/9"
BUG_REPORT_URL="https://issues.redhat.com/"

REDHAT_BUGZILLA_PRODUCT="Red Hat Enterprise Linux 9"
REDHAT_BUGZILLA_PRODUCT_VERSION=9.6
REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="9.6"
`,
	"centos-stream-9": `NAME="CentOS Stream"
VERSION="9"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="9"
PLATFORM_ID="platform:el9"
PRETTY_NAME="CentOS Stream 9"
ANSI_COLOR="0;31"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:centos:centos:9"
HOME_URL="https://centos.org/"
BUG_REPORT_URL="https://issues.redhat.com/"
REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux 9"
REDHAT_SUPPORT_PRODUCT_VERSION="CentOS Stream"
`,
	"amazon-2023": `NAME="Amazon Linux"
VERSION="2023"
ID="amzn"
ID_LIKE="fedora"
VERSION_ID="2023"
PLATFORM_ID="platform:al2023"
PRETTY_NAME="Amazon Linux 2023"
ANSI_COLOR="0;33"
CPE_NAME="cpe:2.3:o:amazon:amazon_linux:2023"
HOME_URL="https://aws.amazon.com/linux/"
BUG_REPORT_URL="https://github.com/amazonlinux/amazon-linux-2023"
SUPPORT_END="2028-03-01"
`,
	"fedora-42": `NAME="Fedora Linux"
VERSION="42 (Forty Two)"
ID=fedora
VERSION_ID=42
VERSION_CODENAME=""
PLATFORM_ID="platform:f42"
PRETTY_NAME="Fedora Linux 42 (Forty Two)"
ANSI_COLOR="0;38;2;60;110;180"
LOGO=fedora-logo-icon
CPE_NAME="cpe:/o:fedoraproject:fedora:42"
DEFAULT_HOSTNAME="fedora"
HOME_URL="https://fedoraproject.org/"
DOCUMENTATION_URL="https://docs.fedoraproject.org/en-US/fedora/f42/"
SUPPORT_URL="https://ask.fedoraproject.org/"
BUG_REPORT_URL="https://bugzilla.redhat.com/"
REDHAT_BUGZILLA_PRODUCT="Fedora"
REDHAT_BUGZILLA_PRODUCT_VERSION=42
REDHAT_SUPPORT_PRODUCT="Fedora"
REDHAT_SUPPORT_PRODUCT_VERSION=42
SUPPORT_END=2026-05-13
`,
	"alpine-3.19": `NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.19.1
PRETTY_NAME="Alpine Linux v3.19"
HOME_URL="https://alpinelinux.org/"
BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
`,
	"arch": `NAME="Arch Linux"
PRETTY_NAME="Arch Linux"
ID=arch
BUILD_ID=rolling
ANSI_COLOR="38;2;23;147;209"
HOME_URL="https://archlinux.org/"
DOCUMENTATION_URL="https://wiki.archlinux.org/"
SUPPORT_URL="https://bbs.archlinux.org/"
BUG_REPORT_URL="https://gitlab.archlinux.org/groups/archlinux/-/issues"
PRIVACY_POLICY_URL="https://terms.archlinux.org/docs/privacy-policy/"
LOGO=archlinux-logo
`,
	"manjaro": `NAME="Manjaro Linux"
PRETTY_NAME="Manjaro Linux"
ID=manjaro
ID_LIKE=arch
BUILD_ID=rolling
ANSI_COLOR="32;1;24;144;200"
HOME_URL="https://manjaro.org/"
DOCUMENTATION_URL="https://wiki.manjaro.org/"
SUPPORT_URL="https://forum.manjaro.org/"
BUG_REPORT_URL="https://docs.manjaro.org/reporting-bugs/"
PRIVACY_POLICY_URL="https://manjaro.org/privacy-policy/"
LOGO=manjarolinux
`,
	"opensuse-leap-15.5": `NAME="openSUSE Leap"
VERSION="15.5"
ID="opensuse-leap"
ID_LIKE="suse opensuse"
VERSION_ID="15.5"
PRETTY_NAME="openSUSE Leap 15.5"
ANSI_COLOR="0;32"
CPE_NAME="cpe:/o:opensuse:leap:15.5"
BUG_REPORT_URL="https://bugs.opensuse.org"
HOME_URL="https://www.opensuse.org/"
DOCUMENTATION_URL="https://en.opensuse.org/Portal:Leap"
LOGO="distributor-logo-Leap"
`,
	"sles-15-sp5": `NAME="SLES"
VERSION="15-SP5"
VERSION_ID="15.5"
PRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"
ID="sles"
ID_LIKE="suse"
ANSI_COLOR="0;32"
CPE_NAME="cpe:/o:suse:sles:15:sp5"
DOCUMENTATION_URL="https://documentation.suse.com/"
`,
}

// osReleaseQuirks are files written as os-release(5) allows, in ways that are easy to read
// wrongly; sh must read each the same way the parser does.
var osReleaseQuirks = map[string]string{
	"comments_and_blank_lines":      "# a comment\n\n   \nID=debian\n  # an indented comment\n\tVERSION_ID=12\n",
	"single_quotes_keep_everything": `NAME='A "b" \n $c` + "`d`" + `'` + "\nID=x\n",
	"double_quote_escapes":          `NAME="a \"b\" \\ \$c \` + "`" + `d\` + "` \\n \\z\"\nID=x\n",
	"bare_escapes":                  `NAME=a\ b\"c\\d` + "\nID=x\n",
	"value_over_lines":              "NAME=\"first\nsecond\"\nDESCRIPTION='a\nb'\nID=x\n",
	"continued_lines":               "NAME=\"one \\\ntwo\"\nID=de\\\nbian\n",
	"joined_quotes":                 "NAME=\"a\"'b'c\nID=x\n",
	"empty_values":                  "NAME=\nVERSION_ID=\"\"\nID=''\n",
	"trailing_blanks":               "ID=debian   \nVERSION_ID=\"12\"\t \n",
	"last_assignment_wins":          "ID=first\nID=second\n",
	"no_newline_at_end":             "ID=debian\nVERSION_ID=12",
	"utf8":                          "NAME=\"Débian ☃\"\nID=x\n",
}

// TestOSReleaseParserReadsAsShDoes sources every modelled file, each quirk, and this machine's
// os-release in dash, bash and busybox sh, and compares every value with the parser's: os-release
// is, by os-release(5), a file sh may source.
func TestOSReleaseParserReadsAsShDoes(t *testing.T) {
	files := map[string]string{}
	for name, text := range osReleaseModels {
		files[name] = text
	}
	for name, text := range osReleaseQuirks {
		files[name] = text
	}
	host, _, _ := recorded(t, "os-release-etc")
	files["this-machine"] = host
	dir := t.TempDir()
	for _, sh := range testShells(t) {
		for name, text := range files {
			t.Run(filepath.Base(sh)+"/"+name, func(t *testing.T) {
				values, invalid := parseOSRelease([]byte(text))
				if len(invalid) > 0 {
					t.Fatalf("invalid: %v", invalid)
				}
				path := filepath.Join(dir, name)
				os.WriteFile(path, []byte(text), 0o644)
				keys := make([]string, 0, len(values))
				for k := range values {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				script := `. "$1" || exit 1; shift; for k in "$@"; do eval "printf '%s\0' \"\${$k}\""; done`
				out, err := exec.Command(sh, append([]string{"-c", script, "sh", path}, keys...)...).Output()
				if err != nil {
					t.Fatalf("%s cannot source it: %v", sh, err)
				}
				got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
				for i, k := range keys {
					if i >= len(got) || got[i] != values[k] {
						t.Errorf("%s: the parser reads %q, sh %q", k, values[k], got)
					}
				}
			})
		}
	}
}

// The parser follows systemd's reading of os-release, and refuses to guess where sh would read
// a value otherwise: such a value is invalid, with the reason, and only that value.
func TestOSReleaseParserRefusesWhatShReadsOtherwise(t *testing.T) {
	tests := []struct {
		name, text string
		want       map[string]string // the values
		invalid    map[string]string // the reasons
	}{
		{"crlf_line_ends_as_systemd", "ID=debian\r\nVERSION_ID=\"12\"\r\n", map[string]string{"ID": "debian", "VERSION_ID": "12"}, nil},
		{"semicolon_comment_as_systemd", "; a comment\nID=debian\n", map[string]string{"ID": "debian"}, nil},
		{"line_without_equals_is_skipped", "debian\nID=debian\n", map[string]string{"ID": "debian"}, nil},
		{"blank_in_a_bare_value", "ID_LIKE=rhel fedora\nID=rocky\n", map[string]string{"ID": "rocky"},
			map[string]string{"ID_LIKE": "a blank in a value that is not quoted (quote the value)"}},
		{"comment_after_a_value", "ID=debian # the id\n", map[string]string{}, map[string]string{"ID": "a blank in a value that is not quoted (quote the value)"}},
		{"blank_after_equals", "ID= debian\n", map[string]string{}, map[string]string{"ID": "a blank after the ="}},
		{"blank_before_equals", "ID =debian\n", map[string]string{}, map[string]string{"ID": "a blank before the ="}},
		{"text_after_a_closing_quote", `ID="debian" x` + "\n", map[string]string{}, map[string]string{"ID": "more after the closing quote (sh would run it as a command)"}},
		{"second_quoted_string", `NAME="a" 'b'` + "\n", map[string]string{}, map[string]string{"NAME": "more after the closing quote (sh would run it as a command)"}},
		{"unclosed_double_quote", "VERSION_ID=\"12\nID=debian\n", map[string]string{}, map[string]string{"VERSION_ID": "a double quote that is never closed"}},
		{"unclosed_single_quote", "ID=debian\nVERSION_ID='12\n", map[string]string{"ID": "debian"}, map[string]string{"VERSION_ID": "a single quote that is never closed"}},
		{"bare_dollar", "ID=$X\n", map[string]string{}, map[string]string{"ID": "a $ that is not quoted"}},
		{"bare_semicolon", "ID=debian;reboot\n", map[string]string{}, map[string]string{"ID": "a ; that is not quoted"}},
		{"command_substitution", "ID=`id`\n", map[string]string{}, map[string]string{"ID": "a ` that is not quoted"}},
		{"dollar_in_double_quotes", `ID="$(id)"` + "\n", map[string]string{}, map[string]string{"ID": "a $ that is not escaped in double quotes (write \\$)"}},
		{"not_utf8", "NAME=\"\xff\"\nID=x\n", map[string]string{"ID": "x"}, map[string]string{"NAME": "bytes that are not UTF-8"}},
		{"valid_after_invalid_wins", "ID=$X\nID=debian\n", map[string]string{"ID": "debian"}, nil},
		{"invalid_after_valid_wins", "ID=debian\nID=$X\n", map[string]string{}, map[string]string{"ID": "a $ that is not quoted"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values, invalid := parseOSRelease([]byte(tt.text))
			if !sameMap(values, tt.want) || !sameMap(invalid, tt.invalid) {
				t.Errorf("got  %q %q\nwant %q %q", values, invalid, tt.want, tt.invalid)
			}
		})
	}
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// hostOSID is what sh says the ID of this machine's os-release is.
func hostOSID(t *testing.T) string {
	out, err := exec.Command("sh", "-c", `. /etc/os-release && printf %s "$ID"`).Output()
	if err != nil || len(out) == 0 {
		t.Skip("this machine has no /etc/os-release that sh can source")
	}
	return string(out)
}

func TestProbeOSReleaseLocally(t *testing.T) {
	id := hostOSID(t)
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p := NewPlan()
			h := p.OS()
			f, _ := runLocal(t, sh, p)
			if o := get(t, f, h); o.Err != "" || o.Path != "/etc/os-release" || o.Values["ID"] != id || len(o.Invalid) > 0 {
				t.Errorf("%+v, want ID %s", o, id)
			}
		})
	}
}

func TestProbeOSReleaseWithBusyboxOnly(t *testing.T) {
	id := hostOSID(t)
	p := NewPlan()
	h := p.OS()
	f := runBusyboxOnly(t, p)
	if o := get(t, f, h); o.Err != "" || o.Path != "/etc/os-release" || o.Values["ID"] != id {
		t.Errorf("%+v, want ID %s", o, id)
	}
}

// TestProbeOSReleaseFallsBack runs the probe where /etc/os-release is missing, a dangling
// symlink, or a folder, by an empty tmpfs over /etc in a mount namespace of the test's own; and
// where /usr/lib/os-release is missing too, by a tmpfs over /usr/lib, under busybox's static sh
// and applets. It needs root and unshare(1).
func TestProbeOSReleaseFallsBack(t *testing.T) {
	if _, err := exec.LookPath("unshare"); err != nil || os.Geteuid() != 0 {
		t.Skip("needs root and unshare(1)")
	}
	id := hostOSID(t)
	tests := []struct {
		name, setup string
		busybox     bool
		want        string
	}{
		{"missing", "true", false, "/usr/lib/os-release " + id},
		{"dangling_symlink", "ln -s nowhere /etc/os-release", false, "/usr/lib/os-release " + id},
		{"folder", "mkdir /etc/os-release", false, "error: /etc/os-release is not a regular file, so it was not read"},
		{"neither", "mount -t tmpfs none /usr/lib", true,
			"error: the image has neither /etc/os-release nor /usr/lib/os-release (os-release(5)), so which system it is cannot be told"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPlan()
			h := p.OS()
			script, err := Render(p)
			if err != nil {
				t.Fatal(err)
			}
			shell, env := "sh", os.Environ()
			if tt.busybox {
				bin := busyboxOnly(t)
				shell, env = filepath.Join(bin, "busybox")+" sh", []string{"PATH=" + bin + ":/usr/bin", "TMPDIR=" + t.TempDir()}
			}
			hide := "mount -t tmpfs none /etc || exit 1\n" + tt.setup + " || exit 1\nexec " + shell + ` -c "$0"`
			cmd := exec.Command("unshare", "--mount", "--fork", "--propagation", "private", "sh", "-c", hide, RemoteCommand(script, false))
			cmd.Env = env
			f, _ := runProbe(t, cmd, p, script)
			o := get(t, f, h)
			got := o.Path + " " + o.Values["ID"]
			if o.Err != "" {
				got = "error: " + o.Err
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// The fake output is what a healthy Debian image says, and parses as such.
func TestOSReleaseFake(t *testing.T) {
	p := NewPlan()
	h := p.OS()
	f, err := Parse(p, FakeOutput(p))
	if err != nil {
		t.Fatal(err)
	}
	if o := get(t, f, h); o.Err != "" || o.Values["ID"] != "debian" || o.Values["VERSION_ID"] != "12" {
		t.Errorf("%+v", o)
	}
	if !bytes.Contains(FakeOutput(p), []byte("osrelease.file etc")) {
		t.Error("the fake output has no os-release file")
	}
}
