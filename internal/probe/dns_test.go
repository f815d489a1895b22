package probe

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runNetNamespace runs the probe of p with shell, the way runLocal does, in a mount namespace of
// the test's own where /etc/hosts holds hosts, /etc/resolv.conf names 127.0.0.1, where no DNS
// server listens (so that no name is ever asked of a real one), and the programs named in hide
// are in no folder of PATH: each system folder that holds one is replaced by a folder of links
// to the rest. It needs root and unshare(1).
func runNetNamespace(t *testing.T, shell string, p *Plan, hosts string, hide ...string) *Facts {
	t.Helper()
	return runNetNamespaceAsking(t, shell, p, hosts, "127.0.0.1", hide...)
}

// runNetNamespaceAsking is runNetNamespace with nameserver in /etc/resolv.conf.
func runNetNamespaceAsking(t *testing.T, shell string, p *Plan, hosts, nameserver string, hide ...string) *Facts {
	t.Helper()
	if _, err := exec.LookPath("unshare"); err != nil || os.Geteuid() != 0 {
		t.Skip("needs root and unshare(1)")
	}
	script, err := Render(p)
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	os.WriteFile(filepath.Join(work, "hosts"), []byte(hosts), 0o644)
	os.WriteFile(filepath.Join(work, "resolv.conf"), []byte("nameserver "+nameserver+"\n"), 0o644)
	bin := t.TempDir()
	if err := os.Symlink(shell, filepath.Join(bin, "sh")); err != nil {
		t.Fatal(err)
	}
	setup := `set -e
		mount --bind "$1/hosts" /etc/hosts
		mount --bind "$1/resolv.conf" /etc/resolv.conf
		for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
			[ -d "$d" ] && [ ! -L "$d" ] || continue
			found=
			for n in $2; do [ -e "$d/$n" ] && found=1; done
			[ -n "$found" ] || continue
			real=$1/real$(printf %s "$d" | tr / _) stage=$1/stage$(printf %s "$d" | tr / _)
			mkdir "$real" "$stage"
			mount --bind "$d" "$real"
			for f in "$real"/* "$real"/.[!.]*; do
				[ -e "$f" ] || [ -L "$f" ] || continue
				case " $2 " in *" ${f##*/} "*) continue ;; esac
				ln -s "$f" "$stage/${f##*/}"
			done
			mount --bind "$stage" "$d"
		done
		shift 2
		exec "$@"`
	cmd := exec.Command("unshare", "--mount", "--fork", "--propagation", "private", "sh", "-c", setup, "sh", work, strings.Join(hide, " "),
		shell, "-c", RemoteCommand(script, false))
	cmd.Env = append(os.Environ(), "PATH="+bin+":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
	f, _ := runProbe(t, cmd, p, script)
	return f
}

const testHosts = "127.0.0.1 localhost\n::1 localhost ip6-localhost\n10.1.2.3 web.test web\n10.1.2.4 web.test\nfd00::5 web.test\n"

func addrList(f DNSFacts) string {
	var s []string
	for _, a := range f.Addresses {
		s = append(s, a.String())
	}
	return strings.Join(s, " ")
}

// TestProbeDNSLocally resolves localhost through this machine's own resolver: it is in its
// /etc/hosts, so no DNS server is asked.
func TestProbeDNSLocally(t *testing.T) {
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p := NewPlan()
			h := p.DNS("localhost", 5*time.Second)
			f, _ := runLocal(t, sh, p)
			got := get(t, f, h)
			if !got.Resolved || got.Err != "" || !strings.Contains(addrList(got), "127.0.0.1") {
				t.Errorf("localhost: %+v", got)
			}
		})
	}
}

