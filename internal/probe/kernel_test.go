package probe

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// paramRecords are the records kp prints for request id when cat did what the fixture shows: its
// status and output, and, where it failed, whether the file is there (there) and the mode stat
// printed (from modeFixture, or none).
func paramRecords(t *testing.T, r records, id, fixture string, there bool, modeFixture string) {
	t.Helper()
	out, stderr, status := recorded(t, fixture)
	r[key{"kernel.pstatus", id}] = []byte(status)
	if status == "0" {
		r[key{"kernel.value", id}] = []byte(out)
		return
	}
	r[key{"kernel.perr", id}] = []byte(stderr)
	if there {
		r[key{"kernel.there", id}] = nil
	}
	if modeFixture != "" {
		mode, _, _ := recorded(t, modeFixture)
		r[key{"kernel.pmode", id}] = []byte(strings.TrimSpace(mode))
	}
}

// paramVerdict sums up a parameter's facts: "error", "absent", "value V" or "unreadable: WHY".
func paramVerdict(f KernelParamFacts) string {
	switch {
	case f.Err != "":
		return "error"
	case !f.Exists:
		return "absent"
	case f.ValueErr != "":
		return "unreadable: " + f.ValueErr
	case !f.ValueRead:
		return "exists, value not read"
	}
	return "value " + f.Value
}

