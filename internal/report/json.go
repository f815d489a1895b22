package report

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

// SchemaVersion is the version of the JSON report's layout, in its "schema_version". It changes
// only when a field changes meaning or goes away: a reader of version 1 can read any report
// of version 1, which may have fields it does not know. The layout is described by the JSON
// Schema in docs/report/report.schema.json.
const SchemaVersion = 1

// SchemaID is the "$schema" of a JSON report: the JSON Schema that describes it.
const SchemaID = "https://github.com/assertkit/packer-plugin-assert/blob/main/docs/report/report.schema.json"

// Document is the JSON report of a run. Its field names are the schema's; see the schema for
// what each one means.
type Document struct {
	Schema        string         `json:"$schema"`
	SchemaVersion int            `json:"schema_version"`
	Plugin        PluginInfo     `json:"plugin"`
	Build         BuildInfo      `json:"build"`
	Instance      InstanceInfo   `json:"instance"`
	Started       string         `json:"started"` // RFC 3339, UTC, to the millisecond
	Duration      float64        `json:"duration_seconds"`
	Verdict       string         `json:"verdict"` // passed, warned or failed
	Summary       SummaryInfo    `json:"summary"`
	Checks        []CheckOutcome `json:"checks"`
}

// PluginInfo names the plugin that wrote the report.
type PluginInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// BuildInfo is Build in the report.
type BuildInfo struct {
	Name    string `json:"name"`
	Source  string `json:"source"`
	Type    string `json:"type"`
	RunUUID string `json:"run_uuid"`
}

// InstanceInfo is Instance in the report.
type InstanceInfo struct {
	Hostname string `json:"hostname"`
	OS       OSInfo `json:"os"`
}

// OSInfo is the instance's distribution, as its os-release file says.
type OSInfo struct {
	ID      string `json:"id"`
	Version string `json:"version_id"`
	Name    string `json:"pretty_name"`
	Family  string `json:"family"`
	Error   string `json:"error,omitempty"`
}

// SummaryInfo counts the verdicts as Count does.
type SummaryInfo struct {
	Total    int `json:"total"`
	Passed   int `json:"passed"`
	Failed   int `json:"failed"`
	Errored  int `json:"errored"`
	Warnings int `json:"warnings"`
	Skipped  int `json:"skipped"`
}

// CheckOutcome is one check in the report.
type CheckOutcome struct {
	Block       string   `json:"block"` // like "file[2]": the block it was written in
	Kind        string   `json:"kind"`
	Subject     string   `json:"subject"`
	Description string   `json:"description"`
	Severity    string   `json:"severity"` // error or warning
	Expected    string   `json:"expected"` // what a pass verifies, in words
	Found       []string `json:"found"`    // what the probe saw of the subject, in words
	Status      string   `json:"status"`   // passed, failed, error, skipped or warning
	Problems    []string `json:"problems"`
	Details     []string `json:"details"`
	Probes      int      `json:"probes"`  // how many probes the check was in; 0 when skipped
	Retries     int      `json:"retries"` // probes after the first
}

// NewDocument makes the JSON report of run.
func NewDocument(run Run) Document {
	run = mapRun(run, validUTF8) // an invalid byte, which JSON cannot hold, is written like \x80
	c := Count(run.Results)
	d := Document{
		Schema:        SchemaID,
		SchemaVersion: SchemaVersion,
		Plugin:        PluginInfo{Name: "packer-plugin-assert", Version: run.Plugin},
		Build:         BuildInfo(run.Build),
		Instance: InstanceInfo{Hostname: run.Instance.Hostname, OS: OSInfo{
			ID: run.Instance.OSID, Version: run.Instance.OSVersion, Name: run.Instance.OSName,
			Family: run.Instance.OSFamily, Error: run.Instance.OSErr}},
		Started:  run.Started.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		Duration: float64(run.Duration.Round(time.Millisecond).Milliseconds()) / 1000,
		Verdict:  run.Verdict(),
		Summary: SummaryInfo{Total: len(run.Results), Passed: c.Passed, Failed: c.Failed,
			Errored: c.Errored, Warnings: c.Warnings, Skipped: c.Skipped},
		Checks: make([]CheckOutcome, len(run.Results)),
	}
	for i, r := range run.Results {
		d.Checks[i] = checkOutcome(r)
	}
	return d
}

func checkOutcome(r check.Result) CheckOutcome {
	o := CheckOutcome{Block: r.Block, Kind: r.Kind, Subject: r.Subject, Description: r.Description,
		Severity: "error", Expected: r.Expectation, Found: nonNil(r.Found), Status: r.Status.String(),
		Problems: nonNil(r.Problems), Details: nonNil(r.Details), Probes: r.Probes, Retries: max(r.Probes-1, 0)}
	if r.Warning {
		o.Severity = "warning"
	}
	if r.Warned() {
		o.Status = "warning"
	}
	return o
}

// nonNil makes an absent list an empty one, so that every list in the report is a JSON array.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// JSON is the JSON report of run, indented, ending with a newline. <, > and & are written as
// they are, not as \u003c: the file is read by people and programs, not put into a web page, and
// a masked value reads <sensitive> there as in every other report.
func JSON(run Run) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(NewDocument(run))
	return b.Bytes(), err
}
