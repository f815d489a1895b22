// Package assert is the Packer glue of the `assert` provisioner: its configuration, and the steps
// that run the checks. The work itself happens in the internal packages, in the order of the
// data path: check (what is expected), probe (the script and the facts it gathers), remote (one
// command through the communicator) and report (what the user reads).
package assert

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type Config,Settings,Checks,ReportFile
//go:generate go tool packer-sdc struct-markdown

import (
	"context"
	"errors"
	"fmt"
	"log"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/packer-plugin-sdk/common"
	packersdk "github.com/hashicorp/packer-plugin-sdk/packer"
	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/check"
	"github.com/assertkit/packer-plugin-assert/internal/handoff"
	"github.com/assertkit/packer-plugin-assert/internal/probe"
	"github.com/assertkit/packer-plugin-assert/internal/remote"
	"github.com/assertkit/packer-plugin-assert/internal/report"
	"github.com/assertkit/packer-plugin-assert/internal/secrets"
	"github.com/assertkit/packer-plugin-assert/version"
)

// Config is the `assert` provisioner's configuration: settings, then one repeatable block per
// kind of check. The two are structs of their own so that each has its own page of reference docs.
type Config struct {
	common.PackerConfig `mapstructure:",squash"`
	Settings            `mapstructure:",squash"`
	Checks              `mapstructure:",squash"`
}

// Settings are the provisioner-wide settings.
type Settings struct {
	// Run the probe as root through `sudo -n`. The user needs a password-less sudo rule; without
	// one the build fails at once with sudo's message rather than waiting at a password prompt.
	// When the connection's user is already root, the probe runs as it is and sudo is neither
	// needed nor called, so one template serves root on one cloud and a sudo user on another.
	UseSudo bool `mapstructure:"use_sudo"`
	// The time limit of each command check that sets no `timeout` of its own, like `"30s"` (the
	// default). A command that runs longer is stopped, with all its child processes, and fails.
	CheckTimeout time.Duration `mapstructure:"check_timeout"`
	// Report failed checks but do not fail the build.
	ContinueOnFailure bool `mapstructure:"continue_on_failure"`
	// How many times to probe again the checks that did not pass, for services that take a while
	// to come up. Only those checks are probed again, in one remote command each time. Defaults
	// to 0. (Packer's own `max_retries` runs the whole provisioner again instead.)
	Retries int `mapstructure:"retries"`
	// How long to wait before each retry, like `"5s"` (the default).
	RetryDelay time.Duration `mapstructure:"retry_delay"`
	// Print only the checks that did not pass (failures, errors and warnings) and the summary,
	// which says how many passed. Off by default: the log of a build is the record of what
	// the image was checked for. Report files always hold every check.
	Quiet bool `mapstructure:"quiet"`
	// A report file of the results, written on the machine that runs Packer for every run,
	// passing or failing, before the build fails. Repeatable: one block per file.
	Reports []ReportFile `mapstructure:"report"`
	// Values to mask in report files, like `[var.api_token]`, beside those of the sensitive
	// variables that the plugin finds itself (see "Sensitive values" below). Each is replaced
	// by `<sensitive>`.
	SensitiveValues []string `mapstructure:"sensitive_values"`
	// goss v0.4.9 suites to run as checks: gossfiles (`.yaml`, `.yml` or `.json`) or globs of
	// them, relative to the folder Packer runs in, like `["${path.root}/goss.yaml"]`. Each is
	// read and rendered on the machine that runs Packer as goss renders it (templates, includes),
	// and every attribute of every resource becomes a check of its own, named `goss[FILE] TYPE
	// KEY ATTRIBUTE`, in the same probe as the check blocks. See "Goss suites" below.
	GossFiles []string `mapstructure:"goss_files"`
	// A YAML or JSON file of variables for the gossfiles' templates (`.Vars`), as goss's `--vars`,
	// relative to the folder Packer runs in.
	GossVars string `mapstructure:"goss_vars"`
	// Variables for the gossfiles' templates that replace those of `goss_vars` of the same name,
	// as goss's `--vars-inline` (the goss provisioner's `vars_inline`): each value a string.
	GossVarsInline map[string]string `mapstructure:"goss_vars_inline"`
	goss           *gossLoad         // the gossfiles, loaded once by validate (goss.go)
}

