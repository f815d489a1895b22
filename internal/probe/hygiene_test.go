package probe

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The hygiene probe walks file systems and reads the password database, so the local tests run
// it in a mount namespace of their own (root and unshare(1) needed), over a tree they plant on
// tmpfs mounts: /opt (the walk's root file system in these tests), /home, /root, /etc/ssh, and
// /etc/passwd bound to a file of their own. Nothing of the host is changed.

// hygieneTree plants, under tmpfs mounts in the namespace, what the rules look for, and what
// they must leave alone. $W is the test's folder on the host. /etc/passwd's last line, eve's,
// has no newline at its end; carol's home is a symlink to /opt/carol-data; app's home is in
// /opt, where world-writable files count; sys's home is /.
const hygieneTree = `set -e
key() { printf -- '-----BEGIN %sPRIVATE KEY-----\nMII\n-----END %sPRIVATE KEY-----\n' "$2" "$2" >"$1"; }
mount -t tmpfs -o mode=755 none /opt
mkdir -p /opt/app/bin /opt/app/tmp /opt/cache/partial /opt/empty-cache/partial /opt/eve /opt/carol-data /opt/apphome /opt/mid
printf x >/opt/app/bin/tool; chmod 4755 /opt/app/bin/tool
printf x >/opt/app/bin/group-tool; chmod 2755 /opt/app/bin/group-tool
printf x >'/opt/app/bin/new
line'; chmod 4755 '/opt/app/bin/new
line'
printf x >'/opt/app/bin/with space'; chmod 6755 '/opt/app/bin/with space'
printf x >/opt/app/bin/owned; chmod 755 /opt/app/bin/owned; chown 1000:4242 /opt/app/bin/owned
printf x >/opt/app/orphan; chown 4242:4242 /opt/app/orphan
ln -s tool /opt/app/bin/owned-link; chown -h 1000:1000 /opt/app/bin/owned-link
printf x >/opt/app/data.txt; chmod 666 /opt/app/data.txt
printf x >/opt/app/ok; chmod 644 /opt/app/ok
mkdir -m 777 /opt/app/shared; chmod 777 /opt/app/shared
mkdir /opt/app/sticky; chmod 1777 /opt/app/sticky
printf x >/opt/app/tmp/scratch; chmod 666 /opt/app/tmp/scratch
ln -s /opt/app/ok /opt/app/link
: >/opt/cache/lock; printf deb >/opt/cache/a.deb; printf deb >/opt/cache/b.deb; : >/opt/empty-cache/lock
echo 'curl -u eve:pw' >/opt/eve/.bash_history
key /opt/carol-data/deploy.pem 'OPENSSH '
key /opt/apphome/app.pem ''; chmod 666 /opt/apphome/app.pem
echo uninitialized >/opt/mid/init; printf uninitialized >/opt/mid/init-no-newline; echo 0123abc >/opt/mid/real
printf 'uninitialized\nmore\n' >/opt/mid/more; : >/opt/mid/empty
mount -t tmpfs -o mode=755 none /home
mkdir -p /home/alice/.ssh /home/alice/keys /home/alice/certs /home/alice/.docker /home/alice/.aws /home/bob/.docker /home/bob/.ssh
ln -s /opt/carol-data /home/carol
echo 'ls -l' >/home/alice/.bash_history
: >/home/bob/.bash_history
ln -s /dev/null /home/bob/.zsh_history
echo 'ssh-ed25519 AAAA alice@laptop' >/home/alice/.ssh/authorized_keys
echo 'private' >/home/alice/.ssh/id_ed25519; echo 'public' >/home/alice/.ssh/id_ed25519.pub
echo 'public' >/home/bob/.ssh/id_rsa.pub
key /home/alice/keys/server.pem ''
printf -- '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n' >/home/alice/certs/ca.pem
echo '{"auths":{"registry.example.com":{"auth":"dXNlcjpwYXNz"}}}' >/home/alice/.docker/config.json
echo '{"credsStore":"ecr-login"}' >/home/bob/.docker/config.json
printf '//registry.npmjs.org/:_authToken=npm_x\n' >/home/alice/.npmrc; echo 'registry=https://registry.npmjs.org/' >/home/bob/.npmrc
printf '[default]\naws_secret_access_key = x\n' >/home/alice/.aws/credentials
chmod 700 /home/bob/.ssh
mount -t tmpfs -o mode=700 none /root
mkdir /root/.ssh
echo 'q' >/root/.lesshst
key /root/old.pem 'RSA '; chmod 600 /root/old.pem
key /root/.ssh/deploy_key 'OPENSSH '
key /root/server.key ''
key /root/tls.pem 'RSA '; chmod 4600 /root/tls.pem
mount -t tmpfs -o mode=755 none /etc/ssh
echo key >/etc/ssh/ssh_host_ed25519_key; echo pub >/etc/ssh/ssh_host_ed25519_key.pub
printf 'Port 22\nAuthorizedKeysFile /etc/ssh/keys/%%u %%h/.ssh/authorized_keys\nMatch User bob\n  AuthorizedKeysFile=.config/ssh/keys\n' >/etc/ssh/sshd_config
mkdir -p /etc/ssh/sshd_config.d /etc/ssh/keys /etc/ssh/more /home/bob/.config/ssh
printf 'AuthorizedKeysFile "/etc/ssh/more/%%U"\n' >/etc/ssh/sshd_config.d/more.conf
echo 'ssh-ed25519 AAAA alice' >/etc/ssh/keys/alice; : >/etc/ssh/keys/bob; echo 'ssh-ed25519 AAAA' >/etc/ssh/more/1000
echo 'ssh-ed25519 AAAA bob' >/home/bob/.config/ssh/keys
printf 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice/:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\nsys:x:3:3:sys:/:/usr/sbin/nologin\nnone:x:65534:65534::/nonexistent:/usr/sbin/nologin\ncarol:x:1002:1002::/home/carol:/bin/sh\napp:x:998:998::/opt/apphome:/usr/sbin/nologin\neve:x:1003:1003::/opt/eve:/bin/sh' >"$W/passwd"
mount --bind "$W/passwd" /etc/passwd
`

// hygienePlaces are the places the local tests ask about.
var hygienePlaces = []Place{
	{"/etc/ssh/ssh_host_*", Exists}, {".bash_history", NonEmpty}, {".zsh_history", NonEmpty}, {".lesshst", NonEmpty},
	{".ssh/authorized_keys", NonEmpty}, {".ssh/id_*", Exists}, {".docker/config.json", Auths}, {".aws/credentials", NonEmpty},
	{".npmrc", HoldsAny("_auth", "_password")}, {"/opt/mid/*", MachineID}, {"/etc/ssh/sshd_config", AuthorizedKeysFiles},
	{"/opt/cache", NonEmptyDir}, {"/opt/empty-cache", NonEmptyDir}, {"/opt/no-such-cache", NonEmptyDir},
}

