package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type Interface
//go:generate go tool packer-sdc struct-markdown

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// Interface checks a network interface of the image's network namespace: that it exists, its MTU
// and its addresses. Whether it exists, and its MTU, are read from /sys/class/net, which must
// agree with /proc/net/dev (sysfs mounted in another network namespace is an error). IPv6
// addresses are read from the kernel's table, /proc/net/if_inet6. IPv4 addresses, which the
// kernel lists in no simple table, come from `ip -o addr show` (iproute2's or busybox's) or,
// where there is no `ip` or it fails, from `ifconfig -a`, which shows only the first IPv4 address
// of an interface and those with a label of their own; in an image with neither, asking for an
// IPv4 address is an error.
type Interface struct {
	// The interface's name, like `eth0` or `ens5`, as /sys/class/net lists it.
	Name string `mapstructure:"name" required:"true"`
	// Whether the interface must exist. Defaults to `true`; with `false` the check passes only when
	// there is no such interface, and no other attribute may be set.
	Exists config.Trilean `mapstructure:"exists"`
	// Addresses the interface must have (it may have others), IPv4 or IPv6. A plain address, like
	// `"10.0.0.5"` or `"fd00::5"`, matches that address whatever its prefix length; one with a
	// prefix length, like `"10.0.0.5/24"`, matches only with that length. An IPv6 address whose
	// duplicate address detection failed does not count: it is not in use.
	Addresses []string `mapstructure:"addresses"`
	// The interface's MTU in bytes, like `1500` or `9001`.
	MTU    *int `mapstructure:"mtu"`
	Common `mapstructure:",squash"`
}

func (c *Interface) Kind() string    { return "interface" }
func (c *Interface) Subject() string { return c.Name }

func (c *Interface) Expectation() string {
	if !boolOr(c.Exists, true) {
		return "does not exist"
	}
	what := []string{"exists"}
	if c.MTU != nil {
		what = append(what, fmt.Sprintf("mtu %d", *c.MTU))
	}
	if len(c.Addresses) > 0 {
		what = append(what, "addresses "+strings.Join(c.Addresses, ", "))
	}
	return joinNonEmpty(what...)
}

// ifaceWanted is an address the check wants: bits is -1 for any prefix length.
type ifaceWanted struct {
	addr netip.Addr
	bits int
}

func (w ifaceWanted) String() string {
	if w.bits < 0 {
		return w.addr.String()
	}
	return netip.PrefixFrom(w.addr, w.bits).String()
}

// parseIfaceAddress reads an address of the addresses attribute, and says what is wrong with it.
func parseIfaceAddress(s string) (ifaceWanted, string) {
	bad := fmt.Sprintf("%q is not an IPv4 or IPv6 address (like \"10.0.0.5\", \"10.0.0.5/24\" or \"fd00::5/64\"; host names are not resolved)", s)
	w := ifaceWanted{bits: -1}
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			if a, _, _ := strings.Cut(s, "/"); strings.Contains(a, "%") {
				return w, fmt.Sprintf("%q has a zone (%%…): write the address without it", s)
			}
			return w, bad
		}
		w.addr, w.bits = p.Addr(), p.Bits()
		if max := p.Addr().BitLen(); w.bits < max-1 && p.Masked().Addr() == w.addr {
			return w, fmt.Sprintf("%q is a network, not an address of an interface: write the interface's own address, like %q, or the address alone to accept any prefix length",
				s, netip.PrefixFrom(p.Addr().Next(), w.bits).String())
		}
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return w, bad
		}
		w.addr = a
	}
	switch {
	case w.addr.Zone() != "":
		return w, fmt.Sprintf("%q has a zone (%%%s): write the address without it", s, w.addr.Zone())
	case w.addr.Is4In6():
		return w, fmt.Sprintf("%q is an IPv4 address written as IPv6: write it as %q", s, w.addr.Unmap().String())
	}
	return w, ""
}

