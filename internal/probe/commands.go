package probe

import "fmt"

// CommandResult is what a command did in the image.
type CommandResult struct {
	ExitStatus int
	TimedOut   bool
	Stdout     []byte // at most ContentLimit bytes
	Stderr     []byte // at most ContentLimit bytes
	StdoutSize int64  // how much it printed, kept or not
	StderrSize int64
	Err        string // why it could not be run
}

// StdoutTruncated reports whether the command printed more on stdout than was kept.
func (c CommandResult) StdoutTruncated() bool { return c.StdoutSize > int64(len(c.Stdout)) }

// StderrTruncated reports whether the command printed more on stderr than was kept.
func (c CommandResult) StderrTruncated() bool { return c.StderrSize > int64(len(c.Stderr)) }

func parseCommands(n int, recs map[key][]byte) []CommandResult {
	results := make([]CommandResult, n)
	for i := range results {
		results[i] = parseCommand(recs, i)
	}
	return results
}

func parseCommand(recs map[key][]byte, i int) CommandResult {
	var c CommandResult
	if msg, ok := text(recs, "c.err", i); ok {
		c.Err = msg
		return c
	}
	status, ok := number(recs, "c.status", i)
	if !ok {
		c.Err = "the probe did not report this command's exit status"
		return c
	}
	c.ExitStatus = int(status)
	_, c.TimedOut = recs[key{"c.timeout", fmt.Sprint(i)}]
	c.Stdout, c.StdoutSize = keep(recs, "c.stdout", i)
	c.Stderr, c.StderrSize = keep(recs, "c.stderr", i)
	return c
}

// keep returns at most ContentLimit bytes of an output, and its whole size.
func keep(recs map[key][]byte, tag string, i int) ([]byte, int64) {
	b := recs[key{tag, fmt.Sprint(i)}]
	size, ok := number(recs, tag+".size", i)
	if !ok || size < int64(len(b)) {
		size = int64(len(b))
	}
	if len(b) > ContentLimit {
		b = b[:ContentLimit]
	}
	return b, size
}