func hygieneRequest() HygieneRequest {
	return HygieneRequest{Places: hygienePlaces, SetUID: true, WorldWritable: true, PrivateKeys: true, Owners: true,
		WorldWritableIn: []string{"/opt"}, WorldWritableExcept: []string{"/opt/app/tmp"}, OwnersIn: []string{"/opt/app"},
		Mounts: []string{"/home", "/root"}, Timeout: time.Minute}
}

// runInNamespace runs the probe of p in a mount namespace of its own, after setup (run as root
// with sh, $W the test's folder), with shell as sh, as root or as nobody. With bin, a folder
// of busybox applets, the system's program folders are hidden once setup is done. With stubs, a
// folder of programs, they come first on PATH.
func runInNamespace(t *testing.T, p *Plan, shell, setup string, nobody bool, bin string, stubs ...string) *Facts {
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
	path := strings.Join(append(stubs, shdir, os.Getenv("PATH")), ":")
	if bin != "" {
		run = `mount -t tmpfs none /var/lib/dpkg; for d in /usr/local/bin /usr/local/sbin /usr/sbin /usr/bin; do mount -t tmpfs none "$d"; done; exec "$SH" sh -c "$REMOTE"`
		path = bin + ":/usr/bin"
	}
	cmd := exec.Command("unshare", "--mount", "--fork", "--propagation", "private", "sh", "-c", setup+"\n"+run)
	cmd.Env = append(os.Environ(), "W="+w, "SH="+shell, "REMOTE="+RemoteCommand(script, false), "TMPDIR="+tmp, "PATH="+path)
	f, _ := runProbe(t, cmd, p, script)
	return f
}

// hits lists what was found, as "TEST PATH [ENTRIES] [USER]" (TEST h for a HoldsAny), sorted.
func hits(pf PlaceFacts) []string {
	var s []string
	for _, h := range pf.Hits {
		test := string(h.Place.Test)
		if strings.HasPrefix(test, "h:") {
			test = "h"
		}
		e := test + " " + h.Path
		if h.Place.Test == NonEmptyDir {
			e += " " + strconv.Itoa(h.Entries)
		}
		if h.User != "" {
			e += " " + h.User
		}
		s = append(s, e)
	}
	sort.Strings(s)
	return s
}

// entries lists what the walk listed, as "PATH MODE TYPE [OWNER]" (the owner when it is not
// root) or "key PATH", sorted.
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
		line := e.Path + " " + strings.TrimLeft(octal(e.Mode), "0") + " " + e.Type
		if e.UID != 0 {
			line += fmt.Sprintf(" %d:%d %s:%s", e.UID, e.GID, e.Owner, e.Group)
		}
		s = append(s, line)
	}
	sort.Strings(s)
	return s
}

func octal(m uint32) string {
	return string([]byte{'0' + byte(m>>9&7), '0' + byte(m>>6&7), '0' + byte(m>>3&7), '0' + byte(m&7)})
}

// The hits and entries of hygieneTree, as root.
var (
	treeHits = []string{
		"K /etc/ssh/keys/alice alice", "K /etc/ssh/more/1000 alice", "K /home/bob/.config/ssh/keys bob",
		"d /opt/cache 2",
		"e /etc/ssh/ssh_host_ed25519_key", "e /etc/ssh/ssh_host_ed25519_key.pub",
		"e /home/alice/.ssh/id_ed25519", "e /home/alice/.ssh/id_ed25519.pub", "e /home/bob/.ssh/id_rsa.pub",
		"h /home/alice/.docker/config.json", "h /home/alice/.npmrc",
		"m /opt/mid/more", "m /opt/mid/real",
		"s /home/alice/.aws/credentials", "s /home/alice/.bash_history", "s /home/alice/.ssh/authorized_keys",
		"s /opt/eve/.bash_history", "s /root/.lesshst",
	}
	treeEntries = []string{
		"/opt/app/bin/group-tool 2755 file", "/opt/app/bin/new\nline 4755 file", "/opt/app/bin/owned 755 file 1000:4242 alice:UNKNOWN",
		"/opt/app/bin/tool 4755 file", "/opt/app/bin/with space 6755 file", "/opt/app/data.txt 666 file", "/opt/app/orphan 644 file 4242:4242 UNKNOWN:UNKNOWN", "/opt/app/shared 777 directory",
		"/opt/app/sticky 1777 directory", "/opt/apphome/app.pem 666 file", "/root/tls.pem 4600 file",
		"key /home/alice/keys/server.pem", "key /opt/apphome/app.pem", "key /opt/carol-data/deploy.pem", "key /root/.ssh/deploy_key",
		"key /root/old.pem", "key /root/server.key", "key /root/tls.pem",
	}
)

