package probe

import (
	"fmt"
	"strconv"
	"strings"
)

// FileFacts describe what is at a path. Mode, ownership, size and content are those of the file
// a symlink points to; Type is "symlink" for the link itself, and Resolved is the type of what it
// points to.
type FileFacts struct {
	Exists     bool
	Err        string // why the path could not be examined, such as "permission denied"
	Type       string // file, directory, symlink, socket, fifo, block_device, character_device
	Resolved   string // the type after following symlinks: Type, unless Type is symlink
	LinkTarget string // where a symlink points
	Dangling   bool   // a symlink whose target does not exist: it has no mode, owner or content
	Mode       uint32 // permission bits with setuid, setgid and sticky: 0o7777 at most
	UID, GID   int
	Owner      string // user name, as stat(1) resolves it; empty when unknown
	Group      string // group name, as stat(1) resolves it; empty when unknown
	Size       int64

	Content          []byte // at most ContentLimit bytes
	ContentRead      bool   // the content was read: Content is what the file holds
	ContentErr       string // why the content could not be read
	ContentTruncated bool   // the file holds more than ContentLimit bytes
}

var fileKind = register("file", "file", func() gatherer { return &files{} })

// statBatch bounds the paths given to one stat call, far below any argument-length limit.
const statBatch = 200

type fileRequest struct {
	path    string
	content bool
}

type files struct{ requests[fileRequest] }

// File asks for the metadata of path and, if content is true, for its content (of a regular file
// only: the probe never opens anything else).
func (p *Plan) File(path string, content bool) Fact[FileFacts] {
	g := part[*files](p, fileKind)
	id, _ := g.add(path, fileRequest{path: path})
	g.list[id].content = g.list[id].content || content
	return Fact[FileFacts]{fileKind, id}
}

func (g *files) render(s *script) {
	for i, f := range g.list {
		if strings.Contains(f.path, "\n") && s.err == nil {
			s.err = fmt.Errorf("the path %q contains a newline, which stat(1) output cannot carry", f.path)
		}
		q, alone := s.quote(f.path), ""
		if !quotedPlainly(f.path) {
			alone = " alone"
		}
		fmt.Fprintf(&s.main, "\tfe %d %s%s && set -- \"$@\" %s\n", i, q, alone, q)
		if (i+1)%statBatch == 0 || i == len(g.list)-1 {
			fmt.Fprintf(&s.main, "\tfs %d \"$@\"; set --\n", i/statBatch)
		}
	}
	for i, f := range g.list {
		if f.content {
			fmt.Fprintf(&s.main, "\tfc %d %s %d\n", i, s.quote(f.path), ContentLimit)
		}
	}
}

// quotedPlainly reports whether stat(1) quotes path in its complaints as 'PATH': GNU stat
// escapes a single quote and any byte outside printable ASCII; busybox quotes nothing.
func quotedPlainly(path string) bool {
	for i := 0; i < len(path); i++ {
		if path[i] < 0x20 || path[i] > 0x7e || path[i] == '\'' {
			return false
		}
	}
	return true
}

func (g *files) parse(r records) any {
	stats, statErr := statLines(r, len(g.list))
	facts := make([]FileFacts, len(g.list))
	for i, req := range g.list {
		f := fileExistence(r, i, req.path, statErr[i/statBatch])
		if f.Exists && !f.Dangling && f.Err == "" {
			line, ok := stats[req.path]
			switch {
			case !ok:
				f.Err = "stat(1) said nothing about this path: " + firstLine(complaintAbout(statErr[i/statBatch], req.path), "no reason given")
			default:
				if err := parseStatLine(&f, line); err != nil {
					f.Err = err.Error()
				}
			}
		}
		if req.content && f.Err == "" && f.Resolved == "file" {
			readContent(&f, r, i)
		}
		facts[i] = f
	}
	return facts
}

// statLines collects the stat lines of every batch by the path each ends with, and the stderr of
// each batch.
func statLines(r records, n int) (map[string]string, []string) {
	byPath := map[string]string{}
	var errs []string
	for b := 0; b*statBatch < n; b++ {
		out, _ := r.get("file.stat", b)
		for _, l := range strings.Split(string(out), "\n") {
			if path := statPath(l); path != "" {
				byPath[path] = l
			}
		}
		msg, _ := r.text("file.staterr", b)
		errs = append(errs, msg)
	}
	return byPath, errs
}

// statPath returns the path at the end of a stat line "%f %u %g %s %U %G %n". Names of users and
// groups hold no " /", and paths start with "/".
func statPath(line string) string {
	if i := strings.Index(line, " /"); i >= 0 {
		return line[i+1:]
	}
	return ""
}

