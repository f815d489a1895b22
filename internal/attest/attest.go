// Package attest makes and verifies the attestation that an artifact passed its checks: an
// in-toto Statement v1 whose subject is the artifact and whose predicate is a test result
// (https://in-toto.io/attestation/test-result/v0.1) made from the JSON reports of the build's
// assert provisioners, optionally signed in a DSSE envelope.
//
// It sits after the reports on the data path: the assert-attestation post-processor calls it
// with the artifact Packer built and the reports the provisioners handed off, and the plugin's
// verify-attestation command calls it with an envelope, a public key and the artifact a deploy
// pipeline holds. It knows nothing of Packer's plugin machinery.
package attest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	testresult "github.com/in-toto/attestation/go/predicates/test_result/v0"
	intoto "github.com/in-toto/attestation/go/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/assertkit/packer-plugin-assert/internal/report"
)

// The types an attestation is made of.
const (
	// PredicateType is the in-toto test-result predicate.
	PredicateType = "https://in-toto.io/attestation/test-result/v0.1"
	// PayloadType is the DSSE payload type of an in-toto statement.
	PayloadType = "application/vnd.in-toto+json"
	// ArtifactIDDigest is the digest algorithm under which the subject of an artifact without
	// files holds the artifact's ID as Packer reports it, like an AMI's "us-east-1:ami-0abc…".
	// The in-toto digest-set specification allows immutable, non-cryptographic identifiers for
	// VM images; only IDs known never to name another image are taken as such (ImmutableID),
	// others only when the user allows them.
	ArtifactIDDigest = "packerArtifactId"
	// MutableAnnotation marks, with true, a subject whose ID is a name that may since name
	// another image.
	MutableAnnotation = "packerArtifactIdMutable"
	// UncheckedAnnotation lists, on every subject, the provisioners that ran after the build's
	// last assert provisioner and may have changed the image after it was checked (in the
	// template's order, as "TYPE" or "TYPE NAME"). It is there only when the user allowed them
	// (allow_provisioners_after); a policy that wants the image exactly as checked refuses a
	// subject that has it.
	UncheckedAnnotation = "provisionersAfterChecks"
	// SkippedAnnotation lists, on each configuration (a report), the checks of that report that
	// were skipped (skip = true, or left undecided on purpose): named like passedTests, they were
	// not seen to pass, and they are in none of the predicate's lists.
	SkippedAnnotation = "skippedTests"
)

// The results of a test-result predicate.
const (
	Passed = "PASSED"
	Warned = "WARNED"
	Failed = "FAILED"
)

// An Artifact is what Packer says of the artifact a post-processor receives.
type Artifact struct {
	BuilderID string   // like "packer.post-processor.artifice" or "mitchellh.amazonebs"
	ID        string   // like "us-east-1:ami-0abc", "sha256:…" or "" (artifacts of files)
	Files     []string // paths on the machine that runs Packer, relative to its working folder
}

// nullBuilder is the builder ID of Packer's null builder, whose artifact is nothing.
const nullBuilder = "fnoeding.null"

// The IDs that name one image for ever. An image ID of Docker is the sha256 of the image's
// configuration, so it names that content; an Amazon machine image ID is never given to another
// image, even after the image is deregistered (Amazon's artifact ID is "region:ami-…", one per
// region, comma-separated).
var (
	imageID = regexp.MustCompile(`^sha256:([0-9a-f]{64})$`)
	amiID   = regexp.MustCompile(`^([a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+:)?ami-([0-9a-f]{8}|[0-9a-f]{17})$`)
)

// ImmutableID reports whether id, one of an artifact's IDs, names one image for ever: a Docker
// image ID or an Amazon machine image ID. Other IDs are names that can name another image
// later: a Docker "repository:tag" (which docker-tag and docker-push report), a Google Compute
// image's name (free again once the image is deleted), an Azure resource ID (made of names).
func ImmutableID(id string) bool { return imageID.MatchString(id) || amiID.MatchString(id) }