// The recorded fixtures are what cat (GNU coreutils and busybox) said on this machine's own
// /proc/sys; where cat failed, kp also tests whether the file is there, and stat prints its mode.
func TestKernelParamsFromRealCat(t *testing.T) {
	tests := []struct {
		fixture     string
		there       bool   // [ -e ] after cat failed
		modeFixture string // stat -L -c %a after cat failed
		want        string
	}{
		{"kernel-param-ostype", false, "", "value Linux\n"},
		{"kernel-param-tcp-rmem", false, "", "value 4096\t131072\t33554432\n"},
		{"kernel-param-missing", false, "", "absent"},
		{"kernel-param-missing-busybox", false, "", "absent"},
		{"kernel-param-not-a-directory", false, "", "absent"},
		{"kernel-param-write-only", true, "kernel-param-write-only-mode", "unreadable: it is write-only (mode 0200): the kernel gives no value to read"},
		{"kernel-param-write-only-busybox", true, "kernel-param-write-only-mode", "unreadable: it is write-only (mode 0200): the kernel gives no value to read"},
		{"kernel-param-root-only", true, "kernel-param-root-only-mode", "unreadable: permission denied: the probe's user cannot read it (mode 0600; use_sudo = true may help)"},
		{"kernel-param-root-only", true, "", "unreadable: permission denied: the probe's user cannot read it (it may be write-only, or readable by root only: use_sudo = true may help)"},
		{"kernel-param-io-error", true, "", "unreadable: its value cannot be read: cat: /proc/sys/net/ipv6/conf/all/stable_secret: Input/output error"},
		{"kernel-param-io-error-busybox", true, "", "unreadable: its value cannot be read: cat: read error: Input/output error"},
		// the file is not there, yet cat was refused: that it is absent was not seen
		{"kernel-param-write-only", false, "", "error"},
		{"kernel-param-io-error", false, "", "error"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			p := NewPlan()
			h := p.KernelParam("some/param")
			r := records{}
			paramRecords(t, r, "0", tt.fixture, tt.there, tt.modeFixture)
			if got := paramVerdict(get(t, parsed(p, r), h)); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// Whatever kp could not make sense of is an error, never an absent parameter or an empty value.
func TestKernelParamsThatWereNotSeen(t *testing.T) {
	tests := []struct {
		name string
		recs records
		want string // a part of Err
	}{
		{"no_records", recs(), "did not report this kernel parameter"},
		{"no_proc_sys", recs("kernel.nosys", "-", ""), "there is no /proc/sys"},
		{"a_folder", recs("kernel.ptype", "0", "directory"), "/proc/sys/net/ipv4 is a folder of kernel parameters, not a parameter"},
		{"masked_with_dev_null", recs("kernel.ptype", "0", "other"), "not a regular file"},
		{"status_without_value", recs("kernel.pstatus", "0", "0"), "did not report the value"},
		{"garbled_status", recs("kernel.pstatus", "0", "x", "kernel.value", "0", "1\n"), "did not report this kernel parameter"},
		{"cat_missing", recs("kernel.pstatus", "0", "127", "kernel.perr", "0", "sh: 1: cat: not found\n"), "cannot tell whether it exists: sh: 1: cat: not found"},
		{"cat_said_nothing", recs("kernel.pstatus", "0", "1", "kernel.perr", "0", ""), "cat(1) failed with exit status 1 and said nothing"},
		{"search_denied", recs("kernel.pstatus", "0", "1", "kernel.perr", "0", "cat: /proc/sys/net/ipv4: Permission denied\n"), "cannot tell whether it exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPlan()
			h := p.KernelParam("net/ipv4")
			f := get(t, parsed(p, tt.recs), h)
			if !strings.Contains(f.Err, tt.want) || f.Exists || f.ValueRead {
				t.Errorf("got %+v, want an error with %q", f, tt.want)
			}
		})
	}
	p := NewPlan()
	h := p.KernelParam("kernel/huge")
	f := get(t, parsed(p, recs("kernel.pstatus", "0", "0", "kernel.value", "0", strings.Repeat("1", ContentLimit+1))), h)
	if !f.Exists || f.ValueRead || !strings.Contains(f.ValueErr, "longer than") {
		t.Errorf("a value over the limit: %+v", f)
	}
}

// A path that would lead out of /proc/sys is refused when the script is written.
func TestKernelParamPathsStayInProcSys(t *testing.T) {
	for _, path := range []string{"", "/etc/shadow", "net/../../etc/shadow", "net//ipv4", "net/ipv4/", "./x", "a\nb"} {
		p := NewPlan()
		p.KernelParam(path)
		if _, err := Render(p); err == nil {
			t.Errorf("%q was rendered", path)
		}
	}
	p := NewPlan()
	p.KernelParam("net/ipv4/conf/eth0.100/rp_filter")
	script, err := Render(p)
	if err != nil || !strings.Contains(string(script), "kp '0' '/proc/sys/net/ipv4/conf/eth0.100/rp_filter' '1048576'") {
		t.Errorf("%v\n%s", err, script)
	}
}

// procModulesModelled is /proc/modules as m_show in the kernel's kernel/module/procfs.c prints
// it (Linux 6.1 to 6.12): "NAME SIZE REFCOUNT DEPS STATE ADDRESS [TAINTS]", DEPS each followed
// by a comma, "[permanent]," for a module without an exit function, "-" for none; "- -" for
// REFCOUNT and DEPS in a kernel without CONFIG_MODULE_UNLOAD; the address zeroed for a reader
// kallsyms hides it from. Modelled, not recorded: no machine here has a kernel that loads modules.
const procModulesModelled = `nf_conntrack 176128 3 nf_nat,xt_conntrack,xt_MASQUERADE, Live 0x0000000000000000
nf_defrag_ipv6 24576 1 nf_conntrack, Live 0x0000000000000000
xt_conntrack 16384 1 - Live 0x0000000000000000
vboxguest 417792 2 - Live 0x0000000000000000 (OE)
crc32_pclmul 16384 0 [permanent], Live 0x0000000000000000
loop 40960 - - Live 0x0000000000000000
br_netfilter 32768 0 - Loading 0x0000000000000000
dummy 16384 0 - Unloading 0x0000000000000000
`

// moduleVerdict sums up a module's facts: "error", "not loaded", "state S" or "built in at P".
func moduleVerdict(f KernelModuleFacts) string {
	switch {
	case f.Err != "":
		return "error"
	case f.State != "":
		return "state " + f.State
	case f.BuiltIn != "":
		return "built in at " + f.BuiltIn
	}
	return "not loaded"
}

// moduleRecords are the records km prints with the modelled /proc/modules, the recorded
// modules.builtin of a Debian 6.1 cloud kernel (or the recorded failure to read one), and
// /sys/module/printk.
func moduleRecords(t *testing.T, builtinFixture string) records {
	out, stderr, status := recorded(t, builtinFixture)
	return recs("kernel.mstatus", "-", "0", "kernel.modules", "-", procModulesModelled, "kernel.merr", "-", "",
		"kernel.release", "-", "6.1.0-56-cloud-amd64", "kernel.kernels", "-", "6.1.0-56-cloud-amd64\n6.1.0-56-cloud-amd64\n",
		"kernel.bpath", "-", "/lib/modules/6.1.0-56-cloud-amd64/modules.builtin",
		"kernel.bstatus", "-", status, "kernel.builtin", "-", out, "kernel.berr", "-", stderr)
}

func TestKernelModulesFromARealModulesBuiltin(t *testing.T) {
	const builtin = "built in at /lib/modules/6.1.0-56-cloud-amd64/modules.builtin"
	names := []string{"nf_conntrack", "nf-conntrack", "vboxguest", "crc32_pclmul", "loop", "br_netfilter", "dummy",
		"ext4", "mq-deadline", "mq_deadline", "amd_uncore", "unix", "cramfs", "printk"}
	p := NewPlan()
	handles := map[string]Fact[KernelModuleFacts]{}
	for _, n := range names {
		handles[n] = p.KernelModule(n)
	}
	printk := handles["printk"].id
	check := func(t *testing.T, r records, want map[string]string) {
		t.Helper()
		f := parsed(p, r)
		for n, w := range want {
			if got := moduleVerdict(get(t, f, handles[n])); got != w {
				t.Errorf("%s: got %q, want %q (%+v)", n, got, w, get(t, f, handles[n]))
			}
		}
	}
	t.Run("everything_read", func(t *testing.T) {
		r := moduleRecords(t, "kernel-modules-builtin")
		r[key{"kernel.sysmodule", strconv.Itoa(printk)}] = nil
		check(t, r, map[string]string{
			"nf_conntrack": "state Live", "nf-conntrack": "state Live", "vboxguest": "state Live", "crc32_pclmul": "state Live",
			"loop": "state Live", "br_netfilter": "state Loading", "dummy": "state Unloading",
			// modules.builtin names files: mq-deadline.ko is the module mq_deadline
			"ext4": builtin, "mq-deadline": builtin, "mq_deadline": builtin, "amd_uncore": builtin, "unix": builtin,
			"cramfs": "not loaded", "printk": "built in at /sys/module/printk",
		})
	})
	t.Run("modules_builtin_missing", func(t *testing.T) {
		r := moduleRecords(t, "kernel-modules-builtin-missing")
		r[key{"kernel.release", "-"}] = []byte("6.18.44-fc-v657")
		r[key{"kernel.bpath", "-"}] = []byte("/lib/modules/6.18.44-fc-v657/modules.builtin")
		r[key{"kernel.sysmodule", strconv.Itoa(printk)}] = nil
		check(t, r, map[string]string{"nf_conntrack": "state Live", "ext4": "error", "cramfs": "error", "printk": "built in at /sys/module/printk"})
		got := get(t, parsed(p, r), handles["cramfs"]).Err
		want := "cannot tell whether it is loaded: it is not in /proc/modules, but it may be built into the kernel: " +
			"/lib/modules/6.18.44-fc-v657/modules.builtin cannot be read (No such file or directory); the image has modules of kernel " +
			"6.1.0-56-cloud-amd64 only, and the running kernel is 6.18.44-fc-v657 (a build in a container or a chroot runs on the host's kernel)"
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
		delete(r, key{"kernel.kernels", "-"})
		if got := get(t, parsed(p, r), handles["cramfs"]).Err; !strings.HasSuffix(got, "; the image has no /lib/modules") {
			t.Errorf("without /lib/modules: %s", got)
		}
	})
	t.Run("kernel_without_module_support", func(t *testing.T) {
		r := moduleRecords(t, "kernel-modules-builtin")
		for _, k := range []string{"kernel.mstatus", "kernel.modules", "kernel.merr"} {
			delete(r, key{k, "-"})
		}
		r[key{"kernel.nomodules", "-"}] = nil
		check(t, r, map[string]string{"nf_conntrack": "not loaded", "ext4": builtin, "cramfs": "not loaded"})
		// and without its modules.builtin only what /sys/module shows is known
		out, stderr, status := recorded(t, "kernel-modules-builtin-missing")
		r[key{"kernel.bstatus", "-"}], r[key{"kernel.builtin", "-"}], r[key{"kernel.berr", "-"}] = []byte(status), []byte(out), []byte(stderr)
		r[key{"kernel.sysmodule", strconv.Itoa(printk)}] = nil
		check(t, r, map[string]string{"nf_conntrack": "error", "ext4": "error", "cramfs": "error", "printk": "built in at /sys/module/printk"})
		got := get(t, parsed(p, r), handles["cramfs"]).Err
		if !strings.HasPrefix(got, "cannot tell whether it is loaded: the kernel cannot load modules (there is no /proc/modules, and no kernel.modprobe), but it may be built into the kernel: ") {
			t.Errorf("cramfs: %s", got)
		}
	})
	t.Run("no_proc_modules", func(t *testing.T) {
		r := moduleRecords(t, "kernel-modules-builtin")
		for _, k := range []string{"kernel.mstatus", "kernel.modules", "kernel.merr"} {
			delete(r, key{k, "-"})
		}
		// not in modules.builtin, and whether it is loaded cannot be seen
		check(t, r, map[string]string{"nf_conntrack": "error", "cramfs": "error", "ext4": builtin})
		if got := get(t, parsed(p, r), handles["cramfs"]).Err; !strings.Contains(got, "is /proc mounted in the image?") {
			t.Errorf("no /proc/modules: %s", got)
		}
	})
}

// Whatever km could not make sense of leaves a module that is not seen built in or loaded an
// error, never "not loaded".
func TestKernelModulesThatWereNotSeen(t *testing.T) {
	p := NewPlan()
	cramfs, ext4, conntrack := p.KernelModule("cramfs"), p.KernelModule("ext4"), p.KernelModule("nf_conntrack")
	tests := []struct {
		name   string
		change func(r records)
		want   string // a part of the error for cramfs
	}{
		{"proc_modules_masked", func(r records) {
			delete(r, key{"kernel.mstatus", "-"})
			r[key{"kernel.mmasked", "-"}] = nil
		}, "/proc/modules is not a regular file"},
		{"proc_modules_unreadable", func(r records) {
			r[key{"kernel.mstatus", "-"}] = []byte("1")
			r[key{"kernel.merr", "-"}] = []byte("cat: /proc/modules: Permission denied\n")
		}, "/proc/modules cannot be read (cat exit status 1): cat: /proc/modules: Permission denied"},
		{"proc_modules_cut_short", func(r records) {
			r[key{"kernel.modules", "-"}] = []byte(procModulesModelled + "nf_nat 4915")
		}, `/proc/modules holds a line that is not a module's: "nf_nat 4915"`},
		{"proc_modules_unknown_state", func(r records) {
			r[key{"kernel.modules", "-"}] = []byte("nf_conntrack 176128 3 - Zombie 0x0000000000000000\n")
		}, "not a module's"},
		{"modules_builtin_garbage", func(r records) {
			r[key{"kernel.builtin", "-"}] = []byte("this is not a list of modules\n")
		}, "modules.builtin holds a line that is not a module's path"},
		{"no_release", func(r records) {
			r[key{"kernel.release", "-"}] = []byte("")
		}, "the running kernel's release could not be read"},
		{"no_modules_builtin_records", func(r records) {
			delete(r, key{"kernel.bstatus", "-"})
		}, "did not report the kernel's modules.builtin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := moduleRecords(t, "kernel-modules-builtin")
			tt.change(r)
			f := parsed(p, r)
			if got := get(t, f, cramfs); !strings.Contains(got.Err, tt.want) {
				t.Errorf("cramfs: got %+v, want an error with %q", got, tt.want)
			}
			// what was seen still counts
			e, c := get(t, f, ext4), get(t, f, conntrack)
			if e.Err == "" && e.BuiltIn == "" || c.Err == "" && c.State != "Live" {
				t.Errorf("ext4 %+v, nf_conntrack %+v", e, c)
			}
		})
	}
	if f := get(t, parsed(p, records{}), cramfs); f.Err == "" {
		t.Errorf("no records: %+v", f)
	}
	bad := NewPlan()
	bad.KernelModule("../x")
	if _, err := Render(bad); err == nil {
		t.Error("a module name with a slash was rendered")
	}
}

// TestProbeKernelLocally runs the probe on this machine's own kernel with every shell: the values
// read are compared with what Go reads from /proc/sys; modules are judged from what this machine
// has (this one: a kernel without loadable modules, and no /lib/modules).
func TestProbeKernelLocally(t *testing.T) {
	want := machineModules(t)
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p := NewPlan()
			hs := planKernel(p, want)
			f, _ := runLocal(t, sh, p)
			checkKernel(t, f, hs, want)
		})
	}
}