// ReportFile is a `report` block: a file the results are written to.
type ReportFile struct {
	// The file's format: `junit` (JUnit XML, which CI systems show as test results), `json` (the
	// whole run, in the documented layout of docs/report/report.schema.json) or `text` (what the
	// build log shows). Required.
	Format string `mapstructure:"format"`
	// Where to write it, on the machine that runs Packer; a relative path is relative to the
	// folder Packer runs in. Missing folders are made; a file that is there is replaced. Builds
	// that run in parallel must write to paths of their own, like
	// `"reports/${source.name}.xml"`. Required.
	Path string `mapstructure:"path"`
}

// Checks are the check blocks, one field per kind of check: check.Kinds finds the kinds here, so
// adding a field is adding a kind.
type Checks struct {
	// Check a file, directory or other path. Repeatable.
	File []check.File `mapstructure:"file"`
	// Check an installed package and its version. Repeatable.
	Package []check.Package `mapstructure:"package"`
	// Check a service of the init system. Repeatable.
	Service []check.Service `mapstructure:"service"`
	// Check a listening port. Repeatable.
	Port []check.Port `mapstructure:"port"`
	// Check a user account. Repeatable.
	User []check.User `mapstructure:"user"`
	// Check a group. Repeatable.
	Group []check.Group `mapstructure:"group"`
	// Run a command and check its exit status and output. Repeatable.
	Command []check.Command `mapstructure:"command"`
	// Check that a program is running, or not: its owner and command line. Repeatable.
	Process []check.Process `mapstructure:"process"`
	// Request a URL from inside the instance and check the response. Repeatable.
	HTTP []check.HTTP `mapstructure:"http"`
	// Resolve a host name through the instance's own resolver. Repeatable.
	DNS []check.DNS `mapstructure:"dns"`
	// Open a TCP connection from inside the instance. Repeatable.
	Addr []check.Addr `mapstructure:"addr"`
	// Check the distribution, as /etc/os-release says: its family, name and version. Repeatable.
	OS []check.OS `mapstructure:"os"`
	// Check a kernel parameter (sysctl) of the running kernel. Repeatable.
	KernelParam []check.KernelParam `mapstructure:"kernel_param"`
	// Check that a kernel module is loaded, or not. Repeatable.
	KernelModule []check.KernelModule `mapstructure:"kernel_module"`
	// Check a mount point: its file system, source and options. Repeatable.
	Mount []check.Mount `mapstructure:"mount"`
	// Check a network interface: its addresses and MTU. Repeatable.
	Interface []check.Interface `mapstructure:"interface"`
	// Check that the image carries nothing that must not ship: SSH host keys, a machine id,
	// leases, histories, keys and credentials, world-writable and set-uid files, changed package
	// files, package caches. Each rule is reported on its own line. At most one block.
	Hygiene []check.Hygiene `mapstructure:"hygiene"`
}

// The defaults of check_timeout and retry_delay.
const (
	defaultCheckTimeout = 30 * time.Second
	defaultRetryDelay   = 5 * time.Second
)

// Provisioner is the `assert` provisioner.
type Provisioner struct {
	config Config
	// where its results go for the build's assert-attestation post-processors
	handoff handoff.Slot
}

// ConfigSpec is the HCL2 schema of Config.
func (p *Provisioner) ConfigSpec() hcldec.ObjectSpec { return p.config.FlatMapstructure().HCL2Spec() }

