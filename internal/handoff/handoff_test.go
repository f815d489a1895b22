package handoff

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/check"
	"github.com/assertkit/packer-plugin-assert/internal/report"
)

// The tests play `packer build` runs: a template in a folder of the test, a run UUID, and the
// components Packer prepares in the order it prepares them (registering), then runs
// (provisioners saving, post-processors loading). Packer prepares every build before any runs.

const (
	uuidA = "6a1e0f3c-0000-4000-8000-00000000000a"
	uuidB = "6a1e0f3c-0000-4000-8000-00000000000b"
)

var (
	runA   = Build{RunUUID: uuidA, Type: "null", Name: "target"}
	runB   = Build{RunUUID: uuidB, Type: "null", Name: "target"}
	second = Build{RunUUID: uuidA, Type: "null", Name: "second"}
)

// oneBuild is the simplest template: one build of one source, an assert provisioner and an
// assert-attestation post-processor.
const oneBuild = `
source "null" "target" { communicator = "none" }
build {
  sources = ["source.null.target"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}
`

// tmp gives the test a temporary folder of its own, where the hand-off folders go.
func tmp(t *testing.T) {
	t.Helper()
	t.Setenv("TMPDIR", t.TempDir())
}

// packerBuild is a `packer build` of the template src (a folder holding it as build.pkr.hcl),
// run in a temporary folder of the test's own.
func packerBuild(t *testing.T, src string, flags ...string) Invocation {
	t.Helper()
	tmp(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "build.pkr.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	argv := append(append([]string{"packer", "build"}, flags...), ".")
	inv := parseInvocation(os.Getpid(), argv, dir)
	if inv.Problem != "" {
		t.Fatal(inv.Problem)
	}
	inv.Started = time.Now() // packer starts once its template is written
	return inv
}

// slot is a component of the run inv.
func slot(inv Invocation) *Slot { return &Slot{Packer: func() Invocation { return inv }} }

// prepared is a component as Packer prepares it.
func prepared(t *testing.T, inv Invocation, role Role, b Build) *Slot {
	t.Helper()
	s := slot(inv)
	if err := s.Register(role, b); err != nil {
		t.Fatal(err)
	}
	return s
}

// doc is the JSON report of a run of build b whose one check has status st.
func doc(t *testing.T, b Build, subject string, st check.Status) []byte {
	t.Helper()
	run := report.Run{Plugin: "0.1.0-dev", Build: report.Build{Name: b.Name, Source: b.String(), Type: b.Type, RunUUID: b.RunUUID},
		Started: time.Unix(1700000000, 0), Duration: time.Second,
		Results: []check.Result{{Block: "file[0]", Kind: "file", Subject: subject, Status: st, Probes: 1}}}
	j, err := report.JSON(run)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// save is a provisioner's run.
func save(t *testing.T, s *Slot, b Build, subject string) {
	t.Helper()
	if err := s.Save(doc(t, b, subject, check.Pass), b); err != nil {
		t.Fatal(err)
	}
}

// subjects are the subjects of the records' first checks.
func subjects(res Results) string {
	var s []string
	for _, r := range res.Records {
		s = append(s, r.Doc.Checks[0].Subject)
	}
	return strings.Join(s, " ")
}

func mustFail(t *testing.T, err error, wants ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one saying %q", wants)
	}
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

func TestTheReportReachesThePostProcessor(t *testing.T) {
	inv := packerBuild(t, oneBuild)
	p := prepared(t, inv, Provisioner, runA)
	q := prepared(t, inv, PostProcessor, runA)
	j := doc(t, runA, "/etc/hosts", check.Pass)
	if err := p.Save(j, runA); err != nil {
		t.Fatal(err)
	}
	res, err := q.Load(runA)
	if err != nil {
		t.Fatal(err)
	}
	if res.Build != "null.target" || len(res.Records) != 1 || string(res.Records[0].Report) != string(j) || res.Records[0].Position != 0 {
		t.Fatalf("got %+v", res)
	}
}

// Packer prepares a build's provisioners in template order; the records come back in that
// order whatever the order of running.
func TestSeveralProvisionersComeInTemplateOrder(t *testing.T) {
	inv := packerBuild(t, `
build {
  sources = ["source.null.target"]
  provisioner "assert" {}
  provisioner "shell" {}
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}`)
	first := prepared(t, inv, Provisioner, runA)
	last := prepared(t, inv, Provisioner, runA)
	q := prepared(t, inv, PostProcessor, runA)
	save(t, last, runA, "/last")
	save(t, first, runA, "/first")
	res, err := q.Load(runA)
	if err != nil {
		t.Fatal(err)
	}
	if subjects(res) != "/first /last" || res.Records[1].Position != 1 {
		t.Fatalf("got %+v", res)
	}
}

// Packer prepares a provisioner again before each run, max_retries runs it again: its last run
// is its result, not an extra one; and a run that leaves no results leaves none of the
// earlier run either.
func TestARetriedProvisionerKeepsOnlyItsLastRun(t *testing.T) {
	inv := packerBuild(t, oneBuild)
	p := prepared(t, inv, Provisioner, runA)
	q := prepared(t, inv, PostProcessor, runA)
	for _, st := range []check.Status{check.Fail, check.Pass} {
		if err := p.Register(Provisioner, runA); err != nil { // prepared again to run
			t.Fatal(err)
		}
		if err := p.Save(doc(t, runA, "/x", st), runA); err != nil {
			t.Fatal(err)
		}
	}
	res, err := q.Load(runA)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 || res.Records[0].Doc.Verdict != "passed" {
		t.Fatalf("got %+v", res)
	}
	// prepared again for a third run, which fails before saving anything
	if err := p.Register(Provisioner, runA); err != nil {
		t.Fatal(err)
	}
	_, err = q.Load(runA)
	mustFail(t, err, "assert provisioner 0 of build null.target", "it left no results")
	// or whose report cannot be made: the provisioner saves nil
	save(t, p, runA, "/x")
	if err := p.Save(nil, runA); err != nil {
		t.Fatal(err)
	}
	_, err = q.Load(runA)
	mustFail(t, err, "it left no results")
}

// A run's results are in a folder of the run: those of an earlier run are not read.
func TestResultsOfAnEarlierRunAreNotRead(t *testing.T) {
	inv := packerBuild(t, oneBuild)
	p := prepared(t, inv, Provisioner, runA)
	prepared(t, inv, PostProcessor, runA)
	save(t, p, runA, "/x")
	// run B: its provisioner registered but did not run
	prepared(t, inv, Provisioner, runB)
	q := prepared(t, inv, PostProcessor, runB)
	_, err := q.Load(runB)
	mustFail(t, err, "assert provisioner 0 of build null.target", "it left no results")
}

// Two sources built at once keep their own results.
func TestTwoSourcesKeepTheirOwn(t *testing.T) {
	inv := packerBuild(t, `
build {
  sources = ["source.null.target", "source.null.second"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}`)
	pa := prepared(t, inv, Provisioner, runA)
	qa := prepared(t, inv, PostProcessor, runA)
	pb := prepared(t, inv, Provisioner, second)
	qb := prepared(t, inv, PostProcessor, second)
	save(t, pb, second, "/b")
	save(t, pa, runA, "/a")
	if res, err := qa.Load(runA); err != nil || subjects(res) != "/a" {
		t.Fatalf("null.target got %+v, %v", res, err)
	}
	if res, err := qb.Load(second); err != nil || subjects(res) != "/b" || res.Build != "null.second" {
		t.Fatalf("null.second got %+v, %v", res, err)
	}
}

func TestAReportOfAnotherRunIsNotSaved(t *testing.T) {
	inv := packerBuild(t, oneBuild)
	p := prepared(t, inv, Provisioner, runB)
	mustFail(t, p.Save(doc(t, runA, "/x", check.Pass), runB), `names run "`+uuidA+`", but this is run "`+uuidB+`"`)
}

// The checks on saved files catch mix-ups: results copied from another run's folder into this
// run's name their run, and are refused.
func TestResultsCopiedFromAnotherRunAreRefused(t *testing.T) {
	inv := packerBuild(t, oneBuild)
	old := prepared(t, inv, Provisioner, runA)
	save(t, old, runA, "/x")
	now := prepared(t, inv, Provisioner, runB)
	q := prepared(t, inv, PostProcessor, runB)
	_, dirA, _ := runA.dir()
	_, dirB, _ := runB.dir()
	for _, ext := range []string{".json", ".report.json"} {
		b, err := os.ReadFile(filepath.Join(dirA, old.id+ext))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dirB, now.id+ext), b, 0o600)
	}
	_, err := q.Load(runB)
	mustFail(t, err, "assert provisioner 0 of build null.target", "its results belong to null.target of run "+uuidA)
}

