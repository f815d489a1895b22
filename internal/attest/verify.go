package attest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	testresult "github.com/in-toto/attestation/go/predicates/test_result/v0"
	intoto "github.com/in-toto/attestation/go/v1"
	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	"google.golang.org/protobuf/encoding/protojson"
)

// A Check is what a deploy pipeline verifies an envelope against.
type Check struct {
	Key          *Key     // the public key that must have signed the envelope
	Files        []string // artifact files: each one's sha256 must be a subject's
	IDs          []string // artifact IDs (an AMI "us-east-1:ami-0abc", an image "sha256:…"): each must be a subject's
	ReportDir    string   // where to look for the copies of the reports the predicate names
	UnsignedCopy string   // the unsigned copy of the statement written beside the envelope, if any: it must be the signed statement
	AcceptWarned bool     // a WARNED result is accepted; else it fails verification, as FAILED does
}

// A Verification is what Verify saw, line by line for a person, and its outcome.
type Verification struct {
	Lines     []string // what was verified, in order
	Result    string   // PASSED, WARNED or FAILED, as the predicate says; "" when it was not read
	Statement []byte   // the statement whose signature verified, as it was signed; nil when none did
}

// Verify checks env, a DSSE envelope, against c: the signature with c.Key, the statement's
// type and predicate type, every artifact given against the subjects, the reports beside it
// against their digests, the unsigned copy against the signed statement, then the result. It
// returns an error saying what did not match; then the artifact must not be trusted.
func Verify(ctx context.Context, env []byte, c Check) (*Verification, error) {
	v := &Verification{}
	if len(c.Files) == 0 && len(c.IDs) == 0 {
		return v, errors.New("no artifact to verify: name the artifact's file, or its ID for an artifact without files")
	}
	var e dsse.Envelope
	if err := json.Unmarshal(env, &e); err != nil {
		return v, fmt.Errorf("the envelope is not DSSE JSON: %w", err)
	}
	if e.PayloadType != PayloadType {
		return v, fmt.Errorf("the envelope's payloadType is %q, want %q (an in-toto statement)", e.PayloadType, PayloadType)
	}
	ev, err := dsse.NewEnvelopeVerifier(c.Key.sv)
	if err != nil {
		return v, err
	}
	if _, err := ev.Verify(ctx, &e); err != nil {
		var ids []string
		for _, s := range e.Signatures {
			if s.KeyID == "" {
				s.KeyID = "(none named)"
			}
			ids = append(ids, s.KeyID)
		}
		return v, fmt.Errorf("the signature does not verify with %s (the envelope has %d signature(s), by key(s) %s): "+
			"the statement was changed after it was signed, or another key signed it", c.Key, len(e.Signatures), strings.Join(ids, ", "))
	}
	v.Lines = append(v.Lines, "signature: verified with "+c.Key.String())
	payload, _ := e.DecodeB64Payload() // Verify decoded it already
	st, pred, err := parseStatement(payload)
	if err != nil {
		return v, err
	}
	v.Lines = append(v.Lines, "statement: in-toto "+st.GetType()+", predicate "+st.GetPredicateType())
	v.Result = pred.GetResult()

	var problems []string
	for _, f := range c.Files {
		line, err := matchFile(ctx, st.GetSubject(), f)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		v.Lines = append(v.Lines, line)
	}
	for _, id := range c.IDs {
		line, err := matchID(st.GetSubject(), id)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		v.Lines = append(v.Lines, line)
	}
	for _, conf := range pred.GetConfiguration() {
		line, err := matchReport(conf, c.ReportDir)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		v.Lines = append(v.Lines, line)
	}
	if c.UnsignedCopy != "" {
		line, err := matchCopy(c.UnsignedCopy, payload)
		if err != nil {
			problems = append(problems, err.Error())
		} else if line != "" {
			v.Lines = append(v.Lines, line)
		}
	}
	v.Lines = append(v.Lines, fmt.Sprintf("result: %s: %d passed, %d warned, %d failed",
		pred.GetResult(), len(pred.GetPassedTests()), len(pred.GetWarnedTests()), len(pred.GetFailedTests())))
	for _, w := range pred.GetWarnedTests() {
		v.Lines = append(v.Lines, "  warned: "+w)
	}
	for _, f := range pred.GetFailedTests() {
		v.Lines = append(v.Lines, "  failed: "+f)
	}
	for _, conf := range pred.GetConfiguration() {
		for _, s := range conf.GetAnnotations().GetFields()[SkippedAnnotation].GetListValue().GetValues() {
			v.Lines = append(v.Lines, "  skipped (not checked): "+s.GetStringValue())
		}
	}
	for _, s := range st.GetSubject() {
		if after := s.GetAnnotations().GetFields()[UncheckedAnnotation].GetListValue().GetValues(); len(after) > 0 {
			var names []string
			for _, a := range after {
				names = append(names, a.GetStringValue())
			}
			v.Lines = append(v.Lines, fmt.Sprintf("unchecked: subject %q was made after provisioners that ran after the checks "+
				"and were not checked: %s", s.GetName(), strings.Join(names, ", ")))
		}
	}
	switch {
	case pred.GetResult() == Failed:
		problems = append(problems, "the attestation says the checks FAILED")
	case pred.GetResult() == Warned && !c.AcceptWarned:
		problems = append(problems, "the attestation says checks WARNED (checks of severity \"warning\" did not pass), "+
			"which is accepted only with -accept-warned")
	}
	if len(problems) > 0 {
		return v, errors.New(strings.Join(problems, "; "))
	}
	v.Statement = payload
	return v, nil
}

