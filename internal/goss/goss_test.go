package goss

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/gossfile"
	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// load writes a gossfile named web.yaml and loads it as the provisioner does.
func load(t *testing.T, text string) []gossfile.Resource {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "web.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := gossfile.Load(gossfile.Options{Files: []string{"web.yaml"}, Dir: dir, Env: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	return s.Resources
}

// TestChecksInGossOrder: every attribute goss tests becomes one check, named TYPE KEY ATTRIBUTE
// with the attribute as written, in the order goss's resource/*.go Validate tests them (not the
// order written); attributes goss does not test (null, an empty list of lines, the options of
// a request) make no check.
func TestChecksInGossOrder(t *testing.T) {
	resources := load(t, `file:
  /etc/motd:
    sha512: {have-len: 128}
    md5: {have-len: 32}
    size: 1
    contents: [a]
    contains: [b]
    filetype: file
    linked-to: /x
    gid: 0
    group: root
    uid: 0
    owner: root
    mode: "0644"
    exists: true
    sha256: {have-len: 64}
  /etc/issue:
    exists: true
    contents: []
    mode: ~
package:
  nginx: {versions: ["1"], installed: true}
service:
  ssh: {runlevels: [], running: true, enabled: true}
port:
  "22": {ip: [], listening: true}
user:
  www: {shell: /bin/sh, groups: [], home: /, gid: 1, uid: 1, exists: true}
group:
  www: {gid: 1, exists: true}
command:
  true: {stderr: "", stdout: [x], exit-status: 0, timeout: 2000}
dns:
  localhost: {addrs: [], resolvable: true, timeout: 1000}
process:
  sshd: {running: true}
kernel-param:
  net.ipv4.ip_forward: {value: "1"}
mount:
  /: {usage: 1, filesystem: ext4, source: /dev/vda1, vfs-opts: [], opts: [], exists: true, timeout: 1000}
interface:
  lo: {mtu: 1, addrs: [], exists: true}
http:
  http://localhost/: {body: [], headers: [x], status: 200, method: HEAD, allow-insecure: true, no-follow-redirects: true, timeout: 1000}
addr:
  tcp://localhost:22: {reachable: true, timeout: 1000}
matching:
  m: {content: 1, matches: 1}
`)
	checks, errs, _ := Checks(resources)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, c := range checks {
		got = append(got, c.Subject())
	}
	want := []string{
		"file /etc/motd exists", "file /etc/motd mode", "file /etc/motd owner", "file /etc/motd uid",
		"file /etc/motd group", "file /etc/motd gid", "file /etc/motd linked-to", "file /etc/motd filetype",
		"file /etc/motd contains", "file /etc/motd contents", "file /etc/motd size", "file /etc/motd md5",
		"file /etc/motd sha256", "file /etc/motd sha512",
		"file /etc/issue exists",
		"package nginx installed", "package nginx versions",
		"service ssh enabled", "service ssh running", "service ssh runlevels",
		"port 22 listening", "port 22 ip",
		"user www exists", "user www uid", "user www gid", "user www home", "user www groups", "user www shell",
		"group www exists", "group www gid",
		"command true exit-status", "command true stdout", "command true stderr",
		"dns localhost resolvable", "dns localhost addrs",
		"process sshd running",
		"kernel-param net.ipv4.ip_forward value",
		"mount / exists", "mount / opts", "mount / vfs-opts", "mount / source", "mount / filesystem", "mount / usage",
		"interface lo exists", "interface lo addrs", "interface lo mtu",
		"http http://localhost/ status", "http http://localhost/ headers",
		"addr tcp://localhost:22 reachable",
		"matching m matches",
	}
	// gossfile gives resources in the order of the file; the types in goss's order of GossConfig
	order := map[string]int{}
	for i, s := range want {
		order[s] = i
	}
	for i := 1; i < len(got); i++ {
		a, b := got[i-1], got[i]
		if strings.Fields(a)[0] == strings.Fields(b)[0] && strings.Fields(a)[1] == strings.Fields(b)[1] && order[a] > order[b] {
			t.Errorf("%q comes before %q: goss tests them the other way round", a, b)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d checks, want %d:\n got %q\nwant %q", len(got), len(want), got, want)
	}
	for _, w := range want {
		if _, ok := indexOf(got, w); !ok {
			t.Errorf("no check %q", w)
		}
	}
}

func indexOf(list []string, s string) (int, bool) {
	for i, x := range list {
		if x == s {
			return i, true
		}
	}
	return 0, false
}

// TestRefusedAtValidate: what goss would fail at run time without looking, crash on, or what
// the probe cannot do, is an error naming the gossfile, the line, the resource and the attribute.
func TestRefusedAtValidate(t *testing.T) {
	for _, tc := range []struct {
		name, gossfile, want string
	}{
		{"file without exists (goss: Missing required attribute)", "file:\n  /etc/motd:\n    mode: \"0644\"\n",
			`web.yaml:2: file "/etc/motd": exists: is missing: goss v0.4.9 requires it`},
		{"a relative path (goss: from its working folder)", "file:\n  etc/motd:\n    exists: true\n",
			`web.yaml:2: file "etc/motd": "etc/motd" is relative`},
		{"a ~ path (goss: its user's home)", "file:\n  motd:\n    path: ~/motd\n    exists: true\n",
			`web.yaml:2: file "motd": path: "~/motd" starts with ~`},
		{"command without exit-status", "command:\n  true:\n    stdout: [x]\n", `command "true": exit-status: is missing`},
		{"a negative timeout", "command:\n  true:\n    exit-status: 0\n    timeout: -1\n", `command "true": timeout: -1 is negative`},
		{"uid that is no number (goss crashes)", "user:\n  root:\n    exists: true\n    uid: abc\n", `user "root": uid: "abc" is not an integer: goss v0.4.9 crashes on it`},
		{"http request headers", "http:\n  http://x/:\n    status: 200\n    request-headers: [\"A: b\"]\n", `http "http://x/": request-headers: is not supported`},
		{"http credentials", "http:\n  http://x/:\n    status: 200\n    username: u\n", `http "http://x/": username: is not supported`},
		{"http proxy", "http:\n  http://x/:\n    status: 200\n    proxy: http://p/\n", `proxy: is not supported`},
		{"not an http URL", "http:\n  ftp://x/:\n    status: 200\n", `http "ftp://x/": "ftp://x/" is not an http or https URL`},
		{"not a method", "http:\n  http://x/:\n    status: 200\n    method: \"GE T\"\n", `method: "GE T" is not an HTTP method`},
		{"dns server", "dns:\n  localhost:\n    resolvable: true\n    server: 8.8.8.8\n", `dns "localhost": server: is not supported`},
		{"udp addr (goss sees nothing)", "addr:\n  udp://127.0.0.1:53:\n    reachable: true\n", `a UDP addr is not supported`},
		{"local-address", "addr:\n  127.0.0.1:22:\n    reachable: true\n    local-address: 127.0.0.2\n", `local-address: is not supported`},
		{"addr without a port", "addr:\n  localhost:\n    reachable: true\n", `"localhost" is not HOST:PORT`},
		{"addr with a named port", "addr:\n  localhost:ssh:\n    reachable: true\n", `the port "ssh" is not a number`},
		{"kernel parameter with an empty part", "kernel-param:\n  net..x:\n    value: \"1\"\n", `"net..x" is not a kernel parameter's name`},
		{"matching without matches", "matching:\n  m:\n    content: 1\n", `matching "m": matches: is missing`},
		{"as-reader without matches", "matching:\n  m:\n    content: 1\n    as-reader: true\n", `matching "m": matches: is missing`},
		{"a matcher goss cannot parse", "file:\n  /etc/motd:\n    exists: true\n    mode: {have-len: x}\n", `file "/etc/motd": mode: have-len`},
		{"a line pattern goss crashes on", "command:\n  true:\n    exit-status: 0\n    stdout: [\"/\"]\n", `command "true": stdout: [0]: the line pattern "/" makes goss crash`},
		{"a NUL in a name", "package:\n  \"a\\0b\":\n    installed: true\n", `holds a NUL byte or a newline`},
		{"an empty name", "group:\n  \"\":\n    exists: true\n", `the group name is empty`},
		{"a package glob (goss: a dpkg-query pattern)", "package:\n  libc6-dev*:\n    installed: true\n", `"libc6-dev*": a package name with a glob pattern is not supported`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checks, errs, _ := Checks(load(t, tc.gossfile))
			var msgs []string
			for _, e := range errs {
				msgs = append(msgs, e.Error())
			}
			if !strings.Contains(strings.Join(msgs, "\n"), tc.want) {
				t.Errorf("errors %q, want one with %q", msgs, tc.want)
			}
			for _, c := range checks {
				if c.Resource.ID == strings.Fields(strings.SplitN(tc.gossfile, "\n", 3)[1])[0] {
					t.Errorf("a resource with a problem still has the check %s", c.Subject())
				}
			}
		})
	}
}