// TestProbeKernelWithBusyboxOnly: busybox's cat and stat do what GNU's do.
func TestProbeKernelWithBusyboxOnly(t *testing.T) {
	busyboxOnly(t)
	want := machineModules(t)
	p := NewPlan()
	hs := planKernel(p, want)
	checkKernel(t, runBusyboxOnly(t, p), hs, want)
}

type kernelHandles struct {
	ostype, forward, rmem, nosuch, notDir, writeOnly, folder, secret Fact[KernelParamFacts]
	modules                                                          map[string]Fact[KernelModuleFacts]
}

func planKernel(p *Plan, mods map[string]string) kernelHandles {
	h := kernelHandles{
		ostype: p.KernelParam("kernel/ostype"), forward: p.KernelParam("net/ipv4/ip_forward"), rmem: p.KernelParam("net/ipv4/tcp_rmem"),
		nosuch: p.KernelParam("net/ipv4/nosuch"), notDir: p.KernelParam("kernel/ostype/x"), writeOnly: p.KernelParam("vm/compact_memory"),
		folder: p.KernelParam("net/ipv4"), secret: p.KernelParam("net/ipv6/conf/all/stable_secret"),
		modules: map[string]Fact[KernelModuleFacts]{},
	}
	for n := range mods {
		h.modules[n] = p.KernelModule(n)
	}
	return h
}

