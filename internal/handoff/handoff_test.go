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

// tmp gives the test a temporary folder of its own, where Root lives.
func tmp(t *testing.T) {
	t.Helper()
	t.Setenv("TMPDIR", t.TempDir())
}

var (
	runA   = Build{RunUUID: "6a1e0f3c-0000-4000-8000-00000000000a", Type: "null", Name: "target"}
	runB   = Build{RunUUID: "6a1e0f3c-0000-4000-8000-00000000000b", Type: "null", Name: "target"}
	second = Build{RunUUID: runA.RunUUID, Type: "null", Name: "second"}
)

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

// provision is a provisioner's life: prepared (registered), then run (saved).
func provision(t *testing.T, s *Slot, b Build, j []byte) {
	t.Helper()
	if err := s.Register(Provisioner, b); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(j, b); err != nil {
		t.Fatal(err)
	}
}

func postProcessor(t *testing.T, b Build) {
	t.Helper()
	var s Slot
	if err := s.Register(PostProcessor, b); err != nil {
		t.Fatal(err)
	}
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
	tmp(t)
	var s Slot
	j := doc(t, runA, "/etc/hosts", check.Pass)
	provision(t, &s, runA, j)
	postProcessor(t, runA)
	recs, err := Load(runA)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || string(recs[0].Report) != string(j) || recs[0].Doc.Checks[0].Subject != "/etc/hosts" || recs[0].Position != 0 {
		t.Fatalf("got %+v", recs)
	}
}

// Packer prepares a build's provisioners in template order, and runs them in that order; the
// records come back in that order whatever the order of saving.
func TestSeveralProvisionersComeInTemplateOrder(t *testing.T) {
	tmp(t)
	var first, last Slot
	for _, s := range []*Slot{&first, &last} {
		if err := s.Register(Provisioner, runA); err != nil {
			t.Fatal(err)
		}
	}
	postProcessor(t, runA)
	if err := last.Save(doc(t, runA, "/last", check.Pass), runA); err != nil {
		t.Fatal(err)
	}
	if err := first.Save(doc(t, runA, "/first", check.Pass), runA); err != nil {
		t.Fatal(err)
	}
	recs, err := Load(runA)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Doc.Checks[0].Subject != "/first" || recs[1].Doc.Checks[0].Subject != "/last" || recs[1].Position != 1 {
		t.Fatalf("got %+v", recs)
	}
}

// max_retries runs the same provisioner again: its last run is its result, not an extra one.
func TestARetriedProvisionerReplacesItsResults(t *testing.T) {
	tmp(t)
	var s Slot
	provision(t, &s, runA, doc(t, runA, "/x", check.Fail))
	provision(t, &s, runA, doc(t, runA, "/x", check.Pass))
	postProcessor(t, runA)
	recs, err := Load(runA)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Doc.Verdict != "passed" {
		t.Fatalf("got %+v", recs)
	}
}

func TestResultsOfAnEarlierRunAreNotRead(t *testing.T) {
	tmp(t)
	var s Slot
	provision(t, &s, runA, doc(t, runA, "/x", check.Pass))
	postProcessor(t, runB)
	_, err := Load(runB)
	mustFail(t, err, "no assert provisioner has run in build null.target of this packer run", `add a provisioner "assert" block`)
}

func TestParallelBuildsKeepTheirOwn(t *testing.T) {
	tmp(t)
	var a, b Slot
	provision(t, &a, runA, doc(t, runA, "/a", check.Pass))
	provision(t, &b, second, doc(t, second, "/b", check.Fail))
	postProcessor(t, runA)
	postProcessor(t, second)
	recs, err := Load(runA)
	if err != nil || len(recs) != 1 || recs[0].Doc.Checks[0].Subject != "/a" {
		t.Fatalf("null.target got %+v, %v", recs, err)
	}
	recs, err = Load(second)
	if err != nil || len(recs) != 1 || recs[0].Doc.Checks[0].Subject != "/b" {
		t.Fatalf("null.second got %+v, %v", recs, err)
	}
}

func TestAReportOfAnotherRunIsNotSaved(t *testing.T) {
	tmp(t)
	var s Slot
	if err := s.Register(Provisioner, runB); err != nil {
		t.Fatal(err)
	}
	mustFail(t, s.Save(doc(t, runA, "/x", check.Pass), runB), `names run "6a1e0f3c-0000-4000-8000-00000000000a", but this is run "6a1e0f3c-0000-4000-8000-00000000000b"`)
}