// TestWarnings: what goss does that the user likely does not mean, or what is done differently
// from goss, is a warning: a deprecated string number, a time limit rounded up (given, or goss's
// default for dns and addr; never a command's, which is judged to the hundredth), a query type
// ignored, the deprecated contains, a problem of a skipped resource (goss never looks at it).
func TestWarnings(t *testing.T) {
	checks, errs, warnings := Checks(load(t, `user:
  root:
    exists: true
    uid: "0"
command:
  true:
    exit-status: 0
    timeout: 1500
dns:
  A:localhost:
    resolvable: true
  localhost:
    resolveable: true
addr:
  tcp://127.0.0.1:22:
    reachable: true
    timeout: 700
file:
  /etc/motd:
    exists: true
    contains: [x]
  /etc/skipped:
    skip: true
    mode: "0644"
`))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	all := strings.Join(warnings, "\n")
	if strings.Contains(all, `command "true": timeout`) {
		t.Errorf("a command's limit is judged on the time measured, in hundredths of a second, yet warned of: %q", warnings)
	}
	for _, want := range []string{
		`user "root": uid: "0" should be an integer, not a string (goss reads it as 0`,
		`dns "A:localhost": timeout: goss's default time limit of 500 ms is rounded up to 1 s`,
		`addr "tcp://127.0.0.1:22": timeout: 700 ms is rounded up to 1 s`,
		`dns "A:localhost": the query type A is ignored without a server`,
		`dns "localhost": resolveable: is goss's old spelling of resolvable`,
		`file "/etc/motd": contains: is deprecated in goss`,
		`file "/etc/skipped": exists: is missing`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings %q, want one with %q", warnings, want)
		}
	}
	// the uid is then compared as the number goss makes of it
	for _, c := range checks {
		if c.Subject() == "user root uid" {
			if ok, err := c.value.Match(0); !ok || err != nil {
				t.Errorf("uid \"0\" does not match 0: %v", err)
			}
		}
		if c.Resource.ID == "localhost" && c.Attr != "resolvable" {
			t.Errorf("the old spelling makes the check %s, want resolvable as goss reports it", c.Subject())
		}
		if c.Resource.ID == "/etc/skipped" && !c.Skip() {
			t.Errorf("%s is not skipped", c.Subject())
		}
	}
}

