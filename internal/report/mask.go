package report

import (
	"sort"
	"strconv"
	"strings"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

// Masked is what a sensitive value is replaced with, as Packer's own log writes it.
const Masked = "<sensitive>"

// Mask returns run with every sensitive value replaced by Masked wherever it appears: in the
// checks' subjects, descriptions, expectations, problems, details and facts, in the instance's
// names and in the build's. Report files are written by the plugin, not by Packer, so Packer's
// masking of its log does not reach them. A value is masked as it is, and as the report quotes
// and escapes text (Go's %q, and the escaping of control characters of lines from the image).
func Mask(run Run, secrets []string) Run {
	r := newMasker(secrets)
	if r == nil {
		return run
	}
	run.Build = Build{Name: r.Replace(run.Build.Name), Source: r.Replace(run.Build.Source),
		Type: r.Replace(run.Build.Type), RunUUID: r.Replace(run.Build.RunUUID)}
	i := &run.Instance
	i.Hostname, i.OSID, i.OSVersion = r.Replace(i.Hostname), r.Replace(i.OSID), r.Replace(i.OSVersion)
	i.OSName, i.OSFamily, i.OSErr = r.Replace(i.OSName), r.Replace(i.OSFamily), r.Replace(i.OSErr)
	run.Results = MaskResults(run.Results, secrets)
	return run
}

// MaskResults returns a copy of results with every sensitive value replaced by Masked.
func MaskResults(results []check.Result, secrets []string) []check.Result {
	r := newMasker(secrets)
	if r == nil {
		return results
	}
	masked := make([]check.Result, len(results))
	for k, res := range results {
		res.Block, res.Subject, res.Description = r.Replace(res.Block), r.Replace(res.Subject), r.Replace(res.Description)
		res.Expectation = r.Replace(res.Expectation)
		res.Problems, res.Details, res.Found = maskAll(r, res.Problems), maskAll(r, res.Details), maskAll(r, res.Found)
		masked[k] = res
	}
	return masked
}

// A masker replaces sensitive values, whole, or cut short where the report shortened a text
// ("…"): a long command line or output line is cut at a fixed length, which may fall inside a
// value.
type masker struct {
	whole *strings.Replacer
	forms []string // every form of every value, longest first
}

// minCut is the shortest start of a value that is masked where a text was cut after it: shorter
// starts are too common to tell.
const minCut = 4

func (m *masker) Replace(s string) string {
	s = m.whole.Replace(s)
	if !strings.Contains(s, "…") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "…")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		head := s[:i]
		for _, f := range m.forms {
			if k := cutStart(head, f); k > 0 {
				head = head[:len(head)-k] + Masked
				break
			}
		}
		b.WriteString(head + "…")
		s = s[i+len("…"):]
	}
}

// cutStart is the length of the longest start of value, minCut bytes or more (or the whole of a
// shorter value), that text ends with; 0 if none.
func cutStart(text, value string) int {
	for k := min(len(value)-1, len(text)); k >= min(minCut, len(value)); k-- {
		if strings.HasSuffix(text, value[:k]) {
			return k
		}
	}
	return 0
}

// newMasker replaces each secret, and the forms the report writes it in, longest first, so that
// a secret that holds another is masked whole. It is nil when there is nothing to mask.
func newMasker(secrets []string) *masker {
	forms := map[string]bool{}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		quoted := strconv.Quote(s)
		forms[s], forms[quoted[1:len(quoted)-1]], forms[check.Visible(s)] = true, true, true
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
	return &masker{whole: strings.NewReplacer(pairs...), forms: list}
}

func maskAll(r *masker, list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = r.Replace(s)
	}
	return out
}