// machineModules says what the probe must find of some modules on this machine, from what Go
// reads itself: "state Live" for the first module of /proc/modules, "loaded" for a folder of
// /sys/module (built in, or loaded), and for a name no kernel has, "not loaded" where both
// /proc/modules (or the kernel's lack of module support) and modules.builtin can be read, and
// "error" where either cannot.
func machineModules(t *testing.T) map[string]string {
	want := map[string]string{}
	procKnown := false
	if b, err := os.ReadFile("/proc/modules"); err == nil {
		procKnown = true
		if f := strings.Fields(string(b)); len(f) >= 5 && f[4] == "Live" {
			want[f[0]] = "state Live"
		}
	} else if _, err := os.Stat("/proc/sys/kernel/modprobe"); errors.Is(err, os.ErrNotExist) {
		procKnown = true // a kernel that cannot load modules
	}
	if entries, _ := os.ReadDir("/sys/module"); len(entries) > 0 {
		if _, taken := want[entries[0].Name()]; !taken {
			want[entries[0].Name()] = "loaded"
		}
	}
	release, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	_, err := os.ReadFile("/lib/modules/" + strings.TrimSpace(string(release)) + "/modules.builtin")
	if procKnown && err == nil {
		want["no_such_module_xyz"] = "not loaded"
	} else {
		want["no_such_module_xyz"] = "error"
	}
	t.Logf("modules expected on this machine: %v", want)
	return want
}

