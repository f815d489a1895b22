package probe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// OSFacts are what the image's os-release file says (os-release(5)): /etc/os-release, or
// /usr/lib/os-release where the first is missing.
type OSFacts struct {
	Path string // the file read
	// Its assignments, unquoted and unescaped, like "ID" -> "debian"; a name assigned twice has
	// its last value.
	Values map[string]string
	// The assignments whose value cannot be told, with why: a quote that never closes, or a
	// value that sh and systemd would read differently (see parseOSRelease).
	Invalid map[string]string
	Err     string // why no os-release file could be read
}

var osKind = register("os", "osrelease", func() gatherer { return &osRelease{} })

// osRelease reads the os-release file once, whatever the number of os checks.
type osRelease struct{}

// OS asks for what the image's os-release file says.
func (p *Plan) OS() Fact[OSFacts] {
	part[*osRelease](p, osKind)
	return newFact[OSFacts](p, osKind, 0)
}

func (g *osRelease) render(s *script) { s.call(&s.main, "osrelease") }

// osReleaseLimit is the most an os-release file may hold: the probe reads one byte more, so
// that a bigger file shows.
const osReleaseLimit = 64 << 10

// The os-release files in the order os-release(5) reads them, by the id of their records.
var osReleaseFiles = []struct{ id, path string }{{"etc", "/etc/os-release"}, {"lib", "/usr/lib/os-release"}}

func (g *osRelease) parse(r records) any { return []OSFacts{readOSRelease(r)} }

// readOSRelease reads the first os-release file there is. Only a file that is missing (head
// says "No such file or directory", as it does of a dangling symlink) makes way for the next:
// one that is there but could not be read is an error, as os-release(5) says to fall back only
// where the first is missing.
func readOSRelease(r records) OSFacts {
	for _, file := range osReleaseFiles {
		if r.has("osrelease.notfile", file.id) {
			return OSFacts{Path: file.path, Err: file.path + " is not a regular file, so it was not read"}
		}
		status, ok := r.text("osrelease.status", file.id)
		if !ok {
			return OSFacts{Path: file.path, Err: "the probe did not read " + file.path}
		}
		said, _ := r.text("osrelease.err", file.id)
		if status != "0" {
			switch {
			case strings.Contains(said, "No such file or directory"):
				continue
			case strings.Contains(said, "Permission denied"):
				return OSFacts{Path: file.path, Err: "permission denied: the probe's user cannot read " + file.path + " (use_sudo = true may help)"}
			}
			return OSFacts{Path: file.path, Err: fmt.Sprintf("cannot read %s (head exited with %s): %s", file.path, status, firstLine(said, "no reason given"))}
		}
		data, ok := r.get("osrelease.file", file.id)
		switch {
		case !ok:
			return OSFacts{Path: file.path, Err: "the probe did not keep what it read of " + file.path}
		case len(data) > osReleaseLimit:
			return OSFacts{Path: file.path, Err: fmt.Sprintf("%s holds more than %d bytes, which no os-release file does", file.path, osReleaseLimit)}
		}
		f := OSFacts{Path: file.path}
		f.Values, f.Invalid = parseOSRelease(data)
		if len(f.Values)+len(f.Invalid) == 0 {
			return OSFacts{Path: file.path, Err: file.path + " holds no assignments: it is empty, or not an os-release file"}
		}
		return f
	}
	return OSFacts{Err: "the image has neither /etc/os-release nor /usr/lib/os-release (os-release(5)), so which system it is cannot be told"}
}