// Prepare decodes and validates the configuration, reporting every problem at once.
func (p *Provisioner) Prepare(raws ...interface{}) error {
	p.config = Config{}
	// Values the SDK's decoding would stop at are found first, so that they are reported in the
	// same round as everything else.
	raws, unreadable := screen(raws, reflect.TypeOf(p.config))
	// No interpolation: commands and patterns are the user's own text, and HCL2 has already
	// evaluated its expressions; Go templates would break on any "{{" in a command.
	err := config.Decode(&p.config, &config.DecodeOpts{PluginType: "assert", Interpolate: false}, raws...)
	if err != nil {
		return err
	}
	if p.config.CheckTimeout == 0 {
		p.config.CheckTimeout = defaultCheckTimeout
	}
	if p.config.RetryDelay == 0 {
		p.config.RetryDelay = defaultRetryDelay
	}
	var errs []error
	for _, e := range unreadable {
		errs = append(errs, e)
	}
	for _, e := range append(p.config.Settings.validate(), p.config.validate()...) {
		if !saidAlready(unreadable, e) {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return &packersdk.MultiError{Errors: p.config.inOrder(errs)}
	}
	// the post-processor learns from the registrations which provisioners its build has; a
	// hand-off that fails is said when the provisioner runs (the post-processor refuses anyway)
	if err := p.handoff.Register(handoff.Provisioner, handoff.Current(p.config.PackerConfig)); err != nil {
		log.Printf("[WARN] assert: %v", err)
	}
	return nil
}

// inOrder sorts problems the way the template reads: settings first, then the blocks, kind by
// kind and each kind in the order written, keeping the order of the problems of one attribute.
func (c *Config) inOrder(errs []error) []error {
	rank := map[string]int{}
	for i, kind := range check.Kinds(&c.Checks) {
		rank[kind.Block] = i + 1
	}
	key := func(e error) (int, int) {
		kind, rest, found := strings.Cut(e.Error(), "[")
		if !found || strings.ContainsAny(kind, ":. ") {
			return 0, 0 // a setting
		}
		n, _ := strconv.Atoi(rest[:strings.IndexByte(rest+"]", ']')])
		return rank[kind], n
	}
	sort.SliceStable(errs, func(i, j int) bool {
		ki, ni := key(errs[i])
		kj, nj := key(errs[j])
		return ki < kj || ki == kj && ni < nj
	})
	return errs
}

// saidAlready reports whether e is about an attribute whose value screen refused: its value was
// dropped, so whatever validation says of it would only repeat the problem.
func saidAlready(unreadable []attrProblem, e error) bool {
	for _, u := range unreadable {
		if strings.HasPrefix(e.Error(), u.attr+":") {
			return true
		}
	}
	return false
}

// validate reports the problems of the settings.
func (s *Settings) validate() []error {
	var errs []error
	if s.CheckTimeout < 0 {
		errs = append(errs, fmt.Errorf("check_timeout: %s is negative", s.CheckTimeout))
	}
	if s.Retries < 0 {
		errs = append(errs, fmt.Errorf("retries: %d is negative", s.Retries))
	}
	if s.RetryDelay < 0 {
		errs = append(errs, fmt.Errorf("retry_delay: %s is negative", s.RetryDelay))
	}
	paths := map[string]int{}
	for i, r := range s.Reports {
		for _, err := range r.validate() {
			errs = append(errs, fmt.Errorf("report[%d].%w", i, err))
		}
		if first, seen := paths[filepath.Clean(r.Path)]; seen && r.Path != "" {
			errs = append(errs, fmt.Errorf("report[%d].path: %q is also the path of report[%d]: each report needs a file of its own", i, r.Path, first))
		} else {
			paths[filepath.Clean(r.Path)] = i
		}
	}
	return errs
}

// checks lists the checks of every kind, each with the name of its block, like "file[2]". The
// kinds are the fields of Checks whose elements are checks: that list of fields, which the SDK's
// code generation needs spelled out, is the only list of kinds.
func (c *Config) checks() []check.Declared {
	var checks []check.Check
	for _, kind := range check.Kinds(&c.Checks) {
		checks = append(checks, kind.Checks...)
	}
	checks = append(checks, c.Settings.gossChecks()...)
	return check.Declare(checks)
}

// validate names the block of every configuration problem, like `file[2].mode: …`.
func (c *Config) validate() []error {
	checks := c.checks()
	errs := c.Settings.gossErrors()
	if len(checks) == 0 && len(c.GossFiles) == 0 {
		var names []string
		for _, kind := range check.Kinds(&c.Checks) {
			names = append(names, kind.Block)
		}
		return append(errs, fmt.Errorf("no checks: add at least one block of %s, or goss_files", strings.Join(names, ", ")))
	}
	for _, ch := range checks {
		for _, err := range check.Validate(ch) {
			errs = append(errs, fmt.Errorf("%s.%w", ch.Block, err))
		}
	}
	return errs
}

// Provision runs every check in one probe and reports the verdicts: in the build log, then in
// the report files. With retries, the checks that did not pass are probed again, alone, after
// retry_delay.
func (p *Provisioner) Provision(ctx context.Context, ui packersdk.Ui, comm packersdk.Communicator, generatedData map[string]interface{}) error {
	conn, _ := generatedData["ConnType"].(string)
	if err := usableCommunicator(conn); err != nil {
		return err
	}
	checks := p.config.checks()
	p.config.Settings.sayGossWarnings(ui)
	// everything said from here on is masked, as the report files are: Packer masks only whole
	// values of sensitive variables, not a command line cut inside one
	masker := report.NewMasker(p.secrets(ui))
	ui = &maskingUI{Ui: ui, masker: masker}
	ui.Say(fmt.Sprintf("Checking %d assertions in one probe%s...", len(checks), skipped(checks)))
	run := report.Run{Plugin: version.PluginVersion.FormattedVersion(), Build: p.build(generatedData), Started: time.Now()}
	var err error
	run.Results, run.Instance, err = p.probe(ctx, ui, comm, checks)
	probed := err == nil // the first probe ran: its verdicts are worth a line each
	if err != nil {
		run.Results = undecided(checks, err)
	}
	for attempt := 1; err == nil && attempt <= p.config.Retries; attempt++ {
		again := notPassed(run.Results)
		if len(again) == 0 {
			break
		}
		ui.Say(fmt.Sprintf("%d of %d checks did not pass; probing them again in %s (retry %d of %d): %s",
			len(again), len(run.Results), p.config.RetryDelay, attempt, p.config.Retries, report.Names(pick(run.Results, again))))
		select {
		case <-ctx.Done():
			err = fmt.Errorf("cancelled: %w", ctx.Err())
		case <-time.After(p.config.RetryDelay):
			var retried []check.Result
			retried, _, err = p.probe(ctx, ui, comm, pick(checks, again))
			if err != nil {
				retried = undecided(pick(checks, again), fmt.Errorf("retry %d: %w", attempt, err))
			}
			for k, i := range again {
				retried[k].Probes = run.Results[i].Probes + 1
				run.Results[i] = retried[k]
			}
		}
	}
	run.Duration = time.Since(run.Started)
	masked := masker.Run(run)
	if probed {
		report.Log(ui, masked, p.config.Quiet)
	}
	// for an assert-attestation post-processor, which refuses to certify a build whose
	// provisioner left no results: a failure here needs no more than saying. A run whose report
	// cannot be made saves nil, which withdraws an earlier run's results.
	doc, jerr := report.JSON(masked)
	if jerr != nil {
		doc = nil
		ui.Error("assert: the results cannot be handed to an assert-attestation post-processor: " + jerr.Error())
	}
	if herr := p.handoff.Save(doc, handoff.Current(p.config.PackerConfig)); herr != nil {
		ui.Error("assert: the results cannot be handed to an assert-attestation post-processor: " + herr.Error())
	}
	if werr := p.writeReports(masked); werr != nil {
		ui.Error("assert: " + werr.Error())
		if err == nil {
			err = werr
		} else {
			err = fmt.Errorf("%w; and %w", err, werr)
		}
	}
	if err != nil {
		return errors.New(masker.Replace("assert: " + err.Error()))
	}
	if err := report.Err(masked.Results); err != nil {
		if p.config.ContinueOnFailure {
			ui.Error("continue_on_failure is set, so the build goes on: " + err.Error())
			return nil
		}
		return fmt.Errorf("assert: %w", err)
	}
	return nil
}

// undecided is the verdict on checks that the probe could not decide at all: each is an error
// with the reason, so that report files show every check that was not seen to pass.
func undecided(checks []check.Declared, err error) []check.Result {
	results := make([]check.Result, len(checks))
	for i, c := range checks {
		results[i] = check.Undecided(c, err)
	}
	return results
}

// build names the Packer build the provisioner runs in, for the report files.
func (p *Provisioner) build(generatedData map[string]interface{}) report.Build {
	uuid, _ := generatedData["PackerRunUUID"].(string)
	b := report.Build{Name: p.config.PackerBuildName, Type: p.config.PackerBuilderType, RunUUID: uuid}
	// With HCL2, Packer gives plugins the source's name as the build's name, and not the name
	// of the build block; the source is known as TYPE.NAME, as in source.null.target.
	if b.Name != "" && b.Type != "" {
		b.Source = b.Type + "." + b.Name
	}
	return b
}

// secrets are the values to mask in what the plugin writes itself: sensitive_values, and the
// values of the build's sensitive variables, which Packer names but does not give to plugins
// (package secrets finds them). What could not be found is said in the log when the plugin
// writes files, which Packer's own masking does not reach.
func (p *Provisioner) secrets(ui packersdk.Ui) []string {
	found := secrets.Find(p.config.PackerSensitiveVars, p.config.PackerUserVars)
	// the report files and the results handed to assert-attestation are written by the plugin
	if len(found.Unresolved) > 0 {
		var why []string
		for _, name := range found.Unresolved {
			why = append(why, name+" ("+found.Reasons[name]+")")
		}
		ui.Error(fmt.Sprintf("WARNING: assert: the values of the sensitive %s %s could not be found, so the report files "+
			"and the results kept for assert-attestation cannot mask them if a check uses them: list them in sensitive_values, "+
			"like sensitive_values = [var.%s]",
			plural(len(found.Unresolved), "variable", "variables"), strings.Join(why, ", "), found.Unresolved[0]))
	}
	if len(found.SensitiveLocals) > 0 && len(p.config.SensitiveValues) == 0 {
		ui.Error(fmt.Sprintf("WARNING: assert: the template has sensitive locals (%s), whose values Packer does not give "+
			"plugins: if a check uses them, list them in sensitive_values, like sensitive_values = [local.%s], so that "+
			"the report files and the results kept for assert-attestation mask them",
			strings.Join(found.SensitiveLocals, ", "), found.SensitiveLocals[0]))
	}
	return append(secrets.Expand(p.config.SensitiveValues), found.Values...)
}

// skipped says how many checks are skipped, if any: ", 2 of them skipped".
func skipped(checks []check.Declared) string {
	n := 0
	for _, c := range checks {
		if check.Skips(c) {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d of them skipped)", n)
}

// communicatorWorks says which communicators can run the probe.
const communicatorWorks = "assert runs a POSIX sh script in the instance, which reads Linux's /proc, so it needs a " +
	"communicator that runs commands in a shell on Linux: ssh to a Linux instance, or docker for a Linux container"

// usableCommunicator refuses the communicators that cannot run the probe, a POSIX sh script.
// With communicator = "none" the communicator runs nothing and reports success: every check
// would pass without looking at the image.
func usableCommunicator(conn string) error {
	const works = communicatorWorks
	switch conn {
	case "none":
		return fmt.Errorf("assert: the build has no communicator (communicator = \"none\"), so there is no instance to check; %s", works)
	case "winrm", "dockerWindowsContainer":
		return fmt.Errorf("assert: the %s communicator runs Windows commands, not a POSIX shell; %s", conn, works)
	}
	return nil
}

// probe gathers the facts for checks in one remote command and judges them. While it runs longer
// than a few seconds, it says now and then which checks it still waits for.
func (p *Provisioner) probe(ctx context.Context, ui packersdk.Ui, comm packersdk.Communicator, checks []check.Declared) ([]check.Result, check.Instance, error) {
	start := time.Now()
	suite := check.NewSuite(checks, check.Options{CheckTimeout: p.config.CheckTimeout})
	script, err := probe.Render(suite.Plan())
	if err != nil {
		return nil, check.Instance{}, err
	}
	progress := probe.NewProgress()
	stop := tellProgress(ui, suite, progress, start)
	out, err := remote.Run(ctx, comm, probe.RemoteCommand(script, p.config.UseSudo), probe.Ready, script, suite.Plan().Limit()+30*time.Second, progress)
	stop()
	if err != nil {
		return nil, check.Instance{}, err
	}
	if !out.Ready {
		return nil, check.Instance{}, errors.New(p.notStarted(out))
	}
	facts, err := probe.Parse(suite.Plan(), out.Stdout)
	if err != nil && out.ExitStatus == probe.StoppedAtLimit {
		return nil, check.Instance{}, fmt.Errorf("the probe reached its time limit of %s in the image and stopped itself; "+
			"something it asked the image (a stat on a hung mount, a service status that never answers) did not return%s",
			suite.Plan().Limit(), remoteContext(out))
	}
	if err != nil {
		return nil, check.Instance{}, fmt.Errorf("%w%s", err, remoteContext(out))
	}
	if facts.Complaints != "" {
		log.Printf("[DEBUG] assert: the probe's shell said on stderr: %s", facts.Complaints)
	}
	results := suite.Judge(facts)
	// for PACKER_LOG=1 and the benchmark (test/bench): what the run cost
	log.Printf("[INFO] assert: %d checks in %s; probe %d bytes, its output %d bytes; plugin peak RSS %d KiB",
		len(checks), time.Since(start), len(script), len(out.Stdout), peakRSS())
	return results, suite.Instance(facts), nil
}

// The probe's progress is told first after progressAfter, then every progressEvery.
var progressAfter, progressEvery = 5 * time.Second, 10 * time.Second

// tellProgress says, while the probe runs, which checks it still waits for, so that a long
// build does not look hung. It returns the function that stops it.
func tellProgress(ui packersdk.Ui, suite *check.Suite, progress *probe.Progress, start time.Time) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		wait := progressAfter
		for {
			select {
			case <-done:
				return
			case <-time.After(wait):
			}
			wait = progressEvery
			ui.Say(progressLine(suite.Waiting(progress), time.Since(start)))
		}
	}()
	return func() { close(done); <-finished }
}

