package check

import (
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// The facts of these tests are those of the kinds' judge tests (check_test.go and KIND_test.go),
// made in Go as the probe's parsers make them; the probe's own tests hold the recorded tool
// output they come from.

// sameFound compares what found said with the phrases wanted, in order.
func sameFound(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(got) != len(want) {
		t.Errorf("found\ngot  %q\nwant %q", got, want)
	}
}

// foundCase is one row of a kind's table: the check's Found, through its judge, whatever the
// verdict, which the row also states so that a row that errs or fails is seen to keep its facts.
type foundCase[T any] struct {
	name    string
	facts   T
	verdict string
	want    []string
}

// runFound checks a kind's table: the verdict of the judge, and what found says of the same
// facts (TestJudgeFound shows that judgeFound puts the one in the other's Outcome).
func runFound[T any](t *testing.T, judge func(T) Outcome, found func(T) []string, cases []foundCase[T]) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(judge(tt.facts)); !strings.HasPrefix(got, tt.verdict) {
				t.Errorf("verdict %q, want it to start with %q", got, tt.verdict)
			}
			sameFound(t, found(tt.facts), tt.want)
		})
	}
}

func TestFileFound(t *testing.T) {
	hosts := probe.FileFacts{Exists: true, Type: "file", Resolved: "file", Mode: 0o644, Owner: "root", Group: "root", Size: 1234}
	link := probe.FileFacts{Exists: true, Type: "symlink", Resolved: "file", LinkTarget: "../usr/lib/os-release", Mode: 0o644, Owner: "root", Group: "root", Size: 5}
	dangling := probe.FileFacts{Exists: true, Type: "symlink", LinkTarget: "/nowhere", Dangling: true}
	sudo := probe.FileFacts{Exists: true, Type: "file", Resolved: "file", Mode: 0o4755, UID: 0, GID: 0, Owner: "root", Group: "root", Size: 1}
	orphan := probe.FileFacts{Exists: true, Type: "directory", Resolved: "directory", Mode: 0o1777, UID: 1001, GID: 50, Group: "staff", Size: 4096}
	c := File{Path: "/etc/hosts", Mode: "0600"}
	runFound(t, c.judge, c.found, []foundCase[probe.FileFacts]{
		{"regular_file", hosts, "mode is 0644", []string{"regular file", "mode 0644", "owner root:root (0:0)", "1234 bytes"}},
		{"symlink_says_where_it_points_and_what_it_resolves_to", link, "mode is 0644",
			[]string{`symlink to "../usr/lib/os-release"`, "resolves to a regular file", "mode 0644", "owner root:root (0:0)", "5 bytes"}},
		{"dangling_symlink_has_no_mode", dangling, "is a symlink", []string{`symlink to "/nowhere"`, "which does not exist"}},
		{"unreadable_link", probe.FileFacts{Exists: true, Type: "symlink", Resolved: "directory", LinkErr: "readlink(1) cannot say", Mode: 0o755, Size: 6},
			"mode is 0755", []string{"symlink (where it points could not be read)", "resolves to a directory", "mode 0755", "owner 0:0 (0:0)", "6 bytes"}},
		{"setuid_mode_and_one_byte", sudo, "mode is 4755", []string{"regular file", "mode 4755", "owner root:root (0:0)", "1 byte"}},
		{"ids_without_names", orphan, "mode is 1777", []string{"directory", "mode 1777", "owner 1001:staff (1001:50)", "4096 bytes"}},
		{"device", probe.FileFacts{Exists: true, Type: "block_device", Resolved: "block_device", Mode: 0o660, Owner: "root", Group: "disk", GID: 6},
			"mode is 0660", []string{"block device", "mode 0660", "owner root:disk (0:6)", "0 bytes"}},
		{"missing", probe.FileFacts{}, "does not exist", []string{"does not exist"}},
		{"nothing_seen_of_an_error", probe.FileFacts{Err: "permission denied"}, "error: permission denied", nil},
	})
	// an error after the file was seen keeps what was seen
	content := File{Path: "/etc/hosts", Content: Matchers{Contains: []string{"localhost"}}}
	hosts.ContentErr = "Permission denied"
	runFound(t, content.judge, content.found, []foundCase[probe.FileFacts]{
		{"content_unreadable_keeps_the_rest", hosts, "error: content: Permission denied", []string{"regular file", "mode 0644", "owner root:root (0:0)", "1234 bytes"}},
	})
}

