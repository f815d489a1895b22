package probe

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// The record protocol between the probe's shell and this package, defined here and in the
// line and blob functions of prelude.sh, and nowhere else:
//
//	L <tag> <id> <value>\n            a value without newlines
//	B <tag> <id> <length>\n<bytes>\n  any bytes
//
// A tag is "<family>.<what>", where family is the name of a kind's shell file ("file.stat");
// the id is the number of the request the record answers, or "-" for the whole kind. Records of
// the probe itself have the kind "probe".
//
// The probe prints most blobs all at once at its end, as two blobs of its own: probe.index, a
// line "<tag> <id> <length>" for each, and probe.data, their bytes one after another in the
// same order. readRecords unpacks them into records like any other.

// A key names one record.
type key struct{ tag, id string }

// records are the records of one probe output.
type records map[key][]byte

// readRecords reads the probe's output. It accepts nothing it does not understand: the output of
// a probe that was cut off, garbled or mixed with other text is an error that says where, and so
// is a record of a kind that no gatherer reads.
func readRecords(out []byte) (records, error) {
	rest, ok := bytes.CutPrefix(out, []byte(header+"\n"))
	if !ok {
		if bytes.HasPrefix(out, []byte(header+"\r\n")) {
			return nil, fmt.Errorf("the probe's output has \\r\\n line ends: the connection uses a pseudo-terminal (ssh_pty = true), which mangles output")
		}
		return nil, fmt.Errorf("the probe printed no output it understands (it starts %s)", excerpt(out))
	}
	recs := records{}
	for len(rest) > 0 {
		if bytes.Equal(rest, []byte(trailer+"\n")) {
			if err := recs.unpack(); err != nil {
				return nil, err
			}
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
		if !known(k.tag) {
			return nil, fmt.Errorf("unexpected probe output at byte %d: no kind of fact has records %q", offset, k.tag)
		}
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

// known reports whether a tag belongs to a kind of fact, or to the probe itself.
func known(tag string) bool {
	family, _, _ := strings.Cut(tag, ".")
	return family == "probe" || (family != "prelude" && shells[family] != "")
}

// unpack splits the blobs printed all at once (probe.index and probe.data) into records.
func (r records) unpack() error {
	index, hasIndex := r[key{"probe.index", "-"}]
	data, hasData := r[key{"probe.data", "-"}]
	if !hasIndex && !hasData {
		return nil
	}
	if !hasIndex || !hasData {
		return fmt.Errorf("the probe printed its blobs without their index, or the other way round")
	}
	delete(r, key{"probe.index", "-"})
	delete(r, key{"probe.data", "-"})
	at := 0
	for _, line := range strings.Split(string(index), "\n") {
		if line == "" {
			continue
		}
		fields := strings.Split(line, " ")
		if len(fields) != 3 {
			return fmt.Errorf("unexpected line in the probe's index of blobs: %s", excerpt([]byte(line)))
		}
		n, err := strconv.Atoi(fields[2])
		if err != nil || n < 0 || n > len(data)-at {
			return fmt.Errorf("the probe's index of blobs gives %s a length of %q, beyond its %d bytes of blobs",
				fields[0], fields[2], len(data))
		}
		if !known(fields[0]) {
			return fmt.Errorf("unexpected probe output: no kind of fact has records %q", fields[0])
		}
		if _, dup := r[key{fields[0], fields[1]}]; dup {
			return fmt.Errorf("the probe printed the record %s %s twice (a bug in packer-plugin-assert)", fields[0], fields[1])
		}
		r[key{fields[0], fields[1]}] = data[at : at+n : at+n]
		at += n
	}
	if at != len(data) {
		return fmt.Errorf("the probe's index of blobs covers %d of its %d bytes of blobs", at, len(data))
	}
	return nil
}

// get returns a record's bytes, and whether it was there.
func (r records) get(tag string, id any) ([]byte, bool) {
	b, ok := r[key{tag, fmt.Sprint(id)}]
	return b, ok
}

// has reports whether a record was printed.
func (r records) has(tag string, id any) bool {
	_, ok := r.get(tag, id)
	return ok
}

// text returns a record as trimmed text, and whether it was there.
func (r records) text(tag string, id any) (string, bool) {
	b, ok := r.get(tag, id)
	return strings.TrimSpace(string(b)), ok
}

// number returns a record holding a decimal number, and whether it was there and a number.
func (r records) number(tag string, id any) (int, bool) {
	s, ok := r.text(tag, id)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// recordWriter writes records the way the probe prints them, blobs all at once at the end (see
// flush); FakeOutput uses it.
type recordWriter struct {
	b           strings.Builder
	index, data strings.Builder
}

func (w *recordWriter) line(tag string, id any, value string) {
	fmt.Fprintf(&w.b, "L %s %v %s\n", tag, id, value)
}

func (w *recordWriter) blob(tag string, id any, data string) {
	fmt.Fprintf(&w.index, "%s %v %d\n", tag, id, len(data))
	w.data.WriteString(data)
}

// flush writes the blobs: their index, then their bytes.
func (w *recordWriter) flush() {
	fmt.Fprintf(&w.b, "B probe.index - %d\n%s\n", w.index.Len(), w.index.String())
	fmt.Fprintf(&w.b, "B probe.data - %d\n%s\n", w.data.Len(), w.data.String())
	w.index.Reset()
	w.data.Reset()
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

// firstLine returns the first non-empty line of s, or fallback.
func firstLine(s, fallback string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return fallback
}
