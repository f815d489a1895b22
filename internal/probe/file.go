package probe

import (
	"crypto/sha256"
	"crypto/sha512"
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
	LinkTarget string // where a symlink points, as written in it (readlink(1) without -f)
	LinkErr    string // why readlink(1) could not say where a symlink points
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

	// The digests of the whole content of a regular file, in lower-case hex, by algorithm
	// ("sha256", "sha512"), of those asked for with FileDigest; DigestErr says why one could not
	// be computed.
	Digest    map[string]string
	DigestErr map[string]string
}

// The digest algorithms FileDigest computes, each with the program that does (GNU coreutils
// and busybox have both) and the length of its digest in hex.
var digestTools = []struct {
	algorithm string
	hexLen    int
}{{"sha256", 64}, {"sha512", 128}}

// digestLen is the length in hex of a digest of algorithm, or 0 for an algorithm the probe does
// not compute.
func digestLen(algorithm string) int {
	for _, tool := range digestTools {
		if tool.algorithm == algorithm {
			return tool.hexLen
		}
	}
	return 0
}

var fileKind = register("file", "file", func() gatherer { return &files{} })

// statBatch bounds the paths given to one stat call, far below any argument-length limit.
const statBatch = 200

type fileRequest struct {
	path    string
	content bool
	digest  map[string]bool // the algorithms asked for
}

type files struct{ requests[fileRequest] }

// File asks for the metadata of path and, if content is true, for its content (of a regular file
// only: the probe never opens anything else).
func (p *Plan) File(path string, content bool) Fact[FileFacts] {
	g := part[*files](p, fileKind)
	id, _ := g.add(path, fileRequest{path: path})
	g.list[id].content = g.list[id].content || content
	return newFact[FileFacts](p, fileKind, id)
}

// FileDigest asks, besides what File asks, for the digest of the whole content of path with
// algorithm ("sha256" or "sha512"), computed in the image by sha256sum or sha512sum over the
// whole file, of a regular file only. The path must be absolute: the tools take "-" for stdin.
func (p *Plan) FileDigest(path, algorithm string) Fact[FileFacts] {
	h := p.File(path, false)
	g := part[*files](p, fileKind)
	if g.list[h.id].digest == nil {
		g.list[h.id].digest = map[string]bool{}
	}
	g.list[h.id].digest[algorithm] = true
	return h
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
	g.renderDigests(s)
}

