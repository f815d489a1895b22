package probe

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// DNSFacts are what the image's resolver answered for a name: through the C library, as the
// image's programs resolve names (/etc/hosts, DNS, whatever nsswitch.conf names).
type DNSFacts struct {
	Resolved  bool         // the resolver gave addresses for the name
	Addresses []netip.Addr // each once, in the resolver's order
	// Every address as often as the resolver gave it (a line of /etc/hosts written twice gives
	// its address twice), in the resolver's order: what goss's net.LookupHost measures.
	Every []netip.Addr
	// Where the addresses come from: "ahosts" (getaddrinfo, both address families) or, where
	// getent has no ahosts database, "hosts" (the IPv6 addresses when the name has any, else
	// the IPv4 ones).
	Database string
	// For a name without addresses, getent does not say why; the C library's reason, where bash
	// could ask for it: NoSuchName when it says the name does not exist or has no address (not
	// when the resolver failed to answer), and Why in its words.
	NoSuchName bool
	Why        string
	Err        string // why the name could not be resolved: no getent, no answer in time, a failure
}

var dnsKind = register("dns", "dns", func() gatherer { return &dnsNames{} })

type dnsRequest struct {
	name    string
	timeout time.Duration
}

type dnsNames struct{ requests[dnsRequest] }

// DNS asks for the addresses of name, resolved inside the image within timeout (rounded up to
// whole seconds).
func (p *Plan) DNS(name string, timeout time.Duration) Fact[DNSFacts] {
	g := part[*dnsNames](p, dnsKind)
	id, _ := g.add(fmt.Sprintf("%q %d", name, seconds(timeout)), dnsRequest{name, timeout})
	return newFact[DNSFacts](p, dnsKind, id)
}

// limit: one name after another, each asked at most three times (getent ahosts, getent hosts,
// bash for the reason), each time stopped at most 2 s after its limit.
func (g *dnsNames) limit() time.Duration {
	var total time.Duration
	for _, q := range g.list {
		total += 3 * time.Duration(seconds(q.timeout)+2) * time.Second
	}
	return total
}

func (g *dnsNames) render(s *script) {
	s.call(&s.main, "dns_tool")
	for i, q := range g.list {
		s.call(&s.main, "dns_get", strconv.Itoa(i), strconv.Itoa(seconds(q.timeout)), q.name)
	}
}

// getent's exit status for a key it did not find.
const getentNotFound = 2

func (g *dnsNames) parse(r records) any {
	facts := make([]DNSFacts, len(g.list))
	tool, told := r.text("dns.tool", "-")
	for i, q := range g.list {
		switch {
		case !told:
			facts[i].Err = "the probe did not say how it resolves names"
		case tool == "none":
			facts[i].Err = "the image has no getent(1), which resolves names as the image's programs do " +
				"(busybox's nslookup would ask DNS servers directly and skip /etc/hosts)"
		default:
			facts[i] = dnsAnswer(r, i, q)
		}
	}
	return facts
}

func dnsAnswer(r records, i int, q dnsRequest) DNSFacts {
	f := DNSFacts{Database: "ahosts"}
	if db, ok := r.text("dns.db", i); ok {
		f.Database = db
	}
	status, ok := r.number("dns.status", i)
	out, ok1 := r.get("dns.out", i)
	stderr, ok2 := r.text("dns.err", i)
	switch {
	case !ok || !ok1 || !ok2:
		f.Err = "the probe did not report getent's answer"
	case r.has("dns.late", i) && (status == killedByTERM || status == killedByKILL):
		f.Err = fmt.Sprintf("the resolver gave no answer within %s, and getent was stopped", time.Duration(seconds(q.timeout))*time.Second)
	case status == getentNotFound:
		f.NoSuchName, f.Why, f.Err = dnsWhy(r, i, q)
	case status != 0:
		f.Err = fmt.Sprintf("getent %s failed (exit status %d): %s", f.Database, status, firstLine(stderr, "it said nothing"))
	default:
		f.Addresses, f.Every, f.Err = getentAddresses(string(out))
		f.Resolved = f.Err == ""
	}
	return f
}

// noSuchName are what getaddrinfo says, in glibc's words and musl's, of a name that does not
// exist or has no address; anything else (a temporary failure, a failure to reach the servers)
// says the resolver did not answer.
var noSuchName = []string{"Name or service not known", "No address associated with hostname", "Name does not resolve", "Name has no usable address"}

// dnsWhy reads why bash's getaddrinfo found no address for the name: "bash: line 1: NAME:
// REASON", then a complaint about the path.
func dnsWhy(r records, i int, q dnsRequest) (bool, string, string) {
	status, asked := r.number("dns.whystatus", i)
	said, _ := r.text("dns.why", i)
	switch {
	case !asked:
		return false, "", ""
	case r.has("dns.whylate", i) && (status == killedByTERM || status == killedByKILL):
		return false, fmt.Sprintf("asked again, the resolver gave no answer within %s", time.Duration(seconds(q.timeout))*time.Second), ""
	case status == 0:
		return false, "", "getent found no address for the name, but asked again right after, the resolver gave one: its answers differ"
	}
	why := firstLine(said, "")
	if k := strings.Index(why, q.name+": "); k >= 0 {
		why = why[k+len(q.name)+2:]
	}
	for _, s := range noSuchName {
		if strings.Contains(why, s) {
			return true, why, ""
		}
	}
	if why == "" {
		why = fmt.Sprintf("bash, asked why, failed (exit status %d) and said nothing", status)
	}
	return false, why, ""
}

// getentAddresses reads the addresses that start getent's lines: "ADDRESS STREAM NAME" (ahosts)
// or "ADDRESS NAME ALIAS..." (hosts): each once, and every one as often as the resolver gave it.
// ahosts prints each address the resolver gave three times, once for each kind of socket
// (STREAM, DGRAM, RAW): only the STREAM lines count for every.
func getentAddresses(out string) ([]netip.Addr, []netip.Addr, string) {
	var addrs, every []netip.Addr
	seen := map[netip.Addr]bool{}
	for _, l := range strings.Split(out, "\n") {
		fields := strings.Fields(l)
		if len(fields) == 0 {
			continue
		}
		a, err := netip.ParseAddr(fields[0])
		if err != nil {
			return nil, nil, fmt.Sprintf("getent printed %s, which is not an address", excerpt([]byte(l)))
		}
		if len(fields) < 2 || (fields[1] != "DGRAM" && fields[1] != "RAW") {
			every = append(every, a)
		}
		if !seen[a] {
			seen[a] = true
			addrs = append(addrs, a)
		}
	}
	if len(addrs) == 0 {
		return nil, nil, "getent found the name but printed no address"
	}
	return addrs, every, ""
}

func (g *dnsNames) fake(w *recordWriter) {
	w.line("dns.tool", "-", "getent")
	for i, q := range g.list {
		w.line("dns.status", i, "0")
		w.blob("dns.out", i, "10.0.0.5        STREAM "+q.name+"\n10.0.0.5        DGRAM  \n10.0.0.5        RAW    \n")
		w.blob("dns.err", i, "")
	}
}
