package assert

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"text/tabwriter"

	"gopkg.in/yaml.v3"

	"github.com/assertkit/packer-plugin-assert/internal/report"
)

// The differential test of issue 13: goss v0.4.9 itself and assert's goss_files judge the same
// corpus of gossfiles (test-fixtures/goss-diff, described in its README.md) on the same systemd
// Debian target, and must reach the same verdict for every resource attribute.
//
//  1. goss: the harness copies the goss binary (test/run.sh's ensure_goss builds it from the Go
//     module proxy and names it in ASSERT_GOSS) and the corpus into the target over SSH, lays out
//     the corpus's data files there (gossDiffSetup), and runs `goss render` and `goss validate
//     -f json` on each gossfile in the SSH login's folder, where assert's probe runs too.
//     Everything it copied or made is removed at the end, and the test checks that it is gone.
//  2. assert: a real `packer build` of test-fixtures/goss-diff/build.pkr.hcl with goss_files = the
//     same gossfiles, the same vars and environment, continue_on_failure and a JSON report.
//  3. compare: every attribute of every resource carries the verdict goss must reach, in its
//     meta.expect (read from goss's own rendering of the file); the test requires that goss
//     reaches it (so a corpus case that does not test what it says is caught), that assert
//     reports the same attribute with the same verdict, and that neither reports anything the
//     other does not. A table lists every mismatch.
//  4. refused: what assert refuses at packer validate on purpose is in refused/, one resource a
//     gossfile: goss's verdicts (or its crash) must be meta.expect's, and `packer validate` must
//     fail naming the file, the resource, the attribute and what meta.refused says.
//  5. coverage: the corpus must hold every attribute of every resource type of goss v0.4.9, and
//     every matcher, seen by goss to pass and not to pass.
//
// The comparison itself is tested without a target, on goss's recorded output, by
// TestGossDiffHarnessFindsEveryMismatch.
//
// # Verdicts
//
// goss reports each attribute as passed (result 0), skipped (result 2), or failed (result 1),
// and a failure either compared the value and found it different (err is null: "fail") or could
// not measure or compare it at all (err says why: a command that timed out, a file it could not
// read, a version that is not semver: "error"). goss counts both as failures; assert tells them
// apart, and its "error" is exactly goss's second kind: nothing was compared, so nothing may pass.
// So: pass is passed, fail is failed, error is error, skip is skipped. Where assert differs on
// purpose, gossDiffDifferences lists the attribute, what assert reports instead, a part of what
// its problem says, and why, and gossDiffNotChecked states the one rule that covers a class of
// attributes; the test requires each difference to hold exactly as written, so a difference that
// goes away is noticed as well as one that appears.

// gossDiffRemote is where the harness puts goss and the corpus inside the target.
const gossDiffRemote = "/tmp/assert-goss-diff"

// gossDiffWeb is a folder the harness adds to nginx's default site, for redirects and a JSON body.
const gossDiffWeb = "/var/www/html/assert-goss-diff"

// gossDiffEnv is the environment goss and packer both get, for the corpus's .Env.
var gossDiffEnv = map[string]string{"GOSS_DIFF_ENV": "from the environment"}

// gossDiffVarsInline are goss's --vars-inline, the same as goss_vars_inline in build.pkr.hcl.
const gossDiffVarsInline = `{"overridden": "from the inline vars", "inline_only": "inline"}`

// gossDiffSetup lays out the data the file and http resources of the corpus look at, in the
// target (sh, as root). The corpus arrives with data/text.txt and data/data.json.
const gossDiffSetup = `set -eu
D=` + gossDiffRemote + `/corpus/data
chown alice:bob "$D/text.txt"
chmod 0640 "$D/text.txt"
ln -s text.txt "$D/link"
ln -s /nonexistent "$D/dangling"
mkfifo -m 0600 "$D/fifo"
mkdir -m 1750 "$D/dir"
# one line of 1.1 MB, longer than goss's line scanner takes (1 MiB)
head -c 1100000 /dev/zero | tr '\0' a >"$D/long-line"
W=` + gossDiffWeb + `
mkdir "$W"
echo "the folder's index" >"$W/index.html"
cp "$D/data.json" "$W/data.json"
# TLS servers, one for each resource of tls.yaml (s_server serves one connection at a time, and
# stalls a second one): 8443, 8446 and 8447 for anyone, 8444 and 8445 only for a client with a
# certificate its CA signed
mkdir "$D/tls"
cd "$D/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout key.pem -out cert.pem -days 2 2>/dev/null
for port in 8443 8444 8445 8446 8447; do
	verify=""
	case $port in 8444 | 8445) verify="-Verify 1 -CAfile cert.pem" ;; esac
	setsid openssl s_server -quiet -accept 127.0.0.1:$port -cert cert.pem -key key.pem $verify -www </dev/null >/dev/null 2>&1 &
	echo $! >s_server-$port.pid
done
# a UDP socket, bound and unconnected, for port.yaml: DTLS on 8453
setsid openssl s_server -quiet -dtls -accept 127.0.0.1:8453 -cert cert.pem -key key.pem </dev/null >/dev/null 2>&1 &
echo $! >s_server-8453.pid
i=0
until [ -n "$(ss -Huan "sport = :8453")" ]; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "s_server on udp 8453 is not bound" >&2; exit 1; }
	sleep 0.1
done
# until they listen
for port in 8443 8444 8445 8446 8447; do
	i=0
	until [ -n "$(ss -Htln "sport = :$port")" ]; do
		i=$((i + 1)); [ $i -lt 50 ] || { echo "s_server on $port does not listen" >&2; exit 1; }
		sleep 0.1
	done
done
`

// gossDiffCleanup removes what the harness put in the target, and says what is left.
const gossDiffCleanup = `for p in ` + gossDiffRemote + `/corpus/data/tls/s_server-*.pid; do
	[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
done
i=0
while pgrep -x openssl >/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
rm -rf ` + gossDiffRemote + ` ` + gossDiffWeb + `
ls -d ` + gossDiffRemote + ` ` + gossDiffWeb + ` 2>/dev/null
pgrep -x goss
pgrep -x openssl
true
`