// TestTitleMetaSkip: a check's title is the resource's; meta is one line of JSON with its keys
// sorted, whatever YAML made of them; skip is the resource's.
func TestTitleMetaSkip(t *testing.T) {
	checks, errs, _ := Checks(load(t, `file:
  /etc/motd:
    exists: true
    title: the message of the day
    skip: true
    meta:
      zeta: 1
      alpha: {b: [x, 2], a: "<&>"}
      1: one
      when: 2024-01-02
`))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	c := checks[0]
	if c.Title() != "the message of the day" || !c.Skip() {
		t.Errorf("title %q, skip %v", c.Title(), c.Skip())
	}
	want := `meta: {"1":"one","alpha":{"a":"<&>","b":["x",2]},"when":"2024-01-02T00:00:00Z","zeta":1}`
	if got := c.Meta(); got != want {
		t.Errorf("meta\n got %s\nwant %s", got, want)
	}
	plain, _, _ := Checks(load(t, "file:\n  /etc/motd:\n    exists: true\n"))
	if m := plain[0].Meta(); m != "" || plain[0].Title() != "" || plain[0].Skip() {
		t.Errorf("no meta, title or skip, yet %q %q %v", m, plain[0].Title(), plain[0].Skip())
	}
}

// check1 makes the check of one attribute with a fixed measurement, for judge tests.
func check1(t *testing.T, gossfileText, subject string) *Check {
	t.Helper()
	checks, errs, _ := Checks(load(t, gossfileText))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, c := range checks {
		if c.Subject() == subject {
			return c
		}
	}
	t.Fatalf("no check %s", subject)
	return nil
}

// TestJudge: a measured value is judged by the matcher; an error, goss's own or the probe's, is
// an error, whatever the matcher; a value that may not be the image's is trusted only to fail; a
// value that may be secret is never shown.
func TestJudge(t *testing.T) {
	c := check1(t, "kernel-param:\n  kernel.x:\n    value: {not: \"s3cret\"}\n", "kernel-param kernel.x value")
	for _, tc := range []struct {
		name   string
		m      measured
		status Status
		shows  string // in the problem
		hides  string // never in the problem or Found
	}{
		{"match", measured{value: "other"}, Pass, "", ""},
		{"no match", measured{value: "s3cret"}, Fail, `found "s3cret"`, ""},
		{"an error, whatever the matcher", measured{err: "permission denied"}, Error, "permission denied", ""},
		{"a doubtful value that would pass", measured{value: "x", doubt: "not all seen"}, Error, "not all seen", ""},
		{"a doubtful value that fails", measured{value: "s3cret", doubt: "not all seen"}, Fail, "", ""},
		{"a value goss never gives", measured{value: int64(1)}, Error, "goss never gives", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := c.judge(tc.m)
			if v.Status != tc.status || !strings.Contains(v.Problem, tc.shows) {
				t.Errorf("got %s %q, want %s with %q", v.Status, v.Problem, tc.status, tc.shows)
			}
			if tc.hides != "" && (strings.Contains(v.Problem, tc.hides) || strings.Contains(strings.Join(v.Found, " "), tc.hides)) {
				t.Errorf("%q shows %q", v.Problem+" "+strings.Join(v.Found, " "), tc.hides)
			}
		})
	}
	// a value that may be secret is described, never shown
	public := check1(t, "kernel-param:\n  kernel.x:\n    value: public\n", "kernel-param kernel.x value")
	if v := public.judge(measured{value: "hunter2", hide: true}); v.Status != Fail || strings.Contains(v.Problem+strings.Join(v.Found, ""), "hunter2") ||
		!strings.Contains(v.Problem, "a string of 7 bytes") {
		t.Errorf("a hidden value: %s %q %q", v.Status, v.Problem, v.Found)
	}
	// a text is judged whole or by lines, and never shown
	text := check1(t, "command:\n  x:\n    exit-status: 0\n    stdout: [\"!password\"]\n", "command x stdout")
	v := text.judge(measured{text: []byte("user\npassword=hunter2\n")})
	if v.Status != Fail || strings.Contains(v.Problem+strings.Join(v.Found, ""), "hunter2") || !strings.Contains(v.Problem, "line 2") {
		t.Errorf("got %s %q %q", v.Status, v.Problem, v.Found)
	}
}

// TestAfterTheFirstAttribute follows goss's shouldSkip: the attributes after the first are
// judged when it passed with true, skipped when it passed with false (exists: false of a file
// that is not there), and errors, not skipped, when it did not pass: a retry that makes the first
// pass must then check them too.
func TestAfterTheFirstAttribute(t *testing.T) {
	for _, tc := range []struct {
		name  string
		first measured
		want  Status
	}{
		{"first passed with true", measured{value: true}, Pass},
		{"first passed with false", measured{value: false}, Skip},
		{"first failed", measured{value: "no"}, Error},
		{"first an error", measured{err: "permission denied"}, Error},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exists := tc.first.value
			if exists == nil || exists == "no" {
				exists = true
			}
			text := "file:\n  /x:\n    exists: " + map[any]string{true: "true", false: "false"}[exists] + "\n    mode: \"0644\"\n"
			checks, errs, _ := Checks(load(t, text))
			if len(errs) > 0 || len(checks) != 2 {
				t.Fatal(errs, checks)
			}
			checks[0].measure = fixed(tc.first)
			checks[1].first = checks[0]
			checks[1].measure = fixed(measured{value: "0644"})
			if v := checks[1].Gather(probe.NewPlan())(nil); v.Status != tc.want {
				t.Errorf("got %s (%s), want %s", v.Status, v.Problem, tc.want)
			}
		})
	}
}

