package probe

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// The hygiene probe walks file systems and reads the password database, so the local tests run
// it in a mount namespace of their own (root and unshare(1) needed), over a tree they plant on
// tmpfs mounts: /opt (the walk's root file system in these tests), /home, /root, /etc/ssh, and
// /etc/passwd bound to a file of their own. Nothing of the host is changed.

// hygieneTree plants, under tmpfs mounts in the namespace, what the rules look for, and what
// they must leave alone. $W is the test's folder on the host.
const hygieneTree = `set -e
mount -t tmpfs -o mode=755 none /opt
mkdir -p /opt/app/bin /opt/app/tmp /opt/cache/partial /opt/empty-cache/partial
printf x >/opt/app/bin/tool; chmod 4755 /opt/app/bin/tool
printf x >/opt/app/bin/group-tool; chmod 2755 /opt/app/bin/group-tool
printf x >'/opt/app/bin/new
line'; chmod 4755 '/opt/app/bin/new
line'
printf x >'/opt/app/bin/with space'; chmod 6755 '/opt/app/bin/with space'
printf x >/opt/app/data.txt; chmod 666 /opt/app/data.txt
printf x >/opt/app/ok; chmod 644 /opt/app/ok
mkdir -m 777 /opt/app/shared; chmod 777 /opt/app/shared
mkdir /opt/app/sticky; chmod 1777 /opt/app/sticky
printf x >/opt/app/tmp/scratch; chmod 666 /opt/app/tmp/scratch
ln -s /opt/app/ok /opt/app/link
: >/opt/cache/lock; printf deb >/opt/cache/a.deb; printf deb >/opt/cache/b.deb; : >/opt/empty-cache/lock
mount -t tmpfs -o mode=755 none /home
mkdir -p /home/alice/.ssh /home/alice/keys /home/alice/certs /home/alice/.docker /home/alice/.aws /home/bob/.docker /home/bob/.ssh
echo 'ls -l' >/home/alice/.bash_history
: >/home/bob/.bash_history
ln -s /dev/null /home/bob/.zsh_history
echo 'ssh-ed25519 AAAA alice@laptop' >/home/alice/.ssh/authorized_keys
echo 'private' >/home/alice/.ssh/id_ed25519; echo 'public' >/home/alice/.ssh/id_ed25519.pub
echo 'public' >/home/bob/.ssh/id_rsa.pub
printf -- '-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n' >/home/alice/keys/server.pem
printf -- '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n' >/home/alice/certs/ca.pem
echo '{"auths":{"registry.example.com":{"auth":"dXNlcjpwYXNz"}}}' >/home/alice/.docker/config.json
echo '{"credsStore":"ecr-login"}' >/home/bob/.docker/config.json
printf '[default]\naws_secret_access_key = x\n' >/home/alice/.aws/credentials
chmod 700 /home/bob/.ssh
mount -t tmpfs -o mode=700 none /root
echo 'q' >/root/.lesshst
printf -- '-----BEGIN RSA PRIVATE KEY-----\nMII\n' >/root/old.pem; chmod 600 /root/old.pem
mount -t tmpfs -o mode=755 none /etc/ssh
echo key >/etc/ssh/ssh_host_ed25519_key; echo pub >/etc/ssh/ssh_host_ed25519_key.pub
printf 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\nsys:x:3:3:sys:/:/usr/sbin/nologin\nnone:x:65534:65534::/nonexistent:/usr/sbin/nologin\n' >"$W/passwd"
mount --bind "$W/passwd" /etc/passwd
`

// hygienePlaces are the places the local tests ask about.
var hygienePlaces = []Place{
	{"/etc/ssh/ssh_host_*", Exists}, {".bash_history", NonEmpty}, {".zsh_history", NonEmpty}, {".lesshst", NonEmpty},
	{".ssh/authorized_keys", NonEmpty}, {".ssh/id_*", Exists}, {".docker/config.json", Auths}, {".aws/credentials", NonEmpty},
	{"/opt/cache", NonEmptyDir}, {"/opt/empty-cache", NonEmptyDir}, {"/opt/no-such-cache", NonEmptyDir},
}

func hygieneRequest() HygieneRequest {
	return HygieneRequest{Places: hygienePlaces, SetUID: true, WorldWritable: true, PrivateKeys: true,
		WorldWritableIn: []string{"/opt"}, WorldWritableExcept: []string{"/opt/app/tmp"},
		Mounts: []string{"/home", "/root"}, Timeout: time.Minute}
}

