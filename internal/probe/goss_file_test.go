package probe

import (
	"crypto/md5"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// gossFileTree makes the paths the goss_file tests look at, and returns the folder.
func gossFileTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "plain"), []byte("hello\n"), 0o640))
	must(os.Symlink("plain", filepath.Join(dir, "link")))
	must(os.Symlink("nowhere/at/all", filepath.Join(dir, "dangling")))
	must(os.Mkdir(filepath.Join(dir, "sub"), 0o750))
	weird := filepath.Join(dir, "it's \"odd\" $(touch pwned) \t x")
	must(os.WriteFile(weird, []byte("odd"), 0o604))
	must(syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o600))
	return dir
}

// checkGossFiles checks what a probe found of gossFileTree's paths, against what lstat(2) and
// crypto/md5 say of them in this process.
func checkGossFiles(t *testing.T, dir string, f *Facts, hs map[string]Fact[GossFileFacts]) {
	t.Helper()
	for name, h := range hs {
		got := get(t, f, h)
		path := filepath.Join(dir, name)
		fi, err := os.Lstat(path)
		if err != nil {
			if got.Described || got.Err != "" || got.MD5 != "" || got.MD5Err != "" {
				t.Errorf("%s is not there, yet: %+v", name, got)
			}
			continue
		}
		st := fi.Sys().(*syscall.Stat_t)
		if !got.Described || got.Err != "" || got.Mode != st.Mode&0o7777 || got.UID != int(st.Uid) || got.GID != int(st.Gid) || got.Size != fi.Size() {
			t.Errorf("%s: lstat says mode %04o, uid %d, gid %d, size %d; got %+v", name, st.Mode&0o7777, st.Uid, st.Gid, fi.Size(), got)
		}
		wantType := map[string]string{"plain": "file", "link": "symlink", "dangling": "symlink", "sub": "directory", "fifo": "fifo"}[name]
		if wantType == "" {
			wantType = "file"
		}
		if got.Type != wantType {
			t.Errorf("%s: type %q, want %q", name, got.Type, wantType)
		}
		if got.Owner != "root" && os.Geteuid() == 0 {
			t.Errorf("%s: owner %q, want root", name, got.Owner)
		}
		target, err := os.Stat(path)
		switch {
		case err == nil && target.Mode().IsRegular():
			content, _ := os.ReadFile(path)
			if want := fmt.Sprintf("%x", md5.Sum(content)); got.MD5 != want || got.MD5Err != "" {
				t.Errorf("%s: md5 %q (%s), want %s", name, got.MD5, got.MD5Err, want)
			}
		case got.MD5 != "" || got.MD5Err != "":
			t.Errorf("%s is no regular file, yet has a digest or an error: %+v", name, got)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Error("a path ran a command substitution")
	}
}

func gossFilePlan(dir string) (*Plan, map[string]Fact[GossFileFacts]) {
	p := NewPlan()
	hs := map[string]Fact[GossFileFacts]{}
	for _, name := range []string{"plain", "link", "dangling", "sub", "missing", "fifo", "it's \"odd\" $(touch pwned) \t x"} {
		hs[name] = p.GossFileMD5(filepath.Join(dir, name))
	}
	return p, hs
}

// TestGossFileLocally: lstat describes a symlink itself (mode 0777, the length of its target),
// every type of file, paths that need quoting; md5sum digests what a path resolves to, and only
// regular files; a missing path is neither described nor in error. In dash, bash and busybox sh
// with this machine's GNU stat and md5sum.
func TestGossFileLocally(t *testing.T) {
	dir := gossFileTree(t)
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p, hs := gossFilePlan(dir)
			f, _ := runLocal(t, sh, p)
			checkGossFiles(t, dir, f, hs)
			if l := get(t, f, hs["link"]); l.Mode != 0o777 || l.Size != int64(len("plain")) {
				t.Errorf("link: %+v, want its own mode 0777 and size 5", l)
			}
		})
	}
}

// TestGossFileWithBusyboxOnly: the same with busybox's stat and md5sum, whose complaints and
// output differ from GNU's.
func TestGossFileWithBusyboxOnly(t *testing.T) {
	busyboxOnly(t)
	dir := gossFileTree(t)
	p, hs := gossFilePlan(dir)
	checkGossFiles(t, dir, runBusyboxOnly(t, p), hs)
}

