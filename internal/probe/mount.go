package probe

import (
	"fmt"
	"strconv"
	"strings"
)

// MountFacts describe what is mounted at a path, as the kernel's table of mounts of the probe's
// mount namespace (/proc/self/mountinfo) lists it.
//
// Where several mounts are stacked on one path, only the one on top is seen there, and the facts
// are about it; a mount on a folder above the path hides every mount below it, which then counts
// as not mounted. The path is looked up where its symlinks lead (as mountpoint(1) does): the
// kernel lists mount points by their real paths.
type MountFacts struct {
	Mounted bool
	Err     string // why it could not be told what is mounted there
	// Path is the mount point looked up: the path asked about, or where its symlinks lead.
	Path       string
	Source     string   // the first column of /proc/self/mounts, such as /dev/vda1 or tmpfs
	Filesystem string   // the file system type, such as ext4, tmpfs or fuse.sshfs
	Options    []string // as /proc/self/mounts lists them, such as rw, nosuid, relatime, size=1024k
	Stacked    int      // how many mounts lie hidden beneath the one on top at the path
}

var mountKind = register("mount", "mount", func() gatherer { return &mounts{} })

type mounts struct{ requests[string] }

// Mount asks what is mounted at path, an absolute path without "." or ".." components; a
// trailing slash is dropped.
func (p *Plan) Mount(path string) Fact[MountFacts] {
	path = mountPath(path)
	g := part[*mounts](p, mountKind)
	id, _ := g.add(path, path)
	return newFact[MountFacts](p, mountKind, id)
}

// mountPath drops the trailing slashes and doubled slashes of an absolute path: the kernel lists
// mount points without them.
func mountPath(path string) string {
	for strings.Contains(path, "//") {
		path = strings.ReplaceAll(path, "//", "/")
	}
	if len(path) > 1 {
		path = strings.TrimRight(path, "/")
	}
	if path == "" {
		return "/"
	}
	return path
}

func (g *mounts) render(s *script) {
	s.call(&s.main, "mounts")
	for i, path := range g.list {
		if (!strings.HasPrefix(path, "/") || strings.Contains(path, "\n")) && s.err == nil {
			s.err = fmt.Errorf("the mount point %q is not an absolute path on one line", path)
		}
		s.call(&s.main, "mp", strconv.Itoa(i), path)
	}
}

// A mountEntry is one line of /proc/self/mountinfo.
type mountEntry struct {
	id, parent         string
	point              string
	source, filesystem string
	options            []string
}

func (g *mounts) parse(r records) any {
	facts := make([]MountFacts, len(g.list))
	entries, err := mountTable(r)
	var top map[string][]int
	var below map[string]int
	if err == "" {
		top, below = visibleMounts(entries)
	}
	for i, path := range g.list {
		f := &facts[i]
		f.Path = path
		if err != "" {
			f.Err = err
			continue
		}
		real, why := mountLookup(r, i, path)
		if why != "" {
			f.Err = why
			continue
		}
		f.Path = real
		switch on := top[real]; len(on) {
		case 0:
		case 1:
			e := entries[on[0]]
			f.Mounted, f.Source, f.Filesystem, f.Options, f.Stacked = true, e.source, e.filesystem, e.options, below[real]
		default:
			f.Err = fmt.Sprintf("the kernel lists %d mounts at %s, none of them under another, so which one is seen there cannot be told", len(on), real)
		}
	}
	return facts
}