// TestProbeHygieneLocally: in every shell, every place is looked at in every home folder (one
// from the last line of /etc/passwd, without its newline, too), keys are found by their content
// whatever their name, in a home that is a symlink, and when another branch of the walk lists
// them too (a set-uid or world-writable key), and the owner of what root does not own is known.
func TestProbeHygieneLocally(t *testing.T) {
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p := NewPlan()
			h := p.Hygiene(hygieneRequest())
			f := get(t, runInNamespace(t, p, sh, hygieneTree, false, ""), h)
			if f.Err != "" || f.Late || f.UID != 0 || f.UIDMin != 1000 {
				t.Fatalf("facts: %+v", f)
			}
			if got := hits(f.Places); strings.Join(got, "|") != strings.Join(treeHits, "|") {
				t.Errorf("hits:\n got %q\nwant %q", got, treeHits)
			}
			if len(f.Places.Unseen) > 0 || f.Places.PasswdErr != "" {
				t.Errorf("unseen as root: %+v %s", f.Places.Unseen, f.Places.PasswdErr)
			}
			var homes []string
			for _, h := range f.Places.Homes {
				homes = append(homes, h.User+"="+h.Path+">"+h.Real)
			}
			for _, want := range []string{"root=/root>/root", "alice=/home/alice>/home/alice", "bob=/home/bob>/home/bob", "=/home/alice>/home/alice",
				"sys=/>/", "none=/nonexistent>", "carol=/home/carol>/opt/carol-data", "eve=/opt/eve>/opt/eve"} {
				if !contains(homes, want) {
					t.Errorf("homes %q lack %s", homes, want)
				}
			}
			for _, hit := range f.Places.Hits {
				if hit.Path == "/opt/cache" && hit.KiB < 0 {
					t.Errorf("the cache's size is unknown: %+v", hit)
				}
				if want := map[string]string{"/opt/eve/.bash_history": "/opt/eve", "/home/alice/.npmrc": "/home/alice", "/opt/mid/real": ""}[hit.Path]; want != hit.Home && hit.Path != "/home/alice/.bash_history" {
					if hit.Path == "/opt/eve/.bash_history" || hit.Path == "/home/alice/.npmrc" || hit.Path == "/opt/mid/real" {
						t.Errorf("%s found in home %q, want %q", hit.Path, hit.Home, want)
					}
				}
			}
			w := f.Walk
			if !w.Done || w.Err != "" || w.Truncated || len(w.Unreadable) > 0 {
				t.Fatalf("walk: %+v", w)
			}
			if got := entries(w); strings.Join(got, "|") != strings.Join(treeEntries, "|") {
				t.Errorf("walk entries:\n got %q\nwant %q", got, treeEntries)
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
	for _, hm := range f.Places.Homes {
		if hm.Path == "/root" && hm.Real != "" {
			t.Errorf("nobody resolved /root: %+v", hm)
		}
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
	if got := entries(f.Walk); strings.Join(got, "|") != strings.Join(treeEntries, "|") {
		t.Errorf("busybox walk:\n got %q\nwant %q", got, treeEntries)
	}
	if got := hits(f.Places); strings.Join(got, "|") != strings.Join(treeHits, "|") {
		t.Errorf("busybox places:\n got %q\nwant %q", got, treeHits)
	}
	// busybox alone has no package manager: verification is not done, and says so
	if !f.Verify.Done || f.Verify.Manager != "" {
		t.Errorf("verification without a package manager: %+v", f.Verify)
	}
}

// btrfsSetup makes a btrfs file system in a file, with the subvolumes @ (mounted on /opt, the
// walk's root in these tests), @/nested (inside @, mounted nowhere) and @opt (mounted on
// /opt/opt), each holding a set-uid file. The kernel lists all three with one device number;
// stat(2) gives each subvolume a device of its own, so find -xdev would enter neither of them.
const btrfsSetup = `set -e
truncate -s 300M $W/b.img
mkfs.btrfs -q -f $W/b.img >/dev/null
mkdir $W/top
mount -o loop $W/b.img $W/top
btrfs -q subvolume create $W/top/@
btrfs -q subvolume create $W/top/@opt
btrfs -q subvolume create $W/top/@/nested
umount $W/top
mount -o loop,subvol=@ $W/b.img /opt
mkdir -p /opt/opt /opt/bin
printf x >/opt/bin/known; chmod 4755 /opt/bin/known
printf x >/opt/nested/inside; chmod 4755 /opt/nested/inside
mount -o loop,subvol=@opt $W/b.img /opt/opt
printf x >/opt/opt/rootshell; chmod 4755 /opt/opt/rootshell
`

// TestProbeHygieneWalksBtrfsSubvolumes: a subvolume inside the walked one, mounted nowhere, is
// walked; one mounted on a folder of it is a file system the walk did not enter, until it is
// named in mounts.
func TestProbeHygieneWalksBtrfsSubvolumes(t *testing.T) {
	if _, err := exec.LookPath("mkfs.btrfs"); err != nil {
		t.Skip("needs mkfs.btrfs and btrfs (btrfs-progs)")
	}
	if b, _ := os.ReadFile("/proc/filesystems"); !strings.Contains(string(b), "btrfs") {
		t.Skip("the kernel has no btrfs")
	}
	for _, named := range []bool{false, true} {
		p := NewPlan()
		req := HygieneRequest{SetUID: true, Timeout: time.Minute}
		if named {
			req.Mounts = []string{"/opt/opt"}
		}
		h := p.Hygiene(req)
		f := get(t, runInNamespace(t, p, mustLook("dash"), btrfsSetup, false, ""), h)
		if !f.Walk.Done || f.Walk.Err != "" || f.Walk.MountsErr != "" {
			t.Fatalf("walk: %+v", f.Walk)
		}
		got := entries(f.Walk)
		want := []string{"/opt/bin/known 4755 file", "/opt/nested/inside 4755 file"}
		if named {
			want = append(want, "/opt/opt/rootshell 4755 file")
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("mounts %q: entries\n got %q\nwant %q", req.Mounts, got, want)
		}
		said := false
		for _, m := range f.Walk.NotWalked {
			said = said || (m.Path == "/opt/opt" && m.Filesystem == "btrfs")
		}
		if said == named {
			t.Errorf("mounts %q: /opt/opt said to be not walked: %v (%+v)", req.Mounts, said, f.Walk.NotWalked)
		}
	}
}

// TestProbeHygieneBindMounts: a bind mount of a folder of the walked file system shows what the
// walk sees where it is, so it is no file system left out; one of a folder the walk does not
// see (here, of the host's root file system) is.
func TestProbeHygieneBindMounts(t *testing.T) {
	const setup = `set -e
truncate -s 16M $W/e.img
mkfs.ext4 -q -F $W/e.img
mount -o loop $W/e.img /opt
mkdir -p /opt/src /opt/bound /opt/hostbound $W/hostdir
printf x >/opt/src/tool; chmod 4755 /opt/src/tool
mount --bind /opt/src /opt/bound
mount --bind $W/hostdir /opt/hostbound
`
	p := NewPlan()
	h := p.Hygiene(HygieneRequest{SetUID: true, Timeout: time.Minute})
	f := get(t, runInNamespace(t, p, mustLook("dash"), setup, false, ""), h)
	if got := entries(f.Walk); strings.Join(got, "|") != "/opt/src/tool 4755 file" {
		t.Errorf("entries: %q (the bind mount is walked once, where it comes from)", got)
	}
	var left []string
	for _, m := range f.Walk.NotWalked {
		left = append(left, m.Path)
	}
	if contains(left, "/opt/bound") || !contains(left, "/opt/hostbound") {
		t.Errorf("not walked: %q; want /opt/hostbound, not /opt/bound", left)
	}
}

// TestProbeHygieneReadsDpkgsFiltersAndDigests: beside dpkg --verify, the probe reads dpkg's path
// filters, in dpkg's order and from the files dpkg reads (not bad.name: dpkg takes no file with
// a dot in its name), and lists the packages without digests that still hold a regular file
// that is not one of their configuration files: b, whose .md5sums is gone; not a, which has
// its digests, nor c and e, whose only file left is a configuration file (removed, not purged),
// nor d, which holds only a folder and a symlink.
func TestProbeHygieneReadsDpkgsFiltersAndDigests(t *testing.T) {
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("needs dpkg")
	}
	const setup = `set -e
mount -t tmpfs none /var/lib/dpkg
cd /var/lib/dpkg; mkdir info updates triggers; : >status; : >available; cd info
mkdir "$W/etc-dpkg"; cp -a /etc/dpkg/. "$W/etc-dpkg/"; rm -rf "$W/etc-dpkg/dpkg.cfg.d"; mkdir "$W/etc-dpkg/dpkg.cfg.d"
printf 'path-exclude=/usr/share/doc/*\n' >"$W/etc-dpkg/dpkg.cfg.d/excludes"
printf 'path-exclude /bad/*\n' >"$W/etc-dpkg/dpkg.cfg.d/bad.name"
printf 'path-include /usr/share/doc/*/copyright\n' >>"$W/etc-dpkg/dpkg.cfg"
mount --bind "$W/etc-dpkg" /etc/dpkg
mount -t tmpfs none /opt
printf '/.\n/opt\n/opt/a\n' >a.list; echo x >/opt/a; printf '0123  opt/a\n' >a.md5sums
printf '/.\n/opt\n/opt/b\n' >b:amd64.list; echo x >/opt/b
printf '/opt\n/opt/c.conf\n' >c.list; echo x >/opt/c.conf; printf '/opt/c.conf\n' >c.conffiles
printf '/.\n/opt\n/opt/dlink\n' >d.list; ln -s a /opt/dlink
printf '/opt\n/opt/e.conf\n' >e.list; echo x >/opt/e.conf; printf '/opt/e.conf obsolete\n' >e.conffiles
`
	p := NewPlan()
	h := p.Hygiene(HygieneRequest{Verify: true, Timeout: time.Minute})
	f := get(t, runInNamespace(t, p, mustLook("dash"), setup, false, ""), h)
	v := f.Verify
	if !v.Done || v.Manager != "dpkg" || v.Err != "" {
		t.Fatalf("verification: %+v", v)
	}
	if got := changed(v.Unchecked); !strings.HasPrefix(got, "/var/lib/dpkg/info/b:amd64.md5sums: missing, so dpkg cannot tell") || strings.Count(got, "|") != 0 {
		t.Errorf("unchecked: %s", got)
	}
	if got := fmt.Sprint(v.Filters); got != "[{true /usr/share/doc/*} {false /usr/share/doc/*/copyright}]" {
		t.Errorf("filters: %s", got)
	}
}

// The parser tests read what the real tools printed, recorded by testdata/record.d/hygiene.sh
// (see testdata/recorded/hygiene-README.md): GNU and busybox find, stat, du and grep, the mount
// table, dpkg --verify with its path filters, and rpm -Va. apk audit is modelled, as its test
// says.

// oneMount is a mount table of the root file system alone, where the walks of the parser tests
// happen.
const oneMount = "22 1 0:21 / / rw,relatime - ext4 /dev/vda1 rw\n"

// walkOf reads a walk of the roots (each a folder, walked by one find) as the probe reports it:
// the records kv (the walk, stat, their complaints), the roots with where they lead, a status
// for each (status, unless kv has one), and oneMount.
func walkOf(roots []string, status string, kv ...string) WalkFacts {
	var asked []root
	var info strings.Builder
	for _, r := range roots {
		asked = append(asked, root{r, true})
		info.WriteString(r + "\x00" + r + "\x00")
	}
	// the records of kv come last, and so win over these
	all := append([]string{"hygiene.walkstatus", "-", strings.TrimSuffix(strings.Repeat(status+"\n", len(roots)), "\n"),
		"hygiene.roots", "-", info.String(), "hygiene.mountstatus", "-", "0", "hygiene.mountinfo", "-", oneMount, "hygiene.folders", "-", "/\x00"}, kv...)
	return readWalk(asked, "", recs(all...))
}

// walkRecorded is walkOf with what the fixtures find and stat printed.
func walkRecorded(t *testing.T, roots []string, find, stat string) WalkFacts {
	out, stderr, status := recorded(t, find)
	sout, serr, sstatus := recorded(t, stat)
	return walkOf(roots, status, "hygiene.walk", "-", out, "hygiene.walkerr", "-", stderr,
		"hygiene.statstatus", "-", sstatus, "hygiene.stat", "-", sout, "hygiene.staterr", "-", serr)
}

// TestHygieneWalkFromRealFindAndStat: the walk as GNU and busybox find print it, as root and as
// nobody, with GNU's and busybox's stat: a key listed by its branch and again as set-uid is both
// a key and a set-uid file; the owner without a name is said so; what nobody may not read is
// unseen, with the path.
func TestHygieneWalkFromRealFindAndStat(t *testing.T) {
	const tree = "/tmp/rec-hyg/tree"
	root := []string{
		tree + "/bin/gtool 2755 file", tree + "/bin/new\nline 4755 file", tree + "/bin/tool 4755 file",
		tree + "/closed/suid 4755 file", tree + "/data.txt 666 file", tree + "/home/alice/tls.key 4644 file",
		tree + "/shared 777 directory", tree + "/sticky 1777 directory", tree + "/sys/orphan 644 file 4242:4242 UNKNOWN:UNKNOWN",
		"key " + tree + "/home/alice/.ssh/deploy", "key " + tree + "/home/alice/keys/server.pem", "key " + tree + "/home/alice/secret.pem",
		"key " + tree + "/home/alice/tls.key",
	}
	nobody := []string{
		tree + "/bin/gtool", tree + "/bin/new\nline", tree + "/bin/tool", tree + "/data.txt", tree + "/home/alice/tls.key",
		tree + "/shared", tree + "/sticky", tree + "/sys/orphan", "key " + tree + "/home/alice/keys/server.pem", "key " + tree + "/home/alice/tls.key",
	}
	deniedNobody := []WalkUnseen{
		{Path: tree + "/home/alice/.ssh/deploy", Why: "permission denied (use_sudo = true may help)", Content: true},
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
				w := walkRecorded(t, []string{tree}, tt.find, stat)
				if w.Err != "" || w.Truncated || !w.Done {
					t.Fatalf("walk: %+v", w)
				}
				got := entries(w)
				if tt.denied != nil {
					got = paths(w)
				}
				if strings.Join(got, "|") != strings.Join(tt.want, "|") {
					t.Errorf("%s: entries:\n got %q\nwant %q", stat, got, tt.want)
				}
				if fmt.Sprint(w.Unreadable) != fmt.Sprint(tt.denied) {
					t.Errorf("unreadable:\n got %+v\nwant %+v", w.Unreadable, tt.denied)
				}
			}
		})
	}
	// a root that went away between the mount table and its find is an error
	for _, find := range []string{"hygiene-find-gnu-missing", "hygiene-find-busybox-missing"} {
		out, stderr, status := recorded(t, find)
		w := walkOf([]string{tree, "/tmp/rec-hyg/missing"}, "", "hygiene.walkstatus", "-", "0\n"+status, "hygiene.walk", "-", out, "hygiene.walkerr", "-", stderr,
			"hygiene.statstatus", "-", "0", "hygiene.stat", "-", "", "hygiene.staterr", "-", "")
		if w.Err != "mounts: /tmp/rec-hyg/missing does not exist in the image" {
			t.Errorf("%s: a root that is not there: %q", find, w.Err)
		}
	}
}

