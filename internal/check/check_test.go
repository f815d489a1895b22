package check

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

var (
	yes = config.TriTrue
	no  = config.TriFalse
)

func intp(n int) *int { return &n }

// verdict summarises an outcome for comparison: "pass", "error: …" or the problems joined.
func verdict(o Outcome) string {
	switch {
	case o.Err != nil:
		return "error: " + o.Err.Error()
	case len(o.Problems) == 0:
		return "pass"
	}
	return strings.Join(o.Problems, "; ")
}

func TestFileJudge(t *testing.T) {
	conf := probe.FileFacts{Exists: true, Type: "file", Resolved: "file", ContentRead: true, Mode: 0o644, UID: 0, GID: 0, Owner: "root", Group: "root",
		Size: 40, Content: []byte("user www-data;\nworker_processes auto;\n")}
	tests := []struct {
		name  string
		check File
		facts probe.FileFacts
		want  string
	}{
		{"exists_by_default", File{Path: "/x"}, conf, "pass"},
		{"missing", File{Path: "/x"}, probe.FileFacts{}, "does not exist"},
		{"absent_wanted", File{Path: "/x", Exists: no}, probe.FileFacts{}, "pass"},
		{"present_but_absent_wanted", File{Path: "/x", Exists: no}, conf, "exists (a file), want no such path"},
		{"permission_denied_is_an_error_not_missing", File{Path: "/x", Exists: no}, probe.FileFacts{Err: "permission denied"}, "error: permission denied"},
		{"mode", File{Path: "/x", Mode: "0600"}, conf, "mode is 0644, want 0600"},
		{"mode_without_leading_zero", File{Path: "/x", Mode: "644"}, conf, "pass"},
		{"setuid_mode", File{Path: "/x", Mode: "4755"}, probe.FileFacts{Exists: true, Type: "file", Mode: 0o755}, "mode is 0755, want 4755"},
		{"owner_by_name", File{Path: "/x", Owner: "www-data"}, conf, "owner is root (0), want www-data"},
		{"owner_by_uid", File{Path: "/x", Owner: "0", Group: "0"}, conf, "pass"},
		{"type", File{Path: "/x", Type: "directory"}, conf, "type is file, want directory"},
		{"symlink", File{Path: "/x", Type: "symlink"}, probe.FileFacts{Exists: true, Type: "symlink", LinkTarget: "y"}, "pass"},
		{"dangling_symlink_has_no_mode", File{Path: "/x", Mode: "0644"}, probe.FileFacts{Exists: true, Type: "symlink", LinkTarget: "y", Dangling: true}, `is a symlink to "y", which does not exist`},
		{"content_contains", File{Path: "/x", Content: Matchers{Contains: []string{"worker_processes auto;"}}}, conf, "pass"},
		{"content_lacks", File{Path: "/x", Content: Matchers{Contains: []string{"gzip on;"}}}, conf, `content does not contain "gzip on;"`},
		{"content_forbidden_reports_line_not_text", File{Path: "/x", Content: Matchers{NotContains: []string{"worker"}}}, conf, `content contains "worker" on line 2`},
		{"content_matches_per_line", File{Path: "/x", Content: Matchers{Matches: []string{`^worker_processes \w+;$`}}}, conf, "pass"},
		{"content_not_matches", File{Path: "/x", Content: Matchers{NotMatches: []string{`^user`}}}, conf, "content matches /^user/ on line 1"},
		{"content_unreadable", File{Path: "/x", Content: Matchers{Contains: []string{"a"}}}, probe.FileFacts{Exists: true, Type: "file", Resolved: "file", ContentErr: "permission denied"}, "error: content: permission denied"},
		{"content_too_big_is_an_error", File{Path: "/x", Content: Matchers{NotContains: []string{"a"}}}, probe.FileFacts{Exists: true, Type: "file", Resolved: "file", ContentRead: true, Size: 5 << 20, ContentTruncated: true}, "error: content: the file is 5242880 bytes, more than the 1048576 bytes read for matching"},
		{"several_problems", File{Path: "/x", Mode: "0600", Owner: "nobody"}, conf, "mode is 0644, want 0600; owner is root (0), want nobody"},
		{"content_of_a_directory_is_an_error", File{Path: "/etc/ssh/sshd_config.d", Content: Matchers{NotMatches: []string{"PasswordAuthentication yes"}}},
			probe.FileFacts{Exists: true, Type: "directory", Resolved: "directory"},
			"error: content: the path is not a regular file but a directory, whose content cannot be checked (content matchers need a regular file)"},
		{"content_of_a_symlink_to_a_device_is_an_error", File{Path: "/dev/stdin", Content: Matchers{NotContains: []string{"x"}}},
			probe.FileFacts{Exists: true, Type: "symlink", Resolved: "character_device"},
			"error: content: the path is not a regular file but a character device, whose content cannot be checked (content matchers need a regular file)"},
		{"content_of_a_symlink_to_a_file", File{Path: "/x", Content: Matchers{Contains: []string{"worker"}}},
			probe.FileFacts{Exists: true, Type: "symlink", Resolved: "file", ContentRead: true, Content: []byte("worker")}, "pass"},
		{"proc_file_over_the_limit_says_its_size_is_made_up", File{Path: "/proc/x", Content: Matchers{Contains: []string{"a"}}},
			probe.FileFacts{Exists: true, Type: "file", Resolved: "file", ContentRead: true, Size: 0, ContentTruncated: true},
			"error: content: the file holds more than the 1048576 bytes read for matching (stat said 0 bytes: it grew while it was read, or it is a file whose size the kernel does not tell, as in /proc and /sys)"},
		{"content_not_read_is_an_error", File{Path: "/x", Content: Matchers{NotContains: []string{"x"}}},
			probe.FileFacts{Exists: true, Type: "file", Resolved: "file"}, "error: content: the probe did not read the content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestPackageJudge(t *testing.T) {
	nginx := probe.PackageFacts{Manager: "dpkg", Installed: true, Versions: []string{"1.22.1-9+deb12u11"}}
	tests := []struct {
		name  string
		check Package
		facts probe.PackageFacts
		want  string
	}{
		{"installed", Package{Name: "nginx"}, nginx, "pass"},
		{"missing", Package{Name: "nginx"}, probe.PackageFacts{Manager: "dpkg"}, "is not installed"},
		{"absent_wanted", Package{Name: "telnetd", Installed: no}, probe.PackageFacts{Manager: "dpkg"}, "pass"},
		{"present_but_absent_wanted", Package{Name: "nginx", Installed: no}, nginx, "is installed (version 1.22.1-9+deb12u11), want not installed"},
		{"range", Package{Name: "nginx", Version: ">= 1.22, < 2"}, nginx, "pass"},
		{"too_old", Package{Name: "nginx", Version: ">= 1.24"}, nginx, "version is 1.22.1-9+deb12u11, want >= 1.24 (compared as dpkg compares versions)"},
		{"epoch", Package{Name: "ssh", Version: ">= 10"}, probe.PackageFacts{Manager: "dpkg", Installed: true, Versions: []string{"1:9.2p1-2"}}, "pass"},
		{"rpm_rules", Package{Name: "httpd", Version: "= 2.4.57"}, probe.PackageFacts{Manager: "rpm", Installed: true, Versions: []string{"2.4.57-5.el9"}}, "pass"},
		{"every_version_must_fit", Package{Name: "kernel", Version: ">= 5.14.0-300"}, probe.PackageFacts{Manager: "rpm", Installed: true, Versions: []string{"5.14.0-362.el9", "5.14.0-70.el9"}}, "version is 5.14.0-70.el9, want >= 5.14.0-300 (compared as rpm compares versions)"},
		{"no_package_manager", Package{Name: "nginx"}, probe.PackageFacts{Err: "no package manager found"}, "error: no package manager found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestServiceJudge(t *testing.T) {
	running := probe.ServiceFacts{Init: "systemd", Exists: true, Enabled: true, Running: true, State: "active (running), enabled"}
	stopped := probe.ServiceFacts{Init: "systemd", Exists: true, Stopped: true, State: "inactive (dead), disabled"}
	starting := probe.ServiceFacts{Init: "systemd", Exists: true, Enabled: true, State: "activating (start), enabled"}
	missing := probe.ServiceFacts{Init: "systemd", State: "no such unit"}
	tests := []struct {
		name  string
		check Service
		facts probe.ServiceFacts
		want  string
	}{
		{"enabled_running", Service{Name: "nginx", Enabled: yes, Running: yes}, running, "pass"},
		{"not_running", Service{Name: "nginx", Running: yes}, stopped, "is not running, want running (inactive (dead), disabled)"},
		{"not_enabled", Service{Name: "nginx", Enabled: yes}, stopped, "is not enabled, want enabled (inactive (dead), disabled)"},
		{"running_but_unwanted", Service{Name: "nginx", Running: no}, running, "is running, want not running (active (running), enabled)"},
		{"bare_means_exists", Service{Name: "nginx"}, missing, "does not exist (systemd: no such unit)"},
		{"bare_exists", Service{Name: "nginx"}, stopped, "pass"},
		{"missing_is_not_running", Service{Name: "telnet", Running: no, Enabled: no}, missing, "pass"},
		{"missing_but_wanted", Service{Name: "nginx", Running: yes}, missing, "does not exist (systemd: no such unit)"},
		{"no_init", Service{Name: "nginx", Running: yes}, probe.ServiceFacts{Err: "no init system found"}, "error: no init system found"},
		{"offline_systemd_running_is_an_error", Service{Name: "nginx", Running: no}, probe.ServiceFacts{Init: "systemd-offline", Exists: true, Enabled: true, RunningErr: "systemd is not running in the image"}, "error: running: systemd is not running in the image"},
		{"offline_systemd_enabled_is_known", Service{Name: "nginx", Enabled: yes}, probe.ServiceFacts{Init: "systemd-offline", Exists: true, Enabled: true, RunningErr: "systemd is not running in the image"}, "pass"},
		{"starting_is_not_running", Service{Name: "nginx", Running: yes}, starting, "is neither running nor stopped, want running (activating (start), enabled)"},
		{"starting_is_not_stopped", Service{Name: "nginx", Running: no}, starting, "is neither running nor stopped, want not running (activating (start), enabled)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestPortJudge(t *testing.T) {
	sock := func(proto, addr string, port int) probe.Socket {
		return probe.Socket{Protocol: proto, Addr: netip.MustParseAddr(addr), Port: port}
	}
	dual, v6only := sock("tcp", "::", 80), sock("tcp", "::", 8083)
	dual.V6OnlyKnown = true
	v6only.V6Only, v6only.V6OnlyKnown = true, true
	facts := probe.PortFacts{Sockets: []probe.Socket{
		sock("tcp", "0.0.0.0", 22), dual, sock("tcp", "127.0.0.1", 5432),
		sock("udp", "0.0.0.0", 68), sock("tcp", "::1", 6379), v6only, sock("tcp", "::", 9000),
		sock("tcp", "::ffff:127.0.0.1", 9100),
	}}
	tests := []struct {
		name  string
		check Port
		want  string
	}{
		{"ipv4_wildcard", Port{Port: 22}, "pass"},
		{"ipv6_only_counts_without_address", Port{Port: 80}, "pass"},
		{"ipv6_wildcard_covers_ipv4_address", Port{Port: 80, Address: "10.0.0.5"}, "pass"},
		{"ipv4_wildcard_covers_ipv4_address", Port{Port: 22, Address: "10.0.0.5"}, "pass"},
		{"ipv4_wildcard_does_not_cover_ipv6", Port{Port: 22, Address: "::1"}, "is not listening on ::1; it listens on 0.0.0.0 only"},
		{"loopback_only", Port{Port: 5432, Address: "10.0.0.5"}, "is not listening on 10.0.0.5; it listens on 127.0.0.1 only"},
		{"exact_address", Port{Port: 6379, Address: "::1"}, "pass"},
		{"nothing", Port{Port: 8080}, "is not listening"},
		{"udp", Port{Port: 68, Protocol: "udp"}, "pass"},
		{"tcp_is_not_udp", Port{Port: 68}, "is not listening"},
		{"closed_wanted", Port{Port: 8080, Listening: no}, "pass"},
		{"open_but_closed_wanted", Port{Port: 22, Listening: no}, "is listening on 0.0.0.0, want not listening"},
		{"ipv6_only_does_not_cover_ipv4", Port{Port: 8083, Address: "127.0.0.1"}, "is not listening on 127.0.0.1; it listens on :: (IPv6 only) only"},
		{"ipv6_only_does_not_cover_ipv4_wildcard", Port{Port: 8083, Address: "0.0.0.0", Listening: no}, "pass"},
		{"ipv6_only_covers_ipv6", Port{Port: 8083, Address: "::"}, "pass"},
		{"ipv6_only_counts_without_address", Port{Port: 8083}, "pass"},
		{"unknown_v6only_is_an_error_for_ipv4", Port{Port: 9000, Address: "127.0.0.1"}, "error: a socket listens on ::, and whether it also accepts IPv4 connections (IPV6_V6ONLY) cannot be told: the kernel's tables do not say, and the image has no ss(8) that would"},
		{"unknown_v6only_is_an_error_for_ipv4_absence", Port{Port: 9000, Address: "0.0.0.0", Listening: no}, "error: a socket listens on ::, and whether it also accepts IPv4 connections (IPV6_V6ONLY) cannot be told: the kernel's tables do not say, and the image has no ss(8) that would"},
		{"unknown_v6only_is_fine_for_ipv6", Port{Port: 9000, Address: "::1"}, "pass"},
		{"ipv4_mapped_socket_is_ipv4", Port{Port: 9100, Address: "127.0.0.1"}, "pass"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	if got := verdict((&Port{Port: 22}).judge(probe.PortFacts{Err: "cannot read"})); got != "error: cannot read" {
		t.Errorf("unreadable tables: %s", got)
	}
}

func TestUserAndGroupJudge(t *testing.T) {
	www := probe.UserFacts{Exists: true, UID: 33, GID: 33, Home: "/var/www", Shell: "/usr/sbin/nologin", Groups: []string{"www-data", "adm"}}
	tests := []struct {
		name  string
		check User
		facts probe.UserFacts
		want  string
	}{
		{"all", User{Name: "www-data", UID: intp(33), GID: intp(33), Home: "/var/www", Shell: "/usr/sbin/nologin", Groups: []string{"adm"}}, www, "pass"},
		{"uid", User{Name: "www-data", UID: intp(1000)}, www, "uid is 33, want 1000"},
		{"shell", User{Name: "www-data", Shell: "/bin/bash"}, www, `shell is "/usr/sbin/nologin", want "/bin/bash"`},
		{"groups", User{Name: "www-data", Groups: []string{"adm", "docker", "sudo"}}, www, "is not in group docker, sudo (it is in www-data, adm)"},
		{"missing", User{Name: "bob"}, probe.UserFacts{}, "does not exist"},
		{"absent_wanted", User{Name: "bob", Exists: no}, probe.UserFacts{}, "pass"},
		{"present_but_absent_wanted", User{Name: "www-data", Exists: no}, www, "exists (uid 33), want no such user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	adm := probe.GroupFacts{Exists: true, GID: 4}
	for _, tt := range []struct {
		name  string
		check Group
		facts probe.GroupFacts
		want  string
	}{
		{"gid", Group{Name: "adm", GID: intp(4)}, adm, "pass"},
		{"wrong_gid", Group{Name: "adm", GID: intp(5)}, adm, "gid is 4, want 5"},
		{"missing", Group{Name: "docker"}, probe.GroupFacts{}, "does not exist"},
		{"absent_wanted", Group{Name: "docker", Exists: no}, probe.GroupFacts{}, "pass"},
		{"present_but_absent_wanted", Group{Name: "adm", Exists: no}, adm, "exists (gid 4), want no such group"},
	} {
		t.Run("group/"+tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestCommandJudge(t *testing.T) {
	ok := probe.CommandResult{ExitStatus: 0, Stdout: []byte("ok\n"), Stderr: []byte("nginx: syntax is ok\n")}
	tests := []struct {
		name    string
		check   Command
		result  probe.CommandResult
		want    string
		details string
	}{
		{"exit_zero", Command{Run: "true"}, ok, "pass", ""},
		{"exit_status", Command{Run: "false"}, probe.CommandResult{ExitStatus: 1}, "exit status is 1, want 0", "stdout: (empty) | stderr: (empty)"},
		{"expected_nonzero", Command{Run: "x", ExitStatus: intp(3)}, probe.CommandResult{ExitStatus: 3}, "pass", ""},
		{"stderr_contains", Command{Run: "nginx -t", Stderr: Matchers{Contains: []string{"syntax is ok"}}}, ok, "pass", ""},
		{"stdout_lacks", Command{Run: "x", Stdout: Matchers{Contains: []string{"ready"}}}, ok, `stdout does not contain "ready"`, "stdout: |   ok | stderr: |   nginx: syntax is ok"},
		{"timed_out", Command{Run: "sleep 9"}, probe.CommandResult{ExitStatus: 143, TimedOut: true}, "timed out after 2s and was stopped", "stdout: (empty) | stderr: (empty)"},
		{"output_too_big_for_matching", Command{Run: "yes", Stdout: Matchers{NotContains: []string{"n"}}}, probe.CommandResult{ExitStatus: 0, Stdout: []byte("y\n"), StdoutTruncated: true}, "error: stdout: the command printed more than the 1048576 bytes kept for matching", ""},
		{"output_too_big_without_matchers_passes_on_its_exit_status", Command{Run: "cat big"}, probe.CommandResult{ExitStatus: 0, Stdout: []byte("y\n"), StdoutTruncated: true}, "pass", ""},
		{"over_the_write_limit", Command{Run: "yes"}, probe.CommandResult{ExitStatus: 153, OverLimit: true}, "error: the command wrote more than 16 MiB, to its output or to a file, and was stopped there (SIGXFSZ): the probe limits what a command may write, so that a runaway command cannot fill the image's disk", ""},
		{"forbidden_text_is_never_echoed", Command{Run: "cat app.env", Stdout: Matchers{NotContains: []string{"PASSWORD="}}},
			probe.CommandResult{Stdout: []byte("USER=app\nPASSWORD=hunter2\n"), Stderr: []byte("warning\n")},
			`stdout contains "PASSWORD=" on line 2`,
			"stdout: not shown, since it holds text that not_contains or not_matches forbids (line 2) | stdout and stderr are not shown: one of them holds forbidden text"},
		{"forbidden_text_on_stdout_hides_stderr_too", Command{Run: "app --debug", Stdout: Matchers{NotContains: []string{"PASSWORD="}}},
			probe.CommandResult{Stdout: []byte("PASSWORD=hunter2\n"), Stderr: []byte("debug: PASSWORD=hunter2\n")},
			`stdout contains "PASSWORD=" on line 1`,
			"stdout: not shown, since it holds text that not_contains or not_matches forbids (line 1) | stdout and stderr are not shown: one of them holds forbidden text"},
		{"forbidden_pattern_is_never_echoed", Command{Run: "cat app.env", Stderr: Matchers{NotMatches: []string{"PASS.*="}}},
			probe.CommandResult{Stderr: []byte("PASSWORD=hunter2\n")},
			`stderr matches /PASS.*=/ on line 1`,
			"stderr: not shown, since it holds text that not_contains or not_matches forbids (line 1) | stdout and stderr are not shown: one of them holds forbidden text"},
		{"could_not_run", Command{Run: "x"}, probe.CommandResult{Err: "cannot create a pipe"}, "error: cannot create a pipe", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.check.judge(tt.result, 2*time.Second)
			if got := verdict(o); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if got := strings.Join(o.Details, " | "); got != tt.details {
				t.Errorf("details:\ngot  %s\nwant %s", got, tt.details)
			}
		})
	}
}

func TestCommandSubject(t *testing.T) {
	for run, want := range map[string]string{
		"nginx -t":                 `"nginx -t"`,
		"grep -E '^\\s*x'\n  file": `"grep -E '^\s*x' file"`,
		"printf '\x1b[2J'":         `"printf '\x1b[2J'"`,
		"echo \x1b[2J":             `"echo \x1b[2J"`,
		strings.Repeat("é", 70):    `"` + strings.Repeat("é", 57) + `..."`,
	} {
		if got := (&Command{Run: run}).Subject(); got != want {
			t.Errorf("Subject(%q) = %s, want %s", run, got, want)
		}
	}
}

func TestCommandTailKeepsLastLines(t *testing.T) {
	var out strings.Builder
	for i := 1; i <= 25; i++ {
		out.WriteString("line " + string(rune('a'+i-1)) + "\n")
	}
	got := tail("stdout", []byte(out.String()), false)
	if len(got) != 11 || got[0] != "stdout (last 10 of 25 lines):" || got[1] != "  line p" || got[10] != "  line y" {
		t.Errorf("tail: %q", got)
	}
	// a \r that would make `^bad$` fail must show, and so must a byte that is not UTF-8
	if got := tail("stderr", []byte("bad \xff byte\r\n\x1b[31mred\ttab\u202e\n"), false); got[1] != `  bad \xff byte\r` || got[2] != `  \x1b[31mred\ttab\u202e` {
		t.Errorf("control characters and invalid UTF-8: %q", got)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		check Check
		want  []string
	}{
		{"file_ok", &File{Path: "/etc/x", Mode: "0644", Type: "file"}, nil},
		{"file_no_path", &File{}, []string{"path: is required"}},
		{"file_relative", &File{Path: "etc/x"}, []string{`path: "etc/x" is not absolute (start it with /)`}},
		{"file_newline", &File{Path: "/a\nb"}, []string{`path: "/a\nb" contains a NUL byte or a newline`}},
		{"file_bad_mode", &File{Path: "/x", Mode: "999"}, []string{`mode: "999" is not an octal file mode (like "0644")`}},
		{"file_mode_too_big", &File{Path: "/x", Mode: "17777"}, []string{`mode: "17777" is not an octal file mode (like "0644")`}},
		{"file_bad_type", &File{Path: "/x", Type: "folder"}, []string{`type: "folder" is not a file type (use one of file, directory, symlink, socket, fifo, block_device, character_device)`}},
		{"file_absent_with_mode", &File{Path: "/x", Exists: no, Mode: "0644"}, []string{"exists: is false, so type, mode, owner, group and content cannot be checked"}},
		{"file_bad_regexp", &File{Path: "/x", Content: Matchers{NotMatches: []string{"a", "(b"}}}, []string{`content.not_matches[1]: "(b" is not a valid regular expression: missing closing ) in "(b"`}},
		{"package_bad_version", &Package{Name: "nginx", Version: ">= 1.2 < 2"}, []string{`version: ">= 1.2 < 2" has no comma between ">= 1.2" and "< 2": write ">= 1.2, < 2"`}},
		{"package_wildcard", &Package{Name: "nginx*"}, []string{`name: "nginx*" is not a package name (no spaces, slashes or wildcards)`}},
		{"package_version_when_absent", &Package{Name: "nginx", Installed: no, Version: "1.0"}, []string{"version: cannot be checked when installed is false"}},
		{"service_injection", &Service{Name: "x$(reboot)"}, []string{`name: "x$(reboot)" is not a service name (letters, digits and :-_.@\ only)`}},
		{"service_template", &Service{Name: "getty@tty1.service"}, nil},
		{"port_missing", &Port{}, []string{"port: is required (a number from 1 to 65535)"}},
		{"port_out_of_range", &Port{Port: 99999}, []string{"port: 99999 is not a port number (1 to 65535)"}},
		{"port_ok", &Port{Port: 443, Protocol: "udp", Address: "::1"}, nil},
		{"user_colon", &User{Name: "a:b"}, []string{`name: "a:b" is not a user name`}},
		{"group_absent_gid", &Group{Name: "g", Exists: no, GID: intp(3)}, []string{"exists: is false, so gid cannot be checked"}},
		{"command_empty", &Command{Run: "  "}, []string{"run: is required"}},
		{"command_exit_status", &Command{Run: "x", ExitStatus: intp(-1)}, []string{"exit_status: -1 is not an exit status (0 to 255)"}},
		{"command_stderr_regexp", &Command{Run: "x", Stderr: Matchers{Matches: []string{"*"}}}, []string{`stderr.matches[0]: "*" is not a valid regular expression: missing argument to repetition operator in "*"`}},
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

func TestSuiteJudgesInOrderAndSharesFacts(t *testing.T) {
	checks := []Check{
		&File{Path: "/etc/hostname"},
		&File{Path: "/etc/hostname", Content: Matchers{Contains: []string{"web"}}},
		&Command{Run: "true"},
		&Command{Run: "true", Timeout: 5 * time.Second},
	}
	s := NewSuite(Declare(checks), Options{CheckTimeout: 30 * time.Second})
	if s.Len() != 4 {
		t.Fatalf("Len = %d", s.Len())
	}
	// the same path is stat'ed once, with content, and each command runs on its own, both at once
	if got := s.Plan().Limit(); got != probe.GatherLimit+33*time.Second {
		t.Errorf("Limit = %v, want the gather limit plus the longer command limit, 30s, 1s for the watchdog to see it, and 2s to kill", got)
	}
	script, err := probe.Render(s.Plan())
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(script), "fe 0 '/etc/hostname'"); n != 1 {
		t.Errorf("the shared path is examined %d times", n)
	}
	if !strings.Contains(string(script), "fc 0 '/etc/hostname'") {
		t.Error("content is not read")
	}
	if !strings.Contains(string(script), "cr '0' '0' '30' '0' 'true'") || !strings.Contains(string(script), "cr '1' '1' '5' '0' 'true'") {
		t.Error("command time limits are not check_timeout and the command's own, each command in a lane of its own")
	}
	facts, err := probe.Parse(s.Plan(), probe.FakeOutput(s.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.Judge(facts) {
		got = append(got, r.Status.String()+" "+r.Name()+" "+strings.Join(r.Problems, "; "))
	}
	want := []string{
		"passed file[0] /etc/hostname ",
		`failed file[1] /etc/hostname content does not contain "web"`, // the fake file holds "x = 1"
		`passed command[0] "true" `,
		`passed command[1] "true" `,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Judge:\ngot  %q\nwant %q", got, want)
	}
}

func TestExpectationSaysWhatAPassVerified(t *testing.T) {
	for _, tt := range []struct {
		check Check
		want  string
	}{
		{&File{Path: "/x"}, "exists"},
		{&File{Path: "/x", Exists: no}, "does not exist"},
		{&File{Path: "/x", Type: "block_device", Mode: "644", Owner: "root", Group: "disk"}, "is a block device, mode 0644, owner root, group disk"},
		{&File{Path: "/x", Content: Matchers{Contains: []string{"a"}, NotMatches: []string{"^b$"}}}, `content contains "a" and does not match /^b$/`},
		{&File{Path: "/x", Content: Matchers{Contains: []string{"a", "b", "c"}}}, "content meets all 3 matchers"},
		{&Package{Name: "telnetd", Installed: no}, "not installed"},
		{&Package{Name: "nginx"}, "installed"},
		{&Package{Name: "nginx", Version: ">= 1.22"}, "installed, version >= 1.22"},
		{&Service{Name: "nginx"}, "exists"},
		{&Service{Name: "telnet", Enabled: no, Running: no}, "not enabled, not running"},
		{&Service{Name: "nginx", Running: yes}, "running"},
		{&Port{Port: 23, Listening: no}, "not listening"},
		{&Port{Port: 80}, "listening"},
		{&User{Name: "games", Exists: no}, "does not exist"},
		{&User{Name: "www", UID: intp(33), Home: "/var/www", Groups: []string{"www-data", "adm"}}, `uid 33, home "/var/www", in group www-data, adm`},
		{&Group{Name: "g", Exists: no}, "does not exist"},
		{&Group{Name: "g", GID: intp(4)}, "gid 4"},
		{&Command{Run: "true"}, "exit status 0"},
		{&Command{Run: "nginx -t", ExitStatus: intp(1), Stderr: Matchers{Contains: []string{"syntax is ok"}}}, `exit status 1, stderr contains "syntax is ok"`},
	} {
		if got := tt.check.Expectation(); got != tt.want {
			t.Errorf("%s %s: Expectation() = %s, want %s", tt.check.Kind(), tt.check.Subject(), got, tt.want)
		}
	}
}

// TestNearestLinesShowWhyAMatcherFailed: a failed contains or matches shows the lines that come
// nearest, with their numbers and control characters made visible; nothing when no line comes
// near, and nothing of a text in which something forbidden was found.
func TestNearestLinesShowWhyAMatcherFailed(t *testing.T) {
	headers := []byte("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\n")
	long := []byte(strings.Repeat("filler line\n", 200) + "PermitRootLogin  No\n" + strings.Repeat("filler line\n", 200))
	for _, tt := range []struct {
		name string
		m    Matchers
		text []byte
		want string
	}{
		{"carriage_return_at_line_end", Matchers{Matches: []string{"^Server: nginx$"}}, headers,
			`stdout, the lines nearest to /^Server: nginx$/: | 2: Server: nginx\r`},
		{"letter_case_and_spacing", Matchers{Contains: []string{"PermitRootLogin no"}}, long,
			`stdout, the lines nearest to "PermitRootLogin no": | 201: PermitRootLogin  No`},
		{"longest_start_of_the_string", Matchers{Contains: []string{"Content-Type: application/json"}}, headers,
			`stdout, the lines nearest to "Content-Type: application/json": | 3: Content-Type: text/html\r`},
		{"longest_literal_of_the_pattern", Matchers{Matches: []string{`^Server: apache/\d+`}}, headers,
			`stdout, the lines nearest to /^Server: apache/\d+/: | 2: Server: nginx\r`},
		{"nothing_near", Matchers{Contains: []string{"zzzz"}}, headers, ""},
		{"an_empty_output_wanted_has_no_near_line", Matchers{Matches: []string{`\A\z`}}, []byte("ssh_host_rsa_key\n"), ""},
		{"no_line_after_the_last_newline", Matchers{Matches: []string{`^$`}}, []byte("a\nb\n"), ""},
		{"a_backslash_is_told_from_a_control_character", Matchers{Contains: []string{`C:\temp\x`}}, []byte("C:\\temp\\y\r\n"),
			`stdout, the lines nearest to "C:\\temp\\x": | 1: C:\\temp\\y\r`},
		{"at_most_three_lines", Matchers{Contains: []string{"filler lines"}}, long,
			"stdout, the lines nearest to \"filler lines\": | 1: filler line | 2: filler line | 3: filler line | (and 397 more)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var p problems
			_, near := tt.m.check("stdout", tt.text, &p)
			if len(p) != 1 && tt.name != "no_line_after_the_last_newline" {
				t.Fatalf("problems %q, want one", p)
			}
			got := strings.Join(near, " | ")
			got = strings.ReplaceAll(got, "|   ", "| ")
			if got != tt.want {
				t.Errorf("near lines:\ngot  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestFileShowsNearestLinesOnlyWhenEveryoneMayReadIt: a file only some may read may hold
// secrets; its lines never reach the build log.
func TestFileShowsNearestLinesOnlyWhenEveryoneMayReadIt(t *testing.T) {
	c := File{Path: "/etc/x", Content: Matchers{Contains: []string{"token = abc"}}}
	f := probe.FileFacts{Exists: true, Type: "file", Resolved: "file", ContentRead: true, Mode: 0o644, Size: 20, Content: []byte("token = abd\n")}
	if got := strings.Join(c.judge(f).Details, " | "); got != `content, the lines nearest to "token = abc": |   1: token = abd` {
		t.Errorf("mode 0644: details %q", got)
	}
	f.Mode = 0o640
	if got := strings.Join(c.judge(f).Details, " | "); got != "content: the nearest lines are not shown, since not everyone may read the file (mode 0640) and it may hold secrets" {
		t.Errorf("mode 0640: details %q", got)
	}
	c.Content.NotContains = []string{"token"}
	f.Mode = 0o644
	if got := c.judge(f).Details; len(got) != 0 {
		t.Errorf("forbidden text found, yet details %q", got)
	}
}

// TestSkippedChecksAskNothing: a skipped check adds nothing to the probe and is reported as
// skipped; a warning keeps its verdict and says it is a warning.
func TestSkippedChecksAskNothing(t *testing.T) {
	checks := []Check{
		&File{Path: "/etc/skipped-path", Common: Common{Skip: true}},
		&File{Path: "/etc/hostname", Content: Matchers{Contains: []string{"web"}}, Common: Common{Severity: SeverityWarning}},
	}
	s := NewSuite(Declare(checks), Options{CheckTimeout: 30 * time.Second})
	script, err := probe.Render(s.Plan())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(script), "/etc/skipped-path") {
		t.Error("the probe asks about the path of a skipped check")
	}
	facts, err := probe.Parse(s.Plan(), probe.FakeOutput(s.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	r := s.Judge(facts)
	if r[0].Status != Skipped || r[0].Failing() || r[0].Warned() {
		t.Errorf("skipped check: %+v", r[0])
	}
	if r[1].Status != Fail || !r[1].Warned() || r[1].Failing() {
		t.Errorf("failing warning: %+v", r[1])
	}
}

func TestValidateSeverity(t *testing.T) {
	for severity, want := range map[string]string{
		"":        "",
		"error":   "",
		"warning": "",
		"warn":    `severity: "warn" is not a severity (use "error" or "warning")`,
	} {
		var got []string
		for _, err := range Validate(&Port{Port: 80, Common: Common{Severity: severity}}) {
			got = append(got, err.Error())
		}
		if strings.Join(got, "; ") != want {
			t.Errorf("severity %q: %q, want %q", severity, got, want)
		}
	}
}

// TestNearLinesForAFewMatchersOnly: a text missing many strings shows the near lines of the
// first three only, and quickly.
func TestNearLinesForAFewMatchersOnly(t *testing.T) {
	var m Matchers
	for i := 0; i < 10; i++ {
		m.Contains = append(m.Contains, fmt.Sprintf("filler line %d!", i))
		m.Matches = append(m.Matches, fmt.Sprintf("^filler line %d!$", i))
	}
	text := []byte(strings.Repeat("filler line\n", 80000)) // about 1 MiB
	var p problems
	_, near := m.check("content", text, &p)
	if len(p) != 20 {
		t.Fatalf("%d problems, want 20", len(p))
	}
	heads := 0
	for _, line := range near {
		if strings.HasPrefix(line, "content, the lines nearest to") {
			heads++
		}
	}
	if heads != 3 {
		t.Errorf("near lines of %d matchers, want 3", heads)
	}
}