func TestFileFoundDigests(t *testing.T) {
	data := []byte("127.0.0.1 localhost\n")
	d256, d512 := fmt.Sprintf("%x", sha256.Sum256(data)), fmt.Sprintf("%x", sha512.Sum512(data))
	public := probe.FileFacts{Exists: true, Type: "file", Resolved: "file", Mode: 0o644, Owner: "root", Group: "root", Size: int64(len(data)),
		Digest: map[string]string{"sha256": d256, "sha512": d512}}
	both := File{Path: "/etc/hosts", SHA256: d256, SHA512: strings.Repeat("0", 128)}
	only256 := File{Path: "/etc/hosts", SHA256: d256}
	runFound(t, both.judge, both.found, []foundCase[probe.FileFacts]{
		{"every_digest_asked_for_in_full", public, "sha512 is", []string{"regular file", "mode 0644", "owner root:root (0:0)", "20 bytes", "sha256 " + d256, "sha512 " + d512}},
	})
	runFound(t, only256.judge, only256.found, []foundCase[probe.FileFacts]{
		// another check of the same path asked for sha512: this check's facts are its own
		{"only_the_digests_this_check_asked_for", public, "pass", []string{"regular file", "mode 0644", "owner root:root (0:0)", "20 bytes", "sha256 " + d256}},
		{"a_digest_that_could_not_be_computed_is_not_found", probe.FileFacts{Exists: true, Type: "file", Resolved: "file", Mode: 0o644, Size: 20,
			DigestErr: map[string]string{"sha256": "sha256sum: not found"}}, "error: sha256: sha256sum: not found", []string{"regular file", "mode 0644", "owner 0:0 (0:0)", "20 bytes"}},
	})
}

func TestPackageFound(t *testing.T) {
	c := Package{Name: "nginx", Version: ">= 1.24"}
	runFound(t, c.judge, c.found, []foundCase[probe.PackageFacts]{
		{"installed", probe.PackageFacts{Manager: "dpkg", Installed: true, Versions: []string{"1.22.1-9+deb12u11"}}, "version is",
			[]string{"installed", "version 1.22.1-9+deb12u11 (dpkg)"}},
		{"every_version", probe.PackageFacts{Manager: "rpm", Installed: true, Versions: []string{"5.14.0-362.el9", "5.14.0-70.el9"}}, "pass",
			[]string{"installed", "version 5.14.0-362.el9 (rpm)", "version 5.14.0-70.el9 (rpm)"}},
		{"not_installed", probe.PackageFacts{Manager: "dpkg"}, "is not installed", []string{"not installed (dpkg)"}},
		{"half_installed", probe.PackageFacts{Manager: "dpkg", State: "half-configured"}, "is half-configured",
			[]string{"half-configured: neither installed nor removed (dpkg)"}},
		{"no_package_manager", probe.PackageFacts{Err: "no package manager found"}, "error: no package manager found", nil},
	})
}

func TestServiceFound(t *testing.T) {
	c := Service{Name: "nginx", Enabled: yes, Running: yes}
	runFound(t, c.judge, c.found, []foundCase[probe.ServiceFacts]{
		{"running", probe.ServiceFacts{Init: "systemd", Exists: true, Enabled: true, Running: true, State: "active (running), enabled"}, "pass",
			[]string{"enabled", "running", "systemd: active (running), enabled"}},
		{"stopped", probe.ServiceFacts{Init: "systemd", Exists: true, Stopped: true, State: "inactive (dead), disabled"}, "is not enabled",
			[]string{"not enabled", "not running", "systemd: inactive (dead), disabled"}},
		{"starting", probe.ServiceFacts{Init: "systemd", Exists: true, Enabled: true, State: "activating (start), enabled"}, "is neither",
			[]string{"enabled", "neither running nor stopped", "systemd: activating (start), enabled"}},
		{"missing", probe.ServiceFacts{Init: "systemd", State: "no such unit"}, "does not exist", []string{"does not exist", "systemd: no such unit"}},
		{"openrc", probe.ServiceFacts{Init: "openrc", Exists: true, Enabled: true, Running: true, State: "started, enabled"}, "pass",
			[]string{"enabled", "running", "openrc: started, enabled"}},
		{"systemd_not_running_tells_only_enabled", probe.ServiceFacts{Init: "systemd-offline", Exists: true, Enabled: true,
			RunningErr: "systemd is not running in the image", State: "enabled, systemd not running in the image"}, "error: running:",
			[]string{"enabled", "whether it runs cannot be seen", "systemd: enabled, systemd not running in the image"}},
		{"no_init", probe.ServiceFacts{Err: "no init system found"}, "error: no init system found", nil},
	})
}

func TestPortFound(t *testing.T) {
	sock := func(proto, addr string, port int) probe.Socket {
		return probe.Socket{Protocol: proto, Addr: netip.MustParseAddr(addr), Port: port}
	}
	dual, v6only, unknown := sock("tcp", "::", 80), sock("tcp", "::", 80), sock("tcp", "::", 9000)
	dual.V6OnlyKnown = true
	dual22 := sock("tcp", "::", 22)
	dual22.V6OnlyKnown = true
	v6only.V6Only, v6only.V6OnlyKnown = true, true
	facts := probe.PortFacts{Sockets: []probe.Socket{
		sock("tcp", "0.0.0.0", 22), dual22, sock("tcp", "0.0.0.0", 22), sock("udp", "0.0.0.0", 68),
		sock("tcp", "127.0.0.1", 80), dual, v6only, unknown, sock("tcp", "::ffff:127.0.0.1", 9100),
	}}
	for _, tt := range []struct {
		check   Port
		verdict string
		want    []string
	}{
		{Port{Port: 22}, "pass", []string{"tcp 0.0.0.0:22", "tcp [::]:22"}},
		{Port{Port: 22, Listening: no}, "is listening", []string{"tcp 0.0.0.0:22", "tcp [::]:22"}},
		{Port{Port: 80, Address: "10.0.0.5"}, "pass", []string{"tcp 127.0.0.1:80", "tcp [::]:80", "tcp [::]:80 (IPv6 only)"}},
		{Port{Port: 68, Protocol: "udp"}, "pass", []string{"udp 0.0.0.0:68"}},
		{Port{Port: 68}, "is not listening", []string{"not listening"}},
		{Port{Port: 9000, Address: "127.0.0.1"}, "error: a socket listens on ::", []string{"tcp [::]:9000 (whether IPv6 only is not known)"}},
		{Port{Port: 9100}, "pass", []string{"tcp [::ffff:127.0.0.1]:9100"}},
	} {
		t.Run(tt.check.Subject()+"_"+tt.check.Expectation(), func(t *testing.T) {
			runFound(t, tt.check.judge, tt.check.found, []foundCase[probe.PortFacts]{{"", facts, tt.verdict, tt.want}})
		})
	}
	c := Port{Port: 22}
	runFound(t, c.judge, c.found, []foundCase[probe.PortFacts]{{"unreadable_tables", probe.PortFacts{Err: "cannot read"}, "error: cannot read", nil}})
}

