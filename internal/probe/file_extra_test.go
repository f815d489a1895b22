package probe

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The files of the recorded sha256sum, sha512sum, stat and readlink fixtures (record.d/file.sh),
// in the order they were given, each with its content; "" content for what is no regular file.
var recordedSumFiles = []struct{ path, content, kind string }{
	{"/tmp/rec-file/plain", "hello\n", "file"},
	{"/tmp/rec-file/empty", "", "file"},
	{"/tmp/rec-file/big", strings.Repeat("\x00", 3<<20), "file"},
	{"/tmp/rec-file/sp ace", "sp ace", "file"},
	{"/tmp/rec-file/q'uote", "q'uote", "file"},
	{`/tmp/rec-file/x\y`, `x\y`, "file"},
	{`/tmp/rec-file/x\\y`, `x\\y`, "file"},
	{"/tmp/rec-file/cr\rx", "cr\rx", "file"},
	{"/tmp/rec-file/a  /tmp/rec-file/plain", "a  /tmp/rec-file/plain", "file"},
	{"/tmp/rec-file/link", "sp ace", "symlink"},
	{"/tmp/rec-file/dir", "", "directory"},
	{"/tmp/rec-file/missing", "", "missing"},
}

func digestOf(algorithm, content string) string {
	if algorithm == "sha512" {
		return fmt.Sprintf("%x", sha512.Sum512([]byte(content)))
	}
	return fmt.Sprintf("%x", sha256.Sum256([]byte(content)))
}

// sumRecords are the records of a probe that asked for the recorded files' digests: the
// recorded stat and readlink, and the recorded output of the sum fixture of each algorithm.
func sumRecords(t *testing.T, fixtures map[string]string) records {
	t.Helper()
	stat, statErr, _ := recorded(t, "file-stat-sums")
	link, _, _ := recorded(t, "file-readlink-gnu")
	r := recs("file.stat", "0", stat, "file.staterr", "0", statErr, "file.missing", "11", "", "file.link", "9", link)
	for algorithm, fixture := range fixtures {
		out, stderr, status := recorded(t, fixture)
		id := algorithm + "-0"
		r[key{"file.sum", id}], r[key{"file.sumerr", id}], r[key{"file.sumstatus", id}] = []byte(out), []byte(stderr), []byte(status)
	}
	return r
}

func planSums(algorithms ...string) (*Plan, []Fact[FileFacts]) {
	p := NewPlan()
	var hs []Fact[FileFacts]
	for _, f := range recordedSumFiles {
		var h Fact[FileFacts]
		for _, a := range algorithms {
			h = p.FileDigest(f.path, a)
		}
		hs = append(hs, h)
	}
	return p, hs
}

// TestDigestsFromRealSumTools feeds the parser what GNU's and busybox's sha256sum and sha512sum
// printed of files whose names are hard to match: a backslash, which GNU escapes and marks by
// starting the line with a backslash, two of them (which busybox prints as GNU escapes one), a
// carriage return, a quote, a blank, and a path that holds two blanks and another requested
// path, as if it were a line of its own. Every digest must be the right file's.
func TestDigestsFromRealSumTools(t *testing.T) {
	for _, tool := range []string{"gnu", "busybox"} {
		t.Run(tool, func(t *testing.T) {
			p, hs := planSums("sha256", "sha512")
			r := sumRecords(t, map[string]string{"sha256": "file-sha256sum-" + tool, "sha512": "file-sha512sum-" + tool})
			checkRecordedDigests(t, parsed(p, r), hs, "sha256", "sha512")
		})
	}
}

func checkRecordedDigests(t *testing.T, f *Facts, hs []Fact[FileFacts], algorithms ...string) {
	t.Helper()
	for i, want := range recordedSumFiles {
		got := get(t, f, hs[i])
		for _, a := range algorithms {
			switch want.kind {
			case "file", "symlink":
				if got.Digest[a] != digestOf(a, want.content) || got.DigestErr[a] != "" {
					t.Errorf("%q %s: got %q (%s), want %s", want.path, a, got.Digest[a], got.DigestErr[a], digestOf(a, want.content))
				}
			default: // a folder has none, and what is missing neither: the check says why
				if got.Digest[a] != "" || got.DigestErr[a] != "" || got.Err != "" {
					t.Errorf("%q %s: %+v", want.path, a, got)
				}
			}
		}
	}
	if l := get(t, f, hs[9]); l.Type != "symlink" || l.LinkTarget != "../rec-file/sp ace" || l.Resolved != "file" {
		t.Errorf("link: %+v", l)
	}
	if d := get(t, f, hs[10]); d.Resolved != "directory" {
		t.Errorf("dir: %+v", d)
	}
	if m := get(t, f, hs[11]); m.Exists || m.Err != "" {
		t.Errorf("missing: %+v", m)
	}
}

