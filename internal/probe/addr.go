package probe

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// AddrFacts are what came of a TCP connection opened from inside the image: it was made, or it
// was seen to fail and why, or it could not be tried.
type AddrFacts struct {
	Tool      string // bash, or nc: openbsd, busybox (the small one, without -z), busybox-z or nc (another)
	Connected bool
	// Why no connection was made, in the tool's words: refused, unreachable, no answer in time,
	// a name that did not resolve.
	Failure string
	// Why the Failure does not show that the host cannot be reached: the name was not resolved
	// because the resolver failed (or the tool does not say why), or the time ran out where it
	// may have gone to resolving the name rather than to connecting.
	Unsure string
	// The tool tries every address of a host name in turn, as most programs do (bash, OpenBSD's
	// nc); other tools try only the first, so a failure with a name is not conclusive.
	EveryAddress bool
	Err          string // why the connection could not be tried, or what came of it is not known
}

var addrKind = register("addr", "addr", func() gatherer { return &addrs{} })

type addrRequest struct {
	host    string
	port    int
	timeout time.Duration
}

type addrs struct{ requests[addrRequest] }

// Addr asks for a TCP connection to host (an IP address or a name, resolved in the image) and
// port, opened from inside the image within timeout (rounded up to whole seconds), then closed
// without sending anything.
func (p *Plan) Addr(host string, port int, timeout time.Duration) Fact[AddrFacts] {
	g := part[*addrs](p, addrKind)
	id, _ := g.add(fmt.Sprintf("%q %d %d", host, port, seconds(timeout)), addrRequest{host, port, timeout})
	return newFact[AddrFacts](p, addrKind, id)
}

// limit: one connection after another, each stopped at most 3 s after its limit (a second
// after it, then 2 s from TERM to KILL), and the tool is chosen once.
func (g *addrs) limit() time.Duration {
	total := time.Second
	for _, q := range g.list {
		total += time.Duration(seconds(q.timeout)+3) * time.Second
	}
	return total
}

func (g *addrs) render(s *script) {
	s.call(&s.main, "addr_tool")
	for i, q := range g.list {
		s.call(&s.main, "addr_get", strconv.Itoa(i), strconv.Itoa(seconds(q.timeout)), q.host, strconv.Itoa(q.port))
	}
}

func (g *addrs) parse(r records) any {
	facts := make([]AddrFacts, len(g.list))
	tool, told := r.text("addr.tool", "-")
	for i, q := range g.list {
		f := AddrFacts{Tool: tool, EveryAddress: tool == "bash" || tool == "openbsd"}
		switch tool {
		case "bash", "busybox", "busybox-z", "openbsd", "nc":
			addrOutcome(&f, r, i, q)
		case "none":
			f.Err = "the image has neither bash nor nc, so no TCP connection can be opened from inside it"
		case "unknown":
			f.Err = "the image has no bash, and its nc is of a kind the probe does not know (it has no -z)"
		default:
			if !told {
				f.Err = "the probe did not say how it opens TCP connections"
			} else {
				f.Err = fmt.Sprintf("the probe named a tool it does not know: %q", tool)
			}
		}
		facts[i] = f
	}
	return facts
}

// connectFailures are what the C library, musl's or glibc's, and the tools say of a connection
// that was tried and not made, or of a name that did not resolve. Anything else a tool says when
// it fails (a usage message, a crash) leaves the question open.
var connectFailures = []string{
	"Connection refused", "No route to host", "Host is unreachable", "Network is unreachable", "Network unreachable",
	"timed out", "Operation not permitted", "Address family not supported", "Cannot assign requested address",
	"Name or service not known", "No address associated with hostname", "Temporary failure in name resolution",
	"Name does not resolve", "Name has no usable address", "bad address",
}

// resolverFailures are what getaddrinfo, and busybox's nc, say of a name that was not resolved
// for a reason other than that it does not exist.
var resolverFailures = []string{"Temporary failure in name resolution", "Non-recoverable failure in name resolution", "bad address"}

func addrOutcome(f *AddrFacts, r records, i int, q addrRequest) {
	status, ok := r.number("addr.status", i)
	said, ok1 := r.text("addr.said", i)
	_, err := netip.ParseAddr(q.host)
	name := err != nil
	switch {
	case !ok || !ok1:
		f.Err = "the probe did not report the connection's outcome"
	case r.has("addr.late", i) && (status == killedByTERM || status == killedByKILL):
		f.Failure = fmt.Sprintf("no connection within %s", time.Duration(seconds(q.timeout))*time.Second)
		if name {
			f.Unsure = "the time may have gone to resolving the name rather than to connecting (give an IP address)"
		}
	case status == 0:
		f.Connected = true
	case status == 1 && connectFailed(said):
		f.Failure = failureLine(said)
		for _, s := range resolverFailures {
			if strings.Contains(f.Failure, s) {
				f.Unsure = "the name was not resolved, and not because it does not exist (give an IP address)"
			}
		}
		if strings.Contains(f.Failure, "Cannot assign requested address") {
			// EADDRNOTAVAIL: no local address or port to connect from (ports used up, an
			// address not yet configured): no connection was tried
			f.Unsure = "the image had no local address or port to connect from, so no connection was tried"
		}
	default:
		f.Err = fmt.Sprintf("%s failed (exit status %d) without saying why no connection was made: %s", addrToolName(f.Tool), status, firstLine(said, "it said nothing"))
	}
}

func connectFailed(said string) bool {
	for _, s := range connectFailures {
		if strings.Contains(said, s) {
			return true
		}
	}
	return false
}

// failureLine is the last line that says why, which is the most precise: bash says
// "connect: Connection refused", then the path and the reason again.
func failureLine(said string) string {
	lines := strings.Split(said, "\n")
	for k := len(lines) - 1; k >= 0; k-- {
		if l := strings.TrimSpace(lines[k]); connectFailed(l) {
			return l
		}
	}
	return firstLine(said, "")
}

func addrToolName(tool string) string {
	switch tool {
	case "bash":
		return "bash"
	case "busybox", "busybox-z":
		return "busybox's nc"
	case "openbsd":
		return "OpenBSD's nc"
	}
	return "nc"
}

func (g *addrs) fake(w *recordWriter) {
	w.line("addr.tool", "-", "bash")
	for i := range g.list {
		w.line("addr.status", i, "0")
		w.blob("addr.said", i, "")
	}
}
