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

// File checks a path: whether it exists, its type, mode, owner, group, size, content and
// digests, and where a symlink points. Mode, owner, group, size, content and digests are those of
// the file a symlink points to.
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
	// The size in bytes of what the path resolves to (symlinks followed), as stat(1) gives it:
	// a number, like `size = 1234`, or a constraint, like `"> 0"` or `">= 1KiB, < 1MiB"`:
	// comparisons joined by commas, all of which must hold, each an operator (`=`, `!=`, `<`,
	// `<=`, `>` or `>=`; a number alone is `=`) and a whole number of bytes, which may end in
	// `KiB`, `MiB`, `GiB` or `TiB` (powers of 1024). A directory's size is what its file system
	// says (often 4096), and files that the kernel makes up, in /proc and /sys, say 0 or 4096
	// whatever they hold.
	Size string `mapstructure:"size"`
	// The SHA-256 digest of the whole content, as the 64 hexadecimal characters that sha256sum
	// prints (in either case). It is computed in the image, by sha256sum (GNU coreutils or
	// busybox), over the whole file however big; the path must resolve to a regular file. Where
	// not everyone may read the file, a digest that differs is not shown.
	SHA256 string `mapstructure:"sha256"`
	// The SHA-512 digest of the whole content, as the 128 hexadecimal characters that sha512sum
	// prints; as `sha256` otherwise.
	SHA512 string `mapstructure:"sha512"`
	// Where the symlink at the path points, exactly as written in the link (what `readlink`
	// without `-f` prints), like `"../usr/lib/os-release"`: a relative target is not resolved.
	// The path must be a symlink; it need not point to anything that exists.
	LinkTarget string `mapstructure:"link_target"`
	Common     `mapstructure:",squash"`
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
	if c.LinkTarget != "" {
		what[0] = fmt.Sprintf("is a symlink to %q", c.LinkTarget)
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
	if size, err := parseSize(c.Size); c.Size != "" && err == nil {
		what = append(what, "size "+size.String())
	}
	for _, d := range c.digests() {
		if d.valid() {
			what = append(what, d.algorithm+" "+strings.ToLower(d.want[:12])+"…")
		}
	}
	what = append(what, c.Content.describe("content"))
	if what[0] == "exists" && joinNonEmpty(what[1:]...) != "" {
		what = what[1:] // "mode 0644, owner root" says that it exists
	}
	return joinNonEmpty(what...)
}

type (
	// (The unexported types of this file are declared in groups, their comments inside: packer-sdc
	// struct-markdown writes user docs of every struct whose declaration has a comment.)

	// A wantedDigest is a digest attribute of a check: sha256 or sha512.
	wantedDigest struct {
		algorithm string // the attribute, and the algorithm for probe.FileDigest
		name      string // as people write it: SHA-256
		hexLen    int
		want      string
	}
)

// digests are the digest attributes that are set.
func (c *File) digests() []wantedDigest {
	var set []wantedDigest
	for _, d := range []wantedDigest{{"sha256", "SHA-256", 64, c.SHA256}, {"sha512", "SHA-512", 128, c.SHA512}} {
		if d.want != "" {
			set = append(set, d)
		}
	}
	return set
}

func (d wantedDigest) valid() bool { return len(d.want) == d.hexLen && isHexDigits(d.want) }

// validate says what is wrong with the digest as written, and what to write.
func (d wantedDigest) validate() error {
	if d.valid() {
		return nil
	}
	tool := d.algorithm + "sum"
	first, rest, _ := strings.Cut(strings.TrimSpace(d.want), " ")
	if after, ok := strings.CutPrefix(strings.ToLower(first), d.algorithm+":"); ok && len(after) == d.hexLen && isHexDigits(after) && rest == "" {
		return attrErrorf(d.algorithm, "%q starts with %q: write the digest alone, %q", d.want, first[:len(d.algorithm)+1], first[len(d.algorithm)+1:])
	}
	if len(first) == d.hexLen && isHexDigits(first) {
		return attrErrorf(d.algorithm, "%q holds more than the digest (a line of %s?): write %q", d.want, tool, first)
	}
	if isHexDigits(d.want) {
		return attrErrorf(d.algorithm, "%q is %d hexadecimal characters, not the %d of a %s digest (%s prints it)", d.want, len(d.want), d.hexLen, d.name, tool)
	}
	return attrErrorf(d.algorithm, "%q is not a %s digest: write the %d hexadecimal characters that %s prints", d.want, d.name, d.hexLen, tool)
}

func isHexDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune("0123456789abcdefABCDEF", rune(s[i])) {
			return false
		}
	}
	return s != ""
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
	if set := c.setSince(); !boolOr(c.Exists, true) && len(set) > 0 {
		errs = append(errs, attrErrorf("exists", "is false, so %s cannot be checked", andList(set)))
	}
	if c.Size != "" {
		if _, err := parseSize(c.Size); err != nil {
			errs = append(errs, attrErrorf("size", "%v", err))
		}
	}
	for _, d := range c.digests() {
		if err := d.validate(); err != nil {
			errs = append(errs, err)
		}
		if c.Type != "" && c.Type != "file" && c.Type != "symlink" {
			errs = append(errs, attrErrorf(d.algorithm, "cannot be checked of a %s (type = %q): only a regular file has a digest", strings.ReplaceAll(c.Type, "_", " "), c.Type))
		}
	}
	switch {
	case strings.IndexByte(c.LinkTarget, 0) >= 0:
		errs = append(errs, attrErrorf("link_target", "%q contains a NUL byte, which no symlink holds", c.LinkTarget))
	case c.LinkTarget != "" && c.Type != "" && c.Type != "symlink":
		errs = append(errs, attrErrorf("link_target", "needs a symlink, but type is %q: write type = \"symlink\", or leave type out", c.Type))
	}
	return append(errs, c.Content.validate("content")...)
}

// setSince lists the attributes, added after exists = false was first validated, that are set.
func (c *File) setSince() []string {
	var set []string
	for _, a := range []struct{ name, value string }{{"size", c.Size}, {"sha256", c.SHA256}, {"sha512", c.SHA512}, {"link_target", c.LinkTarget}} {
		if a.value != "" {
			set = append(set, a.name)
		}
	}
	return set
}

// andList joins words as in a sentence: "a", "a and b", "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
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
	for _, d := range c.digests() {
		p.FileDigest(c.Path, d.algorithm)
	}
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
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
	if c.LinkTarget != "" {
		switch {
		case f.Type != "symlink":
			p.addf("is a %s, not a symlink", strings.ReplaceAll(f.Type, "_", " "))
		case f.LinkErr != "":
			return errorf("link_target: %s", f.LinkErr)
		case f.LinkTarget != c.LinkTarget:
			p.addf("link target is %q, want %q", f.LinkTarget, c.LinkTarget)
		}
	}
	if f.Dangling && (c.Mode != "" || c.Owner != "" || c.Group != "" || !c.Content.empty() || c.Size != "" || len(c.digests()) > 0) {
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
	if size, err := parseSize(c.Size); c.Size != "" && err == nil && !size.allows(f.Size) {
		p.addf("size is %d bytes, want %s", f.Size, size)
	}
	for _, d := range c.digests() {
		found, err := f.Digest[d.algorithm], f.DigestErr[d.algorithm]
		switch {
		case f.Resolved != "file":
			return errorf("%s: the path is not a regular file but a %s, which has no digest", d.algorithm, strings.ReplaceAll(f.Resolved, "_", " "))
		case err != "":
			return errorf("%s: %s", d.algorithm, err)
		case found == "":
			return errorf("%s: the probe did not compute the digest", d.algorithm)
		case strings.EqualFold(found, d.want):
		case f.Mode&0o004 == 0:
			// a digest of a small secret, such as a password, gives it away to a brute force
			p.addf("%s differs from the one wanted (the digest found is not shown, since not everyone may read the file (mode %04o) and it may hold secrets)", d.algorithm, f.Mode)
		default:
			p.addf("%s is %s, want %s", d.algorithm, found, strings.ToLower(d.want))
		}
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
			return errorf("content: the file holds more than the %d bytes read for matching (stat said %d bytes: it grew while it was read, or it is a file whose size the kernel does not tell, as in /proc and /sys)", probe.ContentLimit, f.Size)
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

type (
	// A sizeConstraint is what the size attribute wants of a size in bytes: comparisons joined by
	// commas, all of which must hold, like "> 0" or ">= 1KiB, < 1MiB".
	sizeConstraint struct {
		text  string
		terms []sizeTerm
	}
	// A sizeTerm is one comparison of a sizeConstraint.
	sizeTerm struct {
		op    string // =, !=, <, <=, > or >=
		bytes int64
	}
)

// sizeUnits are the units a size may end in: powers of 1024, spelt as IEC 80000-13 spells them,
// so that no one wonders whether a kilobyte is 1000 or 1024 bytes.
var sizeUnits = []struct {
	name  string
	bytes int64
}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}}