// TestProbeDNSInANamespace resolves names of an /etc/hosts of the test's own: several addresses
// of both families, an alias, a name that is nowhere (the DNS server named does not answer), and
// a name that tries to break out of its quotes.
func TestProbeDNSInANamespace(t *testing.T) {
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			pwned := filepath.Join(t.TempDir(), "pwned")
			p := NewPlan()
			web, alias := p.DNS("web.test", 5*time.Second), p.DNS("web", 5*time.Second)
			nosuch, evil := p.DNS("nosuch.invalid", 5*time.Second), p.DNS("$(touch "+pwned+")", 5*time.Second)
			f := runNetNamespace(t, sh, p, testHosts)
			if got := get(t, f, web); !got.Resolved || got.Database != "ahosts" || addrList(got) != "fd00::5 10.1.2.3 10.1.2.4" {
				t.Errorf("web.test: %+v", got)
			}
			if got := get(t, f, alias); !got.Resolved || addrList(got) != "10.1.2.3" {
				t.Errorf("web: %+v", got)
			}
			if got := get(t, f, nosuch); got.Resolved || got.Err != "" {
				t.Errorf("nosuch.invalid: %+v", got)
			}
			if got := get(t, f, evil); got.Resolved || got.Err != "" {
				t.Errorf("a name with a command substitution: %+v", got)
			}
			if _, err := os.Stat(pwned); err == nil {
				t.Error("a name ran a command")
			}
		})
	}
}

// dnsTestServer listens on port 53 of an address of 127.53.0.0/16 of its own, so that tests run at
// the same time by other processes never ask it, and returns that address. It answers every query
// with NXDOMAIN (no such name), or, if silent, never.
func dnsTestServer(t *testing.T, silent bool) string {
	t.Helper()
	var conn net.PacketConn
	var err error
	for i := 0; i < 20 && conn == nil; i++ {
		n := (os.Getpid() + i*7919) % 65000
		conn, err = net.ListenPacket("udp", fmt.Sprintf("127.53.%d.%d:53", n/250, n%250+1))
	}
	if conn == nil {
		t.Skipf("cannot listen on port 53 of an address of 127.53.0.0/16: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	go func() {
		buf := make([]byte, 512)
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			end := 12
			for end < n && buf[end] != 0 {
				end += int(buf[end]) + 1
			}
			if silent || end+5 > n {
				continue
			}
			r := append([]byte(nil), buf[:end+5]...)
			r[2] = 0x80 | buf[2]&0x79 // a response, to the same opcode, recursion as asked
			r[3] = 0x80 | 3           // recursion available; NXDOMAIN
			clear(r[6:12])            // no answers, authorities or additional records
			conn.WriteTo(r, from)
		}
	}()
	return conn.LocalAddr().(*net.UDPAddr).IP.String()
}

// TestProbeDNSStopsAResolverThatDoesNotAnswer: a DNS server that reads queries and never answers
// keeps getent waiting (glibc's default is 5 s a try); the probe stops it at the request's limit,
// and that is an error, never "not resolvable".
func TestProbeDNSStopsAResolverThatDoesNotAnswer(t *testing.T) {
	server := dnsTestServer(t, true)
	p := NewPlan()
	h := p.DNS("silent.invalid", time.Second)
	p.DNS("localhost", time.Second)
	start := time.Now()
	f := runNetNamespaceAsking(t, mustLook("dash"), p, testHosts, server)
	if took := time.Since(start); took > 6*time.Second {
		t.Errorf("the probe took %v; the resolver's wait was not stopped at 1 s", took)
	}
	if got := get(t, f, h); got.Err != "the resolver gave no answer within 1s, and getent was stopped" {
		t.Errorf("%+v", got)
	}
}

// TestProbeDNSTellsNoSuchNameFromNoAnswer: getent finds no address both where the DNS server says
// the name does not exist and where no server answers; bash's getaddrinfo tells the two apart.
func TestProbeDNSTellsNoSuchNameFromNoAnswer(t *testing.T) {
	server := dnsTestServer(t, false)
	for _, tt := range []struct {
		nameserver, want string
		noSuchName       bool
	}{
		{server, "Name or service not known", true},
		{"127.0.0.1", "Temporary failure in name resolution", false}, // nothing listens there
	} {
		p := NewPlan()
		h := p.DNS("nosuch.invalid", 5*time.Second)
		f := runNetNamespaceAsking(t, mustLook("dash"), p, testHosts, tt.nameserver)
		if got := get(t, f, h); got.Resolved || got.Err != "" || got.NoSuchName != tt.noSuchName || got.Why != tt.want {
			t.Errorf("nameserver %s: %+v", tt.nameserver, got)
		}
	}
}

