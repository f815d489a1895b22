package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type KernelParam,KernelModule
//go:generate go tool packer-sdc struct-markdown

import (
	"fmt"
	"strings"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// KernelParam checks a kernel parameter (a sysctl key) of the running kernel, as its file under
// `/proc/sys` shows it in the build instance; nothing is ever written. That is the value now, as
// the kernel's default or a provisioner's `sysctl -w` left it: what `/etc/sysctl.d` sets applies
// at the next boot, so check those files with a `file` block to check what the image will boot
// with. In a build in a container or a chroot the kernel is the host's, and `net.*` parameters
// are those of the build's network namespace.
type KernelParam struct {
	// The parameter's name, as sysctl(8) and sysctl.d(5) read it: `net.ipv4.ip_forward`, or
	// `net/ipv4/ip_forward` (the file `/proc/sys/net/ipv4/ip_forward`). When the first separator is
	// a dot, dots separate the parts and a slash stands for a dot within a part; when it is a
	// slash, slashes separate the parts and dots are kept: the VLAN interface `eth0.100` is
	// `net.ipv4.conf.eth0/100.rp_filter` or `net/ipv4/conf/eth0.100/rp_filter`. One parameter: no
	// globs, and no path of your own (not `/proc/sys/…`).
	Name string `mapstructure:"name" required:"true"`
	// The value the parameter must have, as `sysctl -n` prints it. Runs of spaces, tabs and
	// newlines count as one space, and leading and trailing ones not at all, so
	// `"4096 131072 6291456"` matches the tab-separated `net.ipv4.tcp_rmem`; otherwise the text
	// must be the same (`"1"`, not `"01"` or `"true"`). Without `value`, the check verifies that
	// the parameter exists. A parameter whose value cannot be read (write-only, like
	// `vm.compact_memory`, or readable by root only without `use_sudo`) is an error.
	Value *string `mapstructure:"value"`
	// Whether the parameter must exist. Defaults to `true`; with `false` the check passes only when
	// the running kernel has no such parameter, and `value` may not be set.
	Exists config.Trilean `mapstructure:"exists"`
	Common `mapstructure:",squash"`
}

func (c *KernelParam) Kind() string    { return "kernel_param" }
func (c *KernelParam) Subject() string { return c.Name }

func (c *KernelParam) Expectation() string {
	switch {
	case !boolOr(c.Exists, true):
		return "does not exist"
	case c.Value == nil:
		return "exists"
	}
	return fmt.Sprintf("value %q", sysctlValue(*c.Value))
}

func (c *KernelParam) Validate() []error {
	errs := requireName("name", c.Name)
	if len(errs) == 0 {
		if _, err := sysctlPath(c.Name); err != nil {
			errs = append(errs, attrErrorf("name", "%v", err))
		}
	}
	if !boolOr(c.Exists, true) && c.Value != nil {
		errs = append(errs, attrErrorf("exists", "is false, so value cannot be checked"))
	}
	return errs
}

// sysctlPath maps a sysctl name to its file under /proc/sys, the way sysctl.d(5) says: when the
// first separator is a slash, the name is the path; when it is a dot, dots and slashes swap.
func sysctlPath(name string) (string, error) {
	switch {
	case strings.HasPrefix(name, "/proc/sys/") && len(name) > len("/proc/sys/"):
		return "", fmt.Errorf("%q is a path; write the parameter's name: %q", name, sysctlName(strings.TrimPrefix(name, "/proc/sys/")))
	case strings.HasPrefix(name, "/"):
		return "", fmt.Errorf("%q is a path; write a kernel parameter's name, like \"net.ipv4.ip_forward\"", name)
	case strings.ContainsAny(name, " \t="):
		return "", fmt.Errorf("%q is not a kernel parameter name (a name holds no spaces; write the value in value)", name)
	case strings.ContainsAny(name, "*?[]"):
		return "", fmt.Errorf("%q holds a glob: name one kernel parameter (globs are not supported)", name)
	}
	for _, r := range name {
		if !sysctlChar(r) {
			return "", fmt.Errorf("%q holds %q, which no kernel parameter name has (names are letters, digits and _ - + @, with . or / between the parts)", name, r)
		}
	}
	path := name
	if i := strings.IndexAny(name, "./"); i >= 0 && name[i] == '.' {
		path = strings.Map(func(r rune) rune {
			switch r {
			case '.':
				return '/'
			case '/':
				return '.'
			}
			return r
		}, name)
	}
	for _, part := range strings.Split(path, "/") {
		switch part {
		case "":
			return "", fmt.Errorf("%q has an empty part (two separators in a row, or one at an end)", name)
		case ".", "..":
			return "", fmt.Errorf("%q has the part %q, which is no kernel parameter's", name, part)
		}
	}
	return path, nil
}

func sysctlChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-+@./", r)
}

