// Package probe turns what the checks need to know into one POSIX sh script, and turns what that
// script prints back into facts.
//
// It sits between the checks and the image on the data path: checks ask a Plan for facts and get
// a Fact handle for each; Render writes the script that gathers them all, one query per kind of
// fact (one stat for all files, one package-database query for all packages, one service-manager
// query for all units); Parse reads the records the script printed into Facts, where each handle
// finds its own. The probe only gathers: it knows nothing of expectations or verdicts, which are
// the check package's business.
//
// # Kinds of fact
//
// Each kind of fact lives in two files side by side: NAME.sh, its shell functions, and NAME.go,
// which registers the kind, collects requests, writes the calls of those functions, and parses
// their records. To add a kind:
//
//  1. Write NAME.sh: functions that print records tagged "NAME.<what>" with the id of the request
//     they answer (see prelude.sh for line and blob). Use one query for all requests where the
//     tool allows it, redirect stdin from /dev/null, keep stderr, and print the tool's exit
//     status, so that a fact that could not be gathered is told apart from an absent one. Each
//     program the probe starts costs about a millisecond in a small image: start none per
//     request where a shell builtin will do. Blobs are printed all at once at the end, so each
//     needs a file of its own in the scratch folder, named after its request ("$T/x$1").
//  2. Write NAME.go: a facts type with an Err field, a gatherer (render, parse, fake), a package
//     variable `var nameKind = register("NAME", "NAME", func() gatherer { … })` (the second name
//     is the shell file's, which kinds may share, as users and groups share account.sh), and a
//     Plan method that checks call, returning a Fact[NAMEFacts]. Requests are matched with
//     records by id, never by the order in which a tool printed them.
//  3. Record the real tool's output under testdata/recorded (see testdata/record.sh) and test the
//     parser with it; TestEveryTagIsRead checks that the shell and Go sides use the same tags.
//
// The check package then adds the kind's check (see its package documentation).
package probe