// renderDigests writes, for each algorithm, one sha256sum (or sha512sum) per batch of the regular
// files whose digest was asked for: `[ -f ]`, a shell builtin, keeps out anything else (a fifo
// would block the tool, a device never ends).
func (g *files) renderDigests(s *script) {
	for _, f := range g.list {
		for algorithm := range f.digest {
			if digestLen(algorithm) == 0 && s.err == nil {
				s.err = fmt.Errorf("the probe computes no digest %q (a bug in packer-plugin-assert)", algorithm)
			}
		}
	}
	for _, tool := range digestTools {
		n := 0
		for _, f := range g.list {
			if !f.digest[tool.algorithm] {
				continue
			}
			if !strings.HasPrefix(f.path, "/") && s.err == nil {
				s.err = fmt.Errorf("the path %q is not absolute, and %ssum would take it for something else", f.path, tool.algorithm)
			}
			q := s.quote(f.path)
			fmt.Fprintf(&s.main, "\t[ -f %s ] && set -- \"$@\" %s\n", q, q)
			n++
			if n%statBatch == 0 {
				fmt.Fprintf(&s.main, "\tfd %s %d \"$@\"; set --\n", tool.algorithm, (n-1)/statBatch)
			}
		}
		if n%statBatch != 0 {
			fmt.Fprintf(&s.main, "\tfd %s %d \"$@\"; set --\n", tool.algorithm, (n-1)/statBatch)
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
	readDigests(r, g.list, facts)
	return facts
}

// readDigests reads the digests each request asked for from the output of the batch it was in,
// and sets those of the regular files among them; what is not a regular file has none.
func readDigests(r records, list []fileRequest, facts []FileFacts) {
	for _, tool := range digestTools {
		var batches []digestBatch
		n := 0
		for i, req := range list {
			if !req.digest[tool.algorithm] {
				continue
			}
			b := n / statBatch
			n++
			if b == len(batches) {
				batches = append(batches, readDigestBatch(r, tool.algorithm, b, tool.hexLen))
			}
			f := &facts[i]
			if f.Err != "" || !f.Exists || f.Dangling || f.Resolved != "file" {
				continue
			}
			digest, why := batches[b].of(req.path)
			if why != "" {
				if f.DigestErr == nil {
					f.DigestErr = map[string]string{}
				}
				f.DigestErr[tool.algorithm] = why
				continue
			}
			if f.Digest == nil {
				f.Digest = map[string]string{}
			}
			f.Digest[tool.algorithm] = digest
		}
	}
}

// A digestBatch is what one sha256sum (or sha512sum) printed for a batch of paths.
type digestBatch struct {
	tool    string            // sha256sum or sha512sum
	digests map[string]string // by path; "" for a path it printed twice
	err     string            // why nothing of the batch can be read
	status  string            // the tool's exit status
	stderr  string
}

func readDigestBatch(r records, algorithm string, batch, hexLen int) digestBatch {
	id := fmt.Sprintf("%s-%d", algorithm, batch)
	d := digestBatch{tool: algorithm + "sum", digests: map[string]string{}}
	if r.has("file.nosum", id) {
		d.err = fmt.Sprintf("the image has no %s (GNU coreutils and busybox have one), so the digest cannot be computed", d.tool)
		return d
	}
	out, ok := r.get("file.sum", id)
	d.status, _ = r.text("file.sumstatus", id)
	d.stderr, _ = r.text("file.sumerr", id)
	if !ok {
		d.err = fmt.Sprintf("the probe did not run %s", d.tool)
		return d
	}
	for _, l := range strings.Split(string(out), "\n") {
		path, digest, ok := parseSumLine(l, hexLen)
		if !ok {
			continue
		}
		if _, twice := d.digests[path]; twice {
			digest = ""
		}
		d.digests[path] = digest
	}
	return d
}

// of returns the digest of path, or why there is none.
func (d digestBatch) of(path string) (digest, why string) {
	if d.err != "" {
		return "", d.err
	}
	digest, ok := d.digests[path]
	switch {
	case ok && digest == "":
		return "", fmt.Sprintf("%s printed two digests for this path", d.tool)
	case ok:
		return digest, ""
	}
	reason := ""
	for _, l := range strings.Split(d.stderr, "\n") {
		if strings.Contains(l, path) {
			reason = l[strings.LastIndex(l, ": ")+2:]
		}
	}
	switch {
	case strings.Contains(reason, "Permission denied"):
		return "", "permission denied: the probe's user cannot read this file (use_sudo = true may help)"
	case reason != "":
		return "", fmt.Sprintf("%s could not read this file: %s", d.tool, reason)
	}
	return "", fmt.Sprintf("%s printed no digest for this path (exit status %s): %s", d.tool, orUnknown(d.status), firstLine(d.stderr, "no reason given"))
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// parseSumLine reads a line of sha256sum or sha512sum: the digest in hex, two blanks (or a
// blank and a * in binary mode) and the path. GNU coreutils starts the line with a backslash
// when it escaped the path (\\ for a backslash, \n for a newline, \r for a carriage return);
// busybox never escapes, and its lines start with the digest. The digest has a fixed length, so
// whatever the path holds (blanks, another digest) is the path's.
func parseSumLine(line string, hexLen int) (path, digest string, ok bool) {
	escaped := strings.HasPrefix(line, "\\")
	if escaped {
		line = line[1:]
	}
	if len(line) < hexLen+3 || !isHex(line[:hexLen]) {
		return "", "", false
	}
	if sep := line[hexLen : hexLen+2]; sep != "  " && sep != " *" {
		return "", "", false
	}
	path = line[hexLen+2:]
	if escaped {
		if path, ok = unescapeSumPath(path); !ok {
			return "", "", false
		}
	}
	return path, strings.ToLower(line[:hexLen]), true
}

// unescapeSumPath undoes GNU's escaping of a path in a line of sha256sum.
func unescapeSumPath(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i++; i == len(s) {
			return "", false
		}
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			return "", false
		}
	}
	return b.String(), true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= s[i] && s[i] <= 'f' || 'A' <= s[i] && s[i] <= 'F') {
			return false
		}
	}
	return s != ""
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
	if msg, ok := r.text("file.linkerr", i); ok {
		f.Type = "symlink"
		f.LinkErr = "readlink(1) cannot say where the symlink points: " + firstLine(msg, "no reason given")
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
	// the fake files' digests are those of the fake content
	content := []byte("x = 1\ndebug = false\n")
	sums := map[string]string{"sha256": fmt.Sprintf("%x", sha256.Sum256(content)), "sha512": fmt.Sprintf("%x", sha512.Sum512(content))}
	for _, tool := range digestTools {
		var out strings.Builder
		n := 0
		flush := func() {
			id := fmt.Sprintf("%s-%d", tool.algorithm, (n-1)/statBatch)
			w.line("file.sumstatus", id, "0")
			w.blob("file.sum", id, out.String())
			w.blob("file.sumerr", id, "")
			out.Reset()
		}
		for _, f := range g.list {
			if f.digest[tool.algorithm] {
				fmt.Fprintf(&out, "%s  %s\n", sums[tool.algorithm], f.path)
				if n++; n%statBatch == 0 {
					flush()
				}
			}
		}
		if n%statBatch != 0 {
			flush()
		}
	}
}
