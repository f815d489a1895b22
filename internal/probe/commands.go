package probe

import (
	"fmt"
	"strconv"
	"strings"
)

// CommandResult is what a command did in the image.
type CommandResult struct {
	ExitStatus int
	TimedOut   bool
	Stdout     []byte // at most ContentLimit bytes
	Stderr     []byte // at most ContentLimit bytes
	// The command printed more than ContentLimit bytes on stdout or stderr. It was stopped there
	// (by SIGPIPE), and the rest was not kept.
	StdoutTruncated, StderrTruncated bool
	Err                              string // why it could not be run
}

func parseCommands(cmds []Command, recs map[key][]byte) []CommandResult {
	results := make([]CommandResult, len(cmds))
	for b, ids := range batches(cmds) {
		outputs, err := batchOutputs(recs, b, len(ids))
		for n, i := range ids {
			if err != "" {
				results[i].Err = err
				continue
			}
			results[i] = parseCommand(recs, i, outputs[2*n], outputs[2*n+1])
		}
	}
	return results
}

// batchOutputs splits the one blob of a batch's outputs, stdout then stderr of each command in
// the order they ran, by the sizes wc(1) counted.
func batchOutputs(recs map[key][]byte, b, n int) ([][]byte, string) {
	if msg, ok := text(recs, "c.err", b); ok {
		return nil, msg
	}
	sizes, _ := text(recs, "c.sizes", b)
	blob, ok := recs[key{"c.out", fmt.Sprint(b)}]
	fields := strings.Fields(sizes)
	if !ok || len(fields) < 2*n {
		return nil, "the probe did not report this command's output"
	}
	outputs := make([][]byte, 2*n)
	at := 0
	for k := range outputs {
		size, err := strconv.Atoi(fields[k])
		if err != nil || size < 0 || at+size > len(blob) {
			return nil, "the probe reported garbled command output sizes"
		}
		outputs[k] = blob[at : at+size : at+size]
		at += size
	}
	return outputs, ""
}

func parseCommand(recs map[key][]byte, i int, stdout, stderr []byte) CommandResult {
	var c CommandResult
	status, ok := number(recs, "c.status", i)
	if !ok {
		c.Err = "the probe did not report this command's exit status"
		return c
	}
	c.ExitStatus = int(status)
	_, c.TimedOut = recs[key{"c.timeout", fmt.Sprint(i)}]
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