func checkKernel(t *testing.T, f *Facts, h kernelHandles, mods map[string]string) {
	t.Helper()
	if g := get(t, f, h.ostype); paramVerdict(g) != "value Linux\n" || g.Path != "/proc/sys/kernel/ostype" {
		t.Errorf("kernel.ostype: %+v", g)
	}
	forward, _ := os.ReadFile("/proc/sys/net/ipv4/ip_forward")
	if g := get(t, f, h.forward); paramVerdict(g) != "value "+string(forward) {
		t.Errorf("net.ipv4.ip_forward: %+v, want %q", g, forward)
	}
	if g := get(t, f, h.rmem); !g.ValueRead || len(strings.Fields(g.Value)) != 3 || !strings.Contains(g.Value, "\t") {
		t.Errorf("net.ipv4.tcp_rmem: %+v", g)
	}
	for name, h := range map[string]Fact[KernelParamFacts]{"net.ipv4.nosuch": h.nosuch, "kernel.ostype.x": h.notDir} {
		if g := get(t, f, h); paramVerdict(g) != "absent" {
			t.Errorf("%s: %+v", name, g)
		}
	}
	if g := get(t, f, h.writeOnly); paramVerdict(g) != "unreadable: it is write-only (mode 0200): the kernel gives no value to read" {
		t.Errorf("vm.compact_memory: %+v", g)
	}
	if g := get(t, f, h.folder); !strings.Contains(g.Err, "is a folder of kernel parameters") {
		t.Errorf("net.ipv4: %+v", g)
	}
	if _, err := os.ReadFile("/proc/sys/net/ipv6/conf/all/stable_secret"); errors.Is(err, syscall.EIO) {
		if g := get(t, f, h.secret); !g.Exists || !strings.HasSuffix(g.ValueErr, "Input/output error") {
			t.Errorf("net.ipv6.conf.all.stable_secret, never set: %+v", g)
		}
	}
	for n, want := range mods {
		g := get(t, f, h.modules[n])
		got := moduleVerdict(g)
		if want == "loaded" && (got == "state Live" || strings.HasPrefix(got, "built in at ")) {
			got = "loaded"
		}
		if got != want {
			t.Errorf("module %s: got %q, want %q (%+v)", n, got, want, g)
		}
	}
}

