package probe

import (
	"fmt"
	"strconv"
	"strings"
)

// FileFacts describe what is at a path. Mode, ownership, size and content are those of the file
// a symlink points to; Type is "symlink" for the link itself.
type FileFacts struct {
	Exists     bool
	Err        string // why the path could not be examined, such as "permission denied"
	Type       string // file, directory, symlink, socket, fifo, block_device, character_device
	LinkTarget string // where a symlink points
	Dangling   bool   // a symlink whose target does not exist: it has no mode, owner or content
	Mode       uint32 // permission bits with setuid, setgid and sticky: 0o7777 at most
	UID, GID   int
	Owner      string // user name, as stat(1) resolves it
	Group      string // group name, as stat(1) resolves it
	Size       int64

	Content          []byte // at most ContentLimit bytes
	ContentErr       string // why the content could not be read
	ContentTruncated bool   // the file holds more than ContentLimit bytes
}

func parseFiles(reqs []fileRequest, recs map[key][]byte) []FileFacts {
	facts := make([]FileFacts, len(reqs))
	for batch := 0; batch*statBatch < len(reqs); batch++ {
		var existing []int
		for i := batch * statBatch; i < len(reqs) && i < (batch+1)*statBatch; i++ {
			facts[i] = fileExistence(recs, i)
			if _, statted := recs[key{"f.ok", fmt.Sprint(i)}]; statted {
				existing = append(existing, i)
			}
		}
		applyStat(facts, existing, recs, batch)
	}
	for i, r := range reqs {
		if r.content && facts[i].Exists && facts[i].Err == "" && facts[i].Type != "directory" {
			readContent(&facts[i], recs, i)
		}
	}
	return facts
}

func fileExistence(recs map[key][]byte, i int) FileFacts {
	var f FileFacts
	if target, ok := recs[key{"f.link", fmt.Sprint(i)}]; ok {
		f.Type = "symlink"
		f.LinkTarget = strings.TrimSuffix(string(target), "\n")
	}
	if _, ok := recs[key{"f.ok", fmt.Sprint(i)}]; ok {
		f.Exists = true
		return f
	}
	if _, ok := recs[key{"f.dangling", fmt.Sprint(i)}]; ok {
		f.Exists, f.Dangling = true, true // the link is there; what it points to is not
		return f
	}
	msg, _ := text(recs, "f.err", i)
	switch {
	case strings.Contains(msg, "No such file") || strings.Contains(msg, "Not a directory"):
	case strings.Contains(msg, "Permission denied"):
		f.Err = "permission denied: the probe's user cannot see this path (use_sudo = true may help)"
	case msg == "":
		f.Err = "the probe said nothing about this path"
	default:
		f.Err = msg
	}
	return f
}

// applyStat reads one stat line per existing path of a batch, in order.
func applyStat(facts []FileFacts, existing []int, recs map[key][]byte, batch int) {
	if len(existing) == 0 {
		return
	}
	out, _ := recs[key{"f.stat", fmt.Sprint(batch)}]
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(existing) {
		errText, _ := text(recs, "f.staterr", batch)
		for _, i := range existing {
			if facts[i].Type != "symlink" || facts[i].LinkTarget == "" {
				facts[i].Err = "stat(1) failed: " + firstLine(errText, "no output")
			}
		}
		return
	}
	for n, i := range existing {
		if err := parseStatLine(&facts[i], lines[n]); err != nil {
			facts[i].Err = err.Error()
		}
	}
}

// parseStatLine reads "%f %u %g %s %U %G": the raw mode in hex, uid, gid, size, owner, group.
func parseStatLine(f *FileFacts, line string) error {
	fields := strings.Fields(line)
	if len(fields) < 4 {
		return fmt.Errorf("stat(1) printed %q, which is not a file's metadata", line)
	}
	raw, err1 := strconv.ParseUint(fields[0], 16, 32)
	uid, err2 := strconv.Atoi(fields[1])
	gid, err3 := strconv.Atoi(fields[2])
	size, err4 := strconv.ParseInt(fields[3], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return fmt.Errorf("stat(1) printed %q, which is not a file's metadata", line)
	}
	if f.Type == "" {
		f.Type = fileType(uint32(raw))
	}
	f.Mode = uint32(raw) & 0o7777
	f.UID, f.GID, f.Size = uid, gid, size
	if len(fields) == 6 { // names with spaces in them stay unknown; numbers still compare
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

func readContent(f *FileFacts, recs map[key][]byte, i int) {
	if b, ok := recs[key{"f.content", fmt.Sprint(i)}]; ok {
		if len(b) > ContentLimit {
			f.Content, f.ContentTruncated = b[:ContentLimit], true
		} else {
			f.Content = b
		}
		return
	}
	msg, _ := text(recs, "f.cerr", i)
	switch {
	case strings.Contains(msg, "ermission denied"):
		f.ContentErr = "permission denied: the probe's user cannot read this file (use_sudo = true may help)"
	default:
		f.ContentErr = "cannot read the content: " + firstLine(msg, "no reason given")
	}
}

func firstLine(s, fallback string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return fallback
	}
	first, _, _ := strings.Cut(s, "\n")
	return first
}