// parseOSRelease reads the assignments of an os-release file, as systemd reads them
// (parse_env_file in src/basic/env-file.c, the reference of os-release(5)): lines NAME=VALUE,
// blank lines and comments (lines starting with # or ;) between them. A value may be written in
// single quotes (nothing escaped), in double quotes (a backslash escapes $ ` " \ and a newline,
// and is kept before anything else) or bare (a backslash escapes anything), and these joined
// without blanks; quoted values may span lines; a backslash before a newline joins lines.
//
// Where sh, which os-release(5) also promises the file to be read by, would read a value
// otherwise, the value is invalid rather than guessed: a blank after the = or inside a bare
// value (sh would run the rest as a command), a bare $ ` ; & | < > ( ), a $ or ` not escaped
// in double quotes (sh would expand them), a quote that never closes, or bytes that are not
// UTF-8 (systemd refuses the file).
func parseOSRelease(data []byte) (values, invalid map[string]string) {
	values, invalid = map[string]string{}, map[string]string{}
	s := string(data)
	i := 0
	newline := func(c byte) bool { return c == '\n' || c == '\r' }
	blank := func(c byte) bool { return c == ' ' || c == '\t' }
	for i < len(s) {
		c := s[i]
		switch {
		case blank(c) || newline(c):
			i++
			continue
		case c == '#' || c == ';':
			for i < len(s) && !newline(s[i]) {
				i++
			}
			continue
		}
		// the name, up to the = (a line without one is no assignment, and is skipped)
		start := i
		for i < len(s) && s[i] != '=' && !newline(s[i]) {
			i++
		}
		if i == len(s) || newline(s[i]) {
			continue
		}
		name := s[start:i]
		why := ""
		if trimmed := strings.TrimRight(name, " \t"); trimmed != name {
			name, why = trimmed, "a blank before the ="
		}
		i++ // the =
		if j := i; j < len(s) && blank(s[j]) {
			for j < len(s) && blank(s[j]) {
				j++
			}
			if j < len(s) && !newline(s[j]) && why == "" {
				why = "a blank after the ="
			}
			i = j
		}
		var v strings.Builder
		quoted := false // the last part of the value was quoted
		for i < len(s) && !newline(s[i]) {
			c := s[i]
			if !blank(c) {
				quoted = c == '\'' || c == '"'
			}
			switch {
			case blank(c):
				end := i
				for end < len(s) && blank(s[end]) {
					end++
				}
				if end < len(s) && !newline(s[end]) {
					// trailing blanks are dropped; others would end the assignment in sh
					switch {
					case why != "":
					case quoted:
						why = "more after the closing quote (sh would run it as a command)"
					default:
						why = "a blank in a value that is not quoted (quote the value)"
					}
					v.WriteString(s[i:end])
				}
				i = end
			case c == '\'':
				j := strings.IndexByte(s[i+1:], '\'')
				if j < 0 {
					v.WriteString(s[i+1:])
					i = len(s)
					why = "a single quote that is never closed"
					break
				}
				v.WriteString(s[i+1 : i+1+j])
				i += j + 2
			case c == '"':
				closed := false
				for i++; i < len(s); i++ {
					c := s[i]
					if c == '"' {
						closed = true
						i++
						break
					}
					if c == '\\' && i+1 < len(s) {
						i++
						switch next := s[i]; {
						case next == '\n':
						case strings.IndexByte("$`\"\\", next) >= 0:
							v.WriteByte(next)
						default:
							v.WriteByte('\\')
							v.WriteByte(next)
						}
						continue
					}
					if (c == '$' || c == '`') && why == "" {
						why = fmt.Sprintf("a %c that is not escaped in double quotes (write \\%c)", c, c)
					}
					v.WriteByte(c)
				}
				if !closed {
					why = "a double quote that is never closed"
				}
			case c == '\\':
				i++
				if i < len(s) {
					if s[i] != '\n' {
						v.WriteByte(s[i])
					}
					i++
				}
			default:
				if strings.IndexByte("$`;&|<>()", c) >= 0 && why == "" {
					why = fmt.Sprintf("a %c that is not quoted", c)
				}
				v.WriteByte(c)
				i++
			}
		}
		value := v.String()
		if why == "" && !utf8.ValidString(value) {
			why = "bytes that are not UTF-8"
		}
		if why != "" {
			invalid[name] = why
			delete(values, name)
			continue
		}
		values[name] = value
		delete(invalid, name)
	}
	return values, invalid
}

func (g *osRelease) fake(w *recordWriter) {
	w.line("osrelease.status", "etc", "0")
	w.blob("osrelease.file", "etc", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"+
		"VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n")
	w.blob("osrelease.err", "etc", "")
}