// Each part of a saved result names its run, and each is checked: a mix-up of a description of
// this run around another run's report, or the other way round, is refused.
func TestEachPartOfAResultNamesItsRun(t *testing.T) {
	for _, tt := range []struct {
		name         string
		meta, report Build
		want         string
	}{
		{"another_runs_report", runB, runA, `its report is of run "` + uuidA + `", not of this run`},
		{"another_runs_description", runA, runB, "its results belong to null.target of run " + uuidA},
	} {
		t.Run(tt.name, func(t *testing.T) {
			inv := packerBuild(t, oneBuild)
			p := prepared(t, inv, Provisioner, runB)
			q := prepared(t, inv, PostProcessor, runB)
			save(t, p, runB, "/x")
			_, dir, _ := runB.dir()
			j := doc(t, tt.report, "/x", check.Pass)
			sum := sha256.Sum256(j)
			m, _ := json.Marshal(meta{RunUUID: tt.meta.RunUUID, BuilderType: "null", BuildName: "target", Slot: p.id, ReportSHA256: hex.EncodeToString(sum[:])})
			os.WriteFile(filepath.Join(dir, p.id+".report.json"), j, 0o600)
			os.WriteFile(filepath.Join(dir, p.id+".json"), m, 0o600)
			_, err := q.Load(runB)
			mustFail(t, err, tt.want)
		})
	}
}

