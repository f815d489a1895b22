package check

import (
	"strings"
	"testing"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

func TestAddrJudge(t *testing.T) {
	connected := probe.AddrFacts{Tool: "bash", Connected: true, EveryAddress: true}
	refused := probe.AddrFacts{Tool: "bash", EveryAddress: true, Failure: "bash: line 1: /dev/tcp/10.0.0.5/5432: Connection refused"}
	bbRefused := probe.AddrFacts{Tool: "busybox", Failure: "nc: can't connect to remote host (10.0.0.5): Connection refused"}
	tests := []struct {
		name  string
		check Addr
		facts probe.AddrFacts
		want  string
	}{
		{"reachable_by_default", Addr{Address: "10.0.0.5", Port: 5432}, connected, "pass"},
		{"not_reachable", Addr{Address: "10.0.0.5", Port: 5432}, refused, "is not reachable: bash: line 1: /dev/tcp/10.0.0.5/5432: Connection refused"},
		{"timed_out", Addr{Address: "10.0.0.5", Port: 5432}, probe.AddrFacts{Failure: "no connection within 5s"}, "is not reachable: no connection within 5s"},
		{"unreachable_wanted", Addr{Address: "10.0.0.5", Port: 5432, Reachable: no}, refused, "pass"},
		{"timeout_counts_as_unreachable", Addr{Address: "169.254.169.254", Port: 80, Reachable: no}, probe.AddrFacts{Failure: "no connection within 5s"}, "pass"},
		{"reachable_but_should_not", Addr{Address: "10.0.0.5", Port: 5432, Reachable: no}, connected, "is reachable, want not reachable"},
		{"busybox_with_an_address_is_conclusive", Addr{Address: "10.0.0.5", Port: 5432, Reachable: no}, bbRefused, "pass"},
		{"busybox_with_a_name_is_not", Addr{Address: "db.internal", Port: 5432, Reachable: no}, bbRefused,
			"error: no connection was made (nc: can't connect to remote host (10.0.0.5): Connection refused), but the image's nc tried only the first address of db.internal, which may have others: give an IP address, or install bash or OpenBSD's nc"},
		{"busybox_with_a_name_that_connects", Addr{Address: "db.internal", Port: 5432}, probe.AddrFacts{Tool: "busybox", Connected: true}, "pass"},
		{"resolver_failure_is_not_unreachable", Addr{Address: "db.internal", Port: 5432, Reachable: no},
			probe.AddrFacts{Tool: "bash", EveryAddress: true, Failure: "bash: line 1: db.internal: Temporary failure in name resolution", Unsure: "the name was not resolved, and not because it does not exist (give an IP address)"},
			"error: no connection was made (bash: line 1: db.internal: Temporary failure in name resolution), but that does not show db.internal unreachable: the name was not resolved, and not because it does not exist (give an IP address)"},
		{"no_local_port_is_not_unreachable", Addr{Address: "10.0.0.5", Port: 5432, Reachable: no},
			probe.AddrFacts{Tool: "bash", EveryAddress: true, Failure: "bash: connect: Cannot assign requested address", Unsure: "the image had no local address or port to connect from, so no connection was tried"},
			"error: no connection was made (bash: connect: Cannot assign requested address), but that does not show 10.0.0.5 unreachable: the image had no local address or port to connect from, so no connection was tried"},
		{"no_such_name_is_unreachable", Addr{Address: "db.internal", Port: 5432, Reachable: no},
			probe.AddrFacts{Tool: "bash", EveryAddress: true, Failure: "bash: line 1: db.internal: Name or service not known"}, "pass"},
		{"resolver_failure_fails_a_reachable_check", Addr{Address: "db.internal", Port: 5432},
			probe.AddrFacts{Tool: "bash", EveryAddress: true, Failure: "bash: line 1: db.internal: Temporary failure in name resolution", Unsure: "x"},
			"is not reachable: bash: line 1: db.internal: Temporary failure in name resolution"},
		{"no_tool_is_an_error", Addr{Address: "10.0.0.5", Port: 5432, Reachable: no}, probe.AddrFacts{Err: "the image has neither bash nor nc"}, "error: the image has neither bash nor nc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(tt.check.judge(tt.facts)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestAddrValidate(t *testing.T) {
	tests := []struct {
		name  string
		check Addr
		want  []string
	}{
		{"ipv4", Addr{Address: "10.0.0.5", Port: 5432}, nil},
		{"ipv6_with_zone", Addr{Address: "fe80::1%eth0", Port: 22}, nil},
		{"name", Addr{Address: "db.internal", Port: 5432, Reachable: no, Timeout: time.Second}, nil},
		{"required", Addr{}, []string{"address: is required", "port: is required (a number from 1 to 65535)"}},
		{"port_range", Addr{Address: "x", Port: 70000}, []string{"port: 70000 is not a port number (1 to 65535)"}},
		{"address_with_slash", Addr{Address: "10.0.0.5/24", Port: 1}, []string{`address: "10.0.0.5/24" is not an IP address, and not a host name (letters, digits, hyphens and underscores, between dots)`}},
		{"address_option_like", Addr{Address: "-e", Port: 1}, []string{`address: "-e" is not an IP address, and has a label that starts with a hyphen`}},
		{"address_with_port", Addr{Address: "db:5432", Port: 5432}, []string{`address: "db:5432" is not an IP address, and not a host name (letters, digits, hyphens and underscores, between dots)`}},
		{"timeout_negative", Addr{Address: "x", Port: 1, Timeout: -time.Second}, []string{"timeout: -1s is negative"}},
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

func TestAddrSubjectAndExpectation(t *testing.T) {
	for _, tt := range []struct {
		check             Addr
		subject, expected string
	}{
		{Addr{Address: "10.0.0.5", Port: 5432}, "10.0.0.5:5432", "reachable within 5s"},
		{Addr{Address: "::1", Port: 22, Reachable: no, Timeout: 2 * time.Second}, "[::1]:22", "not reachable within 2s"},
		{Addr{Address: "db.internal", Port: 5432}, "db.internal:5432", "reachable within 5s"},
	} {
		if got := tt.check.Subject(); got != tt.subject {
			t.Errorf("Subject = %q, want %q", got, tt.subject)
		}
		if got := tt.check.Expectation(); got != tt.expected {
			t.Errorf("Expectation = %q, want %q", got, tt.expected)
		}
	}
}

// Each kind's requests add their own time limits to the probe's: a plan with network checks may
// run longer than GatherLimit.
func TestNetworkChecksExtendTheProbesLimit(t *testing.T) {
	p := probe.NewPlan()
	(&Addr{Address: "10.0.0.5", Port: 5432}).Gather(p, Options{})
	(&DNS{Name: "db"}).Gather(p, Options{})
	(&HTTP{URL: "http://x/", Timeout: 2 * time.Second}).Gather(p, Options{})
	// addr: 1 + 5+3; dns: 3×(10+2); http: 1 + 2+3
	if got, want := p.Limit(), probe.GatherLimit+(9+36+6)*time.Second; got != want {
		t.Errorf("Limit = %v, want %v", got, want)
	}
}