// TestProbeKernelModulesOfAnImageKernel runs the probe, with every shell, in a mount namespace
// made to look like a Debian cloud image's kernel: a /proc/modules (the modelled one) on a tmpfs
// over /proc, the recorded modules.builtin in /lib/modules (an overlay over /usr/lib, which /lib
// points to), and a tmpfs over /sys/module holding printk. It needs root, unshare(1) and
// overlayfs. Three kernels: the image's own; the host's in a container build, whose modules the
// image does not have; and one that cannot load modules.
func TestProbeKernelModulesOfAnImageKernel(t *testing.T) {
	if _, err := exec.LookPath("unshare"); err != nil || os.Geteuid() != 0 {
		t.Skip("needs root and unshare(1)")
	}
	if fi, err := os.Lstat("/lib"); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Skip("needs /lib to be a link to /usr/lib (merged /usr)")
	}
	builtin, _, _ := recorded(t, "kernel-modules-builtin")
	fix := t.TempDir()
	os.WriteFile(filepath.Join(fix, "modules"), []byte(procModulesModelled), 0o644)
	os.WriteFile(filepath.Join(fix, "builtin"), []byte(builtin), 0o644)
	const image = "6.1.0-56-cloud-amd64"
	setup := `set -e
		fix=$1 release=$2 loadable=$3; shift 3
		mount -t tmpfs none /sys/module && mkdir /sys/module/printk
		mkdir "$fix/up" "$fix/work"
		mount -t overlay overlay -o "lowerdir=/usr/lib,upperdir=$fix/up,workdir=$fix/work" /usr/lib
		mkdir -p /usr/lib/modules/` + image + ` && cp "$fix/builtin" /usr/lib/modules/` + image + `/modules.builtin
		mount -t tmpfs none /proc && mkdir -p /proc/sys/kernel && echo "$release" >/proc/sys/kernel/osrelease
		if [ "$loadable" = yes ]; then echo /sbin/modprobe >/proc/sys/kernel/modprobe && cp "$fix/modules" /proc/modules; fi
		exec "$@"`
	builtinAt := "built in at /lib/modules/" + image + "/modules.builtin"
	for _, tt := range []struct {
		name, release, loadable string
		want                    map[string]string
	}{
		{"image_kernel", image, "yes", map[string]string{"nf_conntrack": "state Live", "nf-defrag-ipv6": "state Live", "br_netfilter": "state Loading",
			"ext4": builtinAt, "mq-deadline": builtinAt, "printk": "built in at /sys/module/printk", "cramfs": "not loaded"}},
		{"host_kernel_in_a_container", "6.18.44-host", "yes", map[string]string{"nf_conntrack": "state Live", "ext4": "error", "cramfs": "error",
			"printk": "built in at /sys/module/printk"}},
		{"kernel_without_modules", image, "no", map[string]string{"nf_conntrack": "not loaded", "ext4": builtinAt, "cramfs": "not loaded"}},
	} {
		for _, sh := range testShells(t) {
			t.Run(tt.name+"/"+filepath.Base(sh), func(t *testing.T) {
				dir := t.TempDir()
				os.Symlink(sh, filepath.Join(dir, "sh"))
				run := t.TempDir()
				for _, f := range []string{"modules", "builtin"} {
					copyFile(t, filepath.Join(fix, f), filepath.Join(run, f))
				}
				p := NewPlan()
				handles := map[string]Fact[KernelModuleFacts]{}
				for n := range tt.want {
					handles[n] = p.KernelModule(n)
				}
				script, err := Render(p)
				if err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command("unshare", "--mount", "--fork", "--propagation", "private", "sh", "-c", setup, "sh",
					run, tt.release, tt.loadable, sh, "-c", RemoteCommand(script, false))
				cmd.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"))
				f, _ := runProbe(t, cmd, p, script)
				for n, want := range tt.want {
					if got := moduleVerdict(get(t, f, handles[n])); got != want {
						t.Errorf("%s: got %q, want %q (%+v)", n, got, want, get(t, f, handles[n]))
					}
				}
				if tt.name == "host_kernel_in_a_container" {
					if got := get(t, f, handles["cramfs"]).Err; !strings.Contains(got, "the image has modules of kernel "+image+" only, and the running kernel is 6.18.44-host") {
						t.Errorf("cramfs: %s", got)
					}
				}
			})
		}
	}
}