func TestUserAndGroupFound(t *testing.T) {
	www := probe.UserFacts{Exists: true, UID: 33, GID: 33, Home: "/var/www", Shell: "/usr/sbin/nologin", Groups: []string{"www-data", "adm"}}
	noGroups := www
	noGroups.Groups = nil
	u := User{Name: "www-data", UID: intp(1000)}
	runFound(t, u.judge, u.found, []foundCase[probe.UserFacts]{
		{"with_groups", www, "uid is 33", []string{"uid 33", "gid 33", `home "/var/www"`, `shell "/usr/sbin/nologin"`, "groups www-data, adm"}},
		{"groups_not_asked_for", noGroups, "uid is 33", []string{"uid 33", "gid 33", `home "/var/www"`, `shell "/usr/sbin/nologin"`}},
		{"missing", probe.UserFacts{}, "does not exist", []string{"does not exist"}},
		{"unknown", probe.UserFacts{Err: "cannot read the passwd database"}, "error:", nil},
	})
	g := Group{Name: "adm", GID: intp(5)}
	runFound(t, g.judge, g.found, []foundCase[probe.GroupFacts]{
		{"gid", probe.GroupFacts{Exists: true, GID: 4}, "gid is 4", []string{"gid 4"}},
		{"missing", probe.GroupFacts{}, "does not exist", []string{"does not exist"}},
		{"unknown", probe.GroupFacts{Err: "cannot read the group database"}, "error:", nil},
	})
}

func TestCommandFound(t *testing.T) {
	c := Command{Run: "nginx -t"}
	limit := 30 * time.Second
	judge := func(r probe.CommandResult) Outcome { return c.judge(r, limit) }
	found := func(r probe.CommandResult) []string { return c.found(r, limit) }
	runFound(t, judge, found, []foundCase[probe.CommandResult]{
		{"exit_zero", probe.CommandResult{Stdout: []byte("ok\n"), Stderr: []byte("nginx: syntax is ok\n")}, "pass",
			[]string{"exit status 0", "stdout 3 bytes", "stderr 20 bytes"}},
		{"exit_one_silent", probe.CommandResult{ExitStatus: 1}, "exit status is 1", []string{"exit status 1", "stdout 0 bytes", "stderr 0 bytes"}},
		{"timed_out", probe.CommandResult{ExitStatus: 143, TimedOut: true, Stdout: []byte("y")}, "timed out", []string{"timed out after 30s", "stdout 1 byte", "stderr 0 bytes"}},
		{"more_than_kept", probe.CommandResult{Stdout: []byte("y\n"), StdoutTruncated: true}, "pass", []string{"exit status 0", "stdout more than 1048576 bytes", "stderr 0 bytes"}},
		{"over_the_write_limit", probe.CommandResult{ExitStatus: 153, OverLimit: true}, "error: the command wrote more than 16 MiB",
			[]string{"stopped for writing more than 16 MiB (SIGXFSZ)", "stdout 0 bytes", "stderr 0 bytes"}},
		{"could_not_run", probe.CommandResult{Err: "cannot create a pipe"}, "error: cannot create a pipe", nil},
	})
}

