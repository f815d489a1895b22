package probe

import (
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
