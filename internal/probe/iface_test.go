package probe

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// ifaceRecords are the records of a probe on the host or in the namespace of record.d/iface.sh
// ("" or "ns-"): /proc/net/dev, sysfs (the MTU of each interface of mtus, and every other one
// missing), /proc/net/if_inet6 and the output of the IPv4 tool, a fixture named by four ("" for
// none). names are the interfaces the plan asked about, in order.
func ifaceRecords(t *testing.T, place, four string, names []string, mtus map[string]string) records {
	t.Helper()
	dev, devErr, devStatus := recorded(t, "iface-"+place+"proc-net-dev")
	six, sixErr, sixStatus := recorded(t, "iface-"+place+"if-inet6")
	r := recs("iface.sysfs", "-", "", "iface.devstatus", "-", devStatus, "iface.dev", "-", dev, "iface.deverr", "-", devErr,
		"iface.sixstatus", "-", sixStatus, "iface.six", "-", six, "iface.sixerr", "-", sixErr)
	// sysfs of the same namespace lists what /proc/net/dev does
	if listed, err := netDevNames(r); err == "" {
		var sys []string
		for n := range listed {
			sys = append(sys, n)
		}
		r[key{"iface.sysnames", "-"}] = []byte(strings.Join(sys, "\n") + "\n")
	}
	for i, name := range names {
		if mtu, ok := mtus[name]; ok {
			r[key{"iface.mtu", strconv.Itoa(i)}] = []byte(mtu)
		} else {
			r[key{"iface.missing", strconv.Itoa(i)}] = nil
		}
	}
	if four != "" {
		out, stderr, status := recorded(t, four)
		tool := "ip"
		if strings.Contains(four, "ifconfig") {
			tool = "ifconfig"
		}
		r[key{"iface." + tool + "status", "-"}] = []byte(status)
		r[key{"iface." + tool, "-"}] = []byte(out)
		r[key{"iface." + tool + "err", "-"}] = []byte(stderr)
	}
	return r
}

// ifaceVerdict summarises an interface: "error: …", "missing", or "mtu N: ADDRESSES".
func ifaceVerdict(f InterfaceFacts) string {
	switch {
	case f.Err != "":
		return "error: " + f.Err
	case !f.Exists:
		return "missing"
	}
	var addrs []string
	for _, a := range f.Addresses {
		addrs = append(addrs, a.String())
	}
	s := "mtu " + strconv.Itoa(f.MTU) + ": " + strings.Join(addrs, " ")
	if f.FourErr != "" {
		s += " (IPv4: " + f.FourErr + ")"
	}
	if f.SixErr != "" {
		s += " (IPv6: " + f.SixErr + ")"
	}
	return s
}

func mustRecorded(t *testing.T, name string) string {
	out, _, _ := recorded(t, name)
	return strings.TrimSpace(out)
}

// The host's own interfaces, with iproute2's ip and busybox's.
func TestInterfacesFromRealTools(t *testing.T) {
	lo := mustRecorded(t, "iface-mtu-lo")
	for _, four := range []string{"iface-ip-addr", "iface-ip-addr-busybox"} {
		t.Run(four, func(t *testing.T) {
			names := []string{"lo", "eth0", "ifb0", "nosuch0"}
			p := NewPlan()
			var hs []Fact[InterfaceFacts]
			for _, n := range names {
				hs = append(hs, p.Interface(n, true, true))
			}
			f := parsed(p, ifaceRecords(t, "", four, names, map[string]string{"lo": lo, "eth0": "1400", "ifb0": "1500"}))
			for i, want := range []string{
				"mtu 65536: 127.0.0.1/8 ::1/128",
				"mtu 1400: 192.0.2.2/24 fd00::2/64 fe80::fc:ff:fe00:1/64",
				"mtu 1500: ",
				"missing",
			} {
				if got := ifaceVerdict(get(t, f, hs[i])); got != want {
					t.Errorf("%s:\ngot  %s\nwant %s", names[i], got, want)
				}
			}
			if got := get(t, f, hs[0]); got.FourFrom != "ip" {
				t.Errorf("IPv4 from %q", got.FourFrom)
			}
		})
	}
}

