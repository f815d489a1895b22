package probe

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// mountRecords are the records of a probe that read the recorded table of mounts FIXTURE and
// found each path of paths to be no symlink, in a folder that leads to itself.
func mountRecords(t *testing.T, fixture string, paths ...string) records {
	t.Helper()
	out, stderr, status := recorded(t, fixture)
	r := recs("mount.status", "-", status, "mount.info", "-", out, "mount.err", "-", stderr)
	for i, p := range paths {
		mountAt(r, i, "parent", "0", p[:max(1, strings.LastIndexByte(p, '/'))]+"\n")
	}
	return r
}

// mountAt sets what mp found at the i-th path: what is there, the exit status of cd -P and
// pwd -P (or of ls), and what they said.
func mountAt(r records, i int, what, status, said string) {
	id := strconv.Itoa(i)
	r[key{"mount.at", id}] = []byte(what)
	r[key{"mount.exit", id}] = []byte(status)
	r[key{"mount.said", id}] = []byte(said)
}

// mountVerdict summarises what the facts say of a mount: "error: …", "not mounted" or
// "SOURCE FILESYSTEM OPTIONS [stacked on N]".
func mountVerdict(m MountFacts) string {
	switch {
	case m.Err != "":
		return "error: " + m.Err
	case !m.Mounted:
		return "not mounted"
	}
	s := m.Source + " " + m.Filesystem + " " + strings.Join(m.Options, ",")
	if m.Stacked > 0 {
		s += " stacked on " + strconv.Itoa(m.Stacked)
	}
	return s
}

// The table recorded in a mount namespace with stacked mounts, a hidden one, names with spaces
// and a read-only bind mount (see record.d/mount.sh): each path is judged by what is seen there.
func TestMountsFromRealMountinfo(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/", "/dev/vda ext4 rw,relatime,discard,resv_strict,resuid=65534,resgid=65534"},
		{"/proc", "proc proc rw,relatime"},
		// two tmpfs on one path: the one on top, and how many lie beneath it
		{"/tmp/rec-mount/stacked", "rec-upper tmpfs rw,noexec,relatime,size=2048k stacked on 1"},
		// \040 in the table is a space
		{"/tmp/rec-mount/with space", "rec src tmpfs rw,relatime,mode=700"},
		// rec-child is listed, but rec-cover was mounted on the folder above it afterwards
		{"/tmp/rec-mount/parent/child", "not mounted"},
		{"/tmp/rec-mount/parent", "rec-cover tmpfs rw,relatime stacked on 1"},
		// a read-only bind mount of a read-write file system is read-only
		{"/tmp/rec-mount/bindro", "rec src tmpfs ro,relatime,mode=700"},
		// the host's own: a second devpts on /dev/pts
		{"/dev/pts", "devpts devpts rw,relatime,mode=600,ptmxmode=000 stacked on 1"},
		{"/tmp", "not mounted"},
	}
	p := NewPlan()
	var paths []string
	handles := map[string]Fact[MountFacts]{}
	for _, tt := range tests {
		handles[tt.path] = p.Mount(tt.path)
		paths = append(paths, tt.path)
	}
	f := parsed(p, mountRecords(t, "mount-mountinfo-stacked", paths...))
	for _, tt := range tests {
		if got := mountVerdict(get(t, f, handles[tt.path])); got != tt.want {
			t.Errorf("%s: got  %s\n%*s want %s", tt.path, got, len(tt.path), "", tt.want)
		}
	}
}

// A mount moved onto a path is on top of the one that was there, though the table lists it
// first: /proc/self/mounts, which names no parents, would make the last line's rec-newer seem
// to be what is seen there.
func TestMovedMountIsTheOneOnTop(t *testing.T) {
	mounts, _, _ := recorded(t, "mount-mounts-moved")
	lines := strings.Split(strings.TrimSpace(mounts), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "rec-newer /tmp/rec-mount/target ") {
		t.Fatalf("the fixture no longer shows the point: its last line is %q", last)
	}
	p := NewPlan()
	h := p.Mount("/tmp/rec-mount/target")
	if got := mountVerdict(get(t, parsed(p, mountRecords(t, "mount-mountinfo-moved", "/tmp/rec-mount/target")), h)); got != "rec-older tmpfs rw,relatime stacked on 1" {
		t.Errorf("got %s", got)
	}
}