func TestProcessFound(t *testing.T) {
	nginx := Process{Name: "nginx", User: "nobody"}
	judge := func(pf probe.ProcessFacts) Outcome { return nginx.judge(pf, procUser{name: "nobody", uid: 65534}) }
	runFound(t, judge, nginx.found, []foundCase[probe.ProcessFacts]{
		{"count_and_owners", nginxProcs, "runs as", []string{"3 processes running: uid 0 (pid 10), uid 33 (pids 11, 12)"}},
		{"not_running", procs(), "is not running", []string{"not running"}},
		{"stopped_zombie_and_kernel_thread", procs(
			probe.Process{PID: 7, Name: "nginx", State: "T", UIDs: [4]int{33, 33, 33, 33}},
			probe.Process{PID: 8, Name: "nginx", State: "Z"},
			probe.Process{PID: 9, Name: "nginx", State: "I", Kernel: true},
		), "is stopped", []string{"not running", "1 process stopped: uid 33 (pid 7)", "1 zombie (ended, not yet reaped): pid 8"}},
		{"some_unseen", probe.ProcessFacts{Unseen: "the probe could not read /proc/77 (Permission denied)"}, "error: cannot tell",
			[]string{"not running", "not every process could be seen: the probe could not read /proc/77 (Permission denied)"}},
		{"cannot_list", probe.ProcessFacts{Err: "there is no /proc"}, "error: there is no /proc", nil},
	})
	journald := Process{Name: "systemd-journald"}
	justName := func(pf probe.ProcessFacts) Outcome { return journald.judge(pf, procUser{}) }
	runFound(t, justName, journald.found, []foundCase[probe.ProcessFacts]{
		// systemd-journal-remote shares the kernel's name, and is not counted
		{"another_program_of_the_same_first_bytes", journal, "pass", []string{"1 process running: uid 0 (pid 300)"}},
		{"a_command_line_that_does_not_tell", procs(probe.Process{PID: 5, Name: "systemd-journal", State: "S"}), "error: cannot tell",
			[]string{"not running", `1 process named "systemd-journal", whose command line does not say whether it runs systemd-journald: pid 5`}},
	})
}

func TestHTTPFound(t *testing.T) {
	ok := probe.HTTPFacts{Tool: "curl", Status: 200, Headers: []probe.HTTPHeader{{Name: "Content-Type", Value: "text/html"}},
		Body: []byte("<html>\n<title>Welcome to nginx!</title>\n</html>\n")}
	get := HTTP{URL: "http://localhost/"}
	body := HTTP{URL: "http://localhost/", Body: Matchers{Contains: []string{"Welcome"}}}
	runFound(t, get.judge, get.found, []foundCase[probe.HTTPFacts]{
		{"status", ok, "pass", []string{"status 200"}},
		{"other_status", probe.HTTPFacts{Tool: "curl", Status: 503}, "status is 503", []string{"status 503"}},
		{"no_response", probe.HTTPFacts{Tool: "curl", Failure: "curl: (7) Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server"},
			"got no response", []string{"no response: curl: (7) Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server"}},
		{"no_tool", probe.HTTPFacts{Err: "the image has neither curl nor wget"}, "error:", nil},
	})
	runFound(t, body.judge, body.found, []foundCase[probe.HTTPFacts]{
		{"body_size_when_the_body_was_asked_for", ok, "pass", []string{"status 200", "body 48 bytes"}},
		{"body_over_the_limit", probe.HTTPFacts{Tool: "curl", Status: 200, Body: []byte("x"), BodyTruncated: true}, "error: body:",
			[]string{"status 200", "body more than 1048576 bytes"}},
		{"body_not_kept", probe.HTTPFacts{Tool: "wget", Status: 401, BodyErr: "GNU Wget keeps no body"}, "status is 401", []string{"status 401"}},
	})
}

func TestDNSFound(t *testing.T) {
	c := DNS{Name: "web", Addresses: []string{"10.9.9.9"}}
	runFound(t, c.judge, c.found, []foundCase[probe.DNSFacts]{
		{"addresses", probe.DNSFacts{Resolved: true, Database: "ahosts", Addresses: addrs("fd00::5", "10.1.2.3", "10.1.2.4")}, "resolves to",
			[]string{"resolves to fd00::5, 10.1.2.3, 10.1.2.4"}},
		{"one_family", probe.DNSFacts{Resolved: true, Database: "hosts", Addresses: addrs("fd00::5")}, "resolves to",
			[]string{"resolves to fd00::5", "by getent hosts, which shows one address family"}},
		{"no_address", probe.DNSFacts{Database: "ahosts"}, "does not resolve", []string{"does not resolve"}},
		{"why", probe.DNSFacts{NoSuchName: true, Why: "Name or service not known"}, "does not resolve", []string{"does not resolve: Name or service not known"}},
		{"no_getent", probe.DNSFacts{Err: "the image has no getent(1)"}, "error:", nil},
	})
}

func TestAddrFound(t *testing.T) {
	c := Addr{Address: "10.0.0.5", Port: 5432, Reachable: no}
	runFound(t, c.judge, c.found, []foundCase[probe.AddrFacts]{
		{"reachable", probe.AddrFacts{Tool: "bash", Connected: true, EveryAddress: true}, "is reachable", []string{"reachable"}},
		{"refused", probe.AddrFacts{Tool: "bash", EveryAddress: true, Failure: "bash: line 1: /dev/tcp/10.0.0.5/5432: Connection refused"}, "pass",
			[]string{"not reachable: bash: line 1: /dev/tcp/10.0.0.5/5432: Connection refused"}},
		{"unsure_keeps_what_was_seen", probe.AddrFacts{Tool: "bash", Failure: "bash: connect: Cannot assign requested address", Unsure: "no local port"},
			"error: no connection was made", []string{"not reachable: bash: connect: Cannot assign requested address"}},
		{"no_tool", probe.AddrFacts{Err: "the image has neither bash nor nc"}, "error:", nil},
	})
}

