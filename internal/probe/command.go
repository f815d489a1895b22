package probe

import (
	"fmt"
	"time"
)

// A Command is a command line to run in the image, with its limits.
type Command struct {
	Run     string        // the shell command line, run with sh -c
	Timeout time.Duration // a command that runs longer has timed out; the watchdog stops it after whole seconds
	// WaitChildren makes the probe wait, after the command has ended, until every process it left
	// in its process group has ended too, or the limit has passed (it then timed out), as goss
	// waits for the end of the command's output, which such a child may hold open. Without it
	// they are stopped as soon as the command ends.
	WaitChildren bool
}

// CommandResult is what a command did in the image.
type CommandResult struct {
	ExitStatus int
	// The command ran longer than its Timeout (as measured in the image), or the watchdog stopped it.
	TimedOut bool
	// Elapsed is how long the command ran, measured in the image in hundredths of a second
	// (with WaitChildren, until its process group emptied); -1 where the image could not tell
	// (no /proc/uptime): TimedOut then rests on the watchdog alone, at most a second late.
	Elapsed time.Duration
	// Lingered: with WaitChildren, the command left processes in its process group, which the
	// probe waited for. LingerUnknown: whether it did cannot be told (no setsid).
	Lingered, LingerUnknown bool
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
// and the image is not overloaded. Commands run in this many lanes, each one command after
// another.
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
	return newFact[CommandResult](p, commandKind, len(g.list)-1)
}

// lanes deals the commands out to CommandConcurrency lanes in turn: lane j runs commands j,
// j+CommandConcurrency, … one after another.
func (g *commands) lanes() [][]int {
	lanes := make([][]int, min(CommandConcurrency, len(g.list)))
	for i := range g.list {
		lanes[i%len(lanes)] = append(lanes[i%len(lanes)], i)
	}
	return lanes
}

// limit is what the commands add to the probe's time limit: the longest lane, where each command
// may take its own limit, a second more until the watchdog sees it (it looks every second), and
// the 2 seconds it gives a command between TERM and KILL.
func (g *commands) limit() time.Duration {
	var longest time.Duration
	for _, ids := range g.lanes() {
		var lane time.Duration
		for _, i := range ids {
			lane += time.Duration(seconds(g.list[i].Timeout)+3) * time.Second
		}
		longest = max(longest, lane)
	}
	return longest
}

func (g *commands) render(s *script) {
	lanes := g.lanes()
	fmt.Fprintf(&s.first, "\tOUTPUT_BLOCKS=%d\n\tcs %d && {\n", OutputLimit/512, len(lanes))
	for lane, ids := range lanes {
		args := []string{fmt.Sprint(lane)}
		for _, i := range ids {
			wait := "0"
			if g.list[i].WaitChildren {
				wait = "1"
			}
			args = append(args, fmt.Sprint(i), fmt.Sprint(seconds(g.list[i].Timeout)), wait, g.list[i].Run)
		}
		// the lanes write their records to a file, not to stdout, where they would mix with
		// those of the facts gathered meanwhile
		s.first.WriteString("\t\tcr")
		for _, a := range args {
			s.first.WriteString(" " + s.quote(a))
		}
		s.first.WriteString(" >>\"$T/cmds\" & lanes=\"$lanes $!\"\n")
	}
	s.first.WriteString("\t}\n")
	all := []string{fmt.Sprint(ContentLimit)}
	for i := range g.list {
		all = append(all, fmt.Sprint(i))
	}
	s.call(&s.last, "cx", all...)
}

func (g *commands) parse(r records) any {
	results := make([]CommandResult, len(g.list))
	err, _ := r.text("command.err", "-")
	for i := range results {
		if err != "" {
			results[i].Err = err
			continue
		}
		results[i] = commandResult(r, i, g.list[i].Timeout)
	}
	return results
}

func commandResult(r records, i int, limit time.Duration) CommandResult {
	var c CommandResult
	status, ok := r.number("command.status", i)
	stdout, ok1 := r.get("command.stdout", i)
	stderr, ok2 := r.get("command.stderr", i)
	if !ok || !ok1 || !ok2 {
		c.Err = "the probe did not report this command's exit status and output"
		return c
	}
	c.ExitStatus = status
	c.Elapsed = -1
	if cs, ok := r.number("command.elapsed", i); ok && cs >= 0 {
		c.Elapsed = time.Duration(cs) * 10 * time.Millisecond
	}
	// a limit of 0 is none of the command's own: the watchdog's, a second (seconds), holds
	if limit <= 0 {
		limit = time.Second
	}
	c.TimedOut = r.has("command.timeout", i) || c.Elapsed > limit
	if l, ok := r.text("command.linger", i); ok {
		c.Lingered, c.LingerUnknown = l == "1", l != "1"
	}
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
	for i := range g.list {
		w.line("command.status", i, "0")
		w.line("command.elapsed", i, "0")
		w.blob("command.stdout", i, "1\n")
		w.blob("command.stderr", i, "")
	}
}