// progressLine says how long the probe has run and which checks it waits for.
func progressLine(waiting []check.Declared, elapsed time.Duration) string {
	line := fmt.Sprintf("Still probing after %s", elapsed.Round(time.Second))
	if len(waiting) == 0 {
		return line + "..."
	}
	const shown = 10
	names := make([]string, 0, shown)
	for _, c := range waiting[:min(len(waiting), shown)] {
		names = append(names, c.Block+" "+c.Subject())
	}
	list := strings.Join(names, ", ")
	if len(waiting) > shown {
		list += fmt.Sprintf(" and %d more", len(waiting)-shown)
	}
	return fmt.Sprintf("%s; waiting for %s", line, list)
}

// notPassed lists the positions of the results that failed or errored, warnings included.
func notPassed(results []check.Result) []int {
	var idx []int
	for i, r := range results {
		if r.Status == check.Fail || r.Status == check.Error {
			idx = append(idx, i)
		}
	}
	return idx
}

// pick returns the elements of list at the positions idx.
func pick[T any](list []T, idx []int) []T {
	s := make([]T, len(idx))
	for k, i := range idx {
		s[k] = list[i]
	}
	return s
}

// notStarted explains why the remote command ended before it could read the probe.
func (p *Provisioner) notStarted(out remote.Output) string {
	said := strings.TrimSpace(string(out.Preamble) + "\n" + string(out.Stderr))
	switch {
	case said == "" && out.ExitStatus == 0:
		// Packer names no communicator for communicator = "none" (nor for builders that connect
		// without its communicator step, like the chroot builders, which do run commands): "none"
		// reports success without running anything, and the probe's ready line never comes
		return "the build has no communicator (communicator = \"none\"): the remote command ran nothing and said nothing, " +
			"so there is no instance to check; " + communicatorWorks
	case p.config.UseSudo && strings.Contains(said, "password is required"):
		return "use_sudo: sudo wants a password from this user; give it a password-less rule " +
			"(NOPASSWD in sudoers) or connect as root (sudo said: " + firstLine(said) + ")"
	case p.config.UseSudo && strings.Contains(said, "sudoers"):
		return "use_sudo: this user may not use sudo (sudo said: " + firstLine(said) + ")"
	case p.config.UseSudo && (strings.Contains(said, "sudo: not found") || strings.Contains(said, "sudo: command not found")):
		return "use_sudo: the image has no sudo, and the connection's user is not root; " +
			"connect as root (use_sudo then needs no sudo), or install sudo with a password-less rule for this user"
	}
	return "the probe could not start in the image" + remoteContext(out)
}

func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	return ""
}

// remoteContext says how the remote command ended, for an error about its output.
func remoteContext(out remote.Output) string {
	s := fmt.Sprintf(" (exit status %d", out.ExitStatus)
	if msg := strings.TrimSpace(string(out.Preamble) + "\n" + string(out.Stderr)); msg != "" {
		if len(msg) > 500 {
			msg = "…" + msg[len(msg)-500:]
		}
		s += "; it said: " + msg
	}
	return s + ")"
}
