package probe

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Kernel parameters and kernel modules are facts of the running kernel, read in the image: in a
// build in a container or a chroot, that is the host's kernel. They share their shell functions,
// in kernel.sh.
var (
	kernelParamKind  = register("kernel_param", "kernel", func() gatherer { return &kernelParams{} })
	kernelModuleKind = register("kernel_module", "kernel", func() gatherer { return &kernelModules{} })
)

// KernelParamFacts describe a kernel parameter (a sysctl key) as its file under /proc/sys shows
// it in the image.
type KernelParamFacts struct {
	Path   string // the parameter's file, like /proc/sys/net/ipv4/ip_forward
	Exists bool
	// The value as the kernel prints it, newline and tabs included, when ValueRead.
	Value     string
	ValueRead bool
	// Why the value of a parameter that exists could not be read: it is write-only (like
	// vm.compact_memory), only root may read it, or the kernel refused (an I/O error).
	ValueErr string
	// The value may hold a secret: the parameter's mode lets only its owner read it (like
	// net.ipv4.tcp_fastopen_key, 0600), or its mode could not be learned. The report does not
	// show such a value.
	Private bool
	Err     string // why it could not be told whether the parameter exists
}

type kernelParams struct{ requests[string] }

// KernelParam asks for the kernel parameter whose file is path under /proc/sys, like
// "net/ipv4/ip_forward" (the check package maps sysctl names to paths). It is only ever read.
func (p *Plan) KernelParam(path string) Fact[KernelParamFacts] {
	g := part[*kernelParams](p, kernelParamKind)
	id, _ := g.add(path, path)
	return newFact[KernelParamFacts](p, kernelParamKind, id)
}

func (g *kernelParams) render(s *script) {
	s.call(&s.main, "kpsys")
	for i, path := range g.list {
		if err := checkParamPath(path); err != nil && s.err == nil {
			s.err = err
		}
		s.call(&s.main, "kp", strconv.Itoa(i), "/proc/sys/"+path, strconv.Itoa(ContentLimit))
	}
	paths := make([]string, len(g.list))
	for i, path := range g.list {
		paths[i] = "/proc/sys/" + path
	}
	s.call(&s.main, "kpmodes", paths...)
}

// checkParamPath refuses a path that would lead out of /proc/sys; the check package never makes
// one (this is the second lock on the door).
func checkParamPath(path string) error {
	for _, part := range strings.Split(path, "/") {
		if part == "" || part == "." || part == ".." || strings.ContainsAny(part, "\x00\n") {
			return fmt.Errorf("the kernel parameter path %q is not a path under /proc/sys (a bug in packer-plugin-assert)", path)
		}
	}
	return nil
}

func (g *kernelParams) parse(r records) any {
	facts := make([]KernelParamFacts, len(g.list))
	noSys := r.has("kernel.nosys", "-")
	modes := paramModes(r)
	for i, path := range g.list {
		facts[i].Path = "/proc/sys/" + path
		if noSys {
			facts[i].Err = "there is no /proc/sys in the image to read kernel parameters from (is /proc mounted?)"
			continue
		}
		readParam(r, i, &facts[i])
		mode, known := modes[facts[i].Path]
		facts[i].Private = !known || mode&0o004 == 0
	}
	return facts
}

// paramModes reads the permission bits of the parameters' files, from one `stat -c '%a %n'` of
// all of them: "644 /proc/sys/net/ipv4/ip_forward" (paths under /proc/sys hold no newline).
func paramModes(r records) map[string]uint64 {
	modes := map[string]uint64{}
	out, _ := r.get("kernel.modes", "-")
	for _, line := range strings.Split(string(out), "\n") {
		mode, path, ok := strings.Cut(line, " ")
		if m, err := strconv.ParseUint(mode, 8, 32); ok && err == nil {
			modes[path] = m
		}
	}
	return modes
}

// readParam reads what kp found for the i-th parameter. Only cat's own "No such file or directory"
// or "Not a directory" for a path that is not there makes it absent; any other failure is an
// error, or, for a parameter that is there, a value that could not be read.
func readParam(r records, i int, f *KernelParamFacts) {
	switch t, _ := r.text("kernel.ptype", i); t {
	case "directory":
		f.Err = fmt.Sprintf("%s is a folder of kernel parameters, not a parameter: name one of the parameters in it", f.Path)
		return
	case "other":
		f.Err = fmt.Sprintf("%s is not a regular file, as every kernel parameter is (has a container runtime masked it with /dev/null?)", f.Path)
		return
	}
	status, ok := r.number("kernel.pstatus", i)
	if !ok {
		f.Err = "the probe did not report this kernel parameter"
		return
	}
	if status == 0 {
		value, ok := r.get("kernel.value", i)
		switch {
		case !ok:
			f.Err = "the probe did not report the value of this kernel parameter"
		case len(value) > ContentLimit:
			f.Exists, f.ValueErr = true, fmt.Sprintf("its value is longer than the %d bytes read", ContentLimit)
		default:
			f.Exists, f.ValueRead, f.Value = true, true, string(value)
		}
		return
	}
	msg, _ := r.text("kernel.perr", i)
	said := firstLine(msg, fmt.Sprintf("cat(1) failed with exit status %d and said nothing", status))
	// "cat: PATH: REASON" (GNU) or "cat: can't open 'PATH': REASON" (busybox)
	reason := reasonOf(said)
	there := r.has("kernel.there", i)
	switch {
	case !there && (reason == "No such file or directory" || reason == "Not a directory"):
		// absent
	case !there:
		f.Err = "cannot tell whether it exists: " + said
	case reason == "Permission denied":
		f.Exists, f.ValueErr = true, deniedReason(r, i)
	default:
		f.Exists, f.ValueErr = true, "its value cannot be read: "+said
	}
}

