package check

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
	// An IPv4 or IPv6 address the socket must listen on. A socket bound to the wildcard address
	// (`0.0.0.0` or `::`) listens on every address. Without it, a socket on any IPv4 or IPv6
	// address counts.
	Address string `mapstructure:"address"`
	// Whether something must listen. Defaults to `true`.
	Listening config.Trilean `mapstructure:"listening"`
	// Shown in the report next to the check.
	Description string `mapstructure:"description"`
}

func (c *Port) Kind() string { return "port" }
func (c *Port) Subject() string {
	if c.Address != "" {
		return fmt.Sprintf("%s/%s", c.protocol(), netip.AddrPortFrom(parseAddr(c.Address), uint16(c.Port)))
	}
	return fmt.Sprintf("%s/%d", c.protocol(), c.Port)
}
func (c *Port) Describe() string { return c.Description }

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
	if c.Port < 1 || c.Port > 65535 {
		errs = append(errs, attrErrorf("port", "%d is not a port number (1 to 65535); port is required", c.Port))
	}
	if c.Protocol != "" && c.Protocol != "tcp" && c.Protocol != "udp" {
		errs = append(errs, attrErrorf("protocol", "%q is not tcp or udp", c.Protocol))
	}
	if _, err := netip.ParseAddr(c.Address); c.Address != "" && err != nil {
		errs = append(errs, attrErrorf("address", "%q is not an IPv4 or IPv6 address", c.Address))
	}
	return errs
}

func (c *Port) Gather(p *probe.Plan, _ Options) Judge {
	p.Ports()
	return func(f *probe.Facts) Outcome { return c.judge(f.Ports()) }
}

func (c *Port) judge(f probe.PortFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	var matching, samePort []string
	want := parseAddr(c.Address)
	for _, s := range f.Sockets {
		if s.Protocol != c.protocol() || s.Port != c.Port {
			continue
		}
		samePort = append(samePort, s.Addr.String())
		if c.Address == "" || s.Addr == want.Unmap() || s.Addr.IsUnspecified() && (s.Addr.Is6() || want.Is4()) {
			matching = append(matching, s.Addr.String())
		}
	}
	var p problems
	switch listening := len(matching) > 0; {
	case boolOr(c.Listening, true) && !listening && len(samePort) > 0:
		p.addf("is not listening on %s; it listens on %s only", c.Address, list(samePort))
	case boolOr(c.Listening, true) && !listening:
		p.addf("is not listening")
	case !boolOr(c.Listening, true) && listening:
		p.addf("is listening on %s, want not listening", list(matching))
	}
	return p.outcome()
}

func list(addrs []string) string {
	sort.Strings(addrs)
	return strings.Join(addrs, ", ")
}