// mountLookup reads where mp found the i-th path to lead, or why that could not be told.
func mountLookup(r records, i int, path string) (real, why string) {
	at, _ := r.text("mount.at", i)
	status, ok := r.number("mount.exit", i)
	said, _ := r.get("mount.said", i)
	msg := firstLine(string(said), "no reason given")
	switch {
	case at == "link":
		return "", "the path is a symlink to something that is not a folder, or to nothing: name the path it leads to"
	case at == "" || !ok:
		return "", "the probe did not report where the path leads"
	case at == "none" && status == 0:
		return "", "the path appeared while the probe looked at it"
	case at == "none" && (strings.Contains(msg, "No such file") || strings.Contains(msg, "Not a directory")):
		return path, "" // nothing there, so nothing mounted there
	case at == "none" && strings.Contains(msg, "ermission denied"):
		return "", "permission denied: the probe's user cannot see this path (use_sudo = true may help)"
	case at == "none":
		return "", "cannot look at the path: " + msg
	case at != "self" && at != "parent":
		return "", fmt.Sprintf("the probe reported %q of the path, which is not what mp reports", at)
	case status != 0:
		return "", "cannot tell where the path leads: cd -P failed: " + msg
	}
	real = strings.TrimSuffix(string(said), "\n")
	if !strings.HasPrefix(real, "/") || strings.Contains(real, "\n") {
		return "", fmt.Sprintf("pwd -P printed %s, which is not a path", excerpt(said))
	}
	if at == "parent" {
		base := path[strings.LastIndexByte(path, '/')+1:]
		real = strings.TrimSuffix(real, "/") + "/" + base
		if base == "" {
			real = "/"
		}
	}
	return real, ""
}

// mountTable reads /proc/self/mountinfo as the probe printed it.
func mountTable(r records) ([]mountEntry, string) {
	status, ok := r.number("mount.status", "-")
	out, gotOut := r.get("mount.info", "-")
	if !ok || !gotOut {
		return nil, "the probe did not report the table of mounts"
	}
	if status != 0 {
		msg, _ := r.text("mount.err", "-")
		return nil, fmt.Sprintf("cannot read /proc/self/mountinfo (is /proc mounted?): %s", firstLine(msg, fmt.Sprintf("cat exited with %d", status)))
	}
	var entries []mountEntry
	for n, l := range strings.Split(string(out), "\n") {
		if l == "" {
			continue
		}
		e, err := parseMountinfo(l)
		if err != nil {
			return nil, fmt.Sprintf("/proc/self/mountinfo line %d, %s: %v", n+1, excerpt([]byte(l)), err)
		}
		entries = append(entries, e)
	}
	if len(entries) == 0 {
		return nil, "/proc/self/mountinfo lists no mounts at all (is /proc the kernel's?)"
	}
	if !strings.HasSuffix(string(out), "\n") {
		return nil, "/proc/self/mountinfo ends in the middle of a line"
	}
	return entries, ""
}

// parseMountinfo reads a line of /proc/self/mountinfo (proc(5)):
//
//	36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//
// id, parent id, device, root, mount point, the mount's own options, optional fields up to "-",
// then the type, the source and the file system's options. Its options come out as
// /proc/self/mounts shows them: "ro" when the mount or its file system is read-only, the file
// system's flags (sync, dirsync, mand, lazytime), the mount's own flags, then the rest.
func parseMountinfo(line string) (mountEntry, error) {
	f := strings.Split(line, " ")
	sep := -1
	for i := 6; i < len(f); i++ {
		if f[i] == "-" {
			sep = i
			break
		}
	}
	if len(f) < 10 || sep < 0 || len(f) != sep+4 {
		return mountEntry{}, fmt.Errorf("not the fields of a mount")
	}
	if _, err := strconv.ParseUint(f[0], 10, 64); err != nil {
		return mountEntry{}, fmt.Errorf("the mount id %q is not a number", f[0])
	}
	if _, err := strconv.ParseUint(f[1], 10, 64); err != nil {
		return mountEntry{}, fmt.Errorf("the parent id %q is not a number", f[1])
	}
	e := mountEntry{id: f[0], parent: f[1], point: unescapeMount(f[4]),
		filesystem: unescapeMount(f[sep+1]), source: unescapeMount(f[sep+2])}
	own, super := strings.Split(f[5], ","), strings.Split(f[sep+3], ",")
	readOnly := own[0] == "ro" || super[0] == "ro"
	if (own[0] != "ro" && own[0] != "rw") || (super[0] != "ro" && super[0] != "rw") {
		return mountEntry{}, fmt.Errorf("the options do not start with rw or ro")
	}
	e.options = []string{map[bool]string{true: "ro", false: "rw"}[readOnly]}
	var rest []string
	for _, o := range super[1:] {
		switch o {
		case "sync", "dirsync", "mand", "lazytime":
			e.options = append(e.options, o)
		default:
			rest = append(rest, unescapeMount(o))
		}
	}
	e.options = append(append(e.options, own[1:]...), rest...)
	return e, nil
}