func TestOSFound(t *testing.T) {
	c := OS{Family: "alpine"}
	bad := osFacts("ID", "debian")
	bad.Invalid = map[string]string{"VERSION_ID": "a blank in a value that is not quoted (quote the value)"}
	runFound(t, c.judge, c.found, []foundCase[probe.OSFacts]{
		{"debian", debian12, "family is debian", []string{`"Debian GNU/Linux 12 (bookworm)"`, "id debian", "version 12"}},
		{"like", rocky, "family is rhel", []string{`"Rocky Linux 9.3 (Blue Onyx)"`, "id rocky", "like rhel centos fedora", "version 9.3"}},
		{"rolling", arch, "family is arch", []string{`"Arch Linux"`, "id arch"}},
		{"unreadable_value", bad, "family is debian", []string{"id debian", "VERSION_ID cannot be read: it has a blank in a value that is not quoted (quote the value)"}},
		{"nothing_that_names_it", osFacts("NAME", "x"), "family is linux", []string{"/etc/os-release has no PRETTY_NAME, ID, ID_LIKE or VERSION_ID"}},
		{"no_file", probe.OSFacts{Err: "no os-release file"}, "error:", nil},
	})
}

func TestKernelFound(t *testing.T) {
	forward := probe.KernelParamFacts{Path: "/proc/sys/net/ipv4/ip_forward", Exists: true, ValueRead: true, Value: "1\n"}
	rmem := probe.KernelParamFacts{Path: "/proc/sys/net/ipv4/tcp_rmem", Exists: true, ValueRead: true, Value: "4096\t131072\t6291456\n"}
	writeOnly := probe.KernelParamFacts{Path: "/proc/sys/vm/compact_memory", Exists: true, ValueErr: "it is write-only (mode 0200): the kernel gives no value to read"}
	p := KernelParam{Name: "net.ipv4.ip_forward", Value: strp("0")}
	runFound(t, p.judge, p.found, []foundCase[probe.KernelParamFacts]{
		{"value", forward, "value is", []string{"exists", `value "1"`}},
		{"value_as_compared", rmem, "value is", []string{"exists", `value "4096 131072 6291456"`}},
		{"write_only", writeOnly, "error: value:", []string{"exists", "no value read: it is write-only (mode 0200): the kernel gives no value to read"}},
		{"missing", probe.KernelParamFacts{Path: "/proc/sys/x"}, "does not exist", []string{"does not exist"}},
		{"no_proc", probe.KernelParamFacts{Err: "there is no /proc/sys"}, "error:", nil},
	})
	const kernel = "6.1.0-56-cloud-amd64"
	m := KernelModule{Name: "br_netfilter", Loaded: no}
	runFound(t, m.judge, m.found, []foundCase[probe.KernelModuleFacts]{
		{"live", probe.KernelModuleFacts{Kernel: kernel, State: "Live"}, "is loaded", []string{"loaded (Live in /proc/modules)", "kernel " + kernel}},
		{"loading", probe.KernelModuleFacts{Kernel: kernel, State: "Loading"}, "is being loaded", []string{"being loaded (Loading in /proc/modules)", "kernel " + kernel}},
		{"unloading", probe.KernelModuleFacts{State: "Unloading"}, "is being unloaded", []string{"being unloaded (Unloading in /proc/modules)"}},
		{"built_in", probe.KernelModuleFacts{Kernel: kernel, BuiltIn: "/lib/modules/" + kernel + "/modules.builtin"}, "is built into",
			[]string{"built in (listed in /lib/modules/" + kernel + "/modules.builtin)", "kernel " + kernel}},
		{"in_sys_module", probe.KernelModuleFacts{Kernel: kernel, BuiltIn: "/sys/module/br_netfilter"}, "is loaded or built",
			[]string{"loaded or built in (there is /sys/module/br_netfilter)", "kernel " + kernel}},
		{"absent", probe.KernelModuleFacts{Kernel: kernel}, "pass", []string{"not loaded", "kernel " + kernel}},
		{"unknown", probe.KernelModuleFacts{Kernel: kernel, Err: "cannot tell whether it is loaded"}, "error:", nil},
	})
}

func TestMountFound(t *testing.T) {
	tmp := probe.MountFacts{Mounted: true, Path: "/tmp", Source: "tmpfs", Filesystem: "tmpfs",
		Options: []string{"rw", "nosuid", "nodev", "relatime", "size=1024k", "mode=1777"}}
	led := probe.MountFacts{Mounted: true, Path: "/var/lib/data", Source: "rec src", Filesystem: "ext4", Options: []string{"rw"}, Stacked: 2}
	c := Mount{Path: "/tmp/", Options: []string{"noexec"}}
	runFound(t, c.judge, c.found, []foundCase[probe.MountFacts]{
		{"mounted", tmp, "options are", []string{"mounted", "filesystem tmpfs", "source tmpfs", "options rw,nosuid,nodev,relatime,size=1024k,mode=1777"}},
		{"where_it_leads_and_what_lies_beneath", led, "options are",
			[]string{"/tmp/ leads to /var/lib/data", "mounted", "filesystem ext4", `source "rec src"`, "options rw", "over 2 more mounts hidden beneath it"}},
		{"not_mounted", probe.MountFacts{Path: "/tmp"}, "is not a mount point", []string{"not a mount point"}},
		{"no_proc", probe.MountFacts{Err: "cannot read /proc/self/mountinfo"}, "error:", nil},
	})
}