// sysctlName is the dotted name of a path under /proc/sys, or the path itself where a part holds
// a dot.
func sysctlName(path string) string {
	if strings.Contains(path, ".") {
		return path
	}
	return strings.ReplaceAll(path, "/", ".")
}

// sysctlValue is a value as it is compared: its fields, one space between each.
func sysctlValue(v string) string { return strings.Join(strings.Fields(v), " ") }

func (c *KernelParam) Gather(p *probe.Plan, _ Options) Judge {
	path, _ := sysctlPath(c.Name) // Validate refused names without a path
	fact := p.KernelParam(path)
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
}

func (c *KernelParam) judge(f probe.KernelParamFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	var p problems
	unwanted := "exists, want no such kernel parameter"
	if f.ValueRead && !f.Private {
		unwanted = fmt.Sprintf("exists (value %q), want no such kernel parameter", sysctlValue(f.Value))
	}
	if !p.presence(boolOr(c.Exists, true), f.Exists, unwanted, fmt.Sprintf("does not exist (there is no %s)", f.Path)) || c.Value == nil {
		return p.outcome()
	}
	switch {
	case f.ValueErr != "":
		return errorf("value: %s", f.ValueErr)
	case !f.ValueRead:
		return errorf("value: the probe did not read the value")
	}
	switch got, want := sysctlValue(f.Value), sysctlValue(*c.Value); {
	case got == want:
	case f.Private:
		// only root may read it: it may be a key, which the build log must not show
		p.addf("value is not %q (the value is not shown: the parameter is readable by root only, or its mode could not be read)", want)
	default:
		p.addf("value is %q, want %q", got, want)
	}
	return p.outcome()
}

// KernelModule checks whether a kernel module is loaded in the running kernel. A module is loaded
// when `/proc/modules` lists it as live, or when it is built into the kernel: listed in the
// `modules.builtin` of the running kernel's release (in `/lib/modules`), or present in
// `/sys/module`, where the kernel shows loaded modules and built-in ones that have parameters.
// When a module is in none of them, it is not loaded only if both `/proc/modules` (or, for a
// kernel that cannot load modules, its absence) and `modules.builtin` were read: otherwise it may
// be built in, or loaded, and the check is an error whichever way `loaded` is set. A module being
// loaded or unloaded at that moment is neither. In a build in a container or a chroot the kernel
// is the host's, whose `modules.builtin` the image seldom has. A module loaded during the build is
// not loaded at the next boot unless something (`/etc/modules-load.d`) loads it.
type KernelModule struct {
	// The module's name, like `br_netfilter`, as `lsmod` shows it; hyphens and underscores are the
	// same (`nf-conntrack` is `nf_conntrack`). Not an alias, and not a file name.
	Name string `mapstructure:"name" required:"true"`
	// Whether the module must be loaded (or built into the kernel). Defaults to `true`; with
	// `false` the check passes only when the module is neither loaded nor built in.
	Loaded config.Trilean `mapstructure:"loaded"`
	Common `mapstructure:",squash"`
}

func (c *KernelModule) Kind() string    { return "kernel_module" }
func (c *KernelModule) Subject() string { return c.Name }

func (c *KernelModule) Expectation() string {
	return pick(boolOr(c.Loaded, true), "loaded", "not loaded")
}

func (c *KernelModule) Validate() []error {
	errs := requireName("name", c.Name)
	if len(errs) > 0 {
		return errs
	}
	base := c.Name[strings.LastIndexByte(c.Name, '/')+1:]
	if i := strings.Index(base, ".ko"); i > 0 {
		return []error{attrErrorf("name", "%q is a file name; write the module's name, like %q", c.Name, base[:i])}
	}
	for _, r := range c.Name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return []error{attrErrorf("name", "%q holds %q, which no kernel module name has (names are letters, digits, _ and -)", c.Name, r)}
		}
	}
	return nil
}

func (c *KernelModule) Gather(p *probe.Plan, _ Options) Judge {
	fact := p.KernelModule(c.Name)
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
}

func (c *KernelModule) judge(f probe.KernelModuleFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	want := boolOr(c.Loaded, true)
	wanted := pick(want, "loaded", "not loaded")
	var p problems
	switch {
	case f.State == "Loading":
		p.addf("is being loaded (Loading in /proc/modules), want %s", wanted)
	case f.State == "Unloading":
		p.addf("is being unloaded (Unloading in /proc/modules), want %s", wanted)
	case f.State != "":
		if !want {
			p.addf("is loaded (%s in /proc/modules), want not loaded", f.State)
		}
	case strings.HasPrefix(f.BuiltIn, "/sys/module/"):
		if !want {
			p.addf("is loaded or built into kernel %s (there is %s), want not loaded", f.Kernel, f.BuiltIn)
		}
	case f.BuiltIn != "":
		if !want {
			p.addf("is built into kernel %s (%s), want not loaded", f.Kernel, f.BuiltIn)
		}
	case want:
		p.addf("is not loaded in kernel %s, want loaded", f.Kernel)
	}
	return p.outcome()
}