// TestCommandRunsOnce: the attributes of a command resource share one run of the command, as in
// goss; another plan (a retry) runs it again.
func TestCommandRunsOnce(t *testing.T) {
	checks, errs, _ := Checks(load(t, "command:\n  echo assert-once-marker:\n    exit-status: 0\n    stdout: [x]\n    stderr: [y]\n"))
	if len(errs) > 0 || len(checks) != 3 {
		t.Fatal(errs, len(checks))
	}
	for round := 0; round < 2; round++ {
		p := probe.NewPlan()
		for _, c := range checks {
			c.Gather(p)
		}
		script, err := probe.Render(p)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(script), "echo assert-once-marker"); n != 1 {
			t.Errorf("round %d: the command is in the probe %d times, want once", round, n)
		}
	}
}

// TestFileConversions: what goss measures of a path, from the probe's facts: lstat's metadata
// (a symlink's own), goss's words for types of file, readlink of what is no symlink, the content
// and digests of what the path resolves to, and goss's failures where os.Open cannot read it.
func TestFileConversions(t *testing.T) {
	f := filePath("/srv/x")
	there := probe.FileFacts{Exists: true, Type: "file", Resolved: "file", Mode: 0o644, ContentRead: true, Content: []byte("a\n")}
	described := probe.GossFileFacts{Described: true, Type: "symlink", Mode: 0o777, UID: 7, Owner: "web", Group: "", GID: 9, Size: 5}
	for _, tc := range []struct {
		name string
		got  measured
		want measured
	}{
		{"mode of the path itself", f.lstat(there, described, fileMode), valueOf("0777")},
		{"owner by name", f.lstat(there, described, fileOwner), valueOf("web")},
		{"a gid without a name", f.lstat(there, described, fileGroup), measured{err: "no group has the gid 9, so the group has no name (goss: no matching entries in group file)"}},
		{"metadata of a path that is not there", f.lstat(probe.FileFacts{}, probe.GossFileFacts{}, fileMode), measured{err: "lstat /srv/x: no such file or directory"}},
		{"metadata the probe could not see", f.lstat(probe.FileFacts{Err: "permission denied"}, described, fileMode), measured{err: "permission denied"}},
		{"a path stat did not describe", f.lstat(there, probe.GossFileFacts{}, fileMode), measured{err: "stat(1) did not describe the path, which is there"}},
		{"readlink of a regular file", f.linkedTo(there), measured{err: "readlink /srv/x: invalid argument (it is a regular file, not a symlink)"}},
		{"readlink of a symlink", f.linkedTo(probe.FileFacts{Exists: true, Type: "symlink", LinkTarget: "../y"}), valueOf("../y")},
		{"contents", f.contents(there), textOf([]byte("a\n"))},
		{"contents of a directory (goss: read fails)", f.contents(probe.FileFacts{Exists: true, Type: "directory", Resolved: "directory"}), measured{err: "read /srv/x: is a directory"}},
		{"contents of a dangling symlink", f.contents(probe.FileFacts{Exists: true, Dangling: true, Type: "symlink", LinkTarget: "/nowhere"}),
			measured{err: `open /srv/x: no such file or directory (a symlink to "/nowhere", which does not exist)`}},
		{"contents of a fifo (goss would block)", f.contents(probe.FileFacts{Exists: true, Type: "fifo", Resolved: "fifo"}),
			measured{err: "the path is a fifo, which the probe does not read (goss would block on it, or read it for ever)"}},
		{"contents cut short", f.contents(probe.FileFacts{Exists: true, Type: "file", Resolved: "file", ContentRead: true, ContentTruncated: true}),
			measured{err: "the file holds more than the 1048576 bytes the probe reads, and goss matches the whole of it"}},
		{"contents not readable", f.contents(probe.FileFacts{Exists: true, Type: "file", Resolved: "file", ContentErr: "permission denied"}), measured{err: "permission denied"}},
		{"a digest", f.digest(there, "abc", ""), valueOf("abc")},
		{"a digest of a file not everyone may read", f.digest(probe.FileFacts{Exists: true, Type: "file", Resolved: "file", Mode: 0o640}, "abc", ""), measured{value: "abc", hide: true}},
		{"a digest that could not be computed", f.digest(there, "", "md5sum could not read this file"), measured{err: "md5sum could not read this file"}},
		{"no digest and no reason", f.digest(there, "", ""), measured{err: "the probe did not compute the digest"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("got %+v, want %+v", tc.got, tc.want)
			}
		})
	}
	for probeType, goss := range map[string]string{"file": "file", "directory": "directory", "symlink": "symlink", "socket": "socket",
		"fifo": "pipe", "block_device": "block-device", "character_device": "character-device", "unknown": "file"} {
		if got := gossFiletype(probeType); got != goss {
			t.Errorf("filetype of %s: %q, want goss's %q", probeType, got, goss)
		}
	}
}