func (c *Interface) Validate() []error {
	errs := requireName("name", c.Name)
	if c.Name != "" && len(errs) == 0 && !probe.InterfaceNameOK(c.Name) {
		errs = append(errs, attrErrorf("name", "%q is not an interface name (1 to 15 characters, without spaces, slashes or colons; "+
			"a label like eth0:1 names an address of eth0, which addresses checks)", c.Name))
	}
	if !boolOr(c.Exists, true) && (c.MTU != nil || len(c.Addresses) > 0) {
		errs = append(errs, attrErrorf("exists", "is false, so mtu and addresses cannot be checked"))
	}
	if c.MTU != nil && *c.MTU < 1 {
		errs = append(errs, attrErrorf("mtu", "%d is not an MTU (a number of bytes, like 1500)", *c.MTU))
	}
	for i, a := range c.Addresses {
		if _, msg := parseIfaceAddress(a); msg != "" {
			errs = append(errs, attrErrorf(fmt.Sprintf("addresses[%d]", i), "%s", msg))
		}
	}
	return errs
}

func (c *Interface) Gather(p *probe.Plan, _ Options) Judge {
	four, six := false, false
	for _, a := range c.Addresses {
		if w, msg := parseIfaceAddress(a); msg == "" {
			four, six = four || w.addr.Is4(), six || w.addr.Is6()
		}
	}
	fact := p.Interface(c.Name, four, six)
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
}

func (c *Interface) judge(f probe.InterfaceFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	var p problems
	if !p.presence(boolOr(c.Exists, true), f.Exists, "exists, want no such interface", "does not exist") {
		return p.outcome()
	}
	if c.MTU != nil {
		switch {
		case f.MTUErr != "":
			return errorf("mtu: %s", f.MTUErr)
		case f.MTU != *c.MTU:
			p.addf("mtu is %d, want %d", f.MTU, *c.MTU)
		}
	}
	var missing [2][]string // IPv4, IPv6
	for _, a := range c.Addresses {
		w, msg := parseIfaceAddress(a)
		if msg != "" {
			return errorf("addresses: %s", msg) // Validate refuses it first
		}
		switch {
		case w.addr.Is4() && f.FourErr != "":
			return errorf("addresses: %s", f.FourErr)
		case w.addr.Is6() && f.SixErr != "":
			return errorf("addresses: %s", f.SixErr)
		}
		found, unknownBits := false, false
		for _, have := range f.Addresses {
			if have.Addr != w.addr || have.DADFailed {
				continue
			}
			switch {
			case w.bits < 0 || have.Bits == w.bits:
				found = true
			case have.Bits < 0:
				unknownBits = true
			}
		}
		if !found && unknownBits {
			return errorf("addresses: %s shows %s without its prefix length, so %s cannot be told", f.FourFrom, w.addr, w)
		}
		if !found && w.addr.Is4() {
			missing[0] = append(missing[0], w.String())
		} else if !found {
			missing[1] = append(missing[1], w.String())
		}
	}
	var details []string
	for i, family := range []string{"IPv4", "IPv6"} {
		if len(missing[i]) == 0 {
			continue
		}
		var have []string
		for _, a := range f.Addresses {
			if a.Addr.Is4() == (i == 0) {
				have = append(have, a.String())
			}
		}
		switch {
		case i == 1 && f.SixOff:
			p.addf("has no IPv6 address (IPv6 is off in the kernel), want %s", strings.Join(missing[i], ", "))
		case len(have) == 0:
			p.addf("has no %s address, want %s", family, strings.Join(missing[i], ", "))
		default:
			p.addf("%s addresses are %s, want also %s", family, strings.Join(have, ", "), strings.Join(missing[i], ", "))
		}
		if i == 0 && f.FourFrom == "ifconfig" {
			details = append(details, "the image has no working ip(8): its IPv4 addresses were read from ifconfig(8), "+
				"which shows only the first IPv4 address of an interface and those with a label of their own")
		}
	}
	o := p.outcome()
	o.Details = details
	return o
}