// fileExistence reads what fe found at the i-th path; for a path that is not there, the reason is
// stat's complaint, alone (file.err) or in the batch's stderr.
func fileExistence(r records, i int, path, batchErr string) FileFacts {
	var f FileFacts
	if target, ok := r.get("file.link", i); ok {
		f.Type = "symlink"
		f.LinkTarget = strings.TrimSuffix(string(target), "\n")
	}
	if r.has("file.dangling", i) {
		f.Exists, f.Dangling = true, true // the link is there; what it points to is not
		return f
	}
	msg, failed := r.text("file.err", i)
	if k := strings.LastIndex(msg, ": "); k >= 0 {
		msg = msg[k+2:] // the reason, after the quoted path, which may hold any words
	}
	if r.has("file.missing", i) {
		msg, failed = complaintAbout(batchErr, path), true
	}
	switch {
	case !failed:
		f.Exists = true // stat describes it
	case strings.Contains(msg, "No such file") || strings.Contains(msg, "Not a directory"):
	case strings.Contains(msg, "Permission denied"):
		f.Err = "permission denied: the probe's user cannot see this path (use_sudo = true may help)"
	case msg == "":
		f.Err = "the path is not there, and stat(1) did not say why"
	default:
		f.Err = firstLine(msg, msg)
	}
	return f
}

// complaintAbout finds stat's complaint about path in its stderr, "stat: cannot statx 'PATH':
// REASON" (GNU) or "stat: can't stat 'PATH': REASON" (busybox), and returns the reason.
func complaintAbout(stderr, path string) string {
	quoted := "'" + path + "': "
	for _, l := range strings.Split(stderr, "\n") {
		if _, reason, ok := strings.Cut(l, quoted); ok {
			return reason
		}
	}
	return ""
}

// parseStatLine reads "%f %u %g %s %U %G %n": the raw mode in hex, uid, gid, size, owner, group
// and the path.
func parseStatLine(f *FileFacts, line string) error {
	meta := line[:len(line)-len(statPath(line))]
	fields := strings.Fields(meta)
	bad := fmt.Errorf("stat(1) printed %q, which is not a file's metadata", line)
	if len(fields) < 4 {
		return bad
	}
	raw, err1 := strconv.ParseUint(fields[0], 16, 32)
	uid, err2 := strconv.Atoi(fields[1])
	gid, err3 := strconv.Atoi(fields[2])
	size, err4 := strconv.ParseInt(fields[3], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return bad
	}
	f.Resolved = fileType(uint32(raw))
	if f.Type == "" {
		f.Type = f.Resolved
	}
	f.Mode = uint32(raw) & 0o7777
	f.UID, f.GID, f.Size = uid, gid, size
	if len(fields) == 6 && fields[4] != "UNKNOWN" && fields[5] != "UNKNOWN" {
		// names with spaces in them stay unknown; numbers still compare
		f.Owner, f.Group = fields[4], fields[5]
	}
	return nil
}

func fileType(raw uint32) string {
	switch raw & 0o170000 {
	case 0o100000:
		return "file"
	case 0o040000:
		return "directory"
	case 0o120000:
		return "symlink"
	case 0o140000:
		return "socket"
	case 0o010000:
		return "fifo"
	case 0o060000:
		return "block_device"
	case 0o020000:
		return "character_device"
	}
	return "unknown"
}

func readContent(f *FileFacts, r records, i int) {
	if b, ok := r.get("file.content", i); ok {
		f.ContentRead = true
		if len(b) > ContentLimit {
			f.Content, f.ContentTruncated = b[:ContentLimit], true
		} else {
			f.Content = b
		}
		return
	}
	msg, failed := r.text("file.cerr", i)
	switch {
	case !failed:
		f.ContentErr = "the probe did not read the content (was the file replaced while it ran?)"
	case strings.Contains(msg, "ermission denied"):
		f.ContentErr = "permission denied: the probe's user cannot read this file (use_sudo = true may help)"
	default:
		f.ContentErr = "cannot read the content: " + firstLine(msg, "no reason given")
	}
}

func (g *files) fake(w *recordWriter) {
	for b := 0; b*statBatch < len(g.list); b++ {
		var stat strings.Builder
		for i := b * statBatch; i < len(g.list) && i < (b+1)*statBatch; i++ {
			fmt.Fprintf(&stat, "81a4 0 0 12 root root %s\n", g.list[i].path)
		}
		w.blob("file.stat", b, stat.String())
	}
	for i, f := range g.list {
		if f.content {
			w.blob("file.content", i, "x = 1\ndebug = false\n")
		}
	}
}