// deniedReason says why reading a parameter that exists was refused, from its mode: the kernel
// refuses to read a parameter without a read bit even to root.
func deniedReason(r records, i int) string {
	text, ok := r.text("kernel.pmode", i)
	mode, err := strconv.ParseUint(text, 8, 32)
	switch {
	case !ok || err != nil:
		return "permission denied: the probe's user cannot read it (it may be write-only, or readable by root only: use_sudo = true may help)"
	case mode&0o444 == 0:
		return fmt.Sprintf("it is write-only (mode %04o): the kernel gives no value to read", mode)
	}
	return fmt.Sprintf("permission denied: the probe's user cannot read it (mode %04o; use_sudo = true may help)", mode)
}

func (g *kernelParams) fake(w *recordWriter) {
	var modes strings.Builder
	for i, path := range g.list {
		w.line("kernel.pstatus", i, "0")
		w.blob("kernel.value", i, "1\n")
		modes.WriteString("644 /proc/sys/" + path + "\n")
	}
	w.blob("kernel.modes", "-", modes.String())
}

// KernelModuleFacts say whether a kernel module is loaded in the running kernel: listed in
// /proc/modules, or built into the kernel.
type KernelModuleFacts struct {
	Kernel string // the running kernel's release, like 6.1.0-56-cloud-amd64
	// The module's state in /proc/modules: Live, Loading or Unloading; empty when it is not listed.
	State string
	// Where the module was seen built into the kernel (or loaded, when /proc/modules cannot say):
	// the path of the kernel's modules.builtin, or /sys/module/NAME. Empty when it was not.
	BuiltIn string
	Err     string // why it cannot be told whether the module is loaded
}

type kernelModules struct{ requests[string] }

// KernelModule asks whether the named module is loaded. Hyphens and underscores are the same in
// module names: nf-conntrack is nf_conntrack.
func (p *Plan) KernelModule(name string) Fact[KernelModuleFacts] {
	g := part[*kernelModules](p, kernelModuleKind)
	n := ModuleName(name)
	id, _ := g.add(n, n)
	return newFact[KernelModuleFacts](p, kernelModuleKind, id)
}

// ModuleName is a module's name as the kernel spells it in /proc/modules and /sys/module, with
// underscores for hyphens.
func ModuleName(name string) string { return strings.ReplaceAll(name, "-", "_") }

func (g *kernelModules) render(s *script) {
	for _, n := range g.list {
		if (n == "" || strings.ContainsAny(n, "/\x00\n") || n == "." || n == "..") && s.err == nil {
			s.err = fmt.Errorf("%q is not a kernel module name (a bug in packer-plugin-assert)", n)
		}
	}
	s.call(&s.main, "km", g.list...)
}

func (g *kernelModules) parse(r records) any {
	release, _ := r.text("kernel.release", "-")
	loaded, loadedSeen, loadedErr := procModules(r)
	builtin, builtinAt, builtinErr := builtinModules(r, release)
	facts := make([]KernelModuleFacts, len(g.list))
	for i, n := range g.list {
		f := KernelModuleFacts{Kernel: release}
		switch state, listed := loaded[n]; {
		case listed:
			f.State = state
		case builtin[n]:
			f.BuiltIn = builtinAt
		case r.has("kernel.sysmodule", i):
			f.BuiltIn = "/sys/module/" + n
		case loadedErr != "" && builtinErr != "":
			f.Err = "cannot tell whether it is loaded: " + loadedErr + "; and " + builtinErr
		case loadedErr != "":
			f.Err = fmt.Sprintf("cannot tell whether it is loaded: it is not built into the kernel (%s), but %s", builtinAt, loadedErr)
		case builtinErr != "":
			f.Err = "cannot tell whether it is loaded: " + loadedSeen + ", but it may be built into the kernel: " + builtinErr
		}
		facts[i] = f
	}
	return facts
}