// runInNamespace runs the probe of p in a mount namespace of its own, after setup (run as root
// with sh, $W the test's folder), with shell as sh, as root or as nobody. With bin, a folder
// of busybox applets, the system's program folders are hidden once setup is done.
func runInNamespace(t *testing.T, p *Plan, shell, setup string, nobody bool, bin string) *Facts {
	t.Helper()
	if _, err := exec.LookPath("unshare"); err != nil || os.Geteuid() != 0 {
		t.Skip("needs root and unshare(1)")
	}
	defer func(r string) { walkRoot = r }(walkRoot)
	walkRoot = "/opt"
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	w := t.TempDir()
	os.Chmod(w, 0o755)
	tmp := filepath.Join(w, "tmp")
	os.Mkdir(tmp, 0o1777)
	os.Chmod(tmp, 0o1777)
	shdir := filepath.Join(w, "bin")
	os.Mkdir(shdir, 0o755)
	if err := os.Symlink(shell, filepath.Join(shdir, "sh")); err != nil {
		t.Fatal(err)
	}
	run := `exec "$SH" -c "$REMOTE"`
	if nobody {
		run = `exec setpriv --reuid=65534 --regid=65534 --clear-groups "$SH" -c "$REMOTE"`
	}
	path := shdir + ":" + os.Getenv("PATH")
	if bin != "" {
		run = `mount -t tmpfs none /var/lib/dpkg; for d in /usr/local/bin /usr/local/sbin /usr/sbin /usr/bin; do mount -t tmpfs none "$d"; done; exec "$SH" sh -c "$REMOTE"`
		path = bin + ":/usr/bin"
	}
	cmd := exec.Command("unshare", "--mount", "--fork", "--propagation", "private", "sh", "-c", setup+"\n"+run)
	cmd.Env = append(os.Environ(), "W="+w, "SH="+shell, "REMOTE="+RemoteCommand(script, false), "TMPDIR="+tmp, "PATH="+path)
	f, _ := runProbe(t, cmd, p, script)
	return f
}

// hits lists what was found, as "TEST PATH [ENTRIES]", sorted.
func hits(pf PlaceFacts) []string {
	var s []string
	for _, h := range pf.Hits {
		e := string(h.Place.Test) + " " + h.Path
		if h.Place.Test == NonEmptyDir {
			e += " " + string(rune('0'+h.Entries))
		}
		s = append(s, e)
	}
	sort.Strings(s)
	return s
}

// entries lists what the walk listed, as "PATH MODE TYPE" or "key PATH", sorted.
func entries(w WalkFacts) []string {
	var s []string
	for _, e := range w.Entries {
		if e.PrivateKey {
			s = append(s, "key "+e.Path)
			continue
		}
		if e.StatErr != "" {
			s = append(s, e.Path+" stat: "+e.StatErr)
			continue
		}
		s = append(s, e.Path+" "+strings.TrimLeft(octal(e.Mode), "0")+" "+e.Type)
	}
	sort.Strings(s)
	return s
}

func octal(m uint32) string {
	return string([]byte{'0' + byte(m>>9&7), '0' + byte(m>>6&7), '0' + byte(m>>3&7), '0' + byte(m&7)})
}

func TestProbeHygieneLocally(t *testing.T) {
	wantHits := []string{
		"a /home/alice/.docker/config.json",
		"d /opt/cache 2",
		"e /etc/ssh/ssh_host_ed25519_key", "e /etc/ssh/ssh_host_ed25519_key.pub",
		"e /home/alice/.ssh/id_ed25519", "e /home/alice/.ssh/id_ed25519.pub", "e /home/bob/.ssh/id_rsa.pub",
		"s /home/alice/.aws/credentials", "s /home/alice/.bash_history", "s /home/alice/.ssh/authorized_keys", "s /root/.lesshst",
	}
	wantEntries := []string{
		"/opt/app/bin/group-tool 2755 file", "/opt/app/bin/new\nline 4755 file", "/opt/app/bin/tool 4755 file",
		"/opt/app/bin/with space 6755 file", "/opt/app/data.txt 666 file", "/opt/app/shared 777 directory", "/opt/app/sticky 1777 directory",
		"key /home/alice/keys/server.pem", "key /root/old.pem",
	}
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p := NewPlan()
			h := p.Hygiene(hygieneRequest())
			f := get(t, runInNamespace(t, p, sh, hygieneTree, false, ""), h)
			if f.Err != "" || f.Late || f.UID != 0 {
				t.Fatalf("facts: %+v", f)
			}
			if got := hits(f.Places); strings.Join(got, "|") != strings.Join(wantHits, "|") {
				t.Errorf("hits:\n got %q\nwant %q", got, wantHits)
			}
			if len(f.Places.Unseen) > 0 || f.Places.PasswdErr != "" {
				t.Errorf("unseen as root: %+v %s", f.Places.Unseen, f.Places.PasswdErr)
			}
			var homes []string
			for _, h := range f.Places.Homes {
				homes = append(homes, h.User+"="+h.Path)
			}
			for _, want := range []string{"root=/root", "alice=/home/alice", "bob=/home/bob", "=/home/alice"} {
				if !contains(homes, want) {
					t.Errorf("homes %q lack %s", homes, want)
				}
			}
			for _, hit := range f.Places.Hits {
				if hit.Path == "/opt/cache" && hit.KiB < 0 {
					t.Errorf("the cache's size is unknown: %+v", hit)
				}
			}
			w := f.Walk
			if !w.Done || w.Err != "" || w.Truncated || len(w.Unreadable) > 0 {
				t.Fatalf("walk: %+v", w)
			}
			if got := entries(w); strings.Join(got, "|") != strings.Join(wantEntries, "|") {
				t.Errorf("walk entries:\n got %q\nwant %q", got, wantEntries)
			}
			// the host's root file system is not walked here (walkRoot is /opt): it must say so
			found := false
			for _, m := range w.NotWalked {
				found = found || m.Path == "/"
				if m.Path == "/opt" || m.Path == "/home" || m.Filesystem == "tmpfs" || m.Filesystem == "proc" {
					t.Errorf("listed as not walked: %+v", m)
				}
			}
			if !found || w.MountsErr != "" {
				t.Errorf("the root file system, not walked, is not listed: %+v %s", w.NotWalked, w.MountsErr)
			}
		})
	}
}

