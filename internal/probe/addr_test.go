package probe

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// openListener accepts connections on 127.0.0.1 (or addr) and closes them; it returns the port.
func openListener(t *testing.T, addr string) (int, bool) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return 0, false
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port, true
}

// closedPort returns a port of 127.0.0.1 where nothing listens.
func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// heldListener listens on 127.0.0.1 with a queue of one connection (listen(2) backlog 0), which
// it fills and never accepts: the kernel drops every further SYN, so a connection hangs as it
// does to a host behind a firewall that drops packets.
func heldListener(t *testing.T) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, _ := syscall.Getsockname(fd)
	addr := "127.0.0.1:" + strconv.Itoa(sa.(*syscall.SockaddrInet4).Port)
	first, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { first.Close() })
	if c, err := net.DialTimeout("tcp", addr, 300*time.Millisecond); err == nil {
		c.Close()
		t.Skip("this kernel takes connections beyond a full listen queue")
	}
	return sa.(*syscall.SockaddrInet4).Port
}

func addrVerdict(f AddrFacts) string {
	switch {
	case f.Err != "":
		return "error: " + f.Err
	case f.Connected:
		return "connected"
	case f.Unsure != "":
		return "failure: " + f.Failure + " (unsure: " + f.Unsure + ")"
	}
	return "failure: " + f.Failure
}

func TestProbeAddrLocally(t *testing.T) {
	open, _ := openListener(t, "127.0.0.1:0")
	open6, has6 := openListener(t, "[::1]:0")
	closed, held := closedPort(t), heldListener(t)
	for _, sh := range testShells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			p := NewPlan()
			hOpen := p.Addr("127.0.0.1", open, 3*time.Second)
			hClosed := p.Addr("127.0.0.1", closed, 3*time.Second)
			hHeld := p.Addr("127.0.0.1", held, time.Second)
			hOpen6 := p.Addr("::1", open6, 3*time.Second)
			start := time.Now()
			f, _ := runLocal(t, sh, p)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("the probe took %v: the held connection was not stopped after 1 s", took)
			}
			if got := get(t, f, hOpen); !got.Connected || got.Tool != "bash" || !got.EveryAddress {
				t.Errorf("open: %+v", got)
			}
			if got := addrVerdict(get(t, f, hClosed)); got != "failure: bash: line 1: /dev/tcp/127.0.0.1/"+strconv.Itoa(closed)+": Connection refused" {
				t.Errorf("closed: %s", got)
			}
			if got := addrVerdict(get(t, f, hHeld)); got != "failure: no connection within 1s" {
				t.Errorf("held: %s", got)
			}
			if got := get(t, f, hOpen6); has6 && !got.Connected {
				t.Errorf("open on ::1: %+v", got)
			}
		})
	}
}

// TestProbeAddrInANamespace connects by name, through an /etc/hosts of the test's own, with each
// tool the probe may find: bash, OpenBSD's nc where bash is hidden, and nothing where both are.
func TestProbeAddrInANamespace(t *testing.T) {
	open, _ := openListener(t, "127.0.0.1:0")
	closed, held := closedPort(t), heldListener(t)
	hosts := "127.0.0.1 localhost\n127.0.0.1 db.test\n"
	dash := mustLook("dash")
	t.Run("bash", func(t *testing.T) {
		pwned := filepath.Join(t.TempDir(), "pwned")
		p := NewPlan()
		name, nosuch := p.Addr("db.test", open, 3*time.Second), p.Addr("nosuch.invalid", open, 3*time.Second)
		evil := p.Addr("$(touch${IFS}"+pwned+")", open, 3*time.Second)
		f := runNetNamespace(t, dash, p, hosts)
		if got := addrVerdict(get(t, f, name)); got != "connected" {
			t.Errorf("db.test: %s", got)
		}
		if got := addrVerdict(get(t, f, nosuch)); !strings.Contains(got, "nosuch.invalid: Temporary failure in name resolution (unsure: ") {
			t.Errorf("nosuch.invalid: %s", got)
		}
		get(t, f, evil)
		if _, err := os.Stat(pwned); err == nil {
			t.Error("a host ran a command")
		}
	})
	// a name the DNS server says does not exist cannot be reached: no doubt about it
	t.Run("no-such-name", func(t *testing.T) {
		server := dnsTestServer(t, false)
		p := NewPlan()
		h := p.Addr("nosuch.invalid", open, 3*time.Second)
		f := runNetNamespaceAsking(t, dash, p, hosts, server)
		if got := addrVerdict(get(t, f, h)); got != "failure: bash: line 1: nosuch.invalid: Name or service not known" {
			t.Errorf("nosuch.invalid: %s", got)
		}
	})
	t.Run("openbsd-nc", func(t *testing.T) {
		if out, _ := runOutput("nc", "-h"); !strings.HasPrefix(out, "OpenBSD netcat") {
			t.Skip("needs OpenBSD's nc (netcat-openbsd) as nc")
		}
		p := NewPlan()
		hOpen, hName := p.Addr("127.0.0.1", open, 3*time.Second), p.Addr("db.test", open, 3*time.Second)
		hClosed, hHeld := p.Addr("127.0.0.1", closed, 3*time.Second), p.Addr("127.0.0.1", held, time.Second)
		f := runNetNamespace(t, dash, p, hosts, "bash")
		if got := get(t, f, hOpen); !got.Connected || got.Tool != "openbsd" || !got.EveryAddress {
			t.Errorf("open: %+v", got)
		}
		if got := addrVerdict(get(t, f, hName)); got != "connected" {
			t.Errorf("db.test: %s", got)
		}
		if got := addrVerdict(get(t, f, hClosed)); !strings.HasSuffix(got, "failed: Connection refused") {
			t.Errorf("closed: %s", got)
		}
		if got := addrVerdict(get(t, f, hHeld)); !strings.Contains(got, "timed out") {
			t.Errorf("held: %s", got)
		}
	})
	t.Run("neither", func(t *testing.T) {
		p := NewPlan()
		h := p.Addr("127.0.0.1", open, 3*time.Second)
		f := runNetNamespace(t, dash, p, hosts, "bash", "nc")
		if got := get(t, f, h); got.Err != "the image has neither bash nor nc, so no TCP connection can be opened from inside it" {
			t.Errorf("%+v", got)
		}
	})
}

