// Package attestation is the Packer glue of the `assert-attestation` post-processor: after the
// builder (and the post-processors before it in its chain) made the artifact, it certifies that
// this artifact passed the checks of the build's `assert` provisioners, in an in-toto
// attestation. The provisioners' reports come through internal/handoff, the attestation is
// made and signed by internal/attest.
package attestation

//go:generate go tool packer-sdc mapstructure-to-hcl2 -type Config
//go:generate go tool packer-sdc struct-markdown

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/packer-plugin-sdk/common"
	packersdk "github.com/hashicorp/packer-plugin-sdk/packer"
	"github.com/hashicorp/packer-plugin-sdk/template/config"

	"github.com/assertkit/packer-plugin-assert/internal/attest"
	"github.com/assertkit/packer-plugin-assert/internal/handoff"
)

// Config is the `assert-attestation` post-processor's configuration. Every setting is optional:
// with none, it writes the unsigned statement and a copy of the report beside the artifact.
type Config struct {
	common.PackerConfig `mapstructure:",squash"`
	// The private key that signs the attestation, a file on the machine that runs Packer: an
	// unencrypted PEM key (PKCS#8 as `openssl genpkey` writes it, PKCS#1, SEC 1) or an OpenSSH
	// key as `ssh-keygen` writes it, of type ed25519, ECDSA P-256 or RSA (2048 bits or more,
	// signed with RSASSA-PSS and SHA-256, which cosign does not verify: use ed25519 or ECDSA for
	// cosign). With a key, the statement is written signed, in a DSSE envelope:
	// `NAME.intoto.dsse.json`. The key is read when Packer prepares the build, so that a key that
	// cannot sign fails `packer validate` rather than the end of a long build; nothing of it is
	// ever logged. Keep it readable by the user who runs Packer alone (mode 0600): the
	// post-processor warns when others may read it.
	KeyFile string `mapstructure:"key_file"`
	// Write the statement unsigned too, as `NAME.intoto.json`, for a tool that signs statements
	// itself, or for reading. Defaults to true without `key_file` (the unsigned statement is then
	// the only attestation) and to false with it. A policy must read the statement that was
	// verified, not this copy: `verify-attestation` checks that the copy is the signed statement,
	// and `-print-statement` gives the verified one.
	UnsignedStatement config.Trilean `mapstructure:"unsigned_statement"`
	// Write a copy of each assert provisioner's JSON report beside the attestation
	// (`NAME.assert-report.json`, or `NAME.assert-report-N.json` for several), which the
	// attestation names by digest and `verify-attestation` compares. The reports hold what the
	// checks found, command output included (masked as the provisioner masks its reports). Set
	// false to publish the attestation alone. Defaults to true.
	CopyReports config.Trilean `mapstructure:"copy_reports"`
	// Certify an artifact without files by its ID even when the ID is a name that can later name
	// another image: a Google Compute image's name (free again once the image is deleted), an
	// Azure resource ID, the "repository:tag" that docker-tag and docker-push hand on.
	// Verification by such a name proves nothing about the image the name names by then. By
	// default only IDs that name one image for ever are certified: Amazon machine image IDs and
	// Docker image IDs ("sha256:…"); files are always certified by their sha256.
	AllowMutableArtifactID bool `mapstructure:"allow_mutable_artifact_id"`
	// The folder to write the files in, on the machine that runs Packer; made when missing.
	// Defaults to the folder of the artifact's first file, or, for an artifact without files (a
	// cloud image), the folder Packer runs in.
	OutputDirectory string `mapstructure:"output_directory"`
	// The name the files start with. Defaults to the name of the artifact's first file (so that
	// `out/web.tar.gz` gets `out/web.tar.gz.intoto.dsse.json`), or, for an artifact without
	// files, to the builder type and the source's name, like `amazon-ebs.web`. Builds that run in
	// parallel must not share one: use `"${source.name}"` in it.
	OutputName string `mapstructure:"output_name"`
	// Certify the artifact even when provisioners that may change the image run after the
	// build's last `assert` provisioner (a `shell`, `shell-local`, `ansible`, a `file` upload …;
	// a `file` download changes nothing): their changes were not checked. By default the
	// post-processor refuses such a build. When true, it certifies it and lists those
	// provisioners' types, in the template's order, on every subject of the statement
	// (annotation `provisionersAfterChecks`), which `verify-attestation` prints and a policy can
	// refuse.
	AllowProvisionersAfter bool `mapstructure:"allow_provisioners_after"`
	// A link to the run, like a CI job's page (`"${env("CI_JOB_URL")}"`), put in the predicate's
	// `url`.
	URL string `mapstructure:"url"`
}

// PostProcessor is the `assert-attestation` post-processor.
type PostProcessor struct {
	config Config
	key    *attest.Key
	// registers it with the build, so that its build's provisioners can be told from another's
	handoff handoff.Slot
}

// ConfigSpec is the HCL2 schema of Config.
func (p *PostProcessor) ConfigSpec() hcldec.ObjectSpec { return p.config.FlatMapstructure().HCL2Spec() }

