package attest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// CommandName is the plugin binary's subcommand that verifies an attestation.
const CommandName = "verify-attestation"

const usage = `Usage: packer-plugin-assert verify-attestation -key PUBLIC_KEY -artifact FILE [options] ENVELOPE

Verifies an attestation that the assert-attestation post-processor wrote (ENVELOPE, a
NAME.intoto.dsse.json file) before the artifact is deployed:

  - the envelope's signature, with PUBLIC_KEY;
  - that it holds an in-toto Statement v1 with a test-result predicate;
  - that every artifact given is a subject of the statement: a file by its sha256, an
    artifact without files (a cloud or container image) by its ID;
  - that the copies of the JSON reports beside ENVELOPE are the reports the statement names,
    and that the unsigned copy NAME.intoto.json beside it, if any, is the signed statement;
  - the result: PASSED is accepted; WARNED (checks of severity "warning" did not pass) only
    with -accept-warned; FAILED never.

It exits 0 when everything is verified, 1 when anything is not (the artifact must not be
trusted), and 2 when it is called wrongly. A policy that reads the statement must read the one
that was verified: -print-statement writes it to standard output (and what was verified to
standard error), only when everything is verified.

The command is the plugin's binary: ` + "`packer plugins installed`" + ` prints where packer put it.

Options:
`

// stringList is a flag that may be given several times.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ", ") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// Command runs verify-attestation with args (those after its name) and returns its exit status.
func Command(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(CommandName, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var files, ids stringList
	keyFile := fs.String("key", "", "the `FILE` of the public key that signed the attestation (required): "+PublicKeyFormats)
	fs.Var(&files, "artifact", "an artifact `FILE` to verify against the attestation's subjects; repeatable")
	fs.Var(&ids, "artifact-id", "the `ID` of an artifact without files, as Packer reports it: "+`an AMI "us-east-1:ami-0abc…", `+
		`a Docker image ID "sha256:…", a Google Compute image's name, an Azure image's resource ID; repeatable`)
	acceptWarned := fs.Bool("accept-warned", false, "accept an attestation whose result is WARNED (checks of severity \"warning\" did not pass)")
	printStatement := fs.Bool("print-statement", false, "when everything is verified, write the signed statement (JSON) to standard output, "+
		"for a policy to read, and what was verified to standard error")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	// options may come after the envelope too
	var positional []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	wrong := func(msg string) int {
		fmt.Fprintf(stderr, "%s: %s\nRun %s -h for help.\n", CommandName, msg, CommandName)
		return 2
	}
	switch {
	case len(positional) != 1:
		return wrong(fmt.Sprintf("give one envelope (NAME.intoto.dsse.json), not %d", len(positional)))
	case *keyFile == "":
		return wrong("-key is required: the public key that signed the attestation")
	case len(files) == 0 && len(ids) == 0:
		return wrong("give the artifact to verify: -artifact FILE, or -artifact-id ID for an artifact without files")
	}
	report := stdout
	if *printStatement {
		report = stderr
	}
	failed := func(err error) int {
		fmt.Fprintf(stderr, "NOT VERIFIED: %v\n", err)
		return 1
	}
	envelope := positional[0]
	pub, err := os.ReadFile(*keyFile)
	if err != nil {
		return failed(fmt.Errorf("-key: %w", err))
	}
	key, err := LoadPublicKey(pub)
	if err != nil {
		return failed(fmt.Errorf("-key %s: %w", *keyFile, err))
	}
	env, err := os.ReadFile(envelope)
	if err != nil {
		return failed(err)
	}
	check := Check{Key: key, Files: files, IDs: ids, ReportDir: filepath.Dir(envelope), AcceptWarned: *acceptWarned}
	if name, ok := strings.CutSuffix(envelope, ".intoto.dsse.json"); ok {
		check.UnsignedCopy = name + ".intoto.json"
	}
	fmt.Fprintln(report, envelope)
	v, err := Verify(ctx, env, check)
	for _, line := range v.Lines {
		fmt.Fprintln(report, "  "+line)
	}
	if err != nil {
		return failed(err)
	}
	fmt.Fprintf(report, "VERIFIED: %s passed its checks (%s)\n", strings.Join(append(files, ids...), ", "), v.Result)
	if *printStatement {
		if _, err := stdout.Write(v.Statement); err != nil {
			fmt.Fprintf(stderr, "%s: writing the statement: %v\n", CommandName, err)
			return 1
		}
	}
	return 0
}
