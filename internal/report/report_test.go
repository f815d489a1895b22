package report

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assertkit/packer-plugin-assert/internal/check"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// recorder keeps what the report says, marking errors.
type recorder struct{ lines []string }

func (r *recorder) Say(s string) { r.lines = append(r.lines, s) }
func (r *recorder) Error(s string) {
	r.lines = append(r.lines, "[red] "+strings.ReplaceAll(s, "\n", "\n[red] "))
}

var results = []check.Result{
	{Block: "file[0]", Kind: "file", Subject: "/etc/nginx/nginx.conf", Expectation: "mode 0644, owner root", Status: check.Pass, Probes: 1},
	{Block: "package[0]", Kind: "package", Subject: "nginx", Status: check.Fail, Problems: []string{"version is 1.22.1-9, want >= 1.24 (compared as dpkg compares versions)"}, Probes: 1},
	{Block: "package[1]", Kind: "package", Subject: "telnetd", Expectation: "not installed", Status: check.Pass, Probes: 1},
	{Block: "file[1]", Kind: "file", Subject: "/etc/shadow", Description: "no world access", Status: check.Fail, Problems: []string{"mode is 0644, want 0640", "group is root (0), want shadow"}, Probes: 1},
	{Block: "file[2]", Kind: "file", Subject: "/etc/shadow", Description: "owned by root", Expectation: "owner root", Status: check.Pass, Probes: 1},
	{Block: "service[0]", Kind: "service", Subject: "nginx", Status: check.Error, Problems: []string{"no init system found in the image"}, Probes: 1},
	{Block: "service[1]", Kind: "service", Subject: "app", Expectation: "running", Status: check.Pass, Probes: 3},
	{Block: "port[0]", Kind: "port", Subject: "tcp/8080", Status: check.Fail, Problems: []string{"is not listening"}, Probes: 4},
	{Block: "command[0]", Kind: "command", Subject: `"nginx -t"`, Status: check.Fail, Problems: []string{"exit status is 1, want 0"}, Details: []string{"stdout: (empty)", "stderr:", "  nginx: [emerg] unknown directive"}, Probes: 1},
	{Block: "command[1]", Kind: "command", Subject: `"curl -sI localhost"`, Status: check.Fail, Problems: []string{"stdout does not match /^Server: nginx$/"},
		Details: []string{"stdout, the lines nearest to /^Server: nginx$/:", `  2: Server: nginx\r`, "stdout:", `  HTTP/1.1 200 OK\r`, `  Server: nginx\r`}, Probes: 1},
	{Block: "file[3]", Kind: "file", Subject: "/etc/motd", Expectation: "exists", Status: check.Fail, Problems: []string{"does not exist"}, Probes: 1, Warning: true},
	{Block: "service[2]", Kind: "service", Subject: "chronyd", Expectation: "running", Status: check.Error, Problems: []string{"no init system found in the image"}, Probes: 1, Warning: true},
	{Block: "port[1]", Kind: "port", Subject: "tcp/443", Description: "not yet", Expectation: "listening", Status: check.Skipped},
	{Block: "package[2]", Kind: "package", Subject: "curl", Expectation: "installed", Status: check.Pass, Probes: 1, Warning: true},
}

func TestLinesGolden(t *testing.T) {
	var r recorder
	Lines(&r, results, 1234567*time.Microsecond)
	got := strings.Join(r.lines, "\n") + "\n"
	golden := filepath.Join("testdata", "lines.golden")
	if *update {
		os.WriteFile(golden, []byte(got), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("build log changed; review with go test -update and git diff:\n%s", got)
	}
}

func TestErrNamesWhatDidNotPass(t *testing.T) {
	err := Err(results)
	want := `6 of 14 checks did not pass (5 failed, 1 errored; 2 warnings did not pass either, and do not fail the build): package[0] nginx, file[1] /etc/shadow, service[0] nginx, port[0] tcp/8080, command[0] "nginx -t", command[1] "curl -sI localhost"`
	if err == nil || err.Error() != want {
		t.Errorf("Err = %v\nwant %s", err, want)
	}
	if err := Err(results[:1]); err != nil {
		t.Errorf("all passed, yet Err = %v", err)
	}
	var many []check.Result
	for i := 0; i < 13; i++ {
		many = append(many, check.Result{Block: "port[0]", Kind: "port", Subject: "tcp/1", Status: check.Fail})
	}
	if err := Err(many); !strings.HasSuffix(err.Error(), "and 3 more") {
		t.Errorf("long list not shortened: %v", err)
	}
}

// TestWarningsAndSkippedChecksDoNotFailTheBuild: a check of severity "warning" that fails or
// errs is counted as a warning, a skipped one as skipped, and neither fails the build.
func TestWarningsAndSkippedChecksDoNotFailTheBuild(t *testing.T) {
	tail := results[10:]
	if err := Err(tail); err != nil {
		t.Errorf("warnings and skipped checks failed the build: %v", err)
	}
	if got, want := Count(tail), (Counts{Passed: 1, Warnings: 2, Skipped: 1}); got != want {
		t.Errorf("Count = %+v, want %+v", got, want)
	}
	if got, want := Summary(tail, time.Second), "1 passed, 0 failed, 0 errored, 2 warnings, 1 skipped in 1s"; got != want {
		t.Errorf("Summary = %s, want %s", got, want)
	}
}
