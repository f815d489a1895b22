package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type DNS
//go:generate go tool packer-sdc struct-markdown

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// DNS resolves a host name inside the image, the way its programs do: through the C library
// (getent ahosts), so /etc/hosts, DNS and whatever else /etc/nsswitch.conf names all count. An
// image without getent (busybox alone: its nslookup asks DNS servers directly and skips
// /etc/hosts) makes the check an error.
type DNS struct {
	// The host name to resolve, like `"db.internal"` or `"localhost"`.
	Name string `mapstructure:"name" required:"true"`
	// Whether the name must resolve to at least one address. Defaults to `true`. With `false` the
	// check passes only when the resolver said that the name does not exist or has no address: a
	// resolver that did not answer (no DNS server reachable, or none within `timeout`) is an error,
	// never a pass. getent does not say which it was; the probe asks bash's getaddrinfo (with a
	// /dev/udp redirection, which sends nothing), so in an image without bash `false` is an error.
	Resolvable config.Trilean `mapstructure:"resolvable"`
	// IPv4 or IPv6 addresses that must all be among the name's addresses (it may have others).
	Addresses []string `mapstructure:"addresses"`
	// How long resolving may take, like `"5s"`, rounded up to whole seconds; a resolver that has
	// not answered by then makes the check an error. Defaults to `10s`.
	Timeout time.Duration `mapstructure:"timeout"`
	Common  `mapstructure:",squash"`
}

// DefaultDNSTimeout is how long resolving a name may take when its check sets no timeout.
const DefaultDNSTimeout = 10 * time.Second

func (c *DNS) Kind() string    { return "dns" }
func (c *DNS) Subject() string { return c.Name }

func (c *DNS) Expectation() string {
	switch {
	case !boolOr(c.Resolvable, true):
		return "not resolvable"
	case len(c.Addresses) > 0:
		return "resolves to " + strings.Join(c.Addresses, ", ")
	}
	return "resolvable"
}

func (c *DNS) Validate() []error {
	errs := requireName("name", c.Name)
	if len(errs) == 0 {
		if problem := hostNameProblem(c.Name); problem != "" {
			errs = append(errs, attrErrorf("name", "%q %s", c.Name, problem))
		} else if _, err := netip.ParseAddr(c.Name); err == nil {
			errs = append(errs, attrErrorf("name", "%q is an IP address, which needs no resolving (give a host name)", c.Name))
		}
	}
	for i, a := range c.Addresses {
		if _, err := netip.ParseAddr(a); err != nil {
			errs = append(errs, attrErrorf(fmt.Sprintf("addresses[%d]", i), "%q is not an IPv4 or IPv6 address (like \"10.0.0.5\" or \"fd00::5\")", a))
		}
	}
	if !boolOr(c.Resolvable, true) && len(c.Addresses) > 0 {
		errs = append(errs, attrErrorf("resolvable", "is false, so addresses cannot be checked"))
	}
	if c.Timeout < 0 {
		errs = append(errs, attrErrorf("timeout", "%s is negative", c.Timeout))
	}
	return errs
}

// hostNameProblem says what makes s no host name: letters, digits, hyphens and underscores in
// labels of at most 63 characters, separated by dots, 253 characters at most.
func hostNameProblem(s string) string {
	if len(s) > 253 {
		return "is longer than the 253 characters of a host name"
	}
	for _, label := range strings.Split(strings.TrimSuffix(s, "."), ".") {
		switch {
		case label == "":
			return "has an empty label (two dots in a row, or a dot first)"
		case len(label) > 63:
			return "has a label longer than 63 characters"
		case label[0] == '-':
			return "has a label that starts with a hyphen"
		}
		for i := 0; i < len(label); i++ {
			if !isAlnum(label[i]) && label[i] != '-' && label[i] != '_' {
				return "is not a host name (letters, digits, hyphens and underscores, between dots)"
			}
		}
	}
	return ""
}

func (c *DNS) timeout() time.Duration {
	if c.Timeout == 0 {
		return DefaultDNSTimeout
	}
	return c.Timeout
}

func (c *DNS) Gather(p *probe.Plan, _ Options) Judge {
	fact := p.DNS(c.Name, c.timeout())
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
}

func (c *DNS) judge(f probe.DNSFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	var p problems
	found := make([]string, len(f.Addresses))
	for i, a := range f.Addresses {
		found[i] = a.String()
	}
	switch want := boolOr(c.Resolvable, true); {
	case !want && !f.Resolved && !f.NoSuchName && f.Why == "":
		return errorf("the resolver gave no address, and whether the name does not exist or the resolver did not answer was not seen: " +
			"getent does not say, and the image has no bash, whose getaddrinfo would")
	case !want && !f.Resolved && !f.NoSuchName:
		return errorf("the resolver gave no address, but not because the name does not exist: %s", f.Why)
	case !p.presence(want, f.Resolved, "resolves to "+strings.Join(found, ", ")+", want not resolvable", "does not resolve"+dnsBecause(f.Why)):
		return p.outcome()
	}
	var missing []string
	for _, want := range c.Addresses {
		if w, err := netip.ParseAddr(want); err == nil && !dnsHas(f.Addresses, w) {
			missing = append(missing, want)
		}
	}
	if len(missing) > 0 {
		msg := "resolves to " + strings.Join(found, ", ") + ", want " + strings.Join(missing, ", ") + " among them"
		if f.Database == "hosts" {
			// getent hosts shows one address family: the IPv6 addresses if the name has any
			msg += " (the image's getent has no ahosts, and getent hosts shows only one address family)"
		}
		p.addf("%s", msg)
	}
	return p.outcome()
}

func dnsBecause(why string) string {
	if why == "" {
		return ""
	}
	return ": " + why
}

// dnsHas compares addresses as addresses: "::ffff:10.0.0.5" is 10.0.0.5, and a zone is ignored.
func dnsHas(addrs []netip.Addr, want netip.Addr) bool {
	for _, a := range addrs {
		if a.WithZone("").Unmap() == want.WithZone("").Unmap() {
			return true
		}
	}
	return false
}