// matchCopy compares the unsigned copy of the statement, when there is one, with the statement
// that was signed: a policy that reads the copy must read what was signed.
func matchCopy(name string, signed []byte) (string, error) {
	b, err := os.ReadFile(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("the unsigned copy %s: %w", name, err)
	case !bytes.Equal(b, signed):
		return "", fmt.Errorf("the unsigned copy %s is not the statement that was signed: it changed, or was never this "+
			"attestation's; read the statement from the envelope (-print-statement)", name)
	}
	return fmt.Sprintf("unsigned copy: %s is the signed statement", name), nil
}

// parseStatement reads a signed payload: an in-toto Statement v1 with a test-result predicate,
// refusing fields neither defines.
func parseStatement(payload []byte) (*intoto.Statement, *testresult.TestResult, error) {
	st := &intoto.Statement{}
	if err := protojson.Unmarshal(payload, st); err != nil {
		return nil, nil, fmt.Errorf("the signed payload is not an in-toto statement: %w", err)
	}
	if err := st.Validate(); err != nil {
		return nil, nil, fmt.Errorf("the signed payload is not a valid in-toto Statement v1: %w", err)
	}
	if st.GetPredicateType() != PredicateType {
		return nil, nil, fmt.Errorf("the statement's predicateType is %q, want %q", st.GetPredicateType(), PredicateType)
	}
	b, err := protojson.Marshal(st.GetPredicate())
	if err != nil {
		return nil, nil, err
	}
	pred := &testresult.TestResult{}
	if err := protojson.Unmarshal(b, pred); err != nil {
		return nil, nil, fmt.Errorf("the statement's predicate is not a test result: %w", err)
	}
	switch pred.GetResult() {
	case Passed, Warned, Failed:
	default:
		return nil, nil, fmt.Errorf("the predicate's result is %q, not PASSED, WARNED or FAILED", pred.GetResult())
	}
	if len(pred.GetConfiguration()) == 0 {
		return nil, nil, errors.New("the predicate names no configuration (the reports of the checks)")
	}
	if err := consistent(pred); err != nil {
		return nil, nil, err
	}
	return st, pred, nil
}

// consistent refuses a result that its lists of checks contradict, as the post-processor never
// writes one: PASSED needs at least one passed check and none warned or failed, WARNED at least
// one passed and one warned and none failed, FAILED at least one failed. A signer's mistake or
// a hand-made statement must not pass for a result its own lists deny.
func consistent(pred *testresult.TestResult) error {
	passed, warned, failed := len(pred.GetPassedTests()), len(pred.GetWarnedTests()), len(pred.GetFailedTests())
	var why string
	switch pred.GetResult() {
	case Passed:
		switch {
		case failed > 0 || warned > 0:
			why = "yet it lists failed or warned checks"
		case passed == 0:
			why = "yet it lists no passed check"
		}
	case Warned:
		switch {
		case failed > 0:
			why = "yet it lists failed checks"
		case warned == 0:
			why = "yet it lists no warned check"
		case passed == 0:
			why = "yet it lists no passed check"
		}
	case Failed:
		if failed == 0 {
			why = "yet it lists no failed check"
		}
	}
	if why != "" {
		return fmt.Errorf("the predicate's result is %s, %s (%d passed, %d warned, %d failed): the statement contradicts itself",
			pred.GetResult(), why, passed, warned, failed)
	}
	return nil
}

// matchFile finds the subject whose sha256 is the file's.
func matchFile(ctx context.Context, subjects []*intoto.ResourceDescriptor, name string) (string, error) {
	sum, err := fileSHA256(ctx, name)
	if err != nil {
		return "", fmt.Errorf("artifact %s: %w", name, err)
	}
	for _, s := range subjects {
		if s.GetDigest()["sha256"] == sum {
			return fmt.Sprintf("subject: %s has sha256 %s, the digest of subject %q", name, sum, s.GetName()), nil
		}
	}
	return "", fmt.Errorf("artifact %s: its sha256 %s is the digest of no subject of the attestation (%s): "+
		"it is not the artifact that was checked, or it changed since", name, sum, describe(subjects))
}

// matchID finds the subject an artifact ID names.
func matchID(subjects []*intoto.ResourceDescriptor, id string) (string, error) {
	for _, s := range subjects {
		d := s.GetDigest()
		if d[ArtifactIDDigest] == id || imageID.MatchString(id) && d["sha256"] == imageID.FindStringSubmatch(id)[1] {
			line := fmt.Sprintf("subject: artifact ID %s is subject %q", id, s.GetName())
			if !ImmutableID(id) {
				line += " (a name, which may since name another image than the one checked)"
			}
			return line, nil
		}
	}
	return "", fmt.Errorf("artifact ID %s is no subject of the attestation (%s)", id, describe(subjects))
}

// describe lists subjects for an error.
func describe(subjects []*intoto.ResourceDescriptor) string {
	var s []string
	for _, sub := range subjects {
		for alg, d := range sub.GetDigest() {
			s = append(s, fmt.Sprintf("%s %s:%s", sub.GetName(), alg, d))
		}
	}
	return "it names " + strings.Join(s, ", ")
}

// matchReport compares a report the predicate names with its copy in dir, when there is one.
func matchReport(conf *intoto.ResourceDescriptor, dir string) (string, error) {
	// the name is the signer's, but is only ever looked up in dir
	name := filepath.Join(dir, filepath.Base(conf.GetName()))
	want := conf.GetDigest()["sha256"]
	b, err := os.ReadFile(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("report: %s is not beside the attestation, so it was not compared (sha256 %s)", filepath.Base(name), want), nil
	case err != nil:
		return "", fmt.Errorf("report %s: %w", name, err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != want {
		return "", fmt.Errorf("report %s: its sha256 is %s, but the attestation names %s: it is not the report of the checks attested", name, got, want)
	}
	return fmt.Sprintf("report: %s has the sha256 the attestation names", name), nil
}