// The options of each mount, put together from mountinfo's two lists, read as /proc/self/mounts
// lists them, recorded in the same state.
func TestMountinfoOptionsAreThoseOfProcMounts(t *testing.T) {
	for _, name := range []string{"stacked", "moved"} {
		info, _, _ := recorded(t, "mount-mountinfo-"+name)
		mounts, _, _ := recorded(t, "mount-mounts-"+name)
		il, ml := strings.Split(strings.TrimSpace(info), "\n"), strings.Split(strings.TrimSpace(mounts), "\n")
		if len(il) != len(ml) {
			t.Fatalf("%s: %d lines of mountinfo, %d of mounts", name, len(il), len(ml))
		}
		for i := range il {
			e, err := parseMountinfo(il[i])
			if err != nil {
				t.Fatalf("%s line %d: %v", name, i+1, err)
			}
			m := strings.Fields(ml[i])
			got := strings.Join([]string{e.source, e.point, e.filesystem, strings.Join(e.options, ",")}, " ")
			want := strings.Join([]string{unescapeMount(m[0]), unescapeMount(m[1]), m[2], unescapeMount(m[3])}, " ")
			if got != want {
				t.Errorf("%s line %d:\ngot  %s\nwant %s", name, i+1, got, want)
			}
		}
	}
}

// Where the path leads, as mp asks dash, bash and busybox sh: /var/run is a symlink to /run.
func TestMountPathThroughASymlink(t *testing.T) {
	for _, fixture := range []string{"mount-cd-symlink", "mount-cd-symlink-bash", "mount-cd-symlink-busybox"} {
		t.Run(fixture, func(t *testing.T) {
			out, stderr, status := recorded(t, fixture)
			p := NewPlan()
			h := p.Mount("/var/run/")
			r := mountRecords(t, "mount-mountinfo-stacked")
			mountAt(r, 0, "self", status, out+stderr)
			m := get(t, parsed(p, r), h)
			if m.Path != "/run" || m.Mounted || m.Err != "" {
				t.Errorf("/var/run: %+v", m)
			}
			// with a tmpfs on /run, that is what is mounted at /var/run (as mountpoint(1) says)
			r[key{"mount.info", "-"}] = append(r[key{"mount.info", "-"}], "99 45 0:99 / /run rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,size=10%,mode=755\n"...)
			if got := mountVerdict(get(t, parsed(p, r), h)); got != "tmpfs tmpfs rw,nosuid,nodev,noexec,relatime,size=10%,mode=755" {
				t.Errorf("/var/run with /run mounted: %s", got)
			}
		})
	}
}

// A symlink to a folder that cannot be entered (cd -P failed, as for the user nobody in /root):
// where it leads cannot be told, an error.
func TestMountPathThatCannotBeFollowed(t *testing.T) {
	for _, fixture := range []string{"mount-cd-denied", "mount-cd-denied-busybox"} {
		t.Run(fixture, func(t *testing.T) {
			out, stderr, status := recorded(t, fixture)
			p := NewPlan()
			h := p.Mount("/home/link-to-root")
			r := mountRecords(t, "mount-mountinfo-stacked")
			mountAt(r, 0, "self", status, out+stderr)
			if m := get(t, parsed(p, r), h); !strings.HasPrefix(m.Err, "cannot tell where the path leads: cd -P failed: ") || !strings.Contains(m.Err, "/root") {
				t.Errorf("%+v", m)
			}
		})
	}
}