// Subjects are the in-toto subjects of a: the sha256 of each of its files, named by the file's
// name (not its folder on the machine that ran Packer); else its Docker image ID (a sha256);
// else one subject per entry of its comma-separated ID. An ID that is not known to be immutable
// (ImmutableID) is refused unless allowMutable, and then marked with MutableAnnotation. Reading
// the files stops when ctx ends.
func Subjects(ctx context.Context, a Artifact, allowMutable bool) ([]*intoto.ResourceDescriptor, error) {
	annotations := func(extra map[string]any) *structpb.Struct {
		m := map[string]any{"packerBuilderId": a.BuilderID}
		for k, v := range extra {
			m[k] = v
		}
		s, _ := structpb.NewStruct(m)
		return s
	}
	var subjects []*intoto.ResourceDescriptor
	switch {
	case len(a.Files) > 0:
		seen := map[string]bool{}
		for _, f := range a.Files {
			if seen[f] {
				continue
			}
			seen[f] = true
			sum, err := fileSHA256(ctx, f)
			if err != nil {
				return nil, fmt.Errorf("artifact file %s: %w", f, err)
			}
			subjects = append(subjects, &intoto.ResourceDescriptor{Name: filepath.Base(f),
				Digest: map[string]string{"sha256": sum}, Annotations: annotations(nil)})
		}
	case a.BuilderID == nullBuilder:
		return nil, errors.New("the artifact is the null builder's, which is nothing: there is nothing to certify; " +
			"make the build's result a file artifact first (in the same post-processors block, an \"artifice\" " +
			"post-processor before this one, listing the files the build made)")
	case imageID.MatchString(a.ID):
		subjects = append(subjects, &intoto.ResourceDescriptor{Name: a.ID,
			Digest: map[string]string{"sha256": imageID.FindStringSubmatch(a.ID)[1]}, Annotations: annotations(nil)})
	case strings.TrimSpace(a.ID) != "":
		var mutable []string
		for _, id := range strings.Split(a.ID, ",") {
			if id = strings.TrimSpace(id); id == "" {
				continue
			}
			var extra map[string]any
			if !ImmutableID(id) {
				mutable = append(mutable, id)
				extra = map[string]any{MutableAnnotation: true}
			}
			subjects = append(subjects, &intoto.ResourceDescriptor{Name: id,
				Digest: map[string]string{ArtifactIDDigest: id}, Annotations: annotations(extra)})
		}
		if len(mutable) > 0 && !allowMutable {
			return nil, fmt.Errorf("the artifact's ID %q (of %s) is a name, not an ID that names one image for ever (a "+
				"Docker image ID \"sha256:…\" or an Amazon machine image ID): the name can later name another image, "+
				"which verification would then take for the one checked. Certify the image by an immutable ID (for "+
				"Docker, put this post-processor before docker-tag and docker-push, on the docker builder's artifact), or "+
				"set allow_mutable_artifact_id = true to certify the name, knowing that", strings.Join(mutable, ","), a.BuilderID)
		}
	default:
		return nil, fmt.Errorf("the artifact (of %s) has neither files nor an ID: there is nothing to name in the attestation", a.BuilderID)
	}
	return subjects, nil
}

// fileSHA256 is the hex sha256 of the regular file name.
func fileSHA256(ctx context.Context, name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("is not a regular file (%s), so it has no sha256 to attest", fi.Mode().Type())
	}
	h := sha256.New()
	if _, err := io.Copy(h, ctxReader{ctx, f}); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ctxReader stops reading when its context ends: an image may be many gigabytes.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// MarkUnchecked adds UncheckedAnnotation, with the provisioners after, to every subject; it
// does nothing when after is empty.
func MarkUnchecked(subjects []*intoto.ResourceDescriptor, after []string) {
	if len(after) == 0 {
		return
	}
	list := make([]any, len(after))
	for i, a := range after {
		list[i] = a
	}
	v, _ := structpb.NewList(list) // strings always convert
	for _, s := range subjects {
		if s.Annotations == nil {
			s.Annotations = &structpb.Struct{Fields: map[string]*structpb.Value{}}
		}
		s.Annotations.Fields[UncheckedAnnotation] = structpb.NewListValue(v)
	}
}

// A Report is the JSON report of one assert provisioner of the build.
type Report struct {
	File   string // the name of the report's copy beside the attestation
	Bytes  []byte // the report as the provisioner wrote it
	Doc    report.Document
	Prefix string // put before the names of its checks: "assert[1]." when the build has several
}