// A gossDifference is an attribute where assert reports another verdict than goss on purpose.
type gossDifference struct {
	assert  string // assert's status: passed, failed, error or skipped
	problem string // a part of what assert's problem says, or ""
	why     string
}

// gossDiffDifferences are the attributes, as "TYPE KEY ATTRIBUTE", where assert's verdict differs
// from goss's on purpose (see docs/provisioners/assert.mdx, "Goss suites").
var gossDiffDifferences = map[string]gossDifference{
	// the target reaches no name server: a name missing from /etc/hosts fails to resolve
	"dns no-such-host-wanted-absent resolvable": {"error", "the resolver gave no address, but not because the name does not exist",
		"goss's static binary resolves the name itself and takes any failed lookup as not resolvable; assert asks the " +
			"image's resolver, which says the lookup failed (no name server answers), not that the name does not exist, " +
			"and a name that may exist is never taken as absent"},
	"file dev-null-contents contents": {"error", "the path is a character device, which the probe does not read",
		"goss reads a device's contents as a file's (and would block on a FIFO, or read /dev/zero for ever); the " +
			"probe reads the contents of regular files only"},
	// goss reads Go's ProcessState.ExitCode(), -1 for a process a signal killed; the probe's shell
	// sees 128 and the signal's number, as every shell does, and cannot tell it from exit 137
	"command kill -9 $$ exit-status": {"failed", "found 137, want -1",
		"a command killed by a signal has exit status 128+N in the image's shell, where goss reports -1"},
}

// gossDiffSysfs is the difference of the target's own network interface, which
// systemd-nspawn's /sys does not show: it is the host's, mounted in another network namespace.
// goss asks the kernel by netlink; assert's probe sees /sys/class/net and /proc/net/dev
// disagree, and decides nothing. The first attribute is an error for it, the others are not
// checked.
var gossDiffSysfs = map[string]gossDifference{
	"exists": {"error", "disagree whether assert-e2e-t exists: sysfs was mounted in another network namespace",
		"in the target, /sys/class/net and /proc/net/dev disagree whether assert-e2e-t exists (systemd-nspawn's " +
			"/sys belongs to the host's network namespace); goss asks the kernel by netlink, assert decides nothing"},
	"addrs": {"error", "not checked, because exists did not pass", "exists is an error here (see exists)"},
	"mtu":   {"error", "not checked, because exists did not pass", "exists is an error here (see exists)"},
}

func init() {
	for _, key := range []string{"assert-e2e-t", "target-link-differs"} {
		for attr, d := range gossDiffSysfs {
			gossDiffDifferences["interface "+key+" "+attr] = d
		}
	}
}

// gossDiffNotChecked is the difference of every attribute that goss skips because the first
// attribute of its resource did not pass (resource/resource.go, shouldSkip).
var gossDiffNotChecked = gossDifference{"error", "not checked, because",
	"goss skips the attributes after a first one that did not pass; assert reports them as errors, not " +
		"checked, so that a retry that makes the first one pass checks them too (internal/goss, Check.Gather)"}

// gossFirstAttrs are the attributes goss tests first, and after which it skips the others when
// they did not pass (shouldSkip).
var gossFirstAttrs = map[string][]string{
	"file": {"exists"}, "package": {"installed"}, "port": {"listening"}, "user": {"exists"},
	"group": {"exists"}, "dns": {"resolvable"}, "mount": {"exists"},
	"interface": {"exists"}, "http": {"status"},
}

// gossTypes are goss's resource type names in its JSON output (the Go type's name), and the key
// that names the type in a gossfile.
var gossTypes = map[string]string{
	"Addr": "addr", "Command": "command", "DNS": "dns", "File": "file", "Group": "group",
	"HTTP": "http", "Interface": "interface", "KernelParam": "kernel-param", "Matching": "matching",
	"Mount": "mount", "Package": "package", "Port": "port", "Process": "process",
	"Service": "service", "User": "user",
}

// gossNameAttrs are the attributes that name a resource's subject when its key does not; goss's
// resource-id is then "KEY: NAME" (resource/*.go, ID).
var gossNameAttrs = map[string]string{
	"addr": "address", "dns": "resolve", "file": "path", "group": "groupname", "http": "url",
	"interface": "name", "kernel-param": "name", "mount": "mountpoint", "package": "name",
	"port": "port", "process": "comm", "service": "name", "user": "username",
}

// gossProperties are goss's property names in its JSON output that differ from the attribute's
// name in a gossfile (resource/*.go, Validate).
var gossProperties = map[string]string{
	"file linkedto": "linked-to", "package version": "versions",
	"http Headers": "headers", "http Body": "body",
}

// A gossAttr names one attribute of one resource, as the naming contract of assert's report has
// it: the check's subject is "TYPE KEY ATTRIBUTE".
type gossAttr struct{ typ, key, attr string }

func (a gossAttr) String() string { return a.typ + " " + a.key + " " + a.attr }

// A gossCase is one attribute of the corpus: what its meta.expect says, and what goss and assert
// made of it.
type gossCase struct {
	entry    string // the top-level gossfile goss ran
	expect   string // pass, fail, error or skip
	goss     string // the same words; "" when goss did not report it
	gossErr  string // goss's err
	gossSay  string // goss's summary line
	title    string // goss's title
	meta     bool   // the resource has meta beyond expect
	raw      any    // the attribute's value, as goss renders it
	skipTrue bool   // the resource has skip: true
	assert   *report.CheckOutcome
}

// gossDiff is what the harness learns of a corpus: its cases, and every mismatch found, as rows
// of the table the test prints (gossfile, attribute, corpus, goss, assert, problem).
type gossDiff struct {
	cases     map[gossAttr]*gossCase
	resources []gossDiffResource // as goss renders them
	// declared names the gossfile that declares a resource ("TYPE KEY"), where it is not the
	// top-level gossfile goss ran: the included ones
	declared map[string]string
	problems [][]string
	tally    map[string]int // "GOSS ASSERT" verdict pairs compared
}

func newGossDiff() *gossDiff {
	return &gossDiff{cases: map[gossAttr]*gossCase{}, tally: map[string]int{}}
}

func (d *gossDiff) problem(entry, attr, corpus, goss, assert, what string) {
	d.problems = append(d.problems, []string{entry, attr, corpus, goss, assert, what})
}

