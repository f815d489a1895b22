package check

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

func ifaceAddr(s string, dadFailed bool) probe.InterfaceAddress {
	if p, err := netip.ParsePrefix(s); err == nil {
		return probe.InterfaceAddress{Addr: p.Addr(), Bits: p.Bits(), DADFailed: dadFailed}
	}
	return probe.InterfaceAddress{Addr: netip.MustParseAddr(s), Bits: -1}
}

func TestInterfaceJudge(t *testing.T) {
	eth0 := probe.InterfaceFacts{Exists: true, MTU: 9001, FourFrom: "ip", Addresses: []probe.InterfaceAddress{
		ifaceAddr("10.0.0.5/24", false), ifaceAddr("10.0.0.6/24", false), ifaceAddr("fd00::5/64", false), ifaceAddr("fe80::1/64", false)}}
	fromIfconfig := probe.InterfaceFacts{Exists: true, MTU: 1500, FourFrom: "ifconfig", Addresses: []probe.InterfaceAddress{ifaceAddr("10.0.0.5/24", false)}}
	dad := probe.InterfaceFacts{Exists: true, MTU: 1500, Addresses: []probe.InterfaceAddress{ifaceAddr("fd00::7/64", true)}}
	tests := []struct {
		name  string
		check Interface
		facts probe.InterfaceFacts
		want  string
	}{
		{"exists_by_default", Interface{Name: "eth0"}, eth0, "pass"},
		{"missing", Interface{Name: "eth1"}, probe.InterfaceFacts{}, "does not exist"},
		{"absent_wanted", Interface{Name: "docker0", Exists: no}, probe.InterfaceFacts{}, "pass"},
		{"present_but_absent_wanted", Interface{Name: "docker0", Exists: no}, eth0, "exists, want no such interface"},
		{"unseen_is_an_error_not_absent", Interface{Name: "docker0", Exists: no},
			probe.InterfaceFacts{Err: "/sys/class/net and /proc/net/dev disagree whether docker0 exists: sysfs was mounted in another network namespace than the probe's"},
			"error: /sys/class/net and /proc/net/dev disagree whether docker0 exists: sysfs was mounted in another network namespace than the probe's"},
		{"mtu", Interface{Name: "eth0", MTU: intp(9001)}, eth0, "pass"},
		{"mtu_differs", Interface{Name: "eth0", MTU: intp(1500)}, eth0, "mtu is 9001, want 1500"},
		{"mtu_unreadable", Interface{Name: "eth0", MTU: intp(1500)}, probe.InterfaceFacts{Exists: true, MTUErr: "cannot read /sys/class/net/eth0/mtu: Permission denied"},
			"error: mtu: cannot read /sys/class/net/eth0/mtu: Permission denied"},
		{"mtu_unreadable_not_asked", Interface{Name: "eth0"}, probe.InterfaceFacts{Exists: true, MTUErr: "cannot read"}, "pass"},
		{"plain_address_any_prefix", Interface{Name: "eth0", Addresses: []string{"10.0.0.5", "fd00::5"}}, eth0, "pass"},
		{"cidr_same_prefix", Interface{Name: "eth0", Addresses: []string{"10.0.0.6/24", "fd00:0:0::5/64"}}, eth0, "pass"},
		{"cidr_other_prefix", Interface{Name: "eth0", Addresses: []string{"10.0.0.5/16"}}, eth0,
			"IPv4 addresses are 10.0.0.5/24, 10.0.0.6/24, want also 10.0.0.5/16"},
		{"address_missing_per_family", Interface{Name: "eth0", Addresses: []string{"10.0.0.7", "10.0.0.5", "fd00::7/64"}}, eth0,
			"IPv4 addresses are 10.0.0.5/24, 10.0.0.6/24, want also 10.0.0.7; IPv6 addresses are fd00::5/64, fe80::1/64, want also fd00::7/64"},
		{"no_address_of_the_family", Interface{Name: "eth0", Addresses: []string{"10.0.0.5"}}, probe.InterfaceFacts{Exists: true, FourFrom: "ip"},
			"has no IPv4 address, want 10.0.0.5"},
		{"ipv6_off", Interface{Name: "eth0", Addresses: []string{"fd00::5"}}, probe.InterfaceFacts{Exists: true, SixOff: true},
			"has no IPv6 address (IPv6 is off in the kernel), want fd00::5"},
		{"duplicate_address_does_not_count", Interface{Name: "eth0", Addresses: []string{"fd00::7"}}, dad,
			"IPv6 addresses are fd00::7/64 (duplicate address detection failed), want also fd00::7"},
		{"no_ipv4_source_is_an_error", Interface{Name: "eth0", Addresses: []string{"10.0.0.5", "fd00::5"}},
			probe.InterfaceFacts{Exists: true, FourErr: "cannot list the IPv4 addresses, which the kernel shows in no simple table: the image has no ip(8); and no ifconfig(8)"},
			"error: addresses: cannot list the IPv4 addresses, which the kernel shows in no simple table: the image has no ip(8); and no ifconfig(8)"},
		{"no_ipv4_source_needs_no_ipv4", Interface{Name: "eth0", Addresses: []string{"fd00::5"}},
			probe.InterfaceFacts{Exists: true, FourErr: "cannot list", Addresses: eth0.Addresses[2:]}, "pass"},
		{"ipv6_table_unreadable", Interface{Name: "eth0", Addresses: []string{"fd00::5"}}, probe.InterfaceFacts{Exists: true, SixErr: "cannot read /proc/net/if_inet6: …"},
			"error: addresses: cannot read /proc/net/if_inet6: …"},
		{"prefix_length_unknown", Interface{Name: "eth0", Addresses: []string{"10.0.0.5/24"}},
			probe.InterfaceFacts{Exists: true, FourFrom: "ifconfig", Addresses: []probe.InterfaceAddress{ifaceAddr("10.0.0.5", false)}},
			"error: addresses: ifconfig shows 10.0.0.5 without its prefix length, so 10.0.0.5/24 cannot be told"},
		{"prefix_length_unknown_plain_wanted", Interface{Name: "eth0", Addresses: []string{"10.0.0.5"}},
			probe.InterfaceFacts{Exists: true, FourFrom: "ifconfig", Addresses: []probe.InterfaceAddress{ifaceAddr("10.0.0.5", false)}}, "pass"},
		{"from_ifconfig", Interface{Name: "eth0", Addresses: []string{"10.0.0.5/24"}}, fromIfconfig, "pass"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// An IPv4 address missing where only ifconfig could be asked says what ifconfig does not show.
func TestInterfaceFromIfconfigSaysWhatItCannotSee(t *testing.T) {
	c := Interface{Name: "eth0", Addresses: []string{"10.0.0.8"}}
	o := c.judge(probe.InterfaceFacts{Exists: true, FourFrom: "ifconfig", Addresses: []probe.InterfaceAddress{ifaceAddr("10.0.0.5/24", false)}})
	if len(o.Problems) != 1 || len(o.Details) != 1 || !strings.Contains(o.Details[0], "shows only the first IPv4 address of an interface") {
		t.Errorf("%+v", o)
	}
}

func TestInterfaceValidate(t *testing.T) {
	tests := []struct {
		name  string
		check Interface
		want  []string
	}{
		{"ok", Interface{Name: "eth0", MTU: intp(9001), Addresses: []string{"10.0.0.5", "10.0.0.5/24", "fd00::5/64", "192.168.1.1/32", "10.0.0.0/31"}}, nil},
		{"no_name", Interface{}, []string{"name: is required"}},
		{"label", Interface{Name: "eth0:1"}, []string{`name: "eth0:1" is not an interface name (1 to 15 characters, without spaces, slashes or colons; a label like eth0:1 names an address of eth0, which addresses checks)`}},
		{"slash", Interface{Name: "../etc"}, []string{`name: "../etc" is not an interface name (1 to 15 characters, without spaces, slashes or colons; a label like eth0:1 names an address of eth0, which addresses checks)`}},
		{"too_long", Interface{Name: "abcdefghijklmnop"}, []string{`name: "abcdefghijklmnop" is not an interface name (1 to 15 characters, without spaces, slashes or colons; a label like eth0:1 names an address of eth0, which addresses checks)`}},
		{"absent_with_mtu", Interface{Name: "docker0", Exists: no, MTU: intp(1500)}, []string{"exists: is false, so mtu and addresses cannot be checked"}},
		{"mtu_zero", Interface{Name: "eth0", MTU: intp(0)}, []string{"mtu: 0 is not an MTU (a number of bytes, like 1500)"}},
		{"bad_address", Interface{Name: "eth0", Addresses: []string{"10.0.0.300", "eth0.example.com", "10.0.0.5/33"}}, []string{
			`addresses[0]: "10.0.0.300" is not an IPv4 or IPv6 address (like "10.0.0.5", "10.0.0.5/24" or "fd00::5/64"; host names are not resolved)`,
			`addresses[1]: "eth0.example.com" is not an IPv4 or IPv6 address (like "10.0.0.5", "10.0.0.5/24" or "fd00::5/64"; host names are not resolved)`,
			`addresses[2]: "10.0.0.5/33" is not an IPv4 or IPv6 address (like "10.0.0.5", "10.0.0.5/24" or "fd00::5/64"; host names are not resolved)`}},
		{"network_not_address", Interface{Name: "eth0", Addresses: []string{"10.0.0.0/24", "fd00::/64"}}, []string{
			`addresses[0]: "10.0.0.0/24" is a network, not an address of an interface: write the interface's own address, like "10.0.0.1/24", or the address alone to accept any prefix length`,
			`addresses[1]: "fd00::/64" is a network, not an address of an interface: write the interface's own address, like "fd00::1/64", or the address alone to accept any prefix length`}},
		{"zone", Interface{Name: "eth0", Addresses: []string{"fe80::1%eth0", "fe80::1%eth0/64"}}, []string{
			`addresses[0]: "fe80::1%eth0" has a zone (%eth0): write the address without it`,
			`addresses[1]: "fe80::1%eth0/64" has a zone (%…): write the address without it`}},
		{"ipv4_in_ipv6", Interface{Name: "eth0", Addresses: []string{"::ffff:10.0.0.5"}}, []string{`addresses[0]: "::ffff:10.0.0.5" is an IPv4 address written as IPv6: write it as "10.0.0.5"`}},
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

func TestInterfaceExpectation(t *testing.T) {
	for _, tt := range []struct {
		check Interface
		want  string
	}{
		{Interface{Name: "eth0"}, "exists"},
		{Interface{Name: "docker0", Exists: no}, "does not exist"},
		{Interface{Name: "eth0", MTU: intp(9001), Addresses: []string{"10.0.0.5/24", "fd00::5"}}, "exists, mtu 9001, addresses 10.0.0.5/24, fd00::5"},
	} {
		if got := tt.check.Expectation(); got != tt.want {
			t.Errorf("%s: Expectation() = %s, want %s", tt.check.Name, got, tt.want)
		}
	}
}

// The check asks only for the address families it names (no ip(8) is run for IPv6 alone), and
// judges what a healthy image shows (FakeOutput).
func TestInterfaceThroughThePlan(t *testing.T) {
	for _, tt := range []struct {
		addresses       []string
		wantIP, wantSix bool
	}{
		{nil, false, false},
		{[]string{"fd00::1"}, false, true},
		{[]string{"10.0.0.1"}, true, false},
	} {
		s := NewSuite(Declare([]Check{&Interface{Name: "eth0", Addresses: tt.addresses}}), Options{})
		script, err := probe.Render(s.Plan())
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(script), "\tiffour\n") != tt.wantIP || strings.Contains(string(script), "\tifsix\n") != tt.wantSix {
			t.Errorf("%v: ip asked %v, IPv6 table read %v", tt.addresses, !tt.wantIP, !tt.wantSix)
		}
	}
	checks := []Check{&Interface{Name: "eth0", MTU: intp(1500), Addresses: []string{"10.0.0.1/24", "fd00::1/64"}}, &Interface{Name: "eth0", MTU: intp(9001)}}
	s := NewSuite(Declare(checks), Options{})
	facts, err := probe.Parse(s.Plan(), probe.FakeOutput(s.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.Judge(facts) {
		got = append(got, r.Status.String()+" "+strings.Join(r.Problems, "; "))
	}
	want := []string{"passed ", "failed mtu is 1500, want 9001"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