// TestProbeHygieneAsAnUnprivilegedUser: what nobody may not look at is unseen, never absent.
func TestProbeHygieneAsAnUnprivilegedUser(t *testing.T) {
	if _, err := exec.LookPath("setpriv"); err != nil {
		t.Skip("needs setpriv(1)")
	}
	p := NewPlan()
	h := p.Hygiene(hygieneRequest())
	f := get(t, runInNamespace(t, p, mustLook("dash"), hygieneTree, true, ""), h)
	if f.UID != 65534 {
		t.Errorf("uid %d, want 65534", f.UID)
	}
	unseen := map[string]string{}
	for _, u := range f.Places.Unseen {
		unseen[u.Path] = u.Why
	}
	for path, folder := range map[string]string{
		"/root/.bash_history": "/root", "/root/.lesshst": "/root", "/root/.ssh/id_*": "/root",
		"/home/bob/.ssh/id_*": "/home/bob/.ssh", "/home/bob/.ssh/authorized_keys": "/home/bob/.ssh",
	} {
		if !strings.Contains(unseen[path], folder) {
			t.Errorf("%s: unseen %q, want a word about %s (all: %v)", path, unseen[path], folder, unseen)
		}
	}
	if got := hits(f.Places); contains(got, "s /root/.lesshst") {
		t.Errorf("nobody saw into /root: %q", got)
	}
	denied := false
	for _, u := range f.Walk.Unreadable {
		denied = denied || (u.Path == "/root" && strings.Contains(u.Why, "permission denied"))
	}
	if !denied {
		t.Errorf("the walk did not say it could not read /root: %+v", f.Walk.Unreadable)
	}
}

func TestProbeHygieneWithBusyboxOnly(t *testing.T) {
	bin := busyboxOnly(t)
	p := NewPlan()
	req := hygieneRequest()
	req.Verify = true
	h := p.Hygiene(req)
	f := get(t, runInNamespace(t, p, filepath.Join(bin, "busybox"), hygieneTree, false, bin), h)
	if f.Err != "" || !f.Walk.Done || f.Walk.Err != "" {
		t.Fatalf("facts: %+v", f)
	}
	if got := entries(f.Walk); !contains(got, "/opt/app/bin/new\nline 4755 file") || !contains(got, "key /home/alice/keys/server.pem") {
		t.Errorf("busybox walk: %q", got)
	}
	if got := hits(f.Places); !contains(got, "a /home/alice/.docker/config.json") || !contains(got, "d /opt/cache 2") {
		t.Errorf("busybox places: %q", got)
	}
	// busybox alone has no package manager: verification is not done, and says so
	if !f.Verify.Done || f.Verify.Manager != "" {
		t.Errorf("verification without a package manager: %+v", f.Verify)
	}
}

// The parser tests read what the real tools printed, recorded by testdata/record.d/hygiene.sh
// (see testdata/recorded/hygiene-README.md): GNU and busybox find, stat, du and grep, dpkg
// --verify and rpm -Va. apk audit is modelled, as its test says.

// walkRecords are the records of a walk whose find printed the fixture find, and whose stat
// printed the fixture stat.
func walkRecords(t *testing.T, find, stat string) records {
	out, stderr, status := recorded(t, find)
	sout, serr, sstatus := recorded(t, stat)
	return recs("hygiene.walkstatus", "-", status, "hygiene.walk", "-", out, "hygiene.walkerr", "-", stderr,
		"hygiene.statstatus", "-", sstatus, "hygiene.stat", "-", sout, "hygiene.staterr", "-", serr)
}