func TestAccGossDiff(t *testing.T) {
	target(t)
	gossBin := os.Getenv("ASSERT_GOSS")
	if gossBin == "" {
		t.Fatal("ASSERT_GOSS is not set: test/run.sh e2e builds goss v0.4.9 and names it there")
	}
	corpus := filepath.Join("test-fixtures", "goss-diff")
	entries := gossDiffEntries(t, corpus)

	// 1. goss, inside the target
	gossDiffUpload(t, gossBin, corpus)
	d := newGossDiff()
	for _, entry := range entries {
		rendered, validated, code, stderr := gossDiffRun(t, entry)
		if code != 0 && code != 1 { // 1: some attribute failed
			t.Fatalf("goss validate %s: exit %d\n%s%s", entry, code, validated, stderr)
		}
		d.addGoss(entry, rendered, validated)
	}
	d.report(t) // what goss already disagrees with, before the build
	d.problems = nil

	d.declared = gossDiffIncluded(t, corpus)

	// 2. assert, in a real packer build
	doc := gossDiffBuild(t, entries)

	// 3. compare
	d.compare(doc, gossDiffDifferences)
	d.report(t)
	if len(d.cases) < 400 {
		t.Errorf("the corpus has only %d attributes", len(d.cases))
	}

	// 4. what assert refuses at packer validate, one gossfile at a time
	refused := gossDiffRefused(t, corpus)

	// 5. the corpus covers every attribute and every matcher of goss v0.4.9
	for _, p := range d.coverage(refused) {
		t.Error(p)
	}
}

// gossDiffRefused runs goss and `packer validate` on each gossfile of the corpus's refused/
// folder: what assert cannot honour, or refuses on purpose, one resource a file. goss must reach
// the verdicts of meta.expect (or crash, where it says crash: goss panics and exits 2); packer
// validate must fail, naming the gossfile, and for each attribute in meta.refused (the key ""
// for the resource itself) the resource, the attribute and the text given there. It returns the
// refused resources.
func gossDiffRefused(t *testing.T, corpus string) (all []gossDiffResource) {
	files, err := filepath.Glob(filepath.Join(corpus, "refused", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no refused gossfiles in %s: %v", corpus, err)
	}
	host, key := target(t)
	for _, f := range files {
		file := "refused/" + filepath.Base(f)
		t.Run(file, func(t *testing.T) {
			rendered, validated, code, stderr := gossDiffRun(t, file)
			// goss v0.4.9 tests each resource in a goroutine of its own; where one panics, goss
			// at times ends first, having counted nothing (exit 0, "Count: 0": about one run in
			// ten on this machine, 4 of 40 with the empty-map case): a file that says goss
			// crashes is run again, a few times, before goss is taken not to crash on it
			for try := 0; try < 5 && code == 0 && strings.Contains(rendered, "crash"); try++ {
				_, validated, code, stderr = gossDiffRun(t, file)
			}
			d := newGossDiff()
			crash := code == 2 && strings.Contains(stderr, "panic:")
			var resources map[string]gossDiffResource
			if crash {
				resources, _ = d.expectations(file, rendered)
			} else {
				resources = d.addGoss(file, rendered, validated)
			}
			if len(resources) != 1 {
				t.Errorf("%s has %d resources: a refused gossfile holds one, so that each refusal is seen alone", file, len(resources))
			}
			all = append(all, d.resources...)
			says := false
			for _, c := range d.cases {
				says = says || c.expect == "crash"
			}
			if crash || says {
				if code != 2 || !strings.Contains(stderr, "panic:") {
					t.Errorf("goss validate %s: exit %d, want a panic (exit 2)\n%s", file, code, stderr)
				}
				for a, c := range d.cases {
					if c.expect != "crash" {
						t.Errorf("%s: %s: meta.expect says %s, but goss crashes on the file", file, a, c.expect)
					}
				}
			} else {
				if code != 0 && code != 1 {
					t.Fatalf("goss validate %s: exit %d\n%s%s", file, code, validated, stderr)
				}
				for a, c := range d.cases {
					if c.goss != c.expect {
						d.problem(file, a.String(), c.expect, c.goss, "", "goss does not reach the verdict the corpus says ("+c.gossErr+")")
					}
				}
			}
			for _, p := range d.problems {
				if !strings.Contains(p[5], "neither pass, fail, error nor skip") || p[2] != "crash" {
					t.Error(strings.Join(p, " | "))
				}
			}

			files, _ := json.Marshal([]string{file})
			code, out := packer(t, corpus, "validate", "-var", "host="+host, "-var", "ssh_key="+key,
				"-var", "goss_files="+string(files), "-var", "report="+filepath.Join(t.TempDir(), "assert.json"), ".")
			if code != 1 {
				t.Fatalf("packer validate with %s: exit %d, want 1\n%s", file, code, out)
			}
			// gossfile.Error's form: FILE[:LINE]: TYPE "KEY": [ATTRIBUTE: ]PROBLEM
			want := []string{"goss_files: " + file + ":"}
			for _, res := range resources {
				meta, _ := res.attrs["meta"].(map[string]any)
				refused, _ := meta["refused"].(map[string]any)
				if len(refused) == 0 {
					t.Errorf("%s %s has no meta.refused: say what packer validate must say", file, res.key)
				}
				for attr, text := range refused {
					where := fmt.Sprintf("%s %q: ", res.typ, res.key)
					if attr != "" {
						where += attr + ": "
					}
					want = append(want, where+fmt.Sprint(text))
				}
			}
			mustContain(t, out, want...)
			if t.Failed() {
				t.Logf("packer validate:\n%s", out)
			}
		})
	}
	return all
}

// gossDiffEntries are the corpus's top-level gossfiles, relative to the corpus: *.yaml and *.json.
func gossDiffEntries(t *testing.T, corpus string) []string {
	var entries []string
	for _, pattern := range []string{"*.yaml", "*.json"} {
		m, err := filepath.Glob(filepath.Join(corpus, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			entries = append(entries, filepath.Base(f))
		}
	}
	sort.Strings(entries)
	if len(entries) < 15 {
		t.Fatalf("the corpus in %s has %d gossfiles: %v", corpus, len(entries), entries)
	}
	return entries
}

// gossDiffIncluded reads the corpus's included gossfiles (include/, plain YAML) and says which
// declares each resource, "TYPE KEY": the gossfile assert must name for it.
func gossDiffIncluded(t *testing.T, corpus string) map[string]string {
	declared := map[string]string{}
	err := filepath.WalkDir(filepath.Join(corpus, "include"), func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || strings.HasPrefix(p, filepath.Join(corpus, "include", "skipped")) {
			return err
		}
		var doc map[string]map[string]any
		if err := yaml.Unmarshal(readFile(t, p), &doc); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		rel, _ := filepath.Rel(corpus, p)
		for typ, resources := range doc {
			for key := range resources {
				if typ != "gossfile" {
					declared[typ+" "+key] = filepath.ToSlash(rel)
				}
			}
		}
		return nil
	})
	if err != nil || len(declared) == 0 {
		t.Fatalf("the included gossfiles of %s: %v (%d resources)", corpus, err, len(declared))
	}
	return declared
}

// gossDiffUpload copies goss and the corpus into the target, lays out the data, and removes all
// of it when the test ends.
func gossDiffUpload(t *testing.T, gossBin, corpus string) {
	var archive bytes.Buffer
	tw := tar.NewWriter(&archive)
	add := func(name string, mode int64, data []byte) {
		hdr := &tar.Header{Name: name, Mode: mode, Size: int64(len(data)), Uname: "root", Gname: "root", Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	add("goss", 0o755, readFile(t, gossBin))
	err := filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return nil // source.pkr.hcl, a symlink, is for packer only
		}
		rel, _ := filepath.Rel(corpus, p)
		add(path.Join("corpus", filepath.ToSlash(rel)), 0o644, readFile(t, p))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		out, _, code := gossDiffSSH(t, gossDiffCleanup, nil)
		if code != 0 || strings.TrimSpace(out) != "" {
			t.Errorf("the harness left something in the target (exit %d): %s", code, out)
		}
	})
	for _, step := range []struct {
		what, command string
		stdin         io.Reader
	}{
		{"copy goss and the corpus", "rm -rf " + gossDiffRemote + " && mkdir -p " + gossDiffRemote + " && tar -xf - -C " + gossDiffRemote, &archive},
		{"lay out the data", gossDiffSetup, nil},
	} {
		if out, errOut, code := gossDiffSSH(t, step.command, step.stdin); code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", step.what, code, out, errOut)
		}
	}
}

