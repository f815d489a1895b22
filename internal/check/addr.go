package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type Addr
//go:generate go tool packer-sdc struct-markdown

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// Addr opens a TCP connection from inside the image, and closes it without sending anything:
// whether the image can reach an address and port (a database, a proxy, the metadata service) or,
// with `reachable = false`, cannot. POSIX has no way to open one: the probe uses bash (its
// /dev/tcp), or else nc (OpenBSD's, busybox's or another with -z); an image with neither makes
// the check an error.
type Addr struct {
	// The host to connect to: an IPv4 or IPv6 address, or a host name, resolved inside the image.
	Address string `mapstructure:"address" required:"true"`
	// The TCP port, 1 to 65535.
	Port int `mapstructure:"port" required:"true"`
	// Whether the connection must be made within `timeout`. Defaults to `true`. With `false` the
	// check passes when the connection was seen not to be made: refused, no route to the host, no
	// answer within `timeout` (as when a firewall drops packets), or a host name that does not
	// exist. A failure the tool does not explain, a name the resolver failed to resolve, and a
	// name whose time ran out (it may have gone to resolving it) are errors, never a pass. A name
	// with several addresses counts as reachable if any of them is; where only busybox's nc is
	// there, which tries a name's first address alone, a name that was not reached is an error
	// (give an address).
	Reachable config.Trilean `mapstructure:"reachable"`
	// How long the connection may take to be made, like `"3s"`, rounded up to whole seconds.
	// Defaults to `5s`.
	Timeout time.Duration `mapstructure:"timeout"`
	Common  `mapstructure:",squash"`
}

// DefaultAddrTimeout is how long a connection may take to be made when its check sets no timeout.
const DefaultAddrTimeout = 5 * time.Second

func (c *Addr) Kind() string { return "addr" }

// Subject is "host:port", an IPv6 address in brackets.
func (c *Addr) Subject() string { return net.JoinHostPort(c.Address, strconv.Itoa(c.Port)) }

func (c *Addr) Expectation() string {
	return pick(boolOr(c.Reachable, true), "reachable", "not reachable") + " within " + c.timeout().String()
}

func (c *Addr) timeout() time.Duration {
	if c.Timeout == 0 {
		return DefaultAddrTimeout
	}
	return c.Timeout
}

// isName reports whether the address is a host name rather than an IP address.
func (c *Addr) isName() bool {
	_, err := netip.ParseAddr(c.Address)
	return err != nil
}

func (c *Addr) Validate() []error {
	errs := requireName("address", c.Address)
	if len(errs) == 0 && c.isName() {
		if problem := hostNameProblem(c.Address); problem != "" {
			errs = append(errs, attrErrorf("address", "%q is not an IP address, and %s", c.Address, strings.TrimPrefix(problem, "is ")))
		}
	}
	switch {
	case c.Port == 0:
		errs = append(errs, attrErrorf("port", "is required (a number from 1 to 65535)"))
	case c.Port < 1 || c.Port > 65535:
		errs = append(errs, attrErrorf("port", "%d is not a port number (1 to 65535)", c.Port))
	}
	if c.Timeout < 0 {
		errs = append(errs, attrErrorf("timeout", "%s is negative", c.Timeout))
	}
	return errs
}

func (c *Addr) Gather(p *probe.Plan, _ Options) Judge {
	fact := p.Addr(c.Address, c.Port, c.timeout())
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
}

func (c *Addr) judge(f probe.AddrFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	var p problems
	switch want := boolOr(c.Reachable, true); {
	case want && !f.Connected:
		p.addf("is not reachable: %s", f.Failure)
	case !want && f.Connected:
		p.addf("is reachable, want not reachable")
	case !want && !f.Connected && f.Unsure != "":
		return errorf("no connection was made (%s), but that does not show %s unreachable: %s", f.Failure, c.Address, f.Unsure)
	case !want && c.isName() && !f.EveryAddress:
		return errorf("no connection was made (%s), but the image's nc tried only the first address of %s, "+
			"which may have others: give an IP address, or install bash or OpenBSD's nc", f.Failure, c.Address)
	}
	return p.outcome()
}