// A report that changed after it was saved (a file half written, or replaced) is refused.
func TestAReportChangedAfterSavingIsRefused(t *testing.T) {
	inv := packerBuild(t, oneBuild)
	p := prepared(t, inv, Provisioner, runA)
	q := prepared(t, inv, PostProcessor, runA)
	if err := p.Save(doc(t, runA, "/x", check.Fail), runA); err != nil {
		t.Fatal(err)
	}
	_, dir, _ := runA.dir()
	os.WriteFile(filepath.Join(dir, p.id+".report.json"), doc(t, runA, "/x", check.Pass), 0o600)
	_, err := q.Load(runA)
	mustFail(t, err, "its report changed after it was saved")
}

func TestAProvisionerThatLeftNoResultsIsMissed(t *testing.T) {
	inv := packerBuild(t, `
build {
  sources = ["source.null.target"]
  provisioner "assert" {}
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}`)
	ran := prepared(t, inv, Provisioner, runA)
	prepared(t, inv, Provisioner, runA)
	q := prepared(t, inv, PostProcessor, runA)
	save(t, ran, runA, "/x")
	_, err := q.Load(runA)
	mustFail(t, err, "assert provisioner 1 of build null.target", "it left no results")
}

func TestABuildWithoutAssertHasNoResults(t *testing.T) {
	inv := packerBuild(t, `
build {
  sources = ["source.null.target"]
  post-processor "assert-attestation" {}
}`)
	q := prepared(t, inv, PostProcessor, runA)
	_, err := q.Load(runA)
	mustFail(t, err, "build null.target has no assert provisioner, so nothing was checked to certify its artifact",
		`add a provisioner "assert" block to it`)
}

func TestAReportNoProvisionerSavedIsRefused(t *testing.T) {
	inv := packerBuild(t, oneBuild)
	p := prepared(t, inv, Provisioner, runA)
	q := prepared(t, inv, PostProcessor, runA)
	save(t, p, runA, "/x")
	_, dir, _ := runA.dir()
	os.WriteFile(filepath.Join(dir, "0123.report.json"), doc(t, runA, "/x", check.Pass), 0o600)
	_, err := q.Load(runA)
	mustFail(t, err, "holds a report that no assert provisioner of source null.target saved")
}

// Without PACKER_RUN_UUID, or in a packer command that is not a build (packer validate), or
// where the plugin cannot see the packer command, nothing is written; a provisioner's results
// are not handed off, and the post-processor refuses, saying why.
func TestOutsideAPackerBuildNothingIsWritten(t *testing.T) {
	for _, tt := range []struct {
		name string
		b    Build
		inv  Invocation
		want string
	}{
		{"no_run_uuid", Build{Type: "null", Name: "target"}, Invocation{}, "PACKER_RUN_UUID is not set"},
		{"packer_validate", runA, parseInvocation(1, []string{"packer", "validate", "."}, "/"),
			"the plugin cannot see the `packer build` command that runs it (packer's command line is not a `packer build` of a template)"},
		{"no_proc", runA, Invocation{Problem: "this system has no /proc"}, "certifying needs Linux"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tmp(t)
			p := prepared(t, tt.inv, Provisioner, tt.b)
			if err := p.Save([]byte("not even JSON"), tt.b); err != nil {
				t.Fatal(err)
			}
			q := prepared(t, tt.inv, PostProcessor, tt.b)
			_, err := q.Load(tt.b)
			mustFail(t, err, tt.want)
			if left, _ := os.ReadDir(os.TempDir()); len(left) != 0 {
				t.Errorf("%s holds %v", os.TempDir(), left)
			}
		})
	}
}

