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

// newMasker replaces each secret, and the forms the report writes it in, longest first, so that
// a secret that holds another is masked whole. It is nil when there is nothing to mask.
func newMasker(secrets []string) *strings.Replacer {
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
	sort.Slice(list, func(i, j int) bool { return len(list[i]) > len(list[j]) || len(list[i]) == len(list[j]) && list[i] < list[j] })
	pairs := make([]string, 0, 2*len(list))
	for _, f := range list {
		pairs = append(pairs, f, Masked)
	}
	return strings.NewReplacer(pairs...)
}

func maskAll(r *strings.Replacer, list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = r.Replace(s)
	}
	return out
}