// TestHygieneStatLinesAreMatchedByPath: stat says nothing on stdout of a path it cannot describe,
// and a path may hold a newline and look like a line of its own: every line is matched with the
// path it is about, never by position.
func TestHygieneStatLinesAreMatchedByPath(t *testing.T) {
	sout, serr, _ := recorded(t, "hygiene-stat-gnu")
	paths := []string{"/tmp/rec-hyg/tree/shared", "/tmp/rec-hyg/tree/data.txt", "/tmp/rec-hyg/tree/sys/orphan", "k/tmp/rec-hyg/tree/home/alice/.ssh/deploy",
		"k/tmp/rec-hyg/tree/home/alice/tls.key", "/tmp/rec-hyg/tree/home/alice/tls.key", "k/tmp/rec-hyg/tree/home/alice/keys/server.pem",
		"k/tmp/rec-hyg/tree/home/alice/secret.pem", "/tmp/rec-hyg/tree/closed/suid", "/tmp/rec-hyg/tree/sticky", "/tmp/rec-hyg/tree/bin/gtool",
		"/tmp/rec-hyg/tree/bin/tool", "/tmp/rec-hyg/tree/bin/new\nline", "/tmp/rec-hyg/tree/gone"}
	e := make([]WalkEntry, len(paths))
	readStats(e, paths, []byte(sout), serr, "123")
	if e[0].Type != "directory" || e[0].Mode != 0o777 || e[12].Mode != 0o4755 || e[12].Type != "file" || e[11].Mode != 0o4755 || e[5].Mode != 0o4644 {
		t.Errorf("entries: %+v", e)
	}
	if e[2].UID != 4242 || e[2].Owner != "UNKNOWN" || e[2].Group != "UNKNOWN" || e[0].Owner != "root" || e[0].Group != "root" {
		t.Errorf("owners: %+v %+v", e[2], e[0])
	}
	if e[3].StatErr != "" || e[3].Type != "" {
		t.Errorf("a key's marked entry: %+v", e[3])
	}
	if want := "stat(1) could not describe it (exit status 123): No such file or directory"; e[13].StatErr != want {
		t.Errorf("gone: %q", e[13].StatErr)
	}
	// a path that holds what looks like a line of another: "/x\n89ed 0 0 root root /y" must not
	// give /y a mode
	e = make([]WalkEntry, 2)
	readStats(e, []string{"/x\n89ed 0 0 root root /y", "/y"}, []byte("81a4 0 0 root root /x\n89ed 0 0 root root /y\n81a4 0 0 root root /y\n"), "", "0")
	if e[0].Mode != 0o644 || e[1].Mode != 0o644 {
		t.Errorf("a path with a line in it: %+v", e)
	}
	// a name with a blank makes the line unreadable: unknown, never another's mode
	e = make([]WalkEntry, 1)
	readStats(e, []string{"/z"}, []byte("89ed 1000 1000 ann marie staff /z\n"), "", "0")
	if e[0].StatErr == "" {
		t.Errorf("a name with a blank: %+v", e[0])
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
		places := "err\x000\x00/tmp/rec-hyg/tree/home/alice/secret.pem\x00" + status + "\x00-\x00"
		f := get(t, parsed(p, recs("hygiene.status", "-", "0", "hygiene.places", "-", places, "hygiene.placeerr", "-", stderr)), h)
		want := "grep could not read it (exit status 2): Permission denied"
		if len(f.Places.Unseen) != 1 || f.Places.Unseen[0].Why != want {
			t.Errorf("%s: %+v", fixture, f.Places.Unseen)
		}
	}
}

