package probe

import (
	"crypto/md5"
	"fmt"
	"strings"
)

// GossFileFacts are what goss v0.4.9 measures of a path beyond FileFacts: the metadata of the path
// itself, as lstat(2) gives it (goss's system/file.go reads a file's mode, owner, group, size and
// type with os.Lstat, so a symlink's are its own: mode 0777, its owner, the length of its target),
// and the MD5 digest of what the path resolves to, when asked for with GossFileMD5. Whether the
// path exists is FileFacts' business: ask for both.
type GossFileFacts struct {
	// Described: stat(1) described the path. It is not asked about a path that is not there (test
	// -e and test -h both fail), which is then neither Described nor in error.
	Described bool
	// Why the path could not be described although it is there, in stat's words.
	Err          string
	Type         string // as FileFacts.Type: file, directory, symlink, socket, fifo, block_device, character_device
	Mode         uint32 // permission bits with setuid, setgid and sticky
	UID, GID     int
	Owner, Group string // names, as stat(1) resolves them; empty when the image has none
	Size         int64
	// The MD5 digest, in lower-case hex, of the whole content of the regular file the path
	// resolves to; MD5Err says why it could not be computed. Both are empty when the path does
	// not resolve to a regular file.
	MD5, MD5Err string
}

var gossFileKind = register("goss_file", "goss_file", func() gatherer { return &gossFiles{} })

type gossFileRequest struct {
	path string
	md5  bool
}

type gossFiles struct{ requests[gossFileRequest] }

// GossFile asks for the lstat(2) metadata of path, an absolute path.
func (p *Plan) GossFile(path string) Fact[GossFileFacts] {
	g := part[*gossFiles](p, gossFileKind)
	id, _ := g.add(path, gossFileRequest{path: path})
	return newFact[GossFileFacts](p, gossFileKind, id)
}

// GossFileMD5 asks, besides what GossFile asks, for the MD5 digest of the whole content of path,
// computed in the image by md5sum (GNU coreutils and busybox have it), of a regular file only.
func (p *Plan) GossFileMD5(path string) Fact[GossFileFacts] {
	h := p.GossFile(path)
	part[*gossFiles](p, gossFileKind).list[h.id].md5 = true
	return h
}

func (g *gossFiles) render(s *script) {
	for i, f := range g.list {
		if (!strings.HasPrefix(f.path, "/") || strings.Contains(f.path, "\n")) && s.err == nil {
			s.err = fmt.Errorf("the path %q is not an absolute path on one line (a bug in packer-plugin-assert)", f.path)
		}
		q := s.quote(f.path)
		// only what is there: stat's complaints are then about paths it cannot describe
		fmt.Fprintf(&s.main, "\t{ [ -e %s ] || [ -h %s ]; } && set -- \"$@\" %s\n", q, q, q)
		if (i+1)%statBatch == 0 || i == len(g.list)-1 {
			fmt.Fprintf(&s.main, "\tgl %d \"$@\"; set --\n", i/statBatch)
		}
	}
	n := 0
	for i, f := range g.list {
		if !f.md5 {
			continue
		}
		// [ -f ], a shell builtin, keeps out anything but a regular file (md5sum would block on
		// a fifo and never end on a device), and says so: a regular file without a digest is then
		// an error
		q := s.quote(f.path)
		fmt.Fprintf(&s.main, "\tif [ -f %s ]; then set -- \"$@\" %s; else gn %d; fi\n", q, q, i)
		if n++; n%statBatch == 0 {
			fmt.Fprintf(&s.main, "\tgm %d \"$@\"; set --\n", (n-1)/statBatch)
		}
	}
	if n%statBatch != 0 {
		fmt.Fprintf(&s.main, "\tgm %d \"$@\"; set --\n", (n-1)/statBatch)
	}
}