// TestProbeDNSWithBusyboxOnly: busybox has no getent, and its nslookup would skip /etc/hosts, so
// resolving is an error that says so.
func TestProbeDNSWithBusyboxOnly(t *testing.T) {
	p := NewPlan()
	h := p.DNS("localhost", 5*time.Second)
	f := runBusyboxOnly(t, p)
	if got := get(t, f, h); !strings.Contains(got.Err, "no getent") || got.Resolved {
		t.Errorf("%+v", got)
	}
}

func TestDNSFromRealGetent(t *testing.T) {
	q := dnsRequest{"x", 5 * time.Second}
	tests := []struct {
		fixture, db, want string
	}{
		{"dns-ahosts-localhost", "", "ahosts ::1 127.0.0.1"},
		{"dns-ahosts-several", "", "ahosts fd00::5 10.1.2.3 10.1.2.4"},
		{"dns-ahosts-alias", "", "ahosts 10.1.2.3"},
		{"dns-ahosts-nosuch", "", "not resolved"},
		{"dns-hosts-several", "hosts", "hosts fd00::5"},
		{"dns-hosts-nosuch", "hosts", "not resolved"},
		{"dns-unknown-database", "hosts", "error: getent hosts failed (exit status 1): Unknown database: nosuchdb"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			out, stderr, status := recorded(t, tt.fixture)
			r := recs("dns.status", "0", status, "dns.out", "0", out, "dns.err", "0", stderr)
			if tt.db != "" {
				r[key{"dns.db", "0"}] = []byte(tt.db)
			}
			if got := dnsVerdict(dnsAnswer(r, 0, q)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestDNSReasonsFromRealBash: why a name has no address, in the words of bash's getaddrinfo.
func TestDNSReasonsFromRealBash(t *testing.T) {
	q := dnsRequest{"nosuch.invalid", 5 * time.Second}
	out, stderr, status := recorded(t, "dns-ahosts-nxdomain")
	for _, tt := range []struct{ fixture, want string }{
		{"dns-why-nxdomain", "no such name: Name or service not known"},
		{"dns-why-no-server", "no answer: Temporary failure in name resolution"},
		{"dns-why-found", "error: getent found no address for the name, but asked again right after, the resolver gave one: its answers differ"},
	} {
		wOut, wErr, wStatus := recorded(t, tt.fixture)
		f := dnsAnswer(recs("dns.status", "0", status, "dns.out", "0", out, "dns.err", "0", stderr,
			"dns.whystatus", "0", wStatus, "dns.why", "0", wOut+wErr), 0, q)
		got := "no answer: " + f.Why
		switch {
		case f.Err != "":
			got = "error: " + f.Err
		case f.Resolved:
			got = "resolved"
		case f.NoSuchName:
			got = "no such name: " + f.Why
		}
		if got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.fixture, got, tt.want)
		}
	}
	// no bash: nothing is known of why
	if f := dnsAnswer(recs("dns.status", "0", status, "dns.out", "0", out, "dns.err", "0", stderr), 0, q); f.NoSuchName || f.Why != "" || f.Resolved || f.Err != "" {
		t.Errorf("without bash: %+v", f)
	}
	// bash stopped by the watchdog: the resolver did not answer
	if f := dnsAnswer(recs("dns.status", "0", "2", "dns.out", "0", "", "dns.err", "0", "", "dns.whystatus", "0", "143", "dns.whylate", "0", "", "dns.why", "0", ""), 0, q); f.NoSuchName || f.Why != "asked again, the resolver gave no answer within 5s" {
		t.Errorf("bash stopped: %+v", f)
	}
}

func dnsVerdict(f DNSFacts) string {
	switch {
	case f.Err != "":
		return "error: " + f.Err
	case !f.Resolved:
		return "not resolved"
	}
	return f.Database + " " + addrList(f)
}

// Ways a name looked resolved, or not, when that was not seen.
func TestDNSAnswersThatWereNotSeen(t *testing.T) {
	q := dnsRequest{"x", 3 * time.Second}
	for _, tt := range []struct {
		name string
		r    records
		want string
	}{
		{"garbage_line", recs("dns.status", "0", "0", "dns.out", "0", "127.0.0.1 STREAM x\nnot an address\n", "dns.err", "0", ""),
			`error: getent printed "not an address", which is not an address`},
		{"found_but_empty", recs("dns.status", "0", "0", "dns.out", "0", "", "dns.err", "0", ""), "error: getent found the name but printed no address"},
		{"stopped", recs("dns.status", "0", "143", "dns.late", "0", "", "dns.out", "0", "", "dns.err", "0", ""),
			"error: the resolver gave no answer within 3s, and getent was stopped"},
		{"watchdog_fired_as_it_ended", recs("dns.status", "0", "2", "dns.late", "0", "", "dns.out", "0", "", "dns.err", "0", ""), "not resolved"},
		{"enumeration_not_supported", recs("dns.status", "0", "3", "dns.out", "0", "", "dns.err", "0", "Enumeration not supported on ahosts\n"),
			"error: getent ahosts failed (exit status 3): Enumeration not supported on ahosts"},
		{"getent_not_runnable", recs("dns.status", "0", "126", "dns.out", "0", "", "dns.err", "0", "sh: getent: Permission denied\n"),
			"error: getent ahosts failed (exit status 126): sh: getent: Permission denied"},
		{"no_records", records{}, "error: the probe did not report getent's answer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := dnsVerdict(dnsAnswer(tt.r, 0, q)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	p := NewPlan()
	h := p.DNS("x", time.Second)
	for tool, want := range map[string]string{"": "the probe did not say how it resolves names", "none": "the image has no getent(1)"} {
		r := records{}
		if tool != "" {
			r = recs("dns.tool", "-", tool)
		}
		if got := get(t, parsed(p, r), h); !strings.HasPrefix(got.Err, want) || got.Resolved {
			t.Errorf("tool %q: %+v", tool, got)
		}
	}
	if _, err := netip.ParseAddr("fe80::1%eth0"); err != nil {
		t.Fatal(err)
	}
	if a, _, err := getentAddresses("fe80::1%eth0 STREAM x\n"); err != "" || fmt.Sprint(a) != "[fe80::1%eth0]" {
		t.Errorf("a scoped address: %v %s", a, err)
	}
}

// A line of /etc/hosts written twice gives its address twice, in Every as goss measures it, and
// once in Addresses. Recorded on this Debian 12 machine (glibc 2.36) with /etc/hosts holding
// "10.1.2.3 dup.test" twice and "10.1.2.4 dup.test" once, bind-mounted in a mount namespace:
//
//	unshare -m sh -c 'mount --bind hosts /etc/hosts && getent ahosts dup.test; getent hosts dup.test'
func TestDNSAddressGivenTwice(t *testing.T) {
	const ahosts = "10.1.2.3        STREAM dup.test\n10.1.2.3        DGRAM  \n10.1.2.3        RAW    \n" +
		"10.1.2.3        STREAM \n10.1.2.3        DGRAM  \n10.1.2.3        RAW    \n" +
		"10.1.2.4        STREAM \n10.1.2.4        DGRAM  \n10.1.2.4        RAW    \n"
	const hosts = "10.1.2.3        dup.test\n10.1.2.3        dup.test\n10.1.2.4        dup.test\n"
	for _, out := range []string{ahosts, hosts} {
		once, every, err := getentAddresses(out)
		if err != "" || fmt.Sprint(once) != "[10.1.2.3 10.1.2.4]" || fmt.Sprint(every) != "[10.1.2.3 10.1.2.3 10.1.2.4]" {
			t.Errorf("%q: once %v, every %v, %s", out, once, every, err)
		}
	}
}
