package check

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/assertkit/packer-plugin-assert/internal/goss"
	"github.com/assertkit/packer-plugin-assert/internal/gossfile"
	"github.com/assertkit/packer-plugin-assert/internal/probe"
)

// gossChecks writes gossfiles into a folder and loads web.yaml, as the provisioner does.
func gossChecks(t *testing.T, files map[string]string) []Check {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := gossfile.Load(gossfile.Options{Files: []string{"web.yaml"}, Dir: dir, Env: map[string]string{}})
	if err != nil {
		t.Fatal(err)
	}
	gc, errs, _ := goss.Checks(s.Resources)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var checks []Check
	for _, c := range gc {
		checks = append(checks, NewGossCheck(c))
	}
	return checks
}

// TestGossChecksAreNamedByTheirGossfile: a goss check's block is goss[FILE], the gossfile that
// declares the resource (an included one too), its kind goss, its subject TYPE KEY ATTRIBUTE,
// its description the resource's title; the HCL blocks around it keep their numbers.
func TestGossChecksAreNamedByTheirGossfile(t *testing.T) {
	checks := gossChecks(t, map[string]string{
		"web.yaml":       "matching:\n  two words:\n    title: a title\n    content: 1\n    matches: 1\ngossfile:\n  inc/*.yaml: {}\n",
		"inc/extra.yaml": "matching:\n  other:\n    content: a\n    matches: a\n",
	})
	all := append([]Check{&File{Path: "/a"}}, append(checks, &File{Path: "/b"})...)
	declared := Declare(all)
	var got []string
	for _, d := range declared {
		got = append(got, d.Block+"|"+d.Kind()+"|"+d.Subject()+"|"+d.Describe())
	}
	want := []string{"file[0]|file|/a|", "goss[web.yaml]|goss|matching two words matches|a title",
		"goss[inc/extra.yaml]|goss|matching other matches|", "file[1]|file|/b|"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("declared\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestGossChecksInASuite: a goss check passes, fails, errs and is skipped through a Suite as the
// other checks do, shows its meta in its details, and what it measured in Found; skip: true
// asks nothing of the image.
func TestGossChecksInASuite(t *testing.T) {
	checks := gossChecks(t, map[string]string{"web.yaml": `matching:
  passes:
    content: 3
    matches: {gt: 2}
    meta: {team: web, id: 7}
  fails:
    content: [a]
    matches: [b]
  cannot-compare:
    content: abc
    matches: {gt: 2}
  skipped:
    skip: true
    content: 1
    matches: 1
file:
  /etc/never-asked:
    skip: true
    exists: true
`})
	s := NewSuite(Declare(checks), Options{})
	f, err := probe.Parse(s.Plan(), probe.FakeOutput(s.Plan()))
	if err != nil {
		t.Fatal(err)
	}
	if script, _ := probe.Render(s.Plan()); strings.Contains(string(script), "never-asked") {
		t.Error("a skipped resource asked the image for its facts")
	}
	results := s.Judge(f)
	byName := map[string]Result{}
	for _, r := range results {
		byName[r.Subject] = r
	}
	pass := byName["matching passes matches"]
	if pass.Status != Pass || pass.Expectation != "greater than 2" || len(pass.Details) != 1 || pass.Details[0] != `meta: {"id":7,"team":"web"}` ||
		strings.Join(pass.Found, "") != "3" {
		t.Errorf("passes: %+v", pass)
	}
	if r := byName["matching fails matches"]; r.Status != Fail || !strings.Contains(strings.Join(r.Problems, ""), `missing ["b"]`) {
		t.Errorf("fails: %+v", r)
	}
	if r := byName["matching cannot-compare matches"]; r.Status != Error {
		t.Errorf("cannot-compare: %+v", r)
	}
	for _, name := range []string{"matching skipped matches", "file /etc/never-asked exists"} {
		if r := byName[name]; r.Status != Skipped || r.SkipReason != "skip: true in the gossfile" {
			t.Errorf("%s: %+v", name, r)
		}
	}
}

// TestGossSkipIsNeverAPass: an attribute goss skips after its resource's first attribute measured
// false comes out of the judge as a SkipError, with the reason: never as a pass.
func TestGossSkipIsNeverAPass(t *testing.T) {
	checks := gossChecks(t, map[string]string{"web.yaml": "file:\n  /nonexistent-assert-check-test:\n    exists: false\n    mode: \"0644\"\n"})
	s := NewSuite(Declare(checks), Options{})
	// what GNU stat says of a path that is not there, as the probe prints it
	complaint := "stat: cannot statx '/nonexistent-assert-check-test': No such file or directory\n"
	out := "assert-probe 1\nL file.missing 0 \nB file.stat 0 0\n\n" +
		"B file.staterr 0 " + strconv.Itoa(len(complaint)) + "\n" + complaint + "\nassert-probe end\n"
	f, err := probe.Parse(s.Plan(), []byte(out))
	if err != nil {
		t.Fatal(err)
	}
	results := s.Judge(f)
	if results[0].Status != Pass {
		t.Fatalf("exists: %+v", results[0])
	}
	mode := results[1]
	if mode.Status != Skipped || !strings.Contains(mode.SkipReason, "exists is false") || mode.Probes != 0 {
		t.Fatalf("mode: %+v, want it skipped, with goss's reason", mode)
	}
	var skip *SkipError
	o := s.judges[1](f)
	if !errors.As(o.Err, &skip) || !strings.Contains(skip.Reason, "exists is false") {
		t.Errorf("mode's outcome: %+v", o)
	}
}
