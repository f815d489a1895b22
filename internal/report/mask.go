package report

import (
	"sort"
	"strconv"
	"strings"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

// Masked is what a sensitive value is replaced with, as Packer's own log writes it.
const Masked = "<sensitive>"

// Mask returns run with every sensitive value replaced by Masked wherever the image or the
// template could have put it: in the checks' subjects, descriptions, expectations, problems,
// details and facts, and in the instance's names. Names the plugin makes itself (a block's name,
// the kind, the builder's type, the run's UUID, the plugin's version) are left as they are: a
// short value would otherwise break them. Report files are written by the plugin, not by
// Packer, so Packer's masking of its log does not reach them.
func Mask(run Run, secrets []string) Run { return NewMasker(secrets).Run(run) }

// Run returns run masked as Mask says. A nil Masker masks nothing.
func (m *Masker) Run(run Run) Run {
	if m == nil {
		return run
	}
	run.Build.Name, run.Build.Source = m.Replace(run.Build.Name), m.Replace(run.Build.Source)
	i := &run.Instance
	i.Hostname, i.OSID, i.OSVersion = m.Replace(i.Hostname), m.Replace(i.OSID), m.Replace(i.OSVersion)
	i.OSName, i.OSFamily, i.OSErr = m.Replace(i.OSName), m.Replace(i.OSFamily), m.Replace(i.OSErr)
	run.Results = m.Results(run.Results)
	return run
}

// A Masker replaces sensitive values in the texts of a report: whole, in each form the report
// writes text in (as it is, quoted as Go quotes it, with control characters escaped as lines
// from the image are, with runs of blanks squeezed to one as a command line is in a check's
// subject), and cut short where the report shortened a text, after a start of the value (a
// long command line, cut with "..." or "…") or before its end (the last bytes of a long
// message, after a leading "…").
type Masker struct {
	whole *strings.Replacer
	forms []string // every form of every value, longest first
}

// minCut is the shortest part of a value that is masked where a text was cut inside the value:
// shorter parts are too common to tell.
const minCut = 4

// cuts are the marks the report puts where it shortened a text.
var cuts = []string{"…", "..."}

// NewMasker makes the masker of values; nil when there is nothing to mask.
func NewMasker(values []string) *Masker {
	forms := map[string]bool{}
	for _, s := range values {
		if strings.TrimSpace(s) == "" {
			continue
		}
		quoted := strconv.Quote(s)
		for _, f := range []string{s, quoted[1 : len(quoted)-1], check.Visible(s), strings.Join(strings.Fields(s), " ")} {
			if f != "" {
				forms[f] = true
			}
		}
	}
	if len(forms) == 0 {
		return nil
	}
	list := make([]string, 0, len(forms))
	for f := range forms {
		list = append(list, f)
	}
	sort.Slice(list, func(i, j int) bool {
		return len(list[i]) > len(list[j]) || len(list[i]) == len(list[j]) && list[i] < list[j]
	})
	pairs := make([]string, 0, 2*len(list))
	for _, f := range list {
		pairs = append(pairs, f, Masked)
	}
	return &Masker{whole: strings.NewReplacer(pairs...), forms: list}
}

// Replace masks every value in s. A nil Masker masks nothing.
func (m *Masker) Replace(s string) string {
	if m == nil {
		return s
	}
	s = m.whole.Replace(s)
	for _, cut := range cuts {
		s = m.cutAt(s, cut)
	}
	return s
}

// cutAt masks, around each mark where a text was cut, a start of a value just before it and an
// end of a value just after it.
func (m *Masker) cutAt(s, cut string) string {
	if !strings.Contains(s, cut) {
		return s
	}
	parts := strings.Split(s, cut)
	for i := range parts {
		for _, f := range m.forms {
			if i < len(parts)-1 {
				if k := endsWithStart(parts[i], f); k > 0 {
					parts[i] = parts[i][:len(parts[i])-k] + Masked
				}
			}
			if i > 0 {
				if k := startsWithEnd(parts[i], f); k > 0 {
					parts[i] = Masked + parts[i][k:]
				}
			}
		}
	}
	return strings.Join(parts, cut)
}

// endsWithStart is the length of the longest start of value, minCut bytes or more (or all but
// the last byte of a shorter value), that text ends with; 0 if none.
func endsWithStart(text, value string) int {
	for k := min(len(value)-1, len(text)); k >= min(minCut, len(value)-1) && k > 0; k-- {
		if strings.HasSuffix(text, value[:k]) {
			return k
		}
	}
	return 0
}

// startsWithEnd is the length of the longest end of value, minCut bytes or more, that text
// starts with; 0 if none.
func startsWithEnd(text, value string) int {
	for k := min(len(value)-1, len(text)); k >= min(minCut, len(value)-1) && k > 0; k-- {
		if strings.HasPrefix(text, value[len(value)-k:]) {
			return k
		}
	}
	return 0
}

// Results returns a copy of results with every sensitive value masked.
func (m *Masker) Results(results []check.Result) []check.Result {
	if m == nil {
		return results
	}
	masked := make([]check.Result, len(results))
	for k, r := range results {
		r.Subject, r.Description, r.Expectation = m.Replace(r.Subject), m.Replace(r.Description), m.Replace(r.Expectation)
		r.Problems, r.Details, r.Found = m.all(r.Problems), m.all(r.Details), m.all(r.Found)
		r.SkipReason = m.Replace(r.SkipReason)
		masked[k] = r
	}
	return masked
}

func (m *Masker) all(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = m.Replace(s)
	}
	return out
}