func verifyOf(t *testing.T, manager, fixture string, kv ...string) VerifyFacts {
	if fixture == "hygiene-rpm-verify-unreadable-modelled" {
		// modelled on the secret line of hygiene-rpm-verify-nobody, without its owner columns
		return readVerify(manager, recs("hygiene.verifystatus", "-", "1", "hygiene.verify", "-", "..?......    /opt/rec-hygiene/secret\n", "hygiene.verifyerr", "-", ""))
	}
	out, stderr, status := recorded(t, fixture)
	if manager == "dpkg" && len(kv) == 0 {
		kv = []string{"hygiene.filterstatus", "-", "1", "hygiene.filters", "-", ""}
	}
	return readVerify(manager, recs(append([]string{"hygiene.verifystatus", "-", status, "hygiene.verify", "-", out, "hygiene.verifyerr", "-", stderr}, kv...)...))
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
			"dpkg --verify failed (exit status 2): dpkg: error: cannot compute MD5 digest for file '/tmp/rec-hyg/dpkg2/opt/rec-hygiene/replaced': failed to read (Is a directory)"},
		// a file replaced by a symlink is no longer a regular file, whatever the content it leads to
		{"dpkg", "hygiene-dpkg-verify-symlinks",
			"/etc/rec-hygiene.conf: content differs (config)|/opt/rec-hygiene/changed: content differs|/opt/rec-hygiene/gone: missing|" +
				"/opt/rec-hygiene/same: no longer a regular file, content differs|/opt/rec-hygiene/secret: no longer a regular file", "", ""},
		// dpkg says nothing of an owner or a mode changed (same, chowned; secret, made 4777),
		// nor of the content of a package whose digests are gone (replaced, changed): the
		// owners rule and the probe's own look for .md5sums (TestProbeHygieneFindsPackagesWithoutDigests)
		// must say it
		{"dpkg", "hygiene-dpkg-verify-nodigests", "/etc/rec-hygiene.conf: content differs (config)|/opt/rec-hygiene/gone: missing", "", ""},
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