// TestPortConversions follows GOnetstat: each table under its own name (an IPv6 socket that also
// takes IPv4 is only in tcp6), addresses as net.IP writes them, in upper case, an IPv4-mapped one
// dotted.
func TestPortConversions(t *testing.T) {
	sock := func(proto, addr string, port int) probe.Socket {
		return probe.Socket{Protocol: proto, Addr: netip.MustParseAddr(addr), Port: port}
	}
	pf := probe.PortFacts{Sockets: []probe.Socket{
		sock("tcp", "0.0.0.0", 22), sock("tcp", "127.0.0.1", 22), sock("tcp", "::", 22),
		sock("tcp", "::ffff:127.0.0.1", 80), sock("tcp", "fe80::1", 80), sock("udp", "0.0.0.0", 53),
	}}
	for _, tc := range []struct {
		key       string
		listening bool
		ips       []string
	}{
		{"tcp:22", true, []string{"0.0.0.0", "127.0.0.1"}},
		{"tcp6:22", true, []string{"::"}},
		{"tcp:80", false, nil},
		{"tcp6:80", true, []string{"127.0.0.1", "FE80::1"}},
		{"udp:53", true, []string{"0.0.0.0"}},
		{"udp6:53", false, nil},
		{"sctp:22", false, nil},
		{"tcp:022", false, nil},
	} {
		k := portSpec(tc.key)
		if got := k.listening(pf); got.value != tc.listening {
			t.Errorf("%s listening: %v, want %v", tc.key, got.value, tc.listening)
		}
		if got := k.ip(pf); !reflect.DeepEqual(got.value, tc.ips) {
			t.Errorf("%s ip: %#v, want %#v", tc.key, got.value, tc.ips)
		}
	}
	if got := portSpec("tcp:22").listening(probe.PortFacts{Err: "no /proc"}); got.err != "no /proc" {
		t.Errorf("unreadable tables: %+v", got)
	}
}

