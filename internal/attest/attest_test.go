package attest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	intoto "github.com/in-toto/attestation/go/v1"

	"github.com/assertkit/packer-plugin-assert/internal/check"
	"github.com/assertkit/packer-plugin-assert/internal/report"
)

// helloSHA256 is the sha256 of "hello\n", as `printf 'hello\n' | sha256sum` prints it.
const helloSHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"

const runUUID = "3b0d1c7e-4f5a-4c1e-9d2b-7a6e5f4d3c2b"

// reportOf is the report of a run whose checks have the given statuses, like the provisioner
// writes it.
func reportOf(t *testing.T, results ...check.Result) Report {
	t.Helper()
	run := report.Run{Plugin: "0.1.0-dev", Build: report.Build{Name: "target", Source: "null.target", Type: "null", RunUUID: runUUID},
		Instance: report.Instance{Hostname: "target", OSID: "debian", OSVersion: "12", OSName: "Debian GNU/Linux 12 (bookworm)", OSFamily: "debian"},
		Started:  time.Unix(1700000000, 0), Duration: time.Second, Results: results}
	b, err := report.JSON(run)
	if err != nil {
		t.Fatal(err)
	}
	var d report.Document
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return Report{File: "image.tar.report.json", Bytes: b, Doc: d}
}

// withStatus is r with the status of its i-th check changed, as a report of another version
// of the plugin could have it.
func withStatus(r Report, i int, status string) Report {
	r.Doc.Checks = append([]report.CheckOutcome(nil), r.Doc.Checks...)
	r.Doc.Checks[i].Status = status
	return r
}

func withVerdict(r Report, verdict string) Report {
	r.Doc.Verdict = verdict
	return r
}

func result(block, subject string, st check.Status, warning bool) check.Result {
	return check.Result{Block: block, Kind: strings.Split(block, "[")[0], Subject: subject, Status: st, Warning: warning, Probes: 1,
		Problems: map[bool][]string{true: {"mode is 0644, want 0600"}}[st == check.Fail]}
}

var (
	pass    = result("file[0]", "/etc/hosts", check.Pass, false)
	pass2   = result("package[0]", "nginx", check.Pass, false)
	fail    = result("file[1]", "/etc/shadow", check.Fail, false)
	errored = result("service[0]", "nginx", check.Error, false)
	warned  = result("port[0]", "tcp/443", check.Fail, true)
	skipped = result("user[0]", "bob", check.Skipped, false)
)