func TestInterfaceFound(t *testing.T) {
	eth0 := probe.InterfaceFacts{Exists: true, MTU: 9001, FourFrom: "ip", Addresses: []probe.InterfaceAddress{
		ifaceAddr("10.0.0.5/24", false), ifaceAddr("fd00::5/64", false), ifaceAddr("10.0.0.6/24", false), ifaceAddr("fd00::7/64", true)}}
	both := Interface{Name: "eth0", MTU: intp(1500), Addresses: []string{"10.0.0.5", "fd00::5"}}
	runFound(t, both.judge, both.found, []foundCase[probe.InterfaceFacts]{
		{"mtu_and_addresses", eth0, "mtu is 9001",
			[]string{"exists", "mtu 9001", "IPv4 10.0.0.5/24, 10.0.0.6/24", "IPv6 fd00::5/64, fd00::7/64 (duplicate address detection failed)"}},
		{"none_of_a_family", probe.InterfaceFacts{Exists: true, MTU: 1500, FourFrom: "ip", SixOff: true}, "has no IPv4 address",
			[]string{"exists", "mtu 1500", "no IPv4 address", "no IPv6 address (IPv6 is off in the kernel)"}},
		{"from_ifconfig", probe.InterfaceFacts{Exists: true, MTU: 1500, FourFrom: "ifconfig", Addresses: []probe.InterfaceAddress{ifaceAddr("10.0.0.5", false)}}, "has no IPv6 address",
			[]string{"exists", "mtu 1500", "IPv4 10.0.0.5", "IPv4 addresses from ifconfig, which shows only the first and those with a label", "no IPv6 address"}},
		{"unknown_mtu_and_addresses", probe.InterfaceFacts{Exists: true, MTUErr: "cannot read", FourErr: "no ip", SixErr: "no ip"}, "error: mtu:", []string{"exists"}},
		{"missing", probe.InterfaceFacts{}, "does not exist", []string{"does not exist"}},
		{"unknown", probe.InterfaceFacts{Err: "sysfs and /proc disagree"}, "error:", nil},
	})
	// addresses of a family the check did not ask for may have been gathered for another check,
	// or not at all: they are not this check's facts
	mtuOnly := Interface{Name: "eth0"}
	runFound(t, mtuOnly.judge, mtuOnly.found, []foundCase[probe.InterfaceFacts]{
		{"no_addresses_asked_for", eth0, "pass", []string{"exists", "mtu 9001"}},
	})
}

func TestJudgeFound(t *testing.T) {
	asked := probe.NewPlan()
	fact := asked.Package("nginx")
	facts, err := probe.Parse(asked, probe.FakeOutput(asked)) // a healthy image: nginx is installed
	if err != nil {
		t.Fatal(err)
	}
	found := func(f probe.PackageFacts) []string { return []string{fmt.Sprintf("installed %t", f.Installed)} }

	t.Run("whatever_the_verdict", func(t *testing.T) {
		for _, judged := range []Outcome{{}, {Problems: []string{"version is 1, want 2"}}, {Err: fmt.Errorf("version: cannot be compared")}} {
			o := judgeFound(fact, facts, func(probe.PackageFacts) Outcome { return judged }, found)
			if verdict(o) != verdict(judged) {
				t.Errorf("the verdict changed: %s, want %s", verdict(o), verdict(judged))
			}
			sameFound(t, o.Found, []string{"installed true"})
		}
	})
	t.Run("nothing_when_the_fact_is_missing", func(t *testing.T) {
		other := probe.NewPlan()
		none, err := probe.Parse(other, probe.FakeOutput(other))
		if err != nil {
			t.Fatal(err)
		}
		called := false
		o := judgeFound(fact, none, func(probe.PackageFacts) Outcome { t.Error("judged a fact that is missing"); return Outcome{} },
			func(probe.PackageFacts) []string { called = true; return []string{"x"} })
		if o.Err == nil || o.Found != nil || called {
			t.Errorf("got %q, Found %q (found called: %t), want an error and nothing found", verdict(o), o.Found, called)
		}
	})
}