// unescapeMount decodes the kernel's octal escapes (\040 for a space, \011, \012, \134 …), which
// it writes for bytes that would break the table's columns.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) {
			b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// coveredAbove reports whether a sibling of entry i (another mount on the same parent) is mounted
// on a folder above i's mount point: mounted later on that folder, it hides everything beneath,
// i included (a mount made before it on a folder further down is not inside it, so it is not i's
// parent but its sibling).
func coveredAbove(entries []mountEntry, siblings []int, i int) bool {
	for _, j := range siblings {
		above := entries[j].point
		if above != "/" {
			above += "/"
		}
		if j != i && strings.HasPrefix(entries[i].point, above) {
			return true
		}
	}
	return false
}

// visibleMounts finds, for each mount point, the mounts that are seen there. A mount is covered
// when another is mounted on its root (a child at the same mount point). It is seen when it is
// not covered and its mount point can be reached: the mount point of a mount stacked on another
// can be reached when the other's can; that of one on a folder inside another, when the other is
// seen. A mount whose parent the table does not list (the root, or a mount whose parent is
// outside a chroot) can be reached. It also counts the mounts stacked beneath the one on top at
// each mount point.
func visibleMounts(entries []mountEntry) (top map[string][]int, below map[string]int) {
	byID := map[string]int{}
	covered := map[string]bool{}
	children := map[string][]int{}
	for i, e := range entries {
		byID[e.id] = i
		children[e.parent] = append(children[e.parent], i)
	}
	for _, e := range entries {
		if p, ok := byID[e.parent]; ok && e.parent != e.id && entries[p].point == e.point {
			covered[e.parent] = true
		}
	}
	state := map[string]int{} // 1: being decided, 2: reachable, 3: not
	var reachable func(i int) bool
	reachable = func(i int) bool {
		e := entries[i]
		switch state[e.id] {
		case 1:
			return false // a loop of parents: nothing in it is seen
		case 2, 3:
			return state[e.id] == 2
		}
		state[e.id] = 1
		ok := true
		if p, listed := byID[e.parent]; listed && e.parent != e.id {
			ok = reachable(p) && (entries[p].point == e.point || !covered[entries[p].id]) && !coveredAbove(entries, children[e.parent], i)
		}
		state[e.id] = map[bool]int{true: 2, false: 3}[ok]
		return ok
	}
	top, below = map[string][]int{}, map[string]int{}
	for i, e := range entries {
		if !covered[e.id] && reachable(i) {
			top[e.point] = append(top[e.point], i)
		}
	}
	// the mounts stacked beneath the one on top: down its chain of parents at the same point
	for point, on := range top {
		if len(on) != 1 {
			continue
		}
		e := entries[on[0]]
		for n := 0; n < len(entries); n++ {
			p, ok := byID[e.parent]
			if !ok || e.parent == e.id || entries[p].point != point {
				break
			}
			below[point]++
			e = entries[p]
		}
	}
	return top, below
}

func (g *mounts) fake(w *recordWriter) {
	var info strings.Builder
	info.WriteString("22 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw,discard,errors=remount-ro\n" +
		"23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n" +
		"24 22 0:22 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw\n" +
		"25 22 0:5 / /dev rw,nosuid,relatime - devtmpfs udev rw,size=4010000k,nr_inodes=1002500,mode=755\n" +
		"26 22 0:23 / /run rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,size=803000k,mode=755\n")
	for i, path := range g.list {
		if path != "/" && path != "/proc" && path != "/sys" && path != "/dev" && path != "/run" {
			fmt.Fprintf(&info, "%d 22 0:%d / %s rw,nosuid,nodev,relatime - tmpfs tmpfs rw,size=1024k\n", 100+i, 100+i, strings.ReplaceAll(path, " ", `\040`))
		}
	}
	w.line("mount.status", "-", "0")
	w.blob("mount.info", "-", info.String())
	w.blob("mount.err", "-", "")
	for i, path := range g.list {
		w.line("mount.at", i, "parent")
		w.line("mount.exit", i, "0")
		w.blob("mount.said", i, path[:max(1, strings.LastIndexByte(path, '/'))]+"\n")
	}
}
