package check

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

func addrs(s ...string) []netip.Addr {
	var a []netip.Addr
	for _, x := range s {
		a = append(a, netip.MustParseAddr(x))
	}
	return a
}

func TestDNSJudge(t *testing.T) {
	web := probe.DNSFacts{Resolved: true, Database: "ahosts", Addresses: addrs("fd00::5", "10.1.2.3", "10.1.2.4")}
	tests := []struct {
		name  string
		check DNS
		facts probe.DNSFacts
		want  string
	}{
		{"resolvable_by_default", DNS{Name: "web"}, web, "pass"},
		{"does_not_resolve", DNS{Name: "web"}, probe.DNSFacts{Database: "ahosts"}, "does not resolve"},
		{"does_not_resolve_says_why", DNS{Name: "web"}, probe.DNSFacts{Why: "Temporary failure in name resolution"}, "does not resolve: Temporary failure in name resolution"},
		{"not_resolvable_wanted", DNS{Name: "web", Resolvable: no}, probe.DNSFacts{NoSuchName: true, Why: "Name or service not known"}, "pass"},
		{"no_answer_is_not_no_such_name", DNS{Name: "web", Resolvable: no}, probe.DNSFacts{Why: "Temporary failure in name resolution"},
			"error: the resolver gave no address, but not because the name does not exist: Temporary failure in name resolution"},
		{"why_unknown_is_an_error", DNS{Name: "web", Resolvable: no}, probe.DNSFacts{Database: "ahosts"},
			"error: the resolver gave no address, and whether the name does not exist or the resolver did not answer was not seen: getent does not say, and the image has no bash, whose getaddrinfo would"},
		{"resolves_but_should_not", DNS{Name: "web", Resolvable: no}, web, "resolves to fd00::5, 10.1.2.3, 10.1.2.4, want not resolvable"},
		{"addresses_among", DNS{Name: "web", Addresses: []string{"10.1.2.4", "fd00:0::5"}}, web, "pass"},
		{"address_missing", DNS{Name: "web", Addresses: []string{"10.1.2.3", "10.9.9.9"}}, web, "resolves to fd00::5, 10.1.2.3, 10.1.2.4, want 10.9.9.9 among them"},
		{"mapped_address_is_the_ipv4_one", DNS{Name: "web", Addresses: []string{"::ffff:10.1.2.3"}}, web, "pass"},
		{"hosts_database_says_why", DNS{Name: "web", Addresses: []string{"10.1.2.3"}}, probe.DNSFacts{Resolved: true, Database: "hosts", Addresses: addrs("fd00::5")},
			"resolves to fd00::5, want 10.1.2.3 among them (the image's getent has no ahosts, and getent hosts shows only one address family)"},
		{"no_answer_in_time_is_an_error_not_unresolvable", DNS{Name: "web", Resolvable: no}, probe.DNSFacts{Err: "the resolver gave no answer within 10s, and getent was stopped"},
			"error: the resolver gave no answer within 10s, and getent was stopped"},
		{"no_getent_is_an_error", DNS{Name: "web", Resolvable: no}, probe.DNSFacts{Err: "the image has no getent(1)"}, "error: the image has no getent(1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestDNSValidate(t *testing.T) {
	tests := []struct {
		name  string
		check DNS
		want  []string
	}{
		{"ok", DNS{Name: "db.internal", Addresses: []string{"10.0.0.5", "fd00::5"}, Timeout: time.Second}, nil},
		{"underscore_and_trailing_dot", DNS{Name: "_sip.example.org."}, nil},
		{"required", DNS{}, []string{"name: is required"}},
		{"an_address", DNS{Name: "10.0.0.5"}, []string{`name: "10.0.0.5" is an IP address, which needs no resolving (give a host name)`}},
		{"spaces", DNS{Name: "db internal"}, []string{`name: "db internal" is not a host name (letters, digits, hyphens and underscores, between dots)`}},
		{"option_like", DNS{Name: "-s"}, []string{`name: "-s" has a label that starts with a hyphen`}},
		{"command_substitution", DNS{Name: "$(reboot)"}, []string{`name: "$(reboot)" is not a host name (letters, digits, hyphens and underscores, between dots)`}},
		{"empty_label", DNS{Name: "a..b"}, []string{`name: "a..b" has an empty label (two dots in a row, or a dot first)`}},
		{"long_label", DNS{Name: strings.Repeat("a", 64) + ".org"}, []string{`name: "` + strings.Repeat("a", 64) + `.org" has a label longer than 63 characters`}},
		{"bad_address", DNS{Name: "db", Addresses: []string{"10.0.0.5", "10.0.0"}}, []string{`addresses[1]: "10.0.0" is not an IPv4 or IPv6 address (like "10.0.0.5" or "fd00::5")`}},
		{"addresses_when_unresolvable", DNS{Name: "db", Resolvable: no, Addresses: []string{"10.0.0.5"}}, []string{"resolvable: is false, so addresses cannot be checked"}},
		{"timeout_negative", DNS{Name: "db", Timeout: -time.Second}, []string{"timeout: -1s is negative"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, err := range tt.check.Validate() {
				got = append(got, err.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestDNSExpectation(t *testing.T) {
	for c, want := range map[*DNS]string{
		{Name: "a"}: "resolvable", {Name: "a", Resolvable: no}: "not resolvable", {Name: "a", Addresses: []string{"10.0.0.5", "::1"}}: "resolves to 10.0.0.5, ::1",
	} {
		if got := c.Expectation(); got != want {
			t.Errorf("%+v: %q, want %q", c, got, want)
		}
	}
}