// TestHygieneDpkgPathFilters: dpkg --verify calls what its path-exclude options kept out missing,
// and a folder of two packages missing twice; with the filters read from dpkg's configuration,
// exactly what they kept out is excluded, and each path is listed once.
func TestHygieneDpkgPathFilters(t *testing.T) {
	fout, ferr, fstatus := recorded(t, "hygiene-dpkg-filters")
	v := verifyOf(t, "dpkg", "hygiene-dpkg-verify-excluded", "hygiene.filterstatus", "-", fstatus, "hygiene.filters", "-", fout, "hygiene.filtererr", "-", ferr)
	if v.Err != "" {
		t.Fatal(v.Err)
	}
	want := "/usr/share/lintian/overrides: missing|/usr/share/lintian/overrides/rec-hyg-a: missing|/usr/share/doc/rec-hyg-b/README: missing|/usr/share/lintian/overrides/rec-hyg-b: missing"
	if got := changed(v.Changed); got != want {
		t.Errorf("changed:\n got %s\nwant %s", got, want)
	}
	for _, c := range v.Changed {
		if !v.Excluded(c.Path) {
			t.Errorf("%s is not excluded by %+v", c.Path, v.Filters)
		}
	}
	// the path-include of dpkg.cfg comes after dpkg.cfg.d: rec-hyg-a's README was installed
	for p, excluded := range map[string]bool{"/usr/share/doc/rec-hyg-a/README": false, "/usr/share/doc/rec-hyg-a/copyright": false,
		"/usr/share/doc/x/README": true, "/usr/share/man/man1/x.1.gz": true, "/usr/share/lintian": false, "/usr/bin/rec-hyg-a": false} {
		if v.Excluded(p) != excluded {
			t.Errorf("%s: excluded %v, want %v", p, !excluded, excluded)
		}
	}
	if v := verifyOf(t, "dpkg", "hygiene-dpkg-verify", "hygiene.filterstatus", "-", "2", "hygiene.filters", "-", "", "hygiene.filtererr", "-", "grep: /etc/dpkg/dpkg.cfg: Permission denied\n"); !strings.Contains(v.Err, "path filters of dpkg") || !strings.Contains(v.Err, "Permission denied") {
		t.Errorf("unreadable filters: %q", v.Err)
	}
}

func TestHygieneDpkgFilterLines(t *testing.T) {
	filters, err := dpkgFilters(recs("hygiene.filterstatus", "-", "0", "hygiene.filters", "-",
		"path-exclude=/a/*\npath-include /a/b\npath-exclude\t=\t\"/c d/*\"  \npath-exclude='/e'\npath-excluded=/x\npath-include=\n"))
	if err != "" || fmt.Sprint(filters) != "[{true /a/*} {false /a/b} {true /c d/*} {true /e}]" {
		t.Errorf("%v %q", filters, err)
	}
}

// TestHygieneGlobMatchesAsFnmatch: dpkg's filters are fnmatch(3) patterns without flags.
func TestHygieneGlobMatchesAsFnmatch(t *testing.T) {
	for _, tt := range []struct {
		pattern, name string
		match         bool
	}{
		{"/usr/share/doc/*", "/usr/share/doc/a/b/c", true},
		{"/usr/share/doc/*", "/usr/share/doc", false},
		{"/usr/*/READ*", "/usr/share/doc/package/README", true},
		{"/usr/share/doc/*/copyright", "/usr/share/doc/bash/copyright", true},
		{"/usr/share/doc/*/copyright", "/usr/share/doc/bash/copyright.old", false},
		{"/a?c", "/a/c", true},
		{"/man[1-9]/*", "/man5/x", true},
		{"/man[1-9]/*", "/mann/x", false},
		{"/x[!a-c]", "/xd", true},
		{"/x[!a-c]", "/xb", false},
		{"/x[]]", "/x]", true},
		{`/a\*`, "/a*", true},
		{`/a\*`, "/ab", false},
		{"/unclosed[", "/unclosed[", true},
		{"/unclosed[a", "/unclosedb", false},
		{"*", "", true},
		{"", "/a", false},
		{"/a/**/b", "/a/b", false},
		{"/a/**/b", "/a/x/y/b", true},
	} {
		if got := globMatch(tt.pattern, tt.name); got != tt.match {
			t.Errorf("globMatch(%q, %q) = %v", tt.pattern, tt.name, got)
		}
	}
}

