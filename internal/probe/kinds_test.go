package probe

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These tests feed each kind's parser the real output of the real tool, recorded by
// testdata/record.sh into testdata/recorded (see its README for where and how). Cases that this
// machine cannot record (apk, pacman, OpenRC's own transition codes) are modelled, and say so.

// recorded returns a fixture's stdout, stderr and exit status.
func recorded(t *testing.T, name string) (stdout, stderr, status string) {
	t.Helper()
	read := func(ext string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "recorded", name+ext))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	return read(".out"), read(".err"), strings.TrimSpace(read(".status"))
}

// recs builds the records of a probe output from tag, id and value triples.
func recs(kv ...string) records {
	r := records{}
	for i := 0; i+2 < len(kv); i += 3 {
		r[key{kv[i], kv[i+1]}] = []byte(kv[i+2])
	}
	return r
}

// parsed parses r for the plan p, whose kinds' Plan methods the test has called.
func parsed(p *Plan, r records) *Facts {
	f := &Facts{found: map[string]any{}}
	for name, g := range p.parts {
		f.found[name] = g.parse(r)
	}
	return f
}

func packageRecords(t *testing.T, mgr, fixture string) records {
	out, stderr, status := recorded(t, fixture)
	return recs("package.manager", "-", mgr, "package.status", "-", status, "package.db", "-", out, "package.err", "-", stderr)
}

func TestPackagesFromRealDpkgAndRpm(t *testing.T) {
	tests := []struct {
		mgr, fixture string
		want         map[string]string // name -> "installed VERSIONS", "absent", "state S" or "error"
	}{
		{"dpkg", "dpkg-query", map[string]string{"nginx": "installed 1.22.1-9+deb12u11", "libc6": "installed 2.36-9+deb12u14",
			"libc6:amd64": "installed 2.36-9+deb12u14", "nosuchpkg": "absent", "bash": "error"}}, // bash was not asked: dpkg said nothing
		{"dpkg", "dpkg-query-config-files", map[string]string{"nginx": "installed 1.22.1-9+deb12u11", "rec-conffiles": "absent"}},
		{"dpkg", "dpkg-query-garbage-status", map[string]string{"nginx": "error", "nosuchpkg": "error"}},
		{"dpkg", "dpkg-query-truncated-status", map[string]string{"nginx": "error", "nosuchpkg": "error"}},
		{"dpkg", "dpkg-query-unreadable-status", map[string]string{"nginx": "error", "nosuchpkg": "error"}},
		{"rpm", "rpm-query", map[string]string{"rec-alpha": "installed 1.0-1", "rec-beta": "installed 3:2.5-7.el9", "nosuch": "absent"}},
		{"rpm", "rpm-query-two-versions", map[string]string{"rec-alpha": "installed 1.0-1 1.1-1", "nosuch": "absent"}},
		{"rpm", "rpm-query-garbage-db", map[string]string{"rec-alpha": "error", "nosuch": "error"}},
		{"rpm", "rpm-query-truncated-db", map[string]string{"rec-alpha": "error", "nosuch": "error"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			p := NewPlan()
			handles := map[string]Fact[PackageFacts]{}
			for name := range tt.want {
				handles[name] = p.Package(name)
			}
			f := parsed(p, packageRecords(t, tt.mgr, tt.fixture))
			for name, want := range tt.want {
				if got := packageVerdict(get(t, f, handles[name])); got != want {
					t.Errorf("%s: got %q, want %q", name, got, want)
				}
			}
		})
	}
}

func packageVerdict(pf PackageFacts) string {
	switch {
	case pf.Err != "":
		return "error"
	case pf.Installed:
		v := append([]string(nil), pf.Versions...)
		sort.Strings(v)
		return "installed " + strings.Join(v, " ")
	case pf.State != "":
		return "state " + pf.State
	}
	return "absent"
}