// Every kind's Gather fills Found, through the suite, into the results: in a pass and a failure
// alike. The facts are those of the fake probe output (a healthy Debian image).
func TestEveryKindFillsFoundThroughTheSuite(t *testing.T) {
	checks := []Check{
		&File{Path: "/etc/hosts", Mode: "0644"}, &File{Path: "/etc/hosts", Mode: "0600"},
		&Package{Name: "nginx"}, &Service{Name: "nginx", Running: yes}, &Port{Port: 22},
		&User{Name: "www-data", Groups: []string{"adm"}}, &Group{Name: "adm"},
		&Command{Run: "echo 1"}, &Command{Run: "echo 1", ExitStatus: intp(3)},
		&Process{Name: "nginx", User: "root"}, &HTTP{URL: "http://localhost/", Body: Matchers{Contains: []string{"x"}}},
		&DNS{Name: "web"}, &Addr{Address: "10.0.0.5", Port: 5432}, &OS{Family: "debian"},
		&KernelParam{Name: "net.ipv4.ip_forward"}, &KernelModule{Name: "br_netfilter"},
		&Mount{Path: "/tmp"}, &Interface{Name: "eth0", Addresses: []string{"10.0.0.5"}},
		&File{Path: "/etc/skipped", Common: Common{Skip: true}},
	}
	s := NewSuite(Declare(checks), Options{CheckTimeout: 30 * time.Second})
	facts, err := probe.Parse(s.Plan(), probe.FakeOutput(s.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	results := s.Judge(facts)
	kinds := map[string]bool{}
	for i, r := range results {
		switch {
		case r.Status == Skipped && len(r.Found) > 0:
			t.Errorf("%s: skipped, yet found %q", r.Name(), r.Found)
		case r.Status != Skipped && len(r.Found) == 0:
			t.Errorf("%s (%s): nothing found", r.Name(), r.Status)
		}
		kinds[checks[i].Kind()] = true
	}
	if results[1].Status != Fail || strings.Join(results[0].Found, "|") != strings.Join(results[1].Found, "|") {
		t.Errorf("a pass and a failure on the same file: %s %q, %s %q", results[0].Status, results[0].Found, results[1].Status, results[1].Found)
	}
	if got := strings.Join(results[8].Found, ", "); results[8].Status != Fail || !strings.HasPrefix(got, "exit status 0, stdout 2 bytes") {
		t.Errorf("command %s: found %s", results[8].Status, got)
	}
	// every kind of this package that judges facts is in the list above
	for _, k := range []string{"file", "package", "service", "port", "user", "group", "command", "process", "http", "dns", "addr", "os",
		"kernel_param", "kernel_module", "mount", "interface"} {
		if !kinds[k] {
			t.Errorf("no %s check in the test", k)
		}
	}
}

// leak returns the first run of n bytes of secret that shows in found, or "".
func leak(found []string, secret string, n int) string {
	all := strings.Join(found, "\n")
	for i := 0; i+n <= len(secret); i++ {
		if strings.Contains(all, secret[i:i+n]) {
			return secret[i : i+n]
		}
	}
	return ""
}

// Found goes into report files, which outlive the build: none of what the report hides of a
// failure may show in it, whatever the check asks and whatever its verdict.
func TestFoundKeepsSecrets(t *testing.T) {
	t.Run("file_content_and_digests_where_not_everyone_may_read", func(t *testing.T) {
		const hash = "$y$j9T$Kq3v9sVJ0pS7$Qm8cH2fZx1uRt5LwNn4yBe6oAaD0gIiPkVjUsTr7E9/"
		content := []byte("root:" + hash + ":19700:0:99999:7:::\n")
		d256, d512 := fmt.Sprintf("%x", sha256.Sum256(content)), fmt.Sprintf("%x", sha512.Sum512(content))
		shadow := probe.FileFacts{Exists: true, Type: "file", Resolved: "file", Mode: 0o600, Owner: "root", Group: "shadow", GID: 42,
			Size: int64(len(content)), ContentRead: true, Content: content, Digest: map[string]string{"sha256": d256, "sha512": d512}}
		want := []string{"regular file", "mode 0600", "owner root:shadow (0:42)", fmt.Sprintf("%d bytes", len(content))}
		for _, tt := range []struct {
			check File
			extra []string
		}{
			{File{Path: "/etc/shadow", Content: Matchers{Contains: []string{"root:"}}}, nil},
			{File{Path: "/etc/shadow", Content: Matchers{NotContains: []string{hash[:12]}, Matches: []string{`^daemon:`}}}, nil},
			{File{Path: "/etc/shadow", Content: Matchers{Contains: []string{"root:$y$j9T$Kq3v9sVJ0pS7$Qm8cH2fZx1uRt5LwNn4yBe6oAaD0gIiPkVjUsTr7E8/"}}}, nil},
			{File{Path: "/etc/shadow", SHA256: strings.Repeat("ab", 32)}, []string{"sha256 not shown, since not everyone may read the file (mode 0600)"}},
			{File{Path: "/etc/shadow", SHA256: d256, SHA512: d512}, []string{"sha256 not shown, since not everyone may read the file (mode 0600)",
				"sha512 not shown, since not everyone may read the file (mode 0600)"}},
		} {
			for _, mode := range []uint32{0o600, 0o640, 0o4750} {
				f := shadow
				f.Mode = mode
				got := tt.check.found(f)
				wanted := fmt.Sprintf("%q", append(append([]string{}, want...), tt.extra...))
				wanted = strings.ReplaceAll(wanted, "0600", fmt.Sprintf("%04o", mode))
				if fmt.Sprintf("%q", got) != wanted {
					t.Errorf("%s (mode %04o):\ngot  %q\nwant %s", tt.check.Expectation(), mode, got, wanted)
				}
				for _, secret := range []struct {
					text string
					n    int
				}{{string(content), 6}, {d256, 8}, {d512, 8}} {
					if l := leak(got, secret.text, secret.n); l != "" {
						t.Errorf("%s (mode %04o): found %q shows %q", tt.check.Expectation(), mode, got, l)
					}
				}
			}
		}
		// the rule is the judge's: where everyone may read the file, its digest is no secret
		f := shadow
		f.Mode = 0o644
		if got := (&File{Path: "/etc/shadow", SHA256: d256}).found(f); !strings.Contains(strings.Join(got, "\n"), "sha256 "+d256) {
			t.Errorf("mode 0644: found %q, want the digest", got)
		}
	})

	t.Run("kernel_value_only_root_may_read", func(t *testing.T) {
		const key = "a1b2c3d4-e5f6a7b8-c9d0e1f2-a3b4c5d6"
		private := probe.KernelParamFacts{Path: "/proc/sys/net/ipv4/tcp_fastopen_key", Exists: true, ValueRead: true, Value: key + "\n", Private: true}
		for _, c := range []KernelParam{
			{Name: "net.ipv4.tcp_fastopen_key"},
			{Name: "net.ipv4.tcp_fastopen_key", Value: strp("00000000-00000000-00000000-00000000")},
			{Name: "net.ipv4.tcp_fastopen_key", Value: strp(key)},
			{Name: "net.ipv4.tcp_fastopen_key", Exists: no},
		} {
			got := c.found(private)
			sameFound(t, got, []string{"exists", "value not shown: the parameter is readable by root only, or its mode could not be read"})
			if l := leak(got, key, 6); l != "" {
				t.Errorf("%s: found %q shows %q", c.Expectation(), got, l)
			}
		}
		public := private
		public.Private = false
		if got := (&KernelParam{Name: "net.ipv4.tcp_fastopen_key"}).found(public); leak(got, key, len(key)) == "" {
			t.Errorf("a value everyone may read: found %q, want it", got)
		}
	})

	t.Run("http_headers_and_body", func(t *testing.T) {
		const cookie, token = "session=ZkxhZ1NlY3JldFZhbHVl", "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.c2lnbmF0dXJl"
		resp := probe.HTTPFacts{Tool: "curl", Status: 302, Headers: []probe.HTTPHeader{
			{Name: "Set-Cookie", Value: cookie + "; HttpOnly"}, {Name: "Location", Value: "https://sso.example/cb?code=" + token},
			{Name: "Authorization", Value: "Bearer " + token}},
			Body: []byte("<a href=\"https://sso.example/cb?code=" + token + "\">moved</a>\n")}
		for _, c := range []HTTP{
			{URL: "http://localhost/login"},
			{URL: "http://localhost/login", Status: 302, Headers: []string{"Set-Cookie: session=other"}},
			{URL: "http://localhost/login", Status: 302, Headers: []string{"Set-Cookie: " + cookie + "; HttpOnly"}},
			{URL: "http://localhost/login", Status: 302, Body: Matchers{NotContains: []string{"code="}}},
			{URL: "http://localhost/login", Status: 302, Body: Matchers{Contains: []string{token}}},
		} {
			got := c.found(resp)
			want := []string{"status 302"}
			if !c.Body.empty() {
				want = append(want, fmt.Sprintf("body %d bytes", len(resp.Body)))
			}
			sameFound(t, got, want)
			for _, secret := range []string{cookie, token, "sso.example"} {
				if l := leak(got, secret, 6); l != "" {
					t.Errorf("%s: found %q shows %q", c.Expectation(), got, l)
				}
			}
		}
	})

	t.Run("command_output", func(t *testing.T) {
		const token = "ghp_R4nd0mT0k3nV4lu3f0rT3st1ng00"
		printed := probe.CommandResult{ExitStatus: 0, Stdout: []byte("GITHUB_TOKEN=" + token + "\n"), Stderr: []byte("warning: token " + token + " expires\n")}
		for _, c := range []Command{
			{Run: "cat /etc/ci.env"},
			{Run: "cat /etc/ci.env", Stdout: Matchers{NotContains: []string{"GITHUB_TOKEN="}}},
			{Run: "cat /etc/ci.env", Stdout: Matchers{Contains: []string{"OTHER="}}},
			{Run: "cat /etc/ci.env", ExitStatus: intp(1), Stderr: Matchers{Matches: []string{`^ok$`}}},
		} {
			got := c.found(printed, time.Minute)
			sameFound(t, got, []string{"exit status 0", fmt.Sprintf("stdout %d bytes", len(printed.Stdout)), fmt.Sprintf("stderr %d bytes", len(printed.Stderr))})
			if l := leak(got, token, 6); l != "" {
				t.Errorf("%s: found %q shows %q", c.Expectation(), got, l)
			}
		}
	})

	t.Run("process_command_line", func(t *testing.T) {
		const password = "pgPassw0rd-Xq9"
		ps := procs(probe.Process{PID: 40, Name: "postgres", State: "S", UIDs: [4]int{105, 105, 105, 105},
			Args: []string{"/usr/lib/postgresql/15/bin/postgres", "--password=" + password}})
		for _, c := range []Process{{Name: "postgres"}, {Name: "postgres", Args: Matchers{NotContains: []string{"--password="}}}} {
			got := c.found(ps)
			sameFound(t, got, []string{"1 process running: uid 105 (pid 40)"})
			if l := leak(got, password, 6); l != "" {
				t.Errorf("found %q shows %q", got, l)
			}
		}
	})
}
