package goss

import (
	"bytes"
	"crypto/md5"
	"crypto/sha512"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"text/template"

	"github.com/assertkit/packer-plugin-assert/internal/gossfile"
	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// gossBinary is goss v0.4.9: ASSERT_GOSS, or the one test/run.sh's ensure_goss builds from the
// Go module proxy into $ASSERT_CACHE/bin. Without it the test cannot ask goss, and is skipped:
// the facts of this machine cannot be recorded for another.
func gossBinary(t *testing.T) string {
	t.Helper()
	g := os.Getenv("ASSERT_GOSS")
	if g == "" {
		cache := os.Getenv("ASSERT_CACHE")
		if cache == "" {
			cache = "/var/cache/packer-plugin-assert"
		}
		g = filepath.Join(cache, "bin", "goss-v0.4.9")
	}
	if _, err := os.Stat(g); err != nil {
		t.Skipf("no goss v0.4.9 at %s (build it with test/run.sh's ensure_goss, or name it in ASSERT_GOSS)", g)
	}
	return g
}

// runProbe runs the probe for p in a local sh, through probe.RemoteCommand, the way the plugin runs
// it in the image: the script on stdin, which stays open until the probe is done.
func runProbe(t *testing.T, p *probe.Plan) *probe.Facts {
	t.Helper()
	script, err := probe.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", probe.RemoteCommand(script, false))
	stdin, _ := cmd.StdinPipe()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := stdin.Write(script); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the probe: %v; stderr: %s", err, stderr.String())
	}
	out, ok := bytes.CutPrefix(stdout.Bytes(), []byte(probe.Ready+"\n"))
	if !ok {
		t.Fatalf("the probe printed no ready line: %q", stdout.String())
	}
	f, err := probe.Parse(p, out)
	if err != nil {
		t.Fatalf("%v; stderr: %s", err, stderr.String())
	}
	return f
}

// judgeLocally maps the resources onto checks, runs their probe on this machine and judges them:
// the verdict of every attribute by "TYPE KEY ATTRIBUTE".
func judgeLocally(t *testing.T, resources []gossfile.Resource) map[string]Verdict {
	t.Helper()
	checks, errs, _ := Checks(resources)
	if len(errs) > 0 {
		t.Fatalf("Checks: %v", errs)
	}
	p := probe.NewPlan()
	judges := make([]Judge, len(checks))
	for i, c := range checks {
		judges[i] = c.Gather(p)
	}
	f := runProbe(t, p)
	got := map[string]Verdict{}
	for i, c := range checks {
		got[c.Subject()] = judges[i](f)
	}
	return got
}

// gossResult is one result of `goss validate -f json`.
type gossResult struct {
	Type     string  `json:"resource-type"`
	ID       string  `json:"resource-id"`
	Property string  `json:"property"`
	Result   int     `json:"result"`
	Err      *string `json:"err"`
}

// gossTypes are the type names goss's results use (its Go types'), and the keys of gossfiles.
var gossTypes = map[string]string{"Addr": "addr", "Command": "command", "DNS": "dns", "File": "file",
	"Group": "group", "HTTP": "http", "Interface": "interface", "KernelParam": "kernel-param",
	"Matching": "matching", "Mount": "mount", "Package": "package", "Port": "port", "Process": "process",
	"Service": "service", "User": "user"}

// gossProperties are the result names goss gives attributes that its gossfiles spell otherwise.
var gossProperties = map[string]string{"linkedto": "linked-to", "version": "versions", "Headers": "headers", "Body": "body"}

// runGoss runs `goss validate -f json` on the gossfile and returns its verdict on every attribute,
// by "TYPE KEY ATTRIBUTE": pass, fail (a value compared and found different), error (a failure
// with an error: nothing was measured or compared) or skip.
func runGoss(t *testing.T, goss, gossfile string) map[string]Status {
	t.Helper()
	cmd := exec.Command(goss, "-g", gossfile, "validate", "-f", "json", "--no-color")
	cmd.Dir = filepath.Dir(gossfile)
	out, err := cmd.Output()
	if _, failed := err.(*exec.ExitError); err != nil && !failed {
		t.Fatal(err)
	}
	var doc struct{ Results []gossResult }
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("goss printed no JSON (%v): %s", err, out)
	}
	got := map[string]Status{}
	for _, r := range doc.Results {
		typ := gossTypes[r.Type]
		key, _, _ := strings.Cut(r.ID, ": ") // goss names a resource "KEY: SUBJECT" when they differ
		attr := r.Property
		if a, ok := gossProperties[attr]; ok {
			attr = a
		}
		s := map[int]Status{0: Pass, 1: Fail, 2: Skip}[r.Result]
		if r.Result == 1 && r.Err != nil {
			s = Error
		}
		got[typ+" "+key+" "+attr] = s
	}
	return got
}

