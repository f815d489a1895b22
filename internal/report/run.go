package report

import (
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

// A Run is one run of the provisioner: where it ran and what it found. Report files are made
// from it, each in its format; nothing in it is masked yet (see Mask).
type Run struct {
	Plugin   string    // the plugin's version, like "0.2.0-dev"
	Build    Build     // the Packer build the run belongs to
	Instance Instance  // the machine the checks ran in
	Started  time.Time // when the first probe started
	Duration time.Duration
	Results  []check.Result
}

// Build names the Packer build a run belongs to. Name is what Packer gives plugins as the build's
// name (packer_build_name): with HCL2 templates, the name of the source ("target"), as Packer
// does not tell plugins the name of the build block. Source is the source as TYPE.NAME
// ("null.target"). RunUUID is the PackerRunUUID that Packer gives every `packer build`, which
// tells one run from another.
type Build struct {
	Name    string
	Source  string
	Type    string // the builder's type, like "amazon-ebs"
	RunUUID string
}

// Instance is what the probe learned of the machine itself: see check.Instance.
type Instance = check.Instance

// Verdict is a run's outcome in one word: "failed" when a check fails the build, else "warned"
// when a check of severity "warning" did not pass, else "passed". Skipped checks do not count.
func (r Run) Verdict() string {
	c := Count(r.Results)
	switch {
	case c.Failed+c.Errored > 0:
		return "failed"
	case c.Warnings > 0:
		return "warned"
	}
	return "passed"
}