// Interfaces made in a network namespace of their own: a secondary address, one with a label,
// one with a peer, and a veth whose only address is its link-local one.
func TestInterfacesInANamespaceFromIP(t *testing.T) {
	mtu := mustRecorded(t, "iface-ns-mtu")
	for _, four := range []string{"iface-ns-ip-addr", "iface-ns-ip-addr-busybox"} {
		t.Run(four, func(t *testing.T) {
			names := []string{"rec0", "rec1", "lo"}
			p := NewPlan()
			rec0, rec1, lo := p.Interface("rec0", true, true), p.Interface("rec1", true, false), p.Interface("lo", false, false)
			f := parsed(p, ifaceRecords(t, "ns-", four, names, map[string]string{"rec0": mtu, "rec1": "1500", "lo": "65536"}))
			got := ifaceVerdict(get(t, f, rec0))
			if !strings.HasPrefix(got, "mtu 9000: 10.9.8.7/24 10.9.9.1/32 10.9.8.8/24 10.9.8.9/24 fd00:9::5/64 fe80::") {
				t.Errorf("rec0: %s", got)
			}
			if got := ifaceVerdict(get(t, f, rec1)); got != "mtu 1500: " { // IPv4 only was asked for
				t.Errorf("rec1: %s", got)
			}
			if got := ifaceVerdict(get(t, f, lo)); got != "mtu 65536: " { // no addresses asked for
				t.Errorf("lo: %s", got)
			}
		})
	}
}

// Without ip, ifconfig (net-tools 2.10 and busybox) shows the first IPv4 address of an interface
// and those with a label of their own, not the secondary one or the one with a peer.
func TestInterfacesFromIfconfig(t *testing.T) {
	for _, four := range []string{"iface-ns-ifconfig", "iface-ns-ifconfig-busybox"} {
		t.Run(four, func(t *testing.T) {
			p := NewPlan()
			rec0, lo := p.Interface("rec0", true, false), p.Interface("lo", true, false)
			f := parsed(p, ifaceRecords(t, "ns-", four, []string{"rec0", "lo"}, map[string]string{"rec0": "9000", "lo": "65536"}))
			if got := ifaceVerdict(get(t, f, rec0)); got != "mtu 9000: 10.9.8.7/24 10.9.8.9/24" {
				t.Errorf("rec0: %s", got)
			}
			if got := get(t, f, lo); ifaceVerdict(got) != "mtu 65536: 127.0.0.1/8" || got.FourFrom != "ifconfig" {
				t.Errorf("lo: %s from %q", ifaceVerdict(got), got.FourFrom)
			}
		})
	}
	// the host's, with longer names and interfaces without IPv4 addresses
	for _, four := range []string{"iface-ifconfig", "iface-ifconfig-busybox"} {
		p := NewPlan()
		h, e := p.Interface("assert-e2e-h", true, false), p.Interface("ifb0", true, false)
		f := parsed(p, ifaceRecords(t, "", four, []string{"assert-e2e-h", "ifb0"}, map[string]string{"assert-e2e-h": "1500", "ifb0": "1500"}))
		if got := ifaceVerdict(get(t, f, h)); got != "mtu 1500: 10.200.81.1/30" {
			t.Errorf("%s: assert-e2e-h: %s", four, got)
		}
		if got := ifaceVerdict(get(t, f, e)); got != "mtu 1500: " {
			t.Errorf("%s: ifb0: %s", four, got)
		}
	}
}

// Where the IPv4 addresses cannot be listed, asking for them is an error that says why, and the
// IPv6 ones are still known. ip's failure is modelled on iproute2's rtnl_open_byproto
// (lib/libnetlink.c), which prints "Cannot open netlink socket: …" and makes ip exit with 1.
func TestInterfaceIPv4ThatCannotBeListed(t *testing.T) {
	cfg, cfgErr, cfgStatus := recorded(t, "iface-ns-ifconfig")
	for _, tt := range []struct {
		name string
		kv   []string
		want string
	}{
		{"no_tools", nil, "the image has no ip(8); and no ifconfig(8)"},
		{"ip_fails", []string{"iface.ipstatus", "-", "1", "iface.ip", "-", "", "iface.iperr", "-", "Cannot open netlink socket: Permission denied\n"},
			"ip -o addr show failed (exit status 1): Cannot open netlink socket: Permission denied; and no ifconfig(8)"},
		{"ip_fails_ifconfig_too", []string{"iface.ipstatus", "-", "1", "iface.ip", "-", "", "iface.iperr", "-", "Cannot open netlink socket: Permission denied\n",
			"iface.ifconfigstatus", "-", "1", "iface.ifconfig", "-", "", "iface.ifconfigerr", "-", "ifconfig: socket: Permission denied\n"},
			"ifconfig -a failed (exit status 1): ifconfig: socket: Permission denied"},
		{"ip_fails_ifconfig_works", []string{"iface.ipstatus", "-", "1", "iface.ip", "-", "", "iface.iperr", "-", "Cannot open netlink socket: Permission denied\n",
			"iface.ifconfigstatus", "-", cfgStatus, "iface.ifconfig", "-", cfg, "iface.ifconfigerr", "-", cfgErr}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPlan()
			h := p.Interface("rec0", true, true)
			r := ifaceRecords(t, "ns-", "", []string{"rec0"}, map[string]string{"rec0": "9000"})
			for k, v := range recs(tt.kv...) {
				r[k] = v
			}
			got := get(t, parsed(p, r), h)
			if !strings.Contains(got.FourErr, tt.want) || (tt.want == "") != (got.FourErr == "") {
				t.Errorf("got %q, want %q", got.FourErr, tt.want)
			}
			if got.SixErr != "" || len(got.Addresses) < 2 {
				t.Errorf("the IPv6 addresses are lost: %+v", got)
			}
		})
	}
}