// FuzzKernelParse feeds the kernel kinds' parsers any bytes as what cat printed: they must never
// panic, and a module is "not loaded" only when a /proc/modules and a modules.builtin were read.
func FuzzKernelParse(f *testing.F) {
	f.Add([]byte(procModulesModelled), []byte("kernel/fs/ext4/ext4.ko\n"), []byte("1\n"), "0")
	f.Add([]byte("x"), []byte("/.ko\n.ko\n"), []byte{0xff, 0}, "1")
	f.Fuzz(func(t *testing.T, modules, builtin, value []byte, status string) {
		p := NewPlan()
		param, mod := p.KernelParam("a/b"), p.KernelModule("nf_conntrack")
		r := recs("kernel.pstatus", "0", status, "kernel.value", "0", string(value), "kernel.perr", "0", string(value),
			"kernel.mstatus", "-", status, "kernel.modules", "-", string(modules), "kernel.release", "-", "6.1.0",
			"kernel.bpath", "-", "/lib/modules/6.1.0/modules.builtin", "kernel.bstatus", "-", status, "kernel.builtin", "-", string(builtin))
		facts := parsed(p, r)
		get(t, facts, param)
		if n, err := strconv.Atoi(strings.TrimSpace(status)); moduleVerdict(get(t, facts, mod)) == "not loaded" && (err != nil || n != 0) {
			t.Fatalf("not loaded, though cat failed: %+v", get(t, facts, mod))
		}
	})
}

// TestKernelParamOnlyRootMayReadIsPrivate: the real probe learns each parameter's mode in one
// stat; a value only root may read (tcp_fastopen_key, 0600) is marked private, so that the report
// never shows it, while a value everyone may read (kernel.ostype, 0444) is not.
func TestKernelParamOnlyRootMayReadIsPrivate(t *testing.T) {
	if _, err := os.Stat("/proc/sys/net/ipv4/tcp_fastopen_key"); err != nil {
		t.Skip("no net.ipv4.tcp_fastopen_key here")
	}
	p := NewPlan()
	key := p.KernelParam("net/ipv4/tcp_fastopen_key")
	ostype := p.KernelParam("kernel/ostype")
	f, _ := runLocal(t, "/bin/sh", p)
	if k := get(t, f, key); !k.Private {
		t.Errorf("tcp_fastopen_key (mode 0600) is not private: %+v", k)
	}
	if o := get(t, f, ostype); o.Private || o.Value != "Linux\n" {
		t.Errorf("kernel.ostype: %+v", o)
	}
	// no mode learned (no stat in the image): private, to be safe
	r := recs("kernel.pstatus", "0", "0", "kernel.value", "0", "1\n")
	p2 := NewPlan()
	h := p2.KernelParam("net/ipv4/ip_forward")
	if got := get(t, parsed(p2, r), h); !got.Private || got.Value != "1\n" {
		t.Errorf("without modes: %+v", got)
	}
}