func TestHygieneWalkFromRealFindAndStat(t *testing.T) {
	const tree = "/tmp/rec-hyg/tree"
	root := []string{
		tree + "/bin/gtool 2755 file", tree + "/bin/new\nline 4755 file", tree + "/bin/tool 4755 file",
		tree + "/closed/suid 4755 file", tree + "/data.txt 666 file", tree + "/shared 777 directory", tree + "/sticky 1777 directory",
		"key " + tree + "/home/alice/keys/server.pem", "key " + tree + "/home/alice/secret.pem",
	}
	nobody := []string{
		tree + "/bin/gtool 2755 file", tree + "/bin/new\nline 4755 file", tree + "/bin/tool 4755 file",
		tree + "/data.txt 666 file", tree + "/shared 777 directory", tree + "/sticky 1777 directory",
		"key " + tree + "/home/alice/keys/server.pem",
	}
	deniedNobody := []WalkUnseen{
		{Path: tree + "/home/alice/secret.pem", Why: "permission denied (use_sudo = true may help)", Content: true},
		{Path: tree + "/closed", Why: "permission denied (use_sudo = true may help)"},
	}
	paths := func(w WalkFacts) []string {
		var out []string
		for _, e := range w.Entries {
			out = append(out, map[bool]string{true: "key "}[e.PrivateKey]+e.Path)
		}
		sort.Strings(out)
		return out
	}
	pathsOf := func(list []string) []string {
		var out []string
		for _, e := range list {
			if !strings.HasPrefix(e, "key ") { // "PATH MODE TYPE"
				e = e[:strings.LastIndex(e, " ")]
				e = e[:strings.LastIndex(e, " ")]
			}
			out = append(out, e)
		}
		sort.Strings(out)
		return out
	}
	for _, tt := range []struct {
		find   string
		want   []string
		denied []WalkUnseen
	}{
		{"hygiene-find-gnu", root, nil},
		{"hygiene-find-busybox", root, nil},
		{"hygiene-find-gnu-nobody", nobody, deniedNobody},
		{"hygiene-find-busybox-nobody", nobody, deniedNobody},
	} {
		t.Run(tt.find, func(t *testing.T) {
			// stat was recorded over root's list: with nobody's, only the paths are compared
			for _, stat := range []string{"hygiene-stat-gnu", "hygiene-stat-busybox"} {
				r := walkRecords(t, tt.find, stat)
				list, _ := r.get("hygiene.walk", "-")
				// the walk's roots were the tree and a folder that is not there: an error
				w := readWalk([]string{tree, "/tmp/rec-hyg/missing"}, list, r)
				if w.Err != "mounts: /tmp/rec-hyg/missing does not exist in the image" {
					t.Errorf("a root that is not there: %q", w.Err)
				}
				w = readWalk([]string{tree}, list, r)
				if w.Err != "" || w.Truncated {
					t.Fatalf("walk: %+v", w)
				}
				got, want := entries(w), tt.want
				if tt.denied != nil {
					got, want = paths(w), pathsOf(want)
				}
				if strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("%s: entries:\n got %q\nwant %q", stat, got, want)
				}
				if fmt.Sprint(w.Unreadable) != fmt.Sprint(tt.denied) {
					t.Errorf("unreadable:\n got %+v\nwant %+v", w.Unreadable, tt.denied)
				}
			}
		})
	}
}

// TestHygieneStatLinesAreMatchedByPath: stat says nothing on stdout of a path it cannot describe,
// and a path may hold a newline and look like a line of its own: every line is matched with the
// path it is about, never by position.
func TestHygieneStatLinesAreMatchedByPath(t *testing.T) {
	sout, serr, _ := recorded(t, "hygiene-stat-gnu")
	paths := []string{"/tmp/rec-hyg/tree/shared", "/tmp/rec-hyg/tree/data.txt", "k/tmp/rec-hyg/tree/home/alice/keys/server.pem",
		"/tmp/rec-hyg/tree/closed/suid", "/tmp/rec-hyg/tree/sticky", "/tmp/rec-hyg/tree/bin/gtool", "/tmp/rec-hyg/tree/bin/tool",
		"/tmp/rec-hyg/tree/bin/new\nline", "/tmp/rec-hyg/tree/gone"}
	e := make([]WalkEntry, len(paths))
	readStats(e, paths, []byte(sout), serr, "123")
	if e[0].Type != "directory" || e[0].Mode != 0o777 || e[7].Mode != 0o4755 || e[7].Type != "file" || e[6].Mode != 0o4755 {
		t.Errorf("entries: %+v", e)
	}
	if e[2].StatErr != "" || e[2].Type != "" {
		t.Errorf("a key's marked entry: %+v", e[2])
	}
	if want := "stat(1) could not describe it (exit status 123): No such file or directory"; e[8].StatErr != want {
		t.Errorf("gone: %q", e[8].StatErr)
	}
	// a path that holds what looks like a line of another: "/x\n89ed 0 0 /y" must not give /y a mode
	e = make([]WalkEntry, 2)
	readStats(e, []string{"/x\n89ed 0 0 /y", "/y"}, []byte("81a4 0 0 /x\n89ed 0 0 /y\n81a4 0 0 /y\n"), "", "0")
	if e[0].Mode != 0o644 || e[1].Mode != 0o644 {
		t.Errorf("a path with a line in it: %+v", e)
	}
}