// gossDiffRun runs goss on one gossfile of the corpus in the target and returns its rendering
// (the file as goss reads it, includes and templates done), and its JSON verdicts with its exit
// status and stderr.
func gossDiffRun(t *testing.T, file string) (rendered, validated string, code int, stderr string) {
	gossCmd := ""
	for k, v := range gossDiffEnv {
		gossCmd += k + "=" + gossDiffQuote(v) + " "
	}
	gossCmd += gossDiffRemote + "/goss -g " + gossDiffQuote(gossDiffRemote+"/corpus/"+file) +
		" --vars " + gossDiffRemote + "/corpus/vars/vars.yaml --vars-inline " + gossDiffQuote(gossDiffVarsInline)
	// no cd: goss runs in the SSH login's folder, where assert's probe runs
	rendered, errOut, code := gossDiffSSH(t, gossCmd+" render", nil)
	if code != 0 {
		t.Fatalf("goss render %s: exit %d\n%s", file, code, errOut)
	}
	validated, stderr, code = gossDiffSSH(t, gossCmd+" validate -f json", nil)
	return rendered, validated, code, stderr
}

// A gossDiffResource is a resource of goss's rendering.
type gossDiffResource struct {
	typ, key string
	attrs    map[string]any
}

// addGoss reads what goss made of one top-level gossfile: its rendering, whose resources' meta.expect
// become the cases, and its JSON output, the verdicts.
func (d *gossDiff) addGoss(entry, rendered, validated string) map[string]gossDiffResource {
	resources, ok := d.expectations(entry, rendered)
	if !ok {
		return nil
	}
	var results struct {
		Results []struct {
			Type     string         `json:"resource-type"`
			ID       string         `json:"resource-id"`
			Property string         `json:"property"`
			Result   int            `json:"result"`
			Err      *string        `json:"err"`
			Title    string         `json:"title"`
			Meta     map[string]any `json:"meta"`
			Summary  string         `json:"summary-line-compact"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(validated), &results); err != nil {
		d.problem(entry, "", "", "", "", "goss validate -f json: "+err.Error())
		return resources
	}
	for _, r := range results.Results {
		typ, ok := gossTypes[r.Type]
		if !ok {
			d.problem(entry, r.Type+" "+r.ID+" "+r.Property, "", "", "", "goss reports a resource type the harness does not know")
			continue
		}
		res, ok := resources[typ+"\x00"+r.ID]
		if !ok {
			d.problem(entry, typ+" "+r.ID+" "+r.Property, "", "", "", "goss reports a resource its rendering does not have")
			continue
		}
		attr := r.Property
		if a, ok := gossProperties[typ+" "+attr]; ok {
			attr = a
		}
		a := gossAttr{typ, res.key, attr}
		c := d.cases[a]
		if c == nil {
			d.problem(entry, a.String(), "", "", "", "goss reports an attribute that has no meta.expect")
			continue
		}
		if c.goss != "" {
			d.problem(entry, a.String(), c.expect, "", "", "goss reports it twice")
		}
		switch {
		case r.Result == 0:
			c.goss = "pass"
		case r.Result == 2:
			c.goss = "skip"
		case r.Result == 1 && r.Err != nil:
			c.goss, c.gossErr = "error", *r.Err
		case r.Result == 1:
			c.goss = "fail"
		default:
			d.problem(entry, a.String(), c.expect, fmt.Sprint(r.Result), "", "goss reports a result the harness does not know")
		}
		c.gossSay, c.title = r.Summary, r.Title
		c.meta = len(r.Meta) > 1
	}
	return resources
}

// expectations reads goss's rendering of a gossfile: each resource's meta.expect becomes the
// cases of its attributes. It returns the resources by type and goss's resource-id.
func (d *gossDiff) expectations(entry, rendered string) (map[string]gossDiffResource, bool) {
	var doc map[string]map[string]map[string]any
	if err := yaml.Unmarshal([]byte(rendered), &doc); err != nil {
		d.problem(entry, "", "", "", "", "goss render: "+err.Error())
		return nil, false
	}
	byID := map[string]gossDiffResource{}
	for typ, resources := range doc {
		for key, attrs := range resources {
			id := key
			if name, ok := attrs[gossNameAttrs[typ]].(string); ok && name != "" && name != key {
				id = key + ": " + name
			}
			byID[typ+"\x00"+id] = gossDiffResource{typ, key, attrs}
			d.resources = append(d.resources, gossDiffResource{typ, key, attrs})
			meta, _ := attrs["meta"].(map[string]any)
			expect, ok := meta["expect"].(map[string]any)
			if !ok || len(expect) == 0 {
				d.problem(entry, typ+" "+key, "", "", "", "the resource has no meta.expect: say what goss must find for each attribute")
				continue
			}
			for attr, v := range expect {
				a := gossAttr{typ, key, attr}
				if old := d.cases[a]; old != nil {
					d.problem(entry, a.String(), "", "", "", "also in "+old.entry+": each attribute must be in the corpus once")
					continue
				}
				verdict, _ := v.(string)
				switch verdict {
				case "pass", "fail", "error", "skip":
				default:
					d.problem(entry, a.String(), fmt.Sprint(v), "", "", "meta.expect says neither pass, fail, error nor skip")
				}
				if _, ok := attrs[attr]; !ok {
					d.problem(entry, a.String(), verdict, "", "", "meta.expect names an attribute the resource does not set")
				}
				d.cases[a] = &gossCase{entry: entry, expect: verdict, raw: attrs[attr], skipTrue: attrs["skip"] == true}
			}
		}
	}
	return byID, true
}

// gossAttributes are the attributes of goss v0.4.9's resource types (resource/*.go, the struct
// tags): those that hold a matcher, then the options that say what to look at and how.
var gossAttributes = map[string][2][]string{
	"file": {{"exists", "mode", "size", "owner", "uid", "group", "gid", "linked-to", "filetype", "contains", "contents", "md5", "sha256", "sha512"},
		{"path", "title", "meta", "skip"}},
	"package":      {{"installed", "versions"}, {"name", "skip"}},
	"service":      {{"enabled", "running", "runlevels"}, {"name", "skip"}},
	"port":         {{"listening", "ip"}, {"port", "skip"}},
	"user":         {{"exists", "uid", "gid", "groups", "home", "shell"}, {"username", "skip"}},
	"group":        {{"exists", "gid"}, {"groupname", "skip"}},
	"command":      {{"exit-status", "stdout", "stderr"}, {"exec", "timeout", "title", "skip"}},
	"process":      {{"running"}, {"comm", "title", "skip"}},
	"kernel-param": {{"value"}, {"name", "skip"}},
	"mount":        {{"exists", "opts", "vfs-opts", "source", "filesystem", "usage"}, {"mountpoint", "timeout", "skip"}},
	"http": {{"status", "headers", "body"}, {"url", "method", "allow-insecure", "no-follow-redirects", "timeout", "request-headers",
		"request-body", "username", "password", "ca-file", "cert-file", "key-file", "proxy", "skip"}},
	"addr": {{"reachable"}, {"address", "local-address", "timeout", "skip"}},
	// goss reads the old spelling resolveable into resolvable, and reports it so
	"dns":       {{"resolvable", "addrs"}, {"resolveable", "resolve", "timeout", "server", "skip"}},
	"interface": {{"exists", "addrs", "mtu"}, {"name", "skip"}},
	"matching":  {{"matches"}, {"content", "as-reader", "title", "skip"}},
}

// gossMatchers are the matchers of goss v0.4.9 (resource/gomega.go, matcherToGomegaMatcher).
var gossMatchers = []string{"equal", "not", "and", "or", "consist-of", "contain-element", "contain-elements",
	"contain-substring", "have-prefix", "have-suffix", "match-regexp", "have-len", "have-key", "have-patterns",
	"gt", "ge", "lt", "le", "semver-constraint", "gjson"}

// coverage says what the corpus lacks: an attribute that holds a matcher must be seen by goss to
// pass and not to pass (fail, or error where goss can do no other), every matcher must be seen
// to pass and to fail, and every option must be set somewhere, in the corpus or in refused/.
func (d *gossDiff) coverage(refused []gossDiffResource) []string {
	seen := map[string]bool{} // "TYPE ATTR VERDICT", "matcher NAME VERDICT", "option TYPE ATTR"
	for a, c := range d.cases {
		verdict := c.goss
		if verdict == "error" {
			verdict = "fail"
		}
		seen[a.typ+" "+a.attr+" "+verdict] = true
		gossDiffMatchers(c.raw, func(name string) { seen["matcher "+name+" "+c.goss] = true })
	}
	for _, r := range append(append([]gossDiffResource{}, d.resources...), refused...) {
		for attr, v := range r.attrs {
			if v != nil && v != false && v != 0 && v != "" {
				seen["option "+r.typ+" "+attr] = true
			}
		}
	}
	var lacks []string
	for typ, attrs := range gossAttributes {
		for _, attr := range attrs[0] {
			for _, verdict := range []string{"pass", "fail"} {
				if !seen[typ+" "+attr+" "+verdict] {
					lacks = append(lacks, fmt.Sprintf("the corpus has no %s %s that goss sees to %s", typ, attr, verdict))
				}
			}
		}
		for _, attr := range attrs[1] {
			if !seen["option "+typ+" "+attr] {
				lacks = append(lacks, fmt.Sprintf("the corpus sets no %s %s", typ, attr))
			}
		}
	}
	for _, m := range gossMatchers {
		for _, verdict := range []string{"pass", "fail"} {
			if !seen["matcher "+m+" "+verdict] {
				lacks = append(lacks, fmt.Sprintf("the corpus has no %s matcher that goss sees to %s", m, verdict))
			}
		}
	}
	sort.Strings(lacks)
	return lacks
}

// gossDiffMatchers calls f with the name of every matcher in a raw matcher value: the keys of its
// maps, but those of the maps that are values to compare (equal's, have-key's, gjson's paths).
func gossDiffMatchers(raw any, f func(string)) {
	switch v := raw.(type) {
	case []any:
		for _, e := range v {
			gossDiffMatchers(e, f)
		}
	case map[string]any:
		for name, arg := range v {
			f(name)
			switch name {
			case "equal":
			case "gjson":
				paths, _ := arg.(map[string]any)
				for _, m := range paths {
					gossDiffMatchers(m, f)
				}
			default:
				gossDiffMatchers(arg, f)
			}
		}
	}
}

// gossDiffBuild runs the packer build over the corpus and reads its JSON report.
func gossDiffBuild(t *testing.T, entries []string) report.Document {
	for k, v := range gossDiffEnv {
		t.Setenv(k, v)
	}
	files, _ := json.Marshal(entries)
	reportPath := filepath.Join(t.TempDir(), "assert.json")
	code, out := build(t, "goss-diff", "goss_files="+string(files), "report="+reportPath)
	if code != 0 {
		t.Fatalf("packer build: exit %d, want 0 (continue_on_failure)\n%s", code, out)
	}
	return readJSONReport(t, reportPath)
}

// compare holds assert's report against goss's verdicts and the corpus's, and notes every
// mismatch: an attribute one of them reports and another does not, a verdict that differs, a
// documented difference that does not hold, a description that is not goss's title, meta that
// is not shown.
func (d *gossDiff) compare(doc report.Document, differences map[string]gossDifference) {
	for i := range doc.Checks {
		ch := &doc.Checks[i]
		a, file, ok := gossDiffParseCheck(ch)
		if !ok {
			d.problem("", ch.Block+" "+ch.Subject, "", "", ch.Status,
				"assert reports a check that is not of kind goss, or not named goss[FILE] TYPE KEY ATTRIBUTE")
			continue
		}
		c := d.cases[a]
		if c == nil {
			d.problem(file, a.String(), "", "", ch.Status, "assert reports an attribute the corpus and goss do not have")
			continue
		}
		if c.assert != nil {
			d.problem(file, a.String(), "", "", ch.Status, "assert reports it twice")
		}
		c.assert = ch
		want := c.entry
		if f, ok := d.declared[a.typ+" "+a.key]; ok {
			want = f
		}
		if file != want {
			d.problem(file, a.String(), "", "", ch.Status, "assert names another gossfile than "+want)
		}
	}
	if doc.Summary.Total != len(doc.Checks) {
		d.problem("", "", "", "", "", fmt.Sprintf("the report's summary counts %d checks, and lists %d", doc.Summary.Total, len(doc.Checks)))
	}

	for _, a := range d.sorted() {
		c := d.cases[a]
		status := ""
		if c.assert != nil {
			status = c.assert.Status
		}
		row := func(what string) { d.problem(c.entry, a.String(), c.expect, c.goss, status, what) }
		if c.goss != c.expect {
			what := "goss does not reach the verdict the corpus says"
			if c.goss == "" {
				what = "goss does not report it"
			} else if c.gossErr != "" {
				what += " (goss: " + c.gossErr + ")"
			}
			row(what)
		}
		if c.goss == "" {
			continue
		}
		want, diff, differs := d.expected(a, differences)
		switch {
		case c.assert == nil:
			row("assert does not report it")
			continue
		case status != want && differs:
			row("assert should differ from goss as documented (" + want + ": " + diff.why + "), but reports " + status + gossDiffSays(c.assert))
		case status != want:
			row("assert differs from goss" + gossDiffSays(c.assert))
		case differs && diff.problem != "" && !strings.Contains(strings.Join(c.assert.Problems, "\n"), diff.problem):
			row(fmt.Sprintf("assert differs from goss as documented, but its problem does not say %q: %q", diff.problem, c.assert.Problems))
		}
		if c.assert.Description != c.title {
			row(fmt.Sprintf("assert's description %q is not goss's title %q", c.assert.Description, c.title))
		}
		if c.meta && !gossDiffHasMeta(c.assert.Details) {
			row("assert's details do not show the resource's meta")
		}
		d.tally[c.goss+" "+status]++
	}
	for name := range differences {
		found := false
		for a := range d.cases {
			found = found || a.String() == name
		}
		if !found {
			d.problem("", name, "", "", "", "a documented difference names an attribute the corpus does not have")
		}
	}
}

// expected is the status assert must report for an attribute: goss's verdict in assert's words
// (pass is passed, fail failed, error error, skip skipped), unless assert differs on purpose, as
// differences lists or as gossDiffNotChecked says.
func (d *gossDiff) expected(a gossAttr, differences map[string]gossDifference) (string, gossDifference, bool) {
	c := d.cases[a]
	if diff, ok := differences[a.String()]; ok {
		return diff.assert, diff, true
	}
	if c.goss == "skip" && !c.skipTrue {
		for _, first := range gossFirstAttrs[a.typ] {
			if f := d.cases[gossAttr{a.typ, a.key, first}]; f != nil && (f.goss == "fail" || f.goss == "error") {
				return gossDiffNotChecked.assert, gossDiffNotChecked, true
			}
		}
	}
	return map[string]string{"pass": "passed", "fail": "failed", "error": "error", "skip": "skipped"}[c.goss], gossDifference{}, false
}

// sorted are the cases' attributes by gossfile, then by name.
func (d *gossDiff) sorted() []gossAttr {
	attrs := make([]gossAttr, 0, len(d.cases))
	for a := range d.cases {
		attrs = append(attrs, a)
	}
	sort.Slice(attrs, func(i, j int) bool {
		if d.cases[attrs[i]].entry != d.cases[attrs[j]].entry {
			return d.cases[attrs[i]].entry < d.cases[attrs[j]].entry
		}
		return attrs[i].String() < attrs[j].String()
	})
	return attrs
}

// report logs what was compared, and fails the test with the table of mismatches.
func (d *gossDiff) report(t *testing.T) {
	var tally []string
	for k, n := range d.tally {
		tally = append(tally, fmt.Sprintf("%s: %d", k, n))
	}
	sort.Strings(tally)
	if len(tally) > 0 {
		t.Logf("%d attributes compared (goss's verdict, then assert's): %s", len(d.cases), strings.Join(tally, ", "))
	}
	if len(d.problems) == 0 {
		return
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "GOSSFILE\tTYPE KEY ATTRIBUTE\tCORPUS\tGOSS\tASSERT\tPROBLEM")
	for _, p := range d.problems {
		fmt.Fprintln(tw, strings.Join(p, "\t"))
	}
	tw.Flush()
	t.Errorf("%d mismatches between the corpus, goss and assert:\n%s", len(d.problems), b.String())
	for _, a := range d.sorted() {
		if c := d.cases[a]; c.gossSay != "" && c.goss != c.expect {
			t.Logf("goss says: %s", c.gossSay)
		}
	}
}

// gossDiffParseCheck reads a check of assert's report by the naming contract: kind goss, block
// goss[FILE], subject "TYPE KEY ATTRIBUTE" (a key may hold spaces; a type and an attribute never do).
func gossDiffParseCheck(ch *report.CheckOutcome) (gossAttr, string, bool) {
	file, ok := strings.CutPrefix(ch.Block, "goss[")
	if !ok || ch.Kind != "goss" || !strings.HasSuffix(file, "]") {
		return gossAttr{}, "", false
	}
	i, j := strings.IndexByte(ch.Subject, ' '), strings.LastIndexByte(ch.Subject, ' ')
	if i <= 0 || j <= i+1 {
		return gossAttr{}, "", false
	}
	return gossAttr{ch.Subject[:i], ch.Subject[i+1 : j], ch.Subject[j+1:]}, strings.TrimSuffix(file, "]"), true
}

// gossDiffSays is what assert said of a check, for the table: its first problem, cut short.
func gossDiffSays(ch *report.CheckOutcome) string {
	if len(ch.Problems) == 0 {
		return ""
	}
	p := ch.Problems[0]
	if len(p) > 160 {
		p = p[:160] + "…"
	}
	return ": " + p
}

// gossDiffHasMeta says whether a check's details show goss's meta.
func gossDiffHasMeta(details []string) bool {
	for _, d := range details {
		if strings.HasPrefix(d, "meta: ") {
			return true
		}
	}
	return false
}

// gossDiffSSH runs a command in the target as root and returns its stdout, its stderr and its
// exit status; a connection that fails is fatal.
func gossDiffSSH(t *testing.T, command string, stdin io.Reader) (string, string, int) {
	t.Helper()
	host, key := target(t)
	cmd := exec.Command("ssh", "-i", key, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "root@"+host, command)
	var stdout, stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() != 255: // 255: ssh itself failed
		return stdout.String(), stderr.String(), exit.ExitCode()
	case err != nil:
		t.Fatalf("ssh %s: %v\n%s", command, err, stderr.String())
	}
	return stdout.String(), stderr.String(), 0
}

// gossDiffQuote quotes a word for sh.
func gossDiffQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// TestGossDiffHarnessFindsEveryMismatch: the harness's comparison, on goss's real output for a
// small gossfile (test-fixtures/goss-diff/harness, recorded as its README.md says), passes a
// report that agrees with goss, and finds each kind of mismatch planted in the report, in goss's
// output or in the corpus. It needs no target.
func TestGossDiffHarnessFindsEveryMismatch(t *testing.T) {
	dir := filepath.Join("test-fixtures", "goss-diff", "harness")
	rendered, validated := string(readFile(t, filepath.Join(dir, "small.render"))), string(readFile(t, filepath.Join(dir, "small.json")))
	// agreeing is the report assert would write if it agreed with goss on every attribute
	agreeing := func() report.Document {
		d := newGossDiff()
		d.addGoss("small.yaml", rendered, validated)
		var doc report.Document
		for _, a := range d.sorted() {
			c := d.cases[a]
			want, diff, _ := d.expected(a, nil)
			ch := report.CheckOutcome{Block: "goss[small.yaml]", Kind: "goss", Subject: a.String(), Description: c.title, Status: want}
			if diff.problem != "" {
				ch.Problems = []string{diff.problem + " the first"}
			}
			if c.meta {
				ch.Details = []string{`meta: {"owner": "team"}`}
			}
			doc.Checks = append(doc.Checks, ch)
		}
		doc.Summary.Total = len(doc.Checks)
		return doc
	}
	// withGoss changes goss's JSON output: change gets each result, and returns false to drop it
	withGoss := func(change func(r map[string]any) bool) string {
		var out map[string]any
		if err := json.Unmarshal([]byte(validated), &out); err != nil {
			t.Fatal(err)
		}
		var kept []any
		for _, r := range out["results"].([]any) {
			if change(r.(map[string]any)) {
				kept = append(kept, r)
			}
		}
		out["results"] = kept
		b, _ := json.Marshal(out)
		return string(b)
	}
	find := func(doc *report.Document, subject string) *report.CheckOutcome {
		for i := range doc.Checks {
			if doc.Checks[i].Subject == subject {
				return &doc.Checks[i]
			}
		}
		t.Fatalf("no check %q in the agreeing report", subject)
		return nil
	}
	for _, tc := range []struct {
		name        string
		rendered    string
		validated   string
		change      func(doc *report.Document)
		differences map[string]gossDifference
		declared    map[string]string
		want        string // a problem that says this; "" for none
	}{
		{name: "agreeing report"},
		{name: "a verdict differs", change: func(doc *report.Document) { find(doc, "package no-such-package-xyz installed").Status = "passed" },
			want: "package no-such-package-xyz installed|fail|fail|passed|assert differs from goss"},
		{name: "an error is not a failure", change: func(doc *report.Document) { find(doc, "http closed status").Status = "failed" },
			want: "http closed status|error|error|failed|assert differs from goss"},
		{name: "a skip is not a pass", change: func(doc *report.Document) { find(doc, "file no-such-file mode").Status = "passed" },
			want: "file no-such-file mode|skip|skip|passed|assert differs from goss"},
		{name: "an attribute goss skips after a first that did not pass is an error",
			change: func(doc *report.Document) { find(doc, "package no-such-package-xyz versions").Status = "skipped" },
			want:   "package no-such-package-xyz versions|skip|skip|skipped|assert should differ from goss as documented (error: goss skips"},
		{name: "a documented difference with another problem",
			change: func(doc *report.Document) { find(doc, "http closed body").Problems = []string{"no response"} },
			want:   `http closed body|skip|skip|error|assert differs from goss as documented, but its problem does not say "not checked, because"`},
		{name: "an attribute assert does not report", change: func(doc *report.Document) { doc.Checks = doc.Checks[1:]; doc.Summary.Total-- },
			want: "assert does not report it"},
		{name: "an attribute goss does not report", change: func(doc *report.Document) {
			doc.Checks = append(doc.Checks, report.CheckOutcome{Block: "goss[small.yaml]", Kind: "goss", Subject: "file no-such-file owner", Status: "passed"})
			doc.Summary.Total++
		}, want: "file no-such-file owner|||passed|assert reports an attribute the corpus and goss do not have"},
		{name: "an attribute reported twice", change: func(doc *report.Document) {
			doc.Checks = append(doc.Checks, *find(doc, "dns old-spelling resolvable"))
			doc.Summary.Total++
		}, want: "dns old-spelling resolvable|||passed|assert reports it twice"},
		{name: "a check of another kind", change: func(doc *report.Document) { find(doc, "file bin-link exists").Kind = "file" },
			want: "assert reports a check that is not of kind goss"},
		{name: "a check named otherwise", change: func(doc *report.Document) { find(doc, "file bin-link exists").Subject = "file bin-link" },
			want: "not named goss[FILE] TYPE KEY ATTRIBUTE"},
		{name: "another gossfile", change: func(doc *report.Document) { find(doc, "file bin-link exists").Block = "goss[other.yaml]" },
			want: "other.yaml|file bin-link exists|||passed|assert names another gossfile than small.yaml"},
		{name: "not the included gossfile that declares it", declared: map[string]string{"file bin-link": "include/x.yaml"},
			want: "small.yaml|file bin-link exists|||passed|assert names another gossfile than include/x.yaml"},
		{name: "the included gossfile that declares it", declared: map[string]string{"file bin-link": "include/x.yaml"},
			change: func(doc *report.Document) {
				find(doc, "file bin-link exists").Block = "goss[include/x.yaml]"
				find(doc, "file bin-link linked-to").Block = "goss[include/x.yaml]"
			}},
		{name: "the title is not the description", change: func(doc *report.Document) { find(doc, "matching with-title matches").Description = "" },
			want: `assert's description "" is not goss's title "a title"`},
		{name: "meta not shown", change: func(doc *report.Document) { find(doc, "matching with-title matches").Details = nil },
			want: "assert's details do not show the resource's meta"},
		{name: "a summary that does not count the checks", change: func(doc *report.Document) { doc.Summary.Total++ },
			want: "the report's summary counts"},
		{name: "a documented difference that holds",
			change:      func(doc *report.Document) { find(doc, "http closed status").Status = "failed" },
			differences: map[string]gossDifference{"http closed status": {assert: "failed", why: "a refused connection is seen"}}},
		{name: "a documented difference that does not hold",
			differences: map[string]gossDifference{"http closed status": {assert: "failed", why: "a refused connection is seen"}},
			want:        "assert should differ from goss as documented (failed: a refused connection is seen), but reports error"},
		{name: "a documented difference of nothing",
			differences: map[string]gossDifference{"http gone status": {assert: "failed", why: "no reason"}},
			want:        "http gone status||||a documented difference names an attribute the corpus does not have"},
		{name: "the corpus says another verdict than goss reaches",
			rendered: strings.Replace(rendered, "installed: fail", "installed: pass", 1),
			want:     "package no-such-package-xyz installed|pass|fail|failed|goss does not reach the verdict the corpus says"},
		{name: "the corpus says error where goss fails",
			rendered: strings.Replace(rendered, "matches: fail", "matches: error", 1),
			want:     "matching too-short matches|error|fail|failed|goss does not reach the verdict the corpus says"},
		{name: "the corpus expects what goss does not report",
			validated: withGoss(func(r map[string]any) bool { return r["property"] != "Body" }),
			want:      "http closed body|skip||error|goss does not report it"},
		{name: "goss reports what the corpus has no expectation for",
			rendered: strings.Replace(rendered, "                linked-to: pass\n", "", 1),
			want:     "file bin-link linked-to||||goss reports an attribute that has no meta.expect"},
		{name: "a corpus case that is no verdict",
			rendered: strings.Replace(rendered, "mode: skip", "mode: skipped", 1),
			want:     "meta.expect says neither pass, fail, error nor skip"},
		{name: "an expectation of an attribute not set",
			rendered: strings.Replace(rendered, "exists: pass\n                mode: skip", "exists: pass\n                mode: skip\n                owner: pass", 1),
			want:     "file no-such-file owner|pass|||meta.expect names an attribute the resource does not set"},
		{name: "goss's verdict read from its result",
			validated: withGoss(func(r map[string]any) bool {
				if r["property"] == "installed" {
					r["result"] = 0.0
				}
				return true
			}),
			want: "package no-such-package-xyz installed|fail|pass|failed|goss does not reach the verdict the corpus says"},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			doc := agreeing()
			if tc.change != nil {
				tc.change(&doc)
			}
			r, v := rendered, validated
			if tc.rendered != "" {
				r = tc.rendered
			}
			if tc.validated != "" {
				v = tc.validated
			}
			d := newGossDiff()
			d.addGoss("small.yaml", r, v)
			d.declared = tc.declared
			d.compare(doc, tc.differences)
			var rows []string
			for _, p := range d.problems {
				rows = append(rows, strings.Join(p, "|"))
			}
			if tc.name == "agreeing report" && len(d.cases) != 11 {
				t.Errorf("%d cases, want the 11 attributes of small.yaml", len(d.cases))
			}
			switch {
			case tc.want == "" && len(rows) > 0:
				t.Errorf("problems where there are none:\n%s", strings.Join(rows, "\n"))
			case tc.want != "" && !strings.Contains(strings.Join(rows, "\n"), tc.want):
				t.Errorf("no problem says %q; the problems:\n%s", tc.want, strings.Join(rows, "\n"))
			}
		})
	}
}
