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
	m := newMasker([]string{"abcdefgh"})
	for in, want := range map[string]string{
		"x abcdefgh y": "x " + Masked + " y",
		"cut abcde…":   "cut " + Masked + "…",
		"cut abc…":     "cut abc…",
		"abcd… abcd…":  Masked + "… " + Masked + "…",
		"no cut abcde": "no cut abcde",
	} {
		if got := m.Replace(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