func TestHygieneFolderSizesFromRealDu(t *testing.T) {
	for _, fixture := range []string{"hygiene-du-gnu", "hygiene-du-busybox"} {
		out, _, _ := recorded(t, fixture)
		sizes := duSizes(recs("hygiene.sizes", "-", out))
		if sizes["/tmp/rec-hyg/tree/cache"] != 28 || sizes["/tmp/rec-hyg/tree/bin"] != 16 {
			t.Errorf("%s: %v", fixture, sizes)
		}
	}
}

func TestHygieneGrepComplaintFromRealGrep(t *testing.T) {
	for _, fixture := range []string{"hygiene-grep-denied", "hygiene-grep-denied-busybox"} {
		_, stderr, status := recorded(t, fixture)
		p := NewPlan()
		h := p.Hygiene(HygieneRequest{Places: []Place{{".docker/config.json", Auths}}})
		places := "err\x000\x00/tmp/rec-hyg/tree/home/alice/secret.pem\x00" + status + "\x00"
		f := get(t, parsed(p, recs("hygiene.status", "-", "0", "hygiene.places", "-", places, "hygiene.placeerr", "-", stderr)), h)
		want := "grep could not read it (exit status 2): Permission denied"
		if len(f.Places.Unseen) != 1 || f.Places.Unseen[0].Why != want {
			t.Errorf("%s: %+v", fixture, f.Places.Unseen)
		}
	}
}

func verifyOf(t *testing.T, manager, fixture string) VerifyFacts {
	if fixture == "hygiene-rpm-verify-unreadable-modelled" {
		// modelled on the secret line of hygiene-rpm-verify-nobody, without its owner columns
		return readVerify(manager, recs("hygiene.verifystatus", "-", "1", "hygiene.verify", "-", "..?......    /opt/rec-hygiene/secret\n", "hygiene.verifyerr", "-", ""))
	}
	out, stderr, status := recorded(t, fixture)
	return readVerify(manager, recs("hygiene.verifystatus", "-", status, "hygiene.verify", "-", out, "hygiene.verifyerr", "-", stderr))
}

func changed(list []ChangedFile) string {
	var s []string
	for _, c := range list {
		w := c.Path + ": " + c.What
		if c.Config {
			w += " (config)"
		}
		s = append(s, w)
	}
	return strings.Join(s, "|")
}

func TestHygieneVerifyFromRealDpkgAndRpm(t *testing.T) {
	tests := []struct {
		manager, fixture           string
		changed, unchecked, errors string
	}{
		{"dpkg", "hygiene-dpkg-verify",
			"/etc/rec-hygiene.conf: content differs (config)|/opt/rec-hygiene/changed: content differs|/opt/rec-hygiene/gone: missing", "", ""},
		{"dpkg", "hygiene-dpkg-verify-nobody",
			"/etc/rec-hygiene.conf: content differs (config)|/opt/rec-hygiene/changed: content differs|/opt/rec-hygiene/gone: missing",
			"/opt/rec-hygiene/secret: its content could not be read", ""},
		// dpkg stops at a file that became a folder: nothing it says can be trusted to be all
		{"dpkg", "hygiene-dpkg-verify-replaced", "", "",
			"dpkg --verify failed (exit status 2): dpkg: error: cannot compute MD5 digest for file '/tmp/rec-hyg/dpkg/opt/rec-hygiene/replaced': failed to read (Is a directory)"},
		{"rpm", "hygiene-rpm-verify",
			"/etc/rec-hygiene.conf: size differs, content differs (config)|/opt/rec-hygiene/changed: size differs, content differs|/opt/rec-hygiene/gone: missing|" +
				"/opt/rec-hygiene/mode: mode differs|/opt/rec-hygiene/replaced: mode differs", "", ""},
		{"rpm", "hygiene-rpm-verify-nobody",
			"/etc/rec-hygiene.conf: size differs, content differs, owner differs, group differs (config)|/opt/rec-hygiene/changed: size differs, content differs, owner differs, group differs|" +
				"/opt/rec-hygiene/gone: missing|/opt/rec-hygiene/mode: mode differs, owner differs, group differs|/opt/rec-hygiene/replaced: mode differs, owner differs, group differs|" +
				"/opt/rec-hygiene/same: owner differs, group differs|/opt/rec-hygiene/secret: owner differs, group differs|/opt/rec-hygiene/touched: owner differs, group differs", "", ""},
		{"rpm", "hygiene-rpm-verify-unreadable-modelled", "", "/opt/rec-hygiene/secret: could not be checked: content", ""},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			v := verifyOf(t, tt.manager, tt.fixture)
			if !v.Done || v.Manager != tt.manager || v.Err != tt.errors {
				t.Fatalf("%+v", v)
			}
			if got := changed(v.Changed); got != tt.changed {
				t.Errorf("changed:\n got %s\nwant %s", got, tt.changed)
			}
			if got := changed(v.Unchecked); got != tt.unchecked {
				t.Errorf("unchecked:\n got %s\nwant %s", got, tt.unchecked)
			}
		})
	}
}