// sysfs mounted in another network namespace (recorded: unshare --net without mounting sysfs
// again) shows other interfaces than /proc/net/dev: an error, never a missing interface.
func TestInterfaceWhereSysfsIsAnotherNamespaces(t *testing.T) {
	_, stderr, status := recorded(t, "iface-ns-stale-sysfs")
	if status == "0" || !strings.Contains(stderr, "No such file") {
		t.Fatalf("the fixture no longer shows the point: %s %s", status, stderr)
	}
	p := NewPlan()
	rec0, eth0 := p.Interface("rec0", false, false), p.Interface("eth0", false, false)
	// sysfs has no rec0, as the fixture shows, but the host's eth0, which /proc/net/dev lacks
	f := parsed(p, ifaceRecords(t, "ns-", "", []string{"rec0", "eth0"}, map[string]string{"eth0": "1400"}))
	for name, h := range map[string]Fact[InterfaceFacts]{"rec0": rec0, "eth0": eth0} {
		if got := get(t, f, h); !strings.Contains(got.Err, "sysfs was mounted in another network namespace") {
			t.Errorf("%s: %+v", name, got)
		}
	}
}

// IPv6: an address whose duplicate address detection failed is marked; IPv6 turned off by sysctl
// leaves the table empty; IPv6 off in the kernel leaves no table (modelled: the kernel makes
// /proc/net/if_inet6 and /proc/sys/net/ipv6 only when IPv6 is on, net/ipv6/addrconf.c), which is
// no addresses only when /proc/sys/net is there and /proc/sys/net/ipv6 is not.
func TestInterfaceIPv6Table(t *testing.T) {
	dad, _, _ := recorded(t, "iface-ns-if-inet6-dadfailed")
	p := NewPlan()
	rec0, rec1 := p.Interface("rec0", false, true), p.Interface("rec1", false, true)
	r := ifaceRecords(t, "ns-", "", []string{"rec0", "rec1"}, map[string]string{"rec0": "1500", "rec1": "1500"})
	r[key{"iface.six", "-"}] = []byte(dad)
	f := parsed(p, r)
	if got := ifaceVerdict(get(t, f, rec0)); !strings.Contains(got, "fd00:9::7/64 (duplicate address detection failed)") {
		t.Errorf("rec0: %s", got)
	}
	if got := ifaceVerdict(get(t, f, rec1)); !strings.Contains(got, "fd00:9::7/64") || strings.Contains(got, "failed") {
		t.Errorf("rec1: %s", got)
	}
	// ip's inet6 lines (dadfailed) are read from the kernel's table, not from ip
	ip, _, _ := recorded(t, "iface-ns-ip-addr-dadfailed")
	if found, err := parseIPAddr(ip); err != "" || len(found["rec0"]) != 0 || len(found["lo"]) != 1 {
		t.Errorf("ip: %v %s", found, err)
	}

	off, _, offStatus := recorded(t, "iface-ns-ipv6-disabled")
	r[key{"iface.six", "-"}], r[key{"iface.sixstatus", "-"}] = []byte(off), []byte(offStatus)
	if got := get(t, parsed(p, r), rec0); got.SixErr != "" || len(got.Addresses) != 0 || got.Err != "" {
		t.Errorf("IPv6 off by sysctl: %+v", got)
	}

	r[key{"iface.six", "-"}], r[key{"iface.sixstatus", "-"}] = nil, []byte("1")
	r[key{"iface.sixerr", "-"}] = []byte("cat: /proc/net/if_inet6: No such file or directory\n")
	if got := get(t, parsed(p, r), rec0); got.SixErr == "" {
		t.Errorf("no table, and nothing says IPv6 is off: %+v", got)
	}
	r[key{"iface.sixoff", "-"}] = nil
	if got := get(t, parsed(p, r), rec0); got.SixErr != "" || !got.SixOff {
		t.Errorf("IPv6 off in the kernel: %+v", got)
	}
	r[key{"iface.sixerr", "-"}] = []byte("cat: /proc/net/if_inet6: Input/output error\n")
	if got := get(t, parsed(p, r), rec0); got.SixErr == "" {
		t.Errorf("a table that cannot be read: %+v", got)
	}
}