func TestSubjectsOfEachKindOfArtifact(t *testing.T) {
	dir := t.TempDir()
	hello := filepath.Join(dir, "image.tar")
	os.WriteFile(hello, []byte("hello\n"), 0o644)
	other := filepath.Join(dir, "image.vmdk")
	os.WriteFile(other, nil, 0o644)
	tests := []struct {
		name    string
		a       Artifact
		mutable bool
		want    []string // name alg:digest
	}{
		// a file is named by its name alone: the folder it was in on the machine that ran Packer is no one's business
		{"files_by_sha256", Artifact{BuilderID: "packer.post-processor.artifice", Files: []string{hello, other, hello}}, false,
			[]string{"image.tar sha256:" + helloSHA256, "image.vmdk sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}},
		{"files_win_over_an_id", Artifact{BuilderID: "mitchellh.vmware", ID: "VM", Files: []string{hello}}, false, []string{"image.tar sha256:" + helloSHA256}},
		{"docker_image_by_its_id", Artifact{BuilderID: "packer.docker", ID: "sha256:" + helloSHA256}, false,
			[]string{"sha256:" + helloSHA256 + " sha256:" + helloSHA256}},
		{"amazon_images_one_per_region", Artifact{BuilderID: "mitchellh.amazonebs", ID: "eu-west-1:ami-0a1b2c3d,us-gov-west-1:ami-0e1f2a3b4c5d6e7f8"}, false,
			[]string{"eu-west-1:ami-0a1b2c3d packerArtifactId:eu-west-1:ami-0a1b2c3d", "us-gov-west-1:ami-0e1f2a3b4c5d6e7f8 packerArtifactId:us-gov-west-1:ami-0e1f2a3b4c5d6e7f8"}},
		{"google_image_by_name_when_allowed", Artifact{BuilderID: "packer.googlecompute", ID: "web-20240101"}, true, []string{"web-20240101 packerArtifactId:web-20240101"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subjects, err := Subjects(context.Background(), tt.a, tt.mutable)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range subjects {
				for alg, d := range s.GetDigest() {
					got = append(got, s.GetName()+" "+alg+":"+d)
				}
				if s.GetAnnotations().GetFields()["packerBuilderId"].GetStringValue() != tt.a.BuilderID {
					t.Errorf("subject %s does not name the builder", s.GetName())
				}
				if _, marked := s.GetAnnotations().GetFields()[MutableAnnotation]; marked != tt.mutable {
					t.Errorf("subject %s: marked mutable %v, want %v", s.GetName(), marked, tt.mutable)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestArtifactsWithNothingToAttest(t *testing.T) {
	dir := t.TempDir()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	file := filepath.Join(dir, "f")
	os.WriteFile(file, []byte("x"), 0o644)
	tests := []struct {
		name string
		ctx  context.Context
		a    Artifact
		want string
	}{
		{"null_builder", context.Background(), Artifact{BuilderID: "fnoeding.null", ID: "Null"}, `there is nothing to certify; make the build's result a file artifact first (in the same post-processors block, an "artifice" post-processor`},
		{"no_files_no_id", context.Background(), Artifact{BuilderID: "x.y"}, "the artifact (of x.y) has neither files nor an ID"},
		{"a_directory", context.Background(), Artifact{Files: []string{dir}}, "is not a regular file (d---------), so it has no sha256 to attest"},
		{"a_missing_file", context.Background(), Artifact{Files: []string{filepath.Join(dir, "gone")}}, "no such file or directory"},
		{"cancelled", cancelled, Artifact{Files: []string{file}}, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Subjects(tt.ctx, tt.a, true)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// An ID that is a name (docker-tag's and docker-push's "repository:tag", a Google Compute
// image's name, an Azure resource ID) can later name another image: it is not certified unless
// the user allows it, knowing that.
func TestMutableNamesAreNotSubjectsUnlessAllowed(t *testing.T) {
	for _, a := range []Artifact{
		{BuilderID: "packer.post-processor.docker-tag", ID: "registry.example.com/web:latest"},
		{BuilderID: "packer.post-processor.docker-push", ID: "registry.example.com/web:1.2"},
		{BuilderID: "packer.googlecompute", ID: "web-image"},
		{BuilderID: "Azure.ResourceManagement.VMImage", ID: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/images/web"},
		{BuilderID: "mitchellh.amazonebs", ID: "us-east-1:ami-0a1b2c3d,us-east-1:web"}, // one name among IDs
		{BuilderID: "packer.docker", ID: "sha256:" + helloSHA256[:63]},                 // not a whole sha256
	} {
		t.Run(a.ID, func(t *testing.T) {
			_, err := Subjects(context.Background(), a, false)
			if err == nil || !strings.Contains(err.Error(), "is a name, not an ID that names one image for ever") ||
				!strings.Contains(err.Error(), "allow_mutable_artifact_id = true") {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func TestImmutableID(t *testing.T) {
	for id, want := range map[string]bool{
		"ami-0a1b2c3d": true, "us-east-1:ami-0a1b2c3d4e5f6a7b8": true, "cn-north-1:ami-0a1b2c3d": true,
		"sha256:" + helloSHA256: true, "ami-0a1b2c3": false, "us-east-1:ami-0A1B2C3D": false, "web:latest": false,
		"us-east-1:ami-0a1b2c3d,us-west-2:ami-0a1b2c3d": false, "registry/web@sha256:" + helloSHA256: false,
	} {
		if got := ImmutableID(id); got != want {
			t.Errorf("ImmutableID(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestWhatIsNotCertified(t *testing.T) {
	tests := []struct {
		name    string
		reports []Report
		want    string
	}{
		{"a_failed_check", []Report{reportOf(t, pass, fail)}, "1 check did not pass, so the artifact is not certified: file[1] /etc/shadow (failed: mode is 0644, want 0600)"},
		{"a_check_that_could_not_be_decided", []Report{reportOf(t, pass, errored)}, "service[0] nginx (error: )"},
		{"a_failure_in_the_second_provisioner", []Report{reportOf(t, pass), {Doc: reportOf(t, fail).Doc, Prefix: "assert[1]."}}, "assert[1].file[1] /etc/shadow"},
		{"every_check_skipped", []Report{reportOf(t, skipped)}, "no check passed (0 warned without passing, 1 skipped), so nothing was seen"},
		{"no_checks", []Report{reportOf(t)}, "no check passed"},
		{"warnings_alone_that_did_not_pass", []Report{reportOf(t, warned, skipped)}, "no check passed (1 warned without passing, 1 skipped)"},
		{"a_status_it_does_not_know", []Report{withStatus(reportOf(t, pass, pass2), 1, "maybe")}, `package[0] nginx (status "maybe", which this plugin does not know)`},
		{"a_verdict_it_does_not_know", []Report{withVerdict(reportOf(t, pass), "fine")}, `the report's verdict ("fine", which this plugin does not know)`},
		{"a_failed_verdict_without_a_failed_check", []Report{withVerdict(reportOf(t, pass), "failed")}, "the report's verdict (failed)"},
		{"passed", []Report{reportOf(t, pass, skipped)}, ""},
		{"warned", []Report{reportOf(t, pass, warned)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Refuse(tt.reports)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// The statement as JSON has the field names of the in-toto specifications, the lists of
// checks by name, and the report by its digest.
func TestTheStatementReadsAsTheSpecificationsSay(t *testing.T) {
	first := reportOf(t, pass, warned, skipped)
	second := reportOf(t, pass2)
	second.File, second.Prefix = "image.tar.report-1.json", "assert[1]."
	subjects := []*intoto.ResourceDescriptor{{Name: "image.tar", Digest: map[string]string{"sha256": helloSHA256}}}
	st, err := Statement(subjects, []Report{first, second}, "https://ci.example/jobs/42")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Type          string `json:"_type"`
		PredicateType string `json:"predicateType"`
		Subject       []struct {
			Name   string            `json:"name"`
			Digest map[string]string `json:"digest"`
		} `json:"subject"`
		Predicate struct {
			Result        string   `json:"result"`
			URL           string   `json:"url"`
			PassedTests   []string `json:"passedTests"`
			WarnedTests   []string `json:"warnedTests"`
			FailedTests   []string `json:"failedTests"`
			Configuration []struct {
				Name      string            `json:"name"`
				Digest    map[string]string `json:"digest"`
				MediaType string            `json:"mediaType"`
				Notes     map[string]any    `json:"annotations"`
			} `json:"configuration"`
		} `json:"predicate"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	p := got.Predicate
	switch {
	case got.Type != "https://in-toto.io/Statement/v1", got.PredicateType != "https://in-toto.io/attestation/test-result/v0.1":
		t.Errorf("types %q, %q", got.Type, got.PredicateType)
	case got.Subject[0].Digest["sha256"] != helloSHA256:
		t.Errorf("subject %+v", got.Subject)
	case p.Result != "WARNED", p.URL != "https://ci.example/jobs/42":
		t.Errorf("result %q, url %q", p.Result, p.URL)
	case strings.Join(p.PassedTests, "|") != "file[0] /etc/hosts|assert[1].package[0] nginx":
		t.Errorf("passedTests %q", p.PassedTests)
	case strings.Join(p.WarnedTests, "|") != "port[0] tcp/443":
		t.Errorf("warnedTests %q", p.WarnedTests)
	case p.FailedTests == nil || len(p.FailedTests) != 0:
		t.Errorf("failedTests %#v, want an empty list", p.FailedTests)
	case len(p.Configuration) != 2:
		t.Fatalf("configuration %+v", p.Configuration)
	case p.Configuration[0].Name != "image.tar.report.json", p.Configuration[0].Digest["sha256"] != sha(first.Bytes),
		p.Configuration[0].MediaType != "application/json", p.Configuration[0].Notes["packerRunUuid"] != runUUID,
		p.Configuration[0].Notes["build"] != "null.target", p.Configuration[0].Notes["instanceOs"] != "Debian GNU/Linux 12 (bookworm)":
		t.Errorf("configuration[0] %+v", p.Configuration[0])
	case p.Configuration[1].Name != "image.tar.report-1.json", p.Configuration[1].Digest["sha256"] != sha(second.Bytes):
		t.Errorf("configuration[1] %+v", p.Configuration[1])
	}
	// a skipped check is in no list of tests, and is named in its report's skippedTests
	for _, list := range [][]string{p.PassedTests, p.WarnedTests, p.FailedTests} {
		if strings.Contains(strings.Join(list, "|"), "user[0] bob") {
			t.Error("a skipped check is listed as a test")
		}
	}
	if got := fmt.Sprint(p.Configuration[0].Notes[SkippedAnnotation]); got != "[user[0] bob]" {
		t.Errorf("configuration[0] skippedTests %s", got)
	}
}

func TestResultOfTheStatement(t *testing.T) {
	for _, tt := range []struct {
		results []check.Result
		want    string
	}{
		{[]check.Result{pass}, "PASSED"},
		{[]check.Result{pass, warned}, "WARNED"},
		{[]check.Result{pass, warned, fail}, "FAILED"},
	} {
		st, err := Statement([]*intoto.ResourceDescriptor{{Name: "x", Digest: map[string]string{"sha256": helloSHA256}}}, []Report{reportOf(t, tt.results...)}, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := st.GetPredicate().GetFields()["result"].GetStringValue(); got != tt.want {
			t.Errorf("result %s, want %s", got, tt.want)
		}
		if _, ok := st.GetPredicate().GetFields()["url"]; ok {
			t.Error("an empty url is in the predicate")
		}
	}
}
