package probe

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// InterfaceFacts describe a network interface of the probe's network namespace.
type InterfaceFacts struct {
	Exists bool
	Err    string // why it could not be told whether the interface exists
	MTU    int
	MTUErr string // why the MTU could not be read
	// The addresses of the families asked for, IPv4 and IPv6, in the order the tools listed them.
	Addresses []InterfaceAddress
	// Why the interface's IPv4 or IPv6 addresses are not known, when they were asked for.
	FourErr, SixErr string
	// Where the IPv4 addresses come from: "ip" (every address) or "ifconfig", which shows only
	// the first address of an interface and those with a label of their own.
	FourFrom string
	SixOff   bool // IPv6 is off in the kernel: no interface has an IPv6 address
}

// An InterfaceAddress is an address of an interface and the length of its prefix.
type InterfaceAddress struct {
	Addr netip.Addr
	Bits int // the prefix length, as in 10.0.0.5/24; -1 where the tool did not show it
	// Duplicate address detection failed (IPv6): the address is configured but not in use.
	DADFailed bool
}

func (a InterfaceAddress) String() string {
	s := a.Addr.String()
	if a.Bits >= 0 {
		s += "/" + strconv.Itoa(a.Bits)
	}
	if a.DADFailed {
		s += " (duplicate address detection failed)"
	}
	return s
}

var ifaceKind = register("interface", "iface", func() gatherer { return &ifaces{} })

type ifaceRequest struct {
	name      string
	four, six bool
}

type ifaces struct{ requests[ifaceRequest] }

// Interface asks whether the network interface name exists, for its MTU and, with four or six,
// for its IPv4 or IPv6 addresses.
func (p *Plan) Interface(name string, four, six bool) Fact[InterfaceFacts] {
	g := part[*ifaces](p, ifaceKind)
	id, _ := g.add(name, ifaceRequest{name: name})
	g.list[id].four = g.list[id].four || four
	g.list[id].six = g.list[id].six || six
	return newFact[InterfaceFacts](p, ifaceKind, id)
}

// InterfaceNameOK reports whether name can be the name of a network interface, as the kernel's
// dev_valid_name decides: 1 to 15 bytes, not "." or "..", without slashes, colons or white space.
func InterfaceNameOK(name string) bool {
	if name == "" || len(name) > 15 || name == "." || name == ".." {
		return false
	}
	return !strings.ContainsAny(name, "/: \t\n\v\f\r\x00")
}

func (g *ifaces) render(s *script) {
	s.call(&s.main, "ifs")
	four, six := false, false
	for i, req := range g.list {
		if !InterfaceNameOK(req.name) && s.err == nil {
			s.err = fmt.Errorf("%q is not the name of a network interface", req.name)
		}
		s.call(&s.main, "ifm", strconv.Itoa(i), req.name)
		four, six = four || req.four, six || req.six
	}
	if six {
		s.call(&s.main, "ifsix")
	}
	if four {
		s.call(&s.main, "iffour")
	}
}

func (g *ifaces) parse(r records) any {
	facts := make([]InterfaceFacts, len(g.list))
	dev, devErr := netDevNames(r)
	var four, six map[string][]InterfaceAddress
	var fourErr, sixErr, fourFrom string
	var sixOff bool
	for _, req := range g.list {
		if req.four && four == nil && fourErr == "" {
			four, fourFrom, fourErr = fourAddresses(r)
		}
		if req.six && six == nil && sixErr == "" {
			six, sixOff, sixErr = sixAddresses(r)
		}
	}
	sysAgrees := sysfsAgrees(r, dev)
	linkMTU := linkMTUs(r)
	for i, req := range g.list {
		f := &facts[i]
		_, inDev := dev[req.name]
		mtu, hasMTU := r.text("iface.mtu", i)
		mtuErr, hasMTUErr := r.text("iface.mtuerr", i)
		missing := r.has("iface.missing", i)
		switch {
		case !r.has("iface.sysfs", "-"):
			f.Err = "cannot see /sys/class/net (is /sys mounted?)"
			continue
		case devErr != "":
			f.Err = devErr
			continue
		case !missing && !hasMTU && !hasMTUErr:
			f.Err = "the probe did not report whether the interface exists"
			continue
		case missing == inDev:
			f.Err = fmt.Sprintf("/sys/class/net and /proc/net/dev disagree whether %s exists: "+
				"sysfs was mounted in another network namespace than the probe's", req.name)
			continue
		}
		f.Exists = !missing
		if !f.Exists {
			continue
		}
		// sysfs of another namespace may list the same name (lo) with that namespace's MTU
		n, fromLink := linkMTU[req.name]
		switch {
		case fromLink:
			f.MTU = n
		case !sysAgrees:
			f.MTUErr = "/sys/class/net lists the interfaces of another network namespace than /proc/net/dev does " +
				"(sysfs was mounted in another one), and the image has no ip(8) that would tell the MTU"
		case hasMTU:
			if n, err := strconv.Atoi(mtu); err == nil && n > 0 {
				f.MTU = n
			} else {
				f.MTUErr = fmt.Sprintf("/sys/class/net/%s/mtu holds %q, which is not an MTU", req.name, mtu)
			}
		default:
			f.MTUErr = fmt.Sprintf("cannot read /sys/class/net/%s/mtu: %s", req.name, firstLine(mtuErr, "no reason given"))
		}
		if req.four {
			f.FourErr, f.FourFrom = fourErr, fourFrom
			f.Addresses = append(f.Addresses, four[req.name]...)
		}
		if req.six {
			f.SixErr, f.SixOff = sixErr, sixOff
			f.Addresses = append(f.Addresses, six[req.name]...)
		}
	}
	return facts
}