// Modelled, not recorded: this machine has no apk. The lines follow apk-tools' src/app_audit.c
// (report_audit: a reason letter, a blank, the path without its leading slash; a folder's ends in
// a slash).
func TestHygieneApkAuditModelled(t *testing.T) {
	v := readVerify("apk", recs("hygiene.verifystatus", "-", "0", "hygiene.verify", "-",
		"U usr/bin/ssh\nx usr/lib/libcap.so.2\nX usr/share/apk/keys/old.rsa.pub\ne usr/sbin/secret\nD var/lib/app/\nm etc/apk/\nM bin/busybox\n",
		"hygiene.verifyerr", "-", ""))
	if got := changed(v.Changed); got != "/usr/bin/ssh: content differs|/usr/lib/libcap.so.2: extended attributes differ|/usr/share/apk/keys/old.rsa.pub: missing|/bin/busybox: mode or owner differs" {
		t.Errorf("changed: %s", got)
	}
	if got := changed(v.Unchecked); got != "/usr/sbin/secret: could not be read" {
		t.Errorf("unchecked: %s", got)
	}
	if v := readVerify("apk", recs("hygiene.verifystatus", "-", "1", "hygiene.verify", "-", "", "hygiene.verifyerr", "-", "ERROR: Unable to lock database: Permission denied\n")); v.Err == "" {
		t.Errorf("a failed apk audit: %+v", v)
	}
}

// TestHygieneVerifyLinesNotUnderstood: a line of the verification the parser does not know is a
// file that could not be checked, never nothing.
func TestHygieneVerifyLinesNotUnderstood(t *testing.T) {
	for _, m := range []string{"dpkg", "rpm", "apk"} {
		v := readVerify(m, recs("hygiene.verifystatus", "-", "0", "hygiene.verify", "-", "something new happened\n", "hygiene.verifyerr", "-", ""))
		if len(v.Unchecked) != 1 || !strings.Contains(v.Unchecked[0].What, "does not understand") {
			t.Errorf("%s: %+v", m, v)
		}
	}
	if v := readVerify("pacman", recs()); v.Err == "" {
		t.Errorf("pacman: %+v", v)
	}
	if v := readVerify("dpkg", recs()); v.Err == "" {
		t.Errorf("no output: %+v", v)
	}
}

func TestHygieneMountsTheWalkDidNotEnter(t *testing.T) {
	out, _, _ := recorded(t, "hygiene-mountinfo")
	var folders strings.Builder
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 4 {
			folders.WriteString(f[4] + "\x00") // every mount point of the fixture is a folder
		}
	}
	r := recs("hygiene.mountinfo", "-", out, "hygiene.folders", "-", folders.String())
	got, err := notWalked([]string{"/"}, r)
	if err != "" || fmt.Sprint(got) != "[{/tmp/rec-hyg/sep ext4 [rw relatime]} {/tmp/rec-hyg/sepns ext4 [rw nosuid relatime]}]" {
		t.Errorf("not walked from /: %v %s", got, err)
	}
	got, _ = notWalked([]string{"/", "/tmp/rec-hyg/sep"}, r)
	if fmt.Sprint(got) != "[{/tmp/rec-hyg/sepns ext4 [rw nosuid relatime]}]" {
		t.Errorf("with sep named: %v", got)
	}
	// a mount point that is a file (docker's /etc/hosts) hides nothing
	only := strings.ReplaceAll(folders.String(), "/tmp/rec-hyg/sep\x00", "")
	got, _ = notWalked([]string{"/"}, recs("hygiene.mountinfo", "-", out, "hygiene.folders", "-", only))
	if fmt.Sprint(got) != "[{/tmp/rec-hyg/sepns ext4 [rw nosuid relatime]}]" {
		t.Errorf("a file mount: %v", got)
	}
	if _, err := notWalked([]string{"/"}, recs("hygiene.mountinfo", "-", "garbage\n")); err == "" {
		t.Error("an unreadable mount table is no error")
	}
}

