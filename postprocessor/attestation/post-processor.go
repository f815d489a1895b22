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
	// signed with RSASSA-PSS and SHA-256). With a key, the statement is written signed, in a
	// DSSE envelope: `NAME.intoto.dsse.json`. The key is read when Packer prepares the build,
	// so that a key that cannot sign fails `packer validate`; nothing of it is ever logged.
	KeyFile string `mapstructure:"key_file"`
	// Write the statement unsigned too, as `NAME.intoto.json`, for a tool that signs statements
	// itself, or for reading. Defaults to true without `key_file` (the unsigned statement is then
	// the only attestation) and to false with it.
	UnsignedStatement config.Trilean `mapstructure:"unsigned_statement"`
	// The folder to write the files in, on the machine that runs Packer; made when missing.
	// Defaults to the folder of the artifact's first file, or, for an artifact without files (a
	// cloud image), the folder Packer runs in.
	OutputDirectory string `mapstructure:"output_directory"`
	// The name the files start with. Defaults to the name of the artifact's first file (so that
	// `out/web.tar.gz` gets `out/web.tar.gz.intoto.dsse.json`), or, for an artifact without
	// files, to the builder type and the source's name, like `amazon-ebs.web`, which is unique
	// among the builds of a template. Builds that run in parallel must not share one: use
	// `"${source.name}"` in it.
	OutputName string `mapstructure:"output_name"`
	// A link to the run, like a CI job's page (`"${env("CI_JOB_URL")}"`), put in the predicate's
	// `url`.
	URL string `mapstructure:"url"`
}

// PostProcessor is the `assert-attestation` post-processor.
type PostProcessor struct {
	config Config
	key    *attest.Key
	// registers it with the build, so that a provisioner of another build is not taken for one of its own
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
	return p.handoff.Register(handoff.PostProcessor, handoff.Current(c.PackerConfig))
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
// checks did not pass, when their results are missing or not this build's. It passes the
// artifact on unchanged.
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
	records, err := handoff.Load(build)
	if err != nil {
		return err
	}
	reports := make([]attest.Report, len(records))
	for i, r := range records {
		reports[i] = attest.Report{File: filepath.Base(out.report(i, len(records))), Bytes: r.Report, Doc: r.Doc}
		if len(records) > 1 {
			reports[i].Prefix = fmt.Sprintf("assert[%d].", i)
		}
	}
	if err := attest.Refuse(reports); err != nil {
		return fmt.Errorf("build %s: %w", build, err)
	}
	subjects, err := attest.Subjects(ctx, art)
	if err != nil {
		return err
	}
	st, err := attest.Statement(subjects, reports, p.config.URL)
	if err != nil {
		return err
	}
	statement, err := attest.Marshal(st)
	if err != nil {
		return err
	}
	var written []string
	write := func(name string, b []byte) error {
		if err := writeFile(name, b); err != nil {
			return err
		}
		written = append(written, name)
		return nil
	}
	if p.key != nil {
		env, err := attest.Sign(ctx, p.key, statement)
		if err != nil {
			return fmt.Errorf("signing with key_file: %w", err)
		}
		if err := write(out.envelope(), env); err != nil {
			return err
		}
	}
	if p.config.UnsignedStatement.True() || p.key == nil && !p.config.UnsignedStatement.False() {
		if err := write(out.statement(), statement); err != nil {
			return err
		}
	}
	for i, r := range reports {
		if err := write(out.report(i, len(reports)), r.Bytes); err != nil {
			return err
		}
	}
	pred := st.GetPredicate().GetFields()
	var names []string
	for _, s := range subjects {
		names = append(names, s.GetName())
	}
	ui.Say(fmt.Sprintf("Certified %s: %s, %d checks passed and %d warned in %d assert %s",
		strings.Join(names, ", "), pred["result"].GetStringValue(), len(pred["passedTests"].GetListValue().GetValues()),
		len(pred["warnedTests"].GetListValue().GetValues()), len(reports), plural(len(reports), "provisioner", "provisioners")))
	signed := ""
	if p.key != nil {
		signed = " (signed with " + p.key.String() + ")"
	}
	ui.Say("Wrote " + strings.Join(written, ", ") + signed)
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

// writeFile writes b to name whole or not at all, making its folder when missing.
func writeFile(name string, b []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // when the rename did not happen
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	return err
}