// Nothing at the path: not mounted, when ls says it is not there; an error when it cannot be
// seen (GNU ls and busybox ls, as the user nobody).
func TestMountPathThatIsNotThere(t *testing.T) {
	for _, tt := range []struct{ fixture, want string }{
		{"mount-ls-missing", "not mounted"},
		{"mount-ls-missing-busybox", "not mounted"},
		{"mount-ls-denied", "error: permission denied: the probe's user cannot see this path (use_sudo = true may help)"},
		{"mount-ls-denied-busybox", "error: permission denied: the probe's user cannot see this path (use_sudo = true may help)"},
	} {
		t.Run(tt.fixture, func(t *testing.T) {
			_, stderr, status := recorded(t, tt.fixture)
			p := NewPlan()
			h := p.Mount("/x")
			r := mountRecords(t, "mount-mountinfo-stacked")
			mountAt(r, 0, "none", status, stderr)
			if got := mountVerdict(get(t, parsed(p, r), h)); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// Ways a mount could look seen when it was not: each is an error.
func TestMountFactsThatWereNotSeen(t *testing.T) {
	info, _, _ := recorded(t, "mount-mountinfo-stacked")
	_, noProc, noProcStatus := recorded(t, "mount-mountinfo-noproc")
	lines := strings.SplitAfter(info, "\n")
	for _, tt := range []struct {
		name, status, info, stderr string
		want                       string
	}{
		{"no_proc", noProcStatus, "", noProc, "error: cannot read /proc/self/mountinfo (is /proc mounted?): cat: /proc/self/mountinfo: No such file or directory"},
		{"empty_table", "0", "", "", "error: /proc/self/mountinfo lists no mounts at all (is /proc the kernel's?)"},
		{"garbage", "0", "this is not a table of mounts\n", "", `error: /proc/self/mountinfo line 1, "this is not a table of mounts": not the fields of a mount`},
		{"cut_in_a_line", "0", info[:len(info)-20], "", "error: "},
		{"cut_after_a_field", "0", strings.Join(lines[:len(lines)-2], "") + "74 45 0:41 / /tmp/rec-mount/bindro ro,relatime -", "", "error: "},
		{"no_separator", "0", "22 1 254:1 / / rw,relatime ext4 /dev/vda1 rw\n", "", "error: "},
		{"bad_id", "0", "x 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw\n", "", "error: "},
		{"bad_flags", "0", "22 1 254:1 / / relatime - ext4 /dev/vda1 rw\n", "", "error: "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPlan()
			h := p.Mount("/")
			r := recs("mount.status", "-", tt.status, "mount.info", "-", tt.info, "mount.err", "-", tt.stderr)
			mountAt(r, 0, "parent", "0", "/\n")
			if got := mountVerdict(get(t, parsed(p, r), h)); !strings.HasPrefix(got, tt.want) {
				t.Errorf("got  %s\nwant %s…", got, tt.want)
			}
		})
	}
	// the probe said nothing of where the path leads, or of the table
	p := NewPlan()
	h := p.Mount("/")
	r := mountRecords(t, "mount-mountinfo-stacked")
	if m := get(t, parsed(p, r), h); m.Err == "" {
		t.Errorf("nothing said of the path, yet %+v", m)
	}
	if m := get(t, parsed(p, records{}), h); m.Err == "" {
		t.Errorf("no records, yet %+v", m)
	}
	// a symlink to no folder: the path it leads to must be named
	r = mountRecords(t, "mount-mountinfo-stacked")
	r[key{"mount.at", "0"}] = []byte("link")
	if m := get(t, parsed(p, r), h); !strings.Contains(m.Err, "symlink") {
		t.Errorf("link: %+v", m)
	}
	// pwd -P printed something that is not a path, or mp something it never prints
	for _, said := range [][2]string{{"parent", "run\n"}, {"parent", "/a\nb\n"}, {"dir", "/\n"}} {
		r = mountRecords(t, "mount-mountinfo-stacked")
		mountAt(r, 0, said[0], "0", said[1])
		if m := get(t, parsed(p, r), h); m.Err == "" {
			t.Errorf("%s %q: %+v", said[0], said[1], m)
		}
	}
	// two mounts seen at one path (a table no kernel writes): which one counts cannot be told
	p = NewPlan()
	h = p.Mount("/x")
	r = mountRecords(t, "mount-mountinfo-stacked", "/x")
	r[key{"mount.info", "-"}] = append(r[key{"mount.info", "-"}], "98 45 0:98 / /x rw - tmpfs a rw\n99 45 0:99 / /x rw - tmpfs b rw\n"...)
	if m := get(t, parsed(p, r), h); !strings.Contains(m.Err, "2 mounts at /x") {
		t.Errorf("two on top: %+v", m)
	}
}

// A path that is no symlink is looked up in the folder it is in, wherever that leads: here a file
// another is bind-mounted on.
func TestMountOnAFile(t *testing.T) {
	p := NewPlan()
	h := p.Mount("/etc/resolv.conf")
	r := mountRecords(t, "mount-mountinfo-stacked")
	mountAt(r, 0, "parent", "0", "/etc\n")
	r[key{"mount.info", "-"}] = append(r[key{"mount.info", "-"}], "99 45 254:0 /var/lib/docker/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda rw\n"...)
	if got := mountVerdict(get(t, parsed(p, r), h)); got != "/dev/vda ext4 rw,relatime" {
		t.Errorf("got %s", got)
	}
}

func TestUnescapeMount(t *testing.T) {
	for in, want := range map[string]string{
		`/a\040b`: "/a b", `a\011b\012c`: "a\tb\nc", `back\134slash`: `back\slash`, `\0401`: " 1",
		`end\04`: `end\04`, `\999`: `\999`, `plain`: "plain", `\`: `\`,
	} {
		if got := unescapeMount(in); got != want {
			t.Errorf("unescapeMount(%q) = %q, want %q", in, got, want)
		}
	}
}

// A table whose parents form a loop, or whose root hangs from itself, is still decided, and a
// trailing slash or doubled slashes in the path asked about are dropped.
func TestMountTableOddities(t *testing.T) {
	entries := []mountEntry{
		{id: "1", parent: "1", point: "/"},
		{id: "2", parent: "3", point: "/a"},
		{id: "3", parent: "2", point: "/b"},
	}
	top, _ := visibleMounts(entries)
	if len(top["/"]) != 1 || len(top["/a"]) != 0 || len(top["/b"]) != 0 {
		t.Errorf("top: %v", top)
	}
	for in, want := range map[string]string{"/": "/", "//": "/", "/a/": "/a", "/a//b///": "/a/b"} {
		if got := mountPath(in); got != want {
			t.Errorf("mountPath(%q) = %q, want %q", in, got, want)
		}
	}
	p := NewPlan()
	p.Mount("relative")
	if _, err := Render(p); err == nil {
		t.Error("a relative path was rendered")
	}
}

// mountSetup makes, in the test's own mount namespace, what the local tests look at; $1 is a
// folder of the test's own.
const mountSetup = `set -e
D=$1
mkdir "$D/stacked" "$D/with space" "$D/parent" "$D/bindro" "$D/moved" "$D/target" "$D/-n"
mount -t tmpfs -o size=1m,nosuid,nodev lower "$D/stacked"
mount -t tmpfs -o size=2m,noexec upper "$D/stacked"
mount -t tmpfs -o mode=700 "src with space" "$D/with space"
mount -t tmpfs parent "$D/parent"
mkdir "$D/parent/child"
mount -t tmpfs child "$D/parent/child"
mount -t tmpfs cover "$D/parent"
mount --bind "$D/with space" "$D/bindro"
mount -o remount,bind,ro "$D/bindro"
mount -t tmpfs older "$D/moved"
mount -t tmpfs newer "$D/target"
mount --move "$D/moved" "$D/target"
ln -s stacked "$D/link"
ln -s nowhere "$D/dangling"
echo a >"$D/file"; echo b >"$D/other"
mount --bind "$D/other" "$D/file"
ln -s file "$D/filelink"
mount -t tmpfs dash "$D/-n"
`

// runInMountNamespace runs the probe of p with shell as sh, in a mount namespace of its own made
// by setup (a script given dir as $1).
func runInMountNamespace(t *testing.T, shell, setup, dir string, p *Plan) *Facts {
	t.Helper()
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(shell, filepath.Join(bin, "sh")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("unshare", "--mount", "--fork", "--propagation", "private", "sh", "-c",
		setup+"\nexec \"$0\" -c \"$2\"", shell, dir, RemoteCommand(script, false))
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
	f, _ := runProbe(t, cmd, p, script)
	return f
}

// TestProbeMountsLocally runs the probe with dash, bash and busybox sh in a mount namespace of the
// test's own, with stacked, hidden, moved, read-only and bind mounts, and names with spaces.
func TestProbeMountsLocally(t *testing.T) {
	if _, err := exec.LookPath("unshare"); err != nil || os.Geteuid() != 0 {
		t.Skip("needs root and unshare(1)")
	}
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			dir := t.TempDir()
			p := NewPlan()
			want := map[string]string{
				"/proc":                    "proc proc rw,",
				"/sys/":                    "sysfs sysfs rw,",
				dir + "/stacked":           "upper tmpfs rw,noexec,relatime,size=2048k stacked on 1",
				dir + "/link":              "upper tmpfs rw,noexec,relatime,size=2048k stacked on 1",
				dir + "/with space":        "src with space tmpfs rw,relatime,mode=700",
				dir + "/parent/child":      "not mounted",
				dir + "/parent":            "cover tmpfs rw,relatime stacked on 1",
				dir + "/bindro":            "src with space tmpfs ro,relatime,mode=700",
				dir + "/target":            "older tmpfs rw,relatime stacked on 1",
				dir + "/moved":             "not mounted",
				dir + "/file":              "",
				dir + "/-n":                "dash tmpfs rw,relatime",
				dir + "/nonexistent":       "not mounted",
				dir + "/nonexistent/x":     "not mounted",
				dir + "/dangling":          "error: the path is a symlink to something that is not a folder, or to nothing: name the path it leads to",
				dir + "/filelink":          "error: the path is a symlink to something that is not a folder, or to nothing: name the path it leads to",
				dir + "/stacked/":          "upper tmpfs rw,noexec,relatime,size=2048k stacked on 1",
				dir + "//with space//":     "src with space tmpfs rw,relatime,mode=700",
				dir + "/it's $(touch x) `": "not mounted",
			}
			handles := map[string]Fact[MountFacts]{}
			for path := range want {
				handles[path] = p.Mount(path)
			}
			root := p.Mount("/")
			f := runInMountNamespace(t, sh, mountSetup, dir, p)
			for path, w := range want {
				m := get(t, f, handles[path])
				got := mountVerdict(m)
				switch {
				case path == dir+"/file":
					// a bind mount of a file: its source is the device of the file system it is on
					if !m.Mounted || m.Path != dir+"/file" || m.Err != "" {
						t.Errorf("%s: %+v", path, m)
					}
				case !strings.HasPrefix(got, w):
					t.Errorf("%s:\ngot  %s\nwant %s", path, got, w)
				}
			}
			if m := get(t, f, handles[dir+"/link"]); m.Path != dir+"/stacked" {
				t.Errorf("the symlink leads to %s", m.Path)
			}
			if m := get(t, f, root); !m.Mounted || m.Path != "/" || m.Filesystem == "" {
				t.Errorf("/: %+v", m)
			}
			if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
				t.Error("a path ran a command substitution")
			}
		})
	}
}