func TestBrokenPackageDatabaseSaysWhy(t *testing.T) {
	p := NewPlan()
	h := p.Package("nginx")
	got := get(t, parsed(p, packageRecords(t, "dpkg", "dpkg-query-garbage-status")), h).Err
	want := "the dpkg package database could not be read (exit status 2): dpkg-query: error: parsing file '/tmp/rec-dpkg/garbage/status' near line 0:"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// Modelled, not recorded: this machine has no apk or pacman database. apk's "name-version" lines
// follow apk-tools' apk_pkg_parse_name (src/package.c); pacman's messages are those of
// pacman 6 (lib/libalpm, src/pacman/query.c).
func TestPackagesModelledApkPacmanAndHalfInstalled(t *testing.T) {
	tests := []struct {
		name, mgr, status, out, stderr string
		want                           map[string]string
	}{
		{"apk_splits_from_the_end", "apk", "0", "font-adobe-100dpi-1.0.4-r2\nbusybox-1.36.1-r5\nbusybox-binsh-1.36.1-r5\npy3-foo-2-1.0-r0\n", "",
			map[string]string{"font-adobe-100dpi": "installed 1.0.4-r2", "font-adobe": "absent", "busybox": "installed 1.36.1-r5", "py3-foo-2": "installed 1.0-r0"}},
		{"apk_failure", "apk", "1", "", "ERROR: Unable to read database state: No such file or directory\n", map[string]string{"busybox": "error"}},
		{"apk_empty_list", "apk", "0", "", "", map[string]string{"busybox": "error"}},
		{"rpm_status_without_absent_packages", "rpm", "2", "", "", map[string]string{"bash": "error"}},
		{"pacman", "pacman", "1", "bash 5.2.015-1\nlinux 6.4.2.arch1-1\n", "error: package 'nosuch' was not found\n",
			map[string]string{"linux": "installed 6.4.2.arch1-1", "nosuch": "absent", "vim": "error"}},
		{"pacman_database_error", "pacman", "1", "", "error: could not open database: Permission denied\n", map[string]string{"linux": "error"}},
		{"dpkg_half_configured", "dpkg", "0", "nginx\tnginx\tinstall ok half-configured\t1.22.1-9\n", "", map[string]string{"nginx": "state half-configured"}},
		{"dpkg_triggers_pending_is_installed", "dpkg", "0", "man-db\tman-db\tinstall ok triggers-pending\t2.11.2-2\n", "", map[string]string{"man-db": "installed 2.11.2-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPlan()
			handles := map[string]Fact[PackageFacts]{}
			for name := range tt.want {
				handles[name] = p.Package(name)
			}
			f := parsed(p, recs("package.manager", "-", tt.mgr, "package.status", "-", tt.status, "package.db", "-", tt.out, "package.err", "-", tt.stderr))
			for name, want := range tt.want {
				if got := packageVerdict(get(t, f, handles[name])); got != want {
					t.Errorf("%s: got %q, want %q", name, got, want)
				}
			}
		})
	}
	p := NewPlan()
	h := p.Package("x")
	if got := get(t, parsed(p, recs("package.manager", "-", "none")), h); got.Err == "" || got.Installed {
		t.Errorf("no package manager must be an error: %+v", got)
	}
}

func TestServicesFromRealSystemctl(t *testing.T) {
	tests := []struct {
		fixture string
		want    map[string]string // name -> "exists enabled running/stopped/neither" or "missing" or "error"
	}{
		{"systemd-show", map[string]string{"nginx": "enabled running", "ssh": "enabled running", "cron": "enabled running",
			"systemd-journald": "enabled running", "nosuch": "missing", "dbus.socket": "enabled running", "bash": "error"}},
		{"systemd-show-kinds", map[string]string{"recfail": "enabled stopped", "recdisabled": "disabled stopped", "recindirect": "enabled stopped",
			"sudo": "disabled stopped", "e2scrub_all": "disabled stopped", "fstrim": "enabled stopped",
			"console-getty": "disabled stopped", "ssh.socket": "disabled stopped"}},
		{"systemd-show-sysv-unlinked", map[string]string{"recsysv": "disabled stopped"}},
		{"systemd-show-sysv-linked", map[string]string{"recsysv": "enabled stopped"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			out, stderr, status := recorded(t, tt.fixture)
			p := NewPlan()
			handles := map[string]Fact[ServiceFacts]{}
			for name := range tt.want {
				handles[name] = p.Service(name)
			}
			f := parsed(p, recs("service.init", "-", "systemd", "service.status", "-", status, "service.systemd", "-", out, "service.err", "-", stderr))
			for name, want := range tt.want {
				if got := serviceVerdict(get(t, f, handles[name])); got != want {
					t.Errorf("%s: got %q, want %q", name, got, want)
				}
			}
		})
	}
}

func serviceVerdict(s ServiceFacts) string {
	switch {
	case s.Err != "":
		return "error"
	case !s.Exists:
		return "missing"
	}
	v := map[bool]string{true: "enabled", false: "disabled"}[s.Enabled]
	switch {
	case s.Running:
		return v + " running"
	case s.Stopped:
		return v + " stopped"
	}
	return v + " neither"
}

// The exit statuses of `rc-service NAME status` are recorded on the OpenRC target; 8, 16 and 32
// (OpenRC's starting, inactive and crashed) are modelled from openrc-run.sh's _status.
func TestServicesUnderOpenRC(t *testing.T) {
	runlevels, _, _ := recorded(t, "rc-update-show")
	codes := map[string]string{}
	for _, name := range []string{"nginx", "cron", "recexit4"} {
		_, _, codes[name] = recorded(t, "rc-service-status-"+name)
	}
	_, _, nosuch := recorded(t, "rc-service-exists-nosuch")
	if nosuch == "0" {
		t.Fatal("the fixture says rc-service -e found nosuch")
	}
	tests := []struct{ name, code, want string }{
		{"nginx", codes["nginx"], "enabled running"},
		{"cron", codes["cron"], "enabled stopped"},
		{"recexit4", codes["recexit4"], "error"}, // LSB "unknown": never "not running"
		{"savecache", "3", "disabled stopped"},   // in the off runlevel only
		{"starting", "8", "disabled neither"},
		{"inactive", "16", "disabled neither"},
		{"crashed", "32", "disabled stopped"},
		{"cannot_execute", "126", "error"},
		{"not_found", "127", "error"},
		{"killed", "137", "error"},
	}
	p := NewPlan()
	r := recs("service.init", "-", "openrc", "service.status", "-", "0", "service.runlevels", "-", runlevels, "service.err", "-", "")
	handles := make([]Fact[ServiceFacts], len(tests))
	for i, tt := range tests {
		handles[i] = p.Service(tt.name)
		r[key{"service.exit", strconv.Itoa(i)}] = []byte(tt.code)
		r[key{"service.said", strconv.Itoa(i)}] = nil // rc-service -q says nothing of these scripts
	}
	missing := p.Service("nosuch")
	r[key{"service.missing", strconv.Itoa(len(tests))}] = nil
	f := parsed(p, r)
	for i, tt := range tests {
		if got := serviceVerdict(get(t, f, handles[i])); got != tt.want {
			t.Errorf("%s (status %s): got %q, want %q", tt.name, tt.code, got, tt.want)
		}
	}
	if got := serviceVerdict(get(t, f, missing)); got != "missing" {
		t.Errorf("nosuch: %s", got)
	}
}

// SysV (no OpenRC): the script's status exit code by the LSB, and S links, as recorded on the
// OpenRC target (whose scripts are Debian's LSB scripts); status 4 is modelled.
func TestServicesUnderSysV(t *testing.T) {
	nginxSaid, _, nginx := recorded(t, "sysv-status-nginx")
	cronSaid, _, cron := recorded(t, "sysv-status-cron")
	_, usage, nostatus := recorded(t, "sysv-status-nostatus")
	links, _, _ := recorded(t, "sysv-rc-links")
	noLinks, _, _ := recorded(t, "sysv-rc-links-none")
	p := NewPlan()
	hn, hc, h4, hu := p.Service("nginx"), p.Service("cron"), p.Service("odd"), p.Service("recnostatus")
	f := parsed(p, recs("service.init", "-", "sysv",
		"service.exit", "0", nginx, "service.said", "0", nginxSaid, "service.links", "0", links,
		"service.exit", "1", cron, "service.said", "1", cronSaid, "service.links", "1", noLinks,
		"service.exit", "2", "4", "service.said", "2", "", "service.links", "2", "",
		"service.exit", "3", nostatus, "service.said", "3", usage, "service.links", "3", ""))
	if got := get(t, f, hu); !strings.Contains(got.Err, "has no status action") {
		t.Errorf("a script without a status action (exit %s) must be an error: %+v", nostatus, got)
	}
	if got := serviceVerdict(get(t, f, hn)); got != "enabled running" {
		t.Errorf("nginx: %s", got)
	}
	if got := serviceVerdict(get(t, f, hc)); got != "disabled stopped" {
		t.Errorf("cron: %s", got)
	}
	if got := get(t, f, h4); !strings.Contains(got.Err, "exited with 4: the status is unknown") {
		t.Errorf("status 4: %+v", got)
	}
}

// A systemd image where systemd does not run (a container or chroot build), recorded on this
// host: enabled is read from the unit files; whether it runs is an error, never "stopped".
func TestServicesWithSystemdOffline(t *testing.T) {
	p := NewPlan()
	r := recs("service.init", "-", "systemd-offline")
	var handles []Fact[ServiceFacts]
	for i, fixture := range []string{"systemctl-offline-enabled", "systemctl-offline-static", "systemctl-offline-nosuch"} {
		out, stderr, status := recorded(t, fixture)
		handles = append(handles, p.Service(fixture))
		r[key{"service.exit", strconv.Itoa(i)}] = []byte(status)
		r[key{"service.said", strconv.Itoa(i)}] = []byte(out + stderr)
	}
	r[key{"service.nounit", "2"}] = nil // no nosuch.service in any unit folder of this host
	f := parsed(p, r)
	for i, want := range []string{"enabled", "enabled", "missing"} {
		s := get(t, f, handles[i])
		got := map[bool]string{true: "enabled", false: "disabled"}[s.Enabled]
		if !s.Exists {
			got = "missing"
		}
		if got != want || s.Err != "" || (s.Exists && (s.RunningErr == "" || s.Running || s.Stopped)) {
			t.Errorf("%d: got %s %+v, want %s with running unknown", i, got, s, want)
		}
	}
}

func TestUnitNames(t *testing.T) {
	for name, want := range map[string]string{"nginx": "nginx.service", "php8.2-fpm": "php8.2-fpm.service",
		"dbus.socket": "dbus.socket", "ssh.service": "ssh.service", "getty@tty1": "getty@tty1.service"} {
		if got := unitName(name); got != want {
			t.Errorf("unitName(%q) = %q, want %q", name, got, want)
		}
	}
}

// The recorded socket tables and ss output come from the same moment on the systemd target, with
// nginx on [::]:8083 (IPv6 only) and [::]:8084 with ipv6only=off.
func TestPortsFromRealTablesAndSS(t *testing.T) {
	tables, _, _ := recorded(t, "proc-net")
	ss, _, ssStatus := recorded(t, "ss-listening")
	r := recs("port.ss", "-", ss, "port.ssstatus", "-", ssStatus)
	// cat printed the four tables one after the other, each with its header line
	names := []string{"tcp", "tcp6", "udp", "udp6"}
	parts := regexp.MustCompile(`(?m)^ +sl `).Split(tables, -1)[1:]
	if len(parts) != 4 {
		t.Fatalf("the fixture holds %d tables, not 4", len(parts))
	}
	for i, part := range parts {
		r[key{"port." + names[i], "-"}] = []byte("  sl " + part)
	}
	p := NewPlan()
	h := p.Ports()
	pf := get(t, parsed(p, r), h)
	got := map[string]string{}
	for _, s := range pf.Sockets {
		v := "v4"
		if s.Addr.Is6() {
			v = map[bool]string{true: "v6only", false: "dual"}[s.V6Only]
			if !s.V6OnlyKnown {
				v = "unknown"
			}
		}
		got[s.Protocol+" "+s.Addr.String()+" "+strconv.Itoa(s.Port)] = v
	}
	for sock, want := range map[string]string{
		"tcp 0.0.0.0 22": "v4", "tcp :: 22": "v6only", "tcp :: 80": "v6only", "tcp :: 8083": "v6only", "tcp :: 8084": "dual",
		"udp 127.0.0.1 8085": "v4", "udp ::1 8086": "v6only",
	} {
		if got[sock] != want {
			t.Errorf("%s: got %q, want %q (all: %v)", sock, got[sock], want, got)
		}
	}
	// without ss, nothing is known of IPv6 sockets
	delete(r, key{"port.ss", "-"})
	delete(r, key{"port.ssstatus", "-"})
	for _, s := range get(t, parsed(p, r), h).Sockets {
		if s.V6OnlyKnown {
			t.Errorf("without ss, %v is known", s)
		}
	}
	if pf := get(t, parsed(p, records{}), h); pf.Err == "" {
		t.Error("no socket tables at all must be an error")
	}
}

func TestUsersAndGroupsFromRealGetentAndID(t *testing.T) {
	pw, pwErr, pwStatus := recorded(t, "getent-passwd")
	gr, grErr, grStatus := recorded(t, "getent-group")
	ids, _, idStatus := recorded(t, "id-groups")
	noID, _, noIDStatus := recorded(t, "id-groups-nosuch")
	p := NewPlan()
	root, alice, nosuch := p.User("root", false), p.User("alice", true), p.User("nosuch", true)
	groot, gsudo, gnosuch := p.Group("root"), p.Group("sudo"), p.Group("nosuch")
	r := recs("account.status", "passwd", pwStatus, "account.entries", "passwd", pw, "account.err", "passwd", pwErr,
		"account.status", "group", grStatus, "account.entries", "group", gr, "account.err", "group", grErr,
		"account.idstatus", "1", idStatus, "account.groups", "1", ids)
	f := parsed(p, r)
	if u := get(t, f, root); !u.Exists || u.UID != 0 || u.Home != "/root" || u.Err != "" {
		t.Errorf("root: %+v", u)
	}
	if u := get(t, f, alice); !u.Exists || u.UID != 1000 || u.Shell != "/bin/sh" || strings.Join(u.Groups, " ") != "alice" {
		t.Errorf("alice: %+v", u)
	}
	if u := get(t, f, nosuch); u.Exists || u.Err != "" {
		t.Errorf("nosuch: %+v", u)
	}
	if g := get(t, f, groot); !g.Exists || g.GID != 0 {
		t.Errorf("root group: %+v", g)
	}
	if g := get(t, f, gsudo); !g.Exists || g.GID != 27 {
		t.Errorf("sudo group: %+v", g)
	}
	if g := get(t, f, gnosuch); g.Exists || g.Err != "" {
		t.Errorf("nosuch group: %+v", g)
	}
	// id failing for a user that getent found: the groups are unknown, an error of the groups
	// alone (the entry stands)
	r[key{"account.idstatus", "1"}], r[key{"account.groups", "1"}] = []byte(noIDStatus), []byte(noID)
	if u := get(t, parsed(p, r), alice); u.GroupsErr == "" || u.Err != "" || !u.Exists {
		t.Errorf("id failed, yet: %+v", u)
	}
	// getent exits 1 (bad arguments) or 3 (no enumeration): nobody may be taken for absent
	r[key{"account.status", "passwd"}] = []byte("3")
	if u := get(t, parsed(p, r), nosuch); u.Err == "" || u.Exists {
		t.Errorf("getent failed, yet: %+v", u)
	}
}

func TestFilesFromRealStat(t *testing.T) {
	for _, fixture := range []string{"stat-gnu", "stat-busybox"} {
		t.Run(fixture, func(t *testing.T) {
			out, stderr, _ := recorded(t, fixture)
			p := NewPlan()
			passwd, etc, null, tmp, missing := p.File("/etc/passwd", false), p.File("/etc", false), p.File("/dev/null", true), p.File("/tmp", false), p.File("/nonexistent", false)
			// fe printed nothing for the paths that exist, and that /nonexistent is missing: the
			// batch's stat, asked about it too, says why
			f := parsed(p, recs("file.stat", "0", out, "file.staterr", "0", stderr, "file.missing", "4", ""))
			if g := get(t, f, passwd); !g.Exists || g.Type != "file" || g.Mode != 0o644 || g.Owner != "root" || g.Size == 0 {
				t.Errorf("/etc/passwd: %+v", g)
			}
			if g := get(t, f, etc); g.Type != "directory" || g.Mode != 0o755 {
				t.Errorf("/etc: %+v", g)
			}
			if g := get(t, f, null); g.Type != "character_device" || g.Resolved != "character_device" || g.ContentRead {
				t.Errorf("/dev/null: %+v", g)
			}
			if g := get(t, f, tmp); g.Mode != 0o1777 {
				t.Errorf("/tmp: %+v", g)
			}
			if g := get(t, f, missing); g.Exists || g.Err != "" {
				t.Errorf("/nonexistent: %+v", g)
			}
		})
	}
}

// A path that exists but for which stat printed no line (it vanished, or stat failed) is an
// error, never a pass; and a stat line is matched by its path, not by its place.
func TestFileWithoutItsStatLineIsAnError(t *testing.T) {
	p := NewPlan()
	a, b := p.File("/a", false), p.File("/b c", false)
	f := parsed(p, recs("file.stat", "0", "41ed 0 0 4096 root root /b c\n", "file.staterr", "0", "stat: cannot statx '/a': Input/output error\n"))
	if g := get(t, f, a); g.Err != "stat(1) said nothing about this path: Input/output error" {
		t.Errorf("/a: %+v", g)
	}
	if g := get(t, f, b); g.Type != "directory" || g.Err != "" {
		t.Errorf("/b c: %+v", g)
	}
}

// A missing path's reason comes from the batch's stat complaints, matched by the quoted path: an
// I/O error is an error, never absence, and so is a missing path stat said nothing about.
func TestMissingPathsByTheirComplaint(t *testing.T) {
	p := NewPlan()
	gone, eio, denied, silent := p.File("/gone", false), p.File("/nfs/x", false), p.File("/root/x", false), p.File("/quiet", false)
	f := parsed(p, recs("file.stat", "0", "", "file.missing", "0", "", "file.missing", "1", "", "file.missing", "2", "", "file.missing", "3", "",
		"file.staterr", "0", "stat: cannot statx '/gone': No such file or directory\nstat: cannot statx '/nfs/x': Input/output error\n"+
			"stat: can't stat '/root/x': Permission denied\n"))
	if g := get(t, f, gone); g.Exists || g.Err != "" {
		t.Errorf("/gone: %+v", g)
	}
	if g := get(t, f, eio); g.Err != "Input/output error" {
		t.Errorf("/nfs/x: %+v", g)
	}
	if g := get(t, f, denied); !strings.Contains(g.Err, "permission denied") {
		t.Errorf("/root/x: %+v", g)
	}
	if g := get(t, f, silent); g.Err == "" {
		t.Errorf("/quiet: %+v", g)
	}
	if quotedPlainly("/it's") || quotedPlainly("/caf\xc3\xa9") || !quotedPlainly("/etc/a b+c") {
		t.Error("quotedPlainly")
	}
}

// TestEveryTagIsRead checks that the two sides of the record protocol agree: every tag a shell
// file prints is one its kind's Go file reads (outside the fake records it writes for
// benchmarks), and the other way round. The socket tables are named after the files of
// /proc/net on both sides, from the same list.
func TestEveryTagIsRead(t *testing.T) {
	printed := regexp.MustCompile(`(?:line|blob|B) "?([a-z]+\.[a-z]+)"?`)
	read := regexp.MustCompile(`"([a-z]+\.[a-z]+)"`)
	fakes := regexp.MustCompile(`(?s)\nfunc (?:\([^)]*\) )?fake\w*\(.*?\n}\n`)
	for family := range shells {
		if family == "prelude" {
			continue
		}
		sh, _ := shellFiles.ReadFile(family + ".sh")
		goSrc, err := os.ReadFile(family + ".go")
		if err != nil {
			t.Fatal(err)
		}
		goSrc = fakes.ReplaceAll(goSrc, nil)
		tags := func(re *regexp.Regexp, src []byte) map[string]bool {
			m := map[string]bool{}
			for _, sub := range re.FindAllSubmatch(src, -1) {
				if strings.HasPrefix(string(sub[1]), family+".") {
					m[string(sub[1])] = true
				}
			}
			return m
		}
		inShell, inGo := tags(printed, sh), tags(read, goSrc)
		if family == "port" {
			if !strings.Contains(string(sh), "for p in tcp tcp6 udp udp6;") || !strings.Contains(string(goSrc), `[]string{"tcp", "tcp6", "udp", "udp6"}`) {
				t.Error("port.sh and port.go no longer name the same socket tables")
			}
		}
		for tag := range inShell {
			if !inGo[tag] {
				t.Errorf("%s.sh prints %s, which %s.go never reads", family, tag, family)
			}
		}
		for tag := range inGo {
			if !inShell[tag] {
				t.Errorf("%s.go reads %s, which %s.sh never prints", family, tag, family)
			}
		}
	}
}

// TestNoRecordsIsAnErrorForEveryFact: a probe output with no records at all (it ran, but said
// nothing of anything) must leave no fact judged as seen.
func TestNoRecordsIsAnErrorForEveryFact(t *testing.T) {
	p := NewPlan()
	file, pkg, svc, ports := p.File("/a", true), p.Package("x"), p.Service("s"), p.Ports()
	user, group, cmd := p.User("u", true), p.Group("g"), p.Command(Command{Run: "true", Timeout: time.Second})
	f, err := Parse(p, []byte(header+"\n"+trailer+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, e := range map[string]string{
		"file": get(t, f, file).Err, "package": get(t, f, pkg).Err, "service": get(t, f, svc).Err,
		"ports": get(t, f, ports).Err, "user": get(t, f, user).Err, "group": get(t, f, group).Err,
		"command": get(t, f, cmd).Err,
	} {
		if e == "" {
			t.Errorf("%s: no records, yet no error", name)
		}
	}
}

// Found by review: ways a service looked seen when it was not.
func TestServiceAnswersThatWereNotSeen(t *testing.T) {
	p := NewPlan()
	usage0, noSaid, noLinks := p.Service("usage0"), p.Service("nosaid"), p.Service("nolinks")
	f := parsed(p, recs("service.init", "-", "sysv",
		// a hand-written script without a status action that exits 0
		"service.exit", "0", "0", "service.said", "0", "Usage: /etc/init.d/usage0 {start|stop}\n", "service.links", "0", "rc2.d/S01usage0\n",
		// the status output could not be written (scratch folder full): 2 is the shell's, not LSB's
		"service.exit", "1", "2", "service.links", "1", "",
		"service.exit", "2", "0", "service.said", "2", "running\n"))
	for name, h := range map[string]Fact[ServiceFacts]{"usage0": usage0, "nosaid": noSaid, "nolinks": noLinks} {
		if s := get(t, f, h); s.Err == "" {
			t.Errorf("%s: %+v", name, s)
		}
	}
	// systemd offline: "No such file or directory" is a missing unit only when no unit file exists
	p = NewPlan()
	dropin, missing := p.Service("broken-dropin"), p.Service("gone")
	said := "Failed to get unit file state for x.service: No such file or directory\n"
	f = parsed(p, recs("service.init", "-", "systemd-offline",
		"service.exit", "0", "1", "service.said", "0", said,
		"service.exit", "1", "1", "service.said", "1", said, "service.nounit", "1", ""))
	if s := get(t, f, dropin); s.Err == "" {
		t.Errorf("a unit file with a broken drop-in is not missing: %+v", s)
	}
	if s := get(t, f, missing); s.Exists || s.Err != "" {
		t.Errorf("gone: %+v", s)
	}
}

// A path stat is asked about alone is read by the reason after the quoted path, whatever words
// the path holds.
func TestAloneMissingPathIsReadByItsReason(t *testing.T) {
	p := NewPlan()
	h := p.File("/tmp/No such file'x", false)
	f := parsed(p, recs("file.err", "0", "stat: cannot statx '/tmp/No such file'\\''x': Too many levels of symbolic links\n"))
	if g := get(t, f, h); g.Err != "Too many levels of symbolic links" {
		t.Errorf("%+v", g)
	}
}