// Refuse says why reports cannot certify an artifact: a check that fails the build failed or
// could not be decided, a check or a report has a status this plugin does not know, or no
// check passed (every check skipped, or only warnings that did not pass). It is nil when they
// can.
func Refuse(reports []Report) error {
	var failed []string
	passed, warned, skipped := 0, 0, 0
	for _, r := range reports {
		for _, c := range r.Doc.Checks {
			switch c.Status {
			case "passed":
				passed++
			case "warning":
				warned++
			case "skipped":
				skipped++
			case "failed", "error":
				failed = append(failed, fmt.Sprintf("%s%s %s (%s: %s)", r.Prefix, c.Block, c.Subject, c.Status, strings.Join(c.Problems, "; ")))
			default:
				failed = append(failed, fmt.Sprintf("%s%s %s (status %q, which this plugin does not know)", r.Prefix, c.Block, c.Subject, c.Status))
			}
		}
		switch r.Doc.Verdict {
		case "passed", "warned":
		case "failed":
			if len(failed) == 0 {
				failed = append(failed, r.Prefix+"the report's verdict (failed)")
			}
		default:
			failed = append(failed, fmt.Sprintf("%sthe report's verdict (%q, which this plugin does not know)", r.Prefix, r.Doc.Verdict))
		}
	}
	switch {
	case len(failed) > 0:
		shown := failed[:min(len(failed), 5)]
		more := ""
		if len(failed) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(failed)-len(shown))
		}
		return fmt.Errorf("%d %s did not pass, so the artifact is not certified: %s%s",
			len(failed), plural(len(failed), "check", "checks"), strings.Join(shown, ", "), more)
	case passed == 0:
		return fmt.Errorf("no check passed (%d warned without passing, %d skipped), so nothing was seen to certify the artifact", warned, skipped)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Statement is the in-toto statement that subjects passed the checks of reports. url, when
// not empty, links to the run (a CI job's page).
func Statement(subjects []*intoto.ResourceDescriptor, reports []Report, url string) (*intoto.Statement, error) {
	pred := &testresult.TestResult{Result: Passed, Url: url}
	for _, r := range reports {
		skipped := []any{} // there even when empty: a policy reads it as "none skipped"
		for _, c := range r.Doc.Checks {
			name := r.Prefix + c.Block + " " + c.Subject
			switch c.Status {
			case "passed":
				pred.PassedTests = append(pred.PassedTests, name)
			case "warning":
				pred.WarnedTests = append(pred.WarnedTests, name)
			case "skipped":
				skipped = append(skipped, name)
			default: // failed or error: Refuse lets none through, nor a status it does not know
				pred.FailedTests = append(pred.FailedTests, name)
			}
		}
		sum := sha256.Sum256(r.Bytes)
		d := r.Doc
		annotations, err := structpb.NewStruct(map[string]any{
			"schema": d.Schema, "packerRunUuid": d.Build.RunUUID, "build": d.Build.Source, "builderType": d.Build.Type,
			"instanceHostname": d.Instance.Hostname, "instanceOs": d.Instance.OS.Name, "plugin": d.Plugin.Name + " " + d.Plugin.Version,
			"started": d.Started, "verdict": d.Verdict, SkippedAnnotation: skipped,
		})
		if err != nil {
			return nil, err
		}
		pred.Configuration = append(pred.Configuration, &intoto.ResourceDescriptor{Name: r.File,
			Digest: map[string]string{"sha256": hex.EncodeToString(sum[:])}, MediaType: "application/json", Annotations: annotations})
	}
	switch {
	case len(pred.FailedTests) > 0:
		pred.Result = Failed
	case len(pred.WarnedTests) > 0:
		pred.Result = Warned
	}
	predicate, err := toStruct(pred)
	if err != nil {
		return nil, err
	}
	// the lists are there even when empty: a policy reads an empty failedTests as "none failed"
	for _, list := range []string{"passedTests", "warnedTests", "failedTests"} {
		if _, ok := predicate.Fields[list]; !ok {
			predicate.Fields[list] = structpb.NewListValue(&structpb.ListValue{})
		}
	}
	st := &intoto.Statement{Type: intoto.StatementTypeUri, Subject: subjects, PredicateType: PredicateType, Predicate: predicate}
	if err := st.Validate(); err != nil {
		return nil, fmt.Errorf("the statement is not valid in-toto: %w", err)
	}
	return st, nil
}

// toStruct is the predicate as the statement holds it: a JSON object.
func toStruct(pred *testresult.TestResult) (*structpb.Struct, error) {
	b, err := protojson.Marshal(pred)
	if err != nil {
		return nil, err
	}
	s := &structpb.Struct{}
	return s, protojson.Unmarshal(b, s)
}

// Marshal is the statement as JSON, indented, ending with a newline.
func Marshal(st *intoto.Statement) ([]byte, error) {
	b, err := protojson.Marshal(st)
	if err != nil {
		return nil, err
	}
	// protojson varies its white space on purpose; the statement is indented the usual way
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// Sign wraps the statement, as JSON, in a DSSE envelope signed with key, as indented JSON.
func Sign(ctx context.Context, key *Key, statement []byte) ([]byte, error) {
	env, err := key.sign(ctx, PayloadType, statement)
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