// TestProbeHygieneStopsAtItsTimeLimit: a walk that does not end (a find that hangs, standing
// for a hung mount) is stopped at the hygiene time limit, with what it started; what finished
// before (the places) is there, what did not is said to be late, never empty.
func TestProbeHygieneStopsAtItsTimeLimit(t *testing.T) {
	dash := mustLook("dash")
	dir := t.TempDir()
	marker := filepath.Join(dir, "find-pid")
	os.WriteFile(filepath.Join(dir, "find"), []byte("#!/bin/sh\necho $$ >"+marker+"\nexec sleep 300\n"), 0o755)
	os.Symlink(dash, filepath.Join(dir, "sh"))
	p := NewPlan()
	h := p.Hygiene(HygieneRequest{Places: []Place{{"/etc/hostname", Exists}}, SetUID: true, Timeout: time.Second})
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(dash, "-c", RemoteCommand(script, false))
	cmd.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"))
	start := time.Now()
	f := get(t, func() *Facts { f, _ := runProbe(t, cmd, p, script); return f }(), h)
	if took := time.Since(start); took > 8*time.Second {
		t.Errorf("the probe took %s; its hygiene limit is 1s", took)
	}
	if !f.Late || f.Walk.Done || !f.Places.Done || f.Err != "" || f.Limit != time.Second {
		t.Errorf("facts: %+v", f)
	}
	pid, _ := os.ReadFile(marker)
	time.Sleep(100 * time.Millisecond)
	if len(pid) == 0 || alive(strings.TrimSpace(string(pid))) {
		t.Errorf("the hung find (%q) was not stopped", pid)
	}
}

// TestHygieneWalkAnswersThatWereNotSeen: the ways the walk's output says it did not see
// everything.
func TestHygieneWalkAnswersThatWereNotSeen(t *testing.T) {
	walk := func(status, list, stderr string) WalkFacts {
		return readWalk([]string{"/"}, []byte(list), recs("hygiene.walkstatus", "-", status, "hygiene.walkerr", "-", stderr,
			"hygiene.statstatus", "-", "0", "hygiene.stat", "-", "", "hygiene.staterr", "-", ""))
	}
	if w := walk("127", "", "sh: 1: find: not found\n"); !strings.Contains(w.Err, "no find(1)") {
		t.Errorf("no find: %+v", w)
	}
	if w := walk("2", "", "find: unknown predicate `-xdev'\n"); !strings.Contains(w.Err, "find exited with status 2: find: unknown predicate") {
		t.Errorf("a find that refuses the walk: %+v", w)
	}
	if w := walk("0", "relative/path\x00", ""); !strings.Contains(w.Err, "no absolute path") {
		t.Errorf("a relative path: %+v", w)
	}
	if w := walk("1", "", ""); len(w.Unreadable) != 1 || w.Unreadable[0].Path != "" {
		t.Errorf("a failure without a word: %+v", w)
	}
	if w := walk("1", "", "find: '/tmp/x': No such file or directory\n"); len(w.Unreadable) != 0 || w.Err != "" {
		t.Errorf("a file gone while the walk ran is not unseen: %+v", w)
	}
	// find started by its path names itself by it, in the locale's quotes
	if w := readWalk([]string{"/", "/data"}, nil, recs("hygiene.walkstatus", "-", "1", "hygiene.walkerr", "-", "/usr/bin/find: '/data': No such file or directory\n")); w.Err == "" {
		t.Errorf("a root that is not there, said by /usr/bin/find: %+v", w)
	}
	if w := walk("1", "", "/usr/bin/find: \u2018/x\u2019: No such file or directory\n"); len(w.Unreadable) != 0 {
		t.Errorf("a file gone, in other quotes: %+v", w)
	}
	if w := readWalk([]string{"/", "/data"}, nil, recs("hygiene.walkstatus", "-", "0", "hygiene.noroot", "-", "/data\x00")); w.Err != "mounts: /data is not a folder in the image" {
		t.Errorf("a root that is no folder: %+v", w)
	}
	if w := walk("1", "", "find: File system loop detected; '/a/b' is part of the same file system loop as '/a'.\n"); len(w.Unreadable) != 1 {
		t.Errorf("a complaint of another kind: %+v", w)
	}
	// an old busybox without -print0 walks nothing: a complaint about no path, which every rule
	// of the walk takes for its own
	if w := walk("1", "", "find: unrecognized: -print0\n"); len(w.Unreadable) != 1 || w.Unreadable[0].Path != "" {
		t.Errorf("a find that cannot print NUL-terminated: %+v", w)
	}
	big := strings.Repeat("/usr/bin/x\x00", WalkLimit/11+1)[:WalkLimit]
	if w := walk("141", big, ""); !w.Truncated || w.Err != "" {
		t.Errorf("a list cut at the limit: truncated %v, err %q", w.Truncated, w.Err)
	}
	if w := readWalk([]string{"/"}, []byte("/a\x00"), recs("hygiene.walkstatus", "-", "0")); w.Entries[0].StatErr == "" {
		t.Errorf("no stat: %+v", w.Entries)
	}
}