// localSuite is a gossfile of resources this machine has or lacks, for goss and the probe alike:
// files made by the test, its own listeners and web server, and what any Debian 12 machine has.
const localSuite = `file:
  {{.Dir}}/plain:
    exists: true
    mode: "0640"
    owner: root
    uid: 0
    group: root
    gid: 0
    filetype: file
    contents: ["line one", "!nope", "/^line t[wo]+$/"]
    size: 18
    md5: {{.MD5}}
    sha256: {have-len: 64}
    sha512: {have-prefix: "{{.SHA512Start}}"}
    title: a plain file
    meta: {owner: test}
  plain-wrong:
    path: {{.Dir}}/plain
    exists: true
    mode: "0600"
    owner: nobody
    size: {gt: 100}
    contents: ["absent"]
    md5: "0123"
  {{.Dir}}/link:
    exists: true
    filetype: symlink
    mode: "0777"
    linked-to: plain
    size: 5
    contents: ["line one"]
    md5: {{.MD5}}
  {{.Dir}}/dangling:
    exists: true
    filetype: symlink
    linked-to: /nonexistent-assert-goss-test
    contents: ["x"]
    sha256: {have-len: 64}
  {{.Dir}}/dir:
    exists: true
    filetype: directory
    mode: "0750"
    contents: ["x"]
    md5: {have-len: 32}
  {{.Dir}}/missing:
    exists: false
    mode: "0644"
    owner: root
  missing-wanted:
    path: {{.Dir}}/missing-wanted
    exists: true
    mode: "0644"
  /etc/passwd:
    exists: true
    contains: ["root:"]
    linked-to: /x
package:
  bash:
    installed: true
    versions: {have-len: 1}
  no-such-package-assert:
    installed: false
    versions: ["1"]
  coreutils:
    installed: false
service:
  e2scrub_reap:
    enabled: true
  debug-shell:
    enabled: false
  dbus:
    enabled: true
  cryptdisks:
    enabled: false
  no-such-service-assert:
    enabled: false
    running: false
  with/slash:
    enabled: false
    running: false
port:
  "{{.Port}}":
    listening: true
    ip: ["127.0.0.1"]
  tcp:{{.Port}}:
    listening: true
  tcp6:{{.Port}}:
    listening: false
    ip: []
  tcp6:{{.Port6}}:
    listening: true
    ip: ["::1"]
  udp:{{.Port}}:
    listening: false
user:
  root:
    exists: true
    uid: "0"
    gid: 0
    home: /root
    groups: [root]
    shell: {have-suffix: sh}
  nobody:
    exists: true
    uid: {gt: 1000}
    groups: {consist-of: [nogroup]}
  no-such-user-assert:
    exists: false
    uid: 5
group:
  root:
    exists: true
    gid: 0
  no-such-group-assert:
    exists: true
    gid: 1
command:
  echo out; echo err >&2; exit 3:
    exit-status: 3
    stdout: [out]
    stderr: ["/^err$/"]
  printf 'a\nb':
    exit-status: {lt: 1}
    stdout: "a\nb"
    stderr: ""
  sleepy:
    exec: sleep 4
    exit-status: 0
    timeout: 1000
process:
  {{.Init}}:
    running: true
  no-such-proc-asrt:
    running: false
  a-name-longer-than-fifteen:
    running: false
kernel-param:
  kernel.ostype:
    value: Linux
  kernel.no_such_parameter_assert:
    value: "1"
mount:
  /proc:
    exists: true
    filesystem: proc
    source: proc
    opts: {contain-element: {match-regexp: "^r[ow]$"}}
  /:
    exists: true
    usage: {le: 100}
  /proc/:
    exists: true
  /no/such/mount:
    exists: false
interface:
  lo:
    exists: true
    addrs: {contain-element: "127.0.0.1/8"}
    mtu: 65536
  nosuchif0:
    exists: false
    mtu: 1500
http:
  http://127.0.0.1:{{.Web}}/:
    status: 200
    headers: ["X-Test: yes", "/^Content-Type: text/plain/"]
    body: ["hello"]
  redirected:
    url: http://127.0.0.1:{{.Web}}/redirect
    status: 200
    body: "hello\n"
  not-followed:
    url: http://127.0.0.1:{{.Web}}/redirect
    no-follow-redirects: true
    status: 302
  http://127.0.0.1:{{.Closed}}/:
    status: 200
addr:
  tcp://127.0.0.1:{{.Port}}:
    reachable: true
  127.0.0.1:{{.Closed}}:
    reachable: false
dns:
  localhost:
    resolvable: true
    addrs: {contain-element: "127.0.0.1"}
matching:
  number:
    content: 3
    matches: {gt: 2}
  text-lines:
    content: "one\ntwo"
    as-reader: true
    matches: ["two", "!three"]
  list:
    content: [a, b]
    matches: {consist-of: [b, a]}
`