// Modelled, not recorded: this machine has no apk. The lines follow apk-tools' src/app_audit.c
// of its 2.14-stable branch (report_audit: a reason letter, a blank, the path without its
// leading slash, a folder's ending in a slash; audit_file and audit_directory: M and m only
// with --check-permissions) and doc/apk-audit.8.scd.
func TestHygieneApkAuditModelled(t *testing.T) {
	v := readVerify("apk", recs("hygiene.verifystatus", "-", "0", "hygiene.verify", "-",
		"U usr/bin/ssh\nx usr/lib/libcap.so.2\nX usr/share/apk/keys/old.rsa.pub\ne usr/sbin/secret\nD var/lib/app/\nm usr/sbin/\nM bin/busybox\n",
		"hygiene.verifyerr", "-", ""))
	if got := changed(v.Changed); got != "/usr/bin/ssh: content differs|/usr/lib/libcap.so.2: extended attributes differ|/usr/share/apk/keys/old.rsa.pub: missing|/usr/sbin: mode or owner of the folder differs|/bin/busybox: mode or owner differs" {
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
// file that could not be checked, never nothing; complaints cut short are an error.
func TestHygieneVerifyLinesNotUnderstood(t *testing.T) {
	for _, m := range []string{"dpkg", "rpm", "apk"} {
		v := readVerify(m, recs("hygiene.verifystatus", "-", "0", "hygiene.verify", "-", "something new happened\n", "hygiene.verifyerr", "-", "",
			"hygiene.filterstatus", "-", "1", "hygiene.filters", "-", ""))
		if len(v.Unchecked) != 1 || !strings.Contains(v.Unchecked[0].What, "does not understand") {
			t.Errorf("%s: %+v", m, v)
		}
		v = readVerify(m, recs("hygiene.verifystatus", "-", "0", "hygiene.verify", "-", "", "hygiene.verifyerr", "-", strings.Repeat("warning: x\n", 6000),
			"hygiene.filterstatus", "-", "1", "hygiene.filters", "-", ""))
		if !strings.Contains(v.Err, "complained of more than 64 KiB") {
			t.Errorf("%s: complaints cut: %+v", m, v)
		}
	}
	if v := readVerify("pacman", recs()); v.Err == "" {
		t.Errorf("pacman: %+v", v)
	}
	if v := readVerify("dpkg", recs()); v.Err == "" {
		t.Errorf("no output: %+v", v)
	}
	if v := readVerify("dpkg", recs("hygiene.verifystatus", "-", "0", "hygiene.verify", "-", "", "hygiene.verifyerr", "-", "")); v.Err == "" {
		t.Errorf("dpkg without its filters: %+v", v)
	}
}

// TestHygieneMountsTheWalkDidNotEnter: on the recorded mount table (ext4 file systems, one
// nosuid, a tmpfs, a bind mount of a folder of the root file system, btrfs subvolumes and bind
// mounts of their folders), what the walk did not enter, for the roots it had.
func TestHygieneMountsTheWalkDidNotEnter(t *testing.T) {
	out, _, _ := recorded(t, "hygiene-mountinfo")
	var folders strings.Builder
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 4 {
			folders.WriteString(unescapeMount(f[4]) + "\x00") // every mount point of the fixture is a folder
		}
	}
	const at = "/tmp/rec-hyg/"
	left := func(roots []string, dirs string) []string {
		var rs []WalkRoot
		for _, r := range roots {
			rs = append(rs, WalkRoot{r, r})
		}
		got, err := notWalked(rs, recs("hygiene.mountinfo", "-", out, "hygiene.folders", "-", dirs))
		if err != "" {
			t.Fatal(err)
		}
		var list []string
		for _, m := range got {
			if strings.HasPrefix(m.Path, at) {
				list = append(list, strings.TrimPrefix(m.Path, at)+" "+m.Filesystem+" "+strings.Join(m.Options, ","))
			}
		}
		return list
	}
	for _, tt := range []struct {
		roots []string
		want  string
	}{
		// bind: a folder of the root file system, walked where it is; tmp: a tmpfs
		{[]string{"/"}, "sep ext4 rw,relatime|sepns ext4 rw,nosuid,relatime|btrfs btrfs " +
			"rw,relatime,discard=async,space_cache=v2,subvolid=256,subvol=/@|btrfs/opt btrfs rw,relatime,discard=async,space_cache=v2,subvolid=257,subvol=/@opt|" +
			"btrfs-bind btrfs rw,relatime,discard=async,space_cache=v2,subvolid=256,subvol=/@|btrfs/inner btrfs rw,relatime,discard=async,space_cache=v2,subvolid=257,subvol=/@opt"},
		{[]string{"/", at + "sep"}, "sepns ext4 rw,nosuid,relatime|btrfs btrfs rw,relatime,discard=async,space_cache=v2,subvolid=256,subvol=/@|" +
			"btrfs/opt btrfs rw,relatime,discard=async,space_cache=v2,subvolid=257,subvol=/@opt|btrfs-bind btrfs rw,relatime,discard=async,space_cache=v2,subvolid=256,subvol=/@|" +
			"btrfs/inner btrfs rw,relatime,discard=async,space_cache=v2,subvolid=257,subvol=/@opt"},
		// the subvolume @ walked: its folder src, bound elsewhere, is walked where it is; the
		// subvolume @opt, the same device to the kernel, is not in @, and neither is its inner
		{[]string{"/", at + "btrfs"}, "sep ext4 rw,relatime|sepns ext4 rw,nosuid,relatime|btrfs/opt btrfs rw,relatime,discard=async,space_cache=v2,subvolid=257,subvol=/@opt|" +
			"btrfs/inner btrfs rw,relatime,discard=async,space_cache=v2,subvolid=257,subvol=/@opt"},
		{[]string{"/", at + "btrfs", at + "btrfs/opt"}, "sep ext4 rw,relatime|sepns ext4 rw,nosuid,relatime"},
	} {
		if got := strings.Join(left(tt.roots, folders.String()), "|"); got != tt.want {
			t.Errorf("roots %q:\n got %s\nwant %s", tt.roots, got, tt.want)
		}
	}
	// a mount point that is a file (docker's /etc/hosts) hides nothing
	only := strings.ReplaceAll(folders.String(), at+"sep\x00", "")
	if got := left([]string{"/"}, only); strings.Contains(strings.Join(got, "|"), "sep ext4 rw,relatime|") {
		t.Errorf("a file mount: %v", got)
	}
	if _, err := notWalked([]WalkRoot{{"/", "/"}}, recs("hygiene.mountinfo", "-", "garbage\n")); err == "" {
		t.Error("an unreadable mount table is no error")
	}
}

// limitStub makes a folder with a program NAME that hangs (sleep 300) when its arguments hold
// the word WHEN, and otherwise runs the real NAME; it writes its process id into the file pid.
func limitStub(t *testing.T, name, when string) (dir, pidFile string) {
	dir = t.TempDir()
	pidFile = filepath.Join(dir, "pid")
	real := mustLook(name)
	script := "#!/bin/sh\ncase \" $* \" in *" + when + "*) echo $$ >" + pidFile + "; exec sleep 300 ;; esac\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, pidFile
}

// TestProbeHygieneStopsAtItsTimeLimit: a step that does not end (reading the mount table, the
// walk, or the stat of what it listed, standing for a hung mount) is stopped at the hygiene time
// limit, with what it started; what finished before (the places) is there, and the walk, which
// needs all three, is said not to be done, never done with nothing left out.
func TestProbeHygieneStopsAtItsTimeLimit(t *testing.T) {
	for _, step := range []struct{ name, program, when string }{
		{"mount_table", "cat", "/proc/self/mountinfo"},
		{"walk", "find", "-print0"},
		{"stat", "stat", "%U"},
	} {
		t.Run(step.name, func(t *testing.T) {
			stubs, pidFile := limitStub(t, step.program, step.when)
			p := NewPlan()
			h := p.Hygiene(HygieneRequest{Places: []Place{{"/etc/hostname", Exists}}, SetUID: true, Timeout: time.Second})
			start := time.Now()
			// the walk's root (/opt, a tmpfs) holds a set-uid file, so that stat has work
			f := get(t, runInNamespace(t, p, mustLook("dash"), "set -e; mount -t tmpfs none /opt; printf x >/opt/x; chmod 4755 /opt/x", false, "", stubs), h)
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("the probe took %s; its hygiene limit is 1s", took)
			}
			if !f.Late || f.Walk.Done || !f.Places.Done || f.Err != "" || f.Limit != time.Second {
				t.Errorf("facts: %+v", f)
			}
			pid, _ := os.ReadFile(pidFile)
			time.Sleep(100 * time.Millisecond)
			if len(pid) == 0 || alive(strings.TrimSpace(string(pid))) {
				t.Errorf("the hung %s (%q) was not stopped", step.program, pid)
			}
		})
	}
}

