package probe

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// A Command is a command line to run in the image, with its limits.
type Command struct {
	Run     string        // the shell command line, run with sh -c
	Timeout time.Duration // stopped after this long; rounded up to whole seconds
}

// CommandResult is what a command did in the image.
type CommandResult struct {
	ExitStatus int
	TimedOut   bool
	// The command wrote more than OutputLimit bytes to its output or to a file of its own, and
	// was stopped there (SIGXFSZ).
	OverLimit bool
	Stdout    []byte // at most ContentLimit bytes
	Stderr    []byte // at most ContentLimit bytes
	// The command printed more than ContentLimit bytes on stdout or stderr; the rest was not kept.
	StdoutTruncated, StderrTruncated bool
	Err                              string // why it could not be run
}

// CommandConcurrency is how many commands run at once in the image: slow commands do not add up,
// and the image is not overloaded.
const CommandConcurrency = 8

// OutputLimit is the most a command may write to a file, its stdout and stderr included: past it
// the command is stopped, so that a runaway command cannot fill the image's disk. Only the
// first ContentLimit bytes of each output come back.
const OutputLimit = 16 << 20

// sigxfsz is the exit status of a command stopped by SIGXFSZ (signal 25) for writing past
// ulimit -f.
const sigxfsz = 128 + 25

var commandKind = register("command", "command", func() gatherer { return &commands{} })

type commands struct{ list []Command }

// Command asks for c to be run. Every call runs the command again: two checks may run the same
// command for different reasons.
func (p *Plan) Command(c Command) Fact[CommandResult] {
	g := part[*commands](p, commandKind)
	g.list = append(g.list, c)
	return Fact[CommandResult]{commandKind, len(g.list) - 1}
}

// batches splits the commands into groups of CommandConcurrency that run together, each group in
// ascending order of time limits, because the watchdog sleeps from one limit to the next.
func (g *commands) batches() [][]int {
	var all [][]int
	for start := 0; start < len(g.list); start += CommandConcurrency {
		var ids []int
		for i := start; i < min(start+CommandConcurrency, len(g.list)); i++ {
			ids = append(ids, i)
		}
		sort.SliceStable(ids, func(a, b int) bool { return seconds(g.list[ids[a]].Timeout) < seconds(g.list[ids[b]].Timeout) })
		all = append(all, ids)
	}
	return all
}

// limit is what the commands add to the probe's time limit: for each batch, its longest limit
// and the 2 seconds the watchdog gives a command between TERM and KILL.
func (g *commands) limit() time.Duration {
	var total time.Duration
	for _, ids := range g.batches() {
		total += time.Duration(seconds(g.list[ids[len(ids)-1]].Timeout)+2) * time.Second
	}
	return total
}

func (g *commands) render(s *script) {
	// The runner writes its records to a file, not to stdout, where they would mix with those of
	// the facts gathered meanwhile.
	fmt.Fprintf(&s.first, "\tOUTPUT_BLOCKS=%d\n\t{ cl && {\n", OutputLimit/512)
	for _, ids := range g.batches() {
		args := []string{}
		for _, i := range ids {
			args = append(args, fmt.Sprint(i), fmt.Sprint(seconds(g.list[i].Timeout)), g.list[i].Run)
		}
		s.call(&s.first, "\tcb", args...)
	}
	s.first.WriteString("\t}; } >\"$T/cmds\" & cmds=$!\n")
	all := []string{fmt.Sprint(ContentLimit)}
	for i := range g.list {
		all = append(all, fmt.Sprint(i))
	}
	s.last.WriteString("\twait \"$cmds\"; cat \"$T/cmds\"\n")
	s.call(&s.last, "co", all...)
}

func (g *commands) parse(r records) any {
	results := make([]CommandResult, len(g.list))
	outputs, err := commandOutputs(r)
	if msg, ok := r.text("command.err", "-"); ok {
		err = msg
	}
	for i := range results {
		if err != "" {
			results[i].Err = err
			continue
		}
		results[i] = commandResult(r, i, outputs)
	}
	return results
}

// commandOutputs splits the one blob of all outputs by the sizes the probe listed with the name
// of each output's file ("o3 120": the stdout of command 3 is 120 bytes).
func commandOutputs(r records) (map[string][]byte, string) {
	sizes, _ := r.get("command.sizes", "-")
	blob, ok := r.get("command.out", "-")
	if !ok {
		return nil, "the probe did not report the commands' output"
	}
	outputs := map[string][]byte{}
	at := 0
	for _, l := range strings.Split(string(sizes), "\n") {
		if l == "" {
			continue
		}
		name, n, _ := strings.Cut(l, " ")
		size, err := strconv.Atoi(n)
		if err != nil || size < 0 || at+size > len(blob) {
			return nil, "the probe reported garbled command output sizes"
		}
		outputs[name] = blob[at : at+size : at+size]
		at += size
	}
	if at != len(blob) {
		return nil, "the probe reported garbled command output sizes"
	}
	return outputs, ""
}

func commandResult(r records, i int, outputs map[string][]byte) CommandResult {
	var c CommandResult
	status, ok := r.number("command.status", i)
	stdout, ok1 := outputs[fmt.Sprint("o", i)]
	stderr, ok2 := outputs[fmt.Sprint("e", i)]
	if !ok || !ok1 || !ok2 {
		c.Err = "the probe did not report this command's exit status and output"
		return c
	}
	c.ExitStatus = status
	c.TimedOut = r.has("command.timeout", i)
	c.OverLimit = status == sigxfsz && !c.TimedOut
	c.Stdout, c.StdoutTruncated = keep(stdout)
	c.Stderr, c.StderrTruncated = keep(stderr)
	return c
}

// keep returns at most ContentLimit bytes of an output, and whether there were more.
func keep(b []byte) ([]byte, bool) {
	if len(b) > ContentLimit {
		return b[:ContentLimit], true
	}
	return b, false
}

func (g *commands) fake(w *recordWriter) {
	var sizes strings.Builder
	for i := range g.list {
		w.line("command.status", i, "0")
		fmt.Fprintf(&sizes, "o%d 2\ne%d 0\n", i, i)
	}
	w.blob("command.sizes", "-", sizes.String())
	w.blob("command.out", "-", strings.Repeat("1\n", len(g.list)))
}