// The lines of a sum tool are matched with requests by path: in any order, and never by their
// place; a line that is not a sum line, or that names a path twice, gives no digest.
func TestDigestLinesAreMatchedByPathNotOrder(t *testing.T) {
	out, stderr, status := recorded(t, "file-sha256sum-gnu")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	reversed := make([]string, len(lines))
	for i, l := range lines {
		reversed[len(lines)-1-i] = l
	}
	p, hs := planSums("sha256")
	r := sumRecords(t, nil)
	r[key{"file.sum", "sha256-0"}], r[key{"file.sumerr", "sha256-0"}], r[key{"file.sumstatus", "sha256-0"}] = []byte(strings.Join(reversed, "\n")+"\n"), []byte(stderr), []byte(status)
	checkRecordedDigests(t, parsed(p, r), hs, "sha256")

	plain := digestOf("sha256", "hello\n")
	tests := []struct {
		name, out, want string // want: the digest of /tmp/rec-file/plain, or its error
	}{
		{"uppercase_digest", strings.ToUpper(plain) + "  /tmp/rec-file/plain\n", plain},
		{"binary_mode", plain + " */tmp/rec-file/plain\n", plain},
		{"named_twice", plain + "  /tmp/rec-file/plain\n" + digestOf("sha256", "") + "  /tmp/rec-file/plain\n", "error: sha256sum printed two digests for this path"},
		{"short_digest", plain[:63] + "  /tmp/rec-file/plain\n", "error: sha256sum printed no digest for this path (exit status 0): no reason given"},
		{"one_blank", plain + " /tmp/rec-file/plain\n", "error: sha256sum printed no digest for this path (exit status 0): no reason given"},
		{"cut_short", plain + "  /tmp/rec-file/pla", "error: sha256sum printed no digest for this path (exit status 0): no reason given"},
		{"bad_escape", `\` + plain + `  /tmp/rec-file/plain\x` + "\n", "error: sha256sum printed no digest for this path (exit status 0): no reason given"},
		{"escaped_as_gnu", `\` + plain + `  /tmp/rec-file/plain` + "\n", plain},
		{"sha512_line_for_sha256", digestOf("sha512", "hello\n") + "  /tmp/rec-file/plain\n", "error: sha256sum printed no digest for this path (exit status 0): no reason given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPlan()
			h := p.FileDigest("/tmp/rec-file/plain", "sha256")
			f := get(t, parsed(p, recs("file.stat", "0", "81a4 0 0 6 root root /tmp/rec-file/plain\n", "file.sum", "sha256-0", tt.out, "file.sumstatus", "sha256-0", "0")), h)
			got := f.Digest["sha256"]
			if e := f.DigestErr["sha256"]; e != "" {
				got = "error: " + e
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// A digest that could not be computed says why, and is never empty without a reason.
func TestDigestErrorsSayWhy(t *testing.T) {
	for _, tool := range []string{"", "-busybox"} {
		t.Run("unreadable"+tool, func(t *testing.T) {
			out, stderr, status := recorded(t, "file-sha256sum-unreadable"+tool)
			p := NewPlan()
			secret, plain := p.FileDigest("/tmp/rec-file/secret", "sha256"), p.FileDigest("/tmp/rec-file/plain", "sha256")
			f := parsed(p, recs("file.stat", "0", "8180 0 0 7 root root /tmp/rec-file/secret\n81a4 0 0 6 root root /tmp/rec-file/plain\n",
				"file.sum", "sha256-0", out, "file.sumerr", "sha256-0", stderr, "file.sumstatus", "sha256-0", status))
			if s := get(t, f, secret); s.DigestErr["sha256"] != "permission denied: the probe's user cannot read this file (use_sudo = true may help)" || s.Digest["sha256"] != "" {
				t.Errorf("secret: %+v", s)
			}
			if p := get(t, f, plain); p.Digest["sha256"] != digestOf("sha256", "hello\n") {
				t.Errorf("plain: %+v", p)
			}
		})
	}
	stat := "81a4 0 0 6 root root /a\n"
	tests := []struct {
		name string
		r    records
		want string
	}{
		{"no_tool", recs("file.stat", "0", stat, "file.nosum", "sha512-0", ""),
			"the image has no sha512sum (GNU coreutils and busybox have one), so the digest cannot be computed"},
		{"not_run", recs("file.stat", "0", stat), "the probe did not run sha512sum"},
		{"io_error", recs("file.stat", "0", stat, "file.sum", "sha512-0", "", "file.sumstatus", "sha512-0", "1", "file.sumerr", "sha512-0", "sha512sum: /a: Input/output error\n"),
			"sha512sum could not read this file: Input/output error"},
		{"killed", recs("file.stat", "0", stat, "file.sum", "sha512-0", "", "file.sumstatus", "sha512-0", "137", "file.sumerr", "sha512-0", ""),
			"sha512sum printed no digest for this path (exit status 137): no reason given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPlan()
			h := p.FileDigest("/a", "sha512")
			if f := get(t, parsed(p, tt.r), h); f.DigestErr["sha512"] != tt.want || f.Digest["sha512"] != "" {
				t.Errorf("got  %q\nwant %q", f.DigestErr["sha512"], tt.want)
			}
		})
	}
}

// GNU's and busybox's readlink print the target as written, a relative one too; a readlink
// that fails is an error about the link, never a target.
func TestLinkTargetsFromRealReadlink(t *testing.T) {
	for _, fixture := range []string{"file-readlink-gnu", "file-readlink-busybox"} {
		out, _, _ := recorded(t, fixture)
		p := NewPlan()
		h := p.File("/tmp/rec-file/link", false)
		f := get(t, parsed(p, recs("file.link", "0", out, "file.stat", "0", "81a4 0 0 6 root root /tmp/rec-file/link\n")), h)
		if f.Type != "symlink" || f.LinkTarget != "../rec-file/sp ace" || f.LinkErr != "" {
			t.Errorf("%s: %+v", fixture, f)
		}
	}
	_, stderr, _ := recorded(t, "file-readlink-not-a-link") // readlink says nothing, and exits 1
	p := NewPlan()
	h := p.File("/l", false)
	f := get(t, parsed(p, recs("file.linkerr", "0", stderr, "file.stat", "0", "81a4 0 0 6 root root /l\n")), h)
	if f.Type != "symlink" || f.LinkTarget != "" || f.LinkErr != "readlink(1) cannot say where the symlink points: no reason given" {
		t.Errorf("readlink failed: %+v", f)
	}
}

func TestDigestRenderRefusesWhatTheToolsWouldMisread(t *testing.T) {
	p := NewPlan()
	p.FileDigest("-", "sha256") // sha256sum reads stdin for "-", even after --
	if _, err := Render(p); err == nil || !strings.Contains(err.Error(), "is not absolute") {
		t.Errorf("a relative path: %v", err)
	}
	p = NewPlan()
	p.FileDigest("/a", "md5")
	if _, err := Render(p); err == nil || !strings.Contains(err.Error(), `no digest "md5"`) {
		t.Errorf("an unknown algorithm: %v", err)
	}
	// a file asked for twice is summed once per algorithm, and only regular files are summed
	p = NewPlan()
	p.FileDigest("/a", "sha256")
	p.FileDigest("/a", "sha256")
	p.File("/a", true)
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(script), "[ -f '/a' ] && set --"); n != 1 {
		t.Errorf("the path is added %d times", n)
	}
	if !strings.Contains(string(script), "\tfd sha256 0 \"$@\"; set --\n") || strings.Contains(string(script), "fd sha512") {
		t.Error("not one sha256sum and no sha512sum")
	}
}

// weirdFiles makes files whose names and link targets are hard to carry and to match, and
// returns them with their content ("" for what is not a regular file) and kind.
func weirdFiles(t *testing.T, many int) (dir string, files []struct{ path, content, kind string }) {
	dir = t.TempDir()
	add := func(name, content, kind string) {
		files = append(files, struct{ path, content, kind string }{filepath.Join(dir, name), content, kind})
	}
	os.MkdirAll(filepath.Join(dir, "a  ", dir[1:]), 0o755)
	for _, name := range []string{"plain", `x\y`, `x\\y`, `\lead`, "cr\rx", "q'uote", "-n", "sp ace", "tab\there", "ünï",
		"$(touch pwned)", "a  " + dir + "/plain", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  x"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
		add(name, name, "file")
	}
	big := bytes.Repeat([]byte("0123456789abcdef"), (ContentLimit+ContentLimit/2)/16) // more than is read for content
	os.WriteFile(filepath.Join(dir, "big"), big, 0o600)
	add("big", string(big), "file")
	os.Symlink("sp ace", filepath.Join(dir, "link"))
	add("link", "sp ace", "symlink")
	os.Symlink("nowhere", filepath.Join(dir, "dangling"))
	add("dangling", "", "dangling")
	os.Mkdir(filepath.Join(dir, "dir"), 0o755)
	add("dir", "", "directory")
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	add("fifo", "", "fifo")
	add("missing", "", "missing")
	for i := 0; i < many; i++ {
		name := fmt.Sprintf("n%03d", i)
		os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644)
		add(name, name, "file")
	}
	return dir, files
}

// weirdLinks are symlinks whose targets hold a newline, end with one, or hold blanks.
var weirdLinks = map[string]string{"nl": "a\nb", "trail": "x\n", "space": "../sp ace", "dots": "../../etc/os-release"}

func planWeird(files []struct{ path, content, kind string }, dir string) (*Plan, []Fact[FileFacts], map[string]Fact[FileFacts]) {
	p := NewPlan()
	var hs []Fact[FileFacts]
	for _, f := range files {
		p.FileDigest(f.path, "sha256")
		hs = append(hs, p.FileDigest(f.path, "sha512"))
	}
	links := map[string]Fact[FileFacts]{}
	for name, target := range weirdLinks {
		os.Symlink(target, filepath.Join(dir, name))
		links[name] = p.File(filepath.Join(dir, name), false)
	}
	return p, hs, links
}

func checkWeird(t *testing.T, f *Facts, files []struct{ path, content, kind string }, hs []Fact[FileFacts], links map[string]Fact[FileFacts]) {
	t.Helper()
	for i, want := range files {
		got := get(t, f, hs[i])
		for _, a := range []string{"sha256", "sha512"} {
			switch want.kind {
			case "file", "symlink":
				if got.Digest[a] != digestOf(a, want.content) {
					t.Errorf("%q %s: got %q (%s)", want.path, a, got.Digest[a], got.DigestErr[a])
				}
			default:
				if got.Digest[a] != "" || got.DigestErr[a] != "" {
					t.Errorf("%q (%s) %s: %+v", want.path, want.kind, a, got)
				}
			}
		}
		if want.kind == "fifo" && got.Resolved != "fifo" {
			t.Errorf("fifo: %+v", got)
		}
	}
	for name, h := range links {
		if l := get(t, f, h); l.Type != "symlink" || l.LinkTarget != weirdLinks[name] || l.LinkErr != "" {
			t.Errorf("link %s: got %q, want %q (%+v)", name, l.LinkTarget, weirdLinks[name], l)
		}
	}
}

// TestProbeDigestsAndLinksLocally runs sha256sum and sha512sum, and readlink, of the real probe
// over files with hard names, a file bigger than what is read for content, a symlink, and what
// has no digest (a folder, a fifo that would block a tool, a dangling symlink, nothing), in more
// than two batches, with every shell; each digest must be its own file's, as Go computes it.
func TestProbeDigestsAndLinksLocally(t *testing.T) {
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			dir, files := weirdFiles(t, 2*statBatch+10)
			p, hs, links := planWeird(files, dir)
			start := time.Now()
			f, _ := runLocal(t, sh, p)
			if took := time.Since(start); took > 20*time.Second {
				t.Errorf("the probe took %v (did a fifo block?)", took)
			}
			checkWeird(t, f, files, hs, links)
			for _, pwned := range []string{filepath.Join(dir, "pwned"), "pwned"} {
				if _, err := os.Stat(pwned); err == nil {
					t.Error("a path ran a command")
				}
			}
		})
	}
}

func TestProbeDigestsAndLinksWithBusyboxOnly(t *testing.T) {
	busyboxOnly(t)
	dir, files := weirdFiles(t, 5)
	p, hs, links := planWeird(files, dir)
	checkWeird(t, runBusyboxOnly(t, p), files, hs, links)
}

// An image without sha256sum and sha512sum: every digest asked for is an error that says so,
// never a pass. The tools are hidden under /dev/null in a mount namespace of the test's own
// (dash's command -v finds no program there), so it needs root and unshare(1). (busybox's sh
// runs its own applets whatever PATH holds, so an image with busybox has them unless its
// busybox was built without.)
func TestProbeDigestsWithoutTheTools(t *testing.T) {
	dash, err := exec.LookPath("dash")
	if _, err2 := exec.LookPath("unshare"); err != nil || err2 != nil || os.Geteuid() != 0 {
		t.Skip("needs root, dash and unshare(1)")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a"), []byte("a"), 0o644)
	p := NewPlan()
	p.FileDigest(filepath.Join(dir, "a"), "sha256")
	h := p.FileDigest(filepath.Join(dir, "a"), "sha512")
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	hide := `for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
			for s in sha256sum sha512sum; do [ -e "$d/$s" ] && { mount --bind /dev/null "$d/$s" || exit 1; }; done
		done; exec "$0" -c "$1"`
	cmd := exec.Command("unshare", "--mount", "--fork", "--propagation", "private", "sh", "-c", hide, dash, RemoteCommand(script, false))
	f, _ := runProbe(t, cmd, p, script)
	got := get(t, f, h)
	for _, a := range []string{"sha256", "sha512"} {
		if want := "the image has no " + a + "sum (GNU coreutils and busybox have one), so the digest cannot be computed"; got.DigestErr[a] != want || got.Digest[a] != "" {
			t.Errorf("%s: %+v", a, got)
		}
	}
}

// The probe run by a user who may not read a file: its digest is a permission error. The
// probe runs as nobody (uid 65534), so the test needs root.
func TestProbeDigestOfAnUnreadableFile(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run the probe as nobody")
	}
	// not t.TempDir(): nobody may not enter its parent
	dir, tmp := openTempDir(t, 0o755), openTempDir(t, 0o777)
	os.WriteFile(filepath.Join(dir, "secret"), []byte("secret\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "open"), []byte("open\n"), 0o644)
	p := NewPlan()
	secret, open := p.FileDigest(filepath.Join(dir, "secret"), "sha256"), p.FileDigest(filepath.Join(dir, "open"), "sha256")
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", RemoteCommand(script, false))
	cmd.Dir, cmd.Env = tmp, []string{"PATH=" + os.Getenv("PATH"), "TMPDIR=" + tmp}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	f, _ := runProbe(t, cmd, p, script)
	if s := get(t, f, secret); s.Err != "" || s.Resolved != "file" || !strings.HasPrefix(s.DigestErr["sha256"], "permission denied") {
		t.Errorf("secret: %+v", s)
	}
	if o := get(t, f, open); o.Digest["sha256"] != digestOf("sha256", "open\n") {
		t.Errorf("open: %+v", o)
	}
}

// openTempDir makes a folder of mode perm that everyone may enter, removed after the test.
func openTempDir(t *testing.T, perm os.FileMode) string {
	dir, err := os.MkdirTemp("", "assert-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, perm)
	return dir
}

// FakeOutput gives each file asked for a digest the digest of the fake content, in batches.
func TestDigestFake(t *testing.T) {
	p := NewPlan()
	var hs []Fact[FileFacts]
	for i := 0; i < statBatch+1; i++ {
		hs = append(hs, p.FileDigest(fmt.Sprintf("/f%d", i), "sha512"))
	}
	f, err := Parse(p, FakeOutput(p))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		if got := get(t, f, h); got.Digest["sha512"] != digestOf("sha512", "x = 1\ndebug = false\n") {
			t.Fatalf("%+v", got)
		}
	}
}