// netDevNames reads the names of the interfaces in /proc/net/dev: two header lines, then
// "  NAME: counters" (an interface name never holds a colon or a space).
func netDevNames(r records) (map[string]bool, string) {
	status, ok := r.number("iface.devstatus", "-")
	out, gotOut := r.get("iface.dev", "-")
	switch {
	case !ok || !gotOut:
		return nil, "the probe did not report the interfaces of /proc/net/dev"
	case status != 0:
		msg, _ := r.text("iface.deverr", "-")
		return nil, "cannot read /proc/net/dev (is /proc mounted?): " + firstLine(msg, fmt.Sprintf("cat exited with %d", status))
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) < 2 || !strings.Contains(lines[0], "|") || !strings.Contains(lines[1], "|") {
		return nil, fmt.Sprintf("/proc/net/dev starts with %s, not its header", excerpt(out))
	}
	names := map[string]bool{}
	for _, l := range lines[2:] {
		name, _, found := strings.Cut(l, ":")
		name = strings.TrimSpace(name)
		if !found || name == "" {
			return nil, fmt.Sprintf("unexpected line in /proc/net/dev: %s", excerpt([]byte(l)))
		}
		names[name] = true
	}
	return names, ""
}

// sixAddresses reads /proc/net/if_inet6: a line per address, "ADDRESS IFINDEX PREFIXLEN SCOPE
// FLAGS NAME", the address as 32 hex digits and the numbers in hex.
func sixAddresses(r records) (map[string][]InterfaceAddress, bool, string) {
	status, ok := r.number("iface.sixstatus", "-")
	out, gotOut := r.get("iface.six", "-")
	msg, _ := r.text("iface.sixerr", "-")
	switch {
	case !ok || !gotOut:
		return nil, false, "the probe did not report the IPv6 addresses"
	case status != 0 && r.has("iface.sixoff", "-") && strings.Contains(msg, "No such file"):
		return map[string][]InterfaceAddress{}, true, "" // IPv6 is off: no addresses
	case status != 0:
		return nil, false, "cannot read /proc/net/if_inet6: " + firstLine(msg, fmt.Sprintf("cat exited with %d", status))
	}
	const dadFailed = 0x08 // IFA_F_DADFAILED
	found := map[string][]InterfaceAddress{}
	for _, l := range strings.Split(string(out), "\n") {
		if l == "" {
			continue
		}
		f := strings.Fields(l)
		var raw []byte
		var err error
		var bits, flags uint64
		if len(f) == 6 {
			raw, err = hex.DecodeString(f[0])
			if err == nil {
				bits, err = strconv.ParseUint(f[2], 16, 8)
			}
			if err == nil {
				flags, err = strconv.ParseUint(f[4], 16, 32)
			}
		}
		if len(f) != 6 || err != nil || len(raw) != 16 || bits > 128 {
			return nil, false, fmt.Sprintf("unexpected line in /proc/net/if_inet6: %s", excerpt([]byte(l)))
		}
		addr := netip.AddrFrom16([16]byte(raw))
		found[f[5]] = append(found[f[5]], InterfaceAddress{Addr: addr, Bits: int(bits), DADFailed: flags&dadFailed != 0})
	}
	if !strings.HasSuffix(string(out), "\n") && len(out) > 0 {
		return nil, false, "/proc/net/if_inet6 ends in the middle of a line"
	}
	return found, false, ""
}

