package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type Port
//go:generate go tool packer-sdc struct-markdown

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// Port checks whether something listens on a port.
type Port struct {
	// The port number.
	Port int `mapstructure:"port" required:"true"`
	// `tcp` (the default) or `udp`.
	Protocol string `mapstructure:"protocol"`
	// An IPv4 or IPv6 address at which the port must be reachable (not an address the socket must
	// be bound to alone: a socket on `0.0.0.0` is reachable at `127.0.0.1`). A socket bound to the wildcard address
	// of a family (`0.0.0.0` or `::`) listens on every address of that family; one on `::` also
	// accepts IPv4 unless it is IPv6-only (IPV6_V6ONLY, the default of nginx's `listen [::]:80`),
	// which the probe learns from ss(8): where the image has no ss, an IPv4 expectation that only
	// such a socket could meet is an error, never a pass. Without `address`, a socket on any IPv4
	// or IPv6 address counts.
	Address string `mapstructure:"address"`
	// Whether something must listen. Defaults to `true`.
	Listening config.Trilean `mapstructure:"listening"`
	Common    `mapstructure:",squash"`
}

func (c *Port) Kind() string { return "port" }
func (c *Port) Subject() string {
	if c.Address != "" {
		return fmt.Sprintf("%s/%s", c.protocol(), netip.AddrPortFrom(parseAddr(c.Address), uint16(c.Port)))
	}
	return fmt.Sprintf("%s/%d", c.protocol(), c.Port)
}

func (c *Port) Expectation() string {
	return pick(boolOr(c.Listening, true), "listening", "not listening")
}

func (c *Port) protocol() string {
	if c.Protocol == "" {
		return "tcp"
	}
	return c.Protocol
}

func parseAddr(s string) netip.Addr {
	a, _ := netip.ParseAddr(s)
	return a
}

func (c *Port) Validate() []error {
	var errs []error
	switch {
	case c.Port == 0:
		errs = append(errs, attrErrorf("port", "is required (a number from 1 to 65535)"))
	case c.Port < 1 || c.Port > 65535:
		errs = append(errs, attrErrorf("port", "%d is not a port number (1 to 65535)", c.Port))
	}
	if c.Protocol != "" && c.Protocol != "tcp" && c.Protocol != "udp" {
		errs = append(errs, attrErrorf("protocol", "%q is not tcp or udp", c.Protocol))
	}
	if _, err := netip.ParseAddr(c.Address); c.Address != "" && err != nil {
		errs = append(errs, attrErrorf("address", "%q is not an IPv4 or IPv6 address (like \"127.0.0.1\" or \"::1\"; host names are not resolved)", c.Address))
	}
	return errs
}

func (c *Port) Gather(p *probe.Plan, _ Options) Judge {
	fact := p.Ports()
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
}

func (c *Port) judge(f probe.PortFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	var matching, undecided, samePort []string
	for _, s := range f.Sockets {
		if s.Protocol != c.protocol() || s.Port != c.Port {
			continue
		}
		addr := s.Addr.String()
		if s.V6OnlyKnown && s.V6Only {
			addr += " (IPv6 only)"
		}
		samePort = append(samePort, addr)
		switch c.accepts(s) {
		case accepted:
			matching = append(matching, addr)
		case undecidable:
			undecided = append(undecided, addr)
		}
	}
	want := boolOr(c.Listening, true)
	var p problems
	switch {
	case want && len(matching) > 0, !want && len(matching) == 0 && len(undecided) == 0:
	case len(undecided) > 0:
		return errorf("a socket listens on %s, and whether it also accepts IPv4 connections (IPV6_V6ONLY) cannot be told: "+
			"the kernel's tables do not say, and the image has no ss(8) that would", list(undecided))
	case !want:
		p.addf("is listening on %s, want not listening", list(matching))
	case len(samePort) > 0:
		p.addf("is not listening on %s; it listens on %s only", c.Address, list(samePort))
	default:
		p.addf("is not listening")
	}
	return p.outcome()
}

type answer int

const (
	refused answer = iota
	accepted
	undecidable
)

// accepts tells whether socket s accepts connections to the check's address. A socket on a
// wildcard address accepts every address of its family; an IPv6 one on "::" also accepts IPv4,
// unless it was made IPv6-only (nginx's `listen [::]:80` is, by default).
func (c *Port) accepts(s probe.Socket) answer {
	if c.Address == "" {
		return accepted
	}
	want, addr := parseAddr(c.Address).Unmap(), s.Addr.Unmap()
	switch {
	case addr == want:
		return accepted
	case !addr.IsUnspecified():
		return refused
	case addr.Is4() || want.Is6():
		return pickAnswer(addr.Is4() == want.Is4())
	case !s.V6OnlyKnown:
		return undecidable
	}
	return pickAnswer(!s.V6Only)
}

func pickAnswer(b bool) answer {
	if b {
		return accepted
	}
	return refused
}

func list(addrs []string) string {
	sort.Strings(addrs)
	return strings.Join(addrs, ", ")
}