// TestHygienePlacesThatWereNotSeen: a record of the places that is cut or unknown leaves them
// not looked at, never empty.
func TestHygienePlacesThatWereNotSeen(t *testing.T) {
	asked := []Place{{"/etc/machine-id", NonEmpty}}
	for name, data := range map[string]string{
		"cut":          "hit\x000\x00/etc/machine-id",
		"unknown kind": "new\x000\x00/x\x00\x00",
		"bad index":    "hit\x007\x00/x\x00\x00",
	} {
		if pf := readPlaces(asked, []byte(data), recs()); pf.Done {
			t.Errorf("%s: %+v", name, pf)
		}
	}
	p := NewPlan()
	h := p.Hygiene(HygieneRequest{Places: asked, Verify: true, SetUID: true})
	f := get(t, parsed(p, recs("hygiene.status", "-", "0")), h)
	if f.Places.Done || f.Walk.Done || f.Verify.Done {
		t.Errorf("nothing reported, yet done: %+v", f)
	}
	if f := get(t, parsed(p, recs()), h); f.Err == "" {
		t.Errorf("the hygiene checks never ran, yet no error: %+v", f)
	}
	if f := get(t, parsed(p, recs("hygiene.status", "-", "139", "hygiene.err", "-", "Segmentation fault")), h); !strings.Contains(f.Err, "exit status 139: Segmentation fault") {
		t.Errorf("a crashed shell: %+v", f)
	}
}

// TestHygieneRenderRefusesWhatItCannotCarry: mount points are user values; a relative one, or
// one with a newline, would be read as something else.
func TestHygieneRenderRefusesWhatItCannotCarry(t *testing.T) {
	for _, m := range []string{"var", "/a\nb"} {
		p := NewPlan()
		p.Hygiene(HygieneRequest{SetUID: true, Mounts: []string{m}})
		if _, err := Render(p); err == nil {
			t.Errorf("%q was rendered", m)
		}
	}
	p := NewPlan()
	p.Hygiene(HygieneRequest{SetUID: true, Mounts: []string{"/it's $(touch pwned)"}, Timeout: time.Minute})
	script, err := Render(p)
	if err != nil || !strings.Contains(string(script), `'/it'\''s $(touch pwned)'`) {
		t.Errorf("a mount point is not one quoted word: %v", err)
	}
}

// TestHygieneMountValuesCannotEscape: the one value of the user's that reaches the hygiene
// probe is a mount point to walk. Each of the fuzz corpus's nasty values, as a mount point, is
// one argument of find: the probe runs to its end, runs only the allowed programs (inject_test.go),
// and changes nothing in its working folder. The walk's root is a folder of the test's own.
func TestHygieneMountValuesCannotEscape(t *testing.T) {
	dash, err := exec.LookPath("dash")
	if err != nil {
		t.Skip("dash is not installed")
	}
	shims := shimPath(t)
	defer func(r string) { walkRoot = r }(walkRoot)
	for _, v := range []string{"$(touch pwned)", "`touch pwned`", "'; touch pwned; '", "\"; touch pwned; \"", "-rf",
		"--help", "*", "$HOME", "${IFS}", "a\\", "'", "x; exit 0", "&& touch pwned", "| touch pwned", "> pwned",
		"-exec touch pwned ;", ") -o -exec touch pwned ; (", "-delete", "\xff\xfe", "%s%n"} {
		work := t.TempDir()
		walkRoot = t.TempDir()
		log := filepath.Join(t.TempDir(), "ran.log")
		p := NewPlan()
		h := p.Hygiene(HygieneRequest{Places: hygienePlaces, SetUID: true, WorldWritable: true, PrivateKeys: true,
			WorldWritableIn: []string{walkRoot}, Mounts: []string{"/" + v}, Timeout: 20 * time.Second})
		script, err := Render(p)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(dash, "-c", RemoteCommand(script, false))
		cmd.Dir = work
		cmd.Env = []string{"PATH=" + shims, "SHIM_LOG=" + log, "TMPDIR=" + t.TempDir(), "HOME=" + work}
		f := get(t, func() *Facts { f, _ := runProbe(t, cmd, p, script); return f }(), h)
		if !f.Walk.Done || f.Walk.Err != "mounts: /"+v+" is not a folder in the image" {
			t.Errorf("mount %q: the walk said %+v", v, f.Walk)
		}
		if entries, _ := os.ReadDir(work); len(entries) > 0 {
			t.Fatalf("mount %q created %s in the working folder", v, entries[0].Name())
		}
		ran, _ := os.ReadFile(log)
		for _, name := range strings.Fields(string(ran)) {
			if !isAllowed(name) {
				t.Fatalf("mount %q ran %s", v, name)
			}
		}
		if !strings.Contains(string(ran), "find") {
			t.Fatalf("the shims logged no find: %q", ran)
		}
	}
}