// TestOtherConversions: the values goss measures of packages, services, users, commands,
// processes, kernel parameters, mounts, interfaces, HTTP responses, connections and names.
func TestOtherConversions(t *testing.T) {
	addrs := func(s ...string) []netip.Addr {
		var a []netip.Addr
		for _, x := range s {
			a = append(a, netip.MustParseAddr(x))
		}
		return a
	}
	ifAddr := func(a string, bits int) probe.InterfaceAddress {
		return probe.InterfaceAddress{Addr: netip.MustParseAddr(a), Bits: bits}
	}
	cmd := commandRun{limit: 10 * time.Second}
	exit := func(r probe.CommandResult) measured { return valueOf(r.ExitStatus) }
	for _, tc := range []struct {
		name string
		got  measured
		want measured
	}{
		{"versions of an installed package", pkgVersions(probe.PackageFacts{Installed: true, Versions: []string{"1.2-3"}}), valueOf([]string{"1.2-3"})},
		{"versions of a package that is not installed", pkgVersions(probe.PackageFacts{}), measured{err: "Package version not found: it is not installed"}},
		{"a package database that cannot be read", pkgInstalled(probe.PackageFacts{Err: "broken"}), measured{err: "broken"}},
		{"dpkg: install reinstreq installed is not installed to goss", pkgInstalled(probe.PackageFacts{Manager: "dpkg", Installed: true, Versions: []string{"1"},
			Dpkg: []probe.DpkgEntry{{Status: "install reinstreq installed", Version: "1"}}}), valueOf(false)},
		{"dpkg: triggers-pending is not installed to goss", pkgInstalled(probe.PackageFacts{Manager: "dpkg", Installed: true, Versions: []string{"2"},
			Dpkg: []probe.DpkgEntry{{Status: "install ok triggers-pending", Version: "2"}}}), valueOf(false)},
		{"dpkg: no version of a package goss does not count", pkgVersions(probe.PackageFacts{Manager: "dpkg", Installed: true, Versions: []string{"2"},
			Dpkg: []probe.DpkgEntry{{Status: "install ok triggers-pending", Version: "2"}}}), measured{err: "Package version not found: it is not installed"}},
		{"dpkg: hold ok installed is installed", pkgInstalled(probe.PackageFacts{Manager: "dpkg", Installed: true, Versions: []string{"3"},
			Dpkg: []probe.DpkgEntry{{Status: "hold ok installed", Version: "3"}}}), valueOf(true)},
		{"dpkg: only the versions goss counts", pkgVersions(probe.PackageFacts{Manager: "dpkg", Installed: true, Versions: []string{"1", "2"},
			Dpkg: []probe.DpkgEntry{{Status: "install ok installed", Version: "1"}, {Status: "install ok triggers-awaited", Version: "2"}}}), valueOf([]string{"1"})},
		{"a service that does not exist is not enabled", svcEnabled(probe.ServiceFacts{}), valueOf(false)},
		{"running where systemd does not run", svcRunning(probe.ServiceFacts{Exists: true, RunningErr: "offline"}), measured{err: "offline"}},
		{"runlevels under systemd (goss: nil)", svcRunlevels(probe.ServiceFacts{Init: "systemd"}), valueOf([]string(nil))},
		{"runlevels under OpenRC", svcRunlevels(probe.ServiceFacts{Init: "openrc"}), measured{err: "the image's init system is openrc, where the probe does not list a service's runlevels (goss would list the S links of /etc/rc*.d, or OpenRC's runlevels)"}},
		{"a user's groups, sorted", userName("u").known(func(f probe.UserFacts) measured { return valueOf(sortedStrings(f.Groups)) })(probe.UserFacts{Exists: true, Groups: []string{"u", "adm", "sudo"}}), valueOf([]string{"adm", "sudo", "u"})},
		{"uid of an unknown user (goss: user.Lookup fails)", userName("u").known(exit2user)(probe.UserFacts{}), measured{err: "user: unknown user u"}},
		{"a command that timed out", cmd.result(exit)(probe.CommandResult{TimedOut: true, ExitStatus: 143, Elapsed: 10500 * time.Millisecond}),
			measured{err: "Command execution timed out (10s): it ran 10.5s (measured in the image)", notes: []string{"stdout: (empty)", "stderr: (empty)"}}},
		{"a command that timed out, how long it ran not known", cmd.result(exit)(probe.CommandResult{TimedOut: true, ExitStatus: 143, Elapsed: -1}),
			measured{err: "Command execution timed out (10s): it ran until it was stopped", notes: []string{"stdout: (empty)", "stderr: (empty)"}}},
		{"a command whose child held on past the limit", cmd.result(exit)(probe.CommandResult{TimedOut: true, Lingered: true, Elapsed: 10 * time.Second}),
			measured{err: "Command execution timed out (10s): the command had ended, but it left processes running in its process group past the limit (goss waits for the end of the command's output, which they may hold open)", notes: []string{"stdout: (empty)", "stderr: (empty)"}}},
		{"a command whose child ended in time", cmd.result(exit)(probe.CommandResult{Lingered: true, Elapsed: 3 * time.Second}),
			measured{value: 0, notes: []string{"exit status 0", "stdout: (empty)", "stderr: (empty)"}}},
		{"a command whose time the image could not measure", cmd.result(exit)(probe.CommandResult{Elapsed: -1}),
			measured{err: "the image could not tell how long the command ran (/proc/uptime could not be read), so whether it kept its time limit, as goss requires, is not known", notes: []string{"stdout: (empty)", "stderr: (empty)"}}},
		{"a command with no process group of its own", cmd.result(exit)(probe.CommandResult{LingerUnknown: true}),
			measured{err: "the command could not run in a process group of its own (the image has no setsid), so whether it left processes holding its output open, which goss would wait for, is not known", notes: []string{"stdout: (empty)", "stderr: (empty)"}}},
		{"a command's exit status, with its output for the report", cmd.result(exit)(probe.CommandResult{ExitStatus: 3, Stdout: []byte("out\n")}),
			measured{value: 3, notes: []string{"exit status 3", "stdout:", "  out", "stderr: (empty)"}}},
		{"output not shown where a matcher forbids text", commandRun{quiet: true}.result(exit)(probe.CommandResult{ExitStatus: 0, Stdout: []byte("secret\n")}),
			measured{value: 0, notes: []string{"exit status 0", "stdout and stderr are not shown: a matcher forbids some text in them, which may be a secret"}}},
		{"stdout cut short", output("stdout", []byte("x"), true), measured{err: "the command printed more than the 1048576 bytes the probe keeps of its stdout, and goss matches the whole of it"}},
		{"a process", processRunning(probe.ProcessFacts{Processes: []probe.Process{{PID: 1}}}), valueOf(true)},
		{"no process, where some were not seen", processRunning(probe.ProcessFacts{Unseen: "hidepid"}), measured{value: false, doubt: "no process of that name was seen, but some processes could not be: hidepid"}},
		{"a kernel parameter, trimmed", kernelValue(probe.KernelParamFacts{Exists: true, ValueRead: true, Value: "4096\t16384\t4194304\n"}), valueOf("4096\t16384\t4194304")},
		{"a secret kernel parameter", kernelValue(probe.KernelParamFacts{Exists: true, ValueRead: true, Value: "k\n", Private: true}), measured{value: "k", hide: true}},
		{"a missing kernel parameter (goss: could not find the given key)", kernelValue(probe.KernelParamFacts{Path: "/proc/sys/x"}), measured{err: "could not find the given key (/proc/sys/x is not there)"}},
		{"usage, rounded half away from zero", mountUsage(probe.GossMountFacts{Found: true, Blocks: 1000, Free: 745}), valueOf(26)},
		{"usage of a file system without blocks (goss: 0/0)", mountUsage(probe.GossMountFacts{Found: true}), measured{err: "the file system has no blocks (like proc), so its usage in percent is not a number (goss computes 0/0)"}},
		{"not mounted (goss: Mountpoint not found)", mounted(mountUsage)(probe.GossMountFacts{}), measured{err: "Mountpoint not found"}},
		{"an interface's addresses", ifaceAddrs(probe.InterfaceFacts{Exists: true, Addresses: []probe.InterfaceAddress{ifAddr("10.0.0.5", 24), ifAddr("fe80::1", 64)}}), valueOf([]string{"10.0.0.5/24", "fe80::1/64"})},
		{"addresses ifconfig shows", ifaceAddrs(probe.InterfaceFacts{Exists: true, FourFrom: "ifconfig"}), measured{err: "the image has no ip(8), and its ifconfig shows only some of an interface's IPv4 addresses"}},
		{"an address without its prefix", ifaceAddrs(probe.InterfaceFacts{Exists: true, Addresses: []probe.InterfaceAddress{ifAddr("10.0.0.5", -1)}}), measured{err: "the prefix length of 10.0.0.5 is not known"}},
		{"no interface", ifaceMTU(probe.InterfaceFacts{}), measured{err: "route ip+net: no such network interface"}},
		{"headers as goss writes them", responded(goClient{method: "GET"}.headers)(probe.HTTPFacts{Status: 200, Headers: []probe.HTTPHeader{{Name: "x-test", Value: "1"}, {Name: "content-type", Value: "text/html"}, {Name: "X-TEST", Value: "2"}}}),
			textOf([]byte("Content-Type: text/html\nX-Test: 1\nX-Test: 2"))},
		{"no response", responded(httpBody)(probe.HTTPFacts{Failure: "connection refused"}), measured{err: "no response: connection refused"}},
		{"a body cut short", httpBody(probe.HTTPFacts{BodyTruncated: true}), measured{err: "the body is longer than the 1048576 bytes the probe keeps, and goss matches the whole of it"}},
		{"a refused connection", addrHost("127.0.0.1").reachable(probe.AddrFacts{Failure: "refused", EveryAddress: true}), measured{value: false, notes: []string{"no connection: refused"}}},
		{"a connection the resolver may have kept from being made", addrHost("db").reachable(probe.AddrFacts{Failure: "no address", Unsure: "the resolver failed"}),
			measured{value: false, doubt: "no connection was made (no address), but that does not show the address unreachable: the resolver failed"}},
		{"a name's first address only", addrHost("db").reachable(probe.AddrFacts{Failure: "refused"}),
			measured{value: false, doubt: "no connection was made (refused), but the image's nc tried only the first address of db, which may have others"}},
		{"a name that does not exist", dnsResolvable(probe.DNSFacts{NoSuchName: true}), valueOf(false)},
		{"a name the resolver failed on", dnsResolvable(probe.DNSFacts{Why: "Temporary failure"}), measured{value: false, doubt: "the resolver gave no address, but not because the name does not exist: Temporary failure"}},
		{"addresses, sorted as strings", dnsAddrs(probe.DNSFacts{Resolved: true, Addresses: addrs("::1", "127.0.0.1", "10.0.0.2"), Every: addrs("::1", "127.0.0.1", "10.0.0.2")}), valueOf([]string{"10.0.0.2", "127.0.0.1", "::1"})},
		{"an address given twice is there twice, as goss measures it", dnsAddrs(probe.DNSFacts{Resolved: true, Addresses: addrs("10.1.2.3", "10.1.2.4"), Every: addrs("10.1.2.3", "10.1.2.3", "10.1.2.4")}),
			valueOf([]string{"10.1.2.3", "10.1.2.3", "10.1.2.4"})},
		{"no addresses (goss: an empty list)", dnsAddrs(probe.DNSFacts{NoSuchName: true}), valueOf([]string{})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("got %#v, want %#v", tc.got, tc.want)
			}
		})
	}
	if got := splitMountOptions(`rw,"a,b",c`); !reflect.DeepEqual(got, []string{"rw", `"a,b"`, "c"}) {
		t.Errorf("splitMountOptions: %q", got)
	}
	if got := uniq([]string{"rw", "nosuid", "rw"}); !reflect.DeepEqual(got, []string{"rw", "nosuid"}) {
		t.Errorf("uniq: %q", got)
	}
	for in, want := range map[string]string{"content-type": "Content-Type", "X-TEST": "X-Test", "x_y": "x_y", "www-authenticate": "Www-Authenticate", "a1-b2": "A1-B2"} {
		if got := canonicalHeader(in); got != want {
			t.Errorf("canonicalHeader(%q) = %q, want %q", in, got, want)
		}
	}
}

