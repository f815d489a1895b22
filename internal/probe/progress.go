package probe

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
)

// A Request names one fact a plan was asked for: its kind and its id.
type Request struct {
	Kind string
	ID   int
}

// newFact is the handle on request id of kind, noted in the plan's list of requests.
func newFact[T any](p *Plan, kind string, id int) Fact[T] {
	p.asked = append(p.asked, Request{kind, id})
	return Fact[T]{kind, id}
}

// Asked is how many requests the plan has had so far, repeats included: a check learns which
// requests are its own by comparing it before and after it asks (see AskedSince).
func (p *Plan) Asked() int { return len(p.asked) }

// AskedSince lists the requests made after the first n.
func (p *Plan) AskedSince(n int) []Request { return append([]Request(nil), p.asked[n:]...) }

// Progress follows a probe's output while it arrives, to tell which requests the probe has not
// answered yet, so that a long probe can say what it waits for. It reads two kinds of record:
// probe.at, which the body prints as it starts on each kind (see Render), and command.running,
// which the commands' watchdog prints every two seconds while the body waits for the commands:
// the ids the lanes run now. Any other record marks its id of its family as answered. It only
// ever informs: a Progress that missed or misread something never changes a verdict.
type Progress struct {
	mu       sync.Mutex
	line     []byte // a line not yet ended
	skip     int    // bytes of a blob still to pass over
	at       string // the kind the body gathers now
	answered map[Request]bool
	running  []int // the commands the lanes ran at the last command.running, if reported
	reported bool
}

// NewProgress returns a Progress for an output that has not started.
func NewProgress() *Progress { return &Progress{answered: map[Request]bool{}} }

// maxLine bounds the part of a long line that Progress keeps: only its start matters.
const maxLine = 4096

// Write takes the next bytes of the probe's output (after the ready line).
func (g *Progress) Write(b []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := len(b)
	for len(b) > 0 {
		if g.skip > 0 {
			k := min(g.skip, len(b))
			g.skip -= k
			b = b[k:]
			continue
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			g.line = append(g.line, b[:min(len(b), maxLine-len(g.line))]...)
			break
		}
		g.line = append(g.line, b[:min(i, maxLine-len(g.line))]...)
		b = b[i+1:]
		g.record(string(g.line))
		g.line = g.line[:0]
	}
	return n, nil
}

// record reads one line of the output.
func (g *Progress) record(line string) {
	fields := strings.SplitN(line, " ", 4)
	if len(fields) != 4 {
		return
	}
	if fields[0] == "B" {
		if n, err := strconv.Atoi(fields[3]); err == nil && n >= 0 {
			g.skip = n + 1 // the bytes and their newline
		}
		return
	}
	if fields[0] != "L" {
		return
	}
	switch tag := fields[1]; tag {
	case "probe.at":
		g.at = fields[3]
	case "command.running":
		g.reported, g.running = true, g.running[:0]
		for _, f := range strings.Fields(fields[3]) {
			if id, err := strconv.Atoi(f); err == nil {
				g.running = append(g.running, id)
			}
		}
	default:
		if id, err := strconv.Atoi(fields[2]); err == nil {
			// a record of the kind gathered now answers its id; kinds that share a shell file
			// share their tags, and only the one gathered now prints
			family, _, _ := strings.Cut(tag, ".")
			if k := registry[g.at]; k != nil && k.shell == family {
				g.answered[Request{g.at, id}] = true
			}
		}
	}
}

// Pending lists the requests of p that the probe is, as far as its output so far shows, still
// working on: those of the kind it gathers now that have no record yet, and, while it waits for
// the commands, the commands that run now and those after them in their lanes.
func (g *Progress) Pending(p *Plan) []Request {
	g.mu.Lock()
	defer g.mu.Unlock()
	var pending []Request
	seen := map[Request]bool{}
	for _, r := range p.asked {
		if seen[r] {
			continue
		}
		seen[r] = true
		switch {
		case r.Kind == commandKind && g.at == commandKind:
			if g.commandPending(p, r.ID) {
				pending = append(pending, r)
			}
		case r.Kind == g.at && !g.answered[r]:
			pending = append(pending, r)
		}
	}
	return pending
}

// commandPending reports whether command id has not finished: until the watchdog has said what
// runs, every command may be; then those it runs, and those after them in the same lane.
func (g *Progress) commandPending(p *Plan, id int) bool {
	if !g.reported {
		return true
	}
	cmds, _ := p.parts[commandKind].(*commands)
	if cmds == nil {
		return false
	}
	lanes := len(cmds.lanes())
	for _, r := range g.running {
		if r <= id && lanes > 0 && r%lanes == id%lanes {
			return true
		}
	}
	return false
}