// fourAddresses reads the IPv4 addresses from ip(8), or from ifconfig(8) where ip is missing or
// failed.
func fourAddresses(r records) (map[string][]InterfaceAddress, string, string) {
	ipStatus, hasIP := r.number("iface.ipstatus", "-")
	if hasIP && ipStatus == 0 {
		out, _ := r.get("iface.ip", "-")
		found, err := parseIPAddr(string(out))
		if err != "" {
			return nil, "", err
		}
		return found, "ip", ""
	}
	var why []string
	if hasIP {
		msg, _ := r.text("iface.iperr", "-")
		why = append(why, fmt.Sprintf("ip -o addr show failed (exit status %d): %s", ipStatus, firstLine(msg, "no reason given")))
	} else {
		why = append(why, "the image has no ip(8)")
	}
	cfgStatus, hasCfg := r.number("iface.ifconfigstatus", "-")
	switch {
	case hasCfg && cfgStatus == 0:
		out, _ := r.get("iface.ifconfig", "-")
		found, err := parseIfconfig(string(out))
		if err != "" {
			return nil, "", err
		}
		return found, "ifconfig", ""
	case hasCfg:
		msg, _ := r.text("iface.ifconfigerr", "-")
		why = append(why, fmt.Sprintf("ifconfig -a failed (exit status %d): %s", cfgStatus, firstLine(msg, "no reason given")))
	default:
		why = append(why, "no ifconfig(8)")
	}
	return nil, "", "cannot list the IPv4 addresses, which the kernel shows in no simple table: " + strings.Join(why, "; and ")
}