// Configure decodes and validates the configuration, reading the key, and reports every problem
// at once.
func (p *PostProcessor) Configure(raws ...interface{}) error {
	p.config, p.key = Config{}, nil
	if err := config.Decode(&p.config, &config.DecodeOpts{PluginType: "assert-attestation", Interpolate: false}, raws...); err != nil {
		return err
	}
	var errs []error
	c := &p.config
	if c.KeyFile != "" {
		key, err := attest.LoadPrivateKey(c.KeyFile)
		if err != nil {
			errs = append(errs, fmt.Errorf("key_file: %w", err))
		}
		p.key = key
	}
	if c.UnsignedStatement.False() && c.KeyFile == "" {
		errs = append(errs, errors.New("unsigned_statement: is false and there is no key_file, so there would be no attestation: "+
			"set key_file to sign it, or leave unsigned_statement out"))
	}
	if strings.ContainsAny(c.OutputName, `/\`) {
		errs = append(errs, fmt.Errorf("output_name: %q is a path; it names the files, and output_directory names their folder", c.OutputName))
	}
	if c.URL != "" {
		if u, err := url.Parse(c.URL); err != nil || u.Scheme == "" || u.Host == "" {
			errs = append(errs, fmt.Errorf("url: %q is not an absolute URL, like \"https://ci.example.com/jobs/42\"", c.URL))
		}
	}
	if len(errs) > 0 {
		return &packersdk.MultiError{Errors: errs}
	}
	// a failed registration is the post-processor's refusal when it runs, not packer validate's
	if err := p.handoff.Register(handoff.PostProcessor, handoff.Current(c.PackerConfig)); err != nil {
		log.Printf("[WARN] assert-attestation: %v", err)
	}
	return nil
}

// outputs are the paths of the files the post-processor writes for the artifact.
type outputs struct {
	dir, name string
}

func (o outputs) statement() string { return filepath.Join(o.dir, o.name+".intoto.json") }
func (o outputs) envelope() string  { return filepath.Join(o.dir, o.name+".intoto.dsse.json") }

// report is the path of the copy of the i-th of n reports.
func (o outputs) report(i, n int) string {
	if n == 1 {
		return filepath.Join(o.dir, o.name+".assert-report.json")
	}
	return filepath.Join(o.dir, fmt.Sprintf("%s.assert-report-%d.json", o.name, i))
}

// outputsFor places the files of the attestation of an artifact with files.
func (p *PostProcessor) outputsFor(files []string) outputs {
	o := outputs{dir: p.config.OutputDirectory, name: p.config.OutputName}
	if len(files) > 0 {
		if o.dir == "" {
			o.dir = filepath.Dir(files[0])
		}
		if o.name == "" {
			o.name = filepath.Base(files[0])
		}
	}
	if o.dir == "" {
		o.dir = "."
	}
	if o.name == "" {
		o.name = p.config.PackerBuilderType + "." + p.config.PackerBuildName
	}
	return o
}

// PostProcess writes the attestation of artifact, or refuses, saying why, when the build's
// checks did not pass, when their results are missing or cannot be told from another build's.
// It passes the artifact on unchanged.
func (p *PostProcessor) PostProcess(ctx context.Context, ui packersdk.Ui, artifact packersdk.Artifact) (packersdk.Artifact, bool, bool, error) {
	art := attest.Artifact{BuilderID: artifact.BuilderId(), ID: artifact.Id(), Files: artifact.Files()}
	out := p.outputsFor(art.Files)
	// an attestation left by an earlier build must not pass for this one's
	removed, err := out.clear()
	if err != nil {
		return nil, false, false, fmt.Errorf("assert-attestation: %w", err)
	}
	if len(removed) > 0 {
		ui.Say("Removed the attestation of an earlier build: " + strings.Join(removed, ", "))
	}
	if err := p.certify(ctx, ui, art, out); err != nil {
		return nil, false, false, fmt.Errorf("assert-attestation: %w", err)
	}
	// the same artifact goes on: it must not be destroyed as the input of this post-processor
	return artifact, true, true, nil
}

func (p *PostProcessor) certify(ctx context.Context, ui packersdk.Ui, art attest.Artifact, out outputs) error {
	build := handoff.Current(p.config.PackerConfig)
	res, err := p.handoff.Load(build)
	if err != nil {
		return err
	}
	records := res.Records
	reports := make([]attest.Report, len(records))
	for i, r := range records {
		reports[i] = attest.Report{File: filepath.Base(out.report(i, len(records))), Bytes: r.Report, Doc: r.Doc}
		if len(records) > 1 {
			reports[i].Prefix = fmt.Sprintf("assert[%d].", i)
		}
	}
	if err := attest.Refuse(reports); err != nil {
		return fmt.Errorf("build %s: %w", res.Build, err)
	}
	if len(res.After) > 0 && !p.config.AllowProvisionersAfter {
		return fmt.Errorf("build %s: provisioners run after its last assert provisioner and may change the image, which "+
			"the checks then did not see: %s. Make assert the last provisioner that changes the image, or set "+
			"allow_provisioners_after = true to certify it anyway, with those provisioners named in the attestation",
			res.Build, strings.Join(res.After, ", "))
	}
	subjects, err := attest.Subjects(ctx, art, p.config.AllowMutableArtifactID)
	if err != nil {
		return err
	}
	attest.MarkUnchecked(subjects, res.After)
	st, err := attest.Statement(subjects, reports, p.config.URL)
	if err != nil {
		return err
	}
	statement, err := attest.Marshal(st)
	if err != nil {
		return err
	}
	var files []output
	if p.key != nil {
		env, err := attest.Sign(ctx, p.key, statement)
		if err != nil {
			return fmt.Errorf("signing with key_file: %w", err)
		}
		files = append(files, output{out.envelope(), env})
	}
	if p.config.UnsignedStatement.True() || p.key == nil && !p.config.UnsignedStatement.False() {
		files = append(files, output{out.statement(), statement})
	}
	if !p.config.CopyReports.False() {
		for i, r := range reports {
			files = append(files, output{out.report(i, len(reports)), r.Bytes})
		}
	}
	if err := writeAll(files); err != nil {
		return fmt.Errorf("writing the attestation (nothing of it was left): %w", err)
	}
	pred := st.GetPredicate().GetFields()
	var names []string
	for _, s := range subjects {
		names = append(names, s.GetName())
	}
	ui.Say(fmt.Sprintf("Certified %s: %s, %d checks passed and %d warned in %d assert %s of build %s",
		strings.Join(names, ", "), pred["result"].GetStringValue(), len(pred["passedTests"].GetListValue().GetValues()),
		len(pred["warnedTests"].GetListValue().GetValues()), len(reports), plural(len(reports), "provisioner", "provisioners"), res.Build))
	var skipped []string
	for _, conf := range pred["configuration"].GetListValue().GetValues() {
		for _, v := range conf.GetStructValue().GetFields()["annotations"].GetStructValue().GetFields()[attest.SkippedAnnotation].GetListValue().GetValues() {
			skipped = append(skipped, v.GetStringValue())
		}
	}
	if len(skipped) > 0 {
		ui.Say(fmt.Sprintf("%d %s skipped, not checked, and named so in the attestation (%s): %s", len(skipped),
			plural(len(skipped), "check was", "checks were"), attest.SkippedAnnotation, strings.Join(skipped, ", ")))
	}
	var written []string
	for _, f := range files {
		written = append(written, f.name)
	}
	signed := ""
	if p.key != nil {
		signed = " (signed with " + p.key.String() + ")"
	}
	ui.Say("Wrote " + strings.Join(written, ", ") + signed)
	if len(res.After) > 0 {
		ui.Error(fmt.Sprintf("Warning: the attestation covers the instance as the assert provisioners saw it, and provisioners "+
			"of build %s run after the last of them (%s): what they changed was not checked. The attestation names them "+
			"(%s), as allow_provisioners_after allows.", res.Build, strings.Join(res.After, ", "), attest.UncheckedAnnotation))
	}
	if p.key != nil {
		if err := shared(p.config.KeyFile); err != nil {
			ui.Error("Warning: key_file " + p.config.KeyFile + ": " + err.Error())
		}
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// clear removes the files an earlier attestation of the same name left, and returns their names.
func (o outputs) clear() ([]string, error) {
	entries, err := os.ReadDir(o.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ours := map[string]bool{filepath.Base(o.statement()): true, filepath.Base(o.envelope()): true, filepath.Base(o.report(0, 1)): true}
	var removed []string
	for _, e := range entries {
		n := e.Name()
		report, ok := strings.CutPrefix(n, o.name+".assert-report-")
		if !ours[n] && !(ok && strings.HasSuffix(report, ".json")) {
			continue
		}
		name := filepath.Join(o.dir, n)
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("an earlier attestation cannot be removed: %w", err)
		}
		removed = append(removed, name)
	}
	return removed, nil
}

// An output is a file the post-processor writes.
type output struct {
	name string
	b    []byte
}

// writeAll writes every file whole, or none: each is written to a temporary file beside it,
// and only when all are written are they renamed into place; a rename that fails takes back
// those done. Their folder is made when missing. Files are mode 0644: they are made to be
// published.
func writeAll(files []output) error {
	var temps []string
	defer func() {
		for _, t := range temps {
			os.Remove(t) // those not renamed
		}
	}()
	for _, f := range files {
		dir := filepath.Dir(f.name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		tmp, err := os.CreateTemp(dir, "."+filepath.Base(f.name)+".*")
		if err != nil {
			return err
		}
		temps = append(temps, tmp.Name())
		_, err = tmp.Write(f.b)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(tmp.Name(), 0o644)
		}
		if err != nil {
			return err
		}
	}
	for i, f := range files {
		if err := os.Rename(temps[i], f.name); err != nil {
			for _, done := range files[:i] {
				os.Remove(done.name)
			}
			return err
		}
	}
	temps = nil
	return nil
}