func runOutput(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestProbeAddrWithBusyboxOnly: busybox's small nc, which connects, runs true and ends.
func TestProbeAddrWithBusyboxOnly(t *testing.T) {
	busyboxOnly(t)
	open, _ := openListener(t, "127.0.0.1:0")
	closed, held := closedPort(t), heldListener(t)
	p := NewPlan()
	hOpen, hClosed, hHeld := p.Addr("127.0.0.1", open, 3*time.Second), p.Addr("127.0.0.1", closed, 3*time.Second), p.Addr("127.0.0.1", held, time.Second)
	f := runBusyboxOnly(t, p)
	if got := get(t, f, hOpen); !got.Connected || !strings.HasPrefix(got.Tool, "busybox") || got.EveryAddress {
		t.Errorf("open: %+v", got)
	}
	if got := addrVerdict(get(t, f, hClosed)); !strings.HasSuffix(got, "Connection refused") {
		t.Errorf("closed: %s", got)
	}
	if got := addrVerdict(get(t, f, hHeld)); got != "failure: nc: timed out" && got != "failure: no connection within 1s" {
		t.Errorf("held: %s", got)
	}
}

func TestAddrFromRealBashAndNc(t *testing.T) {
	tests := []struct{ tool, fixture, want string }{
		{"bash", "addr-bash-open", "connected"},
		{"bash", "addr-bash-refused", "failure: bash: line 1: /dev/tcp/127.0.0.1/18193: Connection refused"},
		{"bash", "addr-bash-refused-ipv6", "failure: bash: line 1: /dev/tcp/::1/18193: Connection refused"},
		{"bash", "addr-bash-name", "connected"},
		{"bash", "addr-bash-nosuch", "failure: bash: line 1: nosuch.invalid: Temporary failure in name resolution (unsure: the name was not resolved, and not because it does not exist (give an IP address))"},
		{"openbsd", "addr-openbsd-open", "connected"},
		{"openbsd", "addr-openbsd-refused", "failure: nc: connect to 127.0.0.1 port 18193 (tcp) failed: Connection refused"},
		{"openbsd", "addr-openbsd-timeout", "failure: nc: connect to 127.0.0.1 port 18192 (tcp) timed out: Operation now in progress"},
		{"openbsd", "addr-openbsd-nosuch", `failure: nc: getaddrinfo for host "nosuch.invalid" port 18191: Temporary failure in name resolution (unsure: the name was not resolved, and not because it does not exist (give an IP address))`},
		{"openbsd", "addr-openbsd-badport", "error: OpenBSD's nc failed (exit status 1) without saying why no connection was made: nc: port number too small: 0"},
		{"busybox", "addr-busybox-open", "connected"},
		{"busybox", "addr-busybox-refused", "failure: nc: can't connect to remote host (127.0.0.1): Connection refused"},
		{"busybox", "addr-busybox-timeout", "failure: nc: timed out"},
		{"busybox", "addr-busybox-nosuch", "failure: nc: bad address 'nosuch.invalid' (unsure: the name was not resolved, and not because it does not exist (give an IP address))"},
		// its usage message, as when it was built without -e: never a failure to connect
		{"busybox", "addr-busybox-help", "error: busybox's nc failed (exit status 1) without saying why no connection was made: nc: invalid option -- 'h'"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			out, stderr, status := recorded(t, tt.fixture)
			p := NewPlan()
			h := p.Addr("x", 1, 2*time.Second)
			// addr.sh keeps stdout and stderr together
			f := parsed(p, recs("addr.tool", "-", tt.tool, "addr.status", "0", status, "addr.said", "0", out+stderr))
			if got := addrVerdict(get(t, f, h)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// Ways a connection looked made, or refused, when that was not seen.
func TestAddrAnswersThatWereNotSeen(t *testing.T) {
	p := NewPlan()
	h := p.Addr("db.test", 5432, 3*time.Second)
	for _, tt := range []struct {
		name string
		r    records
		want string
	}{
		{"stopped_by_the_watchdog", recs("addr.tool", "-", "bash", "addr.status", "0", "143", "addr.late", "0", "", "addr.said", "0", ""),
			"failure: no connection within 3s (unsure: the time may have gone to resolving the name rather than to connecting (give an IP address))"},
		{"no_local_address_or_port", recs("addr.tool", "-", "bash", "addr.status", "0", "1", "addr.said", "0", "bash: connect: Cannot assign requested address\nbash: line 1: /dev/tcp/db.test/5432: Cannot assign requested address\n"),
			"failure: bash: line 1: /dev/tcp/db.test/5432: Cannot assign requested address (unsure: the image had no local address or port to connect from, so no connection was tried)"},
		{"watchdog_fired_as_it_connected", recs("addr.tool", "-", "bash", "addr.status", "0", "0", "addr.late", "0", "", "addr.said", "0", ""), "connected"},
		{"killed_by_someone_else", recs("addr.tool", "-", "bash", "addr.status", "0", "137", "addr.said", "0", "Killed\n"),
			"error: bash failed (exit status 137) without saying why no connection was made: Killed"},
		{"bash_without_net_redirections", recs("addr.tool", "-", "bash", "addr.status", "0", "1", "addr.said", "0", "bash: line 1: /dev/tcp/db.test/5432: No such file or directory\n"),
			"error: bash failed (exit status 1) without saying why no connection was made: bash: line 1: /dev/tcp/db.test/5432: No such file or directory"},
		{"nc_not_runnable", recs("addr.tool", "-", "nc", "addr.status", "0", "126", "addr.said", "0", "sh: nc: Permission denied\n"),
			"error: nc failed (exit status 126) without saying why no connection was made: sh: nc: Permission denied"},
		{"no_status", recs("addr.tool", "-", "bash", "addr.said", "0", ""), "error: the probe did not report the connection's outcome"},
		{"no_tool", recs("addr.tool", "-", "none"), "error: the image has neither bash nor nc, so no TCP connection can be opened from inside it"},
		{"unknown_nc", recs("addr.tool", "-", "unknown"), "error: the image has no bash, and its nc is of a kind the probe does not know (it has no -z)"},
		{"no_records", records{}, "error: the probe did not say how it opens TCP connections"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := addrVerdict(get(t, parsed(p, tt.r), h)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestAddrToolChoice runs addr_tool with the recorded help of OpenBSD's nc and busybox's small
// nc, and with modelled ones: busybox's nc built with NC_110_COMPAT (its usage text in
// networking/nc_bloaty.c has "-z	Zero-I/O mode [scanning]") and netcat-traditional 1.10 ("-z
// zero-I/O mode [used for scanning]", from its nc -h).
func TestAddrToolChoice(t *testing.T) {
	bsdOut, bsdErr, bsdStatus := recorded(t, "addr-openbsd-help")
	bbOut, bbErr, bbStatus := recorded(t, "addr-busybox-help")
	for _, tt := range []struct{ has, out, stderr, status, want string }{
		{"bash nc", "", "", "0", "bash"},
		{"nc", bsdOut, bsdErr, bsdStatus, "openbsd"},
		{"nc", bbOut, bbErr, bbStatus, "busybox"},
		{"nc", "", "nc: invalid option -- 'h'\nBusyBox v1.36.1 (2023-07-27 17:12:24 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\n\t-z\tZero-I/O mode [scanning]\n", "1", "busybox-z"},
		{"nc", "", "[v1.10-47]\nconnect to somewhere:\tnc [-options] hostname port[s] [ports] ...\n\t-z\t\t\tzero-I/O mode [used for scanning]\n", "1", "nc"},
		{"nc", "", "usage: nc host port\n", "1", "unknown"},
		{"", "", "", "", "none"},
	} {
		got := runShellFunction(t, "addr", tt.has, "nc", tt.out, tt.stderr, tt.status, "addr_tool")
		if got != "L addr.tool - "+tt.want+"\n" {
			t.Errorf("with %q: %q, want tool %s", tt.has, got, tt.want)
		}
	}
}

// FakeOutput, what benchmarks and tests parse at scale, gives every network fact as seen on a
// healthy image.
func TestNetworkFakeOutputParses(t *testing.T) {
	p := NewPlan()
	h := p.HTTP(HTTPRequest{URL: "http://localhost/", Timeout: time.Second, Body: true})
	d := p.DNS("db.internal", time.Second)
	a := p.Addr("10.0.0.5", 5432, time.Second)
	f, err := Parse(p, FakeOutput(p))
	if err != nil {
		t.Fatal(err)
	}
	if got := get(t, f, h); got.Err != "" || got.Status != 200 || string(got.Body) != "<html>ok</html>\n" {
		t.Errorf("http: %+v", got)
	}
	if got := get(t, f, d); !got.Resolved || addrList(got) != "10.0.0.5" {
		t.Errorf("dns: %+v", got)
	}
	if got := get(t, f, a); !got.Connected {
		t.Errorf("addr: %+v", got)
	}
}