// procModules reads /proc/modules: "NAME SIZE REFCOUNT DEPS STATE ADDRESS [TAINTS]" a line (see
// m_show in the kernel's kernel/module/procfs.c). A kernel that cannot load modules at all has
// none loaded. It returns the state of each module and, for a module not among them, how that was
// seen; or why they are not known.
func procModules(r records) (states map[string]string, seen, err string) {
	if r.has("kernel.nomodules", "-") {
		return map[string]string{}, "the kernel cannot load modules (there is no /proc/modules, and no kernel.modprobe)", ""
	}
	if r.has("kernel.mmasked", "-") {
		return nil, "", "/proc/modules is not a regular file (has a container runtime masked it?)"
	}
	status, ok := r.number("kernel.mstatus", "-")
	out, gotOut := r.get("kernel.modules", "-")
	if !ok || !gotOut {
		return nil, "", "there is no /proc/modules to list the loaded modules (is /proc mounted in the image?)"
	}
	if status != 0 {
		msg, _ := r.text("kernel.merr", "-")
		return nil, "", fmt.Sprintf("/proc/modules cannot be read (cat exit status %d): %s", status, firstLine(msg, "no reason given"))
	}
	states = map[string]string{}
	for _, l := range strings.Split(string(out), "\n") {
		if l == "" {
			continue
		}
		f := strings.Fields(l)
		if len(f) < 5 || (f[4] != "Live" && f[4] != "Loading" && f[4] != "Unloading") {
			return nil, "", fmt.Sprintf("/proc/modules holds a line that is not a module's: %s", excerpt([]byte(l)))
		}
		states[ModuleName(f[0])] = f[4]
	}
	return states, "it is not in /proc/modules", ""
}

// builtinModules reads the running kernel's modules.builtin, a path like
// "kernel/fs/ext4/ext4.ko" a line, whose file name (less .ko, hyphens as underscores) is a
// module's name. It returns them, the file's path, and why they are not known.
func builtinModules(r records, release string) (map[string]bool, string, string) {
	path, _ := r.text("kernel.bpath", "-")
	status, ok := r.number("kernel.bstatus", "-")
	out, gotOut := r.get("kernel.builtin", "-")
	switch {
	case release == "":
		return nil, "modules.builtin", "the running kernel's release could not be read (/proc/sys/kernel/osrelease, uname -r)"
	case path == "" || !ok || !gotOut:
		return nil, "modules.builtin", "the probe did not report the kernel's modules.builtin"
	case status != 0:
		msg, _ := r.text("kernel.berr", "-")
		return nil, path, fmt.Sprintf("%s cannot be read (%s)%s", path, reasonOf(firstLine(msg, "no reason given")), otherKernels(r, release))
	}
	names := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		if l == "" {
			continue
		}
		base := l[strings.LastIndexByte(l, '/')+1:]
		name, ok := strings.CutSuffix(base, ".ko")
		if !ok || name == "" || strings.ContainsAny(l, " \t") {
			return nil, path, fmt.Sprintf("%s holds a line that is not a module's path: %s", path, excerpt([]byte(l)))
		}
		names[ModuleName(name)] = true
	}
	return names, path, ""
}

// reasonOf returns what follows the last ": " of a tool's complaint, where the reason is.
func reasonOf(said string) string {
	if k := strings.LastIndex(said, ": "); k >= 0 {
		return said[k+2:]
	}
	return said
}

// otherKernels says which kernels the image has modules for, when the running one is not among
// them: a build in a container or a chroot runs on the host's kernel.
func otherKernels(r records, release string) string {
	out, _ := r.get("kernel.kernels", "-")
	seen := map[string]bool{}
	var others []string
	for _, k := range strings.Split(string(out), "\n") {
		if k == release {
			return ""
		}
		if k != "" && !seen[k] {
			seen[k] = true
			others = append(others, k)
		}
	}
	if len(others) == 0 {
		return "; the image has no /lib/modules"
	}
	sort.Strings(others)
	return fmt.Sprintf("; the image has modules of kernel %s only, and the running kernel is %s (a build in a container or a chroot runs on the host's kernel)",
		strings.Join(others, ", "), release)
}

func (g *kernelModules) fake(w *recordWriter) {
	var mods strings.Builder
	for _, n := range g.list {
		fmt.Fprintf(&mods, "%s 16384 0 - Live 0x0000000000000000\n", n)
	}
	w.line("kernel.mstatus", "-", "0")
	w.blob("kernel.modules", "-", mods.String())
	w.blob("kernel.merr", "-", "")
	w.line("kernel.release", "-", "6.1.0-56-cloud-amd64")
	w.blob("kernel.kernels", "-", "6.1.0-56-cloud-amd64\n")
	w.line("kernel.bpath", "-", "/lib/modules/6.1.0-56-cloud-amd64/modules.builtin")
	w.line("kernel.bstatus", "-", "0")
	w.blob("kernel.builtin", "-", "kernel/fs/ext4/ext4.ko\nkernel/net/unix/unix.ko\n")
	w.blob("kernel.berr", "-", "")
}