// Ways an interface could look seen when it was not: each is an error.
func TestInterfaceFactsThatWereNotSeen(t *testing.T) {
	ip, _, _ := recorded(t, "iface-ns-ip-addr")
	six, _, _ := recorded(t, "iface-ns-if-inet6")
	dev, _, _ := recorded(t, "iface-ns-proc-net-dev")
	base := func() records {
		return ifaceRecords(t, "ns-", "iface-ns-ip-addr", []string{"rec0"}, map[string]string{"rec0": "9000"})
	}
	for _, tt := range []struct {
		name   string
		change func(r records)
		field  func(f InterfaceFacts) string
	}{
		{"no_sysfs", func(r records) { delete(r, key{"iface.sysfs", "-"}) }, errOf},
		{"no_proc", func(r records) {
			r[key{"iface.devstatus", "-"}], r[key{"iface.deverr", "-"}] = []byte("1"), []byte("cat: /proc/net/dev: No such file or directory\n")
		}, errOf},
		{"proc_net_dev_garbage", func(r records) { r[key{"iface.dev", "-"}] = []byte("garbage\n") }, errOf},
		{"proc_net_dev_cut", func(r records) { r[key{"iface.dev", "-"}] = []byte(dev[:len(dev)-120]) }, errOf},
		{"nothing_said_of_it", func(r records) { delete(r, key{"iface.mtu", "0"}) }, errOf},
		{"mtu_unreadable", func(r records) {
			delete(r, key{"iface.mtu", "0"})
			r[key{"iface.mtuerr", "0"}] = []byte("sh: 1: cannot open /sys/class/net/rec0/mtu: Permission denied\n")
		}, func(f InterfaceFacts) string { return f.MTUErr }},
		{"mtu_garbage", func(r records) { r[key{"iface.mtu", "0"}] = []byte("lots") }, func(f InterfaceFacts) string { return f.MTUErr }},
		{"ip_garbage", func(r records) { r[key{"iface.ip", "-"}] = []byte("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n") }, fourErrOf},
		{"ip_cut", func(r records) { r[key{"iface.ip", "-"}] = []byte(ip[:strings.Index(ip, "10.9.8.7")+4]) }, fourErrOf},
		{"ip_no_prefix", func(r records) { r[key{"iface.ip", "-"}] = []byte("3: rec0    inet 10.9.8.7 scope global rec0\n") }, fourErrOf},
		{"if_inet6_garbage", func(r records) { r[key{"iface.six", "-"}] = []byte("fd00 03 40 00 82 rec0\n") }, sixErrOf},
		{"if_inet6_cut", func(r records) { r[key{"iface.six", "-"}] = []byte(six[:len(six)-3]) }, sixErrOf},
		{"no_ipv6_report", func(r records) { delete(r, key{"iface.sixstatus", "-"}) }, sixErrOf},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPlan()
			h := p.Interface("rec0", true, true)
			r := base()
			tt.change(r)
			if got := get(t, parsed(p, r), h); tt.field(got) == "" {
				t.Errorf("no error: %+v", got)
			}
		})
	}
	p := NewPlan()
	h := p.Interface("lo", true, true)
	if got := get(t, parsed(p, records{}), h); got.Err == "" {
		t.Errorf("no records, yet %+v", got)
	}
}

func errOf(f InterfaceFacts) string     { return f.Err }
func fourErrOf(f InterfaceFacts) string { return f.FourErr }
func sixErrOf(f InterfaceFacts) string  { return f.SixErr }

