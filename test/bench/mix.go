package main

import (
	"fmt"
	"log"
	"strings"

	"github.com/assertkit/packer-plugin-assert/internal/benchmix"
	"github.com/assertkit/packer-plugin-assert/internal/check"
)

// The checks the benchmark measures: a mix in the proportions of a typical image test, all taken
// from what exists in the image, so that every check passes. The kinds and their shares are
// those of package benchmix, as in the Go benchmarks of internal/check.

// inventory is what exists in the image, to check for.
type inventory struct {
	files, packages, services, users, groups []string
	digests                                  []digest      // files of /etc that anyone may read, with their SHA-256
	params                                   []kernelParam // kernel parameters, with their values
	modules                                  []string      // kernel modules that /sys/module shows
	names                                    []string      // host names that the image resolves
}

type digest struct{ path, sha256 string }

type kernelParam struct{ name, value string }

// paramNames are the kernel parameters a hardened image checks; the mix takes those the image
// has, with one value each (no tab-separated lists), at the values it has.
var paramNames = []string{"kernel.ostype", "net.ipv4.ip_forward", "kernel.randomize_va_space", "net.ipv4.tcp_syncookies",
	"net.ipv4.conf.all.rp_filter", "net.ipv4.conf.all.accept_redirects", "net.ipv4.conf.all.send_redirects",
	"net.ipv4.conf.default.accept_source_route", "net.ipv4.icmp_echo_ignore_broadcasts", "fs.protected_hardlinks",
	"fs.protected_symlinks", "fs.suid_dumpable", "kernel.dmesg_restrict", "kernel.kptr_restrict", "vm.swappiness",
	"net.core.somaxconn", "fs.file-max", "kernel.pid_max"}

// moduleNames are the kernel modules an image for containers checks; the mix takes those that
// /sys/module shows (loaded, or built in with parameters). On a kernel that cannot load modules,
// only those are loaded as far as any check can tell.
var moduleNames = []string{"overlay", "br_netfilter", "bridge", "nf_conntrack", "ip_tables", "x_tables", "tcp_cubic", "ipv6", "fuse", "loop"}

// sysctlFile is the file under /proc/sys of a kernel parameter of the mix, whose parts hold no dot.
func sysctlFile(name string) string { return "/proc/sys/" + strings.ReplaceAll(name, ".", "/") }

func (t *target) inventory() inventory {
	lines := func(cmd string) []string { return strings.Fields(string(t.run(cmd, nil))) }
	inv := inventory{
		files:    lines("find /etc /usr/bin /usr/sbin /usr/lib/x86_64-linux-gnu -maxdepth 1 -type f | sort | head -400"),
		packages: lines("dpkg-query -W -f='${Package}\\n' | sort | head -300"),
		services: lines("systemctl list-units --type=service --state=running --no-legend --plain | awk '{print $1}'"),
		users:    lines("getent passwd | cut -d: -f1"),
		groups:   lines("getent group | cut -d: -f1"),
		modules:  lines("for m in " + strings.Join(moduleNames, " ") + "; do [ -d /sys/module/$m ] && echo $m; done; true"),
	}
	sums := lines("find /etc -maxdepth 1 -type f -perm -004 | sort | head -40 | xargs -r sha256sum --")
	for i := 0; i+1 < len(sums); i += 2 {
		inv.digests = append(inv.digests, digest{path: sums[i+1], sha256: sums[i]})
	}
	var read strings.Builder
	for _, name := range paramNames {
		fmt.Fprintf(&read, "v=$(cat %s 2>/dev/null) && printf '%%s\\t%%s\\n' %s \"$v\"\n", sysctlFile(name), name)
	}
	for _, l := range strings.Split(string(t.run(read.String(), nil)), "\n") {
		name, value, _ := strings.Cut(l, "\t")
		if len(strings.Fields(value)) == 1 {
			inv.params = append(inv.params, kernelParam{name, value})
		}
	}
	// the names of /etc/hosts and the host's own name, which getent resolves without asking DNS
	// (the target's network namespace reaches no DNS server); localhost too, where it resolves
	for _, name := range lines(`for n in localhost $(cat /proc/sys/kernel/hostname) $(getent hosts | cut -s -d' ' -f2-); do
			getent ahosts "$n" >/dev/null && echo "$n"; done; true`) {
		if c := (&check.DNS{Name: name}); len(c.Validate()) == 0 && !oneOf(name, inv.names) {
			inv.names = append(inv.names, name)
		}
	}
	for what, list := range map[string]int{"files": len(inv.files), "packages": len(inv.packages), "running services": len(inv.services),
		"users": len(inv.users), "groups": len(inv.groups), "files of /etc to digest": len(inv.digests),
		"kernel parameters of the list": len(inv.params), "kernel modules of the list in /sys/module": len(inv.modules),
		"host names that resolve": len(inv.names)} {
		if list == 0 {
			log.Fatalf("bench: the image has no %s to check", what)
		}
	}
	return inv
}

