package probe

import (
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// out builds a probe output from records, the way the probe prints them.
func out(records ...string) []byte {
	return []byte(header + "\n" + strings.Join(records, "") + trailer + "\n")
}

func blobRec(tag, id, data string) string {
	return "B " + tag + " " + id + " " + strconv.Itoa(len(data)) + "\n" + data + "\n"
}

func lineRec(tag, id, value string) string { return "L " + tag + " " + id + " " + value + "\n" }

func TestRecordsRejectsBrokenOutput(t *testing.T) {
	good := string(out(blobRec("f.stat", "0", "81a4 0 0 12 root root\n"), lineRec("f.ok", "0", "")))
	tests := []struct {
		name, output, want string
	}{
		{"empty", "", "the probe printed no output it understands (it starts empty)"},
		{"sudo_password", "sudo: a password is required\n", `the probe printed no output it understands (it starts "sudo: a password is required\n")`},
		{"motd_before_header", "Welcome!\n" + good, "the probe printed no output it understands"},
		{"pty_line_ends", strings.ReplaceAll(good, "\n", "\r\n"), "pseudo-terminal (ssh_pty = true)"},
		{"cut_in_header_line", good[:20], "the probe's output ended early"},
		{"cut_in_blob", good[:len(header)+1+20], "the probe's output ended early"},
		{"no_trailer", strings.TrimSuffix(good, trailer+"\n"), "the probe's output ended early"},
		{"garbage_record", header + "\nX what\n" + trailer + "\n", "unexpected probe output at byte 15"},
		{"bad_length", header + "\nB f.stat 0 -3\n" + trailer + "\n", "bad length"},
		{"wrong_length", header + "\nB f.stat 0 2\nabc\n" + trailer + "\n", "is not 2 bytes long"},
		{"huge_length", header + "\nB f.stat 0 99999999999999999999\n" + trailer + "\n", "bad length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := records([]byte(tt.output))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
	if _, err := records([]byte(good)); err != nil {
		t.Errorf("good output: %v", err)
	}
}

func TestBlobsKeepAnyBytes(t *testing.T) {
	data := "a\x00b\nL f.ok 9 \n\xff\xfe" + trailer + "\n"
	recs, err := records(out(blobRec("c.stdout", "0", data)))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(recs[key{"c.stdout", "0"}]); got != data {
		t.Errorf("blob = %q, want %q", got, data)
	}
	if _, ok := recs[key{"f.ok", "9"}]; ok {
		t.Error("text inside a blob was read as a record")
	}
}

func TestParsePorts(t *testing.T) {
	tcp := "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
		"   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n" +
		"   1: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 2 1 0 100 0 0 10 0\n" +
		"   2: 0100007F:0016 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 100 0 0 10 0\n"
	tcp6 := "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
		"   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1 0 100 0 0 10 0\n" +
		"   1: 00000000000000000000000001000000:18EB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5 1 0 100 0 0 10 0\n"
	udp := "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" +
		"  100: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 6 2 0 0\n" +
		"  101: 0100007F:0035 0100007F:0035 01 00000000:00000000 00:00000000 00000000     0        0 7 2 0 0\n"
	pf := parsePorts(map[key][]byte{{"n.tcp", "-"}: []byte(tcp), {"n.tcp6", "-"}: []byte(tcp6), {"n.udp", "-"}: []byte(udp)})
	var got []string
	for _, s := range pf.Sockets {
		got = append(got, s.Protocol+" "+netip.AddrPortFrom(s.Addr, uint16(s.Port)).String())
	}
	want := "tcp 0.0.0.0:22, tcp 127.0.0.1:5432, tcp [::]:80, tcp [::1]:6379, udp 0.0.0.0:68"
	if strings.Join(got, ", ") != want {
		t.Errorf("sockets:\ngot  %s\nwant %s", strings.Join(got, ", "), want)
	}
	if pf := parsePorts(map[key][]byte{}); pf.Err == "" {
		t.Error("no socket tables at all must be an error")
	}
}

func TestParsePackages(t *testing.T) {
	tests := []struct {
		name, mgr, db, pkg string
		want               []string
	}{
		{"dpkg", "dpkg", "nginx\tnginx\tinstall ok installed\t1.22.1-9+deb12u11\n", "nginx", []string{"1.22.1-9+deb12u11"}},
		{"dpkg_config_files_only", "dpkg", "apache2\tapache2\tdeinstall ok config-files\t2.4.62-1~deb12u2\n", "apache2", nil},
		{"dpkg_multiarch", "dpkg", "libc6:amd64\tlibc6\tinstall ok installed\t2.36-9+deb12u4\nlibc6:i386\tlibc6\tinstall ok installed\t2.36-9+deb12u4\n", "libc6", []string{"2.36-9+deb12u4"}},
		{"dpkg_arch_qualified", "dpkg", "libc6:amd64\tlibc6\tinstall ok installed\t2.36-9+deb12u4\n", "libc6:amd64", []string{"2.36-9+deb12u4"}},
		{"dpkg_hold", "dpkg", "nginx\tnginx\thold ok installed\t1.22.1-9\n", "nginx", []string{"1.22.1-9"}},
		{"rpm", "rpm", "httpd\thttpd\tinstalled\t2.4.57-5.el9\npackage nope is not installed\n", "httpd", []string{"2.4.57-5.el9"}},
		{"rpm_missing", "rpm", "package nope is not installed\n", "nope", nil},
		{"rpm_epoch", "rpm", "openssh\topenssh\tinstalled\t1:8.7p1-34.el9\n", "openssh", []string{"1:8.7p1-34.el9"}},
		{"rpm_two_kernels", "rpm", "kernel\tkernel\tinstalled\t5.14.0-362.el9\nkernel\tkernel\tinstalled\t5.14.0-70.el9\n", "kernel", []string{"5.14.0-362.el9", "5.14.0-70.el9"}},
		{"apk", "apk", "musl-1.2.4-r2\nbusybox-1.36.1-r5\nbusybox-binsh-1.36.1-r5\n", "busybox", []string{"1.36.1-r5"}},
		{"apk_prefix_is_not_a_match", "apk", "busybox-binsh-1.36.1-r5\n", "busybox", nil},
		{"pacman", "pacman", "bash 5.2.015-1\nlinux 6.4.2.arch1-1\n", "linux", []string{"6.4.2.arch1-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := map[key][]byte{{"p.mgr", "-"}: []byte(tt.mgr), {"p.db", "-"}: []byte(tt.db)}
			p := parsePackages([]string{tt.pkg}, recs)[tt.pkg]
			if strings.Join(p.Versions, ",") != strings.Join(tt.want, ",") || p.Installed != (len(tt.want) > 0) || p.Manager != tt.mgr {
				t.Errorf("got %+v, want versions %v", p, tt.want)
			}
		})
	}
	p := parsePackages([]string{"x"}, map[key][]byte{{"p.mgr", "-"}: []byte("none")})["x"]
	if p.Err == "" {
		t.Error("no package manager must be an error")
	}
}

func TestParseServices(t *testing.T) {
	show := "Id=nginx.service\nLoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\n\n" +
		"Id=nope.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nUnitFileState=\n\n" +
		"Id=systemd-journald.service\nLoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=static\n\n" +
		"Id=cron.service\nLoadState=loaded\nActiveState=failed\nSubState=failed\nUnitFileState=disabled\n"
	recs := map[key][]byte{{"s.init", "-"}: []byte("systemd"), {"s.systemd", "-"}: []byte(show)}
	got := parseServices([]string{"nginx", "nope", "systemd-journald", "cron"}, recs)
	want := []ServiceFacts{
		{Init: "systemd", Exists: true, Enabled: true, Running: true, State: "active (running), enabled"},
		{Init: "systemd", State: "no such unit"},
		{Init: "systemd", Exists: true, Enabled: true, Running: true, State: "active (running), static"},
		{Init: "systemd", Exists: true, State: "failed (failed), disabled"},
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("service %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	short := parseServices([]string{"a", "b"}, map[key][]byte{{"s.init", "-"}: []byte("systemd"), {"s.systemd", "-"}: []byte("Id=a.service\nLoadState=loaded\n"), {"s.err", "-"}: []byte("Failed to connect to bus\n")})
	if short[0].Err != "systemctl show failed: Failed to connect to bus" {
		t.Errorf("a short answer must be an error: %+v", short[0])
	}
	openrc := map[key][]byte{{"s.init", "-"}: []byte("openrc"), {"s.runlevels", "-"}: []byte("            sshd | default\n           crond |\n"),
		{"s.status", "0"}: []byte("0"), {"s.status", "1"}: []byte("3"), {"s.missing", "2"}: nil}
	o := parseServices([]string{"sshd", "crond", "nginx"}, openrc)
	if !o[0].Enabled || !o[0].Running || o[1].Enabled || o[1].Running || o[2].Exists {
		t.Errorf("openrc: %+v", o)
	}
	sysv := map[key][]byte{{"s.init", "-"}: []byte("sysv"), {"s.status", "0"}: []byte("0"), {"s.links", "0"}: []byte("/etc/rc2.d/S01ssh\n")}
	if s := parseServices([]string{"ssh"}, sysv)[0]; !s.Enabled || !s.Running {
		t.Errorf("sysv: %+v", s)
	}
}

func TestParseUsersAndGroups(t *testing.T) {
	recs := map[key][]byte{
		{"u.passwd", "-"}: []byte("root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"),
		{"u.groups", "0"}: []byte("root\n"),
		{"u.groups", "1"}: []byte("www-data adm\n"),
		{"u.group", "-"}:  []byte("adm:x:4:syslog\n"),
	}
	users := parseUsers([]string{"root", "www-data", "nobody"}, recs)
	if u := users[1]; !u.Exists || u.UID != 33 || u.Home != "/var/www" || strings.Join(u.Groups, " ") != "www-data adm" {
		t.Errorf("www-data: %+v", u)
	}
	if users[2].Exists {
		t.Errorf("nobody: %+v", users[2])
	}
	groups := parseGroups([]string{"adm", "docker"}, recs)
	if !groups["adm"].Exists || groups["adm"].GID != 4 || groups["docker"].Exists {
		t.Errorf("groups: %+v", groups)
	}
}

func TestRenderQuotesEveryValue(t *testing.T) {
	p := NewPlan()
	p.File("/tmp/it's $(reboot) `halt`", true)
	p.Package("-rf")
	p.Command(Command{Run: "echo 'hi'", Timeout: 1500 * time.Millisecond})
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`fe 0 '/tmp/it'\''s $(reboot) ` + "`halt`'",
		`pk '-rf'`,
		`cb 1048576 0 0 2 'echo '\''hi'\'''`,
		"start 62; main; exit 0",
	} {
		if !strings.Contains(string(script), want) {
			t.Errorf("script lacks %s", want)
		}
	}
	p.Group("a\x00b")
	if _, err := Render(p); err == nil || !strings.Contains(err.Error(), "NUL byte") {
		t.Errorf("a NUL byte must be refused, got %v", err)
	}
}

func TestRenderGolden(t *testing.T) {
	p := NewPlan()
	p.File("/etc/nginx/nginx.conf", true)
	p.File("/etc/ssh/sshd_config", false)
	p.Package("nginx")
	p.Package("openssh-server")
	p.Service("nginx")
	p.Service("cron.service")
	p.Ports()
	p.User("www-data", true)
	p.Group("adm")
	p.Command(Command{Run: "nginx -t", Timeout: 30 * time.Second})
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "render.golden.sh")
	if *update {
		os.WriteFile(golden, script, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(script) != string(want) {
		t.Errorf("Render changed; review with go test -update and git diff %s", golden)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(out(blobRec("f.stat", "0", "81a4 0 0 12 root root\n"), lineRec("f.ok", "0", "")))
	f.Add(out(lineRec("c.status", "0", "x"), blobRec("c.stdout", "0", "\x00\xff")))
	f.Add([]byte(header + "\nB f.stat 0 5\nab"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, output []byte) {
		p := NewPlan()
		p.File("/a", true)
		p.File("/b", false)
		p.Package("x")
		p.Service("s")
		p.Ports()
		p.User("u", true)
		p.Group("g")
		p.Command(Command{Run: "true", Timeout: time.Second})
		facts, err := Parse(p, output)
		if err == nil && facts == nil {
			t.Fatal("no facts and no error")
		}
	})
}
