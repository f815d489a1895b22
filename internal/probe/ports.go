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
}

// PortFacts are the sockets listening in the image's network namespace.
type PortFacts struct {
	Sockets []Socket
	Err     string // why the socket tables could not be read
}

// The socket states of /proc/net/{tcp,udp}: a TCP socket in LISTEN, a UDP socket unconnected.
const (
	tcpListen = "0A"
	udpClose  = "07"
)

func parsePorts(recs map[key][]byte) PortFacts {
	var pf PortFacts
	read := 0
	for _, table := range []string{"tcp", "tcp6", "udp", "udp6"} {
		out, ok := recs[key{"n." + table, "-"}]
		if !ok {
			continue
		}
		read++
		proto := strings.TrimSuffix(table, "6")
		for _, line := range strings.Split(string(out), "\n")[1:] {
			s, ok := parseSocketLine(proto, line)
			if ok {
				pf.Sockets = append(pf.Sockets, s)
			}
		}
	}
	if read == 0 {
		pf.Err = "cannot read the socket tables in /proc/net (is /proc mounted?)"
	}
	return pf
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
