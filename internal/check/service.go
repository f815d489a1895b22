package check

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type Service
//go:generate go tool packer-sdc struct-markdown

import (
	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// Service checks a service of the image's init system: systemd, OpenRC or SysV init scripts.
// With neither `enabled` nor `running` set, the service must exist.
type Service struct {
	// The service's name. Under systemd a name without a suffix means the `.service` unit.
	Name string `mapstructure:"name" required:"true"`
	// Whether the service starts at boot. Under systemd, as `systemctl is-enabled` says, with the
	// next boot in mind: enabled, static, indirect and alias units count as enabled; units enabled
	// only at runtime (enabled-runtime, transient) do not, since they are gone after a reboot; a
	// generated unit (such as one systemd made from a SysV script) counts only if its generator
	// linked it into a target (for SysV scripts: S links in a runlevel). Under OpenRC, a service
	// in the sysinit, boot or default runlevel; under SysV, one with S links in runlevels 2 to 5.
	Enabled config.Trilean `mapstructure:"enabled"`
	// Whether the service is running now. A service that is starting or stopping is neither
	// running nor stopped, and fails either way (`retries` can wait for it). Under OpenRC and SysV
	// the service script's status exit code decides; a code that means "unknown" (LSB 4, for
	// example without the privilege to tell) is an error, never "not running".
	Running config.Trilean `mapstructure:"running"`
	Common  `mapstructure:",squash"`
}

func (c *Service) Kind() string    { return "service" }
func (c *Service) Subject() string { return c.Name }

func (c *Service) Expectation() string {
	var what []string
	if c.Enabled != config.TriUnset {
		what = append(what, pick(c.Enabled.True(), "enabled", "not enabled"))
	}
	if c.Running != config.TriUnset {
		what = append(what, pick(c.Running.True(), "running", "not running"))
	}
	if len(what) == 0 {
		return "exists"
	}
	return joinNonEmpty(what...)
}

func (c *Service) Validate() []error {
	errs := requireName("name", c.Name)
	if c.Name != "" && !isServiceName(c.Name) {
		errs = append(errs, attrErrorf("name", "%q is not a service name (letters, digits and :-_.@\\ only)", c.Name))
	}
	return errs
}

func isServiceName(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(isAlnum(b) || containsAny(string(b), ":-_.@\\")) {
			return false
		}
	}
	return s[0] != '-'
}

func isAlnum(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

func (c *Service) Gather(p *probe.Plan, _ Options) Judge {
	fact := p.Service(c.Name)
	return func(f *probe.Facts) Outcome { return judgeFound(fact, f, c.judge, c.found) }
}

func (c *Service) judge(f probe.ServiceFacts) Outcome {
	if f.Err != "" {
		return errorf("%s", f.Err)
	}
	var p problems
	if !f.Exists {
		if c.Enabled.True() || c.Running.True() || (c.Enabled == config.TriUnset && c.Running == config.TriUnset) {
			p.addf("does not exist (%s: %s)", f.Init, f.State)
		}
		return p.outcome()
	}
	if c.Enabled != config.TriUnset && c.Enabled.True() != f.Enabled {
		p.addf("is %s, want %s (%s)", pick(f.Enabled, "enabled", "not enabled"), pick(c.Enabled.True(), "enabled", "not enabled"), f.State)
	}
	switch {
	case c.Running == config.TriUnset:
	case f.RunningErr != "":
		return errorf("running: %s", f.RunningErr)
	case !f.Running && !f.Stopped:
		p.addf("is neither running nor stopped, want %s (%s)", pick(c.Running.True(), "running", "not running"), f.State)
	case c.Running.True() != f.Running:
		p.addf("is %s, want %s (%s)", pick(f.Running, "running", "not running"), pick(c.Running.True(), "running", "not running"), f.State)
	}
	return p.outcome()
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
