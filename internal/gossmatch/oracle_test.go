package gossmatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestGossAgrees asks goss v0.4.9 itself for its verdict on every case of the tables, and wants
// ours to be the same: pass, fail (a failure without an error) or error (a failure with one).
//
// With the goss binary (ASSERT_GOSS, or test/run.sh's $ASSERT_CACHE/bin/goss-v0.4.9, which its
// ensure_goss builds from the Go module proxy), the test writes the cases as one gossfile and runs
// `goss -g oracle.yaml validate -f json` in a temporary folder holding the text files, and one
// `goss -g panic.yaml validate -f json` for each matcher that makes goss crash. go test -update
// records what goss printed under testdata/goss/. Without the binary, the test judges against
// that recording; it then fails if the cases have changed since it was made.

var update = flag.Bool("update", false, "record goss's verdicts under testdata/goss/ (needs the goss binary)")

const oracleDir = "testdata/goss"

func gossBinary() string {
	if p := os.Getenv("ASSERT_GOSS"); p != "" {
		return p
	}
	cache := os.Getenv("ASSERT_CACHE")
	if cache == "" {
		cache = "/var/cache/packer-plugin-assert"
	}
	return filepath.Join(cache, "bin", "goss-v0.4.9")
}

// A question is one thing goss is asked: the result it gives for a resource's property, and the
// verdict we reached.
type question struct {
	typ, id, property string
	ours              string // pass, fail or error
	verdictOnly       bool   // goss's error or plain failure is random: compare pass or not only
}

// oracle is a gossfile of every case, the text files it reads, and the questions.
type oracle struct {
	matching, iface, file []string // the resources, in YAML
	texts                 map[string]string
	questions             []question
	panics                []panicCase
}

type panicCase struct {
	Name     string `json:"name"`
	Gossfile string `json:"gossfile"`
	text     string
}

func (o *oracle) ask(name string, raw, actual any, ours string, verdictOnly bool) {
	if a, ok := actual.([]string); ok {
		if !reflect.DeepEqual(a, loAddrs) {
			panic(fmt.Sprintf("case %s: goss gives a []string only as lo's addresses %q", name, loAddrs))
		}
		o.iface = append(o.iface, fmt.Sprintf("  %s:\n    name: lo\n    exists: true\n    addrs: %s\n", yamlOf(name), yamlOf(raw)))
		o.questions = append(o.questions, question{"Interface", name, "addrs", ours, verdictOnly})
		return
	}
	o.matching = append(o.matching, fmt.Sprintf("  %s:\n    content: %s\n    matches: %s\n", yamlOf(name), yamlOf(actual), yamlOf(raw)))
	o.questions = append(o.questions, question{"Matching", name, "matches", ours, verdictOnly})
}

func (o *oracle) askText(name string, raw any, text, ours string) {
	path := "texts/" + name + ".txt"
	o.texts[path] = text
	o.file = append(o.file, fmt.Sprintf("  %s:\n    exists: true\n    contents: %s\n", yamlOf(path), yamlOf(raw)))
	o.questions = append(o.questions, question{"File", path, "contents", ours, false})
}

func (o *oracle) gossfile() string {
	var b strings.Builder
	for _, s := range []struct {
		name string
		res  []string
	}{{"matching", o.matching}, {"interface", o.iface}, {"file", o.file}} {
		b.WriteString(s.name + ":\n")
		for _, r := range s.res {
			b.WriteString(r)
		}
	}
	return b.String()
}

func buildOracle(t *testing.T) *oracle {
	o := &oracle{texts: map[string]string{}}
	for _, c := range matchCases {
		if strings.HasPrefix(c.oracle, oracleNone) {
			continue
		}
		mt, err := Parse(c.raw)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		ok, err := mt.Match(c.actual)
		o.ask("m/"+c.name, c.raw, c.actual, verdictOf(ok, err), c.oracle == oracleVerdict)
	}
	for _, c := range textCases {
		mt, err := ParseText(c.raw)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		ok, err := mt.Match([]byte(c.text))
		o.askText("t-"+c.name, c.raw, c.text, verdictOf(ok, err))
	}
	for _, c := range parseErrorCases {
		switch {
		case c.goss == oracleNone:
		case c.goss == "panic" && c.text:
			o.panics = append(o.panics, panicCase{Name: c.name, text: c.actual.(string),
				Gossfile: fmt.Sprintf("file:\n  %s:\n    exists: true\n    contents: %s\n", yamlOf("texts/panic.txt"), yamlOf(c.raw))})
		case c.goss == "panic":
			o.panics = append(o.panics, panicCase{Name: c.name,
				Gossfile: fmt.Sprintf("matching:\n  %s:\n    content: %s\n    matches: %s\n", yamlOf(c.name), yamlOf(c.actual), yamlOf(c.raw))})
		case c.text:
			// Our verdict is the refusal; goss's is c.goss.
			o.askText("p-"+c.name, c.raw, c.actual.(string), c.goss)
		default:
			o.ask("p/"+c.name, c.raw, c.actual, c.goss, false)
		}
	}
	return o
}

