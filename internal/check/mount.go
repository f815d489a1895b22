package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type Mount
//go:generate go tool packer-sdc struct-markdown

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// Mount checks what is mounted at a path, as the kernel lists the mounts the image sees
// (/proc/self/mountinfo; its options read as /proc/self/mounts and mount(8) show them). Where
// several mounts are stacked on the path, the one on top, which is what is seen there, is
// checked; a mount hidden under a later mount on a folder above it is not mounted as far as the
// check goes. A path through a symlink is checked where it leads, as mountpoint(1) does: with
// `/var/run` a symlink to `/run`, the mount at `/run`. An image without /proc is an error.
type Mount struct {
	// The absolute path of the mount point, like `/tmp`. A trailing slash is ignored.
	Path string `mapstructure:"path" required:"true"`
	// Whether something must be mounted at the path. Defaults to `true`; with `false` the check
	// passes only when nothing is, and no other attribute may be set.
	Exists config.Trilean `mapstructure:"exists"`
	// The file system type, as the kernel names it: `ext4`, `xfs`, `tmpfs`, `nfs4`, `fuse.sshfs`…
	Filesystem string `mapstructure:"filesystem"`
	// What is mounted, as the first column of /proc/self/mounts shows it: a device like
	// `/dev/nvme1n1`, `tmpfs`, or an NFS export like `server:/export`. Compared exactly:
	// `UUID=` and `LABEL=` are not resolved, and the root file system may show as `/dev/root`.
	Source string `mapstructure:"source"`
	// Mount options that must all be in effect (others are allowed), each as /proc/self/mounts
	// shows it, like `["nosuid", "nodev"]`. An option with a value must be there with that value
	// (`mode=1777`; the kernel shows `size=1m` as `size=1024k`); one without a value also matches
	// that option with any value (`size` matches `size=1024k`). `suid`, `dev`, `exec`, `atime`,
	// `diratime` and `symfollow` mean that their `no` option is not set, and `async` that `sync`
	// is not. Options that mount(8) reads alone, such as `defaults`, `nofail`, `noauto` or
	// `x-systemd.automount`, are never shown by the kernel and cannot be checked.
	Options []string `mapstructure:"options"`
	Common  `mapstructure:",squash"`
}

// mountNegations are the options the kernel never shows, named by the option whose absence they
// mean.
var mountNegations = map[string]string{"suid": "nosuid", "dev": "nodev", "exec": "noexec", "atime": "noatime",
	"diratime": "nodiratime", "symfollow": "nosymfollow", "async": "sync",
	"norelatime": "relatime", "nolazytime": "lazytime", "nomand": "mand"}

// mountOnlyOptions are the options of fstab(5) that mount(8) reads itself: the kernel never
// lists them. So are x-* and comment=*.
var mountOnlyOptions = []string{"defaults", "auto", "noauto", "nofail", "_netdev", "user", "nouser", "users", "owner", "group"}

func (c *Mount) Kind() string    { return "mount" }
func (c *Mount) Subject() string { return c.Path }

func (c *Mount) Expectation() string {
	if !boolOr(c.Exists, true) {
		return "not mounted"
	}
	what := []string{"mounted"}
	if c.Filesystem != "" {
		what = append(what, "filesystem "+c.Filesystem)
	}
	if c.Source != "" {
		what = append(what, "source "+mountWord(c.Source))
	}
	if len(c.Options) > 0 {
		what = append(what, "options "+strings.Join(c.Options, ", "))
	}
	return joinNonEmpty(what...)
}