// afterFirst is why an attribute after a first one that did not pass is an error, not skipped.
const afterFirst = "goss skips the other attributes after a first one that did not pass; a retry must check them again, so they are errors"

// localDifferences are the attributes of localSuite where the verdicts differ on purpose, with
// what the probe's verdict is and why.
var localDifferences = map[string]struct {
	ours Status
	why  string
}{
	"file missing-wanted mode":       {Error, afterFirst},
	"group no-such-group-assert gid": {Error, afterFirst},
}

// TestVerdictsAgreeWithGossHere runs goss v0.4.9 and the probe on the same gossfile on this machine
// (as root: the paths, users and services it names are this machine's) and wants the same verdict
// from both for every attribute, but the differences localDifferences lists. It is the unit-level
// form of the differential test of provisioner/assert (TestAccGossDiff), which runs in a target.
func TestVerdictsAgreeWithGossHere(t *testing.T) {
	goss := gossBinary(t)
	if os.Geteuid() != 0 {
		t.Skip("goss and the probe must see the same files: run as root")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	content := []byte("line one\nline two\n")
	os.WriteFile(filepath.Join(dir, "plain"), content, 0o640)
	os.Chmod(filepath.Join(dir, "plain"), 0o640)
	os.Symlink("plain", filepath.Join(dir, "link"))
	os.Symlink("/nonexistent-assert-goss-test", filepath.Join(dir, "dangling"))
	os.Mkdir(filepath.Join(dir, "dir"), 0o750)
	os.Chmod(filepath.Join(dir, "dir"), 0o750)

	l4, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l4.Close()
	l6, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback here")
	}
	defer l6.Close()
	closed, _ := net.Listen("tcp4", "127.0.0.1:0")
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	web, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-test", "yes")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "hello\n")
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/", http.StatusFound) })
	srv := &http.Server{Handler: mux}
	go srv.Serve(web)
	defer srv.Close()

	init, _ := os.ReadFile("/proc/1/comm")
	var text bytes.Buffer
	sha512 := fmt.Sprintf("%x", sha512.Sum512(content))[:8]
	template.Must(template.New("suite").Parse(localSuite)).Execute(&text, map[string]any{
		"Dir": dir, "MD5": fmt.Sprintf("%x", md5.Sum(content)), "SHA512Start": sha512,
		"Port": l4.Addr().(*net.TCPAddr).Port, "Port6": l6.Addr().(*net.TCPAddr).Port, "Closed": closedPort,
		"Web": web.Addr().(*net.TCPAddr).Port, "Init": strings.TrimSpace(string(init)),
	})
	suite := filepath.Join(dir, "suite.yaml")
	if err := os.WriteFile(suite, text.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	loaded, err := gossfile.Load(gossfile.Options{Files: []string{suite}, Env: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	ours := judgeLocally(t, loaded.Resources)
	theirs := runGoss(t, goss, suite)

	var keys []string
	for k := range theirs {
		keys = append(keys, k)
	}
	for k := range ours {
		if _, ok := theirs[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		g, gok := theirs[k]
		o, ook := ours[k]
		want := g
		if d, ok := localDifferences[k]; ok && d.ours != g {
			want = d.ours
		}
		switch {
		case !gok:
			t.Errorf("%s: we report it (%s: %s), goss does not", k, o.Status, o.Problem)
		case !ook:
			t.Errorf("%s: goss reports it (%s), we do not", k, g)
		case o.Status != want:
			t.Errorf("%s: goss %s, we %s (want %s): %s", k, g, o.Status, want, o.Problem)
		}
	}
}