// A gossResult is the part of goss's JSON output (outputs/json.go) that the test reads.
type gossResult struct {
	ResourceType string  `json:"resource-type"`
	ResourceID   string  `json:"resource-id"`
	Property     string  `json:"property"`
	Result       int     `json:"result"`
	Err          *string `json:"err"`
	Successful   bool    `json:"successful"`
	SummaryLine  string  `json:"summary-line"`
	degraded     bool
}

// fromSummary fills in a result that goss could not write as JSON (a value such as +Inf or NaN
// makes its encoder fail, and goss then writes only "successful" and "summary-line") from its
// summary line: "Matching: ID: matches:\nError\n…", "…\nExpected\n…" or "Matching: ID: matches:
// matches expectation: …".
func (r *gossResult) fromSummary() {
	first, rest, _ := strings.Cut(r.SummaryLine, "\n")
	parts := strings.SplitN(first, ": ", 3)
	if len(parts) < 3 {
		return
	}
	r.ResourceType, r.ResourceID = parts[0], parts[1]
	r.Property, _, _ = strings.Cut(parts[2], ":")
	r.degraded = true
	switch {
	case r.Successful:
		r.Result = 0
	case strings.HasPrefix(rest, "Error\n"):
		r.Result, r.Err = 1, &rest
	default:
		r.Result = 1
	}
}

func (r gossResult) verdict() string {
	switch {
	case r.Result == 0:
		return "pass"
	case r.Result == 1 && r.Err != nil:
		return "error"
	case r.Result == 1:
		return "fail"
	}
	return "skipped"
}

func TestGossAgrees(t *testing.T) {
	o := buildOracle(t)
	gossfile := o.gossfile()
	var output []byte
	var panics []recordedPanic
	goss := gossBinary()
	_, statErr := os.Stat(goss)
	live := statErr == nil
	if live && !loIsUsual() {
		t.Logf("the loopback interface here does not have exactly the addresses %q: judging against the recording", loAddrs)
		live = false
	}
	if live {
		output, panics = runGoss(t, goss, o, gossfile)
		if *update {
			writeRecording(t, gossfile, output, panics)
		}
	}
	recorded, err := os.ReadFile(filepath.Join(oracleDir, "oracle.yaml"))
	switch {
	case err != nil:
		t.Fatalf("no recording of goss's verdicts (%v): run go test -run TestGossAgrees -update where goss is (test/run.sh's ensure_goss builds it)", err)
	case string(recorded) != gossfile:
		t.Fatalf("the cases changed since goss's verdicts were recorded in %s: run go test -run TestGossAgrees -update where goss is (test/run.sh's ensure_goss builds it)", oracleDir)
	}
	if !live {
		t.Logf("goss is not at %s: judging against the verdicts goss gave when recorded", goss)
		output, err = os.ReadFile(filepath.Join(oracleDir, "validate.json"))
		if err != nil {
			t.Fatal(err)
		}
		panics = readRecordedPanics(t)
	}

	var doc struct {
		Results []gossResult `json:"results"`
	}
	if err := json.Unmarshal(output, &doc); err != nil {
		t.Fatalf("goss's output is not its JSON: %v\n%s", err, output)
	}
	results := map[string]gossResult{}
	for _, r := range doc.Results {
		if r.ResourceID == "" {
			r.fromSummary()
		}
		id, _, _ := strings.Cut(r.ResourceID, ": ") // an interface's id is "NAME: lo"
		results[r.ResourceType+" "+id+" "+r.Property] = r
	}
	for _, q := range o.questions {
		r, ok := results[q.typ+" "+q.id+" "+q.property]
		if !ok {
			t.Errorf("%s %s: goss gave no result for %s", q.typ, q.id, q.property)
			continue
		}
		theirs := r.verdict()
		same := theirs == q.ours
		if q.verdictOnly {
			same = (theirs == "pass") == (q.ours == "pass")
		}
		if !same {
			msg := ""
			if r.Err != nil {
				msg = ": " + *r.Err
			}
			t.Errorf("%s %s: goss says %s%s; we say %s", q.typ, q.id, theirs, msg, q.ours)
		}
	}
	if len(panics) != len(o.panics) {
		t.Fatalf("%d panic cases, %d recorded", len(o.panics), len(panics))
	}
	for i, p := range panics {
		if p.Name != o.panics[i].Name || p.Exit != 2 || !strings.HasPrefix(p.Panic, "panic: ") {
			t.Errorf("%s: goss should crash with exit status 2 and a panic; it gave %+v", o.panics[i].Name, p)
		}
	}
}