func (c *Mount) Validate() []error {
	errs := requireName("path", c.Path)
	switch {
	case c.Path == "":
	case !strings.HasPrefix(c.Path, "/"):
		errs = append(errs, attrErrorf("path", "%q is not absolute (start it with /)", c.Path))
	case oneOf(".", strings.Split(c.Path, "/")) || oneOf("..", strings.Split(c.Path, "/")):
		errs = append(errs, attrErrorf("path", "%q holds . or .. (write the path without them, like %q)", c.Path, "/var/tmp"))
	}
	if !boolOr(c.Exists, true) && (c.Filesystem != "" || c.Source != "" || len(c.Options) > 0) {
		errs = append(errs, attrErrorf("exists", "is false, so filesystem, source and options cannot be checked"))
	}
	if c.Filesystem != "" && (strings.ContainsAny(c.Filesystem, " \t\n,\x00") || c.Filesystem == "auto") {
		errs = append(errs, attrErrorf("filesystem", "%q is not a file system type as the kernel names it (like \"ext4\" or \"tmpfs\")", c.Filesystem))
	}
	if strings.ContainsAny(c.Source, "\x00\n") {
		errs = append(errs, attrErrorf("source", "%q contains a NUL byte or a newline", c.Source))
	}
	for _, tag := range []string{"UUID=", "LABEL=", "PARTUUID=", "PARTLABEL="} {
		if strings.HasPrefix(c.Source, tag) {
			errs = append(errs, attrErrorf("source", "%q is resolved by mount(8), and the kernel lists the device instead: write the device, like \"/dev/nvme1n1\"", c.Source))
		}
	}
	for i, o := range c.Options {
		attr := fmt.Sprintf("options[%d]", i)
		switch {
		case o == "":
			errs = append(errs, attrErrorf(attr, "is empty"))
		case strings.Contains(o, ","):
			errs = append(errs, attrErrorf(attr, "%q holds a comma: write each option as an item of its own, like [\"nosuid\", \"nodev\"]", o))
		case strings.ContainsAny(o, " \t\n\x00"):
			errs = append(errs, attrErrorf(attr, "%q holds white space, which no mount option does", o))
		case oneOf(o, mountOnlyOptions) || strings.HasPrefix(o, "x-") || strings.HasPrefix(o, "comment="):
			errs = append(errs, attrErrorf(attr, "%q is read by mount(8) alone and never shown by the kernel, so it cannot be checked", o))
		case o == "strictatime":
			// the kernel shows relatime or noatime, and nothing for strictatime
			errs = append(errs, attrErrorf(attr, "%q is never shown by the kernel: write \"atime\" and \"norelatime\" (neither noatime nor relatime set)", o))
		}
	}
	return errs
}

func (c *Mount) Gather(p *probe.Plan, _ Options) Judge {
	fact := p.Mount(c.Path)
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
}

func (c *Mount) judge(f probe.MountFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	where := ""
	if f.Path != path.Clean(c.Path) {
		where = fmt.Sprintf(" (%s leads to %s)", c.Path, f.Path)
	}
	var p problems
	if !p.presence(boolOr(c.Exists, true), f.Mounted,
		fmt.Sprintf("is mounted (%s from %s)%s, want not mounted", f.Filesystem, mountWord(f.Source), where),
		"is not a mount point"+where) {
		return p.outcome()
	}
	if c.Filesystem != "" && f.Filesystem != c.Filesystem {
		p.addf("filesystem is %s, want %s", f.Filesystem, c.Filesystem)
	}
	if c.Source != "" && f.Source != c.Source {
		p.addf("source is %s, want %s", mountWord(f.Source), mountWord(c.Source))
	}
	var missing []string
	for _, o := range c.Options {
		if !mountOptionSet(o, f.Options) {
			if not, ok := mountNegations[o]; ok {
				o += " (no " + not + ")"
			}
			missing = append(missing, o)
		}
	}
	if len(missing) > 0 {
		p.addf("options are %s, want also %s", strings.Join(f.Options, ","), strings.Join(missing, ", "))
	}
	o := p.outcome()
	if len(p) > 0 && (where != "" || f.Stacked > 0) {
		o.Details = append(o.Details, fmt.Sprintf("checked: the mount on top at %s%s", f.Path,
			pick(f.Stacked > 0, fmt.Sprintf(", over %d more stacked beneath it, which are not seen", f.Stacked), "")))
	}
	return o
}

// mountOptionSet tells whether the wanted option is in effect, given the options as the kernel
// lists them.
func mountOptionSet(want string, have []string) bool {
	if not, ok := mountNegations[want]; ok {
		return !oneOf(not, have)
	}
	for _, h := range have {
		if h == want || (!strings.Contains(want, "=") && strings.HasPrefix(h, want+"=")) {
			return true
		}
	}
	return false
}

// mountWord quotes a source or path for a report line when it holds a space or a control byte.
func mountWord(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return strconv.Quote(s)
		}
	}
	return s
}
