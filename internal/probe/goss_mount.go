package probe

import (
	"fmt"
	"strconv"
	"strings"
)

// GossMountFacts describe the mount at a path as goss v0.4.9 finds it (its system/mount.go, with
// moby/sys/mountinfo v0.7.1): the first entry of the probe's table of mounts whose mount point is
// the path exactly as written (no symlinks resolved, no slashes dropped), with its options as the
// table writes them. Unlike MountFacts, which describe the mount a path shows, these follow goss
// where they differ: stacked mounts (goss takes the first entry, the one underneath) and mounts
// hidden under a mount above them (goss still finds them).
type GossMountFacts struct {
	Found bool
	// Why the table of mounts could not be read: then nothing is known of any mount point.
	Err        string
	Options    string // the mount's own options, the table's 6th field: "rw,nosuid,relatime"
	VFSOptions string // the file system's options, its last field: "rw,size=1024k"
	Source     string // the mount source, its escapes decoded: "/dev/vda1", "tmpfs"
	Filesystem string // the file system type: "ext4"
	// With GossMountUsage: the file system's total and free blocks, as statfs(2) gives them
	// (f_blocks, f_bfree), from which goss computes its usage; UsageErr says why they are not
	// known.
	Blocks, Free uint64
	UsageErr     string
}

var gossMountKind = register("goss_mount", "goss_mount", func() gatherer { return &gossMounts{} })

type gossMountRequest struct {
	point string
	usage bool
}

type gossMounts struct{ requests[gossMountRequest] }

// GossMount asks for the mount whose mount point is exactly point.
func (p *Plan) GossMount(point string) Fact[GossMountFacts] {
	g := part[*gossMounts](p, gossMountKind)
	id, _ := g.add(point, gossMountRequest{point: point})
	return newFact[GossMountFacts](p, gossMountKind, id)
}

// GossMountUsage asks, besides what GossMount asks, for the block counts of the file system at
// point.
func (p *Plan) GossMountUsage(point string) Fact[GossMountFacts] {
	h := p.GossMount(point)
	part[*gossMounts](p, gossMountKind).list[h.id].usage = true
	return h
}

func (g *gossMounts) render(s *script) {
	s.call(&s.main, "gmi")
	for i, req := range g.list {
		if strings.ContainsAny(req.point, "\n\x00") && s.err == nil {
			s.err = fmt.Errorf("the mount point %q holds a newline (a bug in packer-plugin-assert)", req.point)
		}
		if req.usage {
			s.call(&s.main, "gmu", strconv.Itoa(i), req.point)
		}
	}
}

// gossMountEntry is one line of /proc/self/mountinfo, as mountinfo.GetMountsFromReader reads it.
type gossMountEntry struct {
	point, options, vfsOptions, source, filesystem string
}

func (g *gossMounts) parse(r records) any {
	facts := make([]GossMountFacts, len(g.list))
	entries, err := gossMountTable(r)
	for i, req := range g.list {
		f := &facts[i]
		if err != "" {
			f.Err = err
			continue
		}
		for _, e := range entries {
			if e.point == req.point {
				f.Found = true
				f.Options, f.VFSOptions, f.Source, f.Filesystem = e.options, e.vfsOptions, e.source, e.filesystem
				break
			}
		}
		if req.usage {
			f.Blocks, f.Free, f.UsageErr = gossUsage(r, i)
		}
	}
	return facts
}

// gossMountTable reads the table of mounts, or says why it cannot.
func gossMountTable(r records) ([]gossMountEntry, string) {
	status, ok := r.number("goss_mount.status", "-")
	out, gotOut := r.get("goss_mount.info", "-")
	if !ok || !gotOut {
		return nil, "the probe did not report the table of mounts"
	}
	if status != 0 {
		msg, _ := r.text("goss_mount.err", "-")
		return nil, fmt.Sprintf("cannot read /proc/self/mountinfo (is /proc mounted?): %s", firstLine(msg, fmt.Sprintf("cat exited with %d", status)))
	}
	if len(out) == 0 || out[len(out)-1] != '\n' {
		return nil, "/proc/self/mountinfo is empty or ends in the middle of a line"
	}
	var entries []gossMountEntry
	for n, l := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		f := strings.Split(l, " ")
		// the separator is looked for from the end, as mountinfo does: a source may hold blanks
		sep := len(f) - 4
		for sep > 5 && f[sep] != "-" {
			sep--
		}
		if len(f) < 10 || sep <= 5 {
			return nil, fmt.Sprintf("/proc/self/mountinfo line %d, %s, is not the fields of a mount", n+1, excerpt([]byte(l)))
		}
		entries = append(entries, gossMountEntry{point: unescapeMount(f[4]), options: f[5], vfsOptions: f[sep+3],
			filesystem: unescapeMount(f[sep+1]), source: unescapeMount(f[sep+2])})
	}
	return entries, ""
}

// gossUsage reads what `stat -f -c '%b %f'` said of the i-th mount point.
func gossUsage(r records, i int) (blocks, free uint64, why string) {
	status, ok := r.number("goss_mount.ustatus", i)
	out, _ := r.text("goss_mount.usage", i)
	if !ok {
		return 0, 0, "the probe did not report the file system's blocks"
	}
	f := strings.Fields(out)
	if status != 0 || len(f) != 2 {
		return 0, 0, "stat -f cannot tell the file system's blocks: " + firstLine(out, fmt.Sprintf("it exited with %d", status))
	}
	var err1, err2 error
	blocks, err1 = strconv.ParseUint(f[0], 10, 64)
	free, err2 = strconv.ParseUint(f[1], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Sprintf("stat -f printed %q, which is not two block counts", out)
	}
	return blocks, free, ""
}

func (g *gossMounts) fake(w *recordWriter) {
	var info strings.Builder
	info.WriteString("22 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw,discard,errors=remount-ro\n")
	for i, req := range g.list {
		if req.point != "/" {
			fmt.Fprintf(&info, "%d 22 0:%d / %s rw,nosuid,nodev,relatime - tmpfs tmpfs rw,size=1024k\n", 100+i, 100+i, strings.ReplaceAll(req.point, " ", `\040`))
		}
	}
	w.line("goss_mount.status", "-", "0")
	w.blob("goss_mount.info", "-", info.String())
	w.blob("goss_mount.err", "-", "")
	for i, req := range g.list {
		if req.usage {
			w.line("goss_mount.ustatus", i, "0")
			w.blob("goss_mount.usage", i, "1000 750\n")
		}
	}
}