// loIsUsual reports whether the loopback interface has the addresses the []string cases use.
func loIsUsual() bool {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		return false
	}
	addrs, err := lo.Addrs()
	if err != nil {
		return false
	}
	var got []string
	for _, a := range addrs {
		got = append(got, a.String())
	}
	return reflect.DeepEqual(got, loAddrs)
}

type recordedPanic struct {
	panicCase
	Exit  int    `json:"exit"`
	Panic string `json:"panic"` // the first line of goss's stderr that starts with "panic: "
}

func runGoss(t *testing.T, goss string, o *oracle, gossfile string) ([]byte, []recordedPanic) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "texts"), 0o755); err != nil {
		t.Fatal(err)
	}
	for path, text := range o.texts {
		if err := os.WriteFile(filepath.Join(dir, path), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "oracle.yaml"), []byte(gossfile), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goss, "-g", "oracle.yaml", "validate", "-f", "json")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("%s -g oracle.yaml validate -f json: %v\n%s", goss, err, stderr.Bytes())
	}

	var panics []recordedPanic
	for _, p := range o.panics {
		if err := os.WriteFile(filepath.Join(dir, "texts", "panic.txt"), []byte(p.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "panic.yaml"), []byte(p.Gossfile), 0o644); err != nil {
			t.Fatal(err)
		}
		// The crash happens in one of goss's worker goroutines: about once in a hundred runs, goss
		// exits first, with status 0 and "Count: 0" (measured on this machine). So ask again.
		var r recordedPanic
		for try := 0; try < 5 && r.Exit != 2; try++ {
			cmd := exec.Command(goss, "-g", "panic.yaml", "validate", "-f", "json")
			cmd.Dir = dir
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			r = recordedPanic{panicCase: p}
			if errors.As(err, &exit) {
				r.Exit = exit.ExitCode()
			}
			for _, line := range strings.Split(stderr.String(), "\n") {
				if strings.HasPrefix(line, "panic: ") {
					r.Panic = line
					break
				}
			}
		}
		panics = append(panics, r)
	}
	return out, panics
}

func writeRecording(t *testing.T, gossfile string, output []byte, panics []recordedPanic) {
	if err := os.MkdirAll(oracleDir, 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := json.MarshalIndent(panics, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"oracle.yaml": []byte(gossfile), "validate.json": output, "panics.json": append(p, '\n')} {
		if err := os.WriteFile(filepath.Join(oracleDir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readRecordedPanics(t *testing.T) []recordedPanic {
	data, err := os.ReadFile(filepath.Join(oracleDir, "panics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var panics []recordedPanic
	if err := json.Unmarshal(data, &panics); err != nil {
		t.Fatal(err)
	}
	return panics
}

// yamlOf writes a value as flow YAML that goss's yaml.v3 decodes back to the same Go value: an int
// stays an int and a float64 a float64 (a whole one is written with ".0"), strings are
// double-quoted with JSON's escapes, which YAML shares.
func yamlOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		switch {
		case math.IsNaN(x):
			return ".nan"
		case math.IsInf(x, 1):
			return ".inf"
		case math.IsInf(x, -1):
			return "-.inf"
		}
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".e") {
			s += ".0"
		}
		return s
	case string:
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(x); err != nil {
			panic(err)
		}
		return strings.TrimSuffix(b.String(), "\n")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = yamlOf(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = yamlOf(k) + ": " + yamlOf(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	panic(fmt.Sprintf("yamlOf: %T", v))
}