import (
	"embed"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// A gatherer gathers one kind of fact for a plan.
type gatherer interface {
	// render writes the calls of the kind's shell functions for every request into the script.
	render(s *script)
	// parse reads the kind's records into its facts: a []T indexed by request id, for Fact[T].
	parse(r records) any
	// fake writes the records the probe would print on a healthy Debian image (FakeOutput).
	fake(w *recordWriter)
}

// timed is a gatherer whose work may take longer than GatherLimit, such as commands with their
// own time limits.
type timed interface {
	limit() time.Duration
}

type kind struct {
	name  string
	shell string // the base name of its shell file, which is also the prefix of its record tags
	new   func() gatherer
}

// registry holds every kind of fact, by name; each kind's file registers itself.
var registry = map[string]*kind{}

// shells holds the shell files by base name: prelude, and those of the kinds.
var shells = map[string]string{}

//go:embed *.sh
var shellFiles embed.FS

// register adds a kind of fact whose shell functions are in shell.sh, and returns its name.
// Kinds that share their shell functions (users and groups) share the file.
func register(name, shell string, newGatherer func() gatherer) string {
	text, err := shellFiles.ReadFile(shell + ".sh")
	if err != nil {
		panic("probe: the kind " + name + " has no shell file " + shell + ".sh") // a build mistake, caught by every test
	}
	registry[name] = &kind{name: name, shell: shell, new: newGatherer}
	shells[shell] = string(text)
	return name
}

// ContentLimit is how many bytes of a file's content, or of a command's stdout or stderr, the
// probe brings back for matching. Facts record when there was more.
const ContentLimit = 1 << 20

// GatherLimit is how long the probe may take for everything but commands, which have their own
// limits: a stat on a hung network mount must not hang the build.
const GatherLimit = 60 * time.Second

// StoppedAtLimit is the exit status of a probe that reached its time limit in the image and
// stopped itself (like timeout(1)); a probe stopped by the plugin exits with 130.
const StoppedAtLimit = 124

// A Plan lists the facts to gather. The same fact asked for twice is gathered once.
type Plan struct {
	parts map[string]gatherer
	asked []Request // every request made, in order, repeats included
}

// NewPlan returns an empty plan.
func NewPlan() *Plan { return &Plan{parts: map[string]gatherer{}} }

// part returns the plan's gatherer of a kind, made on first use.
func part[G gatherer](p *Plan, kind string) G {
	g, ok := p.parts[kind]
	if !ok {
		g = registry[kind].new()
		p.parts[kind] = g
	}
	return g.(G)
}

// kinds lists the kinds the plan uses, in a fixed order.
func (p *Plan) kinds() []string {
	names := make([]string, 0, len(p.parts))
	for name := range p.parts {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// gatherLimit is GatherLimit, shortened by tests of the limit.
var gatherLimit = GatherLimit

// Limit is how long the whole probe may run in the image before it stops itself: GatherLimit
// plus what kinds with limits of their own (commands) need.
func (p *Plan) Limit() time.Duration {
	total := gatherLimit
	for _, g := range p.parts {
		if t, ok := g.(timed); ok {
			total += t.limit()
		}
	}
	return total
}

// A Fact is a handle on one fact a plan was asked for; In finds it in the facts the probe found.
type Fact[T any] struct {
	kind string
	id   int
}

// errNotGathered is a bug: a check asks for a fact that its plan never asked for.
var errNotGathered = errors.New("the probe was not asked for this fact (a bug in packer-plugin-assert)")

// In returns the fact from f.
func (h Fact[T]) In(f *Facts) (T, error) {
	list, _ := f.found[h.kind].([]T)
	if h.id < 0 || h.id >= len(list) {
		var zero T
		return zero, errNotGathered
	}
	return list[h.id], nil
}

// Facts are what the probe found in the image, ready for checks to judge.
type Facts struct {
	found map[string]any // kind -> []T, indexed by request id
	// What the probe's own shell wrote on stderr: no fact depends on it (each tool's complaints
	// are recorded with its output), but it helps to debug a probe.
	Complaints string
}

// Parse reads the output of the probe that Render wrote for p.
func Parse(p *Plan, out []byte) (*Facts, error) {
	recs, err := readRecords(out)
	if err != nil {
		return nil, err
	}
	if msg, ok := recs.text("probe.err", "-"); ok {
		return nil, fmt.Errorf("the probe failed: %s", msg)
	}
	f := &Facts{found: map[string]any{}}
	f.Complaints, _ = recs.text("probe.stderr", "-")
	for name, g := range p.parts {
		f.found[name] = g.parse(recs)
	}
	return f, nil
}

// FakeOutput is what a probe for p would print on a healthy Debian image where every file,
// package, unit, user and group asked for exists and every command printed "1" and succeeded.
// Benchmarks and tests use it to exercise Parse and the checks at scale without a machine.
func FakeOutput(p *Plan) []byte {
	w := &recordWriter{}
	w.b.WriteString(header + "\n")
	for _, name := range p.kinds() {
		p.parts[name].fake(w)
	}
	w.flush()
	w.b.WriteString(trailer + "\n")
	return []byte(w.b.String())
}

// The first and last lines of a complete probe output.
const (
	header  = "assert-probe 1"
	trailer = "assert-probe end"
)

// Render writes the probe script for p, to be run by RemoteCommand.
func Render(p *Plan) ([]byte, error) {
	s := &script{}
	for _, name := range p.kinds() {
		// Each kind's part of the body starts with the record probe.at, so that the plugin can
		// tell, while the probe runs, which kind it is gathering (see Progress).
		k := &script{}
		p.parts[name].render(k)
		s.first.WriteString(k.first.String())
		for _, part := range []struct{ to, from *strings.Builder }{{&s.main, &k.main}, {&s.last, &k.last}} {
			if part.from.Len() > 0 {
				part.to.WriteString("\tline probe.at - " + name + "\n" + part.from.String())
			}
		}
		if k.err != nil && s.err == nil {
			s.err = k.err
		}
	}
	if s.err != nil {
		return nil, s.err
	}
	var b strings.Builder
	b.WriteString(shells["prelude"])
	written := map[string]bool{}
	for _, name := range p.kinds() {
		if sh := registry[name].shell; !written[sh] {
			written[sh] = true
			b.WriteString("\n" + shells[sh])
		}
	}
	// The supervisor runs until here and no further; the body goes on, one top-level command at a
	// time: a shell parses a function whole, and tens of thousands of calls in one function crash
	// bash and busybox.
	fmt.Fprintf(&b, "\n[ \"${1:-}\" = body ] || supervise %d\nset --\nprintf '%s\\n'\n", seconds(p.Limit()), header)
	b.WriteString(s.first.String() + s.main.String() + s.last.String())
	b.WriteString("[ -s \"$T/stderr\" ] && blob probe.stderr - \"$T/stderr\"\n")
	// out writes nothing to stderr, but bash may note there a background job that ended
	b.WriteString("out 2>/dev/null\n")
	b.WriteString("printf '" + trailer + "\\n'\n")
	// The body is a process group of its own (with setsid): ending it whole stops whatever it
	// started in the background and did not wait for, like a watchdog still in its last second.
	b.WriteString("[ -n \"$SETSID\" ] && kill -KILL 0\n")
	return []byte(b.String()), nil
}

func init() {
	text, _ := shellFiles.ReadFile("prelude.sh")
	shells["prelude"] = string(text)
}

// RemoteCommand is the command that runs script, sent on its stdin, in the image. It first makes
// a pseudo-terminal, if stdin is one, pass bytes through untouched (no echo, no \r\n, no signals
// from control characters), then says Ready, and only then is sent the script. It reads exactly
// the script's bytes into $script (the supervisor in prelude.sh hands it to the body) and
// evaluates them in a non-interactive shell: a shell reading commands from a terminal would turn
// interactive, with prompts and job control. Whatever the login shell is, everything runs under
// sh -c.
//
// With sudo, a user who is not root runs it through `sudo -n`; root runs it as it is, so that one
// template serves a root connection on one cloud and a sudo user on another, and an image
// without sudo.
func RemoteCommand(script []byte, sudo bool) string {
	body := fmt.Sprintf(`[ -t 0 ] && stty raw -echo 2>/dev/null; echo %s; script=$(head -c %d) && eval "$script"`, Ready, len(script))
	if sudo {
		return `sh -c '[ "$(id -u)" = 0 ] && exec sh -c "$1"; exec sudo -n sh -c "$1"' sh '` + body + `'`
	}
	return `sh -c '` + body + `'`
}

// Ready is the line the remote command prints when it is ready for the script.
const Ready = "assert-probe-ready"

// A script collects the calls of shell functions in three parts: first (work started in the
// background, such as commands), main, and last (collecting what the first part started).
type script struct {
	first, main, last strings.Builder
	err               error
}

// call writes one call of a shell function into part: the function, then each argument as one
// quoted word.
func (s *script) call(part *strings.Builder, fn string, args ...string) {
	part.WriteString("\t" + fn)
	for _, a := range args {
		part.WriteString(" " + s.quote(a))
	}
	part.WriteString("\n")
}

// quote makes v one shell word that stands for exactly v: inside single quotes nothing is
// special, and a single quote itself is written as '\”. The shell cannot hold a NUL byte at all,
// so such a value is refused rather than silently shortened.
func (s *script) quote(v string) string {
	if strings.IndexByte(v, 0) >= 0 && s.err == nil {
		s.err = fmt.Errorf("the value %q contains a NUL byte, which no shell command can carry", v)
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

// seconds rounds a time limit up to whole seconds, at least one, for sleep(1).
func seconds(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}

// requests collects the distinct keys a kind is asked for, each with its id: its position.
type requests[R any] struct {
	list []R
	ids  map[string]int
}

// add returns the id of the request with key k, adding r if it is new.
func (q *requests[R]) add(k string, r R) (id int, added bool) {
	if id, ok := q.ids[k]; ok {
		return id, false
	}
	if q.ids == nil {
		q.ids = map[string]int{}
	}
	q.list = append(q.list, r)
	q.ids[k] = len(q.list) - 1
	return len(q.list) - 1, true
}