func exit2user(f probe.UserFacts) measured { return valueOf(f.UID) }

// TestNothingDroppedSilently: an attribute that is null or an empty list, which goss tests
// nothing for, and a resource left with no check, are warned of, naming the attribute; a
// matching's content, which is compared whatever it is, is not.
func TestNothingDroppedSilently(t *testing.T) {
	checks, errs, warnings := Checks(load(t, `service:
  cron: {}
  dbus:
    enabled: null
file:
  /etc/passwd:
    exists: true
    contents: []
    mode: ~
    owner:
  /etc/shadow:
    exists: true
    mode: 0644
command:
  "true":
    exit-status: 0
    stdout: []
    stderr: null
matching:
  m:
    content: []
    matches: []
`))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	all := strings.Join(warnings, "\n")
	for _, want := range []string{
		`service "cron": has no attribute that goss tests, so nothing is checked for it`,
		`service "dbus": enabled: is null`,
		`service "dbus": has no attribute that goss tests`,
		`file "/etc/passwd": contents: is an empty list`,
		`file "/etc/passwd": mode: is null`,
		`file "/etc/passwd": owner: is null`,
		`command "true": stdout: is an empty list`,
		`file "/etc/shadow": mode: 420 is a number (YAML reads an unquoted 0644 as octal)`,
		`command "true": stderr: is null`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings %q, want one with %q", warnings, want)
		}
	}
	if strings.Contains(all, `matching "m": content`) {
		t.Errorf("a matching's content is compared, yet warned of: %q", warnings)
	}
	var subjects []string
	for _, c := range checks {
		subjects = append(subjects, c.Subject())
	}
	if want := "file /etc/passwd exists|file /etc/shadow exists|file /etc/shadow mode|command true exit-status|matching m matches"; strings.Join(subjects, "|") != want {
		t.Errorf("checks %q, want %q", subjects, want)
	}
}

