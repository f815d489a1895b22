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
	{Kind: "file", Subject: "/etc/nginx/nginx.conf", Status: check.Pass},
	{Kind: "package", Subject: "nginx", Status: check.Fail, Problems: []string{"version is 1.22.1-9, want >= 1.24 (compared as dpkg compares versions)"}},
	{Kind: "file", Subject: "/etc/shadow", Description: "no world access", Status: check.Fail, Problems: []string{"mode is 0644, want 0640", "group is root (0), want shadow"}},
	{Kind: "service", Subject: "nginx", Status: check.Error, Problems: []string{"no init system found in the image"}},
	{Kind: "command", Subject: `"nginx -t"`, Status: check.Fail, Problems: []string{"exit status is 1, want 0"}, Details: []string{"stdout: (empty)", "stderr:", "  nginx: [emerg] unknown directive"}},
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
	want := `4 of 5 checks did not pass (3 failed, 1 errored): package nginx, file /etc/shadow, service nginx, command "nginx -t"`
	if err == nil || err.Error() != want {
		t.Errorf("Err = %v\nwant %s", err, want)
	}
	if err := Err(results[:1]); err != nil {
		t.Errorf("all passed, yet Err = %v", err)
	}
	var many []check.Result
	for i := 0; i < 13; i++ {
		many = append(many, check.Result{Kind: "port", Subject: "tcp/1", Status: check.Fail})
	}
	if err := Err(many); !strings.HasSuffix(err.Error(), "and 3 more") {
		t.Errorf("long list not shortened: %v", err)
	}
}