// Results copied from another run's folder into this run's are refused: they name their run.
func TestResultsCopiedFromAnotherRunAreRefused(t *testing.T) {
	tmp(t)
	var old, now Slot
	provision(t, &old, runA, doc(t, runA, "/x", check.Pass))
	if err := now.Register(Provisioner, runB); err != nil {
		t.Fatal(err)
	}
	postProcessor(t, runB)
	_, dirA, _ := runA.dir()
	_, dirB, _ := runB.dir()
	for _, ext := range []string{".json", ".report.json"} {
		b, err := os.ReadFile(filepath.Join(dirA, old.id+ext))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dirB, now.id+ext), b, 0o600)
	}
	_, err := Load(runB)
	mustFail(t, err, "assert provisioner 0 of build null.target", "its results belong to null.target of run 6a1e0f3c-0000-4000-8000-00000000000a")
}

// Each part of a saved result names its run, and each is checked: a description rewritten for
// this run around another run's report, and another run's description around a report of this
// run (its sha256 kept right, as only someone who can write in the folder could) are refused.
func TestEachPartOfAResultNamesItsRun(t *testing.T) {
	for _, tt := range []struct {
		name         string
		meta, report Build
		want         string
	}{
		{"another_runs_report", runB, runA, `its report is of run "6a1e0f3c-0000-4000-8000-00000000000a", not of this run`},
		{"another_runs_description", runA, runB, "its results belong to null.target of run 6a1e0f3c-0000-4000-8000-00000000000a"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tmp(t)
			var s Slot
			provision(t, &s, runB, doc(t, runB, "/x", check.Pass))
			postProcessor(t, runB)
			_, dir, _ := runB.dir()
			j := doc(t, tt.report, "/x", check.Pass)
			sum := sha256.Sum256(j)
			m, _ := json.Marshal(meta{RunUUID: tt.meta.RunUUID, BuilderType: "null", BuildName: "target", Slot: s.id, ReportSHA256: hex.EncodeToString(sum[:])})
			os.WriteFile(filepath.Join(dir, s.id+".report.json"), j, 0o600)
			os.WriteFile(filepath.Join(dir, s.id+".json"), m, 0o600)
			_, err := Load(runB)
			mustFail(t, err, tt.want)
		})
	}
}

func TestAReportChangedAfterSavingIsRefused(t *testing.T) {
	tmp(t)
	var s Slot
	provision(t, &s, runA, doc(t, runA, "/x", check.Fail))
	postProcessor(t, runA)
	_, dir, _ := runA.dir()
	os.WriteFile(filepath.Join(dir, s.id+".report.json"), doc(t, runA, "/x", check.Pass), 0o600)
	_, err := Load(runA)
	mustFail(t, err, "its report was changed after it was saved")
}

func TestAProvisionerThatLeftNoResultsIsMissed(t *testing.T) {
	tmp(t)
	var ran, silent Slot
	provision(t, &ran, runA, doc(t, runA, "/x", check.Pass))
	if err := silent.Register(Provisioner, runA); err != nil {
		t.Fatal(err)
	}
	postProcessor(t, runA)
	_, err := Load(runA)
	mustFail(t, err, "assert provisioner 1 of build null.target", "it left no results")
}

func TestABuildWithoutAssertHasNoResults(t *testing.T) {
	tmp(t)
	postProcessor(t, runA)
	_, err := Load(runA)
	mustFail(t, err, "no assert provisioner has run in build null.target")
}

// Two build blocks that build one source: core tells the plugin the same build for both, and
// prepares the first build's provisioners and post-processors before the second's.
func TestOneSourceInTwoBuildBlocksIsRefused(t *testing.T) {
	tmp(t)
	var one, two Slot
	provision(t, &one, runA, doc(t, runA, "/x", check.Pass))
	postProcessor(t, runA)
	provision(t, &two, runA, doc(t, runA, "/x", check.Pass))
	postProcessor(t, runA)
	_, err := Load(runA)
	mustFail(t, err, "source null.target is built by more than one build block in this run", "give each build block a source block of its own")
}

// One build may have several post-processor chains, each with an assert-attestation.
func TestTwoPostProcessorsOfOneBuild(t *testing.T) {
	tmp(t)
	var s Slot
	provision(t, &s, runA, doc(t, runA, "/x", check.Pass))
	postProcessor(t, runA)
	postProcessor(t, runA)
	if _, err := Load(runA); err != nil {
		t.Fatal(err)
	}
}

