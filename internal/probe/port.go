package probe

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// A Socket is a listening TCP socket or a bound, unconnected UDP socket.
type Socket struct {
	Protocol string // tcp or udp
	Addr     netip.Addr
	Port     int
	// For an IPv6 socket: whether it refuses IPv4 (IPV6_V6ONLY), and whether that is known. The
	// kernel's tables do not say; ss(8) does, where the image has it.
	V6Only, V6OnlyKnown bool
}

// PortFacts are the sockets listening in the image's network namespace.
type PortFacts struct {
	Sockets []Socket
	Err     string // why the socket tables could not be read
}

var portKind = register("port", "port", func() gatherer { return &ports{} })

// ports gathers the socket tables once, whatever the number of port checks.
type ports struct{}

// Ports asks for the kernel's tables of listening sockets.
func (p *Plan) Ports() Fact[PortFacts] {
	part[*ports](p, portKind)
	return newFact[PortFacts](p, portKind, 0)
}

func (g *ports) render(s *script) { s.call(&s.main, "ports") }

// The socket states of /proc/net/{tcp,udp}: a TCP socket in LISTEN, a UDP socket unconnected.
const (
	tcpListen = "0A"
	udpClose  = "07"
)

func (g *ports) parse(r records) any {
	var pf PortFacts
	read := 0
	v6only := ssV6Only(r)
	for _, table := range []string{"tcp", "tcp6", "udp", "udp6"} {
		out, ok := r.get("port."+table, "-")
		if !ok {
			continue
		}
		read++
		proto := strings.TrimSuffix(table, "6")
		for _, l := range strings.Split(string(out), "\n")[1:] {
			s, ok := parseSocketLine(proto, l)
			if !ok {
				continue
			}
			if s.Addr.Is6() && !s.Addr.Is4In6() {
				s.V6Only, s.V6OnlyKnown = v6only[socketKey(s)]
			}
			pf.Sockets = append(pf.Sockets, s)
		}
	}
	if read == 0 {
		pf.Err = "cannot read the socket tables in /proc/net (is /proc mounted?)"
	}
	return []PortFacts{pf}
}

func socketKey(s Socket) string { return fmt.Sprintf("%s %s %d", s.Protocol, s.Addr, s.Port) }

// ssV6Only reads `ss -l -n -e -t -u -6`: lines like
// "tcp LISTEN 0 511 [::]:8083 [::]:* ino:… v6only:1 <->", where a dual-stack wildcard shows as "*".
func ssV6Only(r records) map[string]bool {
	found := map[string]bool{}
	if status, _ := r.text("port.ssstatus", "-"); status != "0" {
		return found
	}
	out, _ := r.get("port.ss", "-")
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) < 6 || (f[0] != "tcp" && f[0] != "udp") {
			continue
		}
		addr, port, ok := ssAddress(f[4])
		if !ok {
			continue
		}
		for _, tok := range f[6:] {
			if v, ok := strings.CutPrefix(tok, "v6only:"); ok && (v == "0" || v == "1") {
				found[socketKey(Socket{Protocol: f[0], Addr: addr, Port: port})] = v == "1"
			}
		}
	}
	return found
}

// ssAddress reads ss's "[::]:80", "*:80", "[fe80::1]%eth0:80" or "[::ffff:127.0.0.1]:80".
func ssAddress(s string) (netip.Addr, int, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return netip.Addr{}, 0, false
	}
	port, err := strconv.Atoi(s[i+1:])
	host := s[:i]
	if h, _, found := strings.Cut(host, "%"); found {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "*" {
		host = "::"
	}
	addr, err2 := netip.ParseAddr(host)
	return addr, port, err == nil && err2 == nil
}

// parseSocketLine reads "sl local_address rem_address st ..." where addresses are
// "HEXADDR:HEXPORT", the address in the kernel's byte order, 32 bits at a time.
func parseSocketLine(proto, line string) (Socket, bool) {
	f := strings.Fields(line)
	if len(f) < 4 {
		return Socket{}, false
	}
	want := tcpListen
	if proto == "udp" {
		want = udpClose
	}
	if f[3] != want {
		return Socket{}, false
	}
	addr, port, err := parseHexAddr(f[1])
	if err != nil {
		return Socket{}, false
	}
	return Socket{Protocol: proto, Addr: addr, Port: port}, true
}

func parseHexAddr(s string) (netip.Addr, int, error) {
	a, p, ok := strings.Cut(s, ":")
	if !ok {
		return netip.Addr{}, 0, fmt.Errorf("no port in %q", s)
	}
	port, err := strconv.ParseUint(p, 16, 16)
	if err != nil {
		return netip.Addr{}, 0, err
	}
	raw, err := hex.DecodeString(a)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return netip.Addr{}, 0, fmt.Errorf("bad address %q", a)
	}
	for w := 0; w < len(raw); w += 4 { // each 32-bit word is little-endian on the machines we serve
		raw[w], raw[w+1], raw[w+2], raw[w+3] = raw[w+3], raw[w+2], raw[w+1], raw[w]
	}
	addr, _ := netip.AddrFromSlice(raw)
	return addr, int(port), nil
}

func (g *ports) fake(w *recordWriter) {
	var tcp strings.Builder
	tcp.WriteString("  sl  local_address rem_address   st\n")
	for port := 1; port < 2100; port++ {
		fmt.Fprintf(&tcp, "%4d: 00000000:%04X 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1\n", port, port)
	}
	w.blob("port.tcp", "-", tcp.String())
}