// With busybox alone, the program folders hidden under tmpfs mounts (of source "none") by
// runBusyboxOnly are what is mounted there.
func TestProbeMountsWithBusyboxOnly(t *testing.T) {
	p := NewPlan()
	usrBin, proc, missing, varRun := p.Mount("/usr/bin"), p.Mount("/proc"), p.Mount("/nonexistent"), p.Mount("/var/run")
	f := runBusyboxOnly(t, p)
	if got := mountVerdict(get(t, f, usrBin)); !strings.HasPrefix(got, "none tmpfs rw,") {
		t.Errorf("/usr/bin: %s", got)
	}
	if got := mountVerdict(get(t, f, proc)); !strings.HasPrefix(got, "proc proc rw") {
		t.Errorf("/proc: %s", got)
	}
	if got := mountVerdict(get(t, f, missing)); got != "not mounted" {
		t.Errorf("/nonexistent: %s", got)
	}
	if link, _ := os.Readlink("/var/run"); link == "/run" || link == "../run" {
		if m := get(t, f, varRun); m.Path != "/run" || m.Err != "" {
			t.Errorf("/var/run: %+v", m)
		}
	}
}

// TestProbeMountUnderALaterMountOnAFolderAbove: a mount on dir/sub/child is hidden when a later
// mount covers dir/sub, a plain folder (not a mount point) above it: nothing there is seen, and
// the path then names the covering mount's own folder (or nothing).
func TestProbeMountUnderALaterMountOnAFolderAbove(t *testing.T) {
	if _, err := exec.LookPath("unshare"); err != nil || os.Geteuid() != 0 {
		t.Skip("needs root and unshare(1)")
	}
	dir := t.TempDir()
	setup := `set -e; d=$1
		mkdir -p "$d/sub/child"
		mount -t tmpfs hidden-child "$d/sub/child"
		mount -t tmpfs cover "$d/sub"
		mkdir "$d/sub/child"`
	p := NewPlan()
	child := p.Mount(dir + "/sub/child")
	cover := p.Mount(dir + "/sub")
	f := runInMountNamespace(t, "/bin/sh", setup, dir, p)
	if m := get(t, f, child); m.Mounted || m.Err != "" {
		t.Errorf("the mount hidden beneath a later one above it is seen: %+v", m)
	}
	if m := get(t, f, cover); !m.Mounted || m.Source != "cover" {
		t.Errorf("the covering mount: %+v", m)
	}
}
