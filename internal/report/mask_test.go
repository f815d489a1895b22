package report

import (
	"strings"
	"testing"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

// TestMaskEverywhere: a sensitive value is masked in every field of a run, as it is, quoted and
// escaped as the report writes it, and where a text was cut inside it.
func TestMaskEverywhere(t *testing.T) {
	secret := `s3cr\et"tok`
	quoted := strings.ReplaceAll(strings.ReplaceAll(secret, `\`, `\\`), `"`, `\"`)
	run := Run{
		Build:    Build{Name: "target", Source: "null.target"},
		Instance: Instance{Hostname: "host-" + secret},
		Results: []check.Result{{
			Block: "command[0]", Subject: `"echo ` + quoted + `"`, Description: "uses " + secret,
			Expectation: `stdout contains "` + quoted + `"`,
			Problems:    []string{"stdout does not contain " + secret},
			Details:     []string{"  1: " + check.Visible(secret), "  2: a long line cut at " + secret[:6] + "…"},
			Found:       []string{"stdout " + secret},
		}},
	}
	masked := Mask(run, []string{secret, ""})
	r := masked.Results[0]
	for _, s := range []string{masked.Instance.Hostname, r.Subject, r.Description, r.Expectation, r.Problems[0], r.Details[0], r.Details[1], r.Found[0]} {
		if strings.Contains(s, "s3cr") || !strings.Contains(s, Masked) {
			t.Errorf("not masked: %q", s)
		}
	}
	if run.Results[0].Problems[0] == r.Problems[0] {
		t.Error("Mask changed the run it was given, or masked nothing")
	}
	if got := Mask(run, nil); got.Results[0].Description != run.Results[0].Description {
		t.Error("with no values, something was masked")
	}
}

// TestMaskCutStarts: only a start of minCut bytes or more, right before the cut, is masked.
func TestMaskCutStarts(t *testing.T) {
	m := NewMasker([]string{"abcdefgh"})
	for in, want := range map[string]string{
		"x abcdefgh y":  "x " + Masked + " y",
		"cut abcde…":    "cut " + Masked + "…",
		"cut abc…":      "cut abc…",
		"abcd… abcd…":   Masked + "… " + Masked + "…",
		"no cut abcde":  "no cut abcde",
		"cut abcdef...": "cut " + Masked + "...",
		"…efgh and on":  "…" + Masked + " and on",
		"…fgh and on":   "…fgh and on",
	} {
		if got := m.Replace(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// TestMaskWhatTheChecksWrite: a value in a real command check's subject, which squeezes blanks
// and cuts a long command line, and in a real failure, is masked wherever the check puts it; the
// names the plugin makes itself are not, even for a value as short as "1".
func TestMaskWhatTheChecksWrite(t *testing.T) {
	secret := "Zq9x  Wv7\tTokenValue123456"
	long := &check.Command{Run: "curl -s -H 'Authorization: Bearer " + secret + "' https://example.com/a/long/path"}
	short := &check.Command{Run: "echo " + secret}
	results := []check.Result{
		{Block: "command[0]", Kind: "command", Subject: long.Subject(), Expectation: long.Expectation()},
		{Block: "command[1]", Kind: "command", Subject: short.Subject(), Details: []string{"stdout:", "  " + check.Visible(secret)}},
	}
	for _, r := range NewMasker([]string{secret}).Results(results) {
		for _, s := range append([]string{r.Subject}, r.Details...) {
			if strings.Contains(s, "Zq9x") || strings.Contains(s, "Token") {
				t.Errorf("not masked: %q", s)
			}
		}
	}
	run := Run{Plugin: "0.1.0", Build: Build{Name: "target", Type: "null", RunUUID: "5b1d5a3e-8a4f-4c2e-9d3b-2f6a7c1e0b94"},
		Results: []check.Result{{Block: "file[1]", Kind: "file", Subject: "/etc/1"}}}
	m := Mask(run, []string{"1"})
	if m.Build.RunUUID != run.Build.RunUUID || m.Results[0].Block != "file[1]" || m.Plugin != "0.1.0" || m.Results[0].Subject != "/etc/"+Masked {
		t.Errorf("masking \"1\": %+v", m)
	}
}