// sizeOperators are the operators a comparison may start with; sizeMisspelt, the likely slips,
// with the operator meant.
var (
	sizeOperators = map[string]bool{"=": true, "==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}
	sizeMisspelt  = map[string]string{"=>": ">=", "=<": "<=", "<>": "!=", "===": "=", "!": "!=", "<<": "<", ">>": ">"}
)

// parseSize reads a size constraint. Its error quotes what was written and says what to write.
func parseSize(text string) (sizeConstraint, error) {
	c := sizeConstraint{text: strings.TrimSpace(text)}
	if c.text == "" {
		return c, fmt.Errorf("%q is empty: write a number of bytes, like \"1234\", or a comparison, like \"> 0\"", text)
	}
	for _, part := range strings.Split(c.text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return c, fmt.Errorf("%q has an empty comparison (a comma too many): write comparisons joined by commas, like \">= 1KiB, < 1MiB\"", c.text)
		}
		end := strings.IndexFunc(part, func(r rune) bool { return !strings.ContainsRune("<>=!~", r) })
		if end < 0 {
			end = len(part)
		}
		op, number := part[:end], strings.TrimSpace(part[end:])
		switch {
		case op == "":
			op = "="
		case sizeMisspelt[op] != "":
			return c, fmt.Errorf("%s uses %q, which is not an operator: write %q", c.quote(part), op, sizeMisspelt[op]+" "+number)
		case !sizeOperators[op]:
			return c, fmt.Errorf("%s uses %q, which is not an operator: use =, !=, <, <=, > or >=", c.quote(part), op)
		}
		if op == "==" {
			op = "="
		}
		bytes, err := parseBytes(number)
		if err != nil {
			return c, fmt.Errorf("%s: %v", c.quote(part), err)
		}
		c.terms = append(c.terms, sizeTerm{op, bytes})
	}
	return c, nil
}

// quote names part of c in an error: c alone when part is all of it.
func (c sizeConstraint) quote(part string) string {
	if part == c.text {
		return strconv.Quote(part)
	}
	return fmt.Sprintf("%q in %q", part, c.text)
}

// parseBytes reads "1234", "4KiB" or "4 KiB".
func parseBytes(s string) (int64, error) {
	digits := strings.TrimLeft(s, "0123456789")
	number, unit := s[:len(s)-len(digits)], strings.TrimSpace(digits)
	bad := fmt.Errorf("%q is not a size: write a whole number of bytes, like \"1234\", or one with KiB, MiB, GiB or TiB (powers of 1024), like \"4KiB\"", s)
	if number == "" {
		if strings.HasPrefix(s, "-") {
			return 0, fmt.Errorf("%q is negative, and no size is", s)
		}
		return 0, bad
	}
	n, err := strconv.ParseInt(number, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is too big for a size", s)
	}
	if unit == "" || unit == "B" {
		return n, nil
	}
	for _, u := range sizeUnits {
		if unit == u.name {
			if n > (1<<63-1)/u.bytes {
				return 0, fmt.Errorf("%q is too big for a size", s)
			}
			return n * u.bytes, nil
		}
	}
	for _, u := range sizeUnits {
		// K, KB, k, kB, Ki, kib: is that 1000 or 1024? Say which to write.
		if strings.EqualFold(unit[:1], u.name[:1]) {
			return 0, fmt.Errorf("%q has the unit %q, which could mean %d or %d: write %q for %d bytes, or the number of bytes", s, unit, pow1000(u.bytes), u.bytes, number+u.name, n*u.bytes)
		}
	}
	return 0, bad
}

// pow1000 is the power of 1000 that stands beside the power of 1024 b: 1000 for 1024.
func pow1000(b int64) int64 {
	p := int64(1)
	for ; b > 1; b >>= 10 {
		p *= 1000
	}
	return p
}

// allows reports whether size meets every comparison.
func (c sizeConstraint) allows(size int64) bool {
	for _, t := range c.terms {
		ok := false
		switch t.op {
		case "=":
			ok = size == t.bytes
		case "!=":
			ok = size != t.bytes
		case "<":
			ok = size < t.bytes
		case "<=":
			ok = size <= t.bytes
		case ">":
			ok = size > t.bytes
		case ">=":
			ok = size >= t.bytes
		}
		if !ok {
			return false
		}
	}
	return len(c.terms) > 0
}

// String is the constraint as written: "1234" alone is "1234 bytes".
func (c sizeConstraint) String() string {
	if len(c.terms) == 1 && strings.TrimLeft(c.text, "0123456789") == "" {
		return c.text + " bytes"
	}
	return c.text
}