// parseIPAddr reads the IPv4 lines of `ip -o addr show` (iproute2's and busybox's):
//
//	3: rec0    inet 10.9.8.7/24 scope global rec0\       valid_lft forever preferred_lft forever
//	3: rec0    inet 10.9.9.1 peer 10.9.9.2/32 scope global rec0\       valid_lft …
//
// An address with a peer has the peer's prefix length. A line cut short, or of another shape, is
// an error: an address must never be missed unnoticed.
func parseIPAddr(out string) (map[string][]InterfaceAddress, string) {
	found := map[string][]InterfaceAddress{}
	for _, l := range strings.Split(out, "\n") {
		if l == "" {
			continue
		}
		f := strings.Fields(l)
		bad := fmt.Sprintf("unexpected line from ip -o addr show: %s", excerpt([]byte(l)))
		if _, err := strconv.Atoi(strings.TrimSuffix(f[0], ":")); len(f) < 4 || !strings.HasSuffix(f[0], ":") || err != nil {
			return nil, bad
		}
		if f[2] != "inet" {
			continue
		}
		name, _, _ := strings.Cut(f[1], "@")
		a := InterfaceAddress{Bits: -1}
		local, bits, hasBits := strings.Cut(f[3], "/")
		addr, err := netip.ParseAddr(local)
		if err != nil || !addr.Is4() {
			return nil, bad
		}
		a.Addr = addr
		if hasBits {
			if a.Bits, err = strconv.Atoi(bits); err != nil || a.Bits < 0 || a.Bits > 32 {
				return nil, bad
			}
		}
		for k := 4; k < len(f) && f[k] != `\`; k++ {
			switch {
			case f[k] == "peer" && k+1 < len(f) && !hasBits:
				if _, pb, ok := strings.Cut(f[k+1], "/"); ok {
					if a.Bits, err = strconv.Atoi(pb); err != nil || a.Bits < 0 || a.Bits > 32 {
						return nil, bad
					}
				}
			case f[k] == "dadfailed":
				a.DADFailed = true
			}
		}
		if a.Bits < 0 { // ip writes the prefix length after the last address it prints
			return nil, bad
		}
		found[name] = append(found[name], a)
	}
	return found, ""
}

// parseIfconfig reads the IPv4 addresses of `ifconfig -a`, in the format of net-tools 2.x
//
//	rec0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 9000
//	        inet 10.9.8.7  netmask 255.255.255.0  broadcast 0.0.0.0
//
// or of busybox and net-tools 1.60
//
//	rec0      Link encap:Ethernet  HWaddr 1A:86:53:EC:81:23
//	          inet addr:10.9.8.7  Bcast:0.0.0.0  Mask:255.255.255.0
//
// An address with a label of its own shows as the interface "rec0:1".
func parseIfconfig(out string) (map[string][]InterfaceAddress, string) {
	found := map[string][]InterfaceAddress{}
	name := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		f := strings.Fields(l)
		if l[0] != ' ' && l[0] != '\t' {
			name = strings.TrimSuffix(f[0], ":")
			name, _, _ = strings.Cut(name, ":") // the label rec0:1 is an address of rec0
			continue
		}
		if f[0] != "inet" {
			continue
		}
		bad := fmt.Sprintf("unexpected line from ifconfig -a: %s", excerpt([]byte(l)))
		if name == "" || len(f) < 2 {
			return nil, bad
		}
		addr, err := netip.ParseAddr(strings.TrimPrefix(f[1], "addr:"))
		if err != nil || !addr.Is4() {
			return nil, bad
		}
		a := InterfaceAddress{Addr: addr, Bits: -1}
		for k := 2; k < len(f); k++ {
			mask := ""
			if f[k] == "netmask" && k+1 < len(f) {
				mask = f[k+1]
			} else if m, ok := strings.CutPrefix(f[k], "Mask:"); ok {
				mask = m
			}
			if m, err := netip.ParseAddr(mask); err == nil && m.Is4() {
				a.Bits = maskBits(m.As4())
			}
		}
		found[name] = append(found[name], a)
	}
	return found, ""
}

// maskBits is the prefix length of a netmask like 255.255.255.0, or -1 for a mask that is not one.
func maskBits(m [4]byte) int {
	v := uint32(m[0])<<24 | uint32(m[1])<<16 | uint32(m[2])<<8 | uint32(m[3])
	n := 0
	for v&0x80000000 != 0 {
		v <<= 1
		n++
	}
	if v != 0 {
		return -1
	}
	return n
}

func (g *ifaces) fake(w *recordWriter) {
	w.line("iface.sysfs", "-", "")
	dev := "Inter-|   Receive                                                |  Transmit\n" +
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
	var ip, six, names strings.Builder
	for i, req := range g.list {
		dev += fmt.Sprintf("%6s: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", req.name)
		names.WriteString(req.name + "\n")
		w.line("iface.mtu", i, "1500")
		fmt.Fprintf(&ip, "%d: %s    inet 10.0.%d.%d/24 brd 10.0.%d.255 scope global %s\\       valid_lft forever preferred_lft forever\n",
			i+2, req.name, i/250, i%250+1, i/250, req.name)
		fmt.Fprintf(&six, "fd00000000000000000000000000%04x %02x 40 00 80 %8s\n", i+1, i+2, req.name)
	}
	w.blob("iface.sysnames", "-", names.String())
	w.line("iface.devstatus", "-", "0")
	w.blob("iface.dev", "-", dev)
	w.blob("iface.deverr", "-", "")
	w.line("iface.ipstatus", "-", "0")
	w.blob("iface.ip", "-", ip.String())
	w.blob("iface.iperr", "-", "")
	w.line("iface.sixstatus", "-", "0")
	w.blob("iface.six", "-", six.String())
	w.blob("iface.sixerr", "-", "")
}

// sysfsAgrees reports whether /sys/class/net lists the same interfaces as /proc/net/dev, which
// is always the probe's own network namespace: only then is sysfs that namespace's too.
func sysfsAgrees(r records, dev map[string]bool) bool {
	listed, ok := r.get("iface.sysnames", "-")
	if !ok {
		return false
	}
	names := strings.Fields(string(listed))
	if len(names) != len(dev) {
		return false
	}
	for _, n := range names {
		if !dev[n] {
			return false
		}
	}
	return true
}

// linkMTUs reads the MTU of each interface from `ip -o link show` (iproute2's or busybox's):
// "N: NAME: <FLAGS> mtu M …", where NAME may end in "@PEER". It is empty where ip is missing or
// failed, or a line is not of that form.
func linkMTUs(r records) map[string]int {
	mtus := map[string]int{}
	if st, _ := r.text("iface.linkstatus", "-"); st != "0" {
		return mtus
	}
	out, _ := r.get("iface.link", "-")
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 5 || !strings.HasSuffix(f[1], ":") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimSuffix(f[1], ":"), "@")
		for k := 2; k+1 < len(f); k++ {
			if f[k] == "mtu" {
				if n, err := strconv.Atoi(f[k+1]); err == nil && n > 0 {
					mtus[name] = n
				}
				break
			}
		}
	}
	return mtus
}
