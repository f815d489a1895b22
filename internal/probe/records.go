package probe

import (
	"bytes"
	"fmt"
	"strconv"
)

// A key names one record of the probe's output: a tag such as "f.stat" and the number of the
// request it answers, or "-" for a record about the whole image.
type key struct{ tag, id string }

// records reads the probe's output. It accepts nothing it does not understand: the output of a
// probe that was cut off, garbled or mixed with other text is an error that says where.
func records(out []byte) (map[key][]byte, error) {
	rest, ok := bytes.CutPrefix(out, []byte(header+"\n"))
	if !ok {
		if bytes.HasPrefix(out, []byte(header+"\r\n")) {
			return nil, fmt.Errorf("the probe's output has \\r\\n line ends: the connection uses a pseudo-terminal (ssh_pty = true), which mangles output")
		}
		return nil, fmt.Errorf("the probe printed no output it understands (it starts %s)", excerpt(out))
	}
	recs := map[key][]byte{}
	for len(rest) > 0 {
		if bytes.Equal(rest, []byte(trailer+"\n")) {
			return recs, nil
		}
		offset := len(out) - len(rest)
		line, after, found := bytes.Cut(rest, []byte("\n"))
		if !found {
			break
		}
		fields := bytes.SplitN(line, []byte(" "), 4)
		if len(fields) != 4 || (string(fields[0]) != "L" && string(fields[0]) != "B") {
			return nil, fmt.Errorf("unexpected probe output at byte %d: %s", offset, excerpt(line))
		}
		k := key{string(fields[1]), string(fields[2])}
		if string(fields[0]) == "L" {
			recs[k] = fields[3]
			rest = after
			continue
		}
		n, err := strconv.Atoi(string(fields[3]))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("unexpected probe output at byte %d: bad length in %s", offset, excerpt(line))
		}
		if len(after) < n+1 {
			break
		}
		if after[n] != '\n' {
			return nil, fmt.Errorf("unexpected probe output at byte %d: record %s %s is not %d bytes long", offset, k.tag, k.id, n)
		}
		recs[k] = after[:n:n]
		rest = after[n+1:]
	}
	return nil, fmt.Errorf("the probe's output ended early, after %d bytes: the probe was interrupted or its output was cut off", len(out))
}

// excerpt quotes the start of b for an error message, whatever bytes it holds.
func excerpt(b []byte) string {
	if len(b) == 0 {
		return "empty"
	}
	if len(b) > 60 {
		return strconv.Quote(string(b[:60])) + "…"
	}
	return strconv.Quote(string(b))
}