// TestGossFileAsNobody: a file the probe's user may not read has metadata but no digest, and says
// why; a path in a folder it may not enter is not seen at all (FileFacts tells that it is an
// error). Runs the probe as nobody with setpriv, so only as root.
func TestGossFileAsNobody(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run the probe as nobody")
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("no setpriv")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	os.Chmod(filepath.Dir(dir), 0o755)
	os.WriteFile(filepath.Join(dir, "secret"), []byte("s3cret\n"), 0o600)
	os.Mkdir(filepath.Join(dir, "closed"), 0o700)
	os.WriteFile(filepath.Join(dir, "closed", "f"), []byte("x"), 0o644)
	p := NewPlan()
	secret, closed := p.GossFileMD5(filepath.Join(dir, "secret")), p.GossFileMD5(filepath.Join(dir, "closed", "f"))
	file := p.File(filepath.Join(dir, "closed", "f"), false)
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c", RemoteCommand(script, false))
	cmd.Env = []string{"PATH=/usr/bin:/bin", "TMPDIR=/tmp"}
	f, _ := runProbe(t, cmd, p, script)
	if s := get(t, f, secret); !s.Described || s.Mode != 0o600 || s.MD5 != "" || !strings.Contains(s.MD5Err, "permission denied") {
		t.Errorf("secret: %+v", s)
	}
	if c := get(t, f, closed); c.Described || c.Err != "" || c.MD5 != "" || c.MD5Err != "" {
		t.Errorf("closed/f: %+v, want nothing (FileFacts says why)", c)
	}
	if ff := get(t, f, file); !strings.Contains(ff.Err, "permission denied") {
		t.Errorf("FileFacts of closed/f: %+v, want permission denied", ff)
	}
}

// TestGossMD5Errors reads md5sum's complaints, recorded on this Debian 12 machine with GNU
// coreutils 9.1 and BusyBox v1.35.0 as nobody: `md5sum -- /tmp/rec-gm/secret /tmp/rec-gm/nonexist`
// (the first mode 0600, owned by root) and `busybox md5sum -- /tmp/rec-gm/secret`.
func TestGossMD5Errors(t *testing.T) {
	for _, tc := range []struct {
		name, stderr, status, want string
		nomd5                      bool
	}{
		{"gnu permission denied", "md5sum: /tmp/rec-gm/secret: Permission denied\nmd5sum: /tmp/rec-gm/nonexist: No such file or directory\n", "1", "permission denied", false},
		{"busybox permission denied", "md5sum: can't open '/tmp/rec-gm/secret': Permission denied\n", "1", "permission denied", false},
		{"no reason", "", "1", "printed no digest for this path (exit status 1)", false},
		{"no md5sum", "", "", "the image has no md5sum", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := records{}
			if tc.nomd5 {
				r[key{"goss_file.nomd5", "0"}] = nil
			} else {
				r[key{"goss_file.md5", "0"}] = []byte{}
				r[key{"goss_file.md5err", "0"}] = []byte(tc.stderr)
				r[key{"goss_file.md5status", "0"}] = []byte(tc.status)
			}
			d, why := md5Of(r, 0, "/tmp/rec-gm/secret")
			if d != "" || !strings.Contains(why, tc.want) {
				t.Errorf("got %q, %q; want an error with %q", d, why, tc.want)
			}
		})
	}
}

// TestGossTagsAreRead is TestEveryTagIsRead for the goss_* kinds, whose family names hold an
// underscore that its patterns leave out: every record tag one side names, the other names too.
func TestGossTagsAreRead(t *testing.T) {
	printed := regexp.MustCompile(`(?:line|blob) "?(goss_[a-z]+\.[a-z0-9]+)"?`)
	read := regexp.MustCompile(`"(goss_[a-z]+\.[a-z0-9]+)"`)
	fakes := regexp.MustCompile(`(?s)\nfunc (?:\([^)]*\) )?fake\w*\(.*?\n}\n`)
	for _, family := range []string{"goss_file", "goss_mount"} {
		sh, err := shellFiles.ReadFile(family + ".sh")
		if err != nil {
			t.Fatal(err)
		}
		goSrc, err := os.ReadFile(family + ".go")
		if err != nil {
			t.Fatal(err)
		}
		goSrc = fakes.ReplaceAll(goSrc, nil)
		tags := func(re *regexp.Regexp, src []byte) map[string]bool {
			m := map[string]bool{}
			for _, sub := range re.FindAllSubmatch(src, -1) {
				m[string(sub[1])] = true
			}
			return m
		}
		inShell, inGo := tags(printed, sh), tags(read, goSrc)
		if len(inShell) == 0 {
			t.Errorf("%s.sh prints no records the pattern finds", family)
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

// TestGossKindsWithNoRecords: an output with no records of the goss kinds leaves no fact that
// passes for seen: the table of mounts is an error, a path is not described (and FileFacts, asked
// beside it, is an error), a usage is an error.
func TestGossKindsWithNoRecords(t *testing.T) {
	p := NewPlan()
	file, mount := p.GossFileMD5("/etc/hostname"), p.GossMountUsage("/")
	plain := p.File("/etc/hostname", false)
	f, err := Parse(p, []byte(header+"\n"+trailer+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m := get(t, f, mount); m.Err == "" || m.Found {
		t.Errorf("mount: %+v", m)
	}
	if g, ff := get(t, f, file), get(t, f, plain); g.Described || ff.Err == "" {
		t.Errorf("file: %+v, %+v", g, ff)
	}
}