// TestHygieneWalkAnswersThatWereNotSeen: the ways the walk's output says it did not see
// everything.
func TestHygieneWalkAnswersThatWereNotSeen(t *testing.T) {
	walk := func(status, list, stderr string) WalkFacts {
		return walkOf([]string{"/"}, status, "hygiene.walkerr", "-", stderr, "hygiene.walk", "-", list,
			"hygiene.statstatus", "-", "0", "hygiene.stat", "-", "", "hygiene.staterr", "-", "")
	}
	if w := walk("127", "", "sh: 1: find: not found\n"); !strings.Contains(w.Err, "no find(1)") {
		t.Errorf("no find: %+v", w)
	}
	if w := walk("2", "", "find: unknown predicate `-prune'\n"); !strings.Contains(w.Err, "find exited with status 2: find: unknown predicate") {
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
	if w := walkOf([]string{"/", "/data"}, "1", "hygiene.walkerr", "-", "/usr/bin/find: '/data': No such file or directory\n"); w.Err == "" {
		t.Errorf("a root that is not there, said by /usr/bin/find: %+v", w)
	}
	if w := walk("1", "", "/usr/bin/find: \u2018/x\u2019: No such file or directory\n"); len(w.Unreadable) != 0 {
		t.Errorf("a file gone, in other quotes: %+v", w)
	}
	if w := walkOf([]string{"/"}, "0", "hygiene.noroot", "-", "/data\x00"); w.Err != "mounts: /data is not a folder in the image" {
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
	if w := walkOf([]string{"/"}, "0", "hygiene.walk", "-", "/a\x00"); w.Entries[0].StatErr == "" || w.Done {
		t.Errorf("no stat: %+v", w)
	}
	// find's complaints past what the probe brings back (1 MiB and a byte) were cut: what they
	// said past that, about paths not known, was not seen
	// exactly what the probe hands over when cut: the limit and a byte more, here a newline
	long := strings.Repeat("find: '/srv/a/very/long/path/that/is/repeated': Permission denied\n", (1<<20)/60+1)[:1<<20] + "\n"
	if w := walk("1", "", long); len(w.Unreadable) == 0 || w.Unreadable[len(w.Unreadable)-1].Path != "" || !strings.Contains(w.Unreadable[len(w.Unreadable)-1].Why, "more than 1 MiB") {
		t.Errorf("complaints cut: %d unreadable, last %+v", len(w.Unreadable), w.Unreadable[len(w.Unreadable)-1])
	}
	// one find of two failed
	if w := walkOf([]string{"/", "/var"}, "", "hygiene.walkstatus", "-", "0\n2", "hygiene.walkerr", "-", "find: oops\n"); !strings.Contains(w.Err, "find exited with status 2") {
		t.Errorf("one of two finds failed: %+v", w)
	}
	// a find whose end the probe did not report
	if w := walkOf([]string{"/", "/var"}, "", "hygiene.walkstatus", "-", "0"); !strings.Contains(w.Err, "reported how 1 of the walk's 2 finds ended") {
		t.Errorf("a find not reported: %+v", w)
	}
	// without the mount table, the walk did not run: an error, never an empty walk
	if w := walkOf([]string{"/"}, "", "hygiene.walkstatus", "-", "nomounts"); !strings.Contains(w.Err, "mount table") {
		t.Errorf("no mount table: %+v", w)
	}
	if w := walkOf([]string{"/"}, "0", "hygiene.mountstatus", "-", "1"); !strings.Contains(w.Err, "mount table") {
		t.Errorf("the mount table could not be read: %+v", w)
	}
}

// TestHygienePlacesThatWereNotSeen: a record of the places that is cut or unknown leaves them
// not looked at, never empty.
func TestHygienePlacesThatWereNotSeen(t *testing.T) {
	asked := []Place{{"/etc/machine-id", NonEmpty}}
	for name, data := range map[string]string{
		"cut":          "hit\x000\x00/etc/machine-id\x00\x00",
		"unknown kind": "new\x000\x00/x\x00\x00\x00",
		"bad index":    "hit\x007\x00/x\x00\x00\x00",
		"four fields":  "hit\x000\x00/etc/machine-id\x00\x00",
	} {
		if pf := readPlaces(asked, []byte(data), recs()); pf.Done {
			t.Errorf("%s: %+v", name, pf)
		}
	}
	pf := readPlaces(asked, []byte("oddhome\x00-\x00/home/a\nb\x00-\x00-\x00home\x00bob\x001001\x00/home/bob\x00/srv/bob\x00hit\x000\x00/etc/machine-id\x00\x00\x00"), recs())
	if !pf.Done || fmt.Sprint(pf.OddHomes) != "[/home/a\nb]" || len(pf.Homes) != 1 || pf.Homes[0].Real != "/srv/bob" || len(pf.Hits) != 1 {
		t.Errorf("odd home, home, hit: %+v", pf)
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
// one with a newline, would be read as something else. A place or a word of a test that the
// probe's lists cannot carry is a bug, and refused.
func TestHygieneRenderRefusesWhatItCannotCarry(t *testing.T) {
	for _, m := range []string{"var", "/a\nb"} {
		p := NewPlan()
		p.Hygiene(HygieneRequest{SetUID: true, Mounts: []string{m}})
		if _, err := Render(p); err == nil {
			t.Errorf("%q was rendered", m)
		}
	}
	for _, pl := range []Place{{"/a b", Exists}, {".x", HoldsAny("a b")}, {".x", HoldsAny("a", "")}, {".x", HoldsAny()}, {"/a*/b", Exists}} {
		p := NewPlan()
		p.Hygiene(HygieneRequest{Places: []Place{pl}})
		if _, err := Render(p); err == nil {
			t.Errorf("%+v was rendered", pl)
		}
	}
	p := NewPlan()
	p.Hygiene(HygieneRequest{SetUID: true, Mounts: []string{"/it's $(touch pwned)"}, Timeout: time.Minute})
	script, err := Render(p)
	if err != nil || !strings.Contains(string(script), `'r /it'\''s $(touch pwned)'`) {
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
		h := p.Hygiene(HygieneRequest{Places: hygienePlaces, SetUID: true, WorldWritable: true, PrivateKeys: true, Owners: true,
			WorldWritableIn: []string{walkRoot}, OwnersIn: []string{walkRoot}, Mounts: []string{"/" + v}, Timeout: 20 * time.Second})
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
