package assert

import (
	"errors"
	"fmt"
	"os"
	"strings"

	packersdk "github.com/hashicorp/packer-plugin-sdk/packer"

	"github.com/assertkit/packer-plugin-assert/internal/check"
	"github.com/assertkit/packer-plugin-assert/internal/goss"
	"github.com/assertkit/packer-plugin-assert/internal/gossfile"
)

// The goss_files settings: goss v0.4.9 suites, read and rendered on the machine that runs Packer
// when the configuration is prepared (package gossfile), each resource attribute a check of kind
// "goss" (packages goss and check), run in the same probe as the HCL checks.

// gossLoad is what the goss settings load into, once per Prepare.
type gossLoad struct {
	checks   []check.Check
	errs     []error
	warnings []string
}

// gossLoaded loads the gossfiles of the settings, the first time it is asked.
func (s *Settings) gossLoaded() *gossLoad {
	if s.goss == nil {
		s.goss = loadGoss(s.GossFiles, s.GossVars, s.GossVarsInline, environ())
	}
	return s.goss
}

// gossChecks are the checks of the gossfiles, after the HCL checks.
func (s *Settings) gossChecks() []check.Check { return s.gossLoaded().checks }

// gossErrors are the problems of the goss settings and gossfiles, each naming the setting, and
// where it is about a gossfile, the file, the resource and the attribute.
func (s *Settings) gossErrors() []error { return s.gossLoaded().errs }

// sayGossWarnings tells what goss would silently ignore, or do otherwise, in the gossfiles.
func (s *Settings) sayGossWarnings(ui packersdk.Ui) {
	for _, w := range s.gossLoaded().warnings {
		ui.Say("WARNING: " + w)
	}
}

// loadGoss reads, renders and maps the gossfiles. Relative paths start from the folder Packer
// runs in, as the goss provisioner's tests do; the templates' .Env is env.
func loadGoss(files []string, vars string, inline map[string]string, env map[string]string) *gossLoad {
	l := &gossLoad{}
	if len(files) == 0 {
		if vars != "" {
			l.errs = append(l.errs, errors.New("goss_vars: is set, but goss_files is not: name the gossfiles the vars are for"))
		}
		if len(inline) > 0 {
			l.errs = append(l.errs, errors.New("goss_vars_inline: is set, but goss_files is not: name the gossfiles the vars are for"))
		}
		return l
	}
	// goss's --vars-inline, as the goss provisioner passes it: a JSON object of strings
	var in map[string]any
	if len(inline) > 0 {
		in = make(map[string]any, len(inline))
		for k, v := range inline {
			in[k] = v
		}
	}
	suite, err := gossfile.Load(gossfile.Options{Files: files, VarsFile: vars, VarsInline: in, Env: env})
	if err != nil {
		for _, e := range leaves(err) {
			l.errs = append(l.errs, gossSetting(e))
		}
		return l
	}
	for _, w := range suite.Warnings {
		l.warnings = append(l.warnings, "goss_files: "+w)
	}
	checks, errs, warnings := goss.Checks(suite.Resources)
	for _, e := range errs {
		l.errs = append(l.errs, fmt.Errorf("goss_files: %w", e))
	}
	for _, w := range warnings {
		l.warnings = append(l.warnings, "goss_files: "+w)
	}
	for _, c := range checks {
		l.checks = append(l.checks, check.NewGossCheck(c))
	}
	return l
}

// leaves are the errors joined in err, each on its own.
func leaves(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var all []error
	for _, e := range j.Unwrap() {
		all = append(all, leaves(e)...)
	}
	return all
}

// gossSetting names the setting a loading problem is about, as the template spells it: package
// gossfile names its options "gossfiles", its vars file and its inline vars.
func gossSetting(err error) error {
	var fe *gossfile.Error
	if errors.As(err, &fe) {
		return fmt.Errorf("goss_files: %w", err)
	}
	msg := err.Error()
	for _, r := range []struct{ from, to string }{
		{"gossfiles[", "goss_files["},
		{"gossfiles: vars file ", "goss_vars: "},
		{"gossfiles: inline vars: ", "goss_vars_inline: "},
		{"gossfiles: ", "goss_files: "},
	} {
		if rest, ok := strings.CutPrefix(msg, r.from); ok {
			return errors.New(r.to + rest)
		}
	}
	return fmt.Errorf("goss_files: %w", err)
}

// environ is the environment of the machine that runs Packer, for the gossfiles' .Env.
func environ() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}
