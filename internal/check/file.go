package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type File
//go:generate go tool packer-sdc struct-markdown

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// File checks a path: whether it exists, its type, mode, owner, group and content.
// Mode, owner, group and content are those of the file a symlink points to.
type File struct {
	// The absolute path to check.
	Path string `mapstructure:"path" required:"true"`
	// Whether something must exist at the path. Defaults to `true`; with `false` the check passes
	// only when nothing is there, and no other attribute may be set.
	Exists config.Trilean `mapstructure:"exists"`
	// The kind of file: `file`, `directory`, `symlink`, `socket`, `fifo`, `block_device` or
	// `character_device`. A symlink is `symlink` whatever it points to.
	Type string `mapstructure:"type"`
	// The permission bits as an octal string, like `"0644"` or `"4755"` (setuid, setgid and sticky
	// bits included).
	Mode string `mapstructure:"mode"`
	// The owning user, by name or numeric uid.
	Owner string `mapstructure:"owner"`
	// The owning group, by name or numeric gid.
	Group string `mapstructure:"group"`
	// Matchers for the file's content. At most 1 MiB is read; a larger file is an error.
	Content Matchers `mapstructure:"content"`
	Common  `mapstructure:",squash"`
}

var fileTypes = []string{"file", "directory", "symlink", "socket", "fifo", "block_device", "character_device"}

func (c *File) Kind() string    { return "file" }
func (c *File) Subject() string { return c.Path }

func (c *File) Expectation() string {
	if !boolOr(c.Exists, true) {
		return "does not exist"
	}
	what := []string{"exists"}
	if c.Type != "" {
		what[0] = "is a " + strings.ReplaceAll(c.Type, "_", " ")
	}
	if mode, err := parseMode(c.Mode); c.Mode != "" && err == nil {
		what = append(what, fmt.Sprintf("mode %04o", mode))
	}
	if c.Owner != "" {
		what = append(what, "owner "+c.Owner)
	}
	if c.Group != "" {
		what = append(what, "group "+c.Group)
	}
	return joinNonEmpty(append(what, c.Content.describe("content"))...)
}

func (c *File) Validate() []error {
	errs := requireName("path", c.Path)
	if c.Path != "" && !strings.HasPrefix(c.Path, "/") {
		errs = append(errs, attrErrorf("path", "%q is not absolute (start it with /)", c.Path))
	}
	if c.Type != "" && !oneOf(c.Type, fileTypes) {
		errs = append(errs, attrErrorf("type", "%q is not a file type (use one of %s)", c.Type, strings.Join(fileTypes, ", ")))
	}
	if c.Mode != "" {
		if _, err := parseMode(c.Mode); err != nil {
			errs = append(errs, attrErrorf("mode", "%v", err))
		}
	}
	if !boolOr(c.Exists, true) && (c.Type != "" || c.Mode != "" || c.Owner != "" || c.Group != "" || !c.Content.empty()) {
		errs = append(errs, attrErrorf("exists", "is false, so type, mode, owner, group and content cannot be checked"))
	}
	return append(errs, c.Content.validate("content")...)
}

// parseMode reads an octal mode like "0644", "644" or "4755".
func parseMode(s string) (uint32, error) {
	m, err := strconv.ParseUint(s, 8, 32)
	if err != nil || m > 0o7777 || len(s) < 3 {
		return 0, fmt.Errorf("%q is not an octal file mode (like \"0644\")", s)
	}
	return uint32(m), nil
}

func (c *File) Gather(p *probe.Plan, _ Options) Judge {
	fact := p.File(c.Path, !c.Content.empty())
	return func(f *probe.Facts) Outcome { return judgeFact(fact, f, c.judge) }
}

func (c *File) judge(f probe.FileFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	var p problems
	if !p.presence(boolOr(c.Exists, true), f.Exists, fmt.Sprintf("exists (a %s), want no such path", f.Type), "does not exist") {
		return p.outcome()
	}
	if c.Type != "" && f.Type != c.Type {
		p.addf("type is %s, want %s", f.Type, c.Type)
	}
	if f.Dangling && (c.Mode != "" || c.Owner != "" || c.Group != "" || !c.Content.empty()) {
		p.addf("is a symlink to %q, which does not exist", f.LinkTarget)
		return p.outcome()
	}
	if want, err := parseMode(c.Mode); c.Mode != "" && err == nil && f.Mode != want {
		p.addf("mode is %04o, want %04o", f.Mode, want)
	}
	if c.Owner != "" && !sameID(c.Owner, f.Owner, f.UID) {
		p.addf("owner is %s, want %s", nameOrID(f.Owner, f.UID), c.Owner)
	}
	if c.Group != "" && !sameID(c.Group, f.Group, f.GID) {
		p.addf("group is %s, want %s", nameOrID(f.Group, f.GID), c.Group)
	}
	if !c.Content.empty() {
		switch {
		case f.Resolved != "file":
			return errorf("content: the path is not a regular file but a %s, whose content cannot be checked (content matchers need a regular file)", strings.ReplaceAll(f.Resolved, "_", " "))
		case f.ContentErr != "":
			return errorf("content: %s", f.ContentErr)
		case !f.ContentRead:
			return errorf("content: the probe did not read the content")
		case f.ContentTruncated && f.Size > probe.ContentLimit:
			return errorf("content: the file is %d bytes, more than the %d bytes read for matching", f.Size, probe.ContentLimit)
		case f.ContentTruncated:
			// /proc and /sys files say they are 0 or 4096 bytes long whatever they hold
			return errorf("content: the file holds more than the %d bytes read for matching (its size says %d bytes, as files that the kernel makes up, in /proc or /sys, do)", probe.ContentLimit, f.Size)
		}
		switch forbidden, near := c.Content.check("content", f.Content, &p); {
		case forbidden > 0 || len(near) == 0:
		case f.Mode&0o004 == 0:
			// only some may read it: it may hold secrets, which the build log must not show
			return Outcome{Problems: p, Details: []string{fmt.Sprintf("content: the nearest lines are not shown, "+
				"since not everyone may read the file (mode %04o) and it may hold secrets", f.Mode)}}
		default:
			return Outcome{Problems: p, Details: near}
		}
	}
	return p.outcome()
}

// sameID compares a wanted owner or group, a name or a number, with the fact.
func sameID(want, name string, id int) bool {
	if n, err := strconv.Atoi(want); err == nil {
		return n == id
	}
	return want == name
}

func nameOrID(name string, id int) string {
	if name == "" {
		return strconv.Itoa(id)
	}
	return fmt.Sprintf("%s (%d)", name, id)
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}