func TestInterfaceNames(t *testing.T) {
	for name, ok := range map[string]bool{"lo": true, "eth0": true, "enp0s31f6": true, "wg-vpn.1@x": true, "abcdefghijklmno": true,
		"": false, ".": false, "..": false, "abcdefghijklmnop": false, "eth0:1": false, "a/b": false, "a b": false, "a\nb": false} {
		if InterfaceNameOK(name) != ok {
			t.Errorf("InterfaceNameOK(%q) = %v", name, !ok)
		}
	}
	p := NewPlan()
	p.Interface("../../../etc", false, false)
	if _, err := Render(p); err == nil {
		t.Error("a name with slashes was rendered")
	}
	for mask, bits := range map[[4]byte]int{{255, 255, 255, 0}: 24, {255, 255, 255, 255}: 32, {0, 0, 0, 0}: 0, {255, 0, 255, 0}: -1, {255, 255, 255, 252}: 30} {
		if got := maskBits(mask); got != bits {
			t.Errorf("maskBits(%v) = %d, want %d", mask, got, bits)
		}
	}
}

// ifaceNamespaceSetup makes the interfaces of record.d/iface.sh in a network namespace, and mounts
// sysfs again unless $1 is "stale".
const ifaceNamespaceSetup = `set -e
ip link set lo up
ip link add rec0 type veth peer name rec1
ip link set rec0 mtu 9000
ip addr add 10.9.8.7/24 dev rec0
ip addr add 10.9.8.8/24 dev rec0
ip addr add 10.9.8.9/24 dev rec0 label rec0:1
ip addr add 10.9.9.1 peer 10.9.9.2/32 dev rec0
ip addr add fd00:9::5/64 dev rec0 nodad
ip link set rec0 up
[ "$1" = stale ] || mount -t sysfs sysfs /sys
`

// runInNetNamespace runs the probe of p with shell as sh, with PATH, in network and mount
// namespaces of its own, set up by ifaceNamespaceSetup.
func runInNetNamespace(t *testing.T, shell, path, how string, p *Plan) *Facts {
	t.Helper()
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(shell, filepath.Join(bin, "sh")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("unshare", "--net", "--mount", "--fork", "--propagation", "private", "sh", "-c",
		ifaceNamespaceSetup+"\nexport PATH=\"$2\"\nexec \"$0\" -c \"$3\"", shell, how, bin+":"+path, RemoteCommand(script, false))
	f, _ := runProbe(t, cmd, p, script)
	return f
}

// TestProbeInterfacesLocally runs the probe with dash, bash and busybox sh: on the host's own
// loopback interface, and in network namespaces of the test's own with the interfaces of the
// recordings, with sysfs mounted again and without (where it shows the host's interfaces).
func TestProbeInterfacesLocally(t *testing.T) {
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p := NewPlan()
			lo, nosuch := p.Interface("lo", true, true), p.Interface("nosuch0", true, true)
			f, _ := runLocal(t, sh, p)
			got := get(t, f, lo)
			if !got.Exists || got.MTU != 65536 || got.Err != "" || got.MTUErr != "" {
				t.Errorf("lo: %+v", got)
			}
			var addrs []string
			for _, a := range got.Addresses {
				addrs = append(addrs, a.String())
			}
			if s := strings.Join(addrs, " "); !strings.Contains(s, "127.0.0.1/8") || !strings.Contains(s, "::1/128") {
				t.Errorf("lo: %s", s)
			}
			if got := get(t, f, nosuch); got.Exists || got.Err != "" {
				t.Errorf("nosuch0: %+v", got)
			}
			if _, err := exec.LookPath("unshare"); err != nil || os.Geteuid() != 0 {
				t.Skip("needs root and unshare(1) for network namespaces")
			}
			p = NewPlan()
			rec0, rec1 := p.Interface("rec0", true, true), p.Interface("rec1", true, true)
			f = runInNetNamespace(t, sh, os.Getenv("PATH"), "", p)
			if got := ifaceVerdict(get(t, f, rec0)); !strings.HasPrefix(got, "mtu 9000: 10.9.8.7/24 10.9.9.1/32 10.9.8.8/24 10.9.8.9/24 fd00:9::5/64") {
				t.Errorf("rec0: %s", got)
			}
			if got := get(t, f, rec1); !got.Exists || got.MTU != 1500 {
				t.Errorf("rec1: %+v", got)
			}
			f = runInNetNamespace(t, sh, os.Getenv("PATH"), "stale", p)
			if got := get(t, f, rec0); !strings.Contains(got.Err, "another network namespace") {
				t.Errorf("rec0 with the host's sysfs: %+v", got)
			}
		})
	}
}