func oneOf(s string, list []string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// pick takes the i-th of a list, going round.
func pick[T any](list []T, i int) T { return list[i%len(list)] }

// mix returns n checks in the proportions of benchmix.Shares. All of them pass on the benchmark's target.
func (inv inventory) mix(n int) []check.Check {
	var checks []check.Check
	nth := map[string]int{} // how many checks of each kind so far
	for i := 0; i < n; i++ {
		kind := benchmix.Kind(i)
		checks = append(checks, inv.check(kind, nth[kind]))
		nth[kind]++
	}
	return checks
}

// check is the j-th check of a kind in the mix.
func (inv inventory) check(kind string, j int) check.Check {
	switch kind {
	case "file":
		if j%6 == 5 {
			d := pick(inv.digests, j/6)
			return &check.File{Path: d.path, Type: "file", SHA256: d.sha256}
		}
		return &check.File{Path: pick(inv.files, j), Type: "file"}
	case "package":
		return &check.Package{Name: pick(inv.packages, j)}
	case "service":
		return &check.Service{Name: pick(inv.services, j)}
	case "port":
		return &check.Port{Port: pick([]int{22, 80}, j)}
	case "user":
		return &check.User{Name: pick(inv.users, j)}
	case "group":
		return &check.Group{Name: pick(inv.groups, j)}
	case "command":
		return &check.Command{Run: fmt.Sprintf("grep -q root /etc/passwd && echo %d", j)}
	case "process":
		// nginx's master runs as root, its workers as www-data
		p := pick([]check.Process{{Name: "nginx", User: "root"}, {Name: "nginx", User: "www-data"}, {Name: "sshd"}, {Name: "cron"}}, j)
		return &p
	case "kernel_param":
		p := pick(inv.params, j)
		return &check.KernelParam{Name: p.name, Value: &p.value}
	case "kernel_module":
		return &check.KernelModule{Name: pick(inv.modules, j)}
	case "mount":
		m := pick([]check.Mount{{Path: "/"}, {Path: "/proc", Filesystem: "proc", Options: []string{"nosuid", "nodev", "noexec"}},
			{Path: "/tmp", Filesystem: "tmpfs", Options: []string{"nosuid", "nodev"}}}, j)
		return &m
	case "interface":
		// only lo: the target's /sys/class/net is the host's, whose other interfaces it does not have
		if j%2 == 0 {
			mtu := 65536
			return &check.Interface{Name: "lo", MTU: &mtu}
		}
		return &check.Interface{Name: "lo", Addresses: []string{"127.0.0.1/8", "::1/128"}}
	case "http":
		// a URL of its own for each check, so that each is a request, in assert and in goss alike
		return &check.HTTP{URL: fmt.Sprintf("http://127.0.0.1/?check=%d", j)}
	case "dns":
		return &check.DNS{Name: pick(inv.names, j)}
	case "addr":
		return &check.Addr{Address: "127.0.0.1", Port: pick([]int{80, 22}, j)}
	case "os":
		return &check.OS{Family: "debian", Version: ">= 12"}
	}
	panic("no checks of kind " + kind + " in the mix")
}

// hcl writes a check as a block of the provisioner.
func hcl(c check.Check) string {
	attrs := func(block string, lines ...string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "    %s {\n", block)
		for _, l := range lines {
			if l != "" {
				b.WriteString("      " + l + "\n")
			}
		}
		return b.String() + "    }\n"
	}
	str := func(name, value string) string {
		if value == "" {
			return ""
		}
		return fmt.Sprintf("%s = %q", name, value)
	}
	list := func(name string, values []string) string {
		if len(values) == 0 {
			return ""
		}
		quoted := make([]string, len(values))
		for i, v := range values {
			quoted[i] = fmt.Sprintf("%q", v)
		}
		return fmt.Sprintf("%s = [%s]", name, strings.Join(quoted, ", "))
	}
	switch c := c.(type) {
	case *check.File:
		return attrs("file", str("path", c.Path), str("type", c.Type), str("sha256", c.SHA256))
	case *check.Package:
		return attrs("package", str("name", c.Name))
	case *check.Service:
		return attrs("service", str("name", c.Name), "running = true")
	case *check.Port:
		return attrs("port", fmt.Sprintf("port = %d", c.Port))
	case *check.User:
		return attrs("user", str("name", c.Name))
	case *check.Group:
		return attrs("group", str("name", c.Name))
	case *check.Command:
		return attrs("command", str("run", c.Run))
	case *check.Process:
		return attrs("process", str("name", c.Name), str("user", c.User))
	case *check.KernelParam:
		return attrs("kernel_param", str("name", c.Name), str("value", *c.Value))
	case *check.KernelModule:
		return attrs("kernel_module", str("name", c.Name))
	case *check.Mount:
		return attrs("mount", str("path", c.Path), str("filesystem", c.Filesystem), list("options", c.Options))
	case *check.Interface:
		mtu := ""
		if c.MTU != nil {
			mtu = fmt.Sprintf("mtu = %d", *c.MTU)
		}
		return attrs("interface", str("name", c.Name), mtu, list("addresses", c.Addresses))
	case *check.HTTP:
		return attrs("http", str("url", c.URL))
	case *check.DNS:
		return attrs("dns", str("name", c.Name))
	case *check.Addr:
		return attrs("addr", str("address", c.Address), fmt.Sprintf("port = %d", c.Port))
	case *check.OS:
		return attrs("os", str("family", c.Family), str("version", c.Version))
	}
	panic(fmt.Sprintf("no HCL for %T", c))
}