func TestAReportNoProvisionerSavedIsRefused(t *testing.T) {
	tmp(t)
	var s Slot
	provision(t, &s, runA, doc(t, runA, "/x", check.Pass))
	postProcessor(t, runA)
	_, dir, _ := runA.dir()
	os.WriteFile(filepath.Join(dir, "0123.report.json"), doc(t, runA, "/x", check.Pass), 0o600)
	_, err := Load(runA)
	mustFail(t, err, "holds a report that no assert provisioner of build null.target saved")
}

func TestOutsideAPackerRunNothingIsWritten(t *testing.T) {
	tmp(t)
	var s Slot
	none := Build{Type: "null", Name: "target"}
	if err := s.Register(Provisioner, none); err != nil {
		t.Fatal(err)
	}
	if err := s.Save([]byte("not even JSON"), none); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(Root()); !os.IsNotExist(err) {
		t.Errorf("%s exists", Root())
	}
	_, err := Load(none)
	mustFail(t, err, "PACKER_RUN_UUID is not set")
}

func TestSavingWithoutRegisteringIsRefused(t *testing.T) {
	tmp(t)
	var s Slot
	mustFail(t, s.Save(doc(t, runA, "/x", check.Pass), runA), "registered for")
}

func TestARunUUIDThatIsNoUUIDIsRefused(t *testing.T) {
	tmp(t)
	var s Slot
	mustFail(t, s.Register(Provisioner, Build{RunUUID: "../../etc", Type: "null", Name: "x"}), "is not a UUID")
}

func TestAFolderOthersMayWriteIsRefused(t *testing.T) {
	tmp(t)
	if err := os.Mkdir(Root(), 0o700); err != nil {
		t.Fatal(err)
	}
	os.Chmod(Root(), 0o777)
	var s Slot
	mustFail(t, s.Register(Provisioner, runA), "its mode is 0777: others may use it", "remove it")
	_, err := Load(runA)
	mustFail(t, err, "its mode is 0777")
}

func TestASymlinkInPlaceOfTheFolderIsRefused(t *testing.T) {
	tmp(t)
	if err := os.Symlink(t.TempDir(), Root()); err != nil {
		t.Fatal(err)
	}
	var s Slot
	mustFail(t, s.Register(Provisioner, runA), "it is not a folder")
}

func TestAFolderOfAnotherUserIsRefused(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root, to give the folder to another user")
	}
	tmp(t)
	if err := os.Mkdir(Root(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(Root(), 65534, 65534); err != nil {
		t.Fatal(err)
	}
	var s Slot
	mustFail(t, s.Register(Provisioner, runA), "it belongs to user 65534, not to this user (0)")
}

// A new run removes the folders of runs whose packer has ended, and keeps those of runs still
// going.
func TestEndedRunsAreSweptAway(t *testing.T) {
	tmp(t)
	var s Slot
	provision(t, &s, runA, doc(t, runA, "/x", check.Pass))
	ranA, _, _ := runA.dir()
	going := filepath.Join(Root(), "still-going")
	os.Mkdir(going, 0o700)
	os.WriteFile(filepath.Join(going, "packer.pid"), []byte("1\n"), 0o600) // init never ends
	// run A's packer (the parent of this test) is alive: the folder stays
	var t2 Slot
	provision(t, &t2, second, doc(t, second, "/x", check.Pass)) // same run: no sweep
	if _, err := os.Stat(ranA); err != nil {
		t.Fatalf("the current run's folder went: %v", err)
	}
	os.WriteFile(filepath.Join(ranA, "packer.pid"), []byte("999999999\n"), 0o600) // no such process
	old := filepath.Join(Root(), "old")
	os.Mkdir(old, 0o700)
	os.Chtimes(old, time.Now().Add(-8*24*time.Hour), time.Now().Add(-8*24*time.Hour))
	var t3 Slot
	provision(t, &t3, runB, doc(t, runB, "/x", check.Pass))
	if _, err := os.Stat(ranA); !os.IsNotExist(err) {
		t.Errorf("the folder of the ended run is still there (%v)", err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the week-old folder is still there (%v)", err)
	}
	if _, err := os.Stat(going); err != nil {
		t.Errorf("the folder of a run still going went: %v", err)
	}
}