// With busybox alone, the IPv4 addresses come from busybox's ip. busybox sh runs its own applets
// whatever PATH says, and so does busybox setsid, so the image without ip (whose IPv4 addresses
// come from ifconfig), and without either (where asking for them is an error), is dash with
// busybox's other applets but setsid.
func TestProbeInterfacesWithBusyboxOnly(t *testing.T) {
	p := NewPlan()
	lo := p.Interface("lo", true, true)
	got := get(t, runBusyboxOnly(t, p), lo)
	if s := ifaceVerdict(got); !strings.HasPrefix(s, "mtu 65536: 127.0.0.1/8 ::1/128") || got.FourFrom != "ip" {
		t.Errorf("lo: %s from %s", s, got.FourFrom)
	}
	dash, err := exec.LookPath("dash")
	if err != nil {
		t.Skip("no dash")
	}
	for _, drop := range [][]string{{"ip"}, {"ip", "ifconfig"}} {
		t.Run("without_"+strings.Join(drop, "_"), func(t *testing.T) {
			bin := busyboxOnly(t)
			for _, applet := range append(drop, "sh", "setsid") {
				os.Remove(filepath.Join(bin, applet))
			}
			copyFile(t, dash, filepath.Join(bin, "sh"))
			script, _ := Render(p)
			hide := `for d in /usr/local/bin /usr/local/sbin /usr/sbin /usr/bin; do mount -t tmpfs none "$d" || exit 1; done; exec "$0" -c "$1"`
			cmd := exec.Command("unshare", "--mount", "--fork", "--propagation", "private", "sh", "-c", hide, filepath.Join(bin, "sh"), RemoteCommand(script, false))
			cmd.Env = []string{"PATH=" + bin, "TMPDIR=" + t.TempDir()}
			f, _ := runProbe(t, cmd, p, script)
			got := get(t, f, lo)
			s := ifaceVerdict(got)
			if len(drop) == 1 && (!strings.HasPrefix(s, "mtu 65536: 127.0.0.1/8 ::1/128") || got.FourFrom != "ifconfig") {
				t.Errorf("lo: %s from %s", s, got.FourFrom)
			}
			if len(drop) == 2 && (!strings.Contains(got.FourErr, "the image has no ip(8); and no ifconfig(8)") || !strings.Contains(s, "::1/128")) {
				t.Errorf("lo without ip or ifconfig: %s", s)
			}
		})
	}
}

// TestInterfaceMTUFromAnotherNamespacesSysfsIsNotTaken: where sysfs lists the interfaces of
// another namespace (names that /proc/net/dev does not have), the MTU it shows even for a name
// both have (lo) is another namespace's: the MTU comes from ip -o link (netlink, the probe's own
// namespace), and without ip it is an error. The ip -o link lines are modelled on iproute2's
// output format (ip-link(8)), busybox's being the same.
func TestInterfaceMTUFromAnotherNamespacesSysfsIsNotTaken(t *testing.T) {
	dev := "Inter-|   Receive\n face |bytes\n    lo: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n  eth0: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
	base := func() records {
		return recs("iface.sysfs", "-", "", "iface.sysnames", "-", "lo\neth0\nhost-only0\n",
			"iface.devstatus", "-", "0", "iface.dev", "-", dev, "iface.deverr", "-", "",
			"iface.mtu", "0", "65536")
	}
	p := NewPlan()
	h := p.Interface("lo", false, false)
	if got := ifaceVerdict(get(t, parsed(p, base()), h)); got != "mtu 0: " {
		t.Errorf("without ip: %s", got)
	} else if f := get(t, parsed(p, base()), h); !strings.Contains(f.MTUErr, "another network namespace") {
		t.Errorf("without ip, MTUErr = %q", f.MTUErr)
	}
	r := base()
	r[key{"iface.linkstatus", "-"}] = []byte("0")
	r[key{"iface.link", "-"}] = []byte("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 1280 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n" +
		"5: eth0@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 5e:2e:fa:de:89:ad brd ff:ff:ff:ff:ff:ff link-netnsid 0\n")
	if f := get(t, parsed(p, r), h); f.MTU != 1280 || f.MTUErr != "" {
		t.Errorf("with ip: %+v", f)
	}
}