func TestSavingWithoutRegisteringIsRefused(t *testing.T) {
	tmp(t)
	var s Slot
	mustFail(t, s.Save(doc(t, runA, "/x", check.Pass), runA), "registered for")
}

func TestARunUUIDThatIsNoUUIDIsRefused(t *testing.T) {
	inv := packerBuild(t, oneBuild)
	bad := Build{RunUUID: "../../etc", Type: "null", Name: "x"}
	s := slot(inv)
	mustFail(t, s.Register(Provisioner, bad), "is not a UUID")
	// remembered: the run's save says it again
	mustFail(t, s.Save(doc(t, bad, "/x", check.Pass), bad), "is not a UUID")
}

// A run folder others may write into, or that is not a folder, or that another user owns, is
// refused: results in it could be someone else's. The provisioner's preparation does not fail
// (Register's error is for a warning); the post-processor refuses.
func TestARunFolderSomeoneElseCouldWriteIsRefused(t *testing.T) {
	for _, tt := range []struct {
		name  string
		make  func(t *testing.T, run string)
		want  string
		needs bool // root, to give the folder away
	}{
		{"others_may_write", func(t *testing.T, run string) { os.Mkdir(run, 0o700); os.Chmod(run, 0o777) }, "its mode is 0777: others may use it", false},
		{"a_symbolic_link", func(t *testing.T, run string) { os.Symlink(t.TempDir(), run) }, "it is not a folder", false},
		{"another_users", func(t *testing.T, run string) {
			os.Mkdir(run, 0o700)
			if err := os.Chown(run, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}, "it belongs to user 65534", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.needs && os.Getuid() != 0 {
				t.Skip("needs root, to give the folder to another user")
			}
			inv := packerBuild(t, oneBuild)
			run, _, _ := runA.dir()
			tt.make(t, run)
			mustFail(t, slot(inv).Register(Provisioner, runA), tt.want)
			q := slot(inv)
			q.Register(PostProcessor, runA)
			_, err := q.Load(runA)
			mustFail(t, err, "could not register", tt.want)
		})
	}
}

// A new run removes the folders of this user's runs whose packer has ended, and keeps those of
// runs still going and anything that is not a run folder of this user.
func TestEndedRunsAreSweptAway(t *testing.T) {
	inv := packerBuild(t, oneBuild) // its packer is this test, which is alive
	p := prepared(t, inv, Provisioner, runA)
	save(t, p, runA, "/x")
	ranA, _, _ := runA.dir()
	prefix := filepath.Join(os.TempDir(), runPrefix())
	going := prefix + "still-going"
	os.Mkdir(going, 0o700)
	os.WriteFile(filepath.Join(going, "packer.pid"), []byte("1\n"), 0o600) // init never ends
	old := prefix + "old"
	os.Mkdir(old, 0o700)
	os.Chtimes(old, time.Now().Add(-8*24*time.Hour), time.Now().Add(-8*24*time.Hour))
	notOurs := filepath.Join(os.TempDir(), "packer-plugin-assert-other")
	os.Mkdir(notOurs, 0o700)
	os.WriteFile(filepath.Join(notOurs, "packer.pid"), []byte("999999999\n"), 0o600)
	// the same run again: no sweep
	prepared(t, inv, Provisioner, second)
	if _, err := os.Stat(ranA); err != nil {
		t.Fatalf("the current run's folder went: %v", err)
	}
	os.WriteFile(filepath.Join(ranA, "packer.pid"), []byte("999999999\n"), 0o600) // no such process
	prepared(t, inv, Provisioner, runB)
	if _, err := os.Stat(ranA); !os.IsNotExist(err) {
		t.Errorf("the folder of the ended run is still there (%v)", err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the week-old folder is still there (%v)", err)
	}
	for _, keep := range []string{going, notOurs} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("%s went: %v", keep, err)
		}
	}
}