func (g *gossFiles) parse(r records) any {
	facts := make([]GossFileFacts, len(g.list))
	lines := map[string]string{}
	var stderr []string
	for b := 0; b*statBatch < len(g.list); b++ {
		out, _ := r.get("goss_file.lstat", b)
		for _, l := range strings.Split(string(out), "\n") {
			if path := statPath(l); path != "" {
				lines[path] = l
			}
		}
		msg, _ := r.text("goss_file.lstaterr", b)
		stderr = append(stderr, msg)
	}
	for i, req := range g.list {
		f := &facts[i]
		batch := i / statBatch
		if _, ran := r.get("goss_file.lstat", batch); !ran && r.has("goss_file.lstatus", batch) {
			f.Err = "the probe ran stat(1) but did not report its output"
			continue
		}
		if l, ok := lines[req.path]; ok {
			var ff FileFacts
			if err := parseStatLine(&ff, l); err != nil {
				f.Err = err.Error()
				continue
			}
			f.Described = true
			f.Type, f.Mode, f.UID, f.GID, f.Owner, f.Group, f.Size = ff.Resolved, ff.Mode, ff.UID, ff.GID, ff.Owner, ff.Group, ff.Size
			continue
		}
		if why := complaintAbout(stderr[batch], req.path); why != "" {
			f.Err = "stat(1) cannot describe this path: " + why
			if strings.Contains(why, "Permission denied") {
				f.Err = "permission denied: the probe's user cannot see this path (use_sudo = true may help)"
			}
		}
	}
	g.readMD5(r, facts)
	return facts
}

// readMD5 reads the digests of the requests that asked for one, batch by batch as render made
// them.
func (g *gossFiles) readMD5(r records, facts []GossFileFacts) {
	n := 0
	for i, req := range g.list {
		if !req.md5 {
			continue
		}
		batch := n / statBatch
		n++
		if !r.has("goss_file.notfile", i) {
			facts[i].MD5, facts[i].MD5Err = md5Of(r, batch, req.path)
		}
	}
}

// md5Of finds the digest of path, a regular file when the probe looked, in what md5sum printed
// for its batch, or says why it is not there.
func md5Of(r records, batch int, path string) (digest, why string) {
	if r.has("goss_file.nomd5", batch) {
		return "", "the image has no md5sum (GNU coreutils and busybox have one), so the MD5 digest cannot be computed"
	}
	out, ok := r.get("goss_file.md5", batch)
	status, _ := r.text("goss_file.md5status", batch)
	stderr, _ := r.text("goss_file.md5err", batch)
	if !ok {
		return "", "the probe did not report what md5sum printed"
	}
	found := ""
	for _, l := range strings.Split(string(out), "\n") {
		p, d, ok := parseSumLine(l, 2*md5.Size)
		if !ok || p != path {
			continue
		}
		if found != "" {
			return "", "md5sum printed two digests for this path"
		}
		found = d
	}
	if found != "" {
		return found, ""
	}
	reason := ""
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, path) {
			reason = l[strings.LastIndex(l, ": ")+2:]
		}
	}
	switch {
	case strings.Contains(reason, "Permission denied"):
		return "", "permission denied: the probe's user cannot read this file (use_sudo = true may help)"
	case reason != "":
		return "", "md5sum could not read this file: " + reason
	}
	return "", fmt.Sprintf("md5sum printed no digest for this path (exit status %s): %s", orUnknown(status), firstLine(stderr, "no reason given"))
}

func (g *gossFiles) fake(w *recordWriter) {
	for b := 0; b*statBatch < len(g.list); b++ {
		var out strings.Builder
		for i := b * statBatch; i < len(g.list) && i < (b+1)*statBatch; i++ {
			fmt.Fprintf(&out, "81a4 0 0 20 root root %s\n", g.list[i].path)
		}
		w.line("goss_file.lstatus", b, "0")
		w.blob("goss_file.lstat", b, out.String())
		w.blob("goss_file.lstaterr", b, "")
	}
	// the digest of the fake content of FileFacts
	sum := fmt.Sprintf("%x", md5.Sum([]byte("x = 1\ndebug = false\n")))
	var out strings.Builder
	n := 0
	flush := func() {
		b := (n - 1) / statBatch
		w.line("goss_file.md5status", b, "0")
		w.blob("goss_file.md5", b, out.String())
		w.blob("goss_file.md5err", b, "")
		out.Reset()
	}
	for _, f := range g.list {
		if f.md5 {
			fmt.Fprintf(&out, "%s  %s\n", sum, f.path)
			if n++; n%statBatch == 0 {
				flush()
			}
		}
	}
	if n%statBatch != 0 {
		flush()
	}
}
