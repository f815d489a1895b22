package handoff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// twoBuilds is the review's template: build a checks, build b does not.
const twoBuilds = `
build {
  name = "a"
  sources = ["source.null.target"]
  provisioner "assert" {}
  provisioner "assert" {}
  post-processor "assert-attestation" {}
}
build {
  name = "b"
  sources = ["source.null.target"]
  post-processor "assert-attestation" {}
}`

// swapped is another version of twoBuilds, in which b checks and has two post-processors: read
// instead of twoBuilds, it gives b's post-processor a's results.
const swapped = `
build {
  name = "a"
  sources = ["source.null.target"]
  provisioner "assert" {}
}
build {
  name = "b"
  sources = ["source.null.target"]
  provisioner "assert" {}
  post-processor "assert-attestation" {}
  post-processor "assert-attestation" {}
}`

// replaceKeepingTimes replaces a file as cp -p, rsync -a, tar x or mv of an older file do: the
// content changes, the modification time is set back.
func replaceKeepingTimes(t *testing.T, name, content string, old time.Time) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(name, old, old); err != nil {
		t.Fatal(err)
	}
}

// The review's TestReviewTemplateSwappedWithOldMtime: the template is replaced during the build
// with its old modification time kept. Neither post-processor certifies: the template is not
// the one the run's first registration recorded.
func TestATemplateSwappedDuringTheBuildIsRefused(t *testing.T) {
	inv := packerBuild(t, twoBuilds)
	name := filepath.Join(inv.Template, "build.pkr.hcl")
	old := time.Now().Add(-time.Hour)
	os.Chtimes(name, old, old)
	pa1 := prepared(t, inv, Provisioner, src)
	pa2 := prepared(t, inv, Provisioner, src)
	qa := prepared(t, inv, PostProcessor, src)
	qb := prepared(t, inv, PostProcessor, src)
	save(t, pa1, src, "a/p0")
	save(t, pa2, src, "a/p1")
	replaceKeepingTimes(t, name, swapped, old)
	for i, q := range []*Slot{qa, qb} {
		res, err := q.Load(src)
		if err == nil {
			t.Errorf("post-processor of build %c certifies %s with %q", "ab"[i], res.Build, subjects(res))
			continue
		}
		mustFail(t, err, "changed since Packer prepared the builds")
	}
}

// A template replaced after Packer started but before the first registration (the record would
// then be of the new one): its change time, which no copy sets back, is after Packer's start.
func TestATemplateChangedAfterPackerStartedIsRefused(t *testing.T) {
	inv := packerBuild(t, swapped)
	name := filepath.Join(inv.Template, "build.pkr.hcl")
	inv.Started = time.Now().Add(-time.Minute) // packer started a minute ago, with twoBuilds
	replaceKeepingTimes(t, name, swapped, time.Now().Add(-time.Hour))
	prepared(t, inv, Provisioner, src)
	q := prepared(t, inv, PostProcessor, src)
	q2 := prepared(t, inv, PostProcessor, src)
	for _, q := range []*Slot{q, q2} {
		_, err := q.Load(src)
		mustFail(t, err, "build.pkr.hcl changed after Packer started")
	}
}

// The record covers the variable files the plugin reads too: a -var-file or an auto var file
// changed during the build is refused; one left as it was is not.
func TestAVariableFileChangedDuringTheBuildIsRefused(t *testing.T) {
	for _, tt := range []struct{ name, flag, file string }{
		{"var_file", "-var-file=vars.pkrvars.hcl", "vars.pkrvars.hcl"},
		{"auto_var_file", "", "x.auto.pkrvars.hcl"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var flags []string
			if tt.flag != "" {
				flags = append(flags, tt.flag)
			}
			inv := packerBuild(t, oneBuild, flags...)
			vf := filepath.Join(inv.Template, tt.file)
			replaceKeepingTimes(t, vf, `v = "a"`, time.Now().Add(-time.Hour))
			inv.Dir = inv.Template
			p := prepared(t, inv, Provisioner, src)
			q := prepared(t, inv, PostProcessor, src)
			save(t, p, src, "/x")
			if _, err := q.Load(src); err != nil {
				t.Fatalf("unchanged: %v", err)
			}
			replaceKeepingTimes(t, vf, `v = "b"`, time.Now().Add(-time.Hour))
			_, err := q.Load(src)
			mustFail(t, err, "changed since Packer prepared the builds")
		})
	}
}

// Without Packer's start time, no template is trusted.
func TestWithoutPackersStartTimeNothingIsCertified(t *testing.T) {
	inv := packerBuild(t, oneBuild)
	inv.Started = time.Time{}
	p := prepared(t, inv, Provisioner, src)
	q := prepared(t, inv, PostProcessor, src)
	save(t, p, src, "/x")
	_, err := q.Load(src)
	mustFail(t, err, "packer's start time is unknown")
}

func TestStartTime(t *testing.T) {
	files := func(stat, procStat string) func(string) ([]byte, error) {
		return func(name string) ([]byte, error) {
			if name == "/proc/stat" {
				return []byte(procStat), nil
			}
			return []byte(stat), nil
		}
	}
	// recorded on this machine: cat /proc/self/stat (comm changed to one with ") (" in it), grep btime /proc/stat
	stat := "1058 (a) (b) R 1055 1055 29326 0 -1 4194304 126 0 0 0 0 0 0 0 20 0 1 0 2017400 3133440 410 18446744073709551615"
	got, err := startTime(files(stat, "cpu  1 2 3\nbtime 1795735830\nprocesses 9\n"), 1058)
	if want := time.Unix(1795735830, 0).Add(20174 * time.Second); err != nil || !got.Equal(want) {
		t.Errorf("got %v %v, want %v", got, err, want)
	}
	for _, bad := range []struct{ stat, procStat string }{
		{"1058 (a) R 1", "btime 1"},
		{stat, "cpu 1"},
		{strings.Replace(stat, "2017400", "x", 1), "btime 1795735830"},
	} {
		if _, err := startTime(files(bad.stat, bad.procStat), 1058); err == nil {
			t.Errorf("%q, %q: no error", bad.stat, bad.procStat)
		}
	}
	// this process: started before now, after boot
	if got, err := startTime(os.ReadFile, os.Getpid()); err != nil || got.After(time.Now()) || time.Since(got) > 24*time.Hour*365 {
		t.Errorf("this process started at %v (%v)", got, err)
	}
}