// TestUserGroupsAsGossReadsThem: a user's groups come from /etc/group itself, as goss's
// groupsForUser (system/user_group_unix.go) reads it: the groups of the primary gid, every one
// (two groups sharing a gid are both there), and those that list the user, as often as they
// list it; lines without four fields are skipped; sorted. A primary gid with no group is no
// error, and never makes the user's other attributes errors.
func TestUserGroupsAsGossReadsThem(t *testing.T) {
	group := []byte("root:x:0:\nrvg1:x:5001:rv1,rv1,rv2\nrvg2:x:5002:\r\nrvg2b:x:5002:\nrvg3:x:5003:rv2\nrvg3:x:5004:rv1\nbroken:x:5005\n")
	file := probe.FileFacts{Exists: true, Content: group, ContentRead: true}
	for _, tc := range []struct {
		user string
		gid  int
		want []string
	}{
		{"rv1", 4242, []string{"rvg1", "rvg1", "rvg3"}},
		{"rv2", 5002, []string{"rvg1", "rvg2", "rvg2b", "rvg3"}},
		{"nobody", 5005, []string{}},
	} {
		if got := userName(tc.user).groups(tc.gid, file); !reflect.DeepEqual(got, valueOf(tc.want)) {
			t.Errorf("%s: got %+v, want %v", tc.user, got, tc.want)
		}
	}
	if got := userName("u").groups(1, probe.FileFacts{Exists: true, Err: "permission denied"}); got.err == "" {
		t.Errorf("an unreadable /etc/group: %+v", got)
	}
	if got := userName("u").groups(1, probe.FileFacts{Exists: true, ContentRead: true, ContentTruncated: true}); got.err == "" {
		t.Errorf("/etc/group cut short: %+v", got)
	}
	// the user's entry is asked without its groups (id -Gn), so that nothing about the groups
	// can make exists or gid an error
	checks, errs, _ := Checks(load(t, "user:\n  rv1:\n    exists: true\n    gid: 4242\n    groups: [rvg1]\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	p := probe.NewPlan()
	for _, c := range checks {
		c.Gather(p)
	}
	script, err := probe.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(script), "\n\tug ") || !strings.Contains(string(script), "'/etc/group'") {
		t.Errorf("the goss user's groups are not read from /etc/group alone")
	}
}

// TestHTTPAsGoClient: the response as curl saw it becomes what goss's Go client hands goss:
// Transfer-Encoding goes, a chunked response has no Content-Length, a gzip answer to the gzip
// that curl asked for (as Go asks) is decompressed and loses Content-Encoding and
// Content-Length; not for HEAD, a 204 or 304, an empty body, or a tool that did not ask for gzip.
// Go's rules: net/http transfer.go (fixLength, parseTransferEncoding) and transport.go (the
// addedGzip branch of readLoop), go1.26.
func TestHTTPAsGoClient(t *testing.T) {
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte("hello\n"))
	w.Close()
	hd := func(kv ...string) []probe.HTTPHeader {
		var h []probe.HTTPHeader
		for i := 0; i+1 < len(kv); i += 2 {
			h = append(h, probe.HTTPHeader{Name: kv[i], Value: kv[i+1]})
		}
		return h
	}
	get := goClient{method: "GET"}
	for _, tc := range []struct {
		name          string
		c             goClient
		h             probe.HTTPFacts
		headers, body string
	}{
		{"chunked", get, probe.HTTPFacts{Tool: "curl", Status: 200, Headers: hd("transfer-encoding", "chunked", "content-type", "text/plain"), Body: []byte("hi")},
			"Content-Type: text/plain", "hi"},
		{"gzip", get, probe.HTTPFacts{Tool: "curl", Status: 200, Headers: hd("Content-Encoding", "gzip", "Content-Length", fmt.Sprint(gz.Len()), "Vary", "Accept-Encoding"), Body: gz.Bytes()},
			"Vary: Accept-Encoding", "hello\n"},
		{"gzip, chunked", get, probe.HTTPFacts{Tool: "curl", Status: 200, Headers: hd("Content-Encoding", "GZIP", "Transfer-Encoding", "chunked"), Body: gz.Bytes()},
			"", "hello\n"},
		{"plain, with its length", get, probe.HTTPFacts{Tool: "curl", Status: 200, Headers: hd("Content-Length", "2"), Body: []byte("hi")},
			"Content-Length: 2", "hi"},
		{"gzip said of an empty body", get, probe.HTTPFacts{Tool: "curl", Status: 200, Headers: hd("Content-Encoding", "gzip", "Content-Length", "0")},
			"Content-Encoding: gzip\nContent-Length: 0", ""},
		{"HEAD", goClient{method: "HEAD"}, probe.HTTPFacts{Tool: "curl", Status: 200, Headers: hd("Content-Encoding", "gzip", "Content-Length", "26")},
			"Content-Encoding: gzip\nContent-Length: 26", ""},
		{"wget asked for no gzip", get, probe.HTTPFacts{Tool: "wget", Status: 200, Headers: hd("Content-Encoding", "gzip"), Body: gz.Bytes()},
			"Content-Encoding: gzip", string(gz.Bytes())},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.headers(tc.h); string(got.text) != tc.headers || got.err != "" {
				t.Errorf("headers %q (%s), want %q", got.text, got.err, tc.headers)
			}
			if got := tc.c.body(tc.h); string(got.text) != tc.body || got.err != "" {
				t.Errorf("body %q (%s), want %q", got.text, got.err, tc.body)
			}
		})
	}
	if got := get.body(probe.HTTPFacts{Tool: "curl", Status: 200, Headers: hd("Content-Encoding", "gzip"), Body: []byte("not gzip")}); got.err == "" {
		t.Errorf("a body that says gzip and is not: %+v", got)
	}
}
